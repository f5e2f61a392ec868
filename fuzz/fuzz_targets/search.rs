//! Any text through the search analyser and the template matcher: the
//! first line is compiled as a message template, the rest is a pasted log
//! line. No panic; coverage and strength stay between 0 and 1.
#![no_main]

use kbgen::search::rank::template_strength;
use kbgen::search::{analyze, coverage, template_seq};
use kbgen::signature::events::Aliases;
use kbgen::signature::Template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let aliases = Aliases::default();
    let (message, line) = s.split_once('\n').unwrap_or((s, s));
    let seq = template_seq(&Template::compile(message), &aliases);
    let a = analyze(line, &aliases);
    let share = coverage(&seq, &a.seq);
    assert!((0.0..=1.0).contains(&share), "{share}");
    let strength = template_strength(share, seq.len());
    assert!((0.0..=1.0).contains(&strength), "{strength}");
    assert!(a.terms.iter().all(|t| t.len() > 2 && t.as_bytes()[1] == b':'), "{:?}", a.terms);
});
