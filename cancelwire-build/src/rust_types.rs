//! The Rust types of one package, laid out as prost-build lays them out:
//! a struct per message, and the message's nested messages, enums and
//! oneofs in the snake_case module of its name (`flight_descriptor::DescriptorType`).
//! Their codec, JSON and enum impls are written by the other modules.

use crate::names::{Resolver, to_snake, to_upper_camel};
use crate::open_enums::{self, DocExamples};
use crate::schema::{Enum, Index, Message, is_map_entry};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FieldDescriptorProto};
use std::fmt::Write;

// Field numbers inside descriptor.proto, for source-info paths.
const MESSAGE_FIELDS: i32 = 2;
const MESSAGE_ONEOFS: i32 = 8;

/// What writing one package's types needs to know.
pub(crate) struct Context<'a> {
    pub resolver: &'a Resolver<'a>,
    pub index: &'a Index<'a>,
    pub package: &'a str,
    pub runtime: &'a str,
    /// Messages whose struct is written by hand (cancelwire's own only).
    pub hand_written: &'a [(String, String)],
    pub docs: &'a DocExamples<'a>,
    /// The enums of this package, nested ones included.
    pub enums: &'a [Enum<'a>],
}

/// `///` lines for a `.proto` comment, made safe for rustdoc: indented or
/// fenced code in comments is shown as text (never run as a doctest), and
/// brackets are escaped so they are not taken for broken links.
pub(crate) fn doc_lines(comment: &str, out: &mut String) {
    let mut in_fence = false;
    let mut in_indented = false;
    for raw in comment.lines() {
        // protoc keeps the space after `//`; prost-build drops one.
        let line = raw.strip_prefix(' ').unwrap_or(raw).trim_end();
        if line.trim_start().starts_with("```") {
            out.push_str(if in_fence {
                "/// ```\n"
            } else {
                "/// ```text\n"
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            let _ = writeln!(out, "/// {line}");
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && !in_indented {
            out.push_str("/// ```text\n");
            in_indented = true;
        } else if !indented && in_indented && !line.is_empty() {
            out.push_str("/// ```\n");
            in_indented = false;
        }
        if in_indented {
            let _ = writeln!(out, "/// {line}");
            continue;
        }
        let escaped = line
            .replace('\\', "\\\\")
            .replace('[', "\\[")
            .replace(']', "\\]")
            .replace('<', "\\<")
            .replace('>', "\\>");
        if escaped.is_empty() {
            out.push_str("///\n");
        } else {
            let _ = writeln!(out, "/// {escaped}");
        }
    }
    if in_fence || in_indented {
        out.push_str("/// ```\n");
    }
}

/// The leading and trailing comments at `path`, one after the other.
fn comment(file: &prost_types::FileDescriptorProto, path: &[i32]) -> String {
    let location = file
        .source_code_info
        .as_ref()
        .and_then(|info| info.location.iter().find(|l| l.path == path));
    let Some(location) = location else {
        return String::new();
    };
    let leading = location.leading_comments().trim_end();
    let trailing = location.trailing_comments().trim_end();
    match (leading.is_empty(), trailing.is_empty()) {
        (_, true) => leading.to_owned(),
        (true, false) => trailing.to_owned(),
        (false, false) => format!("{leading}\n\n{trailing}"),
    }
}

/// `path` as written `depth` modules below the package's root.
fn at_depth(path: &str, depth: usize) -> String {
    if path.starts_with("::") || path == "crate" || path.starts_with("crate::") || depth == 0 {
        path.to_owned()
    } else {
        format!("{}{path}", "super::".repeat(depth))
    }
}

fn map_entry<'a>(
    field: &FieldDescriptorProto,
    owner: &'a DescriptorProto,
) -> Option<&'a DescriptorProto> {
    if field.label() != Label::Repeated || field.r#type() != Type::Message {
        return None;
    }
    let entry_name = field.type_name().rsplit('.').next()?;
    owner
        .nested_type
        .iter()
        .find(|n| n.name() == entry_name && is_map_entry(n))
}

