//! Words and codes inside one token: code recognition, symbolic names,
//! the parts of compound words and the stemmer.

use super::tokens::{errno_re, is_joiner, name_re, smtp_re, STOPWORDS};
use super::TermKind;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

pub(super) enum CodeCheck {
    Code(String),
    Noise,
    No,
}

/// The code rules of the contract, on the lower-cased token.
pub(super) fn code(lower: &str) -> CodeCheck {
    let all_hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(hex) = lower.strip_prefix("0x").filter(|h| all_hex(h)) {
        return match hex.len() {
            1..=4 | 8 => match u32::from_str_radix(hex, 16) {
                Ok(0) | Err(_) => CodeCheck::Noise,
                Ok(v) if v <= 0xffff => CodeCheck::Code(format!("0x8007{v:04x}")),
                Ok(v) => CodeCheck::Code(format!("0x{v:08x}")),
            },
            5..=7 | 9..=16 => CodeCheck::Noise,
            _ => CodeCheck::No,
        };
    }
    if lower.len() == 8
        && all_hex(lower)
        && matches!(lower.as_bytes()[0], b'8'..=b'9' | b'a'..=b'f')
    {
        return CodeCheck::Code(format!("0x{lower}"));
    }
    if let Some(neg) = lower.strip_prefix('-').filter(|n| all_digits(n)) {
        let n: u64 = neg.parse().unwrap_or(0);
        return if matches!(neg.len(), 9 | 10) && (1 << 28..=1 << 31).contains(&n) {
            CodeCheck::Code(format!("0x{:08x}", (1u64 << 32) - n))
        } else {
            CodeCheck::Noise
        };
    }
    if lower.len() == 10 && all_digits(lower) {
        let n: u64 = lower.parse().unwrap_or(0);
        if (1 << 31..1 << 32).contains(&n) {
            return CodeCheck::Code(format!("0x{n:08x}"));
        }
    }
    if lower.as_bytes().get(1) == Some(&b'.') && smtp_re().is_match(lower) {
        return CodeCheck::Code(lower.to_string());
    }
    if let Some(n) = lower.strip_prefix("mssqlserver_").filter(|n| all_digits(n)) {
        return CodeCheck::Code(format!("mssql-{n}"));
    }
    CodeCheck::No
}

pub(super) fn is_name(text: &str) -> bool {
    // Both patterns need a leading `E` or an `_`: checked first, it spares the regexes.
    if text.starts_with('E') && errno_re().is_match(text) {
        return true;
    }
    text.contains('_')
        && name_re().is_match(text)
        && text
            .split('_')
            .next()
            .is_some_and(|head| !head.chars().any(char::is_lowercase))
}

/// Pieces between joiners, split again at camelCase boundaries, lower-cased.
pub(super) fn split_parts(text: &str) -> Vec<String> {
    text.split(is_joiner)
        .filter(|p| !p.is_empty())
        .flat_map(camel_split)
        .map(|p| {
            if p.is_ascii() {
                p.to_ascii_lowercase()
            } else {
                p.to_lowercase()
            }
        })
        .collect()
}

/// `aB` → `a|B`, `ABc` → `A|Bc` (but `VMs` stays whole); letters and
/// digits stay together.
pub(crate) fn camel_split(piece: &str) -> Vec<&str> {
    if piece.is_ascii() {
        camel_split_ascii(piece)
    } else {
        camel_split_chars(piece)
    }
}

/// [`camel_split`] of any piece, char by char.
fn camel_split_chars(piece: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = piece.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..chars.len() {
        let (prev, cur) = (chars[k - 1].1, chars[k].1);
        let next_lower = chars.get(k + 1).is_some_and(|(_, c)| c.is_lowercase());
        // `VMs`, `DCs`: an acronym's plural, not `V` + `Ms`.
        let plural = k + 2 == chars.len() && chars[k + 1].1 == 's';
        if (prev.is_lowercase() && cur.is_uppercase())
            || (prev.is_uppercase() && cur.is_uppercase() && next_lower && !plural)
        {
            out.push(&piece[start..chars[k].0]);
            start = chars[k].0;
        }
    }
    out.push(&piece[start..]);
    out
}

