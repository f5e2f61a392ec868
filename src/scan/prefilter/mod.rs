//! A fast test before the analyser: can this record match anything? Most
//! lines of a large log are routine, and the full analysis (tokens, codes,
//! events, stems, the template sequence) is most of a scan's time. A
//! record is analysed only when a cheap pass over its ASCII tokens finds
//! something that could give evidence:
//!
//! - a code form: `0x`, a run of 9+ digits, 8 hex digits starting 8–f
//!   (outside a GUID), an SMTP status, `MSSQLSERVER_`, or a name the
//!   knowledge base cites;
//! - a number that could be an event an article cites (keyed by `event`
//!   or `id`, or after a word that ends one of the names of a source
//!   citing that ID), or a code with its context word (`error 5`, `HTTP
//!   500`, `Msg 208`) among the codes the knowledge base knows;
//! - enough template words: each token's possible primary terms (the token
//!   lower-cased, each part and its stem) counted against the templates as
//!   the matcher bounds them — never fewer than the analyser would find,
//!   so a template the full path would match is never skipped.
//!
//! A record with an event ID or non-ASCII text takes the full path. An
//! error record that can match nothing still needs its key in the
//! unmatched list, and nothing else ([`Need::ErrorKey`]).

mod digits;
mod shape;
mod skeleton;
mod token;

use super::kb::Signatures;
use super::record::{Level, LogRecord};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use token::{code_form, for_tokens, trim_to_alphanumeric, Vocab};

pub use shape::fold_inert_digits;
pub use skeleton::{Plan, Skeleton};
pub(crate) use token::for_token_spans;

/// What the word before a number tells of it, for that word with any
/// digits (so for every record of a skeleton): unless it is `Other`,
/// [`Prefilter::number_matters`] needs no look at the word (the plans'
/// number test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Before {
    /// No event word, no context word, no word of a source's name.
    Plain,
    /// A context word ([`CONTEXT`]), and no word of a source's name.
    Context,
    /// Anything else: the number is tested with the word.
    Other,
}

/// Distinct tokens whose template terms a thread remembers.
const CACHED_TOKENS: usize = 1 << 16;
/// Distinct sets of template terms whose answer a thread remembers.
const CACHED_HITS: usize = 1 << 14;

/// What a record needs of the analyser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Nothing: it gives no evidence and the unmatched list skips it.
    Nothing,
    /// Only its key: it gives no evidence, but is an error line whose
    /// masked text the unmatched list counts.
    ErrorKey,
    /// The whole analysis.
    Full,
}

/// What the test needs from the signatures, made once per scan.
#[derive(Debug, Default)]
pub struct Prefilter {
    /// False until made from signatures: then every record is analysed.
    ready: bool,
    /// Numbers that are codes after a context word (`error 5`, `HTTP 500`).
    numbers: FxHashSet<u32>,
    /// `numbers` and the IDs of `events`, in a bit table: most numbers in
    /// a log are neither.
    small_numbers: digits::SmallNumbers,
    /// Event ID → the last words of every name of its sources (`client`
    /// of `dns-client`); empty for any word (SQL Server's `mssql-*`).
    events: FxHashMap<u32, FxHashSet<String>>,
    /// Template terms by body → their numbers in `postings`.
    vocab: Vocab,
    /// Per term number: the templates holding it, with how many times.
    postings: Vec<Vec<(u32, u16)>>,
    /// Each template's sequence length.
    lens: Vec<u32>,
    /// The skeletons of the cited names holding a digit.
    name_skeletons: FxHashSet<Vec<u8>>,
    /// The template terms holding a digit, by skeleton: their spellings
    /// a token could equal, [`skeleton::FEW_SPELLINGS`] and one more at most.
    vocab_by_skeleton: FxHashMap<Vec<u8>, Vec<Box<[u8]>>>,
    /// The template terms that are numbers, as written (`404`).
    number_terms: digits::DigitSet,
    /// True when a cited name has the form of a GUID (none has).
    names_have_guid: bool,
    /// Every word of `events` (the last words of the sources' names).
    source_words: FxHashSet<String>,
    /// The IDs of `events` whose numbers count after any word (SQL Server's).
    after_any_word: digits::SmallNumbers,
    /// The skeletons of the words of `source_words` that hold a digit.
    source_word_skeletons: FxHashSet<Vec<u8>>,
    /// Whether a number of at most five digits is kept as written after
    /// a [`Before::Plain`] word, and after a [`Before::Context`] one.
    kept_after: [digits::ShortVerdicts; 2],
}

