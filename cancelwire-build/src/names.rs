//! Rust names for protobuf names: the rules prost-build applies, so that the
//! code written here names exactly what prost generated.

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

/// Where the Rust types of protobuf names live: extern paths (other crates,
/// cancelwire's packages for a user) and the packages generated in this run,
/// named relative to the generated package that refers to them.
pub(crate) struct Resolver<'a> {
    /// `.package` or `.package.Message` with the Rust path it stands for.
    pub externs: &'a [(String, String)],
    /// Packages generated in this run, without a leading dot.
    pub generated: &'a [String],
    /// Put before paths within the package the code is for: empty where the
    /// code sits in the package's own module, the module's path where it
    /// does not (cancelwire's JSON impls live under `json`).
    pub local_prefix: &'a str,
}

impl Resolver<'_> {
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

    /// The generated package holding `name`, with what is left of the name.
    fn generated_for<'n>(&self, name: &'n str) -> Option<(&str, &'n str)> {
        let name = name.strip_prefix('.')?;
        self.generated
            .iter()
            .filter_map(|package| {
                let rest = if package.is_empty() {
                    name
                } else {
                    name.strip_prefix(package.as_str())?.strip_prefix('.')?
                };
                Some((package.as_str(), rest))
            })
            .max_by_key(|(package, _)| package.len())
    }

    /// The Rust path of message `name` (`.pkg.Outer.Inner`) as written in
    /// the generated file of package `from`.
    pub fn message(&self, name: &str, from: &str) -> Result<String, String> {
        if let Some((rust, rest)) = self.extern_for(name) {
            return Ok(join(rust, rest));
        }
        let (package, rest) = self
            .generated_for(name)
            .ok_or_else(|| format!("type {name} is neither generated nor an extern path"))?;
        Ok(self.relative(from, package, rest))
    }

    /// The Rust path of open enum `name`: enums are exported from their
    /// package's root, nested or not.
    pub fn open_enum(&self, name: &str, from: &str) -> Result<String, String> {
        if let Some((rust, rest)) = self.extern_for(name) {
            return Ok(match rest.rsplit('.').next() {
                Some(last) if !last.is_empty() => format!("{rust}::{}", to_upper_camel(last)),
                _ => rust.to_owned(),
            });
        }
        let (package, rest) = self
            .generated_for(name)
            .ok_or_else(|| format!("enum {name} is neither generated nor an extern path"))?;
        let last = rest.rsplit('.').next().unwrap_or(rest);
        Ok(self.relative(from, package, last))
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

    fn resolver_paths(name: &str, from: &str) -> Result<String, String> {
        let externs = [
            (".google.rpc".to_owned(), "::cancelwire::rpc".to_owned()),
            (
                ".google.protobuf.DoubleValue".to_owned(),
                "crate::wkt::DoubleValue".to_owned(),
            ),
            (
                ".google.protobuf".to_owned(),
                "::cancelwire::wkt".to_owned(),
            ),
        ];
        let generated = ["my.jobs.v1".to_owned(), "my.common".to_owned()];
        Resolver {
            externs: &externs,
            generated: &generated,
            local_prefix: "",
        }
        .message(name, from)
    }

    #[test]
    fn extern_paths_win_by_longest_prefix() {
        assert_eq!(
            resolver_paths(".google.rpc.BadRequest.FieldViolation", "my.jobs.v1").unwrap(),
            "::cancelwire::rpc::bad_request::FieldViolation"
        );
        assert_eq!(
            resolver_paths(".google.protobuf.DoubleValue", "my.jobs.v1").unwrap(),
            "crate::wkt::DoubleValue"
        );
        assert_eq!(
            resolver_paths(".google.protobuf.Any", "x").unwrap(),
            "::cancelwire::wkt::Any"
        );
    }

    #[test]
    fn generated_types_are_relative_like_prost() {
        assert_eq!(
            resolver_paths(".my.jobs.v1.Job.Step", "my.jobs.v1").unwrap(),
            "job::Step"
        );
        assert_eq!(
            resolver_paths(".my.common.Owner", "my.jobs.v1").unwrap(),
            "super::super::common::Owner"
        );
        assert!(resolver_paths(".other.Thing", "my.jobs.v1").is_err());
    }

    #[test]
    fn open_enums_live_at_their_package_root() {
        let externs = [(
            ".arrow.flight.protocol".to_owned(),
            "crate::flight".to_owned(),
        )];
        let generated = ["my.jobs.v1".to_owned()];
        let resolver = Resolver {
            externs: &externs,
            generated: &generated,
            local_prefix: "",
        };
        assert_eq!(
            resolver
                .open_enum(
                    ".arrow.flight.protocol.FlightDescriptor.DescriptorType",
                    "p"
                )
                .unwrap(),
            "crate::flight::DescriptorType"
        );
        assert_eq!(
            resolver
                .open_enum(".my.jobs.v1.Job.Phase", "my.jobs.v1")
                .unwrap(),
            "Phase"
        );
    }
}
