//! Fuzz target `validation`: the property is `checks::validation` (see `fuzz/checks.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = checks::validation(data) {
        panic!("property broken: {broken}");
    }
});
