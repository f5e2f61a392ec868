//! Any text through the code parsers: no panic, and every code found has a
//! canonical key that parses back to the same code.
#![no_main]

use kbgen::signature::codes::{doubt, parse_code, parse_declared};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(c) = parse_code(s) {
        let again = parse_code(&c.canonical).expect("a canonical key parses");
        assert_eq!(
            (&again.canonical, again.kind),
            (&c.canonical, c.kind),
            "{s:?}"
        );
        let _ = (
            c.spellings(),
            c.decode(),
            c.related(),
            c.name(),
            c.message(),
        );
    }
    if let Ok(c) = parse_declared(s) {
        let _ = doubt(&c);
    }
});
