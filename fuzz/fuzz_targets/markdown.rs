//! Fuzz target: see [`kyozai_fuzz::markdown`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kyozai_fuzz::markdown(data));