impl Prefilter {
    /// The prefilter of `sigs`.
    /// The prefilter of `sigs`; `aliases` maps source slugs to canonical ones.
    pub fn new(sigs: &Signatures, aliases: &BTreeMap<String, String>) -> Prefilter {
        let mut p = Prefilter {
            ready: true,
            ..Prefilter::default()
        };
        let mut names: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
        for (slug, canonical) in aliases {
            names.entry(canonical).or_default().push(slug);
        }
        for key in sigs.events.keys() {
            let Some((source, id)) = key.rsplit_once('/') else {
                continue;
            };
            let Ok(id) = id.parse() else { continue };
            let words = p.events.entry(id).or_default();
            if source == "mssqlserver" {
                words.insert(String::new());
            }
            for slug in names
                .get(source)
                .into_iter()
                .flatten()
                .copied()
                .chain([source])
            {
                words.insert(slug.rsplit('-').next().unwrap_or(slug).to_string());
            }
        }
        // Codes cited, and codes in templates (their `c:` terms).
        let template_codes = sigs
            .template_terms
            .keys()
            .filter_map(|t| t.strip_prefix("c:"));
        for key in sigs.codes.keys().map(String::as_str).chain(template_codes) {
            let n = if let Some(low) = key.strip_prefix("0x8007") {
                u32::from_str_radix(low, 16).ok()
            } else if let Some(rest) = key.strip_prefix("http-") {
                rest.split('.').next().and_then(|s| s.parse().ok())
            } else if let Some(rest) = key.strip_prefix("mssql-") {
                rest.parse().ok()
            } else {
                None
            };
            p.numbers.extend(n);
        }
        for (term, list) in &sigs.template_terms {
            p.vocab.add(term, p.postings.len() as u32);
            p.postings.push(list.clone());
        }
        p.lens = sigs.templates.iter().map(|t| t.seq.len() as u32).collect();
        p.name_skeletons = skeleton::digit_skeletons(sigs.names.keys().map(String::as_str));
        p.vocab_by_skeleton = skeleton::spellings_by_skeleton(p.vocab.bodies());
        for body in p.vocab.bodies() {
            p.number_terms.insert(body.as_bytes());
        }
        p.index_numbers();
        p.names_have_guid = sigs
            .names
            .keys()
            .any(|n| skeleton::guid_at(n.as_bytes(), 0));
        p
    }

    /// The tables made of `numbers` and `events`, for the number tests.
    fn index_numbers(&mut self) {
        for &n in self.numbers.iter().chain(self.events.keys()) {
            self.small_numbers.insert(n);
        }
        for (&n, words) in &self.events {
            if words.contains("") {
                self.after_any_word.insert(n);
            }
            self.source_words
                .extend(words.iter().filter(|w| !w.is_empty()).cloned());
        }
        self.source_word_skeletons =
            skeleton::digit_skeletons(self.source_words.iter().map(String::as_str));
        self.kept_after = [Before::Plain, Before::Context].map(|before| {
            digits::ShortVerdicts::new(|raw| {
                self.number_matters_after(digits_value(raw), before)
                    || self.number_terms.holds(raw) == Some(true)
            })
        });
    }

    /// True when a number of at most five digits after a word that is
    /// `before` (not [`Before::Other`]) is kept as written: it could be
    /// an event or a code there, or a template holds it.
    pub(super) fn kept_after(&self, raw: &[u8], before: Before) -> bool {
        self.kept_after[usize::from(before == Before::Context)].of(raw)
    }

    /// False when `rec` surely gives no evidence and no unmatched key, so
    /// the analyser can be skipped.
    pub fn needs_analysis(&self, sigs: &Signatures, rec: &LogRecord) -> bool {
        self.need(sigs, rec) != Need::Nothing
    }

    /// How much of the analysis `rec` needs.
    pub fn need(&self, sigs: &Signatures, rec: &LogRecord) -> Need {
        if !self.ready || rec.event_id.is_some() || !rec.text.is_ascii() {
            return Need::Full;
        }
        if self.could_match(sigs, rec) {
            Need::Full
        } else if is_error(rec) {
            Need::ErrorKey
        } else {
            Need::Nothing
        }
    }

