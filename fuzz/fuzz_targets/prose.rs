//! Any text as a message template and as an article body.
//! The body is `kbgen::fuzzing::prose`, which tests/fuzz_regressions.rs
//! also runs on every input kept in fuzz/regressions/prose/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kbgen::fuzzing::prose(data));
