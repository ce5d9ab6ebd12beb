//! Generates Rust types for your `.proto` files that work with
//! [cancelwire](https://docs.rs/cancelwire): prost messages with spec-exact
//! ProtoJSON, open enums that keep every number, and a function that puts
//! them into a `cancelwire::registry::Registry`, so an `Operation` or a
//! `Status` carrying your messages prints, parses and validates like
//! cancelwire's own.
//!
//! Call it from `build.rs`, as you would `prost-build` or `tonic-build`. The
//! files are compiled with [protox](https://docs.rs/protox) (no `protoc`).
//! Imports of `google/protobuf/*`, `google/rpc/*`, `google/longrunning/*`
//! and `arrow/flight/protocol/flight.proto` are cancelwire's: they are found
//! without an include path, and their types are cancelwire's own (no second
//! copy of any message).
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     cancelwire_build::Builder::new()
//!         .include("proto")
//!         .compile(&["proto/my/jobs/v1/jobs.proto"])?;
//!     Ok(())
//! }
//! ```
//!
//! Each package becomes `$OUT_DIR/<package>.rs`; include it where prost's
//! layout expects it (one module per package segment, as prost-build's
//! relative paths between packages assume):
//!
//! ```ignore
//! pub mod my { pub mod jobs { pub mod v1 {
//!     include!(concat!(env!("OUT_DIR"), "/my.jobs.v1.rs"));
//! } } }
//! ```
//!
//! What each file holds:
//! - the prost structs, with `prost::Name` (`type.googleapis.com` URLs),
//!   `bytes::Bytes` for `bytes` and `BTreeMap` for maps (equal messages give
//!   equal bytes);
//! - every enum as an open newtype over `i32` at the package's root, nested
//!   or not (fields of enum type stay `i32`, so unknown numbers survive);
//! - ProtoJSON `Serialize`/`Deserialize` impls for every message and enum,
//!   and each message's field table (`WireJson`: number, JSON key, kind and
//!   presence of every field), from which `cancelwire::json` prints an
//!   `Any` payload straight from its wire bytes;
//! - `register_types(&mut cancelwire::registry::Registry)`, which registers
//!   every message of the package, so `Any` payloads of these types print
//!   and parse as JSON.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod codec;
mod json;
mod names;
mod open_enums;
mod schema;

use names::{Resolver, nested_path, to_snake};
use open_enums::DocExamples;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// cancelwire's protobuf packages and the module of the crate that holds
/// each.
pub const CANCELWIRE_PACKAGES: &[(&str, &str)] = &[
    ("arrow.flight.protocol", "flight"),
    ("google.longrunning", "longrunning"),
    ("google.rpc", "rpc"),
    ("google.protobuf", "wkt"),
];

/// cancelwire's own `.proto` files, by import name: what user files import.
const BUNDLED: &[(&str, &str)] = &[
    (
        "arrow/flight/protocol/flight.proto",
        include_str!("../proto/arrow/flight/protocol/flight.proto"),
    ),
    (
        "google/longrunning/operations.proto",
        include_str!("../proto/google/longrunning/operations.proto"),
    ),
    (
        "google/protobuf/any.proto",
        include_str!("../proto/google/protobuf/any.proto"),
    ),
    (
        "google/protobuf/duration.proto",
        include_str!("../proto/google/protobuf/duration.proto"),
    ),
    (
        "google/protobuf/empty.proto",
        include_str!("../proto/google/protobuf/empty.proto"),
    ),
    (
        "google/protobuf/field_mask.proto",
        include_str!("../proto/google/protobuf/field_mask.proto"),
    ),
    (
        "google/protobuf/struct.proto",
        include_str!("../proto/google/protobuf/struct.proto"),
    ),
    (
        "google/protobuf/timestamp.proto",
        include_str!("../proto/google/protobuf/timestamp.proto"),
    ),
    (
        "google/protobuf/wrappers.proto",
        include_str!("../proto/google/protobuf/wrappers.proto"),
    ),
    (
        "google/rpc/code.proto",
        include_str!("../proto/google/rpc/code.proto"),
    ),
    (
        "google/rpc/error_details.proto",
        include_str!("../proto/google/rpc/error_details.proto"),
    ),
    (
        "google/rpc/status.proto",
        include_str!("../proto/google/rpc/status.proto"),
    ),
];

