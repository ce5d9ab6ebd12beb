//! Fuzz target `binary_to_json`: the property is `checks::binary_to_json` (see `fuzz/checks.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = checks::binary_to_json(data) {
        panic!("property broken: {broken}");
    }
});
