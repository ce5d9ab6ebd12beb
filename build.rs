//! Compiles `proto/` with protox (pure Rust, no `protoc`) and generates the
//! prost types into `OUT_DIR`.
//!
//! What the generated code looks like is decided here:
//! - every `bytes` field is `bytes::Bytes`, so decoding from a `Bytes` buffer
//!   slices it instead of copying;
//! - every map is a `BTreeMap`, so entries are encoded in key order and equal
//!   messages always give equal bytes;
//! - every message implements `prost::Name` with `type.googleapis.com` URLs;
//! - every enum outside `google.protobuf` is an open newtype over `i32`
//!   (`open_enum!` in `src/open_enum.rs`), generated here from its
//!   descriptor into `open_enums_<module>.rs` and exported from its package's
//!   module; prost does not generate it, and the fields that carry it stay
//!   plain `int32` fields. That keeps every number the wire carries and
//!   leaves the typed getters to us.

use std::path::{Path, PathBuf};
use std::{env, fs};

const PROTO_ROOT: &str = "proto";

/// The protobuf packages of the crate and the Rust module of each.
const PACKAGES: &[(&str, &str)] = &[
    ("arrow.flight.protocol", "flight"),
    ("google.longrunning", "longrunning"),
    ("google.rpc", "rpc"),
    ("google.protobuf", "wkt"),
];

/// The package whose enums stay prost's closed enums: `NullValue`, whose
/// only value is JSON `null`.
const CLOSED_ENUM_PACKAGE: &str = "google.protobuf";

// The well-known types whose ProtoJSON is not an object of their fields; the
// JSON runtime reads the same list.
#[path = "src/json/special_forms.rs"]
mod special_forms;

/// Messages whose prost encoding would differ from the reference's, so
/// they are written by hand in `src/`:
/// - the float wrappers: prost skips `-0.0` in an implicit-presence float
///   field, the reference checks the bits and encodes it;
/// - the messages with maps: prost leaves a default key or value out of a
///   map entry, the reference always writes both.
const HAND_WRITTEN_MESSAGES: &[(&str, &str)] = &[
    (".google.protobuf.DoubleValue", "crate::wkt::DoubleValue"),
    (".google.protobuf.FloatValue", "crate::wkt::FloatValue"),
    (".google.protobuf.Struct", "crate::wkt::Struct"),
    (".google.rpc.ErrorInfo", "crate::rpc::ErrorInfo"),
    (".google.rpc.QuotaFailure", "crate::rpc::QuotaFailure"),
];

