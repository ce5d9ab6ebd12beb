//! A syntax check for URIs (RFC 3986, section 3): enough to tell whether a
//! Flight `Location.uri` or a `Help.Link.url` can be parsed at all, without
//! a URI crate.

use std::fmt;

/// What makes a text not a URI. `Display` completes a sentence that starts
/// with the URI: "`x` has no `scheme:`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UriError {
    NoScheme,
    EmptyScheme,
    SchemeStart(String),
    SchemeCharacter {
        found: char,
        scheme: String,
    },
    UnclosedIpLiteral,
    AfterIpLiteral(String),
    IpvFuture(String),
    Ipv6(String),
    Port(String),
    /// `%` without two hex digits, in the named part.
    Percent(&'static str),
    /// A character not allowed in the named part.
    Character {
        found: char,
        part: &'static str,
    },
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoScheme => f.write_str("has no `scheme:`"),
            Self::EmptyScheme => f.write_str("has an empty scheme"),
            Self::SchemeStart(scheme) => {
                write!(f, "scheme `{scheme}` does not start with a letter")
            }
            Self::SchemeCharacter { found, scheme } => {
                write!(f, "`{found}` is not allowed in scheme `{scheme}`")
            }
            Self::UnclosedIpLiteral => f.write_str("has an IP literal without `]`"),
            Self::AfterIpLiteral(after) => write!(f, "has `{after}` after the IP literal"),
            Self::IpvFuture(inside) => {
                write!(f, "`[{inside}]` is not a valid IPvFuture literal")
            }
            Self::Ipv6(inside) => write!(f, "`[{inside}]` is not an IPv6 address"),
            Self::Port(port) => write!(f, "port `{port}` is not a number"),
            Self::Percent(part) => {
                write!(f, "has `%` not followed by two hex digits in the {part}")
            }
            Self::Character { found, part } => {
                write!(f, "has `{found}`, which is not allowed in the {part}")
            }
        }
    }
}

/// Checks `uri` against RFC 3986's `URI` rule:
/// `scheme ":" hier-part [ "?" query ] [ "#" fragment ]`. The error says
/// what is wrong and where.
pub(crate) fn check_uri(uri: &str) -> Result<(), UriError> {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return Err(UriError::NoScheme);
    };
    check_scheme(scheme)?;
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (rest, None),
    };
    let (hier_part, query) = match rest.split_once('?') {
        Some((hier_part, query)) => (hier_part, Some(query)),
        None => (rest, None),
    };
    match hier_part.strip_prefix("//") {
        Some(after) => {
            let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
            check_authority(authority)?;
            check_chars(path, "path", b":@/")?;
        }
        None => check_chars(hier_part, "path", b":@/")?,
    }
    if let Some(query) = query {
        check_chars(query, "query", b":@/?")?;
    }
    if let Some(fragment) = fragment {
        check_chars(fragment, "fragment", b":@/?")?;
    }
    Ok(())
}

fn check_scheme(scheme: &str) -> Result<(), UriError> {
    let mut chars = scheme.chars();
    match chars.next() {
        None => return Err(UriError::EmptyScheme),
        Some(first) if !first.is_ascii_alphabetic() => {
            return Err(UriError::SchemeStart(scheme.to_owned()));
        }
        Some(_) => {}
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    {
        return Err(UriError::SchemeCharacter {
            found: bad,
            scheme: scheme.to_owned(),
        });
    }
    Ok(())
}

/// `authority = [ userinfo "@" ] host [ ":" port ]`
fn check_authority(authority: &str) -> Result<(), UriError> {
    let host_port = match authority.split_once('@') {
        Some((userinfo, host_port)) => {
            check_chars(userinfo, "userinfo", b":")?;
            host_port
        }
        None => authority,
    };
    let port = if let Some(literal) = host_port.strip_prefix('[') {
        let Some((inside, after)) = literal.split_once(']') else {
            return Err(UriError::UnclosedIpLiteral);
        };
        check_ip_literal(inside)?;
        match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => return Err(UriError::AfterIpLiteral(after.to_owned())),
            },
        }
    } else {
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        };
        check_chars(host, "host", b"")?;
        port
    };
    match port {
        Some(port) if !port.bytes().all(|b| b.is_ascii_digit()) => {
            Err(UriError::Port(port.to_owned()))
        }
        _ => Ok(()),
    }
}

