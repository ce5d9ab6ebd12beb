//! The ProtoJSON `Serialize`/`Deserialize` impls of every message whose
//! JSON form is the regular one (an object of its fields), written as calls
//! into cancelwire's `field_kinds` runtime.
//!
//! pbjson-build is not used: its output has no run-time switch for unknown
//! fields, no field paths in errors, rejects `null` for scalar fields, and
//! cannot carry open enums.

use crate::names::{Resolver, nested_path, to_snake, to_upper_camel};
use crate::schema::{Message, is_map_entry};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FieldDescriptorProto};
use std::fmt::Write;

/// What the JSON of one package's messages needs to know.
pub(crate) struct Context<'a> {
    pub resolver: &'a Resolver<'a>,
    /// Messages whose struct is written by hand: (`.full.Name`, Rust path).
    pub hand_written: &'a [(String, String)],
    /// The package whose file the code goes into.
    pub package: &'a str,
    /// Full names (no leading dot) of the enums that are open newtypes.
    pub open_enums: &'a [String],
}

impl Context<'_> {
    fn error(&self, message: &Message<'_>, field: &FieldDescriptorProto, why: &str) -> String {
        format!(
            "{}: field {}.{}: {why}",
            message.file,
            message.full_name,
            field.name()
        )
    }

    /// The Rust path of the field's message type.
    fn message_path(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
    ) -> Result<String, String> {
        self.resolver
            .path(field.type_name(), self.package)
            .map_err(|e| self.error(message, field, &e))
    }

    /// The Rust path of the field's (open) enum type.
    fn enum_path(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
    ) -> Result<String, String> {
        self.resolver
            .path(field.type_name(), self.package)
            .map_err(|e| self.error(message, field, &e))
    }

    /// The key and value fields of the field's map entry, or `None` when the
    /// field is not a map.
    fn map_key_value<'a>(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
        owner: &'a DescriptorProto,
    ) -> Result<Option<(&'a FieldDescriptorProto, &'a FieldDescriptorProto)>, String> {
        let Some(entry) = map_entry(field, owner) else {
            return Ok(None);
        };
        match entry.field.as_slice() {
            [key, value] => Ok(Some((key, value))),
            _ => Err(self.error(message, field, "map entry is not a key and a value")),
        }
    }

    /// The `field_kinds` kind of one value of the field (ignoring
    /// `repeated`).
    fn value_kind(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
        owner: &DescriptorProto,
    ) -> Result<String, String> {
        Ok(match field.r#type() {
            Type::String => "field_kinds::Str".into(),
            Type::Bytes => "field_kinds::BytesKind".into(),
            Type::Bool => "field_kinds::Bool".into(),
            Type::Int32 | Type::Sint32 | Type::Sfixed32 => "field_kinds::I32".into(),
            Type::Uint32 | Type::Fixed32 => "field_kinds::U32".into(),
            Type::Int64 | Type::Sint64 | Type::Sfixed64 => "field_kinds::I64".into(),
            Type::Uint64 | Type::Fixed64 => "field_kinds::U64".into(),
            Type::Double => "field_kinds::F64".into(),
            Type::Float => "field_kinds::F32".into(),
            Type::Enum if field.type_name() == ".google.protobuf.NullValue" => {
                "field_kinds::NullKind".into()
            }
            Type::Enum => {
                let name = field.type_name().trim_start_matches('.');
                if !self.open_enums.iter().any(|e| e == name) && !is_extern(self, field) {
                    return Err(self.error(
                        message,
                        field,
                        &format!("enum {name} is not generated as an open enum"),
                    ));
                }
                format!("field_kinds::Enum<{}>", self.enum_path(message, field)?)
            }
            Type::Message if field.type_name() == ".google.protobuf.Value" => {
                "field_kinds::ValueMsg".into()
            }
            Type::Message => {
                if let Some((key, value)) = self.map_key_value(message, field, owner)? {
                    let key_kind = match key.r#type() {
                        Type::String => "StrKey",
                        Type::Bool => "BoolKey",
                        Type::Int32 | Type::Sint32 | Type::Sfixed32 => "I32Key",
                        Type::Uint32 | Type::Fixed32 => "U32Key",
                        Type::Int64 | Type::Sint64 | Type::Sfixed64 => "I64Key",
                        Type::Uint64 | Type::Fixed64 => "U64Key",
                        _ => return Err(self.error(message, field, "map key type is not allowed")),
                    };
                    return Ok(format!(
                        "field_kinds::Map<field_kinds::{key_kind}, {}>",
                        self.value_kind(message, value, owner)?
                    ));
                }
                format!("field_kinds::Msg<{}>", self.message_path(message, field)?)
            }
            Type::Group => return Err(self.error(message, field, "groups have no proto3 form")),
        })
    }

    /// The `WireKind` of one value of the field, for printing from the wire
    /// (`field_kinds::WireKind`; `Other` where that printer gives up).
    fn wire_kind(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
        owner: &DescriptorProto,
    ) -> Result<String, String> {
        let simple = |name: &str| Ok(format!("field_kinds::WireKind::{name}"));
        match field.r#type() {
            Type::String => simple("Str"),
            Type::Bytes => simple("Bytes"),
            Type::Bool => simple("Bool"),
            Type::Int32 => simple("Int32"),
            Type::Sint32 => simple("Sint32"),
            Type::Sfixed32 => simple("Sfixed32"),
            Type::Uint32 => simple("Uint32"),
            Type::Fixed32 => simple("Fixed32"),
            Type::Int64 => simple("Int64"),
            Type::Sint64 => simple("Sint64"),
            Type::Sfixed64 => simple("Sfixed64"),
            Type::Uint64 => simple("Uint64"),
            Type::Fixed64 => simple("Fixed64"),
            Type::Double | Type::Float => simple("Other"),
            Type::Enum if field.type_name() == ".google.protobuf.NullValue" => simple("Other"),
            Type::Enum => Ok(format!(
                "field_kinds::WireKind::Enum(field_kinds::enum_name::<{}>)",
                self.enum_path(message, field)?
            )),
            Type::Message if field.type_name() == ".google.protobuf.Value" => simple("Other"),
            Type::Message => {
                if let Some((key, value)) = self.map_key_value(message, field, owner)? {
                    return Ok(format!(
                        "field_kinds::WireKind::Map(&{}, &{})",
                        self.wire_kind(message, key, owner)?,
                        self.wire_kind(message, value, owner)?
                    ));
                }
                Ok(format!(
                    "field_kinds::WireKind::Message(<{} as field_kinds::WireJson>::wire_form)",
                    self.message_path(message, field)?
                ))
            }
            Type::Group => Err(self.error(message, field, "groups have no proto3 form")),
        }
    }

    /// The kind of the whole field, `repeated` included (maps are repeated
    /// entries on the wire but one object in JSON).
    fn field_kind(
        &self,
        message: &Message<'_>,
        field: &FieldDescriptorProto,
    ) -> Result<String, String> {
        let owner = message.descriptor;
        let kind = self.value_kind(message, field, owner)?;
        if field.label() == Label::Repeated && map_entry(field, owner).is_none() {
            Ok(format!("field_kinds::Repeated<{kind}>"))
        } else {
            Ok(kind)
        }
    }
}

