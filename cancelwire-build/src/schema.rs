//! The messages and enums of the files being generated, found by walking
//! their descriptors.

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};
use std::collections::{HashMap, HashSet};

/// A message to generate (map entries excluded).
#[derive(Clone)]
pub(crate) struct Message<'a> {
    /// Full name without the leading dot.
    pub full_name: String,
    pub package: String,
    /// The `.proto` file, for errors.
    pub file: &'a str,
    /// Path from the package's root: `Outer.Inner`.
    pub nested_name: String,
    pub descriptor: &'a DescriptorProto,
    /// Its path in the file's source info, for comments.
    pub path: Vec<i32>,
    /// The file's descriptor, for the comments of its elements.
    pub file_descriptor: &'a FileDescriptorProto,
}

/// An enum to generate as an open newtype.
#[derive(Clone)]
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
pub(crate) fn comments_at(file: &FileDescriptorProto, path: &[i32]) -> String {
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
        path: path.clone(),
        file_descriptor: file,
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

/// Where one message or enum of the compiled set is defined.
pub(crate) struct TypeInfo<'a> {
    pub file: &'a FileDescriptorProto,
    /// Path from the package's root: `Outer.Inner`.
    pub nested_name: String,
    /// The message's descriptor; `None` for an enum.
    pub message: Option<&'a DescriptorProto>,
}

/// Every message and enum of a compiled set, by full name with its
/// leading dot, imports included: what a field's `type_name` points at.
pub(crate) struct Index<'a> {
    types: HashMap<String, TypeInfo<'a>>,
    /// `can_derive_eq`'s answers so far: it walks the same messages for
    /// every field that holds them.
    eq: std::cell::RefCell<HashMap<String, bool>>,
    /// See `find_components`.
    components: HashMap<String, usize>,
}

