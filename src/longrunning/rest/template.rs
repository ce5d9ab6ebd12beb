//! AIP-127 path templates (the syntax of `google.api.HttpRule`): parsing,
//! matching a request path, and expanding field values back into a path.
//!
//! ```text
//! Template = "/" Segments [ ":" Verb ]
//! Segments = Segment { "/" Segment }
//! Segment  = "*" | "**" | LITERAL | "{" FieldPath [ "=" Segments ] "}"
//! ```

use std::fmt;

/// One segment of a template, or of a variable's pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A fixed segment, compared with the percent-decoded path segment.
    Literal(String),
    /// `*`: exactly one segment.
    One,
    /// `**`: any number of segments, zero included.
    Any,
}

/// A variable: the field it binds and the segments `[start, end)` of the
/// template it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Variable {
    field: String,
    start: usize,
    end: usize,
}

/// A parsed AIP-127 path template, such as
/// `/v1/{name=projects/*/databases/*/operations/*}:cancel`.
///
/// A `*` matches exactly one path segment and a `**` any number of them
/// (zero included); a template may hold at most one `**`, anywhere (in the
/// middle too, as in `/v1/{name=**/operations/*}`), so that a path matches
/// in at most one way. `{name}` is short for `{name=*}`.
///
/// Matching percent-decodes each segment as `google/api/http.proto` says:
/// completely under a `*`, and except for `%2F` (which stays encoded, so that
/// the segments of the value are the segments of the path) under a `**`.
/// Expanding encodes the other way round: every character but the
/// unreserved ones (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, and a `/` is
/// kept only where a `**` covers several segments.
///
/// ```
/// use cancelwire::longrunning::rest::PathTemplate;
///
/// let template = PathTemplate::parse("/v1/{name=projects/*/databases/*/operations/*}:cancel")?;
/// let found = template.match_path("/v1/projects/demo/databases/d%201/operations/op-1:cancel").unwrap();
/// assert_eq!(found.get("name"), Some("projects/demo/databases/d 1/operations/op-1"));
///
/// let path = template.expand(&[("name", "projects/demo/databases/d 1/operations/op-1")])?;
/// assert_eq!(path, "/v1/projects/demo/databases/d%201/operations/op-1:cancel");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    source: String,
    segments: Vec<Segment>,
    variables: Vec<Variable>,
    verb: Option<String>,
}

/// What is wrong with a template; see [`TemplateError`].
///
/// ```
/// use cancelwire::longrunning::rest::{PathTemplate, TemplateErrorKind};
///
/// let err = PathTemplate::parse("/v1/{name=**}/{other=**}").unwrap_err();
/// assert_eq!(err.kind(), TemplateErrorKind::SecondDoubleWildcard);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateErrorKind {
    /// The template is empty or does not start with `/`.
    MissingLeadingSlash,
    /// Two `/` in a row, a `/` at the end, or a `/` right before `}` or `:`.
    EmptySegment,
    /// A character that may not appear where it does.
    UnexpectedCharacter,
    /// The template ends inside `{...}`.
    UnclosedVariable,
    /// A `{` inside a variable's pattern.
    NestedVariable,
    /// A variable's field path is empty or is not dot-separated identifiers.
    InvalidFieldPath,
    /// The same field is bound by two variables.
    DuplicateVariable,
    /// A second `**`: a path could then match in several ways.
    SecondDoubleWildcard,
    /// A `:` with no verb after it.
    EmptyVerb,
    /// A variable in a resource name pattern, where only literals, `*` and
    /// `**` may appear.
    VariableInNamePattern,
}

/// A path template that does not parse: which template, the byte offset
/// where the problem is, and what it is.
///
/// ```
/// use cancelwire::longrunning::rest::{PathTemplate, TemplateErrorKind};
///
/// let err = PathTemplate::parse("/v1/{name=operations/**").unwrap_err();
/// assert_eq!(err.kind(), TemplateErrorKind::UnclosedVariable);
/// assert_eq!(err.offset(), 23);
/// assert_eq!(
///     err.to_string(),
///     "path template `/v1/{name=operations/**`: at byte 23: the variable opened at byte 4 is not closed with `}`"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    template: String,
    offset: usize,
    kind: TemplateErrorKind,
    reason: String,
}