/// Whether an enum field's type comes from an extern path (another crate
/// generated by cancelwire-build, or cancelwire itself).
fn is_extern(context: &Context<'_>, field: &FieldDescriptorProto) -> bool {
    context.resolver.is_extern(field.type_name())
}

/// `text` as a JSON string, escaped as serde_json escapes (a `json_name`
/// option may hold any text).
fn json_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn map_entry<'a>(
    field: &FieldDescriptorProto,
    owner: &'a DescriptorProto,
) -> Option<&'a DescriptorProto> {
    let entry_name = field.type_name().rsplit('.').next()?;
    owner
        .nested_type
        .iter()
        .find(|n| n.name() == entry_name && is_map_entry(n))
}

/// The Rust path of a hand-written message, or of a message nested in one
/// (`crate::rpc::QuotaFailure` holds `crate::rpc::quota_failure::Violation`).
fn hand_written_path(hand_written: &[(String, String)], dotted: &str) -> Option<String> {
    hand_written.iter().find_map(|(proto, rust)| {
        let rest = dotted.strip_prefix(proto.as_str())?;
        if rest.is_empty() {
            return Some(rust.clone());
        }
        let rest = rest.strip_prefix('.')?;
        let (module, name) = rust.rsplit_once("::")?;
        Some(format!(
            "{module}::{}::{}",
            to_snake(name),
            nested_path(rest)
        ))
    })
}

