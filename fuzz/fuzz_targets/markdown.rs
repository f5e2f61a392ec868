//! Any article body rendered with the sanitiser on: the HTML may not run script.
//! The body is `kbgen::fuzzing::markdown`, which tests/fuzz_regressions.rs
//! also runs on every input kept in fuzz/regressions/markdown/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kbgen::fuzzing::markdown(data));