impl TemplateError {
    /// What kind of mistake it is.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{PathTemplate, TemplateErrorKind};
    ///
    /// let err = PathTemplate::parse("v1/operations").unwrap_err();
    /// assert_eq!(err.kind(), TemplateErrorKind::MissingLeadingSlash);
    /// ```
    pub fn kind(&self) -> TemplateErrorKind {
        self.kind
    }

    /// The byte offset in the template where the problem was found.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// assert_eq!(PathTemplate::parse("/v1//operations").unwrap_err().offset(), 4);
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The template that was rejected.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// assert_eq!(PathTemplate::parse("/v1/x:").unwrap_err().template(), "/v1/x:");
    /// ```
    pub fn template(&self) -> &str {
        &self.template
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "path template `{}`: at byte {}: {}",
            self.template, self.offset, self.reason
        )
    }
}

impl std::error::Error for TemplateError {}

/// Why [`PathTemplate::expand`] cannot build a path.
///
/// ```
/// use cancelwire::longrunning::rest::{ExpandError, PathTemplate};
///
/// let template = PathTemplate::parse("/v1/{name=projects/*/operations/*}")?;
/// let err = template.expand(&[("name", "operations/7")]).unwrap_err();
/// assert!(matches!(err, ExpandError::Mismatch { .. }));
/// assert_eq!(
///     err.to_string(),
///     "`name` = `operations/7` does not fit the pattern `projects/*/operations/*` of path template `/v1/{name=projects/*/operations/*}`"
/// );
/// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandError {
    /// No value was given for a variable of the template.
    Missing {
        /// The template.
        template: String,
        /// The variable's field path.
        field: String,
    },
    /// The value does not have the shape of the variable's pattern.
    Mismatch {
        /// The template.
        template: String,
        /// The variable's field path.
        field: String,
        /// The value that was given.
        value: String,
        /// The variable's pattern, like `projects/*/operations/*`.
        pattern: String,
    },
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpandError::Missing { template, field } => {
                write!(f, "path template `{template}` needs a value for `{field}`")
            }
            ExpandError::Mismatch {
                template,
                field,
                value,
                pattern,
            } => write!(
                f,
                "`{field}` = `{value}` does not fit the pattern `{pattern}` of path template `{template}`"
            ),
        }
    }
}

impl std::error::Error for ExpandError {}

/// The values a path gave the variables of a template, percent-decoded.
///
/// ```
/// use cancelwire::longrunning::rest::PathTemplate;
///
/// let template = PathTemplate::parse("/v1/{name=**}/operations")?;
/// let found = template.match_path("/v1/projects/p/locations/l/operations").unwrap();
/// assert_eq!(found.get("name"), Some("projects/p/locations/l"));
/// assert_eq!(found.get("parent"), None);
/// assert_eq!(found.iter().count(), 1);
/// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathMatch {
    values: Vec<(String, String)>,
}

impl PathMatch {
    /// The value of the variable bound to `field`.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// let found = PathTemplate::parse("/v1/{name=operations/**}")?.match_path("/v1/operations/a/b").unwrap();
    /// assert_eq!(found.get("name"), Some("operations/a/b"));
    /// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
    /// ```
    pub fn get(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
    }

    /// Every (field path, value), in template order.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// let template = PathTemplate::parse("/v1/{parent=shelves/*}/books/{book.id}")?;
    /// let found = template.match_path("/v1/shelves/s1/books/b2").unwrap();
    /// let all: Vec<_> = found.iter().collect();
    /// assert_eq!(all, [("parent", "shelves/s1"), ("book.id", "b2")]);
    /// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(f, v)| (f.as_str(), v.as_str()))
    }
}

// ---- parsing --------------------------------------------------------------

/// Characters a literal segment or verb may hold: RFC 3986 `pchar` without
/// `%` and `:`, and without the characters the template syntax uses.
fn literal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()+,;@".contains(c)
}

fn field_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

struct Parser<'a> {
    source: &'a str,
    chars: Vec<(usize, char)>,
    at: usize,
    segments: Vec<Segment>,
    variables: Vec<Variable>,
    any_at: Option<usize>,
}