/// The import names of cancelwire's own `.proto` files, which every
/// [`Builder`] can import without an include path.
///
/// ```
/// assert!(cancelwire_build::bundled_files().any(|f| f == "google/rpc/status.proto"));
/// ```
pub fn bundled_files() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, _)| *name)
}

/// Finds cancelwire's `.proto` files by import name.
struct BundledFiles;

impl protox::file::FileResolver for BundledFiles {
    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        match BUNDLED.iter().find(|(bundled, _)| *bundled == name) {
            Some((_, source)) => protox::file::File::from_source(name, source),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

/// Why generation failed: names the `.proto` file and element where there
/// is one.
///
/// ```
/// let err = cancelwire_build::Builder::new()
///     .out_dir(std::env::temp_dir())
///     .compile(&["does/not/exist.proto"])
///     .unwrap_err();
/// assert!(err.to_string().contains("does/not/exist.proto"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A message that was generated, for callers that list them.
///
/// ```
/// # let out = std::env::temp_dir().join("cancelwire-build-doc-generated");
/// # std::fs::create_dir_all(&out).unwrap();
/// # std::fs::write(out.join("job.proto"), "syntax = \"proto3\"; package my.v1; message Job { string id = 1; }").unwrap();
/// let generated = cancelwire_build::Builder::new()
///     .include(&out)
///     .out_dir(&out)
///     .compile(&[out.join("job.proto")])?;
/// let job = &generated.messages()[0];
/// assert_eq!((job.full_name.as_str(), job.package.as_str(), job.rust_path.as_str()), ("my.v1.Job", "my.v1", "Job"));
/// # Ok::<(), cancelwire_build::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedMessage {
    /// Full protobuf name, e.g. `my.v1.Job.Step`.
    pub full_name: String,
    /// Its package, e.g. `my.v1`.
    pub package: String,
    /// Rust path from the package's module, e.g. `job::Step`.
    pub rust_path: String,
}

/// What [`Builder::compile`] generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    messages: Vec<GeneratedMessage>,
    packages: Vec<String>,
}

impl Generated {
    /// Every message (map entries excluded), in the order of the files.
    pub fn messages(&self) -> &[GeneratedMessage] {
        &self.messages
    }

    /// Every package that got a `<package>.rs`.
    pub fn packages(&self) -> &[String] {
        &self.packages
    }
}