impl Context<'_> {
    fn fail(&self, message: &Message<'_>, field: &FieldDescriptorProto, why: &str) -> String {
        format!(
            "{}: field {}.{}: {why}",
            message.file,
            message.full_name,
            field.name()
        )
    }

    /// The Rust type of one value of `field` (no `Option`/`Vec`), written
    /// at `depth`.
    fn value_type(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
        depth: usize,
    ) -> Result<String, String> {
        Ok(match field.r#type() {
            Type::Double => "f64".into(),
            Type::Float => "f32".into(),
            Type::Int64 | Type::Sint64 | Type::Sfixed64 => "i64".into(),
            Type::Uint64 | Type::Fixed64 => "u64".into(),
            Type::Int32 | Type::Sint32 | Type::Sfixed32 => "i32".into(),
            Type::Uint32 | Type::Fixed32 => "u32".into(),
            Type::Bool => "bool".into(),
            Type::String => "::prost::alloc::string::String".into(),
            Type::Bytes => "::prost::bytes::Bytes".into(),
            // Enums are `i32` on the struct, as prost has them, so unknown
            // numbers stay.
            Type::Enum => "i32".into(),
            Type::Message => {
                let path = self
                    .resolver
                    .path(field.type_name(), self.package)
                    .map_err(|e| self.fail(message, field, &e))?;
                at_depth(&path, depth)
            }
            Type::Group => return Err(self.fail(message, field, "groups have no proto3 form")),
        })
    }

    /// The Rust type of the whole field as a struct member at `depth`.
    fn field_type(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
        depth: usize,
    ) -> Result<String, String> {
        if let Some(entry) = map_entry(field, message.descriptor) {
            let [key, value] = entry.field.as_slice() else {
                return Err(self.fail(message, field, "map entry is not a key and a value"));
            };
            return Ok(format!(
                "::prost::alloc::collections::BTreeMap<{}, {}>",
                self.value_type(message, key, depth)?,
                self.value_type(message, value, depth)?
            ));
        }
        let value = self.value_type(message, field, depth)?;
        let full = format!(".{}", message.full_name);
        Ok(if field.label() == Label::Repeated {
            format!("::prost::alloc::vec::Vec<{value}>")
        } else if self.index.is_boxed(&full, field) {
            format!("::core::option::Option<::prost::alloc::boxed::Box<{value}>>")
        } else if field.r#type() == Type::Message || field.proto3_optional() {
            format!("::core::option::Option<{value}>")
        } else {
            value
        })
    }

    /// The struct of `message` (at `depth` below the package's root), its
    /// module of nested types and its `prost::Name` impl.
    pub fn write_message(
        &self,
        message: &Message<'_>,
        messages: &[Message<'_>],
        depth: usize,
        out: &mut String,
    ) -> Result<(), String> {
        let d = message.descriptor;
        let name = to_upper_camel(d.name());
        let full = format!(".{}", message.full_name);
        if crate::hand_written_path(self.hand_written, &message.full_name) {
            // Written by hand, nested types included.
            return Ok(());
        }
        {
            doc_lines(&comment(message.file_descriptor, &message.path), out);
            let eq = if self.index.can_derive_eq(&full) {
                ", Eq, Hash"
            } else {
                ""
            };
            let _ = writeln!(out, "#[derive(Clone, PartialEq{eq})]\npub struct {name} {{");
            for (i, field) in d.field.iter().enumerate() {
                if field.oneof_index.is_some() && !field.proto3_optional() {
                    continue;
                }
                let mut path = message.path.clone();
                path.extend([MESSAGE_FIELDS, i as i32]);
                doc_lines(&comment(message.file_descriptor, &path), out);
                let _ = writeln!(
                    out,
                    "pub {}: {},",
                    to_snake(field.name()),
                    self.field_type(message, field, depth)?
                );
            }
            for (i, oneof) in real_oneofs(d) {
                let mut path = message.path.clone();
                path.extend([MESSAGE_ONEOFS, i as i32]);
                doc_lines(&comment(message.file_descriptor, &path), out);
                let _ = writeln!(
                    out,
                    "pub {}: ::core::option::Option<{}::{}>,",
                    to_snake(oneof.name()),
                    to_snake(d.name()),
                    crate::names::oneof_type(d, oneof.name())
                );
            }
            let _ = writeln!(
                out,
                "/// Fields this version of the schema does not know, kept as they arrived.\n\
                 pub unknown_fields: {}::UnknownFields,\n}}",
                at_depth(self.runtime, depth)
            );
        }

        // Nested messages, enums and oneofs.
        let prefix = format!("{}.", message.full_name);
        let nested: Vec<&Message<'_>> = messages
            .iter()
            .filter(|m| {
                m.full_name
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('.'))
            })
            .collect();
        let enums: Vec<&Enum<'_>> = self
            .enums
            .iter()
            .filter(|e| {
                e.full_name
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('.'))
            })
            .collect();
        let oneofs = real_oneofs(d);
        if !nested.is_empty() || !enums.is_empty() || !oneofs.is_empty() {
            let _ = writeln!(
                out,
                "/// Nested message and enum types in `{name}`.\npub mod {} {{",
                to_snake(d.name())
            );
            for m in nested {
                self.write_message(m, messages, depth + 1, out)?;
            }
            // The enum's doc examples name it from its message's module.
            let module: Vec<String> = message.nested_name.split('.').map(to_snake).collect();
            let docs = DocExamples {
                fence: self.docs.fence,
                module: format!("{}::{}", self.docs.module, module.join("::")),
            };
            for e in enums {
                out.push_str(&open_enums::open_enum_code(
                    e,
                    &at_depth(self.runtime, depth + 1),
                    &docs,
                )?);
            }
            for (i, oneof) in oneofs {
                self.write_oneof(message, i, oneof, depth + 1, out)?;
            }
            out.push_str("}\n");
        }

        {
            let _ = writeln!(
                out,
                "impl ::prost::Name for {name} {{\n\
                 const NAME: &'static str = {short:?};\n\
                 const PACKAGE: &'static str = {package:?};\n\
                 fn full_name() -> ::prost::alloc::string::String {{ {full_name:?}.into() }}\n\
                 fn type_url() -> ::prost::alloc::string::String {{ {url:?}.into() }}\n}}",
                short = d.name(),
                package = self.package,
                full_name = message.full_name,
                url = format!("type.googleapis.com/{}", message.full_name),
            );
        }
        Ok(())
    }

    /// A oneof's enum, in its message's module (`depth`).
    fn write_oneof(
        &self,
        message: &Message<'_>,
        index: usize,
        oneof: &prost_types::OneofDescriptorProto,
        depth: usize,
        out: &mut String,
    ) -> Result<(), String> {
        let d = message.descriptor;
        let full = format!(".{}", message.full_name);
        let members: Vec<(usize, &FieldDescriptorProto)> = d
            .field
            .iter()
            .enumerate()
            .filter(|(_, f)| f.oneof_index == Some(index as i32) && !f.proto3_optional())
            .collect();
        // prost's rules: `Copy` where every member is a plain number (our
        // messages never are `Copy`: they carry unknown fields), `Eq` and
        // `Hash` where every member allows them.
        let copy = members.iter().all(|(_, f)| {
            !matches!(
                f.r#type(),
                Type::String | Type::Bytes | Type::Message | Type::Group
            )
        });
        let eq = members
            .iter()
            .all(|(_, f)| self.index.can_field_derive_eq(&full, f));
        let mut path = message.path.clone();
        path.extend([MESSAGE_ONEOFS, index as i32]);
        doc_lines(&comment(message.file_descriptor, &path), out);
        let _ = writeln!(
            out,
            "#[derive(Clone, {}PartialEq, {}Debug)]\npub enum {} {{",
            if copy { "Copy, " } else { "" },
            if eq { "Eq, Hash, " } else { "" },
            crate::names::oneof_type(d, oneof.name())
        );
        for (i, field) in members {
            let mut path = message.path.clone();
            path.extend([MESSAGE_FIELDS, i as i32]);
            doc_lines(&comment(message.file_descriptor, &path), out);
            let mut value = self.value_type(message, field, depth)?;
            if self.index.is_boxed(&full, field) {
                value = format!("::prost::alloc::boxed::Box<{value}>");
            }
            let _ = writeln!(out, "{}({value}),", to_upper_camel(field.name()));
        }
        out.push_str("}\n");
        Ok(())
    }

    /// The top-level enums of the package and every message with its
    /// nested types.
    pub fn write_package(&self, messages: &[Message<'_>], out: &mut String) -> Result<(), String> {
        for message in messages.iter().filter(|m| !m.nested_name.contains('.')) {
            self.write_message(message, messages, 0, out)?;
        }
        for e in self.enums.iter().filter(|e| {
            e.full_name
                .strip_prefix(self.package)
                .map(|rest| rest.trim_start_matches('.'))
                .is_some_and(|rest| !rest.contains('.'))
                || (self.package.is_empty() && !e.full_name.contains('.'))
        }) {
            out.push_str(&open_enums::open_enum_code(e, self.runtime, self.docs)?);
        }
        Ok(())
    }
}

/// The oneofs of a message that are real (not a proto3 `optional`).
fn real_oneofs(d: &DescriptorProto) -> Vec<(usize, &prost_types::OneofDescriptorProto)> {
    d.oneof_decl
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            d.field
                .iter()
                .any(|f| f.oneof_index == Some(*i as i32) && !f.proto3_optional())
        })
        .collect()
}

/// `google.protobuf.NullValue`, for the package that defines it.
pub(crate) fn null_value() -> &'static str {
    "/// The JSON `null` as a protobuf value: its only value is `NULL_VALUE`.\n\
     #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]\n\
     #[repr(i32)]\n\
     pub enum NullValue {\n\
     /// The JSON `null`.\n\
     NullValue = 0,\n\
     }\n\
     impl NullValue {\n\
     /// The value's name in the `.proto` file.\n\
     pub fn as_str_name(&self) -> &'static str { match self { Self::NullValue => \"NULL_VALUE\" } }\n\
     /// The value with this `.proto` name.\n\
     pub fn from_str_name(value: &str) -> ::core::option::Option<Self> {\n\
     match value { \"NULL_VALUE\" => ::core::option::Option::Some(Self::NullValue), _ => ::core::option::Option::None }\n\
     }\n\
     }\n"
}
