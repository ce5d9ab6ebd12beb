//! Fuzz target `binary_decode`: the property is `checks::binary_decode` (see `fuzz/checks.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = checks::binary_decode(data) {
        panic!("property broken: {broken}");
    }
});
