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
//!         .include_file("protos.rs")
//!         .compile(&["proto/my/jobs/v1/jobs.proto"])?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // lib.rs: the module tree of every generated package (`my::jobs::v1`).
//! include!(concat!(env!("OUT_DIR"), "/protos.rs"));
//! ```
//!
//! The code is laid out as prost-build lays it out, so a crate moving from
//! prost-build, tonic-build or pbjson-build changes its `build.rs` and little
//! else: a file per package (`$OUT_DIR/<package>.rs`), nested messages, enums
//! and oneofs in the snake_case module of their message
//! (`job_progress::Phase`), prost's names, boxing and derives. Every file
//! whose types the listed files use is generated too (googleapis'
//! `google.type`, `google.api`, ...), unless [`Builder::extern_path`] maps
//! its package to another crate. cancelwire's packages match whole package
//! names: `arrow.flight.protocol.sql` or `google.rpc.context` are yours to
//! generate. googleapis' own copies of cancelwire's files may be on the
//! include path: their types stay cancelwire's, and a copy that declares
//! something cancelwire's does not is a build error naming it.
//!
//! What each file holds, formatted (prettyplease) with the `.proto` comments
//! as docs:
//! - a struct per message, with `prost::Name` (`type.googleapis.com` URLs),
//!   `bytes::Bytes` for `bytes`, `BTreeMap` for maps and the fields it does
//!   not know kept as `unknown_fields`; its `prost::Message` impl encodes as
//!   the reference implementations do (maps with every key and value, in
//!   upb's order);
//! - every enum as an open newtype over `i32` (fields of enum type stay
//!   `i32`, so unknown numbers survive);
//! - ProtoJSON `Serialize`/`Deserialize` impls for every message and enum,
//!   and each message's field table (`WireJson`: number, JSON key, kind and
//!   presence of every field), from which `cancelwire::json` prints an
//!   `Any` payload straight from its wire bytes;
//! - with [`Builder::grpc`], tonic client and server stubs from
//!   tonic-build's code generator;
//! - `register_types(&mut cancelwire::registry::Registry)`, which registers
//!   every message of the package, so `Any` payloads of these types print
//!   and parse as JSON.
//!
//! Nothing a `.proto` file says makes the generator panic: what it cannot
//! generate is an [`Error`] naming the file and the element.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod codec;
mod copies;
mod format;
mod generate;
mod json;
mod names;
mod open_enums;
mod rust_types;
mod schema;
#[cfg(feature = "grpc")]
mod services;

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

/// Whether `name` is the import name of one of cancelwire's own files.
pub(crate) fn is_bundled(name: &str) -> bool {
    BUNDLED.iter().any(|(bundled, _)| *bundled == name)
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
    /// cancelwire's packages whose types are cancelwire's, with the Rust
    /// module of each.
    own: Vec<(String, String)>,
    externs: Vec<(String, String)>,
    prost_only_externs: Vec<(String, String)>,
    include_file: Option<String>,
    json_by_hand: Vec<String>,
    registration: bool,
    doc_modules: Vec<(String, String)>,
    descriptor_set: Option<PathBuf>,
    json_module: Option<String>,
    #[cfg(feature = "grpc")]
    grpc: bool,
    #[cfg(feature = "grpc")]
    grpc_doc_cfg: Option<String>,
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
            own: CANCELWIRE_PACKAGES
                .iter()
                .map(|(package, module)| ((*package).to_owned(), format!("::cancelwire::{module}")))
                .collect(),
            externs: Vec::new(),
            prost_only_externs: Vec::new(),
            include_file: None,
            json_by_hand: Vec::new(),
            registration: true,
            doc_modules: Vec::new(),
            descriptor_set: None,
            json_module: None,
            #[cfg(feature = "grpc")]
            grpc: false,
            #[cfg(feature = "grpc")]
            grpc_doc_cfg: None,
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

    /// For cancelwire itself: generates cancelwire's package `package`,
    /// whose types are otherwise cancelwire's; the other packages are
    /// named from the runtime path (`crate::rpc`).
    #[doc(hidden)]
    pub fn generate_cancelwire_package(mut self, package: &str) -> Self {
        self.own = CANCELWIRE_PACKAGES
            .iter()
            .filter(|(p, _)| *p != package)
            .map(|(p, module)| ((*p).to_owned(), format!("{}::{module}", self.runtime)))
            .collect();
        #[cfg(feature = "grpc")]
        {
            self.grpc_doc_cfg = Some("grpc".into());
        }
        self
    }

    /// Also writes `name` in the output directory: the module tree of every
    /// generated package (`pub mod my { pub mod jobs { pub mod v1 { .. } } }`),
    /// each including its file, so that a crate's `lib.rs` is one `include!`.
    ///
    /// ```no_run
    /// // build.rs
    /// cancelwire_build::Builder::new()
    ///     .include("proto")
    ///     .include_file("protos.rs")
    ///     .compile(&["proto/my/jobs/v1/jobs.proto"])?;
    /// // lib.rs: include!(concat!(env!("OUT_DIR"), "/protos.rs"));
    /// # Ok::<(), cancelwire_build::Error>(())
    /// ```
    pub fn include_file(mut self, name: impl Into<String>) -> Self {
        self.include_file = Some(name.into());
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
        let files: Vec<&Path> = files.iter().map(AsRef::as_ref).collect();
        // Nothing a user's input does may panic the build script: a panic of
        // ours or of a dependency is a bug, reported as an error all the same.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.compile_files(&files)))
            .unwrap_or_else(|panic| {
                let why = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("no message");
                Err(Error::new(format!(
                    "cancelwire-build panicked (a bug, please report it): {why}"
                )))
            })
    }

    fn compile_files(&self, files: &[&Path]) -> Result<Generated, Error> {
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
                .open_file(file)
                .map_err(|e| Error::new(format!("{}: {e}", file.display())))?;
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
}

/// Whether `full_name` (no leading dot) is a hand-written message or nested
/// in one.
fn hand_written_path(hand_written: &[(String, String)], full_name: &str) -> bool {
    let dotted = format!(".{full_name}");
    hand_written
        .iter()
        .any(|(proto, _)| dotted == *proto || dotted.starts_with(&format!("{proto}.")))
}

#[cfg(test)]
mod tests {
    use super::*;

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
