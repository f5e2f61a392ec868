//! The prefilter's view of one token, in ASCII and without the analyser:
//! the tokens themselves, whether one is a code form, and which template
//! terms its primary term could be. Called for nearly every token of a
//! log, so nothing here allocates on the common path: terms are looked
//! up by their body (no `w:` prefix to format), stems are remembered per
//! word.

use super::super::kb::Signatures;
use crate::analysis::camel_split;
use rustc_hash::FxHashMap;

/// Distinct words whose stem term a thread remembers.
const CACHED_STEMS: usize = 1 << 16;

/// The template terms a token could give, by body: `w:` terms and `n:` terms.
#[derive(Debug, Default)]
pub(super) struct Vocab {
    /// `w:` term body → its number.
    words: FxHashMap<String, u32>,
    /// `n:` term body → its number.
    names: FxHashMap<String, u32>,
}

impl Vocab {
    /// Notes term number `id`, spelled `term` in the index (`w:share`).
    pub(super) fn add(&mut self, term: &str, id: u32) {
        if let Some(body) = term.strip_prefix("w:") {
            self.words.insert(body.to_string(), id);
        } else if let Some(body) = term.strip_prefix("n:") {
            self.names.insert(body.to_string(), id);
        }
    }

    /// The template terms a token's primary term could be: the token
    /// lower-cased (as a word or a name), trimmed, and each of its pieces
    /// and camelCase parts, as it is and stemmed. `lower` is `tok` in lower case.
    pub(super) fn terms(&self, tok: &str, lower: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = Vec::new();
        let mut add = |id: Option<u32>| {
            if let Some(id) = id {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        };
        add(self.words.get(lower).copied());
        add(self.names.get(lower).copied());
        add(self
            .words
            .get(lower.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
            .copied());
        let pieces = tok.split(|c: char| !c.is_ascii_alphanumeric());
        let lower_pieces = lower.split(|c: char| !c.is_ascii_alphanumeric());
        for (piece, p) in pieces.zip(lower_pieces) {
            add(self.words.get(p).copied());
            add(self.stem_term(p));
            // A piece in lower case is its only camelCase part.
            if piece.bytes().any(|b| b.is_ascii_uppercase()) {
                // The analyser's own split, so the parts are its terms.
                for part in camel_split(piece) {
                    add(self.stem_term(&part.to_ascii_lowercase()));
                }
            }
        }
        ids
    }

    /// The `w:` term of `word`'s stem, as the analyser stems (Porter2, the
    /// same crate and guard); remembered per word.
    fn stem_term(&self, word: &str) -> Option<u32> {
        if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return self.words.get(word).copied();
        }
        STEMS.with_borrow_mut(|stems| {
            if let Some(&id) = stems.get(word) {
                return id;
            }
            static STEMMER: std::sync::OnceLock<rust_stemmers::Stemmer> =
                std::sync::OnceLock::new();
            let stemmer = STEMMER
                .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
            let id = self.words.get(stemmer.stem(word).as_ref()).copied();
            if stems.len() >= CACHED_STEMS {
                stems.clear();
            }
            stems.insert(word.into(), id);
            id
        })
    }
}

thread_local! {
    static STEMS: std::cell::RefCell<FxHashMap<Box<str>, Option<u32>>> =
        std::cell::RefCell::default();
}

/// True when `hay` holds `needle` (lower-case ASCII) in any case,
/// without a lower-cased copy of `hay`.
pub(super) fn contains_ignoring_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// A token that is, or holds, a code or a name the knowledge base cites.
pub(super) fn code_form(sigs: &Signatures, tok: &str, lower: &str) -> bool {
    if lower.contains("0x") || lower.starts_with("mssqlserver_") || smtp(lower) {
        return true;
    }
    if (tok.contains('_') || tok.starts_with('E')) && sigs.names.contains_key(lower) {
        return true;
    }
    let guid = is_guid(lower);
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|piece| {
            let digits = piece.bytes().all(|b| b.is_ascii_digit());
            (digits && piece.len() >= 9)
                || (!digits
                    && !guid
                    && piece.len() == 8
                    && piece.bytes().all(|b| b.is_ascii_hexdigit())
                    && piece.as_bytes()[0] >= b'8')
        })
}

/// Calls `f` with each token: runs of ASCII letters, digits and the
/// analyser's joiners, an apostrophe or backtick between letters kept
/// out (the analyser drops it: `can't` is `cant`).
pub(super) fn for_tokens(text: &str, mut f: impl FnMut(&str)) {
    let b = text.as_bytes();
    let mut tok = String::new();
    for (i, &c) in b.iter().enumerate() {
        let joiner = matches!(c, b'_' | b'.' | b'-' | b'\\' | b'/' | b':' | b'$' | b'@');
        if c.is_ascii_alphanumeric() || joiner {
            tok.push(char::from(c));
            continue;
        }
        let letters = |j: Option<usize>| {
            j.and_then(|j| b.get(j))
                .is_some_and(u8::is_ascii_alphabetic)
        };
        if matches!(c, b'\'' | b'`') && letters(i.checked_sub(1)) && letters(Some(i + 1)) {
            continue;
        }
        if !tok.is_empty() {
            f(&tok);
            tok.clear();
        }
    }
    if !tok.is_empty() {
        f(&tok);
    }
}

/// `[245].d{1,3}.d{1,3}`, an SMTP enhanced status.
fn smtp(t: &str) -> bool {
    let mut parts = t.split('.');
    let number = |p: Option<&str>| {
        p.is_some_and(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(parts.next(), Some("2" | "4" | "5"))
        && number(parts.next())
        && number(parts.next())
        && parts.next().is_none()
}

/// 8-4-4-4-12 hex digits (braces already out: they are no token characters).
fn is_guid(t: &str) -> bool {
    let mut groups = t.split('-');
    [8, 4, 4, 4, 12].iter().all(|&n| {
        groups
            .next()
            .is_some_and(|g| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
    }) && groups.next().is_none()
}
