//! The binary codec of every generated message: its `prost::Message`,
//! `Default` and `Debug` impls, written here instead of prost's derive so
//! that each message keeps its unknown fields and encodes as the reference
//! does (fields in number order, oneof members at their own numbers, an
//! implicit-presence float written when its bits are not zero).
//!
//! Decoding and lengths go through prost's public `encoding` functions, as
//! the derive's code does, with keys and nesting through the runtime's
//! `wire` module, which reads keys as strictly as the reference. Encoding
//! writes each key as bytes worked out here and each value through
//! `wire::put_*`, maps through `wire::encode_map` (every entry with its key and
//! value, in the reference's order), packed fields through prost.

use crate::names::{Resolver, nested_path, to_snake, to_upper_camel};
use crate::schema::{Message, is_map_entry};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FieldDescriptorProto};
use std::fmt::Write;

/// prost's `encoding` module of a scalar type (enums are `int32`).
fn scalar_module(field: &FieldDescriptorProto) -> Option<&'static str> {
    Some(match field.r#type() {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 | Type::Enum => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
        Type::Message | Type::Group => return None,
    })
}

fn map_entry<'a>(
    field: &FieldDescriptorProto,
    owner: &'a DescriptorProto,
) -> Option<&'a DescriptorProto> {
    if field.label() != Label::Repeated {
        return None;
    }
    let entry_name = field.type_name().rsplit('.').next()?;
    owner
        .nested_type
        .iter()
        .find(|n| n.name() == entry_name && is_map_entry(n))
}

/// The three pieces of one field: encode, merge, encoded length.
struct FieldCode {
    encode: String,
    merge: String,
    len: String,
    /// Forgets the unknown fields of the messages the field holds.
    discard: String,
}

const ENC: &str = "::prost::encoding";

/// The call that merges one singular scalar of `field` into `value` (an
/// expression of type `&mut T`): varints through the runtime's inlined
/// `wire::merge_*`, the rest through prost.
fn merge_one(field: &FieldDescriptorProto, module: &str, wire: &str, value: &str) -> String {
    match field.r#type() {
        Type::Int32
        | Type::Enum
        | Type::Int64
        | Type::Uint32
        | Type::Uint64
        | Type::Sint32
        | Type::Sint64
        | Type::Bool => format!("{wire}::merge_{module}(wire_type, {value}, buf)"),
        _ => format!("{ENC}::{module}::merge(wire_type, {value}, buf, ctx)"),
    }
}

/// The wire type of `field`'s values (not packed).
fn wire_type(field: &FieldDescriptorProto) -> u64 {
    match field.r#type() {
        Type::Double | Type::Fixed64 | Type::Sfixed64 => 1,
        Type::String | Type::Bytes | Type::Message => 2,
        Type::Group => 3,
        Type::Float | Type::Fixed32 | Type::Sfixed32 => 5,
        _ => 0,
    }
}

/// The bytes of `field`'s key as a slice expression, so that the generated
/// code writes them without working them out each time.
fn key_bytes(field: &FieldDescriptorProto) -> String {
    let mut key = (u64::from(field.number().unsigned_abs()) << 3) | wire_type(field);
    let mut bytes = Vec::new();
    while key >= 0x80 {
        bytes.push((key & 0x7f) as u8 | 0x80);
        key >>= 7;
    }
    bytes.push(key as u8);
    format!("&{bytes:?}")
}

/// The statements that write one value of `field` (`value`, an expression
/// of type `&T`) with its key, through the runtime's `wire::put_*`.
fn encode_one(field: &FieldDescriptorProto, wire: &str, value: &str) -> String {
    let put = scalar_module(field).unwrap_or("message");
    format!(
        "{wire}::put_key({}, buf); {wire}::put_{put}({value}, buf)",
        key_bytes(field)
    )
}

