//! The open enum newtypes: one `__open_enum!` invocation per enum, written
//! from its descriptor, with its ProtoJSON impls.

use crate::names::to_upper_camel;
use crate::schema::Enum;
use heck::ToShoutySnakeCase;

/// prost's rule for constant names: the value name without the enum's name
/// in SCREAMING_SNAKE_CASE as a prefix, where what is left is still an
/// identifier.
pub(crate) fn constant_name(enum_name: &str, value_name: &str) -> String {
    let prefix = format!("{}_", enum_name.to_shouty_snake_case());
    match value_name.strip_prefix(&prefix) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_alphabetic()) => rest.to_owned(),
        _ => value_name.to_owned(),
    }
}

/// Names every open enum defines itself.
const RESERVED_CONSTANTS: &[&str] = &["KNOWN", "PROTO_NAME"];

/// The constant of a value: [`constant_name`], with `_` after it where
/// that is a name every open enum defines itself (`KNOWN_`), as prost-build
/// puts `_` after names Rust reserves.
fn value_constant(enum_name: &str, value_name: &str) -> String {
    let name = constant_name(enum_name, value_name);
    if RESERVED_CONSTANTS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// How the doc examples of a generated enum are written.
pub(crate) struct DocExamples<'a> {
    /// The opening fence: "```" to run them, "```ignore" where the module
    /// the enum ends up in is not known.
    pub fence: &'a str,
    /// The public Rust module the enum is exported from.
    pub module: String,
}

/// Doc lines that show `code` as a runnable example (or an ignored one
/// where the enum's public module is not known).
fn example(docs: &DocExamples<'_>, code: &[String]) -> String {
    let mut out = format!("///\n/// {}\n", docs.fence);
    for line in code {
        out.push_str(&format!("/// {line}\n"));
    }
    out.push_str("/// ```\n");
    out
}

