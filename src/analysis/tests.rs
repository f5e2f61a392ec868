use super::{analyze, coverage, template_seq};
use crate::signature::events::Aliases;
use crate::signature::Template;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    aliases: std::collections::BTreeMap<String, String>,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    input: String,
    terms: Vec<String>,
    noise: Vec<String>,
    seq: Option<Vec<String>>,
}

fn vectors() -> Vectors {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/analyzer-vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("vectors file");
    serde_json::from_str(&text).expect("vectors parse")
}

/// The vectors the JS analyser also runs: both sides follow one contract.
#[test]
fn shared_vectors() {
    let v = vectors();
    let aliases = Aliases::default();
    let mut failures = Vec::new();
    for case in &v.vectors {
        let got = analyze(&case.input, &aliases);
        if got.terms != case.terms
            || got.noise != case.noise
            || case.seq.as_ref().is_some_and(|s| *s != got.seq)
        {
            failures.push(format!(
                "{:?}\n  terms {:?}\n  noise {:?}\n  seq   {:?}",
                case.input, got.terms, got.noise, got.seq
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The alias map in the vectors file is the built-in one, so the JS side
/// tests with the same table the Rust side uses.
#[test]
fn vector_aliases_are_the_built_in_table() {
    assert_eq!(&vectors().aliases, Aliases::default().map());
}

fn seq(text: &str) -> Vec<String> {
    analyze(text, &Aliases::default()).seq
}

#[test]
fn coverage_ignores_values_and_surroundings_but_not_a_cut() {
    let template = template_seq(
        &Template::compile("A process serving application pool '<pool>' terminated unexpectedly. The process id was '<process id>'."),
        &Aliases::default(),
    );
    let line = seq("2024-06-01 08:00:01 Warning A process serving application pool 'MSExchangeSyncAppPool' terminated unexpectedly. The process id was '4242'. The process exit code was '0xe0434352'.");
    assert_eq!(coverage(&template, &line), 1.0);
    let cut = seq("process serving application pool 'X' terminated");
    let c = coverage(&template, &cut);
    assert!(c > 0.4 && c < 0.8, "{c}");
    assert_eq!(
        coverage(&seq("disk full"), &seq("disk full")),
        0.0,
        "too short to say"
    );
}

/// `KBGEN_BLESS=1 cargo test --lib bless_vectors -- --ignored` rewrites the
/// expected terms of every vector from this analyser, after a deliberate
/// change of the contract; review the diff before committing it.
#[test]
#[ignore]
fn bless_vectors() {
    if std::env::var_os("KBGEN_BLESS").is_none() {
        return;
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/analyzer-vectors.json"
    );
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let aliases = Aliases::default();
    doc["aliases"] = serde_json::json!(aliases.map());
    for v in doc["vectors"].as_array_mut().unwrap() {
        let got = analyze(v["input"].as_str().unwrap(), &aliases);
        v["terms"] = serde_json::json!(got.terms);
        v["noise"] = serde_json::json!(got.noise);
        if v.get("seq").is_some() {
            v["seq"] = serde_json::json!(got.seq);
        }
    }
    let text = serde_json::to_string_pretty(&doc).unwrap();
    std::fs::write(path, text + "\n").unwrap();
}

#[derive(Deserialize)]
struct StemVectors {
    words: Vec<(String, String)>,
}

/// Stems come from a per-thread cache after the first time: the cached
/// answer is the stemmer's, the first time and every time after.
#[test]
fn cached_stems_are_the_stemmers() {
    for w in [
        "configuration",
        "connected",
        "slowly",
        "replication",
        "abc",
        "Mixed",
    ] {
        let fresh = super::words::stem_uncached(w);
        let shown = if w.len() < 4 || w.bytes().any(|b| !b.is_ascii_lowercase()) {
            w.to_string()
        } else {
            fresh
        };
        assert_eq!(super::stem(w), shown, "first {w}");
        assert_eq!(super::stem(w), shown, "cached {w}");
    }
}

/// The stems the browser's `porter2` is also checked against
/// (tests/browser/analyzer.test.mjs): the two stemmers cannot drift.
#[test]
fn shared_stem_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stem-vectors.json");
    let v: StemVectors =
        serde_json::from_str(&std::fs::read_to_string(path).expect("stem vectors")).expect("parse");
    assert!(v.words.len() > 500, "the stem vectors lost their words");
    let wrong: Vec<_> = v
        .words
        .iter()
        .filter(|(w, s)| super::stem(w) != *s)
        .collect();
    assert!(wrong.is_empty(), "stems differ: {wrong:?}");
}

/// The ASCII tokeniser cuts every ASCII text as the char-by-char one does,
/// apostrophes, joiners and signed numbers included; so do the shared
/// vectors' inputs.
#[test]
fn ascii_tokens_are_the_char_tokens() {
    use super::tokens::{split_ascii, split_chars};
    let mut texts: Vec<String> = [
        "can't connect: error 0x80070005 (ERROR_ACCESS_DENIED)",
        "'quoted' it's a'b ''x'' 'y",
        "-2147024891 --x-- _a_ .net C$ ADMIN$ \\\\server\\share\\ path/to/file.txt",
        "Event ID 1011, Source: W3SVC; pid=1234 at 2024-03-18T10:00:00Z",
        "a-b.c:d$e@f trailing-",
        "",
        "   ",
        "x",
    ]
    .map(String::from)
    .to_vec();
    texts.extend(vectors().vectors.into_iter().map(|v| v.input));
    for t in texts.iter().filter(|t| t.is_ascii()) {
        assert_eq!(split_ascii(t), split_chars(t), "{t:?}");
    }
}

/// Texts over the characters the tokeniser and folding treat specially,
/// and the shared vectors' inputs.
fn tricky_texts() -> Vec<String> {
    let mut texts: Vec<String> = vectors().vectors.into_iter().map(|v| v.input).collect();
    texts.extend(crate::test_strings::random_strings(
        "aZe'`  \t\n-_.:/$0x5E8007 error Msg HTTP",
        4000,
        40,
        19,
    ));
    texts
}

/// ASCII text is analysed unfolded (a backtick read as an apostrophe):
/// that must give what its folded form gives.
#[test]
fn ascii_text_reads_as_its_folded_form() {
    let aliases = Aliases::default();
    for text in tricky_texts().iter().filter(|t| t.is_ascii()) {
        let folded = crate::signature::fold_text(text);
        assert_eq!(
            analyze(text, &aliases),
            analyze(&folded, &aliases),
            "{text:?}"
        );
    }
}

/// What an index is handed ([`super::analyze_into`]) is what the whole
/// analysis holds, less the event terms.
#[test]
fn the_sink_gets_what_the_analysis_keeps() {
    #[derive(Default)]
    struct Kept {
        terms: Vec<String>,
        seq: Vec<String>,
        strong: Vec<String>,
    }
    impl super::TermSink for Kept {
        fn term(&mut self, term: super::Interned, primary: bool) {
            let term = term.as_str();
            if primary {
                self.seq.push(term.to_string());
            }
            if !self.terms.iter().any(|t| t == term) {
                self.terms.push(term.to_string());
            }
        }
        fn strong_code(&mut self, key: &str) {
            self.strong.push(key.to_string());
        }
    }
    let aliases = Aliases::default();
    for text in tricky_texts() {
        let whole = super::analyze_for_index(&text, &aliases);
        let mut kept = Kept::default();
        super::analyze_into(&text, &aliases, &mut kept);
        let events = |t: &String| super::TermKind::Event.is(t) || super::TermKind::BareEvent.is(t);
        let terms: Vec<String> = whole.terms.iter().filter(|t| !events(t)).cloned().collect();
        assert_eq!(kept.terms, terms, "{text:?}");
        assert_eq!(kept.seq, whole.seq, "{text:?}");
        assert_eq!(kept.strong, whole.strong_codes, "{text:?}");
    }
}