impl<'a> Index<'a> {
    pub fn new(files: impl IntoIterator<Item = &'a FileDescriptorProto>) -> Self {
        fn add<'a>(
            types: &mut HashMap<String, TypeInfo<'a>>,
            file: &'a FileDescriptorProto,
            scope: &str,
            message: &'a DescriptorProto,
        ) {
            let nested_name = join_nested(scope, message.name());
            for e in &message.enum_type {
                types.insert(
                    dotted(file.package(), &join_nested(&nested_name, e.name())),
                    TypeInfo {
                        file,
                        nested_name: join_nested(&nested_name, e.name()),
                        message: None,
                    },
                );
            }
            for nested in &message.nested_type {
                add(types, file, &nested_name, nested);
            }
            types.insert(
                dotted(file.package(), &nested_name),
                TypeInfo {
                    file,
                    nested_name,
                    message: Some(message),
                },
            );
        }
        let mut types = HashMap::new();
        for file in files {
            for e in &file.enum_type {
                types.insert(
                    dotted(file.package(), e.name()),
                    TypeInfo {
                        file,
                        nested_name: e.name().to_owned(),
                        message: None,
                    },
                );
            }
            for message in &file.message_type {
                add(&mut types, file, "", message);
            }
        }
        Self {
            components: Self::find_components(&types),
            types,
            eq: Default::default(),
        }
    }

    /// The message or enum named `name` (with its leading dot).
    pub fn get(&self, name: &str) -> Option<&TypeInfo<'a>> {
        self.types.get(name)
    }

    /// The strongly connected component of each message in the graph of
    /// singular message fields (oneof members included): two messages hold
    /// each other, directly or not, exactly when they share one. Tarjan's
    /// algorithm, with an explicit stack so deep graphs cannot overflow the
    /// thread's.
    fn find_components(types: &HashMap<String, TypeInfo<'a>>) -> HashMap<String, usize> {
        // The messages a message holds through singular message fields.
        let edges = |name: &str| -> Vec<&'a str> {
            types
                .get(name)
                .and_then(|t| t.message)
                .map(|m| {
                    m.field
                        .iter()
                        .filter(|f| f.r#type() == Type::Message && f.label() != Label::Repeated)
                        .map(|f| f.type_name())
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut low: HashMap<&str, usize> = HashMap::new();
        let mut on_stack: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = Vec::new();
        let mut component: HashMap<String, usize> = HashMap::new();
        let mut roots: Vec<&str> = types
            .iter()
            .filter(|(_, t)| t.message.is_some())
            .map(|(n, _)| n.as_str())
            .collect();
        roots.sort_unstable();
        for root in roots {
            if index.contains_key(root) {
                continue;
            }
            // (message, the messages it holds, how many of them are done)
            let mut work: Vec<(&str, Vec<&str>, usize)> = Vec::new();
            index.insert(root, index.len());
            low.insert(root, index.len() - 1);
            stack.push(root);
            on_stack.insert(root);
            work.push((root, edges(root), 0));
            while let Some((node, next, done)) = work.last_mut() {
                let node = *node;
                if let Some(&held) = next.get(*done) {
                    *done += 1;
                    if types.get(held).is_none_or(|t| t.message.is_none()) {
                        continue;
                    }
                    if let Some(&seen) = index.get(held) {
                        if on_stack.contains(held) {
                            let lowest = low.get(node).copied().unwrap_or(seen).min(seen);
                            low.insert(node, lowest);
                        }
                    } else {
                        let at = index.len();
                        index.insert(held, at);
                        low.insert(held, at);
                        stack.push(held);
                        on_stack.insert(held);
                        work.push((held, edges(held), 0));
                    }
                    continue;
                }
                work.pop();
                let node_low = low.get(node).copied().unwrap_or_default();
                if let Some((parent, _, _)) = work.last() {
                    let lowest = low.get(parent).copied().unwrap_or(node_low).min(node_low);
                    low.insert(parent, lowest);
                }
                if Some(&node_low) == index.get(node) {
                    let id = component.len();
                    while let Some(member) = stack.pop() {
                        on_stack.remove(member);
                        component.insert(member.to_owned(), id);
                        if member == node {
                            break;
                        }
                    }
                }
            }
        }
        component
    }

    /// Whether message `from` holds `to` through singular message fields,
    /// where `to` holds `from` too: then a field of type `from` inside `to`
    /// would make `to` infinitely large (prost's rule for boxing).
    fn holds_back(&self, from: &str, to: &str) -> bool {
        match (self.components.get(from), self.components.get(to)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }

    /// Whether a singular message field of type `field_type` inside
    /// `message` is a `Box` (prost's rule: the field's type holds the
    /// message again).
    pub fn is_boxed(&self, message: &str, field: &FieldDescriptorProto) -> bool {
        field.label() != Label::Repeated
            && matches!(field.r#type(), Type::Message | Type::Group)
            && self.holds_back(field.type_name(), message)
    }

    /// prost's rule for deriving `Eq` and `Hash`: no floating-point field,
    /// no repeated or recursive message field, and every message field's
    /// type can derive them too.
    pub fn can_derive_eq(&self, message: &str) -> bool {
        if let Some(known) = self.eq.borrow().get(message) {
            return *known;
        }
        let Some(descriptor) = self.get(message).and_then(|t| t.message) else {
            return false;
        };
        let eq = descriptor
            .field
            .iter()
            .all(|field| self.can_field_derive_eq(message, field));
        self.eq.borrow_mut().insert(message.to_owned(), eq);
        eq
    }

    /// One field of prost's `Eq`/`Hash` rule.
    pub fn can_field_derive_eq(&self, message: &str, field: &FieldDescriptorProto) -> bool {
        match field.r#type() {
            Type::Message => {
                field.label() != Label::Repeated
                    && !self.holds_back(field.type_name(), message)
                    && self.can_derive_eq(field.type_name())
            }
            Type::Double | Type::Float | Type::Group => false,
            _ => true,
        }
    }
}

fn join_nested(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

fn dotted(package: &str, nested: &str) -> String {
    format!(".{}", qualified(package, nested))
}
