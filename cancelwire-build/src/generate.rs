//! From a compiled descriptor set to one formatted `<package>.rs` per
//! package: which files are generated, which types are someone else's, and
//! the order of the pieces in each file.

use crate::names::{Resolver, to_snake, to_upper_camel};
use crate::open_enums::{self, DocExamples};
use crate::schema::{self, Index};
use crate::{Builder, Generated, GeneratedMessage, codec, format, json, rust_types};
use prost_types::{DescriptorProto, FileDescriptorProto, FileDescriptorSet};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// The file a package is written to: its name as it is (`google.type.rs`),
/// `_.rs` for the empty package.
pub(crate) fn package_file(package: &str) -> String {
    if package.is_empty() {
        "_.rs".into()
    } else {
        format!("{package}.rs")
    }
}

/// Every file that must be generated: the requested ones that are not
/// someone else's, and every file defining a type they use, transitively.
/// Files that only declare options or extensions (`google/api/annotations.proto`)
/// are not needed and not generated.
fn files_to_generate<'a>(
    set: &'a FileDescriptorSet,
    requested: &[String],
    resolver: &Resolver<'_>,
    index: &Index<'_>,
) -> Vec<&'a FileDescriptorProto> {
    let mut needed: BTreeSet<&str> = BTreeSet::new();
    let mut queue: Vec<&str> = Vec::new();
    for name in requested {
        if let Some(file) = set.file.iter().find(|f| f.name() == name)
            && !owned_elsewhere(file, resolver)
            && needed.insert(file.name())
        {
            queue.push(file.name());
        }
    }
    while let Some(name) = queue.pop() {
        let Some(file) = set.file.iter().find(|f| f.name() == name) else {
            continue;
        };
        let mut used: Vec<&str> = Vec::new();
        fn fields<'b>(message: &'b DescriptorProto, used: &mut Vec<&'b str>) {
            used.extend(
                message
                    .field
                    .iter()
                    .filter(|f| !f.type_name().is_empty())
                    .map(|f| f.type_name()),
            );
            for nested in &message.nested_type {
                fields(nested, used);
            }
        }
        for message in &file.message_type {
            fields(message, &mut used);
        }
        for service in &file.service {
            for method in &service.method {
                used.extend([method.input_type(), method.output_type()]);
            }
        }
        for type_name in used {
            if resolver.is_extern(type_name) {
                continue;
            }
            if let Some(info) = index.get(type_name)
                && needed.insert(info.file.name())
            {
                queue.push(info.file.name());
            }
        }
    }
    set.file
        .iter()
        .filter(|f| needed.contains(f.name()))
        .collect()
}

/// Whether every type of `file` is someone else's: one of cancelwire's own
/// files, or a package behind an extern path.
fn owned_elsewhere(file: &FileDescriptorProto, resolver: &Resolver<'_>) -> bool {
    let own =
        crate::is_bundled(file.name()) && resolver.own.iter().any(|(p, _)| p == file.package());
    let dotted = format!(".{}", file.package());
    own || resolver
        .externs
        .iter()
        .any(|(proto, _)| dotted == *proto || dotted.starts_with(&format!("{proto}.")))
}

/// Refuses what cannot be generated: a requested file of one of
/// cancelwire's packages or of an extern package, files that are not
/// proto3.
fn check_inputs(
    set: &FileDescriptorSet,
    requested: &[String],
    generate: &[&FileDescriptorProto],
    resolver: &Resolver<'_>,
) -> Result<(), String> {
    for name in requested {
        let Some(file) = set.file.iter().find(|f| f.name() == name) else {
            continue;
        };
        if crate::is_bundled(name) {
            continue;
        }
        if resolver.own.iter().any(|(p, _)| p == file.package()) {
            return Err(format!(
                "{name}: package {} is cancelwire's own: its types are cancelwire's \
                 (`{}`), so a file of yours cannot add to it; use a package of your own",
                file.package(),
                resolver
                    .own
                    .iter()
                    .find(|(p, _)| p == file.package())
                    .map(|(_, rust)| rust.as_str())
                    .unwrap_or_default()
            ));
        }
        if owned_elsewhere(file, resolver) {
            return Err(format!(
                "{name}: package {} is an extern path: its types come from another crate, \
                 so they would not be these; use a package of your own or drop the extern path",
                file.package()
            ));
        }
    }
    for file in generate {
        if file.syntax() != "proto3" {
            let syntax = if file.syntax().is_empty() {
                "proto2"
            } else {
                file.syntax()
            };
            return Err(format!(
                "{}: only proto3 files are supported (syntax {syntax:?}); it is needed for \
                 its types, which a generated file uses",
                file.name()
            ));
        }
    }
    Ok(())
}