/// The code of one open enum: a newtype over `i32` with a constant per
/// value, like `http::StatusCode`, so a number this version does not know
/// survives decoding, printing and parsing.
pub(crate) fn open_enum_code(
    e: &Enum<'_>,
    runtime: &str,
    docs: &DocExamples<'_>,
) -> Result<String, String> {
    let d = e.descriptor;
    let name = to_upper_camel(d.name());
    let full = &e.full_name;
    let values: Vec<(String, i32, &str, &String)> = d
        .value
        .iter()
        .zip(&e.value_comments)
        .map(|(v, comment)| {
            (
                value_constant(d.name(), v.name()),
                v.number(),
                v.name(),
                comment,
            )
        })
        .collect();
    for (konst, _, text, _) in &values {
        if !konst.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Err(format!(
                "{}: enum {full}: value {text} is not a Rust identifier",
                e.file
            ));
        }
    }
    let (konst, _, text, _) = values
        .get(1)
        .or(values.first())
        .ok_or_else(|| format!("{}: enum {full} has no values", e.file))?;
    let unknown = (1000..)
        .find(|n| values.iter().all(|(_, number, _, _)| number != n))
        .ok_or_else(|| format!("{}: enum {full} uses every number", e.file))?;
    let module = &docs.module;
    let import = format!("use {module}::{name};");

    let mut out = String::new();
    crate::rust_types::doc_lines(&e.comments, &mut out);
    if !e.comments.is_empty() {
        out.push_str("///\n");
    }
    out.push_str(&format!(
        "/// `{full}` as an open enum:\n\
         /// any `i32` is kept, and a number this version does not know prints as the number.\n"
    ));
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            String::new(),
            format!("assert_eq!({name}::{konst}.to_string(), {text:?});"),
            format!("assert_eq!({text:?}.parse(), Ok({name}::{konst}));"),
            format!("let newer = {name}::from_i32({unknown});"),
            format!("assert_eq!(newer.to_string(), \"{unknown}\");"),
            "assert!(!newer.is_known());".into(),
        ],
    ));
    out.push_str(&format!(
        "#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]\n\
         pub struct {name}(i32);\n\n\
         // Constants keep the `.proto` value names, which are not always upper case.\n\
         #[allow(non_upper_case_globals)]\n\
         impl {name} {{\n"
    ));
    for (konst, number, _, comment) in &values {
        crate::rust_types::doc_lines(comment, &mut out);
        out.push_str(&format!("pub const {konst}: Self = Self({number});\n"));
    }
    let known: Vec<String> = values.iter().map(|(k, ..)| format!("Self::{k}")).collect();
    out.push_str("/// Every known value, in the order of the `.proto` definition.\n");
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            format!("assert!({name}::KNOWN.contains(&{name}::{konst}));"),
        ],
    ));
    out.push_str(&format!(
        "pub const KNOWN: &'static [Self] = &[{}];\n",
        known.join(", ")
    ));
    out.push_str("/// Full protobuf name of this enum.\n");
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            format!("assert_eq!({name}::PROTO_NAME, {full:?});"),
        ],
    ));
    out.push_str(&format!("pub const PROTO_NAME: &'static str = {full:?};\n"));
    out.push_str("/// Wraps any number, known or not.\n");
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            format!("let number = {name}::{konst}.as_i32();"),
            format!("assert_eq!({name}::from_i32(number), {name}::{konst});"),
            format!("assert!(!{name}::from_i32(-7).is_known());"),
        ],
    ));
    out.push_str("pub const fn from_i32(value: i32) -> Self {\nSelf(value)\n}\n");
    out.push_str("/// The number carried on the wire.\n");
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            format!("assert_eq!({name}::from_i32(1234).as_i32(), 1234);"),
        ],
    ));
    out.push_str("pub const fn as_i32(self) -> i32 {\nself.0\n}\n");
    out.push_str(
        "/// The name of the value in the `.proto` file, or `None` for a number this\n\
         /// version does not know.\n",
    );
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            format!("let name = {name}::{konst}.as_str_name();"),
            format!("assert_eq!(name, Some({text:?}));"),
            format!("assert_eq!({name}::from_i32({unknown}).as_str_name(), None);"),
        ],
    ));
    // Aliases share a number: the first name is the one printed.
    let mut numbers: Vec<i32> = Vec::new();
    let mut by_number = String::new();
    for (_, number, text, _) in &values {
        if !numbers.contains(number) {
            numbers.push(*number);
            by_number.push_str(&format!(
                "{number} => ::core::option::Option::Some({text:?}),\n"
            ));
        }
    }
    out.push_str(&format!(
        "pub const fn as_str_name(self) -> ::core::option::Option<&'static str> {{\n\
         match self.0 {{\n{by_number}_ => ::core::option::Option::None,\n}}\n}}\n"
    ));
    out.push_str("/// The value with this exact `.proto` name (names are case-sensitive).\n");
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            format!("let value = {name}::from_str_name({text:?});"),
            format!("assert_eq!(value, Some({name}::{konst}));"),
            format!("assert_eq!({name}::from_str_name(\"{text}_x\"), None);"),
        ],
    ));
    let by_name: String = values
        .iter()
        .map(|(konst, _, text, _)| {
            format!("{text:?} => ::core::option::Option::Some(Self::{konst}),\n")
        })
        .collect();
    out.push_str(&format!(
        "pub fn from_str_name(name: &str) -> ::core::option::Option<Self> {{\n\
         match name {{\n{by_name}_ => ::core::option::Option::None,\n}}\n}}\n"
    ));
    out.push_str("/// Whether the number is one of the values this version knows.\n");
    out.push_str(&example(
        docs,
        &[
            import.clone(),
            format!("assert!({name}::{konst}.is_known());"),
            format!("assert!(!{name}::from_i32(i32::MAX).is_known());"),
        ],
    ));
    out.push_str("pub const fn is_known(self) -> bool {\nself.as_str_name().is_some()\n}\n}\n\n");
    out.push_str(&format!(
        r#"/// Prints the name, or the number when it is not known.
impl ::core::fmt::Display for {name} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
        match self.as_str_name() {{
            ::core::option::Option::Some(name) => f.write_str(name),
            ::core::option::Option::None => ::core::fmt::Display::fmt(&self.0, f),
        }}
    }}
}}

/// Shows the constant's name, or the raw number for an unknown value.
impl ::core::fmt::Debug for {name} {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
        match self.as_str_name() {{
            ::core::option::Option::Some(name) => write!(f, "{name}::{{name}}"),
            ::core::option::Option::None => write!(f, "{name}({{}})", self.0),
        }}
    }}
}}

/// Parses a `.proto` name or a decimal number (any `i32`).
impl ::core::str::FromStr for {name} {{
    type Err = {runtime}::UnknownEnumName;

    fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {{
        if let ::core::option::Option::Some(known) = Self::from_str_name(text) {{
            return ::core::result::Result::Ok(known);
        }}
        text.parse::<i32>()
            .map(Self)
            .map_err(|_| {runtime}::UnknownEnumName::new(Self::PROTO_NAME, text))
    }}
}}

impl ::core::convert::From<i32> for {name} {{
    fn from(value: i32) -> Self {{
        Self(value)
    }}
}}

impl ::core::convert::From<{name}> for i32 {{
    fn from(value: {name}) -> Self {{
        value.0
    }}
}}

impl ::core::cmp::PartialEq<i32> for {name} {{
    fn eq(&self, other: &i32) -> bool {{
        self.0 == *other
    }}
}}

impl ::core::cmp::PartialEq<{name}> for i32 {{
    fn eq(&self, other: &{name}) -> bool {{
        *self == other.0
    }}
}}