/// Configures and runs the generator.
///
/// ```no_run
/// cancelwire_build::Builder::new()
///     .include("proto")
///     .compile(&["proto/my/jobs/v1/jobs.proto"])
///     .map_err(|e| format!("cannot generate the job types: {e}"))?;
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    includes: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    runtime: String,
    externs: Vec<(String, String)>,
    prost_only_externs: Vec<(String, String)>,
    json_by_hand: Vec<String>,
    registration: bool,
    doc_modules: Vec<(String, String)>,
    descriptor_set: Option<PathBuf>,
    json_module: Option<String>,
    #[cfg(feature = "grpc")]
    grpc: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A generator whose code uses the `cancelwire` crate and whose imports
    /// of cancelwire's packages are cancelwire's types.
    ///
    /// ```
    /// let builder = cancelwire_build::Builder::new().include("proto");
    /// # let _ = builder;
    /// ```
    pub fn new() -> Self {
        Self {
            includes: Vec::new(),
            out_dir: None,
            runtime: "::cancelwire".into(),
            externs: CANCELWIRE_PACKAGES
                .iter()
                .map(|(package, module)| (format!(".{package}"), format!("::cancelwire::{module}")))
                .collect(),
            prost_only_externs: Vec::new(),
            json_by_hand: Vec::new(),
            registration: true,
            doc_modules: Vec::new(),
            descriptor_set: None,
            json_module: None,
            #[cfg(feature = "grpc")]
            grpc: false,
        }
    }

    /// Adds a directory that imports are resolved against, searched in the
    /// order given, before cancelwire's own files.
    ///
    /// ```
    /// let builder = cancelwire_build::Builder::new().include("proto").include("vendor/proto");
    /// # let _ = builder;
    /// ```
    pub fn include(mut self, dir: impl AsRef<Path>) -> Self {
        self.includes.push(dir.as_ref().to_owned());
        self
    }

    /// Where the `.rs` files go; `OUT_DIR` by default.
    ///
    /// ```
    /// let builder = cancelwire_build::Builder::new().out_dir(std::env::temp_dir());
    /// # let _ = builder;
    /// ```
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Uses existing Rust types for a protobuf package or message (with a
    /// leading dot), as prost-build's `extern_path`: for packages generated
    /// by cancelwire-build in another crate.
    ///
    /// ```
    /// let builder = cancelwire_build::Builder::new().extern_path(".my.common.v1", "::my_common::v1");
    /// # let _ = builder;
    /// ```
    pub fn extern_path(mut self, proto: impl Into<String>, rust: impl Into<String>) -> Self {
        self.externs.push((proto.into(), rust.into()));
        self
    }

    /// Also writes the compiled files (imports included, no source info)
    /// as an encoded `FileDescriptorSet`.
    ///
    /// ```
    /// let builder = cancelwire_build::Builder::new().file_descriptor_set_path("descriptors.bin");
    /// # let _ = builder;
    /// ```
    pub fn file_descriptor_set_path(mut self, path: impl AsRef<Path>) -> Self {
        self.descriptor_set = Some(path.as_ref().to_owned());
        self
    }

    /// Also generates tonic client and server stubs for the services, typed
    /// by the generated messages.
    ///
    /// ```
    /// let builder = cancelwire_build::Builder::new().grpc(true);
    /// # let _ = builder;
    /// ```
    #[cfg(feature = "grpc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "grpc")))]
    pub fn grpc(mut self, yes: bool) -> Self {
        self.grpc = yes;
        self
    }

    /// For cancelwire itself: the path of the runtime crate in the
    /// generated code (`crate` inside cancelwire).
    #[doc(hidden)]
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = path.into();
        self
    }

    /// For cancelwire itself: forgets the extern paths of cancelwire's
    /// packages (to generate them).
    #[doc(hidden)]
    pub fn clear_extern_paths(mut self) -> Self {
        self.externs.clear();
        self
    }

    /// For cancelwire itself: a message whose prost struct and encoding are
    /// written by hand at `rust`, but whose JSON is generated.
    #[doc(hidden)]
    pub fn hand_written_message(
        mut self,
        proto: impl Into<String>,
        rust: impl Into<String>,
    ) -> Self {
        self.prost_only_externs.push((proto.into(), rust.into()));
        self
    }

    /// For cancelwire itself: messages (full names) whose JSON impls are
    /// written by hand (the well-known types with special JSON forms).
    #[doc(hidden)]
    pub fn json_by_hand(mut self, full_names: &[&str]) -> Self {
        self.json_by_hand
            .extend(full_names.iter().map(|s| (*s).to_owned()));
        self
    }

    /// For cancelwire itself: no `register_types` functions (its registry
    /// knows its types), and doc examples that run, with the enums of
    /// `package` used from `module`.
    #[doc(hidden)]
    pub fn runtime_docs(mut self, package: &str, module: &str) -> Self {
        self.registration = false;
        self.doc_modules
            .push((package.to_owned(), module.to_owned()));
        self
    }

    /// For cancelwire itself: the JSON impls go to `<package>.json.rs`
    /// instead, for the `json` module to include, naming the package's types
    /// from `module` (so the packages do not depend on `json`).
    #[doc(hidden)]
    pub fn json_beside(mut self, module: impl Into<String>) -> Self {
        self.json_module = Some(module.into());
        self
    }

    /// Compiles `files` (paths under an include directory, or import names
    /// of cancelwire's own files) and writes `<package>.rs` for each package
    /// among them that is not an extern path.
    ///
    /// ```no_run
    /// let generated = cancelwire_build::Builder::new()
    ///     .include("proto")
    ///     .compile(&["proto/my/jobs/v1/jobs.proto"])?;
    /// assert_eq!(generated.packages(), ["my.jobs.v1"]);
    /// # Ok::<(), cancelwire_build::Error>(())
    /// ```
    pub fn compile(&self, files: &[impl AsRef<Path>]) -> Result<Generated, Error> {
        for include in &self.includes {
            println!("cargo:rerun-if-changed={}", include.display());
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| Error::new("OUT_DIR is not set: call out_dir() outside build.rs"))?,
        };

        let mut resolver = protox::file::ChainFileResolver::new();
        for include in &self.includes {
            resolver.add(protox::file::IncludeFileResolver::new(include.clone()));
        }
        resolver.add(BundledFiles);
        resolver.add(protox::file::GoogleFileResolver::new());
        let mut compiler = protox::Compiler::with_file_resolver(resolver);
        compiler.include_imports(true).include_source_info(true);
        for file in files {
            compiler
                .open_file(file.as_ref())
                .map_err(|e| Error::new(format!("{}: {e}", file.as_ref().display())))?;
        }
        let set = compiler.file_descriptor_set();
        if let Some(path) = &self.descriptor_set {
            compiler.include_source_info(false);
            fs::write(path, compiler.encode_file_descriptor_set())
                .map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
        }
        let requested: Vec<String> = compiler
            .files()
            .filter(|f| !f.is_import())
            .map(|f| f.name().to_owned())
            .collect();
        self.generate(&set, &requested, &out_dir)
            .map_err(Error::new)
    }

    fn is_extern(&self, package: &str) -> bool {
        let dotted = format!(".{package}");
        self.externs
            .iter()
            .any(|(proto, _)| dotted == *proto || dotted.starts_with(&format!("{proto}.")))
    }

    fn generate(
        &self,
        set: &prost_types::FileDescriptorSet,
        requested: &[String],
        out_dir: &Path,
    ) -> Result<Generated, String> {
        let files: Vec<&prost_types::FileDescriptorProto> = set
            .file
            .iter()
            .filter(|f| requested.iter().any(|r| r == f.name()) && !self.is_extern(f.package()))
            .collect();
        for name in requested {
            let Some(file) = set.file.iter().find(|f| f.name() == name) else {
                continue;
            };
            if self.is_extern(file.package()) && !BUNDLED.iter().any(|(b, _)| b == name) {
                return Err(format!(
                    "{name}: package {} is already generated elsewhere (cancelwire's own, or an \
                     extern path): its types would not be these; use a package of your own",
                    file.package()
                ));
            }
        }
        for file in &files {
            if file.syntax() != "proto3" {
                return Err(format!(
                    "{}: only proto3 files are supported (syntax {:?})",
                    file.name(),
                    file.syntax()
                ));
            }
        }
        let mut packages: Vec<String> = files.iter().map(|f| f.package().to_owned()).collect();
        packages.sort();
        packages.dedup();
        let (messages, enums) = schema::walk(&files);
        check_clashes(&messages, &enums)?;

        let all_externs: Vec<(String, String)> = self
            .externs
            .iter()
            .chain(&self.prost_only_externs)
            .cloned()
            .collect();
        let resolver = Resolver {
            externs: &all_externs,
            generated: &packages,
            local_prefix: "",
        };
        let open_enum_names: Vec<String> = enums.iter().map(|e| e.full_name.clone()).collect();

        // prost: every generated package in one run, so that prost's own
        // relative paths between them hold; enums and hand-written messages
        // are extern, so prost writes none of its own for them.
        let mut config = prost_build::Config::new();
        config
            .bytes(["."])
            .btree_map(["."])
            .compile_well_known_types()
            .enable_type_names()
            .type_name_domain(["."], "type.googleapis.com")
            .out_dir(out_dir);
        for (proto, rust) in &all_externs {
            config.extern_path(proto, rust);
        }
        for e in &enums {
            // prost writes this path only into the `enumeration = ".."`
            // attribute, which is patched to `int32` below; the extern path
            // keeps prost from writing a closed enum of its own.
            let path = resolver.open_enum(&format!(".{}", e.full_name), &e.package)?;
            config.extern_path(format!(".{}", e.full_name), format!("crate::{path}"));
        }
        #[cfg(feature = "grpc")]
        if self.grpc {
            config.service_generator(
                tonic_prost_build::configure()
                    .build_client(true)
                    .build_server(true)
                    .build_transport(false)
                    .service_generator(),
            );
        }
        // prost needs the imported files too (it looks at every message a
        // field refers to), and writes every package it is given: its
        // output goes to a directory of its own, of which only the
        // generated packages are kept. Imports in a generated package that
        // were not asked for (descriptor.proto beside cancelwire's WKTs)
        // are left out, so they do not join that package's file.
        let prost_dir = out_dir.join("cancelwire-build-prost");
        fs::create_dir_all(&prost_dir).map_err(|e| format!("{}: {e}", prost_dir.display()))?;
        config.out_dir(&prost_dir);
        let prost_set = prost_types::FileDescriptorSet {
            file: set
                .file
                .iter()
                .filter(|f| {
                    requested.iter().any(|r| r == f.name())
                        || !packages.iter().any(|p| p == f.package())
                })
                .cloned()
                .collect(),
        };
        config
            .compile_fds(prost_set)
            .map_err(|e| format!("prost-build: {e}"))?;

        let mut generated = Generated {
            messages: Vec::new(),
            packages: packages.clone(),
        };
        for package in &packages {
            let prost_path = prost_dir.join(package_file(package));
            let prost_code = fs::read_to_string(&prost_path)
                .map_err(|e| format!("{}: {e}", prost_path.display()))?;
            let path = out_dir.join(package_file(package));
            let (code, patched) = open_enum_fields_as_int32(&prost_code);
            let (mut code, stripped) = codec::strip_message_derives(&code, &self.runtime);
            let expected = open_enum_fields(&files, package);
            if patched != expected {
                return Err(format!(
                    "{package}: prost's output has {patched} open-enum fields to patch, the \
                     descriptors {expected}: prost's attribute format changed, or a field form is \
                     not handled"
                ));
            }
            let own: Vec<&schema::Message<'_>> =
                messages.iter().filter(|m| &m.package == package).collect();
            let generated_structs: Vec<&&schema::Message<'_>> = own
                .iter()
                .filter(|m| hand_written_path(&self.prost_only_externs, &m.full_name).is_none())
                .collect();
            if stripped != generated_structs.len() {
                return Err(format!(
                    "{package}: prost's output has {stripped} derived messages, the descriptors \
                     {}: prost's output format changed",
                    generated_structs.len()
                ));
            }
            code.push_str("\n// @generated by cancelwire-build: binary codec.\n\n");
            for message in &generated_structs {
                codec::write_message(&resolver, &self.runtime, message, &mut code)?;
            }
            let docs = DocExamples {
                fence: if self.doc_modules.is_empty() {
                    "```ignore"
                } else {
                    "```"
                },
                module: self
                    .doc_modules
                    .iter()
                    .find(|(p, _)| p == package)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_else(|| {
                        package
                            .split('.')
                            .map(to_snake)
                            .collect::<Vec<_>>()
                            .join("::")
                    }),
            };
            code.push_str("\n// @generated by cancelwire-build: open enums.\n\n");
            let own_enums: Vec<&schema::Enum<'_>> =
                enums.iter().filter(|e| &e.package == package).collect();
            for e in &own_enums {
                code.push_str(&open_enums::open_enum_code(e, &self.runtime, &docs)?);
            }
            let local_prefix = self
                .json_module
                .as_ref()
                .map(|module| format!("{module}::"))
                .unwrap_or_default();
            let json_resolver = Resolver {
                local_prefix: &local_prefix,
                ..resolver
            };
            let context = json::Context {
                resolver: &json_resolver,
                hand_written: &self.prost_only_externs,
                package,
                open_enums: &open_enum_names,
            };
            let mut json_code = String::from("// @generated by cancelwire-build: ProtoJSON.\n\n");
            for e in &own_enums {
                let path = json_resolver.open_enum(&format!(".{}", e.full_name), package)?;
                json_code.push_str(&open_enums::open_enum_json(&self.runtime, &path));
            }
            json_code.push_str(&format!(
                "\n#[allow(clippy::all, unused_qualifications)]\nconst _: () = {{\n\
                 use {rt}::__private::field_kinds;\nuse {rt}::__private::serde;\n\n",
                rt = self.runtime
            ));
            for message in &own {
                if self.json_by_hand.contains(&message.full_name) {
                    continue;
                }
                json::write_message(&context, message, &mut json_code)?;
            }
            json_code.push_str("};\n");
            if self.json_module.is_some() {
                let json_path = out_dir.join(format!("{package}.json.rs"));
                fs::write(&json_path, json_code)
                    .map_err(|e| format!("{}: {e}", json_path.display()))?;
            } else {
                code.push_str(&json_code);
            }
            if self.registration {
                code.push_str(&registration(package, &own, &self.runtime));
            }
            fs::write(&path, code).map_err(|e| format!("{}: {e}", path.display()))?;
            generated
                .messages
                .extend(own.iter().map(|m| GeneratedMessage {
                    full_name: m.full_name.clone(),
                    package: m.package.clone(),
                    rust_path: nested_path(&m.nested_name),
                }));
        }
        Ok(generated)
    }
}