fn main() {
    if let Err(message) = run() {
        eprintln!("cancelwire build failed: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    println!("cargo:rerun-if-changed={PROTO_ROOT}");
    let out_dir = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);

    let mut files = Vec::new();
    collect_protos(Path::new(PROTO_ROOT), &mut files)?;
    files.sort();
    let relative: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(PROTO_ROOT).unwrap_or(f).to_path_buf())
        .collect();

    let mut compiler = protox::Compiler::new([PROTO_ROOT]).map_err(|e| e.to_string())?;
    compiler.include_imports(true).include_source_info(true);
    compiler
        .open_files(&relative)
        .map_err(|e| format!("{e:?}"))?;
    let mut with_comments = compiler.file_descriptor_set();
    // descriptor.proto is only imported for the `operation_info` option; its
    // types are not part of this crate.
    with_comments
        .file
        .retain(|file| file.name() != "google/protobuf/descriptor.proto");

    // The exported set carries no source info: smaller, and comments are not
    // part of the wire contract.
    compiler.include_source_info(false);
    let exported = prost::Message::encode_to_vec(&compiler.file_descriptor_set());
    fs::write(out_dir.join("file_descriptor_set.bin"), exported).map_err(|e| e.to_string())?;

    let open_enums = open_enums(&with_comments)?;
    let open_enum_fields = open_enum_field_count(&with_comments, &open_enums);
    for module in PACKAGES.iter().map(|(_, module)| module) {
        let enums: Vec<&OpenEnum> = open_enums.iter().filter(|e| e.module == *module).collect();
        fs::write(
            out_dir.join(format!("open_enums_{module}.rs")),
            open_enum_code(&enums)?,
        )
        .map_err(|e| e.to_string())?;
    }
    let enum_rust_paths: Vec<(String, String)> = open_enums
        .iter()
        .map(|e| (e.proto_name.clone(), e.rust_path()))
        .collect();
    fs::write(
        out_dir.join("open_enum_json.rs"),
        format!(
            "json_enum!({});\n",
            enum_rust_paths
                .iter()
                .map(|(_, rust)| rust.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;

    let all_messages = messages(&with_comments)?;
    fs::write(
        out_dir.join("message_types.rs"),
        message_list(&all_messages),
    )
    .map_err(|e| e.to_string())?;
    fs::write(
        out_dir.join("json_impls.rs"),
        json::generate(&all_messages, &enum_rust_paths)?,
    )
    .map_err(|e| e.to_string())?;
    // One prost run per package, each seeing the other packages as the
    // crate's modules (`crate::wkt::Any`, ...), so every package's code is
    // included by its own module and refers to the others by their paths.
    for (package, module) in PACKAGES {
        let mut config = prost_build::Config::new();
        config
            .bytes(["."])
            .btree_map(["."])
            .compile_well_known_types()
            .enable_type_names()
            .type_name_domain(["."], "type.googleapis.com")
            .out_dir(out_dir.join(module));
        for (other, other_module) in PACKAGES.iter().filter(|(other, _)| other != package) {
            config.extern_path(format!(".{other}"), format!("crate::{other_module}"));
        }
        for (proto, rust) in &enum_rust_paths {
            config.extern_path(proto.as_str(), rust.as_str());
        }
        for (proto, rust) in HAND_WRITTEN_MESSAGES {
            config.extern_path(*proto, *rust);
        }
        // With `grpc`, the Operations service also gets tonic client and
        // server stubs, in the same module as (and typed by) our messages.
        #[cfg(feature = "grpc")]
        config.service_generator(
            tonic_prost_build::configure()
                .build_client(true)
                .build_server(true)
                .build_transport(false)
                .service_generator(),
        );
        fs::create_dir_all(out_dir.join(module)).map_err(|e| e.to_string())?;
        config
            .compile_fds(with_comments.clone())
            .map_err(|e| format!("{package}: {e}"))?;
        let generated = out_dir.join(module).join(format!("{package}.rs"));
        fs::rename(&generated, out_dir.join(format!("{module}.rs")))
            .map_err(|e| format!("{}: {e}", generated.display()))?;
    }

    let mut patched = 0;
    for (_, module) in PACKAGES {
        patched +=
            open_enum_fields_as_int32(&out_dir.join(format!("{module}.rs")), &enum_rust_paths)?;
    }
    #[cfg(feature = "grpc")]
    mark_grpc_stubs(&out_dir.join("longrunning.rs"))?;
    if patched != open_enum_fields {
        return Err(format!(
            "prost's output has {patched} open-enum fields to patch, the descriptors {open_enum_fields}: \
             prost's attribute format changed, or a field form (e.g. a map of enums) is not handled"
        ));
    }
    Ok(())
}

/// A message of the crate with its Rust path.
struct MessageInfo<'a> {
    full_name: String,
    rust_path: String,
    descriptor: &'a prost_types::DescriptorProto,
}

/// The Rust module that holds a package's types, as a path from the crate.
fn package_module(package: &str) -> Result<String, String> {
    PACKAGES
        .iter()
        .find(|(name, _)| *name == package)
        .map(|(_, module)| format!("crate::{module}"))
        .ok_or_else(|| format!("no Rust module for package {package}"))
}

/// An enum of the crate that becomes an open newtype.
struct OpenEnum<'a> {
    /// `.package.Message.Enum`, as field descriptors name it.
    proto_name: String,
    module: &'static str,
    descriptor: &'a prost_types::EnumDescriptorProto,
    comments: String,
    value_comments: Vec<String>,
}

impl OpenEnum<'_> {
    /// Open enums are exported from their package's module, nested or not.
    fn rust_path(&self) -> String {
        format!("crate::{}::{}", self.module, self.descriptor.name())
    }
}

