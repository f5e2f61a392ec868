//! A message template and a pasted line through the analyser and the template matcher.
//! The body is `kbgen::fuzzing::search`, which tests/fuzz_regressions.rs
//! also runs on every input kept in fuzz/regressions/search/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kbgen::fuzzing::search(data));
