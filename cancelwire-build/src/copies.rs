//! Other copies of cancelwire's own `.proto` files (googleapis ships
//! `google/rpc/status.proto`, `google/longrunning/operations.proto`, ...):
//! found first on a user's include path, they are compiled instead of ours,
//! but their types stay cancelwire's. That only holds where the copy
//! declares nothing that ours does not, which is checked here element by
//! element; comments, file options and method options (HTTP bindings,
//! method signatures) may differ.

use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet,
};

/// cancelwire's own files, compiled from the bundled sources.
fn bundled_set() -> Result<FileDescriptorSet, String> {
    let mut resolver = protox::file::ChainFileResolver::new();
    resolver.add(crate::BundledFiles);
    resolver.add(protox::file::GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    for name in crate::bundled_files() {
        compiler
            .open_file(name)
            .map_err(|e| format!("cancelwire's own {name}: {e}"))?;
    }
    Ok(compiler.file_descriptor_set())
}

/// Checks every file of `set` that has the name of one of cancelwire's
/// files and a package that stays cancelwire's (`own`) against ours.
pub(crate) fn check_copies(
    set: &FileDescriptorSet,
    own: &[(String, String)],
) -> Result<(), String> {
    let copies: Vec<&FileDescriptorProto> = set
        .file
        .iter()
        .filter(|f| crate::is_bundled(f.name()) && own.iter().any(|(p, _)| p == f.package()))
        .collect();
    if copies.is_empty() {
        return Ok(());
    }
    let ours = bundled_set()?;
    for copy in copies {
        let Some(mine) = ours.file.iter().find(|f| f.name() == copy.name()) else {
            continue;
        };
        compare_file(mine, copy)?;
    }
    Ok(())
}

fn compare_file(ours: &FileDescriptorProto, copy: &FileDescriptorProto) -> Result<(), String> {
    let file = copy.name();
    if ours.package() != copy.package() {
        return Err(format!(
            "{file}: declares package {}, cancelwire's copy of this file is package {}",
            copy.package(),
            ours.package()
        ));
    }
    let scope = format!(".{}", copy.package());
    compare_messages(file, &scope, &ours.message_type, &copy.message_type)?;
    compare_enums(file, &scope, &ours.enum_type, &copy.enum_type)?;
    compare_fields(file, &scope, &ours.extension, &copy.extension, "extension")?;
    for service in &copy.service {
        let name = format!("{scope}.{}", service.name());
        let Some(mine) = ours.service.iter().find(|s| s.name() == service.name()) else {
            return Err(missing(file, "service", &name));
        };
        for method in &service.method {
            let method_name = format!("{name}.{}", method.name());
            let Some(m) = mine.method.iter().find(|m| m.name() == method.name()) else {
                return Err(missing(file, "method", &method_name));
            };
            if (
                m.input_type(),
                m.output_type(),
                m.client_streaming(),
                m.server_streaming(),
            ) != (
                method.input_type(),
                method.output_type(),
                method.client_streaming(),
                method.server_streaming(),
            ) {
                return Err(differs(
                    file,
                    "method",
                    &method_name,
                    "its request, response or streaming",
                ));
            }
        }
    }
    Ok(())
}

fn missing(file: &str, what: &str, name: &str) -> String {
    format!(
        "{file}: {what} {} is not in cancelwire's copy of this file, whose types are the ones \
         used: drop it from your copy, or generate it in a package of your own",
        name.trim_start_matches('.')
    )
}

fn differs(file: &str, what: &str, name: &str, how: &str) -> String {
    format!(
        "{file}: {what} {} differs from cancelwire's copy of this file in {how}",
        name.trim_start_matches('.')
    )
}

fn compare_messages(
    file: &str,
    scope: &str,
    ours: &[DescriptorProto],
    copy: &[DescriptorProto],
) -> Result<(), String> {
    for message in copy {
        let name = format!("{scope}.{}", message.name());
        let Some(mine) = ours.iter().find(|m| m.name() == message.name()) else {
            return Err(missing(file, "message", &name));
        };
        compare_fields(file, &name, &mine.field, &message.field, "field")?;
        compare_messages(file, &name, &mine.nested_type, &message.nested_type)?;
        compare_enums(file, &name, &mine.enum_type, &message.enum_type)?;
        let oneofs = |d: &DescriptorProto| -> Vec<String> {
            d.oneof_decl.iter().map(|o| o.name().to_owned()).collect()
        };
        if oneofs(mine) != oneofs(message) {
            return Err(differs(file, "message", &name, "its oneofs"));
        }
    }
    Ok(())
}

fn compare_fields(
    file: &str,
    scope: &str,
    ours: &[FieldDescriptorProto],
    copy: &[FieldDescriptorProto],
    what: &str,
) -> Result<(), String> {
    for field in copy {
        let name = format!("{scope}.{}", field.name());
        let Some(mine) = ours.iter().find(|f| f.name() == field.name()) else {
            return Err(missing(file, what, &name));
        };
        let wire = |f: &FieldDescriptorProto| {
            (
                f.number(),
                f.label(),
                f.r#type(),
                f.type_name().to_owned(),
                f.json_name().to_owned(),
                f.oneof_index,
                f.proto3_optional(),
                f.extendee().to_owned(),
                f.options.as_ref().and_then(|o| o.packed),
            )
        };
        if wire(mine) != wire(field) {
            return Err(differs(
                file,
                what,
                &name,
                "its number, type, label, JSON name, oneof or packing",
            ));
        }
    }
    Ok(())
}

fn compare_enums(
    file: &str,
    scope: &str,
    ours: &[EnumDescriptorProto],
    copy: &[EnumDescriptorProto],
) -> Result<(), String> {
    for e in copy {
        let name = format!("{scope}.{}", e.name());
        let Some(mine) = ours.iter().find(|m| m.name() == e.name()) else {
            return Err(missing(file, "enum", &name));
        };
        for value in &e.value {
            let value_name = format!("{name}.{}", value.name());
            match mine.value.iter().find(|v| v.name() == value.name()) {
                None => return Err(missing(file, "enum value", &value_name)),
                Some(v) if v.number() != value.number() => {
                    return Err(differs(file, "enum value", &value_name, "its number"));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}
