//! Fuzz target `rest_router`: the property is `checks::rest_router` (see `fuzz/checks.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = checks::rest_router(data) {
        panic!("property broken: {broken}");
    }
});
