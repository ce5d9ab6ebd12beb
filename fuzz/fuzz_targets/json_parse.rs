//! Fuzz target `json_parse`: the property is `checks::json_parse` (see `fuzz/checks.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = checks::json_parse(data) {
        panic!("property broken: {broken}");
    }
});
