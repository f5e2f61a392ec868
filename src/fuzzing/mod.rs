//! The bodies of the fuzz targets in `fuzz/fuzz_targets/`, kept in the
//! library so that `cargo test` (tests/fuzz_regressions.rs) runs the inputs
//! the fuzzers found through exactly the code the fuzzers ran.
//!
//! Each function takes any bytes and panics only when kbgen is wrong: a panic
//! inside kbgen, or a broken invariant, asserted here. Not part of kbgen's
//! API.

use crate::analysis::{analyze, coverage, template_seq};
use crate::diag::Diagnostics;
use crate::extract::prose::{extract, infer_template};
use crate::load::front_matter::{parse, split};
use crate::markdown::{self, docfx, LinkTarget};
use crate::model::meta::from_entries;
use crate::search::rank::template_strength;
use crate::signature::codes::{doubt, parse_code, parse_declared};
use crate::signature::events::Aliases;
use crate::signature::Template;
use std::collections::{BTreeMap, BTreeSet};

mod markup;
pub use markup::unsafe_markup;

/// The body of a fuzz target: any bytes in, a panic when kbgen is wrong.
pub type Target = fn(&[u8]);

/// The fuzz targets, by the name of their folder under `fuzz/regressions/`.
pub const TARGETS: [(&str, Target); 5] = [
    ("codes", codes),
    ("prose", prose),
    ("search", search),
    ("front_matter", front_matter),
    ("markdown", markdown),
];

/// Any text through the code parsers: every code found has a canonical key
/// that parses back to the same code.
pub fn codes(data: &[u8]) {
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
}

/// Any text as a message template and as an article body: template
/// compilation, template inference, rendering and prose extraction.
pub fn prose(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let t = Template::compile(s);
    let _ = (t.has_holes(), t.literal_text());
    let _ = infer_template(s);
    let body = markdown::render(s, 1, &|_, _| LinkTarget::Unchanged);
    let _ = extract(&body.blocks, &Aliases::default());
}

/// The first line as a message template, the rest as a pasted log line,
/// through the analyser and the template matcher: coverage and strength
/// stay between 0 and 1, and every term is `kind:text`.
pub fn search(data: &[u8]) {
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
    assert!(
        a.terms
            .iter()
            .all(|t| t.len() > 2 && t.as_bytes()[1] == b':'),
        "{:?}",
        a.terms
    );
}

/// Any file text through front-matter splitting, YAML parsing and the typed
/// conversion of keys: errors are diagnostics whose line is inside the file.
pub fn front_matter(data: &[u8]) {
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
}

/// Any text as an article body, rendered as `kbgen build` renders an
/// untrusted article (DocFX rewrites, the real link resolver, the
/// sanitiser on): the HTML may not run script. See [`unsafe_markup`].
pub fn markdown(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (body, _) = docfx::preprocess(s);
    let none_pages = BTreeMap::new();
    let none_assets = BTreeSet::new();
    let resolve = |url: &str, _image: bool| {
        crate::model::resolve_link(url, "fuzz.md", "../", &none_pages, &none_assets)
    };
    let rendered = markdown::render_with(&body, 1, &resolve, false);
    if let Some(why) = unsafe_markup(&rendered.html) {
        panic!("{why}\ninput: {s:?}\nhtml: {:?}", rendered.html);
    }
}