/// `IP-literal = "[" ( IPv6address / IPvFuture ) "]"`
fn check_ip_literal(inside: &str) -> Result<(), UriError> {
    if let Some(future) = inside.strip_prefix(['v', 'V']) {
        let (version, address) = future.split_once('.').unwrap_or((future, ""));
        let version_ok = !version.is_empty() && version.bytes().all(|b| b.is_ascii_hexdigit());
        let address_ok = !address.is_empty()
            && address
                .bytes()
                .all(|b| is_unreserved(b) || is_sub_delim(b) || b == b':');
        return if version_ok && address_ok {
            Ok(())
        } else {
            Err(UriError::IpvFuture(inside.to_owned()))
        };
    }
    inside
        .parse::<std::net::Ipv6Addr>()
        .map(|_| ())
        .map_err(|_| UriError::Ipv6(inside.to_owned()))
}

/// Checks that `part` holds only unreserved characters, sub-delims,
/// percent-encoded octets and the `extra` ASCII characters.
fn check_chars(part: &str, what: &'static str, extra: &[u8]) -> Result<(), UriError> {
    let bytes = part.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err(UriError::Percent(what));
            }
            i += 3;
        } else if is_unreserved(b) || is_sub_delim(b) || extra.contains(&b) {
            i += 1;
        } else {
            let bad = part.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
            return Err(UriError::Character {
                found: bad,
                part: what,
            });
        }
    }
    Ok(())
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

#[cfg(test)]
mod tests {
    use super::check_uri;

    #[test]
    fn accepts_uris_of_every_shape() {
        for uri in [
            "grpc://localhost:8815",
            "grpc+tls://flight.example.com:443",
            "grpc+unix:///tmp/flight.sock",
            "arrow-flight-reuse-connection://?",
            "https://bucket.s3.example.com/data/part-0.parquet?X-Sig=a%2Fb&x=1#frag",
            "http://user:pw@[::1]:80/",
            "http://[v1.fe80::a+en1]/",
            "http://[::ffff:192.0.2.1]",
            "mailto:ops@example.com",
            "urn:isbn:0451450523",
            "file:/absolute/path",
            "s3:",
        ] {
            assert_eq!(check_uri(uri), Ok(()), "{uri}");
        }
    }

    #[test]
    fn rejects_what_rfc_3986_rules_out() {
        let cases = [
            ("", "has no `scheme:`"),
            ("localhost", "has no `scheme:`"),
            ("://x", "has an empty scheme"),
            ("1grpc://x", "scheme `1grpc` does not start with a letter"),
            ("gr_pc://x", "`_` is not allowed in scheme `gr_pc`"),
            ("grpc://host:80a", "port `80a` is not a number"),
            (
                "http://exa mple.com",
                "has ` `, which is not allowed in the host",
            ),
            ("http://x/a b", "has ` `, which is not allowed in the path"),
            (
                "http://x/%zz",
                "has `%` not followed by two hex digits in the path",
            ),
            (
                "http://x/%4",
                "has `%` not followed by two hex digits in the path",
            ),
            ("http://[::1", "has an IP literal without `]`"),
            ("http://[zz]/", "`[zz]` is not an IPv6 address"),
            ("http://[::1]x", "has `x` after the IP literal"),
            ("http://[v.x]/", "`[v.x]` is not a valid IPvFuture literal"),
            ("http://a@b@c", "has `@`, which is not allowed in the host"),
            ("http://x/é", "has `é`, which is not allowed in the path"),
            (
                "http://x/?q=<",
                "has `<`, which is not allowed in the query",
            ),
            (
                "http://x/#a#b",
                "has `#`, which is not allowed in the fragment",
            ),
            ("http://h:1:2/", "has `:`, which is not allowed in the host"),
        ];
        for (uri, why) in cases {
            assert_eq!(check_uri(uri).unwrap_err().to_string(), why, "{uri}");
        }
    }
}
