//! The HTTP bindings of the `Operations` service: which HTTP method and path
//! template call which RPC.

use super::template::{PathTemplate, TemplateError};
use std::fmt;

/// The RPCs of `google.longrunning.Operations`.
///
/// ```
/// use cancelwire::longrunning::rest::Rpc;
///
/// assert_eq!(Rpc::Cancel.full_name(), "google.longrunning.Operations.CancelOperation");
/// assert_eq!(Rpc::Cancel.to_string(), "CancelOperation");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rpc {
    /// `ListOperations`.
    List,
    /// `GetOperation`.
    Get,
    /// `DeleteOperation`.
    Delete,
    /// `CancelOperation`.
    Cancel,
    /// `WaitOperation`.
    Wait,
}

impl Rpc {
    /// The method's name in the service, like `CancelOperation`.
    ///
    /// ```
    /// assert_eq!(cancelwire::longrunning::rest::Rpc::List.name(), "ListOperations");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Rpc::List => "ListOperations",
            Rpc::Get => "GetOperation",
            Rpc::Delete => "DeleteOperation",
            Rpc::Cancel => "CancelOperation",
            Rpc::Wait => "WaitOperation",
        }
    }

    /// The fully qualified method name, the key google-api-core's
    /// `http_options` use.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Rpc;
    ///
    /// assert_eq!(Rpc::Wait.full_name(), "google.longrunning.Operations.WaitOperation");
    /// ```
    pub fn full_name(self) -> &'static str {
        match self {
            Rpc::List => "google.longrunning.Operations.ListOperations",
            Rpc::Get => "google.longrunning.Operations.GetOperation",
            Rpc::Delete => "google.longrunning.Operations.DeleteOperation",
            Rpc::Cancel => "google.longrunning.Operations.CancelOperation",
            Rpc::Wait => "google.longrunning.Operations.WaitOperation",
        }
    }

    /// Whether the request travels in the body (`body: "*"`): Cancel and
    /// Wait. The others take their fields from the path and query.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Rpc;
    ///
    /// assert!(Rpc::Cancel.has_body());
    /// assert!(!Rpc::Get.has_body());
    /// ```
    pub fn has_body(self) -> bool {
        matches!(self, Rpc::Cancel | Rpc::Wait)
    }
}

impl fmt::Display for Rpc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A binding that cannot be made: its template does not parse, binds
/// something other than `name`, or a name pattern has the wrong shape.
///
/// ```
/// use cancelwire::longrunning::rest::{Binding, BindingError, Rpc};
///
/// let err = Binding::new(Rpc::Get, http::Method::GET, "/v1/{operation=operations/*}").unwrap_err();
/// assert!(matches!(err, BindingError::Fields { .. }));
/// assert_eq!(
///     err.to_string(),
///     "GetOperation binding `/v1/{operation=operations/*}`: the path must bind exactly one variable, `name`; it binds [\"operation\"]"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingError {
    /// The path template does not parse.
    Template(TemplateError),
    /// The template binds other variables than exactly `name`.
    Fields {
        /// The RPC being bound.
        rpc: Rpc,
        /// The template.
        template: String,
        /// The fields it binds.
        found: Vec<String>,
    },
    /// A resource name pattern does not end with a literal collection and
    /// `*`, so there is no collection to list.
    NamePattern {
        /// The pattern.
        pattern: String,
    },
}

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindingError::Template(error) => error.fmt(f),
            BindingError::Fields {
                rpc,
                template,
                found,
            } => write!(
                f,
                "{rpc} binding `{template}`: the path must bind exactly one variable, `name`; it binds {found:?}"
            ),
            BindingError::NamePattern { pattern } => write!(
                f,
                "operation name pattern `{pattern}`: it must end with a literal collection and `*`, like `projects/*/operations/*`"
            ),
        }
    }
}

impl std::error::Error for BindingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BindingError::Template(error) => Some(error),
            _ => None,
        }
    }
}

impl From<TemplateError> for BindingError {
    fn from(error: TemplateError) -> Self {
        BindingError::Template(error)
    }
}

/// One HTTP rule: requests with this method whose path fits this template
/// call this RPC; the template's one variable is the request's `name`.
///
/// ```
/// use cancelwire::longrunning::rest::{Binding, Rpc};
///
/// let cancel = Binding::new(Rpc::Cancel, http::Method::POST, "/v1/{name=operations/**}:cancel")?;
/// assert_eq!(cancel.rpc(), Rpc::Cancel);
/// assert_eq!(cancel.method(), &http::Method::POST);
/// assert_eq!(cancel.template().verb(), Some("cancel"));
/// # Ok::<(), cancelwire::longrunning::rest::BindingError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    rpc: Rpc,
    method: http::Method,
    template: PathTemplate,
}

