//! Fuzz target: see [`kyozai_fuzz::check_text`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kyozai_fuzz::check_text(data));