    /// False when `rec` (ASCII, without an event ID) surely gives no evidence.
    fn could_match(&self, sigs: &Signatures, rec: &LogRecord) -> bool {
        let mut hits: Vec<u32> = Vec::new();
        let mut any = false;
        let mut prev = String::new();
        for_tokens(&rec.text, |tok| {
            if !any {
                any = self.token_matters(sigs, tok, &prev, &mut hits);
                prev.clear();
                prev.push_str(tok);
            }
        });
        any || self.template_possible(&mut hits)
    }

    /// A number token after `prev`: could it be an event or a code?
    fn number_matters(&self, n: u32, prev: &str) -> bool {
        // Compared in any case: no lower-cased copy for every number.
        let p = trim_to_alphanumeric(prev);
        if is_event_word(p) {
            return true;
        }
        // The sets first: most numbers are in neither.
        if self.small_numbers.rules_out(n) {
            return false;
        }
        if self.numbers.contains(&n) && is_context_word(p) {
            return true;
        }
        let Some(words) = self.events.get(&n) else {
            return false;
        };
        words.contains("")
            || p.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
                // Lower-cased only when it has capitals.
                if w.bytes().any(|b| b.is_ascii_uppercase()) {
                    words.contains(&w.to_ascii_lowercase())
                } else {
                    words.contains(w)
                }
            })
    }

    /// What `prev` tells of a number after it, for every token of its
    /// skeleton (the same letters and joiners, any digits).
    pub(super) fn before(&self, prev: &str) -> Before {
        let p = trim_to_alphanumeric(prev);
        let digits = |w: &str| w.bytes().any(|c| c.is_ascii_digit());
        // Could `p` be `word` with other digits?
        let could_be = |word: &str| {
            word.len() == p.len()
                && word.bytes().zip(p.bytes()).all(|(w, c)| {
                    w.eq_ignore_ascii_case(&c) || w.is_ascii_digit() && c.is_ascii_digit()
                })
        };
        let names_a_source = p.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            if digits(w) {
                self.source_word_skeletons
                    .contains(&skeleton::skeleton_of(w.as_bytes()))
            } else {
                self.source_words.contains(&w.to_ascii_lowercase())
            }
        });
        let event_word = EVENT_WORDS.into_iter().any(could_be);
        let context = CONTEXT.into_iter().any(could_be);
        if event_word || names_a_source || context && digits(p) {
            Before::Other
        } else if context {
            Before::Context
        } else {
            Before::Plain
        }
    }

    /// [`Self::number_matters`] of `n` after a word that is `before`
    /// (not [`Before::Other`]) and when the small-number table does not
    /// rule `n` out.
    pub(super) fn number_matters_after(&self, n: u32, before: Before) -> bool {
        (before == Before::Context && self.numbers.contains(&n)) || self.after_any_word.holds(n)
    }

    /// True when `tok` is a number, or an HTTP status with its substatus
    /// (`500.19`), that could be an event or a code after `prev`.
    fn as_number_matters(&self, tok: &str, prev: &str) -> bool {
        let b = tok.as_bytes();
        // Most tokens asked are plain numbers: no trimming, no split.
        if b.iter().all(u8::is_ascii_digit) {
            return !b.is_empty() && b.len() <= 5 && self.number_matters(digits_value(b), prev);
        }
        let bare = trim_to_alphanumeric(tok);
        // At most `12345.123`, starting with a digit.
        if bare.len() > 9 || !bare.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        let (whole, sub) = bare.split_once('.').unwrap_or((bare, "0"));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        whole.len() <= 5
            && digits(whole)
            && sub.len() <= 3
            && digits(sub)
            && self.number_matters(whole.parse().unwrap_or(0), prev)
    }

    /// True when `tok` calls for the analyser; adds its possible template
    /// terms to `hits` otherwise. What depends on the token alone is
    /// remembered per token without digits: a log repeats its words, but
    /// hardly ever its numbers, addresses and IDs, which would only churn
    /// the cache.
    fn token_matters(&self, sigs: &Signatures, tok: &str, prev: &str, hits: &mut Vec<u32>) -> bool {
        if self.as_number_matters(tok, prev) {
            return true;
        }
        let known = |tok: &str| {
            let lower = tok.to_ascii_lowercase();
            let alone = code_form(sigs, tok, &lower);
            let ids = if alone {
                Vec::new()
            } else {
                self.vocab.terms(tok, &lower)
            };
            (alone, ids)
        };
        if tok.bytes().any(|b| b.is_ascii_digit()) {
            let (alone, ids) = known(tok);
            hits.extend_from_slice(&ids);
            return alone;
        }
        CACHE.with_borrow_mut(|cache| {
            if let Some((alone, ids)) = cache.get(tok) {
                hits.extend_from_slice(ids);
                return *alone;
            }
            let (alone, ids) = known(tok);
            hits.extend_from_slice(&ids);
            if cache.len() >= CACHED_TOKENS {
                cache.clear();
            }
            cache.insert(tok.into(), (alone, ids.into()));
            alone
        })
    }

    /// Whether some template could reach the share the matcher asks, by
    /// the matcher's bound over the possible terms (counted in a
    /// per-thread array, as the matcher counts).
    fn template_possible(&self, hits: &mut [u32]) -> bool {
        if hits.len() < 3 {
            return false;
        }
        hits.sort_unstable();
        // Lines of one kind give the same terms, their variable parts
        // seldom any: the answer is remembered per set of terms.
        if let Some(found) = POSSIBLE.with_borrow(|known| known.get(&*hits).copied()) {
            return found;
        }
        let found = self.template_reachable(hits);
        POSSIBLE.with_borrow_mut(|known| {
            if known.len() >= CACHED_HITS {
                known.clear();
            }
            known.insert(hits.into(), found);
        });
        found
    }

    /// [`Self::template_possible`] on sorted hits, counted.
    fn template_reachable(&self, hits: &[u32]) -> bool {
        BOUND.with_borrow_mut(|(bound, touched)| {
            bound.resize(self.lens.len(), 0);
            let mut found = false;
            'terms: for run in hits.chunk_by(|a, b| a == b) {
                let on_line = run.len().min(usize::from(u16::MAX)) as u16;
                for &(t, in_template) in &self.postings[run[0] as usize] {
                    let b = &mut bound[t as usize];
                    if *b == 0 {
                        touched.push(t);
                    }
                    *b += u32::from(in_template.min(on_line));
                    if *b >= self.lens[t as usize].div_ceil(2).max(3) {
                        found = true;
                        break 'terms;
                    }
                }
            }
            for t in touched.drain(..) {
                bound[t as usize] = 0;
            }
            found
        })
    }
}

