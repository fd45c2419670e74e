//! Fuzz target: see [`kyozai_fuzz::frontmatter`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kyozai_fuzz::frontmatter(data));