/// Where parsing of a run of segments stops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The path itself: ends at the end of the text or at a verb.
    Path,
    /// A variable's pattern: ends at `}`.
    Variable,
    /// A bare resource name pattern: ends at the end of the text.
    Name,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Self {
        Self {
            source,
            chars: source.char_indices().collect(),
            at: 0,
            segments: Vec::new(),
            variables: Vec::new(),
            any_at: None,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars
            .get(self.at)
            .map_or(self.source.len(), |&(i, _)| i)
    }

    fn error(&self, kind: TemplateErrorKind, reason: impl Into<String>) -> TemplateError {
        TemplateError {
            template: self.source.to_owned(),
            offset: self.offset(),
            kind,
            reason: reason.into(),
        }
    }

    fn unexpected(&self) -> TemplateError {
        match self.peek() {
            Some(c) => self.error(
                TemplateErrorKind::UnexpectedCharacter,
                format!("unexpected `{c}`"),
            ),
            None => self.error(
                TemplateErrorKind::UnexpectedCharacter,
                "unexpected end of the template",
            ),
        }
    }

    /// Segments separated by `/`, up to (not including) whatever ends them.
    fn segments(&mut self, context: Context) -> Result<(), TemplateError> {
        loop {
            self.segment(context)?;
            match self.peek() {
                Some('/') => {
                    self.at += 1;
                    if matches!(self.peek(), None | Some('/' | '}' | ':')) {
                        return Err(self.error(
                            TemplateErrorKind::EmptySegment,
                            "a segment may not be empty",
                        ));
                    }
                }
                None if context == Context::Variable => {
                    return Err(self.unclosed());
                }
                None => return Ok(()),
                Some('}') if context == Context::Variable => return Ok(()),
                Some(':') if context == Context::Path => return Ok(()),
                Some(_) => return Err(self.unexpected()),
            }
        }
    }

    fn unclosed(&self) -> TemplateError {
        let opened = self.open_brace_offset();
        self.error(
            TemplateErrorKind::UnclosedVariable,
            format!("the variable opened at byte {opened} is not closed with `}}`"),
        )
    }

    fn open_brace_offset(&self) -> usize {
        self.chars
            .iter()
            .take(self.at)
            .rev()
            .find(|&&(_, c)| c == '{')
            .map_or(0, |&(i, _)| i)
    }

    fn segment(&mut self, context: Context) -> Result<(), TemplateError> {
        match self.peek() {
            Some('*') => {
                let start = self.at;
                self.at += 1;
                if self.peek() == Some('*') {
                    if self.any_at.is_some() {
                        self.at = start;
                        return Err(self.error(
                            TemplateErrorKind::SecondDoubleWildcard,
                            "a template may hold only one `**`",
                        ));
                    }
                    self.at += 1;
                    self.any_at = Some(self.segments.len());
                    self.segments.push(Segment::Any);
                } else {
                    self.segments.push(Segment::One);
                }
                Ok(())
            }
            Some('{') if context == Context::Path => self.variable(),
            Some('{') if context == Context::Variable => Err(self.error(
                TemplateErrorKind::NestedVariable,
                "a variable may not hold another variable",
            )),
            Some('{') => Err(self.error(
                TemplateErrorKind::VariableInNamePattern,
                "a resource name pattern holds only literals, `*` and `**`",
            )),
            Some('/') | None => Err(self.error(
                TemplateErrorKind::EmptySegment,
                "a segment may not be empty",
            )),
            Some(c) if literal_char(c) => {
                let mut literal = String::new();
                while let Some(c) = self.peek().filter(|&c| literal_char(c)) {
                    literal.push(c);
                    self.at += 1;
                }
                self.segments.push(Segment::Literal(literal));
                Ok(())
            }
            _ => Err(self.unexpected()),
        }
    }

    fn variable(&mut self) -> Result<(), TemplateError> {
        let open = self.offset();
        self.at += 1;
        let mut field = String::new();
        while let Some(c) = self.peek().filter(|&c| field_char(c)) {
            field.push(c);
            self.at += 1;
        }
        let valid = !field.is_empty()
            && field.split('.').all(|part| {
                part.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            });
        if !valid {
            return match self.peek() {
                Some('=' | '}') | None => Err(TemplateError {
                    template: self.source.to_owned(),
                    offset: open + 1,
                    kind: TemplateErrorKind::InvalidFieldPath,
                    reason: format!("`{field}` is not a field path (identifiers separated by `.`)"),
                }),
                Some(_) => Err(self.unexpected()),
            };
        }
        if self.variables.iter().any(|v| v.field == field) {
            return Err(TemplateError {
                template: self.source.to_owned(),
                offset: open + 1,
                kind: TemplateErrorKind::DuplicateVariable,
                reason: format!("`{field}` is bound twice"),
            });
        }
        let start = self.segments.len();
        self.variables.push(Variable {
            field,
            start,
            end: start,
        });
        match self.peek() {
            Some('=') => {
                self.at += 1;
                self.segments(Context::Variable)?;
            }
            Some('}') => self.segments.push(Segment::One),
            None => return Err(self.unclosed()),
            Some(_) => return Err(self.unexpected()),
        }
        // `segments(Context::Variable)` returns only at a `}`.
        self.at += 1;
        let end = self.segments.len();
        if let Some(variable) = self.variables.last_mut() {
            variable.end = end;
        }
        Ok(())
    }

    fn verb(&mut self) -> Result<Option<String>, TemplateError> {
        if self.peek() != Some(':') {
            return Ok(None);
        }
        self.at += 1;
        let mut verb = String::new();
        while let Some(c) = self.peek().filter(|&c| literal_char(c)) {
            verb.push(c);
            self.at += 1;
        }
        if self.peek().is_some() {
            return Err(self.unexpected());
        }
        if verb.is_empty() {
            return Err(self.error(
                TemplateErrorKind::EmptyVerb,
                "`:` must be followed by a verb",
            ));
        }
        Ok(Some(verb))
    }
}

