//! Loading the reference vectors of `tests/data/vectors/`.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/vectors")
        .join(name)
}

/// Every line of a `.jsonl` file, parsed.
pub fn jsonl(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(data_path(name))
        .unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("vector line is JSON"))
        .collect()
}

pub fn positive() -> Vec<Value> {
    jsonl("vectors.jsonl")
}

pub fn negative(format: &str) -> Vec<Value> {
    jsonl("negative_vectors.jsonl")
        .into_iter()
        .filter(|v| v["format"] == format)
        .collect()
}

pub fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length: {text}");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex digit"))
        .collect()
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn str_field<'a>(vector: &'a Value, key: &str) -> &'a str {
    vector[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector {} has no string {key}", vector["name"]))
}

pub fn list<'a>(vector: &'a Value, key: &str) -> &'a [Value] {
    vector[key].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// JSON equality where numbers compare by value (`1.0 == 1`), as the
/// reference's JSON is compared semantically.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || (x.as_f64().is_some() && x.as_f64() == y.as_f64() && !x.is_u64() && !y.is_u64())
                || (x.as_f64() == y.as_f64() && (x.is_f64() || y.is_f64()))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}