/// The leading comments at `path` of `file`'s source info.
fn comments_at(file: &prost_types::FileDescriptorProto, path: &[i32]) -> String {
    file.source_code_info
        .as_ref()
        .and_then(|info| info.location.iter().find(|l| l.path == path))
        .map(|l| l.leading_comments().trim().to_owned())
        .unwrap_or_default()
}

/// Every enum outside [`CLOSED_ENUM_PACKAGE`], nested ones included.
fn open_enums(set: &prost_types::FileDescriptorSet) -> Result<Vec<OpenEnum<'_>>, String> {
    // Field numbers of `FileDescriptorProto.enum_type`,
    // `DescriptorProto.nested_type`/`enum_type` and `EnumDescriptorProto.value`.
    const FILE_ENUMS: i32 = 5;
    const FILE_MESSAGES: i32 = 4;
    const NESTED_MESSAGES: i32 = 3;
    const NESTED_ENUMS: i32 = 4;
    const VALUES: i32 = 2;

    fn push<'a>(
        file: &'a prost_types::FileDescriptorProto,
        module: &'static str,
        scope: &str,
        enumeration: &'a prost_types::EnumDescriptorProto,
        path: Vec<i32>,
        out: &mut Vec<OpenEnum<'a>>,
    ) {
        let value_comments = (0..enumeration.value.len())
            .map(|i| {
                let mut value_path = path.clone();
                value_path.extend([VALUES, i as i32]);
                comments_at(file, &value_path)
            })
            .collect();
        out.push(OpenEnum {
            proto_name: format!("{scope}.{}", enumeration.name()),
            module,
            descriptor: enumeration,
            comments: comments_at(file, &path),
            value_comments,
        });
    }

    fn visit<'a>(
        file: &'a prost_types::FileDescriptorProto,
        module: &'static str,
        scope: &str,
        message: &'a prost_types::DescriptorProto,
        path: Vec<i32>,
        out: &mut Vec<OpenEnum<'a>>,
    ) {
        let scope = format!("{scope}.{}", message.name());
        for (i, enumeration) in message.enum_type.iter().enumerate() {
            let mut enum_path = path.clone();
            enum_path.extend([NESTED_ENUMS, i as i32]);
            push(file, module, &scope, enumeration, enum_path, out);
        }
        for (i, nested) in message.nested_type.iter().enumerate() {
            let mut nested_path = path.clone();
            nested_path.extend([NESTED_MESSAGES, i as i32]);
            visit(file, module, &scope, nested, nested_path, out);
        }
    }

    let mut out = Vec::new();
    for file in &set.file {
        if file.package() == CLOSED_ENUM_PACKAGE {
            continue;
        }
        let module = PACKAGES
            .iter()
            .find(|(name, _)| *name == file.package())
            .map(|(_, module)| *module)
            .ok_or_else(|| {
                format!(
                    "{}: no Rust module for package {}",
                    file.name(),
                    file.package()
                )
            })?;
        let scope = format!(".{}", file.package());
        for (i, enumeration) in file.enum_type.iter().enumerate() {
            push(
                file,
                module,
                &scope,
                enumeration,
                vec![FILE_ENUMS, i as i32],
                &mut out,
            );
        }
        for (i, message) in file.message_type.iter().enumerate() {
            visit(
                file,
                module,
                &scope,
                message,
                vec![FILE_MESSAGES, i as i32],
                &mut out,
            );
        }
    }
    for (i, a) in out.iter().enumerate() {
        if let Some(b) = out
            .iter()
            .skip(i + 1)
            .find(|b| b.rust_path() == a.rust_path())
        {
            return Err(format!(
                "enums {} and {} would both be {}",
                a.proto_name,
                b.proto_name,
                a.rust_path()
            ));
        }
    }
    Ok(out)
}

/// `#[doc = "..."]` lines for a comment.
fn doc_attributes(comment: &str, indent: &str) -> String {
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

/// prost's rule for constant names: the value name without the enum's
/// name in SCREAMING_SNAKE_CASE as a prefix, where what is left is still an
/// identifier.
fn constant_name(enum_name: &str, value_name: &str) -> String {
    let prefix = format!("{}_", snake_case(enum_name).to_ascii_uppercase());
    match value_name.strip_prefix(&prefix) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_alphabetic()) => rest.to_owned(),
        _ => value_name.to_owned(),
    }
}

