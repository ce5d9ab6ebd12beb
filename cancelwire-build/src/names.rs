//! Rust names for protobuf names: the rules prost-build applies, so that the
//! code written here names exactly what prost generated.

use crate::schema::Index;
use heck::{ToSnakeCase, ToUpperCamelCase};

/// Makes `ident` usable as a Rust identifier, as prost-build does: a raw
/// identifier for keywords, a trailing `_` where raw identifiers are not
/// allowed, a leading `_` before a digit.
fn sanitize(ident: String) -> String {
    const RAW: &[&str] = &[
        "as", "break", "const", "continue", "else", "enum", "false", "fn", "for", "if", "impl",
        "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
        "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "dyn", "abstract",
        "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
        "virtual", "yield", "async", "await", "try", "gen",
    ];
    const SUFFIXED: &[&str] = &["_", "super", "self", "Self", "extern", "crate"];
    if RAW.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else if SUFFIXED.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{ident}")
    } else {
        ident
    }
}

/// A field, module or package segment name (`lower_snake`).
pub(crate) fn to_snake(name: &str) -> String {
    sanitize(name.to_snake_case())
}

/// A message, oneof or variant type name (`UpperCamel`).
pub(crate) fn to_upper_camel(name: &str) -> String {
    sanitize(name.to_upper_camel_case())
}

/// The Rust name of a oneof's enum in `parent`'s module: prost-build's,
/// with `OneOf` after it where a nested message or enum has the same name.
pub(crate) fn oneof_type(parent: &prost_types::DescriptorProto, oneof: &str) -> String {
    let name = to_upper_camel(oneof);
    let taken = parent
        .nested_type
        .iter()
        .map(|m| m.name())
        .chain(parent.enum_type.iter().map(|e| e.name()))
        .any(|other| to_upper_camel(other) == name);
    if taken { format!("{name}OneOf") } else { name }
}

/// Where the Rust types of protobuf names live: cancelwire's own files,
/// extern paths (other crates) and the packages generated in this run,
/// named relative to the generated package that refers to them.
pub(crate) struct Resolver<'a> {
    /// Every message and enum of the compiled set.
    pub index: &'a Index<'a>,
    /// cancelwire's packages that are not generated in this run, with the
    /// Rust module of each: a type defined in one of cancelwire's own files
    /// of such a package is cancelwire's.
    pub own: &'a [(String, String)],
    /// `.package` or `.package.Message` with the Rust path it stands for,
    /// matched as prost-build matches extern paths (sub-packages included).
    pub externs: &'a [(String, String)],
    /// Packages generated in this run, without a leading dot.
    pub generated: &'a [String],
    /// Put before paths within the package the code is for: empty where the
    /// code sits in the package's own module, the module's path where it
    /// does not (cancelwire's JSON impls live under `json`).
    pub local_prefix: &'a str,
}

impl Resolver<'_> {
    /// The Rust module of cancelwire that holds `name`, if it is one of
    /// cancelwire's types, with the type's nested name.
    fn own_for(&self, name: &str) -> Option<(&str, String)> {
        let info = self.index.get(name)?;
        if !crate::is_bundled(info.file.name()) {
            return None;
        }
        let (_, rust) = self.own.iter().find(|(p, _)| p == info.file.package())?;
        Some((rust.as_str(), info.nested_name.clone()))
    }

    /// The extern entry matching the longest prefix of `name` (a full name
    /// with a leading dot), with what is left of the name.
    fn extern_for<'n>(&self, name: &'n str) -> Option<(&str, &'n str)> {
        self.externs
            .iter()
            .filter_map(|(proto, rust)| {
                let rest = name.strip_prefix(proto.as_str())?;
                (rest.is_empty() || rest.starts_with('.')).then_some((proto.len(), rust, rest))
            })
            .max_by_key(|(len, _, _)| *len)
            .map(|(_, rust, rest)| (rust.as_str(), rest.trim_start_matches('.')))
    }

    /// Whether the type `name` is someone else's: cancelwire's or an
    /// extern path's.
    pub fn is_extern(&self, name: &str) -> bool {
        self.own_for(name).is_some() || self.extern_for(name).is_some()
    }

    /// The Rust path of message or enum `name` (`.pkg.Outer.Inner`) as
    /// written at the root of package `from`'s module. Nested types live in
    /// the snake_case module of their message, as prost lays them out.
    pub fn path(&self, name: &str, from: &str) -> Result<String, String> {
        if let Some((rust, nested)) = self.own_for(name) {
            return Ok(format!("{rust}::{}", nested_path(&nested)));
        }
        if let Some((rust, rest)) = self.extern_for(name) {
            return Ok(join(rust, rest));
        }
        let info = self
            .index
            .get(name)
            .ok_or_else(|| format!("type {name} is not defined in the compiled files"))?;
        let package = info.file.package();
        if !self.generated.iter().any(|p| p == package) {
            return Err(format!(
                "type {name} (from {}) is neither generated nor an extern path",
                info.file.name()
            ));
        }
        Ok(self.relative(from, package, &info.nested_name))
    }
}

/// `rust` followed by the nested path of `rest` (`Outer.Inner` →
/// `outer::Inner`).
fn join(rust: &str, rest: &str) -> String {
    if rest.is_empty() {
        return rust.to_owned();
    }
    // An extern message (`crate::rpc::QuotaFailure`) keeps its nested types
    // in the module of its snake-case name, as prost lays them out.
    match rust.rsplit_once("::") {
        Some((module, last)) if last.starts_with(|c: char| c.is_ascii_uppercase()) => {
            format!("{module}::{}::{}", to_snake(last), nested_path(rest))
        }
        _ => format!("{rust}::{}", nested_path(rest)),
    }
}

/// `Outer.Inner` → `outer::Inner`: enclosing messages are modules.
pub(crate) fn nested_path(rest: &str) -> String {
    let parts: Vec<&str> = rest.split('.').collect();
    match parts.split_last() {
        Some((last, parents)) => parents
            .iter()
            .map(|p| to_snake(p))
            .chain(std::iter::once(to_upper_camel(last)))
            .collect::<Vec<_>>()
            .join("::"),
        None => String::new(),
    }
}

impl Resolver<'_> {
    /// prost's relative path from the root of package `from` to `rest` in
    /// `package` (see [`relative`]), behind the local prefix when it stays in
    /// the package.
    fn relative(&self, from: &str, package: &str, rest: &str) -> String {
        if from == package {
            format!("{}{}", self.local_prefix, nested_path(rest))
        } else {
            relative(from, package, rest)
        }
    }
}

/// prost's relative path from the root of package `from` to `rest` in
/// `package`: `super::` for each segment of `from` not shared with
/// `package`, then the remaining package segments as modules.
fn relative(from: &str, package: &str, rest: &str) -> String {
    let from: Vec<&str> = from.split('.').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = package.split('.').filter(|s| !s.is_empty()).collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = from.iter().skip(shared).map(|_| "super".into()).collect();
    parts.extend(to.iter().skip(shared).map(|s| to_snake(s)));
    parts.push(nested_path(rest));
    parts.join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_prost_build() {
        assert_eq!(to_snake("FieldName3"), "field_name3");
        assert_eq!(to_snake("__field_name13"), "field_name13");
        assert_eq!(to_snake("type"), "r#type");
        assert_eq!(to_snake("self"), "self_");
        assert_eq!(to_upper_camel("oneof_field"), "OneofField");
        assert_eq!(to_upper_camel("Self"), "Self_");
    }
}
