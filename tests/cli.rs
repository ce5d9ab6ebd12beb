//! The `cancelwire` binary, driven as a user would: every reference vector
//! through `convert` in each direction, the negative vectors through
//! `convert` and `validate`, the exit statuses, `types` and `example`.

// Tests state their expectations with unwrap, expect, panic and indexing,
// which the crate's [lints] deny in code that handles input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::{hex, json_equal, jsonl, list, negative, positive, str_field, to_hex};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    status: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn cancelwire(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cancelwire"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cancelwire starts");
    // A command that fails on its arguments exits without reading stdin.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    let output = child.wait_with_output().expect("cancelwire ends");
    Run {
        status: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        stdout: output.stdout,
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn convert(type_name: &str, from: &str, to: &str, extra: &[&str], stdin: &[u8]) -> Run {
    let mut args = vec!["convert", "--type", type_name, "--from", from, "--to", to];
    args.extend_from_slice(extra);
    cancelwire(&args, stdin)
}

fn ok_stdout(run: Run, what: &str) -> Vec<u8> {
    assert_eq!(run.status, 0, "{what}: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{what}: stderr {}", run.stderr);
    run.stdout
}

fn assert_rejected(run: &Run, what: &str) {
    assert_eq!(
        run.status,
        1,
        "{what}: expected rejection, stdout {:?}",
        String::from_utf8_lossy(&run.stdout)
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "{what}: stderr must be one line: {}",
        run.stderr
    );
    assert!(
        run.stderr.starts_with("cancelwire: "),
        "{what}: {}",
        run.stderr
    );
}

#[test]
fn every_vector_converts_from_hex_to_json_and_back() {
    for vector in &positive() {
        let name = str_field(vector, "name");
        let ty = str_field(vector, "type");
        let canonical = str_field(vector, "binary_hex");
        let printed = convert(ty, "hex", "json", &[], canonical.as_bytes());
        if vector["json"].is_null() {
            assert_rejected(&printed, name);
            continue;
        }
        let pretty = ok_stdout(printed, name);
        let ours: Value = serde_json::from_slice(&pretty).expect("JSON output");
        assert!(json_equal(&ours, &vector["json_value"]), "{name}: {ours}");
        assert!(pretty.ends_with(b"\n"));

        let compact = ok_stdout(
            convert(ty, "hex", "json", &["--compact"], canonical.as_bytes()),
            name,
        );
        assert_eq!(
            compact.iter().filter(|&&b| b == b'\n').count(),
            1,
            "{name}: compact is one line"
        );

        let back = ok_stdout(convert(ty, "json", "hex", &[], &pretty), name);
        assert_eq!(
            String::from_utf8(back).unwrap(),
            format!("{canonical}\n"),
            "{name}"
        );
    }
}

#[test]
fn every_json_spelling_converts_to_the_canonical_bytes() {
    for vector in &positive() {
        let name = str_field(vector, "name");
        let ty = str_field(vector, "type");
        let expected = format!("{}\n", str_field(vector, "binary_hex"));
        for variant in list(vector, "json_input_variants") {
            let text = variant.as_str().unwrap();
            let out = ok_stdout(convert(ty, "json", "hex", &[], text.as_bytes()), name);
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{name}: {text}");
        }
        for variant in list(vector, "json_input_variants_ignore_unknown_fields") {
            let text = str_field(variant, "input");
            assert_rejected(&convert(ty, "json", "hex", &[], text.as_bytes()), name);
            let out = ok_stdout(
                convert(
                    ty,
                    "json",
                    "hex",
                    &["--ignore-unknown-fields"],
                    text.as_bytes(),
                ),
                name,
            );
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{name}: {text}");
        }
    }
}

#[test]
fn binary_and_base64_round_trip_through_every_format() {
    for vector in &positive() {
        let name = str_field(vector, "name");
        let ty = str_field(vector, "type");
        let canonical = hex(str_field(vector, "binary_hex"));
        let raw = ok_stdout(convert(ty, "binary", "binary", &[], &canonical), name);
        assert_eq!(to_hex(&raw), to_hex(&canonical), "{name}");
        let base64 = ok_stdout(convert(ty, "binary", "base64", &[], &canonical), name);
        let back = ok_stdout(convert(ty, "base64", "hex", &[], &base64), name);
        assert_eq!(
            String::from_utf8(back).unwrap(),
            format!("{}\n", to_hex(&canonical)),
            "{name}"
        );
        for variant in list(vector, "binary_input_variants") {
            let out = ok_stdout(
                convert(ty, "hex", "hex", &[], str_field(variant, "hex").as_bytes()),
                name,
            );
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("{}\n", to_hex(&canonical)),
                "{name}"
            );
        }
    }
}