/// Whether `full_name` (no leading dot) is a hand-written message or nested
/// in one.
fn hand_written_path(hand_written: &[(String, String)], full_name: &str) -> Option<()> {
    let dotted = format!(".{full_name}");
    hand_written
        .iter()
        .any(|(proto, _)| dotted == *proto || dotted.starts_with(&format!("{proto}.")))
        .then_some(())
}

/// The file prost writes a package to.
fn package_file(package: &str) -> String {
    if package.is_empty() {
        "_.rs".into()
    } else {
        format!("{package}.rs")
    }
}

/// Two open enums of a package (enums are flattened to the package's root)
/// or an enum and a top-level message with the same Rust name.
fn check_clashes(
    messages: &[schema::Message<'_>],
    enums: &[schema::Enum<'_>],
) -> Result<(), String> {
    for (i, a) in enums.iter().enumerate() {
        let name = names::to_upper_camel(a.descriptor.name());
        if let Some(b) = enums
            .iter()
            .skip(i + 1)
            .find(|b| b.package == a.package && names::to_upper_camel(b.descriptor.name()) == name)
        {
            return Err(format!(
                "{}: enums {} and {} would both be `{name}` at the root of package {}",
                b.file, a.full_name, b.full_name, a.package
            ));
        }
        if let Some(m) = messages.iter().find(|m| {
            m.package == a.package
                && !m.nested_name.contains('.')
                && nested_path(&m.nested_name) == name
        }) {
            return Err(format!(
                "{}: enum {} and message {} would both be `{name}` at the root of package {}",
                a.file, a.full_name, m.full_name, a.package
            ));
        }
    }
    Ok(())
}

/// `register_types` for one package.
fn registration(package: &str, messages: &[&schema::Message<'_>], runtime: &str) -> String {
    let mut body = String::new();
    for m in messages {
        body.push_str(&format!(
            "    registry.register::<{}>();\n",
            nested_path(&m.nested_name)
        ));
    }
    format!(
        "\n/// Registers every message of `{package}` in `registry`, so that `Any` payloads\n\
         /// of these types print and parse as ProtoJSON.\n\
         pub fn register_types(registry: &mut {runtime}::registry::Registry) {{\n{body}}}\n"
    )
}

/// How many fields of `package` carry an open enum (singular, repeated or
/// as a map value): every enum field but `google.protobuf.NullValue`'s.
fn open_enum_fields(files: &[&prost_types::FileDescriptorProto], package: &str) -> usize {
    use prost_types::field_descriptor_proto::Type;
    fn count(message: &prost_types::DescriptorProto) -> usize {
        let own = message
            .field
            .iter()
            .filter(|f| f.r#type() == Type::Enum && f.type_name() != NULL_VALUE)
            .count();
        // Map entries are nested types: their enum values count here.
        own + message.nested_type.iter().map(count).sum::<usize>()
    }
    files
        .iter()
        .filter(|f| f.package() == package)
        .flat_map(|f| &f.message_type)
        .map(count)
        .sum()
}

/// The one enum that stays prost's closed enum: its only value is JSON
/// `null`.
const NULL_VALUE: &str = ".google.protobuf.NullValue";

/// prost marks enum fields `enumeration = "Path"` (map values
/// `enumeration(Path)`) and derives getters that turn unknown numbers into
/// the default. An open enum is encoded exactly like `int32`, so the
/// attribute says so; `NullValue`'s stay. Returns the code and how many
/// places were patched.
fn open_enum_fields_as_int32(code: &str) -> (String, usize) {
    let mut out = String::with_capacity(code.len());
    let mut count = 0;
    let mut rest = code;
    while let Some(start) = rest.find("enumeration") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let quoted = from
            .strip_prefix("enumeration = \"")
            .and_then(|r| r.find('"').map(|end| (r, end)));
        let parenthesised = from
            .strip_prefix("enumeration(")
            .and_then(|r| r.find(')').map(|end| (r, end)));
        match quoted.or(parenthesised) {
            Some((path_and_rest, end)) => {
                let path = path_and_rest.get(..end).unwrap_or_default();
                let consumed = from.len() - path_and_rest.len() + end + 1;
                if path.ends_with("NullValue") {
                    out.push_str(from.get(..consumed).unwrap_or_default());
                } else {
                    out.push_str("int32");
                    count += 1;
                }
                rest = from.get(consumed..).unwrap_or_default();
            }
            None => {
                out.push_str("enumeration");
                rest = from.get("enumeration".len()..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_attributes_become_int32_but_null_value() {
        let code = "#[prost(enumeration = \"super::Phase\", tag = \"1\")]\n\
                    #[prost(map = \"string, enumeration(Phase)\", tag = \"2\")]\n\
                    #[prost(enumeration = \"::cancelwire::wkt::NullValue\", tag = \"3\")]\n\
                    // enumeration is a word\n";
        let (patched, count) = open_enum_fields_as_int32(code);
        assert_eq!(count, 2);
        assert!(
            patched.contains("#[prost(int32, tag = \"1\")]"),
            "{patched}"
        );
        assert!(patched.contains("map = \"string, int32\""), "{patched}");
        assert!(patched.contains("enumeration = \"::cancelwire::wkt::NullValue\""));
        assert!(patched.ends_with("// enumeration is a word\n"));
    }

    #[test]
    fn every_bundled_file_is_in_the_proto_directory_and_back() {
        let mut on_disk = Vec::new();
        fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    collect(&path, root, out);
                } else {
                    out.push(
                        path.strip_prefix(root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("proto");
        collect(&root, &root, &mut on_disk);
        on_disk.sort();
        let mut bundled: Vec<String> = bundled_files().map(str::to_owned).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled);
    }
}
