//! The prefilter's view of one token, in ASCII and without the analyser:
//! the tokens themselves, whether one is a code form, and which template
//! terms its primary term could be. Called for nearly every token of a
//! log, so nothing here allocates on the common path: terms are looked
//! up by their body (no `w:` prefix to format), stems are remembered per
//! word.

use super::super::kb::Signatures;
use super::digits::DigitSet;
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
    /// The `w:` bodies all of digits: most pieces looked up are numbers.
    digit_words: DigitSet,
}

impl Vocab {
    /// Notes term number `id`, spelled `term` in the index (`w:share`).
    pub(super) fn add(&mut self, term: &str, id: u32) {
        if let Some(body) = term.strip_prefix("w:") {
            self.words.insert(body.to_string(), id);
            self.digit_words.insert(body.as_bytes());
        } else if let Some(body) = term.strip_prefix("n:") {
            self.names.insert(body.to_string(), id);
        }
    }

    /// Every term body, words and names.
    pub(super) fn bodies(&self) -> impl Iterator<Item = &str> {
        self.words
            .keys()
            .chain(self.names.keys())
            .map(String::as_str)
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
        let trimmed = trim_to_alphanumeric(lower);
        add(self.words.get(lower).copied());
        add(self.names.get(lower).copied());
        add(self.words.get(trimmed).copied());
        // The analyser trims joiners: `_ERESOURCE` is the name `eresource`.
        add(self.names.get(trimmed).copied());
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

    /// True when a whole token in lower case, trimmed or not, is a
    /// template term ([`Self::terms`]' first lookups).
    pub(super) fn knows_whole(&self, lower: &str) -> bool {
        let trimmed = trim_to_alphanumeric(lower);
        let knows = |t: &str| self.words.contains_key(t) || self.names.contains_key(t);
        // Most tokens have nothing to trim: looked up once.
        knows(lower) || trimmed.len() != lower.len() && knows(trimmed)
    }

    /// True when a piece of a token (a run of letters and digits, as
    /// written) or one of its camelCase parts holding a digit is a template
    /// word ([`Self::terms`]' lookups of a piece: a piece with a digit is
    /// never stemmed, and parts without one are the same in every token
    /// of the same letters).
    pub(super) fn knows_piece_bytes(&self, piece: &[u8]) -> bool {
        match self.digit_words.holds(piece) {
            Some(known) => known,
            None => std::str::from_utf8(piece).is_ok_and(|p| self.knows_piece(p)),
        }
    }

    /// [`Self::knows_piece_bytes`] of a piece that is not all digits.
    fn knows_piece(&self, piece: &str) -> bool {
        let digit = |s: &str| s.bytes().any(|b| b.is_ascii_digit());
        if !piece.bytes().any(|b| b.is_ascii_uppercase()) {
            // Already in lower case, and its own only camelCase part.
            return self.words.contains_key(piece);
        }
        let mut buf = [0u8; 64];
        let lower = match buf.get_mut(..piece.len()) {
            // Lower-cased on the stack: the pieces of most tokens are short.
            Some(b) => {
                b.copy_from_slice(piece.as_bytes());
                b.make_ascii_lowercase();
                self.words
                    .contains_key(std::str::from_utf8(b).unwrap_or_default())
            }
            None => self.words.contains_key(&piece.to_ascii_lowercase()),
        };
        lower
            || camel_split(piece)
                .iter()
                .any(|part| digit(part) && self.words.contains_key(&part.to_ascii_lowercase()))
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
    // As the analyser reads it: without the joiners that end a sentence
    // or a label (`SEC_E_TARGET_UNKNOWN.`, `SCARD_S_SUCCESS:`, `5.7.1.`).
    let bare = trim_to_alphanumeric(lower);
    if lower.contains("0x") || bare.starts_with("mssqlserver_") || smtp(bare) {
        return true;
    }
    let tok = trim_to_alphanumeric(tok);
    if (tok.contains('_') || tok.starts_with('E')) && sigs.names.contains_key(bare) {
        return true;
    }
    let guid = is_guid(lower);
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|piece| {
            let digits = piece.bytes().all(|b| b.is_ascii_digit());
            // Eight hex digits from 8 up are a code to the analyser even
            // when all are decimal digits (`80070005`).
            (digits && piece.len() >= 9)
                || (!guid
                    && piece.len() == 8
                    && piece.bytes().all(|b| b.is_ascii_hexdigit())
                    && piece.as_bytes()[0] >= b'8')
        })
}

/// Calls `f` with each token: runs of ASCII letters, digits and the
/// analyser's joiners, an apostrophe or backtick between letters kept
/// out (the analyser drops it: `can't` is `cant`).
pub(super) fn for_tokens(text: &str, mut f: impl FnMut(&str)) {
    for_token_spans(text, |_, tok| f(tok));
}

/// [`for_tokens`] with each token's place: `f` hears the byte range the
/// token spans in `text` (apostrophes included) and the token. A token
/// is a slice of `text` unless an apostrophe had to be left out. A run of
/// joiners alone is not a token.
pub(crate) fn for_token_spans(text: &str, mut f: impl FnMut(std::ops::Range<usize>, &str)) {
    let b = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut joined = false;
    let mut emit = |start: usize, end: usize, joined: bool| {
        let span = &text[start..end];
        // Joiners alone (`:` after `"code"`) are no token to the analyser,
        // which trims them: the word before stays the next token's context.
        if !span.bytes().any(|b| b.is_ascii_alphanumeric()) {
            return;
        }
        if joined {
            let tok: String = span.chars().filter(|c| !matches!(c, '\'' | '`')).collect();
            f(start..end, &tok);
        } else {
            f(start..end, span);
        }
    };
    for (i, &c) in b.iter().enumerate() {
        let joiner = matches!(c, b'_' | b'.' | b'-' | b'\\' | b'/' | b':' | b'$' | b'@');
        if c.is_ascii_alphanumeric() || joiner {
            start.get_or_insert(i);
            continue;
        }
        let letter = |j: Option<usize>| {
            j.and_then(|j| b.get(j))
                .is_some_and(u8::is_ascii_alphabetic)
        };
        if matches!(c, b'\'' | b'`') && letter(i.checked_sub(1)) && letter(Some(i + 1)) {
            // Between two letters, so a token is under way.
            joined = true;
            continue;
        }
        if let Some(s) = start.take() {
            emit(s, i, std::mem::take(&mut joined));
        }
    }
    if let Some(s) = start {
        emit(s, b.len(), joined);
    }
}

/// Where the pieces of `raw` lie: its runs of ASCII letters and digits
/// (what joins them, `_`, `.`, `-` and the like, is in none).
pub(super) fn piece_spans(raw: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < raw.len() && !raw[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let start = i;
        while i < raw.len() && raw[i].is_ascii_alphanumeric() {
            i += 1;
        }
        (start < i).then_some(start..i)
    })
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

/// `s` without the characters that are not ASCII letters or digits at its
/// ends. By bytes: every byte of a non-ASCII character is trimmed with it.
pub(super) fn trim_to_alphanumeric(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b
        .iter()
        .position(u8::is_ascii_alphanumeric)
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(u8::is_ascii_alphanumeric)
        .map_or(start, |i| i + 1);
    &s[start..end]
}