/// How a field is stored in the prost struct.
enum Storage {
    /// A plain value, printed when `is_set` (not the default).
    Plain { is_set: String },
    /// `Option<T>`: a message field or a proto3 `optional` scalar. prost
    /// boxes recursive message fields; `Borrow` and `Into` take both.
    Optional,
    /// A member of a real oneof.
    Oneof {
        field: String,
        oneof_name: String,
        variant: String,
    },
}

fn storage(
    field: &FieldDescriptorProto,
    message: &Message<'_>,
    local_prefix: &str,
) -> Result<Storage, String> {
    let d = message.descriptor;
    if let Some(index) = field.oneof_index {
        if !field.proto3_optional() {
            let oneof = d.oneof_decl.get(index as usize).ok_or_else(|| {
                format!(
                    "{}: {}: bad oneof index of field {}",
                    message.file,
                    message.full_name,
                    field.name()
                )
            })?;
            let module: Vec<String> = message.nested_name.split('.').map(to_snake).collect();
            return Ok(Storage::Oneof {
                field: to_snake(oneof.name()),
                oneof_name: oneof.name().to_owned(),
                variant: format!(
                    "{}{}::{}::{}",
                    local_prefix,
                    module.join("::"),
                    crate::names::oneof_type(d, oneof.name()),
                    to_upper_camel(field.name())
                ),
            });
        }
        return Ok(Storage::Optional);
    }
    let name = format!("self.{}", to_snake(field.name()));
    if field.label() == Label::Repeated {
        return Ok(Storage::Plain {
            is_set: format!("!{name}.is_empty()"),
        });
    }
    Ok(match field.r#type() {
        Type::Message => Storage::Optional,
        Type::String | Type::Bytes => Storage::Plain {
            is_set: format!("!{name}.is_empty()"),
        },
        Type::Bool => Storage::Plain { is_set: name },
        // -0.0 is not the default: the reference prints and encodes it.
        Type::Double | Type::Float => Storage::Plain {
            is_set: format!("{name}.to_bits() != 0"),
        },
        _ => Storage::Plain {
            is_set: format!("{name} != 0"),
        },
    })
}

