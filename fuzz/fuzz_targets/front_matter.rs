//! Any file text through front-matter splitting, YAML parsing and typed keys.
//! The body is `kbgen::fuzzing::front_matter`, which tests/fuzz_regressions.rs
//! also runs on every input kept in fuzz/regressions/front_matter/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kbgen::fuzzing::front_matter(data));
