//! Fuzz target: see [`kyozai_fuzz::data`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kyozai_fuzz::data(data));
