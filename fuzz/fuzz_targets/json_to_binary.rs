//! Fuzz target `json_to_binary`: the property is `checks::json_to_binary` (see `fuzz/checks.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = checks::json_to_binary(data) {
        panic!("property broken: {broken}");
    }
});
