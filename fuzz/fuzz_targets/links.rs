//! Fuzz target: see [`kyozai_fuzz::links`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kyozai_fuzz::links(data));
