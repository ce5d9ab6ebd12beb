//! Fuzz target `any_resolution`: the property is `checks::any_resolution` (see `fuzz/checks.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = checks::any_resolution(data) {
        panic!("property broken: {broken}");
    }
});
