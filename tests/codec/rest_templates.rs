//! AIP-127 path templates (`cancelwire::longrunning::rest::PathTemplate`):
//! the examples of AIP-127 and `google/api/http.proto`, reserved characters,
//! `**` in the middle, verbs, and every parse and expansion error.
#![cfg(feature = "rest")]

use cancelwire::longrunning::rest::{
    BindingError, Bindings, ExpandError, PathTemplate, TemplateErrorKind,
};

fn template(text: &str) -> PathTemplate {
    PathTemplate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The value `path` gives `field`, or `None` when it does not match.
fn matched(text: &str, path: &str, field: &str) -> Option<String> {
    template(text)
        .match_path(path)
        .map(|m| m.get(field).expect("the field is bound").to_owned())
}

fn expand(text: &str, field: &str, value: &str) -> Result<String, ExpandError> {
    template(text).expand(&[(field, value)])
}

// ---- http.proto's examples --------------------------------------------------

#[test]
fn http_proto_get_message_binds_the_resource_name() {
    assert_eq!(
        matched("/v1/{name=messages/*}", "/v1/messages/123456", "name").as_deref(),
        Some("messages/123456")
    );
    assert_eq!(
        expand("/v1/{name=messages/*}", "name", "messages/123456").unwrap(),
        "/v1/messages/123456"
    );
}

#[test]
fn http_proto_two_single_segment_variables_bind_separately() {
    let t = template("/v1/users/{user_id}/messages/{message_id}");
    let m = t.match_path("/v1/users/me/messages/123456").unwrap();
    assert_eq!(m.get("user_id"), Some("me"));
    assert_eq!(m.get("message_id"), Some("123456"));
    assert_eq!(
        t.expand(&[("message_id", "123456"), ("user_id", "me")])
            .unwrap(),
        "/v1/users/me/messages/123456"
    );
}

#[test]
fn http_proto_nested_field_paths_are_variables() {
    let t = template("/v1/{parent=shelves/*}/books/{book.id}");
    assert_eq!(t.fields().collect::<Vec<_>>(), ["parent", "book.id"]);
    let m = t.match_path("/v1/shelves/s1/books/b2").unwrap();
    assert_eq!(m.get("book.id"), Some("b2"));
}

#[test]
fn single_segment_variable_decodes_everything_and_encodes_slash_on_expansion() {
    // http.proto: `{var}` percent-encodes all but [-_.~0-9a-zA-Z], `/` too,
    // and the server decodes all of it.
    assert_eq!(
        matched("/v1/{name}", "/v1/a%2Fb%20c", "name").as_deref(),
        Some("a/b c")
    );
    assert_eq!(
        expand("/v1/{name}", "name", "a/b c").unwrap(),
        "/v1/a%2Fb%20c"
    );
}

#[test]
fn double_wildcard_keeps_percent_2f_encoded_when_matching() {
    // http.proto: under `**` the server decodes all but %2F and %2f.
    assert_eq!(
        matched(
            "/v1/{name=operations/**}",
            "/v1/operations/a%2Fb/c%2fd/e%20f",
            "name"
        )
        .as_deref(),
        Some("operations/a%2Fb/c%2fd/e f")
    );
    // Under `*`, %2F is a `/` inside the one segment.
    assert_eq!(
        matched("/v1/{name=operations/*}", "/v1/operations/a%2Fb", "name").as_deref(),
        Some("operations/a/b")
    );
}

#[test]
fn expansion_encodes_reserved_characters_and_keeps_unreserved_ones() {
    let path = expand(
        "/v1/{name=operations/**}",
        "name",
        "operations/a-b.c_d~e/ !*'();:@&=+$,?#[]%é",
    )
    .unwrap();
    assert_eq!(
        path,
        "/v1/operations/a-b.c_d~e/%20%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5D%25%C3%A9"
    );
    // And matching reads the same name back.
    assert_eq!(
        matched("/v1/{name=operations/**}", &path, "name").as_deref(),
        Some("operations/a-b.c_d~e/ !*'();:@&=+$,?#[]%é")
    );
}

#[test]
fn matching_accepts_lowercase_escapes_and_encoded_literals() {
    assert_eq!(
        matched("/v1/{name=operations/*}", "/v1/%6fperations/%c3%a9", "name").as_deref(),
        Some("operations/é")
    );
}

// ---- `**` in the middle, `*` as exactly one segment ---------------------------

#[test]
fn double_wildcard_in_the_middle_takes_any_number_of_segments() {
    let get = "/v1/{name=**/operations/*}";
    assert_eq!(
        matched(get, "/v1/operations/x", "name").as_deref(),
        Some("operations/x")
    );
    assert_eq!(
        matched(get, "/v1/projects/p/locations/l/operations/x", "name").as_deref(),
        Some("projects/p/locations/l/operations/x")
    );
    assert_eq!(matched(get, "/v1/projects/p/operations", "name"), None);
    assert_eq!(matched(get, "/v1/projects/p/jobs/x", "name"), None);
    assert_eq!(
        expand(get, "name", "projects/a b/operations/x").unwrap(),
        "/v1/projects/a%20b/operations/x"
    );
}

#[test]
fn double_wildcard_of_zero_segments_leaves_no_empty_segment() {
    let list = "/v1/{name=**}/operations";
    assert_eq!(expand(list, "name", "").unwrap(), "/v1/operations");
    assert_eq!(matched(list, "/v1/operations", "name").as_deref(), Some(""));
    assert_eq!(
        expand(list, "name", "projects/p").unwrap(),
        "/v1/projects/p/operations"
    );
}

#[test]
fn single_wildcard_is_exactly_one_segment() {
    let t = "/v1/{name=projects/*/databases/*/operations/*}";
    assert!(matched(t, "/v1/projects/p/databases/d/operations/o", "name").is_some());
    assert_eq!(
        matched(t, "/v1/projects/p/databases/d/operations", "name"),
        None
    );
    assert_eq!(
        matched(t, "/v1/projects/p/q/databases/d/operations/o", "name"),
        None
    );
    assert_eq!(
        matched(t, "/v1/projects//databases/d/operations/o", "name"),
        None
    );
    assert_eq!(
        matched(t, "/v1/projects/p/databases/d/operations/o/", "name"),
        None
    );
}

#[test]
fn literals_outside_variables_must_match() {
    let t = "/v1/{name=projects/*}/operations";
    assert_eq!(matched(t, "/v2/projects/p/operations", "name"), None);
    assert_eq!(matched(t, "/v1/projects/p/jobs", "name"), None);
    assert_eq!(matched(t, "v1/projects/p/operations", "name"), None);
}

#[test]
fn bad_escapes_and_non_utf8_paths_do_not_match() {
    let t = "/v1/{name=operations/**}";
    assert_eq!(matched(t, "/v1/operations/a%zz", "name"), None);
    assert_eq!(matched(t, "/v1/operations/a%4", "name"), None);
    assert_eq!(matched(t, "/v1/operations/%ff", "name"), None);
}

// ---- verbs ------------------------------------------------------------------

#[test]
fn a_verb_must_be_present_and_is_not_part_of_the_name() {
    let cancel = "/v1/{name=operations/**}:cancel";
    assert_eq!(
        matched(cancel, "/v1/operations/a/b:cancel", "name").as_deref(),
        Some("operations/a/b")
    );
    assert_eq!(matched(cancel, "/v1/operations/a/b", "name"), None);
    assert_eq!(matched(cancel, "/v1/operations/a/b:wait", "name"), None);
    assert_eq!(matched(cancel, "/v1/operations/a/b:cancelx", "name"), None);
    // A `:` inside the name is percent-encoded by expansion, so only the
    // verb's `:` is bare.
    let path = expand(cancel, "name", "operations/a:b").unwrap();
    assert_eq!(path, "/v1/operations/a%3Ab:cancel");
    assert_eq!(
        matched(cancel, &path, "name").as_deref(),
        Some("operations/a:b")
    );
}

#[test]
fn without_a_verb_a_colon_belongs_to_the_last_segment() {
    assert_eq!(
        matched("/v1/{name=operations/*}", "/v1/operations/a:cancel", "name").as_deref(),
        Some("operations/a:cancel")
    );
}

// ---- parse errors -------------------------------------------------------------

fn parse_error(text: &str) -> (TemplateErrorKind, usize) {
    let e = PathTemplate::parse(text).expect_err(text);
    assert_eq!(e.template(), text);
    assert!(
        e.to_string()
            .starts_with(&format!("path template `{text}`: at byte {}: ", e.offset())),
        "{e}"
    );
    (e.kind(), e.offset())
}

#[test]
fn every_parse_error_names_its_kind_and_byte() {
    use TemplateErrorKind::*;
    let cases = [
        ("", MissingLeadingSlash, 0),
        ("v1/{name}", MissingLeadingSlash, 0),
        ("/", EmptySegment, 1),
        ("/v1//operations", EmptySegment, 4),
        ("/v1/", EmptySegment, 4),
        ("/v1/{name=a/}", EmptySegment, 12),
        ("/v1/:cancel", EmptySegment, 4),
        ("/v1/a b", UnexpectedCharacter, 5),
        ("/v1/***", UnexpectedCharacter, 6),
        ("/v1/{name}x", UnexpectedCharacter, 10),
        ("/v1/x:a/b", UnexpectedCharacter, 7),
        ("/v1/a%20", UnexpectedCharacter, 5),
        ("/v1/{name=operations/**", UnclosedVariable, 23),
        ("/v1/{name", UnclosedVariable, 9),
        ("/v1/{name={id}}", NestedVariable, 10),
        ("/v1/{=x}", InvalidFieldPath, 5),
        ("/v1/{1a}", InvalidFieldPath, 5),
        ("/v1/{a..b}", InvalidFieldPath, 5),
        ("/v1/{name}/{name}", DuplicateVariable, 12),
        ("/v1/{name=**}/{other=**}", SecondDoubleWildcard, 21),
        ("/v1/**/x/**", SecondDoubleWildcard, 9),
        ("/v1/x:", EmptyVerb, 6),
    ];
    for (text, kind, offset) in cases {
        assert_eq!(parse_error(text), (kind, offset), "{text}");
    }
}

#[test]
fn unclosed_variable_says_where_it_was_opened() {
    let e = PathTemplate::parse("/v1/{name=operations/**").unwrap_err();
    assert!(
        e.to_string()
            .ends_with("the variable opened at byte 4 is not closed with `}`"),
        "{e}"
    );
}

#[test]
fn name_pattern_with_a_variable_is_rejected_where_it_is() {
    let e = Bindings::for_name_pattern("projects/{p}/operations/*").unwrap_err();
    let BindingError::Template(e) = e else {
        panic!("not a template error: {e}")
    };
    assert_eq!(
        (e.kind(), e.offset()),
        (TemplateErrorKind::VariableInNamePattern, 9)
    );
}

// ---- expansion errors -----------------------------------------------------------

#[test]
fn expansion_needs_every_variable() {
    let e = template("/v1/{parent=shelves/*}/books/{book}").expand(&[("parent", "shelves/1")]);
    assert_eq!(
        e,
        Err(ExpandError::Missing {
            template: "/v1/{parent=shelves/*}/books/{book}".into(),
            field: "book".into(),
        })
    );
    assert_eq!(
        e.unwrap_err().to_string(),
        "path template `/v1/{parent=shelves/*}/books/{book}` needs a value for `book`"
    );
}

#[test]
fn expansion_rejects_values_of_another_shape() {
    let t = "/v1/{name=projects/*/operations/*}";
    for value in [
        "projects/p/operations",
        "projects/p/operations/o/x",
        "projects/p/jobs/o",
        "projects//operations/o",
        "",
    ] {
        let e = expand(t, "name", value).unwrap_err();
        assert_eq!(
            e,
            ExpandError::Mismatch {
                template: t.into(),
                field: "name".into(),
                value: value.into(),
                pattern: "projects/*/operations/*".into(),
            },
            "{value}"
        );
    }
    assert!(expand("/v1/{name}", "name", "").is_err());
}

#[test]
fn parse_and_display_round_trip_the_source() {
    for text in [
        "/v1/{name=operations}",
        "/v1/{name=operations/**}:cancel",
        "/v1/{name=**/operations/*}",
        "/v1/{name}",
    ] {
        let t: PathTemplate = text.parse().unwrap();
        assert_eq!(t.to_string(), text);
    }
}