impl Binding {
    /// A binding of `rpc` to `method` and the path template `template`,
    /// which must bind exactly the variable `name`.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Binding, Rpc};
    ///
    /// let list = Binding::new(Rpc::List, http::Method::GET, "/v1/{name=projects/*}/operations")?;
    /// assert_eq!(list.template().as_str(), "/v1/{name=projects/*}/operations");
    /// assert!(Binding::new(Rpc::List, http::Method::GET, "/v1/operations").is_err());
    /// # Ok::<(), cancelwire::longrunning::rest::BindingError>(())
    /// ```
    pub fn new(rpc: Rpc, method: http::Method, template: &str) -> Result<Self, BindingError> {
        let template = PathTemplate::parse(template)?;
        let found: Vec<String> = template.fields().map(str::to_owned).collect();
        if found != ["name"] {
            return Err(BindingError::Fields {
                rpc,
                template: template.as_str().to_owned(),
                found,
            });
        }
        Ok(Self {
            rpc,
            method,
            template,
        })
    }

    /// The RPC it calls.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Bindings, Rpc};
    ///
    /// assert_eq!(Bindings::upstream().iter().next().unwrap().rpc(), Rpc::List);
    /// ```
    pub fn rpc(&self) -> Rpc {
        self.rpc
    }

    /// The HTTP method.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Bindings;
    ///
    /// assert_eq!(Bindings::upstream().iter().next().unwrap().method(), &http::Method::GET);
    /// ```
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The path template.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Bindings;
    ///
    /// let first = Bindings::upstream().iter().next().unwrap().template().to_string();
    /// assert_eq!(first, "/v1/{name=operations}");
    /// ```
    pub fn template(&self) -> &PathTemplate {
        &self.template
    }
}

/// The HTTP bindings of a whole `Operations` service, tried in order: a
/// request is served by the first binding whose method and template fit, and
/// a client call uses the first binding of its RPC whose template fits the
/// name.
///
/// [`Bindings::upstream`] (also the `Default`) is what
/// `google/longrunning/operations.proto` declares;
/// [`Bindings::for_name_pattern`] derives a service's own bindings from the
/// pattern of its operation names, as Firestore's
/// `projects/*/databases/*/operations/*`. WaitOperation has no binding
/// upstream; [`Bindings::with_wait`] adds one of this crate's own.
///
/// ```
/// use cancelwire::longrunning::rest::{Bindings, Rpc};
///
/// let firestore = Bindings::for_name_pattern("projects/*/databases/*/operations/*")?;
/// let rules: Vec<String> = firestore
///     .iter()
///     .map(|b| format!("{} {} {}", b.rpc(), b.method(), b.template()))
///     .collect();
/// assert_eq!(rules, [
///     "ListOperations GET /v1/{name=projects/*/databases/*}/operations",
///     "GetOperation GET /v1/{name=projects/*/databases/*/operations/*}",
///     "DeleteOperation DELETE /v1/{name=projects/*/databases/*/operations/*}",
///     "CancelOperation POST /v1/{name=projects/*/databases/*/operations/*}:cancel",
/// ]);
/// # Ok::<(), cancelwire::longrunning::rest::BindingError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bindings {
    bindings: Vec<Binding>,
}

impl Default for Bindings {
    fn default() -> Self {
        Self::upstream()
    }
}

/// Upstream's rules, written out; each parses.
const UPSTREAM: [(Rpc, &str, &str); 4] = [
    (Rpc::List, "GET", "/v1/{name=operations}"),
    (Rpc::Get, "GET", "/v1/{name=operations/**}"),
    (Rpc::Delete, "DELETE", "/v1/{name=operations/**}"),
    (Rpc::Cancel, "POST", "/v1/{name=operations/**}:cancel"),
];