/// The impls of one message.
pub(crate) fn write_message(
    context: &Context<'_>,
    message: &Message<'_>,
    out: &mut String,
) -> Result<(), String> {
    let d = message.descriptor;
    let dotted = format!(".{}", message.full_name);
    let ty = hand_written_path(context.hand_written, &dotted).unwrap_or_else(|| {
        format!(
            "{}{}",
            context.resolver.local_prefix,
            nested_path(&message.nested_name)
        )
    });
    let full = &message.full_name;
    let mut fields: Vec<&FieldDescriptorProto> = d.field.iter().collect();
    fields.sort_by_key(|f| f.number());
    let fmt_error = |e: std::fmt::Error| e.to_string();

    // Serialize: fields in number order, defaults omitted.
    let mut ser = String::new();
    for field in &fields {
        let kind = context.field_kind(message, field)?;
        let (json, proto) = (field.json_name(), field.name());
        let rust = to_snake(field.name());
        let write = format!("field_kinds::write_field::<{kind}, _>(&mut map, {json:?}, {proto:?}");
        match storage(field, message, context.resolver.local_prefix)? {
            Storage::Plain { is_set } => writeln!(
                ser,
                "        if {is_set} {{ {write}, &self.{rust})?; }}"
            ),
            Storage::Optional => writeln!(
                ser,
                "        if let ::core::option::Option::Some(value) = &self.{rust} {{ {write}, ::core::borrow::Borrow::borrow(value))?; }}"
            ),
            Storage::Oneof {
                field: oneof_field,
                variant,
                ..
            } => writeln!(
                ser,
                "        if let ::core::option::Option::Some({variant}(value)) = &self.{oneof_field} {{ {write}, ::core::borrow::Borrow::borrow(value))?; }}"
            ),
        }
        .map_err(fmt_error)?;
    }

    // The table for printing from the wire: the same fields and order.
    let mut wire = String::new();
    for field in &fields {
        let kind = context.wire_kind(message, field, d)?;
        let presence = match storage(field, message, context.resolver.local_prefix)? {
            Storage::Plain { .. } if field.label() == Label::Repeated => "Repeated".to_owned(),
            Storage::Plain { .. } => "Implicit".to_owned(),
            Storage::Optional => "Explicit".to_owned(),
            // Past 255 oneofs the printer gives up on the field.
            Storage::Oneof { .. } => {
                format!(
                    "Oneof({})",
                    u8::try_from(field.oneof_index()).unwrap_or(u8::MAX)
                )
            }
        };
        let key = format!("{}:", json_string(field.json_name()));
        writeln!(
            wire,
            "            field_kinds::WireField {{ number: {}, key: field_kinds::WireKey::new({key:?}), kind: {kind}, presence: field_kinds::Presence::{presence} }},",
            field.number()
        )
        .map_err(fmt_error)?;
    }

    // Deserialize: each field under its json_name or proto name, once.
    let mut arms = String::new();
    let mut oneofs: Vec<String> = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let kind = context.field_kind(message, field)?;
        let (json, proto) = (field.json_name(), field.name());
        let rust = to_snake(field.name());
        let pattern = if json == proto {
            format!("{proto:?}")
        } else {
            format!("{json:?} | {proto:?}")
        };
        let read = format!("field_kinds::read_field::<{kind}, _>(&mut map, {proto:?})?");
        let body = match storage(field, message, context.resolver.local_prefix)? {
            Storage::Plain { .. } => {
                format!(
                    "if let ::core::option::Option::Some(value) = {read} {{ message.{rust} = value; }}"
                )
            }
            Storage::Optional => {
                format!("message.{rust} = {read}.map(::core::convert::Into::into);")
            }
            Storage::Oneof {
                field: oneof_field,
                oneof_name,
                variant,
            } => {
                if !oneofs.contains(&oneof_field) {
                    oneofs.push(oneof_field.clone());
                }
                format!(
                    "if let ::core::option::Option::Some(value) = {read} {{ field_kinds::oneof_once(&mut oneof_{}, {oneof_name:?}, {proto:?})?; message.{oneof_field} = ::core::option::Option::Some({variant}(::core::convert::Into::into(value))); }}",
                    oneof_field.trim_start_matches("r#")
                )
            }
        };
        writeln!(
            arms,
            "                    {pattern} => {{ field_kinds::first_time(&mut seen[{index}], {proto:?})?; {body} }}"
        )
        .map_err(fmt_error)?;
    }
    let oneof_state: String = oneofs
        .iter()
        .map(|o| {
            format!(
                "                let mut oneof_{}: ::core::option::Option<&'static str> = ::core::option::Option::None;\n",
                o.trim_start_matches("r#")
            )
        })
        .collect();
    let count = fields.len();
    let dispatch = if count == 0 {
        format!("                    field_kinds::unknown_field(&mut map, &key, {full:?})?;")
    } else {
        format!(
            "                    match key.as_ref() {{\n{arms}                        other => field_kinds::unknown_field(&mut map, other, {full:?})?,\n                    }}"
        )
    };
    let seen = if count == 0 {
        String::new()
    } else {
        format!("                let mut seen = [false; {count}];\n")
    };

    write!(
        out,
        r#"impl serde::Serialize for {ty} {{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {{
        use serde::ser::SerializeMap;
        field_kinds::message_ser::<Self, _, _>(|| {{
        #[allow(unused_mut)]
        let mut map = serializer.serialize_map(None)?;
{ser}        map.end()
        }})
    }}
}}

impl field_kinds::WireJson for {ty} {{
    fn wire_form() -> &'static field_kinds::WireForm {{
        static FORM: field_kinds::WireForm = field_kinds::WireForm::Fields(&[
{wire}        ]);
        &FORM
    }}
}}

impl<'de> serde::Deserialize<'de> for {ty} {{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {{
        struct MessageVisitor;
        impl<'de> serde::de::Visitor<'de> for MessageVisitor {{
            type Value = {ty};
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
                field_kinds::expect_object(f, {full:?})
            }}
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<{ty}, A::Error> {{
                field_kinds::message_de::<{ty}, _, _>(move || {{
                #[allow(unused_mut)]
                let mut message = <{ty} as ::core::default::Default>::default();
{seen}{oneof_state}                while let ::core::option::Option::Some(field_kinds::Key(key)) = map.next_key()? {{
{dispatch}
                }}
                ::core::result::Result::Ok(message)
                }})
            }}
        }}
        deserializer.deserialize_map(MessageVisitor)
    }}
}}

"#
    )
    .map_err(fmt_error)
}
