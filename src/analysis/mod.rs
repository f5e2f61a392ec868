//! The analyser: text → index terms. One definition serves the tantivy
//! index, the browser index and `kbgen search`; the browser's copy in
//! `themes/default/static/kbgen-analyze.js` follows the same contract
//! (`docs/search.md`) and both run `tests/data/analyzer-vectors.json`.
//!
//! The order of the rules matters and is the contract: noise first (so a
//! GUID is never a word), then codes (so `80070003` is never a number), then
//! names, numbers and words; then the context rules and events, which look
//! at neighbouring tokens.
//!
//! Each term is of a [`TermKind`] (word, code, name, event ID with or
//! without its source), spelled in the index formats as the kind's prefix
//! and a body (`w:share`).

// `re!(name, pattern)`: a function returning the pattern, compiled once.
macro_rules! re {
    ($name:ident, $pat:expr) => {
        pub(super) fn $name() -> &'static regex::Regex {
            static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            R.get_or_init(|| regex::Regex::new($pat).expect("valid regex"))
        }
    };
}

pub mod bounds;
mod classes;
mod events;
pub mod interned;
mod term;
mod tokens;
mod words;
pub use term::TermKind;
pub(crate) use words::camel_split;

use classes::classified;
use events::{context_code, event_terms};
pub use interned::Interned;
use tokens::{is_noise, lower_case, split_tokens, Class, Token, ERROR_CONTEXT};
use words::{split_parts, stem};

use crate::signature::events::Aliases;
use crate::signature::{fold_text, Template};
use indexmap::IndexSet;
use rustc_hash::FxBuildHasher;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What the analyser makes of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Index terms, each once, in order of first appearance.
    pub terms: Vec<String>,
    /// The primary term of each kept token, in order, repeats kept.
    pub seq: Vec<String>,
    /// Tokens ignored as variable values or log noise, as written.
    pub noise: Vec<String>,
    /// Code keys written so that they surely are codes: all digits of a
    /// 32-bit value, a name-bearing context (`error 8606`, `hr=0x5`), a SQL,
    /// SMTP or HTTP form. A bare `0x3` is more often a parameter or a flag.
    /// Used when indexing articles; not part of the browser contract.
    pub strong_codes: Vec<String>,
    /// How the text spelled each `w:` term, unstemmed (`w:serv` → `serving`),
    /// for showing which words matched.
    pub spelled: BTreeMap<String, String>,
}

/// Analyses `text`; `aliases` canonicalises event sources.
pub fn analyze(text: &str, aliases: &Aliases) -> Analysis {
    analyze_with(text, aliases, true)
}

/// [`analyze`] without [`Analysis::spelled`], which only queries show:
/// indexing an article skips it (a third of the analyser's allocations).
pub(crate) fn analyze_for_index(text: &str, aliases: &Aliases) -> Analysis {
    analyze_with(text, aliases, false)
}

/// True when the analyser takes `raw` (a run of token characters, trimmed
/// as it trims them) for a variable value: a GUID, time, address, long
/// number or level word.
pub(crate) fn is_noise_token(raw: &str) -> bool {
    let token = tokens::trim_token(raw);
    is_noise(token, &lower_case(token))
}

fn analyze_with(text: &str, aliases: &Aliases, spelled: bool) -> Analysis {
    let mut keep = Keep {
        analysis: Analysis::default(),
        terms: Terms::default(),
        spelled,
    };
    walk(text, aliases, &mut keep);
    let mut analysis = keep.analysis;
    analysis.terms = keep.terms.0.into_iter().collect();
    analysis
}

/// What an index takes of a text as the analyser reads it: each term of
/// each kept token, as a borrowed string, and the strong codes. An
/// article's text has hundreds of tokens whose terms the index only
/// counts: handing them out spares a string per occurrence, the set that
/// kept them once, and the sequence's copies.
pub(crate) trait TermSink {
    /// A kept token's term, interned; `primary` for its first, which
    /// [`Analysis::seq`] holds. Repeats come as often as written.
    fn term(&mut self, term: Interned, primary: bool);
    /// A code of [`Analysis::strong_codes`].
    fn strong_code(&mut self, key: &str);
}

/// Reads `text` into `sink` as [`analyze_for_index`] reads it, less the
/// event terms (which an article's index takes from its signatures only)
/// and the noise tokens.
pub(crate) fn analyze_into(text: &str, aliases: &Aliases, sink: &mut impl TermSink) {
    walk(text, aliases, &mut Counted(sink));
}

/// What [`walk`] tells: a [`TermSink`]'s events and the ones only a
/// whole [`Analysis`] keeps.
trait Visit {
    fn term(&mut self, term: &str, primary: bool);
    /// Each of `tok`'s own terms, as [`Visit::term`] takes them.
    fn own_terms(&mut self, tok: &Token, scratch: &mut String) {
        let mut primary = true;
        tok.each_own_term(scratch, |t| self.term(t, std::mem::take(&mut primary)));
    }
    fn strong_code(&mut self, key: &str);
    fn noise(&mut self, _tok: &Token) {}
    fn kept(&mut self, _tok: &Token) {}
    /// Whether event terms are wanted (they need a second look at every number).
    fn events(&self) -> bool {
        false
    }
}