#[test]
fn unknown_fields_survive_binary_and_hex_conversion_and_are_left_out_of_json() {
    for vector in &jsonl("unknown_fields.jsonl") {
        let name = str_field(vector, "name");
        let ty = str_field(vector, "type");
        let input = str_field(vector, "input_hex");
        let reencoded = str_field(vector, "reencoded_hex");
        let out = ok_stdout(convert(ty, "hex", "hex", &[], input.as_bytes()), name);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{reencoded}\n"),
            "{name}"
        );
        let raw = ok_stdout(convert(ty, "binary", "binary", &[], &hex(input)), name);
        assert_eq!(to_hex(&raw), reencoded, "{name}");
        // The same JSON, or the same printing error where the known
        // message has no JSON form (a timestamp out of range).
        let with_unknown = convert(ty, "hex", "json", &[], input.as_bytes());
        let known = convert(
            ty,
            "hex",
            "json",
            &[],
            str_field(vector, "known_hex").as_bytes(),
        );
        assert_eq!(
            (
                with_unknown.status,
                with_unknown.stdout,
                with_unknown.stderr
            ),
            (known.status, known.stdout, known.stderr),
            "{name}: JSON has no form for unknown fields"
        );
    }
}

#[test]
fn hex_input_may_contain_whitespace_and_output_is_lowercase() {
    let out = ok_stdout(
        convert(
            "arrow.flight.protocol.Ticket",
            "hex",
            "hex",
            &[],
            b" 0A 02\n FF\t00 \n",
        ),
        "spaced hex",
    );
    assert_eq!(out, b"0a02ff00\n");
}

#[test]
fn negative_vectors_are_rejected_with_one_line_by_convert_and_validate() {
    for vector in negative("json").iter().chain(&negative("binary")) {
        let name = str_field(vector, "name");
        let ty = str_field(vector, "type");
        let (from, input) = if vector["format"] == "json" {
            ("json", str_field(vector, "input").to_owned())
        } else {
            ("hex", str_field(vector, "input_hex").to_owned())
        };
        assert_rejected(&convert(ty, from, "json", &[], input.as_bytes()), name);
        assert_rejected(
            &cancelwire(
                &["validate", "--type", ty, "--from", from],
                input.as_bytes(),
            ),
            name,
        );
    }
}

#[test]
fn validate_reports_exactly_the_librarys_violations_one_per_line() {
    use cancelwire::validate::violations_of;
    let registry = cancelwire::registry::Registry::default();
    let (mut valid, mut invalid) = (0, 0);
    for vector in &positive() {
        let name = str_field(vector, "name");
        let ty = str_field(vector, "type");
        let canonical = str_field(vector, "binary_hex");
        let message = registry
            .get(ty)
            .unwrap()
            .decode(hex(canonical).into())
            .unwrap();
        let expected: Vec<String> = violations_of(message.as_ref())
            .expect("every crate type validates")
            .iter()
            .map(|v| format!("cancelwire: {v}"))
            .collect();
        let run = cancelwire(
            &["validate", "--type", ty, "--from", "hex"],
            canonical.as_bytes(),
        );
        if expected.is_empty() {
            assert_eq!(run.status, 0, "{name}: {}", run.stderr);
            valid += 1;
        } else {
            assert_eq!(run.status, 1, "{name}");
            assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected, "{name}");
            invalid += 1;
        }
    }
    assert!(
        valid >= 40 && invalid >= 5,
        "{valid} valid, {invalid} invalid vectors"
    );
}

#[test]
fn validate_reports_every_violation_of_a_json_input() {
    let run = cancelwire(
        &["validate", "--type", "google.longrunning.Operation", "--from", "json"],
        br#"{"done": true, "metadata": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "-1.5s"}}"#,
    );
    assert_eq!(run.status, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("operation.name")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("done_without_result")),
        "{lines:?}"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["convert", "--type", "google.rpc.Status", "--from", "json"],
        &[
            "convert",
            "--type",
            "no.such.Type",
            "--from",
            "json",
            "--to",
            "hex",
        ],
        &[
            "convert",
            "--type",
            "google.rpc.Status",
            "--from",
            "xml",
            "--to",
            "hex",
        ],
        &["example", "no-such-example"],
        &["frobnicate"],
    ] {
        let run = cancelwire(args, b"{}");
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("usage:"), "{args:?}");
    }
}

