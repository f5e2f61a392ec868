//! Any text through the code parsers.
//! The body is `kbgen::fuzzing::codes`, which tests/fuzz_regressions.rs
//! also runs on every input kept in fuzz/regressions/codes/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kbgen::fuzzing::codes(data));