fn field_code(
    message: &Message<'_>,
    field: &FieldDescriptorProto,
    wire: &str,
    local_prefix: &str,
) -> Result<FieldCode, String> {
    let d = message.descriptor;
    let tag = field.number();
    let rust = to_snake(field.name());
    let error_context = format!(
        ".map_err(|mut error| {{ error.push({:?}, {:?}); error }})",
        to_upper_camel(d.name()),
        rust.trim_start_matches("r#")
    );
    let fail = |why: &str| {
        format!(
            "{}: field {}.{}: {why}",
            message.file,
            message.full_name,
            field.name()
        )
    };

    if let Some(entry) = map_entry(field, d) {
        let [key, value] = entry.field.as_slice() else {
            return Err(fail("map entry is not a key and a value"));
        };
        let key_module = scalar_module(key).ok_or_else(|| fail("map key type is not allowed"))?;
        let (value_merge, value_encode, value_len) = match scalar_module(value) {
            Some(module) => (
                format!("{ENC}::{module}::merge"),
                format!("{ENC}::{module}::encode"),
                format!("{ENC}::{module}::encoded_len"),
            ),
            None => (
                format!("{wire}::merge_message"),
                format!("{ENC}::message::encode"),
                format!("{ENC}::message::encoded_len"),
            ),
        };
        return Ok(FieldCode {
            encode: format!(
                "{wire}::encode_map({tag}, &self.{rust}, ({ENC}::{key_module}::encode, {ENC}::{key_module}::encoded_len), ({value_encode}, {value_len}), buf);"
            ),
            merge: format!(
                "{wire}::merge_map_entry(wire_type, &mut self.{rust}, buf, ctx, {ENC}::{key_module}::merge, {value_merge}){error_context}"
            ),
            len: format!(
                "{wire}::encoded_len_map({tag}, &self.{rust}, {ENC}::{key_module}::encoded_len, {value_len})"
            ),
            discard: if scalar_module(value).is_none() {
                format!(
                    "for value in self.{rust}.values_mut() {{ value.discard_unknown_fields(); }}"
                )
            } else {
                String::new()
            },
        });
    }

    let is_message = matches!(field.r#type(), Type::Message);
    if field.r#type() == Type::Group {
        return Err(fail("groups have no proto3 form"));
    }

    // A member of a real oneof.
    if let Some(index) = field.oneof_index.filter(|_| !field.proto3_optional()) {
        let oneof = d
            .oneof_decl
            .get(index as usize)
            .ok_or_else(|| fail("bad oneof index"))?;
        let module: Vec<String> = message.nested_name.split('.').map(to_snake).collect();
        let variant = format!(
            "{local_prefix}{}::{}::{}",
            module.join("::"),
            crate::names::oneof_type(d, oneof.name()),
            to_upper_camel(field.name())
        );
        let oneof_field = to_snake(oneof.name());
        let (encode, merge, len) = match scalar_module(field) {
            Some(module) => (
                encode_one(field, wire, "value"),
                merge_one(field, module, wire, "value"),
                format!("{ENC}::{module}::encoded_len({tag}, value)"),
            ),
            None => (
                encode_one(field, wire, "value"),
                format!("{wire}::merge_message(wire_type, value, buf, ctx)"),
                format!("{ENC}::message::encoded_len({tag}, value)"),
            ),
        };
        return Ok(FieldCode {
            encode: format!(
                "if let ::core::option::Option::Some({variant}(value)) = &self.{oneof_field} {{ {encode}; }}"
            ),
            merge: format!(
                "match &mut self.{oneof_field} {{\n\
                 ::core::option::Option::Some({variant}(value)) => {merge},\n\
                 _ => {{ let mut owned = ::core::default::Default::default(); let value = &mut owned; let result = {merge}; \
                 self.{oneof_field} = ::core::option::Option::Some({variant}(owned)); result }}\n\
                 }}{error_context}"
            ),
            len: format!(
                "if let ::core::option::Option::Some({variant}(value)) = &self.{oneof_field} {{ {len} }} else {{ 0 }}"
            ),
            discard: if is_message {
                format!(
                    "if let ::core::option::Option::Some({variant}(value)) = &mut self.{oneof_field} {{ value.discard_unknown_fields(); }}"
                )
            } else {
                String::new()
            },
        });
    }

    if field.label() == Label::Repeated {
        return Ok(match scalar_module(field) {
            Some(module) => {
                let packable = !matches!(field.r#type(), Type::String | Type::Bytes);
                let packed =
                    packable && field.options.as_ref().and_then(|o| o.packed) != Some(false);
                let len = if packed {
                    "encoded_len_packed"
                } else {
                    "encoded_len_repeated"
                };
                FieldCode {
                    encode: if packed {
                        format!("{ENC}::{module}::encode_packed({tag}, &self.{rust}, buf);")
                    } else {
                        format!(
                            "for value in &self.{rust} {{ {}; }}",
                            encode_one(field, wire, "value")
                        )
                    },
                    merge: format!(
                        "{ENC}::{module}::merge_repeated(wire_type, &mut self.{rust}, buf, ctx){error_context}"
                    ),
                    len: format!("{ENC}::{module}::{len}({tag}, &self.{rust})"),
                    discard: String::new(),
                }
            }
            None => FieldCode {
                encode: format!(
                    "for value in &self.{rust} {{ {}; }}",
                    encode_one(field, wire, "value")
                ),
                merge: format!(
                    "{wire}::merge_repeated_message(wire_type, &mut self.{rust}, buf, ctx){error_context}"
                ),
                len: format!("{ENC}::message::encoded_len_repeated({tag}, &self.{rust})"),
                discard: format!(
                    "for value in &mut self.{rust} {{ value.discard_unknown_fields(); }}"
                ),
            },
        });
    }

    // A message field, or a proto3 `optional` scalar: `Option<T>`.
    if is_message || field.proto3_optional() {
        let (encode, merge, len) = match scalar_module(field) {
            Some(module) => (
                encode_one(field, wire, "value"),
                merge_one(
                    field,
                    module,
                    wire,
                    &format!("self.{rust}.get_or_insert_with(::core::default::Default::default)"),
                ),
                format!("{ENC}::{module}::encoded_len({tag}, value)"),
            ),
            None => (
                encode_one(field, wire, "value"),
                format!(
                    "{wire}::merge_message(wire_type, self.{rust}.get_or_insert_with(::core::default::Default::default), buf, ctx)"
                ),
                format!("{ENC}::message::encoded_len({tag}, value)"),
            ),
        };
        return Ok(FieldCode {
            encode: format!(
                "if let ::core::option::Option::Some(value) = &self.{rust} {{ {encode}; }}"
            ),
            merge: format!("{merge}{error_context}"),
            len: format!(
                "if let ::core::option::Option::Some(value) = &self.{rust} {{ {len} }} else {{ 0 }}"
            ),
            discard: if is_message {
                format!(
                    "if let ::core::option::Option::Some(value) = &mut self.{rust} {{ value.discard_unknown_fields(); }}"
                )
            } else {
                String::new()
            },
        });
    }

    // An implicit-presence scalar: written unless it is the default.
    let module = scalar_module(field).ok_or_else(|| fail("unexpected field type"))?;
    let is_set = match field.r#type() {
        Type::String | Type::Bytes => format!("!self.{rust}.is_empty()"),
        Type::Bool => format!("self.{rust}"),
        // -0.0 is not the default: the reference encodes it.
        Type::Double | Type::Float => format!("self.{rust}.to_bits() != 0"),
        _ => format!("self.{rust} != 0"),
    };
    Ok(FieldCode {
        encode: format!(
            "if {is_set} {{ {}; }}",
            encode_one(field, wire, &format!("&self.{rust}"))
        ),
        merge: format!(
            "{}{error_context}",
            merge_one(field, module, wire, &format!("&mut self.{rust}"))
        ),
        len: format!(
            "if {is_set} {{ {ENC}::{module}::encoded_len({tag}, &self.{rust}) }} else {{ 0 }}"
        ),
        discard: String::new(),
    })
}