"#
    ));
    Ok(out)
}

/// The JSON impls of an open enum at `path`: its name, or the number when
/// it is not known.
pub(crate) fn open_enum_json(runtime: &str, path: &str) -> String {
    let kinds = format!("{runtime}::__private::field_kinds");
    format!(
        r#"impl {kinds}::OpenEnum for {path} {{
    const PROTO_NAME: &'static str = <{path}>::PROTO_NAME;
    fn from_number(number: i32) -> Self {{
        <{path}>::from_i32(number)
    }}
    fn number(self) -> i32 {{
        self.as_i32()
    }}
    fn from_name(name: &str) -> ::core::option::Option<Self> {{
        <{path}>::from_str_name(name)
    }}
    fn name(self) -> ::core::option::Option<&'static str> {{
        self.as_str_name()
    }}
}}

/// The ProtoJSON form: the name, or the number when it is not known.
impl {runtime}::__private::serde::Serialize for {path} {{
    fn serialize<S: {runtime}::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::core::result::Result<S::Ok, S::Error> {{
        <{kinds}::Enum<{path}> as {kinds}::Kind>::serialize(&self.as_i32(), serializer)
    }}
}}

/// Accepts a name or a number; `null` and (with unknown fields ignored)
/// unknown names are errors here, since there is no field to leave unset.
impl<'de> {runtime}::__private::serde::Deserialize<'de> for {path} {{
    fn deserialize<D: {runtime}::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error> {{
        <{kinds}::Enum<{path}> as {kinds}::Kind>::deserialize(deserializer)?
            .map(<{path}>::from_i32)
            .ok_or_else(|| {kinds}::de_fail(
                {runtime}::json::JsonErrorKind::WrongType,
                {message:?},
            ))
    }}
}}

"#,
        message = format!("expected a value of enum {path}")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_drop_the_enum_prefix_only_when_an_identifier_is_left() {
        assert_eq!(
            constant_name("CancelStatus", "CANCEL_STATUS_CANCELLING"),
            "CANCELLING"
        );
        assert_eq!(constant_name("Code", "OK"), "OK");
        assert_eq!(constant_name("Phase", "PHASE_1"), "PHASE_1");
        assert_eq!(constant_name("AliasedEnum", "ALIAS_FOO"), "ALIAS_FOO");
    }

    fn enum_of(values: &[(&str, i32)]) -> prost_types::EnumDescriptorProto {
        prost_types::EnumDescriptorProto {
            name: Some("Phase".into()),
            value: values
                .iter()
                .map(|(name, number)| prost_types::EnumValueDescriptorProto {
                    name: Some((*name).into()),
                    number: Some(*number),
                    options: None,
                })
                .collect(),
            ..Default::default()
        }
    }

    fn generate(descriptor: &prost_types::EnumDescriptorProto) -> Result<String, String> {
        let e = Enum {
            full_name: "my.v1.Phase".into(),
            package: "my.v1".into(),
            file: "my/v1/phase.proto",
            descriptor,
            comments: "How far a job got.".into(),
            value_comments: vec![String::new(); descriptor.value.len()],
        };
        let docs = DocExamples {
            fence: "```ignore",
            module: "my::v1".into(),
        };
        open_enum_code(&e, "::cancelwire", &docs)
    }

    #[test]
    fn an_enum_becomes_one_macro_call_with_its_json() {
        let code = generate(&enum_of(&[("PHASE_UNSPECIFIED", 0), ("PHASE_DONE", 1)])).unwrap();
        assert!(code.contains("pub struct Phase(i32);"), "{code}");
        assert!(code.contains("pub const DONE: Self = Self(1);"), "{code}");
        assert!(code.contains("1 => ::core::option::Option::Some(\"PHASE_DONE\"),"));
        assert!(
            code.contains("let newer = Phase::from_i32(1000);"),
            "{code}"
        );
        assert!(
            open_enum_json("::cancelwire", "Phase")
                .contains("impl ::cancelwire::__private::field_kinds::OpenEnum for Phase {")
        );
    }

    #[test]
    fn values_named_like_the_enums_own_constants_get_an_underscore() {
        // googleapis' apihub has `Classification.KNOWN`.
        let code = generate(&enum_of(&[("PHASE_UNSPECIFIED", 0), ("KNOWN", 1)])).unwrap();
        assert!(code.contains("pub const KNOWN_: Self = Self(1);"), "{code}");
        assert!(code.contains("\"KNOWN\" => ::core::option::Option::Some(Self::KNOWN_)"));
        assert!(
            code.contains("pub const KNOWN: &'static [Self] = &[Self::UNSPECIFIED, Self::KNOWN_];")
        );
        let err = generate(&enum_of(&[])).unwrap_err();
        assert!(err.contains("has no values"), "{err}");
    }
}
