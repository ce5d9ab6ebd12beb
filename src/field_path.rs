//! [`FieldPath`]: where in a message something is, shared by JSON errors
//! and validation violations so that both name a field the same way.

use prost::Name;
use std::fmt;

/// Where something is in a message: the top-level message's name in
/// snake_case, then proto field names, `[i]` for list elements and
/// `["key"]` for map entries (`"` and `\` in the key escaped with `\`), as
/// in `operation.error.details[2]`.
///
/// JSON errors ([`crate::json::JsonError::path`]) and validation
/// violations ([`crate::validate::Violation::path`]) both use it, rooted
/// at the same name.
///
/// ```
/// use cancelwire::FieldPath;
///
/// let path = FieldPath::new("struct").field("fields").key("a\"b").field("list_value").index(3);
/// assert_eq!(path.to_string(), r#"struct.fields["a\"b"].list_value[3]"#);
/// assert_eq!(path, r#"struct.fields["a\"b"].list_value[3]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(String);

impl FieldPath {
    /// A path that starts with `root`.
    ///
    /// ```
    /// assert_eq!(cancelwire::FieldPath::new("request").as_str(), "request");
    /// ```
    pub fn new(root: impl Into<String>) -> Self {
        Self(root.into())
    }

    /// The root path of message type `M`: its name in snake_case.
    ///
    /// ```
    /// use cancelwire::FieldPath;
    ///
    /// let path = FieldPath::of::<cancelwire::flight::CancelFlightInfoRequest>();
    /// assert_eq!(path.as_str(), "cancel_flight_info_request");
    /// ```
    pub fn of<M: Name + ?Sized>() -> Self {
        Self::of_type_name(M::NAME)
    }

    /// The root path of the message type with this (full or short) name:
    /// its last component in snake_case.
    pub(crate) fn of_type_name(type_name: &str) -> Self {
        let name = type_name.rsplit('.').next().unwrap_or(type_name);
        let mut root = String::new();
        for (i, c) in name.char_indices() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    root.push('_');
                }
                root.push(c.to_ascii_lowercase());
            } else {
                root.push(c);
            }
        }
        Self(root)
    }

    /// The path of field `name` of the message at this path.
    ///
    /// ```
    /// let path = cancelwire::FieldPath::new("operation").field("error");
    /// assert_eq!(path.as_str(), "operation.error");
    /// ```
    pub fn field(&self, name: &str) -> Self {
        let mut path = self.clone();
        path.push_field(name);
        path
    }

    /// The path of element `index` of the list at this path.
    ///
    /// ```
    /// let path = cancelwire::FieldPath::new("status").field("details").index(2);
    /// assert_eq!(path.as_str(), "status.details[2]");
    /// ```
    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.push_index(index);
        path
    }

    /// The path of the entry `key` of the map at this path; `"` and `\` in
    /// the key are escaped with `\`.
    ///
    /// ```
    /// let path = cancelwire::FieldPath::new("struct").field("fields").key("limit");
    /// assert_eq!(path.as_str(), r#"struct.fields["limit"]"#);
    /// ```
    pub fn key(&self, key: &str) -> Self {
        let mut path = self.clone();
        path.push_key(key);
        path
    }

    /// The path as text.
    ///
    /// ```
    /// assert_eq!(cancelwire::FieldPath::new("x").field("y").as_str(), "x.y");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn push_field(&mut self, name: &str) {
        self.0.push('.');
        self.0.push_str(name);
    }

    pub(crate) fn push_index(&mut self, index: usize) {
        self.0.push('[');
        self.0.push_str(itoa::Buffer::new().format(index));
        self.0.push(']');
    }

    pub(crate) fn push_key(&mut self, key: &str) {
        self.0.push_str("[\"");
        for c in key.chars() {
            if matches!(c, '"' | '\\') {
                self.0.push('\\');
            }
            self.0.push(c);
        }
        self.0.push_str("\"]");
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for FieldPath {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl AsRef<str> for FieldPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::FieldPath;

    #[test]
    fn keys_escape_quotes_and_backslashes_only() {
        let path = FieldPath::new("s").key("a\"b\\c\nd");
        assert_eq!(path, "s[\"a\\\"b\\\\c\nd\"]");
    }

    #[test]
    fn roots_are_snake_case_names() {
        assert_eq!(FieldPath::of::<crate::rpc::ErrorInfo>(), "error_info");
    }
}
