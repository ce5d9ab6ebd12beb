//! The open enum newtypes: one `__open_enum!` invocation per enum, written
//! from its descriptor, with its ProtoJSON impls.

use crate::names::to_upper_camel;
use crate::schema::Enum;
use heck::ToShoutySnakeCase;

/// `#[doc = "..."]` lines for a comment.
pub(crate) fn doc_attributes(comment: &str, indent: &str) -> String {
    comment
        .lines()
        .map(|line| {
            let line = line.trim();
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            format!("{indent}#[doc = {text:?}]\n")
        })
        .collect()
}

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

/// Names the `__open_enum!` macro defines on every enum itself.
const RESERVED_CONSTANTS: &[&str] = &["KNOWN", "PROTO_NAME"];

/// How the doc examples of a generated enum are written.
pub(crate) struct DocExamples<'a> {
    /// The opening fence: "```" to run them, "```ignore" where the module
    /// the enum ends up in is not known.
    pub fence: &'a str,
    /// The public Rust module the enum is exported from.
    pub module: String,
}

/// The code of one open enum, with its JSON impls.
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
                constant_name(d.name(), v.name()),
                v.number(),
                v.name(),
                comment,
            )
        })
        .collect();
    for (konst, _, text, _) in &values {
        if RESERVED_CONSTANTS.contains(&konst.as_str()) {
            return Err(format!(
                "{}: enum {full}: value {text} would be constant {konst}, which every open enum \
                 defines itself",
                e.file
            ));
        }
        if !konst.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Err(format!(
                "{}: enum {full}: value {text} is not a Rust identifier",
                e.file
            ));
        }
    }
    let example = values
        .get(1)
        .or(values.first())
        .ok_or_else(|| format!("{}: enum {full} has no values", e.file))?;
    let unknown = (1000..)
        .find(|n| values.iter().all(|(_, number, _, _)| number != n))
        .ok_or_else(|| format!("{}: enum {full} uses every number", e.file))?;
    let mut attributes = doc_attributes(&e.comments, "    ");
    attributes.push_str(&doc_attributes(
        &format!(
            "\n`{full}` as an open enum: any `i32` is kept, and a number this version does \
             not know prints as the number."
        ),
        "    ",
    ));
    let mut body = String::new();
    for (konst, number, text, comment) in &values {
        body.push_str(&doc_attributes(comment, "        "));
        body.push_str(&format!("        {konst} = {number} => {text:?},\n"));
    }
    Ok(format!(
        "{runtime}::__open_enum! {{\n{attributes}    pub struct {name}({full:?}) in {module:?} \
         fence {fence:?} example {example_konst} = {example_text:?}, unknown {unknown} {{\n{body}    }}\n}}\n\n",
        module = docs.module,
        fence = docs.fence,
        example_konst = example.0,
        example_text = example.2,
    ))
}

/// The JSON impls of an open enum at `path`.
pub(crate) fn open_enum_json(runtime: &str, path: &str) -> String {
    format!("{runtime}::__json_enum!({path});\n")
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
        assert!(code.starts_with("::cancelwire::__open_enum! {"));
        assert!(code.contains("pub struct Phase(\"my.v1.Phase\")"));
        assert!(code.contains("DONE = 1 => \"PHASE_DONE\","));
        assert!(code.contains("example DONE = \"PHASE_DONE\", unknown 1000"));
        assert_eq!(
            open_enum_json("::cancelwire", "Phase"),
            "::cancelwire::__json_enum!(Phase);\n"
        );
    }

    #[test]
    fn values_that_clash_with_generated_constants_are_errors() {
        let err = generate(&enum_of(&[("PHASE_KNOWN", 0)])).unwrap_err();
        assert!(
            err.contains("my/v1/phase.proto") && err.contains("PHASE_KNOWN"),
            "{err}"
        );
        let err = generate(&enum_of(&[])).unwrap_err();
        assert!(err.contains("has no values"), "{err}");
    }
}