/// What a token alone says: whether it calls for the analyser, else its
/// possible template terms.
type Known = (bool, Box<[u32]>);

thread_local! {
    static BOUND: std::cell::RefCell<(Vec<u32>, Vec<u32>)> = std::cell::RefCell::default();
    static CACHE: std::cell::RefCell<FxHashMap<Box<str>, Known>> =
        std::cell::RefCell::default();
    static POSSIBLE: std::cell::RefCell<FxHashMap<Box<[u32]>, bool>> =
        std::cell::RefCell::default();
}

/// The words after which a number that is a code the knowledge base
/// knows is that code (`error 5`, `HTTP 500`, `Msg 208`).
const CONTEXT: [&str; 10] = [
    "error",
    "err",
    "code",
    "status",
    "win32",
    "errorcode",
    "http",
    "msg",
    "hr",
    "hresult",
];

/// True when `word` (trimmed) is one of [`CONTEXT`], in any case.
fn is_context_word(word: &str) -> bool {
    CONTEXT.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// The words after which a number is an event ID (`Event ID 1014`).
const EVENT_WORDS: [&str; 4] = ["event", "eventid", "eventcode", "id"];

/// True when `word` (trimmed) names an event (`Event ID 1014`): a number
/// after it is kept whatever its value.
fn is_event_word(word: &str) -> bool {
    // The lengths first: most words before a number are none of these.
    matches!(word.len(), 2 | 5 | 7 | 9) && EVENT_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// As the unmatched list decides: an error record is counted there.
fn is_error(rec: &LogRecord) -> bool {
    match rec.level {
        Some(l) => l <= Level::Error,
        None => ["error", "fail", "exception", "fatal"]
            .iter()
            .any(|w| token::contains_ignoring_case(&rec.text, w)),
    }
}

/// The value of at most five ASCII digits.
pub(super) fn digits_value(b: &[u8]) -> u32 {
    b.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0'))
}

#[cfg(test)]
mod tests {
    use super::{Before, Prefilter};

    /// The pieces' places are those of a split at every byte that is not
    /// an ASCII letter or digit, empty pieces left out.
    #[test]
    fn piece_spans_are_the_pieces_of_a_split() {
        for raw in [
            "",
            "-",
            "a",
            "Package_for_KB5012345~amd64~~10.0.1",
            "_x__y.",
            "é9-z",
        ] {
            let raw = raw.as_bytes();
            let spans: Vec<&[u8]> = super::token::piece_spans(raw).map(|r| &raw[r]).collect();
            let split: Vec<&[u8]> = raw
                .split(|c| !c.is_ascii_alphanumeric())
                .filter(|p| !p.is_empty())
                .collect();
            assert_eq!(spans, split, "{raw:?}");
        }
    }

    /// The verdicts made once on every number of at most five digits are
    /// those of the tests they stand for, on each number as written.
    #[test]
    fn short_numbers_are_kept_as_their_tests_keep_them() {
        let mut p = Prefilter::default();
        p.numbers.extend([5, 500, 208]);
        for (id, words) in [(1014, &["client"][..]), (17053, &[""]), (404, &[""])] {
            p.events
                .insert(id, words.iter().map(|w| w.to_string()).collect());
        }
        for term in ["404", "007", "0", "12345", "99"] {
            p.number_terms.insert(term.as_bytes());
        }
        p.index_numbers();
        let mut kept = [0, 0];
        for len in 1..=5 {
            for value in 0..10u32.pow(len as u32) {
                let text = format!("{value:0len$}");
                let raw = text.as_bytes();
                let n = super::digits_value(raw);
                for (b, before) in [Before::Plain, Before::Context].into_iter().enumerate() {
                    let tested = !p.small_numbers.rules_out(n) && p.number_matters_after(n, before)
                        || p.number_terms.holds(raw) == Some(true);
                    assert_eq!(p.kept_after(raw, before), tested, "{text} {before:?}");
                    kept[b] += usize::from(tested);
                }
            }
        }
        // The five template terms, and 404 and 17053 with any leading
        // zeros (`0404`, `00404`, `17053`) after any word; after a context
        // word also 5, 500 and 208 with any (five, three and three).
        assert_eq!(kept, [8, 19]);
    }

    /// What the word before a number tells, made from one token, holds for
    /// every token of its skeleton: `number_matters_after` answers as
    /// `number_matters` does with the token itself, for every number the
    /// small-number table does not rule out.
    #[test]
    fn the_word_before_a_number_tells_the_same_for_its_whole_skeleton() {
        let mut p = Prefilter::default();
        p.numbers.extend([5, 500, 208]);
        for (id, words) in [
            (1014, &["client"][..]),
            (7031, &["manager"]),
            (17053, &[""]),
            (4625, &["auditing", "x64"]),
        ] {
            p.events
                .insert(id, words.iter().map(|w| w.to_string()).collect());
        }
        p.index_numbers();
        let prevs = [
            "port",
            "error",
            "Error:",
            "HTTP",
            "win32",
            "Win32",
            "msg",
            "client",
            "DNS-Client",
            "manager",
            "0",
            "200",
            "Mozilla/5.0",
            "x64",
            "x86",
            "auditing",
            "sql2019",
            "took",
        ];
        let mut plain = 0;
        for prev in prevs {
            let before = p.before(prev);
            if before == Before::Other {
                continue;
            }
            plain += 1;
            // The same token with other digits, in turn from each of these.
            for digits in ["0", "3", "64", "32", "2019"] {
                let mut next = digits.chars().cycle();
                let other: String = prev
                    .chars()
                    .map(|c| {
                        if c.is_ascii_digit() {
                            next.next().unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect();
                for n in [0, 3, 5, 32, 200, 208, 500, 1014, 4625, 7031, 17053, 99999] {
                    if p.small_numbers.rules_out(n) {
                        continue;
                    }
                    assert_eq!(
                        p.number_matters_after(n, before),
                        p.number_matters(n, &other),
                        "{n} after {other} ({prev}: {before:?})"
                    );
                }
            }
        }
        assert!(plain >= 8, "{plain} words settled the test");
    }
}
