//! tonic client and server stubs for a file's services, from tonic-build's
//! own code generator: the services are described to it here, typed by the
//! generated messages (or cancelwire's, or an extern path's).

use crate::names::{Resolver, to_snake, to_upper_camel};
use prost_types::FileDescriptorProto;
use std::str::FromStr;

struct Service {
    name: String,
    proto_name: String,
    package: String,
    comments: Vec<String>,
    methods: Vec<Method>,
}

struct Method {
    name: String,
    proto_name: String,
    comments: Vec<String>,
    request: String,
    response: String,
    client_streaming: bool,
    server_streaming: bool,
    deprecated: bool,
}

impl tonic_build::Service for Service {
    type Comment = String;
    type Method = Method;

    fn name(&self) -> &str {
        &self.name
    }

    fn package(&self) -> &str {
        &self.package
    }

    fn identifier(&self) -> &str {
        &self.proto_name
    }

    fn methods(&self) -> &[Method] {
        &self.methods
    }

    fn comment(&self) -> &[String] {
        &self.comments
    }
}

/// A type path as tokens; every path the resolver writes is valid Rust.
fn tokens(path: &str) -> proc_macro2::TokenStream {
    proc_macro2::TokenStream::from_str(path).unwrap_or_default()
}

impl tonic_build::Method for Method {
    type Comment = String;

    fn name(&self) -> &str {
        &self.name
    }

    fn identifier(&self) -> &str {
        &self.proto_name
    }

    fn codec_path(&self) -> &str {
        "tonic_prost::ProstCodec"
    }

    fn client_streaming(&self) -> bool {
        self.client_streaming
    }

    fn server_streaming(&self) -> bool {
        self.server_streaming
    }

    fn comment(&self) -> &[String] {
        &self.comments
    }

    fn deprecated(&self) -> bool {
        self.deprecated
    }

    fn request_response_name(
        &self,
        _proto_path: &str,
        _compile_well_known_types: bool,
    ) -> (proc_macro2::TokenStream, proc_macro2::TokenStream) {
        (tokens(&self.request), tokens(&self.response))
    }
}

/// Leading comments of the element at `path`, a line each.
fn comments(file: &FileDescriptorProto, path: &[i32]) -> Vec<String> {
    crate::schema::comments_at(file, path)
        .lines()
        .map(|l| l.trim().to_owned())
        .collect()
}

/// The stubs of every service of `file`, as Rust text for the root of
/// `package`'s module. The stub modules sit one level below it.
pub(crate) fn stubs(
    file: &FileDescriptorProto,
    resolver: &Resolver<'_>,
    package: &str,
    doc_cfg: Option<&str>,
) -> Result<String, String> {
    const SERVICES: i32 = 6;
    const METHODS: i32 = 2;
    let mut out = String::new();
    for (i, service) in file.service.iter().enumerate() {
        let mut methods = Vec::new();
        for (j, method) in service.method.iter().enumerate() {
            let path = |name: &str| -> Result<String, String> {
                let rust = resolver.path(name, package).map_err(|e| {
                    format!(
                        "{}: method {}.{}.{}: {e}",
                        file.name(),
                        package,
                        service.name(),
                        method.name()
                    )
                })?;
                Ok(if rust.starts_with("::") || rust.starts_with("crate::") {
                    rust
                } else {
                    format!("super::{rust}")
                })
            };
            methods.push(Method {
                name: to_snake(method.name()),
                proto_name: method.name().to_owned(),
                comments: comments(file, &[SERVICES, i as i32, METHODS, j as i32]),
                request: path(method.input_type())?,
                response: path(method.output_type())?,
                client_streaming: method.client_streaming(),
                server_streaming: method.server_streaming(),
                deprecated: method.options.as_ref().is_some_and(|o| o.deprecated()),
            });
        }
        let described = Service {
            name: to_upper_camel(service.name()),
            proto_name: service.name().to_owned(),
            package: package.to_owned(),
            comments: comments(file, &[SERVICES, i as i32]),
            methods,
        };
        let mut attributes = tonic_build::Attributes::default();
        if let Some(feature) = doc_cfg {
            attributes.push_mod(
                ".",
                format!("#[cfg_attr(docsrs, doc(cfg(feature = {feature:?})))]"),
            );
        }
        let mut builder = tonic_build::CodeGenBuilder::new();
        builder
            .emit_package(true)
            .build_transport(false)
            .compile_well_known_types(true)
            .attributes(attributes);
        out.push_str(&builder.generate_client(&described, "super").to_string());
        out.push('\n');
        out.push_str(&builder.generate_server(&described, "super").to_string());
        out.push('\n');
    }
    Ok(out)
}
