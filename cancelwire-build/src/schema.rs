//! The messages and enums of the files being generated, found by walking
//! their descriptors.

use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};

/// A message to generate (map entries excluded).
pub(crate) struct Message<'a> {
    /// Full name without the leading dot.
    pub full_name: String,
    pub package: String,
    /// The `.proto` file, for errors.
    pub file: &'a str,
    /// Path from the package's root: `Outer.Inner`.
    pub nested_name: String,
    pub descriptor: &'a DescriptorProto,
}

/// An enum to generate as an open newtype.
pub(crate) struct Enum<'a> {
    /// Full name without the leading dot.
    pub full_name: String,
    pub package: String,
    pub file: &'a str,
    pub descriptor: &'a EnumDescriptorProto,
    pub comments: String,
    pub value_comments: Vec<String>,
}

// Field numbers inside descriptor.proto, for source-info paths.
const FILE_MESSAGES: i32 = 4;
const FILE_ENUMS: i32 = 5;
const NESTED_MESSAGES: i32 = 3;
const NESTED_ENUMS: i32 = 4;
const ENUM_VALUES: i32 = 2;

/// The leading comments at `path` of `file`'s source info.
fn comments_at(file: &FileDescriptorProto, path: &[i32]) -> String {
    file.source_code_info
        .as_ref()
        .and_then(|info| info.location.iter().find(|l| l.path == path))
        .map(|l| l.leading_comments().trim().to_owned())
        .unwrap_or_default()
}

/// Whether `message` is the entry type of a map field.
pub(crate) fn is_map_entry(message: &DescriptorProto) -> bool {
    message.options.as_ref().is_some_and(|o| o.map_entry())
}

/// Every message and enum of `files`, nested ones included.
pub(crate) fn walk<'a>(files: &[&'a FileDescriptorProto]) -> (Vec<Message<'a>>, Vec<Enum<'a>>) {
    let mut messages = Vec::new();
    let mut enums = Vec::new();
    for file in files {
        for (i, enumeration) in file.enum_type.iter().enumerate() {
            // NullValue stays prost's closed enum: its only value is `null`.
            if file.package() == "google.protobuf" && enumeration.name() == "NullValue" {
                continue;
            }
            enums.push(new_enum(file, "", enumeration, vec![FILE_ENUMS, i as i32]));
        }
        for (i, message) in file.message_type.iter().enumerate() {
            visit(
                file,
                "",
                message,
                vec![FILE_MESSAGES, i as i32],
                &mut messages,
                &mut enums,
            );
        }
    }
    (messages, enums)
}

fn qualified(package: &str, nested: &str) -> String {
    if package.is_empty() {
        nested.to_owned()
    } else {
        format!("{package}.{nested}")
    }
}

fn new_enum<'a>(
    file: &'a FileDescriptorProto,
    scope: &str,
    enumeration: &'a EnumDescriptorProto,
    path: Vec<i32>,
) -> Enum<'a> {
    let value_comments = (0..enumeration.value.len())
        .map(|i| {
            let mut value_path = path.clone();
            value_path.extend([ENUM_VALUES, i as i32]);
            comments_at(file, &value_path)
        })
        .collect();
    let nested = if scope.is_empty() {
        enumeration.name().to_owned()
    } else {
        format!("{scope}.{}", enumeration.name())
    };
    Enum {
        full_name: qualified(file.package(), &nested),
        package: file.package().to_owned(),
        file: file.name(),
        descriptor: enumeration,
        comments: comments_at(file, &path),
        value_comments,
    }
}

fn visit<'a>(
    file: &'a FileDescriptorProto,
    scope: &str,
    message: &'a DescriptorProto,
    path: Vec<i32>,
    messages: &mut Vec<Message<'a>>,
    enums: &mut Vec<Enum<'a>>,
) {
    if is_map_entry(message) {
        return;
    }
    let nested_name = if scope.is_empty() {
        message.name().to_owned()
    } else {
        format!("{scope}.{}", message.name())
    };
    messages.push(Message {
        full_name: qualified(file.package(), &nested_name),
        package: file.package().to_owned(),
        file: file.name(),
        nested_name: nested_name.clone(),
        descriptor: message,
    });
    for (i, enumeration) in message.enum_type.iter().enumerate() {
        let mut enum_path = path.clone();
        enum_path.extend([NESTED_ENUMS, i as i32]);
        enums.push(new_enum(file, &nested_name, enumeration, enum_path));
    }
    for (i, nested) in message.nested_type.iter().enumerate() {
        let mut nested_path = path.clone();
        nested_path.extend([NESTED_MESSAGES, i as i32]);
        visit(file, &nested_name, nested, nested_path, messages, enums);
    }
}