/// A [`TermSink`] as [`walk`] sees it: no noise, no spellings, no event terms.
struct Counted<'s, S>(&'s mut S);

impl<S: TermSink> Visit for Counted<'_, S> {
    fn term(&mut self, term: &str, primary: bool) {
        self.0.term(Interned::of(term), primary);
    }
    fn own_terms(&mut self, tok: &Token, _: &mut String) {
        let mut primary = true;
        tok.each_own_interned(|t| self.0.term(t, std::mem::take(&mut primary)));
    }
    fn strong_code(&mut self, key: &str) {
        self.0.strong_code(key);
    }
}

/// The visitor that keeps a whole [`Analysis`].
struct Keep {
    analysis: Analysis,
    terms: Terms,
    spelled: bool,
}

impl Visit for Keep {
    fn term(&mut self, term: &str, primary: bool) {
        if primary {
            self.analysis.seq.push(term.to_string());
        }
        self.terms.push(term);
    }
    fn strong_code(&mut self, key: &str) {
        self.analysis.strong_codes.push(key.to_string());
    }
    fn noise(&mut self, tok: &Token) {
        self.analysis.noise.push(tok.text.to_string());
    }
    fn kept(&mut self, tok: &Token) {
        if self.spelled
            && matches!(
                tok.class(),
                Class::Word(..) | Class::Plain(_) | Class::Name(..)
            )
        {
            for p in split_parts(&tok.text) {
                self.analysis
                    .spelled
                    .entry(TermKind::Word.term(&stem(&p)))
                    .or_insert(p);
            }
        }
    }
    fn events(&self) -> bool {
        true
    }
}

/// The analyser's one pass over `text`, telling `v` what it finds.
fn walk(text: &str, aliases: &Aliases, v: &mut impl Visit) {
    // Folding ASCII text changes only backticks (to apostrophes) and white
    // space, which the tokeniser reads alike unfolded: it takes a backtick
    // for an apostrophe, and white space only ends tokens.
    let folded = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(fold_text(text))
    };
    let tokens: Vec<Token> = split_tokens(&folded)
        .into_iter()
        .map(|text| {
            let known = classified(&text);
            Token { text, known }
        })
        .collect();

    // One buffer for the terms a token's class does not hold whole.
    let mut scratch = String::new();
    for (i, tok) in tokens.iter().enumerate() {
        if matches!(tok.class(), Class::Noise) {
            v.noise(tok);
            continue;
        }
        v.own_terms(tok, &mut scratch);
        if let Class::Code(key) = tok.class() {
            // `0x6BA` and `0x00000008` stand for Win32 errors only beside
            // an error word; alone they are more often flags and parameters
            // (a NetBIOS node type of 0x00000008).
            let short_hex = tok.lower().starts_with("0x")
                && key.starts_with("0x8007")
                && u32::from_str_radix(&tok.lower()[2..], 16).is_ok_and(|v| v <= 0xffff);
            let prev = i.checked_sub(1).map(|p| tokens[p].lower());
            if !short_hex
                || prev.is_some_and(|p| ERROR_CONTEXT.contains(&p) || p == "hr" || p == "hresult")
            {
                v.strong_code(key);
            }
        }
        if let Class::Word(_, codes) = tok.class() {
            for c in codes {
                v.strong_code(c);
            }
        }
        v.kept(tok);
        if let Some(code) = context_code(&tokens, i) {
            v.strong_code(&code);
            v.term(&TermKind::Code.term(&code), false);
        }
    }
    if v.events() {
        for t in event_terms(&tokens, aliases) {
            v.term(&t, false);
        }
    }
}

/// Terms in first-appearance order, each once: a repeat, most of them, is
/// dropped without a copy.
#[derive(Default)]
struct Terms(IndexSet<String, FxBuildHasher>);

impl Terms {
    fn push(&mut self, t: &str) {
        if !self.0.contains(t) {
            self.0.insert(t.to_string());
        }
    }
}

/// The sequence of a message template: its literal text only, so that
/// placeholders never count as words a line must contain.
pub fn template_seq(template: &Template, aliases: &Aliases) -> Vec<String> {
    analyze_for_index(&template.literal_text(), aliases).seq
}

/// How much of a template's sequence a line's sequence covers, 0.0–1.0:
/// the longest common subsequence over whole terms. Templates shorter than
/// three terms say too little to match.
pub fn coverage(template_seq: &[String], line_seq: &[String]) -> f64 {
    if template_seq.len() < 3 {
        return 0.0;
    }
    // Longest common subsequence costs the product of the lengths: both bounded.
    let cap = bounds::COVERAGE_TERMS;
    let template_seq = &template_seq[..template_seq.len().min(cap)];
    let line_seq = &line_seq[..line_seq.len().min(cap)];
    let mut row = vec![0u32; line_seq.len() + 1];
    for t in template_seq {
        let mut diag = 0;
        for (j, l) in line_seq.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if t == l { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    f64::from(row[line_seq.len()]) / template_seq.len() as f64
}

#[cfg(test)]
mod tests;