/// Two items of one Rust module with the same name: nested messages,
/// enums and oneofs of one message, or top-level messages and enums of one
/// package.
fn check_clashes(files: &[&FileDescriptorProto]) -> Result<(), String> {
    fn check(
        file: &FileDescriptorProto,
        scope: &str,
        items: Vec<(String, &str)>,
    ) -> Result<(), String> {
        for (i, (name, what)) in items.iter().enumerate() {
            if let Some((_, other)) = items.iter().skip(i + 1).find(|(n, _)| n == name) {
                return Err(format!(
                    "{}: {what} and {other} of {scope} would both be the Rust item `{name}`",
                    file.name()
                ));
            }
        }
        Ok(())
    }
    fn visit(
        file: &FileDescriptorProto,
        scope: &str,
        message: &DescriptorProto,
    ) -> Result<(), String> {
        let full = format!("{scope}.{}", message.name());
        let mut items: Vec<(String, &str)> = Vec::new();
        for nested in message
            .nested_type
            .iter()
            .filter(|m| !schema::is_map_entry(m))
        {
            items.push((to_upper_camel(nested.name()), "a message"));
        }
        for e in &message.enum_type {
            items.push((to_upper_camel(e.name()), "an enum"));
        }
        // A oneof whose name is taken gets `OneOf` after it, as in prost.
        check(file, full.trim_start_matches('.'), items)?;
        for nested in &message.nested_type {
            visit(file, &full, nested)?;
        }
        Ok(())
    }
    let mut packages: Vec<&str> = files.iter().map(|f| f.package()).collect();
    packages.dedup();
    for package in packages {
        let in_package: Vec<&&FileDescriptorProto> =
            files.iter().filter(|f| f.package() == package).collect();
        let mut items: Vec<(String, &str)> = Vec::new();
        for file in &in_package {
            items.extend(
                file.message_type
                    .iter()
                    .map(|m| (to_upper_camel(m.name()), "a message")),
            );
            items.extend(
                file.enum_type
                    .iter()
                    .map(|e| (to_upper_camel(e.name()), "an enum")),
            );
            // A message's module beside a sub-package's module.
            items.extend(
                file.message_type
                    .iter()
                    .map(|m| (to_snake(m.name()), "a message's module")),
            );
        }
        if let Some(file) = in_package.first() {
            check(file, &format!("package {package}"), items)?;
        }
        for file in in_package {
            for message in &file.message_type {
                visit(file, &format!(".{package}").replace("..", "."), message)?;
            }
        }
    }
    Ok(())
}