impl Bindings {
    /// No bindings; add them with [`Bindings::with`].
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Binding, Bindings, Rpc};
    ///
    /// let bindings = Bindings::empty()
    ///     .with(Binding::new(Rpc::Get, http::Method::GET, "/v2/{name=jobs/*}")?);
    /// assert_eq!(bindings.iter().count(), 1);
    /// # Ok::<(), cancelwire::longrunning::rest::BindingError>(())
    /// ```
    pub fn empty() -> Self {
        Self {
            bindings: Vec::new(),
        }
    }

    /// The bindings `google/longrunning/operations.proto` declares:
    /// `GET /v1/{name=operations}` (list), `GET /v1/{name=operations/**}`
    /// (get), `DELETE /v1/{name=operations/**}` (delete) and
    /// `POST /v1/{name=operations/**}:cancel` with `body: "*"` (cancel).
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Bindings;
    ///
    /// let upstream = Bindings::upstream();
    /// assert_eq!(upstream.iter().count(), 4);
    /// assert_eq!(upstream, Bindings::default());
    /// ```
    pub fn upstream() -> Self {
        let bindings = UPSTREAM
            .iter()
            .filter_map(|(rpc, method, template)| {
                let method = http::Method::from_bytes(method.as_bytes()).ok()?;
                Binding::new(*rpc, method, template).ok()
            })
            .collect();
        Self { bindings }
    }

    /// The bindings of a service whose operations are named after
    /// `pattern`, a resource name pattern ending with a literal collection
    /// and `*` (`PARENT/COLLECTION/*`): get and delete at
    /// `/v1/{name=PATTERN}`, cancel at `/v1/{name=PATTERN}:cancel`, and list
    /// at `/v1/{name=PARENT}/COLLECTION` (or `/v1/{name=COLLECTION}` when
    /// there is no parent, as upstream).
    ///
    /// `**/operations/*` gives google-api-core's default bindings, which
    /// accept operations under any parent.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Bindings;
    ///
    /// let any = Bindings::for_name_pattern("**/operations/*")?;
    /// let first = any.iter().next().unwrap();
    /// assert_eq!(first.template().as_str(), "/v1/{name=**}/operations");
    ///
    /// assert!(Bindings::for_name_pattern("projects/*/operations").is_err());
    /// # Ok::<(), cancelwire::longrunning::rest::BindingError>(())
    /// ```
    pub fn for_name_pattern(pattern: &str) -> Result<Self, BindingError> {
        let segments = PathTemplate::parse_name_pattern(pattern)?;
        let shape_error = || BindingError::NamePattern {
            pattern: pattern.to_owned(),
        };
        let (last, rest) = segments.split_last().ok_or_else(shape_error)?;
        let (collection, parent) = rest.split_last().ok_or_else(shape_error)?;
        if last != "*" || collection == "*" || collection == "**" {
            return Err(shape_error());
        }
        let list = if parent.is_empty() {
            format!("/v1/{{name={collection}}}")
        } else {
            format!("/v1/{{name={}}}/{collection}", parent.join("/"))
        };
        let named = format!("/v1/{{name={pattern}}}");
        let bindings = vec![
            Binding::new(Rpc::List, http::Method::GET, &list)?,
            Binding::new(Rpc::Get, http::Method::GET, &named)?,
            Binding::new(Rpc::Delete, http::Method::DELETE, &named)?,
            Binding::new(Rpc::Cancel, http::Method::POST, &format!("{named}:cancel"))?,
        ];
        Ok(Self { bindings })
    }

    /// Adds `binding` after the others.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Binding, Bindings, Rpc};
    ///
    /// let bindings = Bindings::upstream()
    ///     .with(Binding::new(Rpc::Get, http::Method::GET, "/v1beta/{name=operations/**}")?);
    /// assert_eq!(bindings.iter().count(), 5);
    /// # Ok::<(), cancelwire::longrunning::rest::BindingError>(())
    /// ```
    pub fn with(mut self, binding: Binding) -> Self {
        self.bindings.push(binding);
        self
    }

    /// Adds WaitOperation, which upstream does not bind: for each GetOperation
    /// binding, `POST` on the same path with the verb `:wait`, the request in
    /// the body (`{"timeout": "5s"}`). This binding is this crate's own, not
    /// Google's; clients that follow upstream do not use it.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Bindings, Rpc};
    ///
    /// let bindings = Bindings::upstream().with_wait();
    /// let wait = bindings.iter().find(|b| b.rpc() == Rpc::Wait).unwrap();
    /// assert_eq!(wait.template().as_str(), "/v1/{name=operations/**}:wait");
    /// assert_eq!(wait.method(), &http::Method::POST);
    /// ```
    pub fn with_wait(mut self) -> Self {
        let waits: Vec<Binding> = self
            .bindings
            .iter()
            .filter(|b| b.rpc == Rpc::Get && b.template.verb().is_none())
            .filter_map(|b| {
                let template = format!("{}:wait", b.template.as_str());
                Binding::new(Rpc::Wait, http::Method::POST, &template).ok()
            })
            .collect();
        self.bindings.extend(waits);
        self
    }

    /// The bindings, in the order they are tried.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Bindings, Rpc};
    ///
    /// let rpcs: Vec<Rpc> = Bindings::upstream().iter().map(|b| b.rpc()).collect();
    /// assert_eq!(rpcs, [Rpc::List, Rpc::Get, Rpc::Delete, Rpc::Cancel]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &Binding> {
        self.bindings.iter()
    }
}