/// [`camel_split`] of an ASCII piece, byte by byte: the same rules, where
/// a letter's case is its ASCII case.
fn camel_split_ascii(piece: &str) -> Vec<&str> {
    let b = piece.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..b.len() {
        let (prev, cur) = (b[k - 1], b[k]);
        let next_lower = b.get(k + 1).is_some_and(u8::is_ascii_lowercase);
        let plural = k + 2 == b.len() && b[k + 1] == b's';
        if (prev.is_ascii_lowercase() && cur.is_ascii_uppercase())
            || (prev.is_ascii_uppercase() && cur.is_ascii_uppercase() && next_lower && !plural)
        {
            out.push(&piece[start..k]);
            start = k;
        }
    }
    out.push(&piece[start..]);
    out
}

/// Parts worth a term, stemmed, each once.
pub(super) fn word_parts(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in split_parts(text) {
        if keep_part(&p) {
            let s = stem(&p);
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

pub(super) fn keep_part(p: &str) -> bool {
    let mut chars = p.chars();
    let single_letter =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
    !single_letter && !is_stopword(p)
}

/// No stopword is longer (`shouldnt`): longer words skip the hash.
const LONGEST_STOPWORD: usize = 8;

/// True for the words of [`STOPWORDS`]. Asked of nearly every word, so
/// looked up in a set rather than compared with each in turn (`keep_part`,
/// mostly that walk, was an eighth of the analyser's instructions).
pub(super) fn is_stopword(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    word.len() <= LONGEST_STOPWORD
        && SET
            .get_or_init(|| STOPWORDS.iter().copied().collect())
            .contains(word)
}

/// The English stem of a lower-case ASCII word of 4+ letters (Porter2,
/// the Snowball English stemmer); any other word as it is. A well-kept
/// crate rather than our own rules: it folds `slowly`/`slow`,
/// `configuration`/`configure`, `connection`/`connected` alike, which the
/// symptoms people type depend on. The browser runs the same algorithm
/// (`porter2` in kbgen-analyze.js), checked on `tests/data/stem-vectors.json`.
pub(super) fn stem(word: &str) -> String {
    if !stemmed(word) {
        return word.to_string();
    }
    let prefix = TermKind::Word.prefix().len();
    with_cached_term(word, |term| term[prefix..].to_string())
}

/// The word term of `word` (`w:` and its [`stem`]), made in one piece: a
/// plain word's only term, and most tokens are plain words.
pub(super) fn word_term(word: &str) -> String {
    if !stemmed(word) {
        return TermKind::Word.term(word);
    }
    with_cached_term(word, str::to_string)
}

fn stemmed(word: &str) -> bool {
    word.len() >= 4 && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// Calls `f` with the word term of a word the stemmer changes or keeps.
fn with_cached_term<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    // Stemming was an eighth of a build's CPU, and the same few thousand
    // words come back in every article: each thread remembers its word
    // terms. Bounded, so a 100,000-article build's vocabulary cannot grow it.
    const CACHED: usize = 1 << 16;
    thread_local! {
        static CACHE: std::cell::RefCell<FxHashMap<Box<str>, Box<str>>> =
            std::cell::RefCell::default();
    }
    CACHE.with_borrow_mut(|cache| {
        if let Some(t) = cache.get(word) {
            return f(t);
        }
        if cache.len() >= CACHED {
            cache.clear();
        }
        let t = TermKind::Word.term(&stem_uncached(word));
        let r = f(&t);
        cache.insert(word.into(), t.into_boxed_str());
        r
    })
}

pub(super) fn stem_uncached(word: &str) -> String {
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
        .stem(word)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_stopword_is_longer_than_the_longest() {
        assert!(STOPWORDS.iter().all(|w| w.len() <= LONGEST_STOPWORD));
        assert!(STOPWORDS.iter().all(|w| is_stopword(w)));
    }

    #[test]
    fn camel_split_reads_ascii_bytes_as_it_reads_chars() {
        let pieces = [
            "",
            "a",
            "A",
            "aB",
            "ABc",
            "VMs",
            "DCs",
            "getHTTPResponse",
            "IPv6Address",
            "XMLHttp",
            "ABCDs",
            "sA",
            "Ss",
            "lsaIso",
            "LsaIso",
            "a1B2",
            "ALLCAPS",
            "x64Setup",
            "WinRM",
        ];
        for p in pieces {
            assert_eq!(camel_split_ascii(p), camel_split_chars(p), "{p}");
        }
    }
}