/// `register_types` for one package.
fn registration(package: &str, messages: &[&schema::Message<'_>], runtime: &str) -> String {
    let mut body: String = messages
        .iter()
        .map(|m| {
            format!(
                "registry.register::<{}>();\n",
                crate::names::nested_path(&m.nested_name)
            )
        })
        .collect();
    if body.is_empty() {
        body.push_str("let _ = registry;\n");
    }
    format!(
        "/// Registers every message of `{package}` in `registry`, so that `Any` payloads\n\
         /// of these types print and parse as ProtoJSON.\n\
         pub fn register_types(registry: &mut {runtime}::registry::Registry) {{\n{body}}}\n"
    )
}

impl Builder {
    pub(crate) fn generate(
        &self,
        set: &FileDescriptorSet,
        requested: &[String],
        out_dir: &Path,
    ) -> Result<Generated, String> {
        let index = Index::new(&set.file);
        crate::copies::check_copies(set, &self.own)?;
        let probe = Resolver {
            index: &index,
            own: &self.own,
            externs: &self.externs,
            generated: &[],
            local_prefix: "",
        };
        let files = files_to_generate(set, requested, &probe, &index);
        check_inputs(set, requested, &files, &probe)?;
        check_clashes(&files)?;
        let mut packages: Vec<String> = files.iter().map(|f| f.package().to_owned()).collect();
        packages.sort();
        packages.dedup();
        let (messages, enums) = schema::walk(&files);

        let all_externs: Vec<(String, String)> = self
            .externs
            .iter()
            .chain(&self.prost_only_externs)
            .cloned()
            .collect();
        let resolver = Resolver {
            index: &index,
            own: &self.own,
            externs: &all_externs,
            generated: &packages,
            local_prefix: "",
        };
        let open_enum_names: Vec<String> = enums.iter().map(|e| e.full_name.clone()).collect();

        let mut generated = Generated {
            messages: Vec::new(),
            packages: packages.clone(),
        };
        for package in &packages {
            let own: Vec<schema::Message<'_>> = messages
                .iter()
                .filter(|m| &m.package == package)
                .cloned()
                .collect();
            let own_enums: Vec<schema::Enum<'_>> = enums
                .iter()
                .filter(|e| &e.package == package)
                .cloned()
                .collect();
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
                            .filter(|s| !s.is_empty())
                            .map(to_snake)
                            .collect::<Vec<_>>()
                            .join("::")
                    }),
            };
            let mut code = String::from(
                "// @generated by cancelwire-build from the package's `.proto` files.\n\n",
            );
            let types = rust_types::Context {
                resolver: &resolver,
                index: &index,
                package,
                runtime: &self.runtime,
                hand_written: &self.prost_only_externs,
                docs: &docs,
                enums: &own_enums,
            };
            types.write_package(&own, &mut code)?;
            if package == "google.protobuf"
                && files.iter().any(|f| {
                    f.package() == package && f.enum_type.iter().any(|e| e.name() == "NullValue")
                })
            {
                code.push_str(rust_types::null_value());
            }

            code.push_str("\n// The binary codec.\n");
            for message in own
                .iter()
                .filter(|m| !crate::hand_written_path(&self.prost_only_externs, &m.full_name))
            {
                codec::write_message(&resolver, &self.runtime, message, &mut code)?;
            }
            #[cfg(feature = "grpc")]
            if self.grpc {
                for file in files.iter().filter(|f| f.package() == package) {
                    code.push_str(&crate::services::stubs(
                        file,
                        &resolver,
                        package,
                        self.grpc_doc_cfg.as_deref(),
                    )?);
                }
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
            let mut json_code = String::from("// ProtoJSON.\n");
            for e in &own_enums {
                let path = json_resolver.path(&format!(".{}", e.full_name), package)?;
                json_code.push_str(&open_enums::open_enum_json(&self.runtime, &path));
            }
            let with_json: Vec<&schema::Message<'_>> = own
                .iter()
                .filter(|m| !self.json_by_hand.contains(&m.full_name))
                .collect();
            if !with_json.is_empty() {
                json_code.push_str(&format!(
                    "\n#[allow(clippy::all, unused_qualifications)]\nconst _: () = {{\n\
                     use {rt}::__private::field_kinds;\nuse {rt}::__private::serde;\n\n",
                    rt = self.runtime
                ));
                for message in with_json {
                    json::write_message(&context, message, &mut json_code)?;
                }
                json_code.push_str("};\n");
            }
            if self.json_module.is_some() {
                let json_path = out_dir.join(format!("{package}.json.rs"));
                let formatted = format::rust_file(&json_code)
                    .map_err(|e| format!("{package} (JSON impls): {e}"))?;
                fs::write(&json_path, formatted)
                    .map_err(|e| format!("{}: {e}", json_path.display()))?;
            } else {
                code.push_str(&json_code);
            }
            if self.registration {
                let refs: Vec<&schema::Message<'_>> = own.iter().collect();
                code.push_str(&registration(package, &refs, &self.runtime));
            }
            let formatted = format::rust_file(&code).map_err(|e| format!("{package}: {e}"))?;
            let path = out_dir.join(package_file(package));
            fs::write(&path, formatted).map_err(|e| format!("{}: {e}", path.display()))?;
            generated
                .messages
                .extend(own.iter().map(|m| GeneratedMessage {
                    full_name: m.full_name.clone(),
                    package: m.package.clone(),
                    rust_path: crate::names::nested_path(&m.nested_name),
                }));
        }
        if let Some(name) = &self.include_file {
            let path = out_dir.join(name);
            let text = format::rust_file(&include_file(&packages))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(generated)
    }
}

/// The module tree of `packages`, each including its file: what a
/// user's `lib.rs` includes once.
pub(crate) fn include_file(packages: &[String]) -> String {
    fn tree(packages: &[Vec<&str>], depth: usize, out: &mut String) {
        let mut i = 0;
        while let Some(first) = packages.get(i) {
            if first.len() == depth {
                let name = first.join(".");
                out.push_str(&format!("include!({:?});\n", package_file(&name)));
                i += 1;
                continue;
            }
            let Some(segment) = first.get(depth) else {
                i += 1;
                continue;
            };
            let group: Vec<Vec<&str>> = packages
                .iter()
                .skip(i)
                .take_while(|p| p.get(depth) == Some(segment))
                .cloned()
                .collect();
            let prefix: Vec<&str> = first.iter().take(depth + 1).copied().collect();
            // Generated code follows the `.proto` files, not a crate's lints.
            let holds_package = group.iter().any(|p| p.len() == depth + 1);
            out.push_str(&format!(
                "/// Protobuf package `{}`.\n{}pub mod {} {{\n",
                prefix.join("."),
                if holds_package {
                    "#[allow(clippy::all, missing_docs)]\n"
                } else {
                    ""
                },
                to_snake(segment)
            ));
            tree(&group, depth + 1, out);
            out.push_str("}\n");
            i += group.len();
        }
    }
    let mut split: Vec<Vec<&str>> = packages
        .iter()
        .map(|p| p.split('.').filter(|s| !s.is_empty()).collect())
        .collect();
    split.sort();
    let mut out = String::from(
        "// @generated by cancelwire-build: the module tree of the generated packages.\n\n",
    );
    tree(&split, 0, &mut out);
    out
}