#[test]
fn types_lists_every_registered_message() {
    let out = String::from_utf8(ok_stdout(cancelwire(&["types"], b""), "types")).unwrap();
    let listed: Vec<&str> = out.lines().collect();
    let registry = cancelwire::registry::Registry::default();
    assert_eq!(listed, registry.names().collect::<Vec<_>>());
    for needed in [
        "google.longrunning.Operation",
        "arrow.flight.protocol.CancelFlightInfoResult",
        "google.protobuf.Timestamp",
        "google.rpc.BadRequest.FieldViolation",
    ] {
        assert!(listed.contains(&needed), "{needed}");
    }
}

#[test]
fn every_example_is_valid_json_of_its_type_and_survives_binary() {
    let list = String::from_utf8(ok_stdout(cancelwire(&["example"], b""), "example")).unwrap();
    let mut count = 0;
    for line in list.lines() {
        let name = line.split_whitespace().next().unwrap();
        let ty = line.rsplit_once('(').unwrap().1.trim_end_matches(')');
        let json = ok_stdout(cancelwire(&["example", name], b""), name);
        let binary = ok_stdout(convert(ty, "json", "binary", &[], &json), name);
        let again = ok_stdout(convert(ty, "binary", "json", &[], &binary), name);
        assert_eq!(
            again, json,
            "{name}: JSON -> binary -> JSON changed the message"
        );
        count += 1;
    }
    assert!(count >= 5, "only {count} examples");
    let cancelled = ok_stdout(
        cancelwire(&["example", "cancelled-operation"], b""),
        "cancelled",
    );
    let value: Value = serde_json::from_slice(&cancelled).unwrap();
    assert_eq!(value["done"], true);
    assert_eq!(value["error"]["code"], 1);
}

#[test]
fn hostile_bytes_never_crash_the_binary() {
    // A fixed pseudo-random stream (xorshift), so failures reproduce.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..40 {
        let input: Vec<u8> = (0..(round * 37 + 1))
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        for ty in [
            "google.longrunning.Operation",
            "arrow.flight.protocol.FlightInfo",
            "google.rpc.Status",
        ] {
            let run = convert(ty, "binary", "json", &[], &input);
            assert!(
                run.status == 0 || run.status == 1,
                "{ty} round {round}: status {}",
                run.status
            );
        }
    }
}

#[test]
fn control_characters_in_rejected_input_stay_on_one_line() {
    let run = convert(
        "arrow.flight.protocol.FlightEndpoint",
        "json",
        "hex",
        &[],
        br#"{"expirationTime": "2020\n-01-01T00:00:00Z"}"#,
    );
    assert_rejected(&run, "newline in a timestamp");
    assert!(run.stderr.contains(r"2020\n-01"), "{}", run.stderr);
}

#[test]
fn input_is_decoded_within_the_budget_flags() {
    // 1,048,577 unknown fields: one past the default element budget.
    let flood = [0xc0, 0x3e, 0x01].repeat(1_048_577);
    let run = convert("google.rpc.Status", "binary", "binary", &[], &flood);
    assert_rejected(&run, "default budget");
    assert!(
        run.stderr
            .contains("over the elements budget of 1048576 at google.rpc.Status"),
        "{}",
        run.stderr
    );
    let raised = convert(
        "google.rpc.Status",
        "binary",
        "binary",
        &["--max-elements", "1048577"],
        &flood,
    );
    assert_eq!(ok_stdout(raised, "raised budget"), flood);

    let details = r#"{"details": [{}, {}, {}]}"#.as_bytes();
    let run = cancelwire(
        &[
            "validate",
            "--type",
            "google.rpc.Status",
            "--from",
            "json",
            "--max-elements=2",
        ],
        details,
    );
    assert_rejected(&run, "JSON over the element budget");
    assert!(run.stderr.contains("status.details[2]"), "{}", run.stderr);
    let run = convert(
        "google.rpc.Status",
        "json",
        "hex",
        &["--max-input-bytes", "10"],
        details,
    );
    assert_rejected(&run, "JSON over the length budget");
    assert!(
        run.stderr.contains("input bytes budget of 10"),
        "{}",
        run.stderr
    );
    let run = convert(
        "google.longrunning.Operation",
        "hex",
        "json",
        &["--max-depth", "1"],
        b"22021a00",
    );
    assert_rejected(&run, "binary over the depth budget");
    assert!(
        run.stderr
            .contains("over the depth budget of 1 at google.longrunning.Operation.error.details"),
        "{}",
        run.stderr
    );
}
