//! Any file text through front-matter splitting, YAML parsing and the typed
//! conversion of keys: errors are diagnostics with a line inside the file,
//! never a panic.
#![no_main]

use kbgen::diag::Diagnostics;
use kbgen::load::front_matter::{parse, split};
use kbgen::model::meta::from_entries;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    let split = match split(text, "fuzz.md") {
        Ok(s) => s,
        Err(d) => {
            assert!(d.line <= lines + 1, "{d}");
            return;
        }
    };
    let Some(yaml) = split.yaml else {
        return;
    };
    match parse(yaml, split.yaml_line, "fuzz.md") {
        Ok(entries) => {
            let mut diags = Diagnostics::default();
            let _ = from_entries(entries, "fuzz.md", &mut diags);
        }
        Err(d) => assert!(d.line <= lines + 1, "{d}"),
    }
});