impl PathTemplate {
    /// Parses a template: `/`, then segments separated by `/` (literals,
    /// `*`, `**` and `{field=segments}` variables), then an optional
    /// `:verb`.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// let template = PathTemplate::parse("/v1/{name=operations/**}:cancel")?;
    /// assert_eq!(template.verb(), Some("cancel"));
    /// assert_eq!(template.fields().collect::<Vec<_>>(), ["name"]);
    /// assert_eq!(template.as_str(), "/v1/{name=operations/**}:cancel");
    /// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
    /// ```
    pub fn parse(template: &str) -> Result<Self, TemplateError> {
        let mut parser = Parser::new(template);
        if parser.peek() != Some('/') {
            return Err(parser.error(
                TemplateErrorKind::MissingLeadingSlash,
                "a path template starts with `/`",
            ));
        }
        parser.at += 1;
        parser.segments(Context::Path)?;
        let verb = parser.verb()?;
        Ok(Self {
            source: template.to_owned(),
            segments: parser.segments,
            variables: parser.variables,
            verb,
        })
    }

    /// Parses a resource name pattern such as
    /// `projects/*/databases/*/operations/*` (no leading `/`, no variables,
    /// no verb): the template `/{name=PATTERN}`'s inner part. The errors'
    /// offsets count in `pattern`.
    pub(crate) fn parse_name_pattern(pattern: &str) -> Result<Vec<String>, TemplateError> {
        let mut parser = Parser::new(pattern);
        if parser.peek().is_none() {
            return Err(parser.error(
                TemplateErrorKind::EmptySegment,
                "a resource name pattern may not be empty",
            ));
        }
        parser.segments(Context::Name)?;
        Ok(parser
            .segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.clone(),
                Segment::One => "*".to_owned(),
                Segment::Any => "**".to_owned(),
            })
            .collect())
    }

    /// The template as it was written.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// assert_eq!(PathTemplate::parse("/v1/{name}")?.as_str(), "/v1/{name}");
    /// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The custom verb after the last `:`, if any.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// assert_eq!(PathTemplate::parse("/v1/{name=operations/**}:cancel")?.verb(), Some("cancel"));
    /// assert_eq!(PathTemplate::parse("/v1/{name=operations/**}")?.verb(), None);
    /// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
    /// ```
    pub fn verb(&self) -> Option<&str> {
        self.verb.as_deref()
    }

    /// The field paths the variables bind, in template order.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// let template = PathTemplate::parse("/v1/{parent=shelves/*}/books/{book.id}")?;
    /// assert_eq!(template.fields().collect::<Vec<_>>(), ["parent", "book.id"]);
    /// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
    /// ```
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|v| v.field.as_str())
    }

    /// Matches a request path (the path of the URI, still percent-encoded,
    /// without the query) and returns the decoded variable values, or `None`
    /// when the path does not fit: a different segment count or literal, an
    /// empty segment, a missing or different verb, or an escape that does
    /// not decode to UTF-8.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// // `**` in the middle, as google-api-core's default bindings have it.
    /// let get = PathTemplate::parse("/v1/{name=**/operations/*}")?;
    /// let found = get.match_path("/v1/projects/p/operations/op%3A1").unwrap();
    /// assert_eq!(found.get("name"), Some("projects/p/operations/op:1"));
    /// assert!(get.match_path("/v1/projects/p/operations").is_none());
    /// assert!(get.match_path("/v1/projects/p/operations/a/b").is_none());
    /// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
    /// ```
    pub fn match_path(&self, path: &str) -> Option<PathMatch> {
        let rest = path.strip_prefix('/')?;
        let rest = match &self.verb {
            Some(verb) => rest.strip_suffix(verb.as_str())?.strip_suffix(':')?,
            None => rest,
        };
        let raw: Vec<&str> = rest.split('/').collect();
        if raw.iter().any(|s| s.is_empty()) {
            // `/v1/` or `/v1//x`; the empty path `/` is one empty segment.
            return None;
        }
        let spans = spans(&self.segments, raw.len())?;
        // The decoded value of each path segment, by the kind of template
        // segment that covers it.
        let mut decoded = Vec::with_capacity(raw.len());
        for (segment, range) in self.segments.iter().zip(&spans) {
            for text in raw.get(range.clone())? {
                match segment {
                    Segment::Literal(literal) => {
                        if percent_decode(text, false)? != *literal {
                            return None;
                        }
                        decoded.push(literal.clone());
                    }
                    Segment::One => decoded.push(percent_decode(text, false)?),
                    Segment::Any => decoded.push(percent_decode(text, true)?),
                }
            }
        }
        let mut values = Vec::with_capacity(self.variables.len());
        for variable in &self.variables {
            let from = spans.get(variable.start).map_or(0, |r| r.start);
            let to = match variable.end.checked_sub(1) {
                Some(last) if variable.end > variable.start => spans.get(last)?.end,
                _ => from,
            };
            let value = decoded.get(from..to)?.join("/");
            values.push((variable.field.clone(), value));
        }
        Some(PathMatch { values })
    }

    /// Builds the path for these variable values: each value is split at
    /// `/` and must fit its variable's pattern (a single-segment variable,
    /// `{name}` or `{name=*}`, takes the whole value as one segment); a
    /// value segment under `*` or `**` is percent-encoded (all but
    /// `A-Z a-z 0-9 - . _ ~`), so the only `/` that remain are those between
    /// the segments a `**` covers and those the template writes.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::PathTemplate;
    ///
    /// let get = PathTemplate::parse("/v1/{name=operations/**}")?;
    /// assert_eq!(get.expand(&[("name", "operations/a b/c?d")])?, "/v1/operations/a%20b/c%3Fd");
    /// let one = PathTemplate::parse("/v1/{name}")?;
    /// assert_eq!(one.expand(&[("name", "a/b")])?, "/v1/a%2Fb"); // `*` is one segment
    /// let nested = PathTemplate::parse("/v1/{name=operations/*}")?;
    /// assert!(nested.expand(&[("name", "operations/a/b")]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expand(&self, values: &[(&str, &str)]) -> Result<String, ExpandError> {
        let mut parts: Vec<String> = Vec::new();
        let mut index = 0;
        for variable in &self.variables {
            // Literal segments of the template before this variable.
            for segment in self.segments.get(index..variable.start).unwrap_or_default() {
                parts.push(expand_bare(segment));
            }
            let field = variable.field.as_str();
            let value = values
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, v)| *v)
                .ok_or_else(|| ExpandError::Missing {
                    template: self.source.clone(),
                    field: field.to_owned(),
                })?;
            let pattern = self
                .segments
                .get(variable.start..variable.end)
                .unwrap_or_default();
            let mismatch = || ExpandError::Mismatch {
                template: self.source.clone(),
                field: field.to_owned(),
                value: value.to_owned(),
                pattern: pattern_text(pattern),
            };
            // A single-segment variable (`{name}`, `{name=*}`) takes the
            // whole value as its one segment, `/` included (encoded as
            // `%2F`); other patterns split the value at `/`.
            let pieces: Vec<&str> = if value.is_empty() {
                Vec::new()
            } else if pattern == [Segment::One] {
                vec![value]
            } else {
                value.split('/').collect()
            };
            if pieces.iter().any(|p| p.is_empty()) {
                return Err(mismatch());
            }
            let spans = spans(pattern, pieces.len()).ok_or_else(mismatch)?;
            for (segment, range) in pattern.iter().zip(spans) {
                for piece in pieces.get(range).unwrap_or_default() {
                    match segment {
                        Segment::Literal(literal) if literal != piece => return Err(mismatch()),
                        Segment::Literal(literal) => parts.push(literal.clone()),
                        Segment::One | Segment::Any => parts.push(percent_encode(piece)),
                    }
                }
            }
            index = variable.end;
        }
        for segment in self.segments.get(index..).unwrap_or_default() {
            parts.push(expand_bare(segment));
        }
        let mut path = format!("/{}", parts.join("/"));
        if let Some(verb) = &self.verb {
            path.push(':');
            path.push_str(verb);
        }
        Ok(path)
    }
}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// [`PathTemplate::parse`], for `str::parse`.
///
/// ```
/// use cancelwire::longrunning::rest::PathTemplate;
///
/// let template: PathTemplate = "/v1/{name=operations/**}".parse()?;
/// assert_eq!(template.to_string(), "/v1/{name=operations/**}");
/// # Ok::<(), cancelwire::longrunning::rest::TemplateError>(())
/// ```
impl std::str::FromStr for PathTemplate {
    type Err = TemplateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A `*` or `**` outside any variable has no value to expand: it is written
/// as itself, which no server path matches by accident.
fn expand_bare(segment: &Segment) -> String {
    match segment {
        Segment::Literal(text) => text.clone(),
        Segment::One => "*".to_owned(),
        Segment::Any => "**".to_owned(),
    }
}

fn pattern_text(pattern: &[Segment]) -> String {
    pattern
        .iter()
        .map(expand_bare)
        .collect::<Vec<_>>()
        .join("/")
}

/// How many of `count` path segments each template segment covers, as
/// ranges; `None` when the count cannot fit. At most one `**` exists, so
/// the split is unique.
fn spans(segments: &[Segment], count: usize) -> Option<Vec<std::ops::Range<usize>>> {
    let fixed = segments.iter().filter(|s| **s != Segment::Any).count();
    let has_any = segments.contains(&Segment::Any);
    let any_len = if has_any {
        count.checked_sub(fixed)?
    } else if count == fixed {
        0
    } else {
        return None;
    };
    let mut at = 0;
    Some(
        segments
            .iter()
            .map(|segment| {
                let len = if *segment == Segment::Any { any_len } else { 1 };
                let range = at..at + len;
                at += len;
                range
            })
            .collect(),
    )
}

/// Percent-decodes one path segment; `keep_slash` leaves `%2F` and `%2f`
/// as they are (the rule for `**`). `None` for a bad escape or bytes that
/// are not UTF-8.
fn percent_decode(text: &str, keep_slash: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|&h| (h as char).to_digit(16))?;
            let lo = bytes.get(i + 2).and_then(|&l| (l as char).to_digit(16))?;
            let byte = u8::try_from(hi * 16 + lo).ok()?;
            if keep_slash && byte == b'/' {
                out.extend_from_slice(bytes.get(i..i + 3)?);
            } else {
                out.push(byte);
            }
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `text` is well-formed percent-encoded UTF-8 (what
/// [`PathTemplate::match_path`] can read), for telling a malformed path
/// from one that no template matches.
pub(crate) fn is_well_encoded(text: &str) -> bool {
    percent_decode(text, false).is_some()
}

/// Percent-encodes everything but the unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
    out
}

fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16)
        .unwrap_or('0')
        .to_ascii_uppercase()
}

/// Decodes a query component: `+` is a space, then percent escapes.
pub(crate) fn query_decode(text: &str) -> Option<String> {
    percent_decode(&text.replace('+', " "), false)
}