/// The `Message`, `Default` and `Debug` impls of one message.
pub(crate) fn write_message(
    resolver: &Resolver<'_>,
    runtime: &str,
    message: &Message<'_>,
    out: &mut String,
) -> Result<(), String> {
    let d = message.descriptor;
    let ty = format!(
        "{}{}",
        resolver.local_prefix,
        nested_path(&message.nested_name)
    );
    let wire = format!("{runtime}::__private::wire");
    let mut fields: Vec<&FieldDescriptorProto> = d.field.iter().collect();
    fields.sort_by_key(|f| f.number());
    let fmt_error = |e: std::fmt::Error| e.to_string();

    let mut encode = String::new();
    let mut merge = String::new();
    let mut len = String::new();
    let mut discard = String::new();
    for field in &fields {
        let code = field_code(message, field, &wire, resolver.local_prefix)?;
        if !code.discard.is_empty() {
            writeln!(discard, "        {}", code.discard).map_err(fmt_error)?;
        }
        writeln!(encode, "        {}", code.encode).map_err(fmt_error)?;
        writeln!(merge, "            {} => {},", field.number(), code.merge).map_err(fmt_error)?;
        writeln!(len, "            + {}", code.len).map_err(fmt_error)?;
    }

    // Default and Debug: every struct field, oneofs once.
    let mut members: Vec<String> = Vec::new();
    for field in &fields {
        let name = match field.oneof_index.filter(|_| !field.proto3_optional()) {
            Some(index) => d
                .oneof_decl
                .get(index as usize)
                .map(|o| to_snake(o.name()))
                .unwrap_or_default(),
            None => to_snake(field.name()),
        };
        if !members.contains(&name) {
            members.push(name);
        }
    }
    let defaults: String = members
        .iter()
        .map(|m| format!("            {m}: ::core::default::Default::default(),\n"))
        .collect();
    let debug_fields: String = members
        .iter()
        .map(|m| {
            format!(
                "        debug.field({:?}, &self.{m});\n",
                m.trim_start_matches("r#")
            )
        })
        .collect();
    let name = to_upper_camel(d.name());

    write!(
        out,
        r#"impl ::prost::Message for {ty} {{
    fn encode_raw(&self, buf: &mut impl ::prost::bytes::BufMut) {{
{encode}        self.unknown_fields.encode_raw(buf);
    }}

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: {ENC}::WireType,
        buf: &mut impl ::prost::bytes::Buf,
        ctx: {ENC}::DecodeContext,
    ) -> ::core::result::Result<(), ::prost::DecodeError> {{
        match tag {{
{merge}            _ => self.unknown_fields.merge_field(tag, wire_type, buf, ctx),
        }}
    }}

    fn merge(&mut self, mut buf: impl ::prost::bytes::Buf) -> ::core::result::Result<(), ::prost::DecodeError> {{
        {wire}::merge_top(self, &mut buf)
    }}

    fn merge_length_delimited(&mut self, mut buf: impl ::prost::bytes::Buf) -> ::core::result::Result<(), ::prost::DecodeError> {{
        {wire}::merge_message({ENC}::WireType::LengthDelimited, self, &mut buf, ::core::default::Default::default())
    }}

    // Inlined, as prost's derive does: it runs once per message and
    // nesting level, often for a few fields.
    #[inline]
    fn encoded_len(&self) -> usize {{
        0
{len}            + self.unknown_fields.encoded_len()
    }}

    fn clear(&mut self) {{
        *self = ::core::default::Default::default();
    }}
}}

impl {ty} {{
    /// Forgets the unknown fields of this message and of every message in
    /// it, as if they had never arrived.
    pub fn discard_unknown_fields(&mut self) {{
        self.unknown_fields.clear();
{discard}    }}
}}

impl ::core::default::Default for {ty} {{
    fn default() -> Self {{
        Self {{
{defaults}            unknown_fields: ::core::default::Default::default(),
        }}
    }}
}}

impl ::core::fmt::Debug for {ty} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
        let mut debug = f.debug_struct({name:?});
{debug_fields}        if !self.unknown_fields.is_empty() {{
            debug.field("unknown_fields", &self.unknown_fields);
        }}
        debug.finish()
    }}
}}

"#
    )
    .map_err(fmt_error)
}