/// The `open_enum!` invocations of one module's enums.
fn open_enum_code(enums: &[&OpenEnum<'_>]) -> Result<String, String> {
    let mut out = String::from("// @generated by cancelwire's build.rs: the open enums.\n\n");
    for e in enums {
        let d = e.descriptor;
        let name = d.name();
        let full = e.proto_name.trim_start_matches('.');
        let values: Vec<(String, i32, &str, &String)> = d
            .value
            .iter()
            .zip(&e.value_comments)
            .map(|(v, comment)| (constant_name(name, v.name()), v.number(), v.name(), comment))
            .collect();
        let example = values
            .get(1)
            .or(values.first())
            .ok_or_else(|| format!("enum {full} has no values"))?;
        let unknown = (1000..)
            .find(|n| values.iter().all(|(_, number, _, _)| number != n))
            .ok_or_else(|| format!("enum {full} uses every number"))?;
        let mut docs = doc_attributes(&e.comments, "    ");
        docs.push_str(&doc_attributes(
            &format!(
                "\n`{full}` as an open enum: any `i32` is kept, and a number this \
                 version does not know prints as the number."
            ),
            "    ",
        ));
        let mut body = String::new();
        for (konst, number, text, comment) in &values {
            body.push_str(&doc_attributes(comment, "        "));
            body.push_str(&format!("        {konst} = {number} => {text:?},\n"));
        }
        out.push_str(&format!(
            "crate::open_enum::open_enum! {{\n{docs}    pub struct {name}({full:?}) in \"cancelwire::{module}\" \
             example {example_konst} = {example_text:?}, unknown {unknown} {{\n{body}    }}\n}}\n\n",
            module = e.module,
            example_konst = example.0,
            example_text = example.2,
        ));
    }
    Ok(out)
}

/// How many fields of the set carry an open enum: the places prost marks
/// `enumeration = "..."`.
fn open_enum_field_count(
    set: &prost_types::FileDescriptorSet,
    open_enums: &[OpenEnum<'_>],
) -> usize {
    fn count(message: &prost_types::DescriptorProto, open_enums: &[OpenEnum<'_>]) -> usize {
        let own = message
            .field
            .iter()
            .filter(|f| open_enums.iter().any(|e| e.proto_name == f.type_name()))
            .count();
        own + message
            .nested_type
            .iter()
            .map(|nested| count(nested, open_enums))
            .sum::<usize>()
    }
    set.file
        .iter()
        .flat_map(|file| &file.message_type)
        .map(|message| count(message, open_enums))
        .sum()
}

/// Every message of the set, nested ones included, map entries excluded.
fn messages(set: &prost_types::FileDescriptorSet) -> Result<Vec<MessageInfo<'_>>, String> {
    fn visit<'a>(
        module: &str,
        proto_prefix: &str,
        message: &'a prost_types::DescriptorProto,
        out: &mut Vec<MessageInfo<'a>>,
    ) {
        if message.options.as_ref().is_some_and(|o| o.map_entry()) {
            return;
        }
        let full_name = format!("{proto_prefix}.{}", message.name());
        out.push(MessageInfo {
            full_name: full_name.clone(),
            rust_path: format!("{module}::{}", message.name()),
            descriptor: message,
        });
        let nested_module = format!("{module}::{}", snake_case(message.name()));
        for nested in &message.nested_type {
            visit(&nested_module, &full_name, nested, out);
        }
    }
    let mut out = Vec::new();
    for file in &set.file {
        let module = package_module(file.package())?;
        for message in &file.message_type {
            visit(&module, file.package(), message, &mut out);
        }
    }
    Ok(out)
}

/// Writes `for_each_message!`, which hands every message of the crate (not
/// map entries) to a callback macro as `"full.name" => rust::Path`, so the
/// registry and the tests never keep a second, hand-written list.
fn message_list(messages: &[MessageInfo<'_>]) -> String {
    let entries: Vec<String> = messages
        .iter()
        .map(|m| format!("        \"{}\" => {},", m.full_name, m.rust_path))
        .collect();
    format!(
        "/// Calls `$callback!` with every message of the crate.\n\
         macro_rules! for_each_message {{\n    ($callback:ident) => {{ $callback! {{\n{}\n    }} }};\n}}\n",
        entries.join("\n")
    )
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn collect_protos(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_protos(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "proto") {
            out.push(path);
        }
    }
    Ok(())
}

/// Marks the tonic stubs as needing the `grpc` feature in the docs.
#[cfg(feature = "grpc")]
fn mark_grpc_stubs(path: &Path) -> Result<(), String> {
    let code = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut marked = code.clone();
    for stub in ["pub mod operations_client {", "pub mod operations_server {"] {
        if marked.matches(stub).count() != 1 {
            return Err(format!("{}: expected one `{stub}`", path.display()));
        }
        marked = marked.replace(
            stub,
            &format!("#[cfg_attr(docsrs, doc(cfg(feature = \"grpc\")))]\n{stub}"),
        );
    }
    fs::write(path, marked).map_err(|e| e.to_string())
}

/// prost marks enum fields `enumeration = "Path"` and derives getters that
/// turn unknown numbers into the default. For our open enums the field is
/// encoded exactly like `int32`, so we say so and write lossless getters by
/// hand. Returns how many fields were patched.
fn open_enum_fields_as_int32(
    path: &Path,
    open_enums: &[(String, String)],
) -> Result<usize, String> {
    let code = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut patched = code.clone();
    let mut count = 0;
    for (_, rust) in open_enums {
        let attribute = format!("enumeration = \"{rust}\"");
        count += patched.matches(&attribute).count();
        patched = patched.replace(&attribute, "int32");
    }
    if patched != code {
        fs::write(path, patched).map_err(|e| e.to_string())?;
    }
    Ok(count)
}

/// Generates the ProtoJSON `Serialize`/`Deserialize` impls of every message
/// whose JSON form is the regular one (an object of its fields). The
/// well-known types with special forms are written by hand in
/// `src/json/wkt.rs`.
///
/// pbjson-build is not used: its output has no run-time switch for unknown
/// fields, no field paths in errors, rejects `null` for scalar fields, and
/// cannot carry open enums; fixing that would mean rewriting most of it.
mod json {
    use super::{MessageInfo, PACKAGES, package_module, snake_case, special_forms};
    use prost_types::field_descriptor_proto::{Label, Type};
    use prost_types::{DescriptorProto, FieldDescriptorProto};
    use std::fmt::Write;

    const RUST_KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
        "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
        "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
        "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final",
        "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
    ];

    pub(super) fn generate(
        messages: &[MessageInfo<'_>],
        open_enums: &[(String, String)],
    ) -> Result<String, String> {
        let mut out = String::from("// @generated by cancelwire's build.rs: ProtoJSON impls.\n\n");
        for message in messages {
            if special_forms::SPECIAL_JSON_TYPES.contains(&message.full_name.as_str()) {
                continue;
            }
            write_message(message, open_enums, &mut out)?;
        }
        Ok(out)
    }

    fn rust_field(name: &str) -> String {
        if RUST_KEYWORDS.contains(&name) {
            format!("r#{name}")
        } else {
            name.to_owned()
        }
    }

    fn upper_camel(name: &str) -> String {
        name.split('_')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect()
    }

    /// Rust path of a type named like `.google.rpc.BadRequest.FieldViolation`.
    fn rust_path(type_name: &str) -> Result<String, String> {
        let name = type_name.trim_start_matches('.');
        for (package, _) in PACKAGES {
            if let Some(rest) = name.strip_prefix(package).and_then(|r| r.strip_prefix('.')) {
                let mut path = package_module(package)?;
                let parts: Vec<&str> = rest.split('.').collect();
                if let Some((last, parents)) = parts.split_last() {
                    for parent in parents {
                        path.push_str("::");
                        path.push_str(&snake_case(parent));
                    }
                    path.push_str("::");
                    path.push_str(last);
                }
                return Ok(path);
            }
        }
        Err(format!("no Rust path for {type_name}"))
    }

    /// The `rt` kind of one value of the field (ignoring `repeated`).
    /// Open enums as (proto name, Rust path).
    type Enums<'a> = &'a [(String, String)];

    fn value_kind(
        field: &FieldDescriptorProto,
        owner: &DescriptorProto,
        enums: Enums<'_>,
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
            Type::Enum => {
                let rust = enums
                    .iter()
                    .find(|(proto, _)| proto == field.type_name())
                    .map(|(_, rust)| rust)
                    .ok_or_else(|| format!("enum {} has no open newtype", field.type_name()))?;
                format!("field_kinds::Enum<{rust}>")
            }
            Type::Message if field.type_name() == ".google.protobuf.Value" => {
                "field_kinds::ValueMsg".into()
            }
            Type::Message => {
                if let Some(entry) = map_entry(field, owner) {
                    let [key, value] = entry.field.as_slice() else {
                        return Err(format!(
                            "map entry of {} is not a key and a value",
                            field.name()
                        ));
                    };
                    if key.r#type() != Type::String {
                        return Err(format!("map {} has a non-string key", field.name()));
                    }
                    return Ok(format!(
                        "field_kinds::StringMap<{}>",
                        value_kind(value, owner, enums)?
                    ));
                }
                format!("field_kinds::Msg<{}>", rust_path(field.type_name())?)
            }
            Type::Group => return Err(format!("group field {} is not supported", field.name())),
        })
    }

    fn map_entry<'a>(
        field: &FieldDescriptorProto,
        owner: &'a DescriptorProto,
    ) -> Option<&'a DescriptorProto> {
        let entry_name = field.type_name().rsplit('.').next()?;
        owner
            .nested_type
            .iter()
            .find(|n| n.name() == entry_name && n.options.as_ref().is_some_and(|o| o.map_entry()))
    }

    /// The kind of the whole field, `repeated` included (maps are repeated
    /// entries on the wire but one object in JSON).
    fn field_kind(
        field: &FieldDescriptorProto,
        owner: &DescriptorProto,
        enums: Enums<'_>,
    ) -> Result<String, String> {
        let kind = value_kind(field, owner, enums)?;
        if field.label() == Label::Repeated && map_entry(field, owner).is_none() {
            Ok(format!("field_kinds::Repeated<{kind}>"))
        } else {
            Ok(kind)
        }
    }

    /// How a field is stored in the prost struct.
    enum Storage {
        /// A plain value, printed when `is_set` (not the default).
        Plain { is_set: String },
        /// `Option<T>`: a message field or a proto3 `optional` scalar.
        Optional,
        /// A member of a real oneof: (rust field of the oneof, enum path, variant).
        Oneof {
            field: String,
            oneof_name: String,
            variant: String,
        },
    }

    fn storage(field: &FieldDescriptorProto, message: &MessageInfo<'_>) -> Result<Storage, String> {
        let d = message.descriptor;
        if let Some(index) = field.oneof_index {
            if !field.proto3_optional() {
                let oneof = d
                    .oneof_decl
                    .get(index as usize)
                    .ok_or_else(|| format!("bad oneof index in {}", message.full_name))?;
                return Ok(Storage::Oneof {
                    field: rust_field(&snake_case(oneof.name())),
                    oneof_name: oneof.name().to_owned(),
                    variant: format!(
                        "{}::{}::{}",
                        message
                            .rust_path
                            .rsplit_once("::")
                            .map_or("", |(module, _)| module),
                        snake_case(d.name()),
                        upper_camel(oneof.name())
                    ) + "::"
                        + &upper_camel(field.name()),
                });
            }
            return Ok(Storage::Optional);
        }
        let name = format!("self.{}", rust_field(field.name()));
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

    fn write_message(
        message: &MessageInfo<'_>,
        enums: Enums<'_>,
        out: &mut String,
    ) -> Result<(), String> {
        let d = message.descriptor;
        let ty = &message.rust_path;
        let full = &message.full_name;
        let mut fields: Vec<&FieldDescriptorProto> = d.field.iter().collect();
        fields.sort_by_key(|f| f.number());

        // Serialize: fields in number order, defaults omitted.
        let mut ser = String::new();
        for field in &fields {
            let kind = field_kind(field, d, enums)?;
            let (json, proto) = (field.json_name(), field.name());
            let rust = rust_field(field.name());
            match storage(field, message)? {
                Storage::Plain { is_set } => writeln!(
                    ser,
                    "        if {is_set} {{ field_kinds::write_field::<{kind}, _>(&mut map, \"{json}\", \"{proto}\", &self.{rust})?; }}"
                ),
                Storage::Optional => writeln!(
                    ser,
                    "        if let Some(value) = &self.{rust} {{ field_kinds::write_field::<{kind}, _>(&mut map, \"{json}\", \"{proto}\", value)?; }}"
                ),
                Storage::Oneof { field: oneof_field, variant, .. } => writeln!(
                    ser,
                    "        if let Some({variant}(value)) = &self.{oneof_field} {{ field_kinds::write_field::<{kind}, _>(&mut map, \"{json}\", \"{proto}\", value)?; }}"
                ),
            }
            .map_err(|e| e.to_string())?;
        }

        // Deserialize: each field under its json_name or proto name, once.
        let mut arms = String::new();
        let mut oneofs: Vec<String> = Vec::new();
        for (index, field) in fields.iter().enumerate() {
            let kind = field_kind(field, d, enums)?;
            let (json, proto) = (field.json_name(), field.name());
            let rust = rust_field(field.name());
            let pattern = if json == proto {
                format!("\"{proto}\"")
            } else {
                format!("\"{json}\" | \"{proto}\"")
            };
            let read = format!("field_kinds::read_field::<{kind}, _>(&mut map, \"{proto}\")?");
            let body = match storage(field, message)? {
                Storage::Plain { .. } => {
                    format!("if let Some(value) = {read} {{ message.{rust} = value; }}")
                }
                Storage::Optional => format!("message.{rust} = {read};"),
                Storage::Oneof {
                    field: oneof_field,
                    oneof_name,
                    variant,
                } => {
                    if !oneofs.contains(&oneof_field) {
                        oneofs.push(oneof_field.clone());
                    }
                    format!(
                        "if let Some(value) = {read} {{ field_kinds::oneof_once(&mut oneof_{}, \"{oneof_name}\", \"{proto}\")?; message.{oneof_field} = Some({variant}(value)); }}",
                        oneof_field.trim_start_matches("r#")
                    )
                }
            };
            writeln!(
                arms,
                "                    {pattern} => {{ field_kinds::first_time(&mut seen[{index}], \"{proto}\")?; {body} }}"
            )
            .map_err(|e| e.to_string())?;
        }
        let oneof_state: String = oneofs
            .iter()
            .map(|o| {
                format!(
                    "                let mut oneof_{}: Option<&'static str> = None;\n",
                    o.trim_start_matches("r#")
                )
            })
            .collect();
        let count = fields.len();
        let dispatch = if count == 0 {
            format!("                    field_kinds::unknown_field(&mut map, &key, \"{full}\")?;")
        } else {
            format!(
                "                    match key.as_ref() {{\n{arms}                        other => field_kinds::unknown_field(&mut map, other, \"{full}\")?,\n                    }}"
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
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{
        use serde::ser::SerializeMap;
        field_kinds::message_ser::<Self, _, _>(|| {{
        #[allow(unused_mut)]
        let mut map = serializer.serialize_map(None)?;
{ser}        map.end()
        }})
    }}
}}

impl<'de> serde::Deserialize<'de> for {ty} {{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{
        struct MessageVisitor;
        impl<'de> serde::de::Visitor<'de> for MessageVisitor {{
            type Value = {ty};
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{
                field_kinds::expect_object(f, "{full}")
            }}
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<{ty}, A::Error> {{
                field_kinds::message_de::<{ty}, _, _>(move || {{
                #[allow(unused_mut)]
                let mut message = {ty}::default();
{seen}{oneof_state}                while let Some(field_kinds::Key(key)) = map.next_key()? {{
{dispatch}
                }}
                Ok(message)
                }})
            }}
        }}
        deserializer.deserialize_map(MessageVisitor)
    }}
}}

"#
        )
        .map_err(|e| e.to_string())
    }
}
