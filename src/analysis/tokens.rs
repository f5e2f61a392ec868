//! The first pass of the analyser: text cut into tokens, each classified
//! (noise, code, name, number, word, dropped) with the word lists and
//! patterns the rules use.

use super::interned::Interned;
use super::words::{
    camel_split, code, is_name, keep_part, split_parts, word_parts, word_term, CodeCheck,
};
use super::TermKind;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;

pub(super) const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "has", "have", "if",
    "in", "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "then",
    "there", "these", "this", "those", "to", "was", "were", "will", "with", "cannot", "cant",
    "wont", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "couldnt", "shouldnt",
    "wouldnt", "hasnt", "havent",
];

pub(super) const LEVEL_WORDS: &[&str] = &[
    "info",
    "information",
    "warn",
    "warning",
    "debug",
    "trace",
    "verbose",
    "notice",
    "fatal",
    "critical",
];

/// Words after which a number is a Win32 error.
pub(super) const ERROR_CONTEXT: &[&str] = &["error", "err", "code", "status", "win32", "errorcode"];

/// Words that name the parts of an event rather than its source.
pub(super) const NOT_SOURCE: &[&str] = &[
    "event",
    "eventid",
    "eventcode",
    "id",
    "source",
    "provider",
    "providername",
    "log",
    "from",
    "level",
    "logged",
    "error",
    "err",
    "code",
    "status",
    "msg",
    "http",
    "win32",
    "errorcode",
];

/// Words skipped between an event ID and the source written after it.
pub(super) const SOURCE_LEAD: &[&str] = &[
    "from",
    "source",
    "provider",
    "providername",
    "in",
    "the",
    "log",
    "by",
    "of",
];

pub(super) const EVENT_KEYWORDS: &[&str] = &["event", "eventid", "eventcode"];
pub(super) const SOURCE_KEYWORDS: &[&str] = &["source", "provider", "providername"];

re!(
    noise_re,
    r"(?xi)^(?:
        [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}
      | (?:\d{4}-\d{1,2}-\d{1,2} | \d{4}/\d{1,2}/\d{1,2} | \d{1,2}/\d{1,2}/\d{2,4} | \d{1,2}\.\d{1,2}\.\d{4})
        (?:T\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?
      | \d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?
      | \d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?
      | [0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}
    )$"
);
re!(smtp_re, r"^[245]\.\d{1,3}\.\d{1,3}$");
re!(http_re, r"^[1-5]\d\d(?:\.\d{1,3})?$");
re!(name_re, r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$");
re!(errno_re, r"^E[A-Z]{3,}$");

/// False when `text` surely does not match `noise_re`: every noise form is
/// made of hex digits, `T`, `Z` and the punctuation of dates, times and
/// addresses, and has a `-`, `/`, `.` or `:` (GUIDs and dates a `-`, `/` or
/// `.`, times and IPv6 a `:`, IPv4 a `.`). Words and plain numbers fail this
/// at once, which spares the regex (and its per-thread cache pool).
pub(super) fn maybe_noise(text: &str) -> bool {
    let mut anchor = false;
    for b in text.bytes() {
        match b {
            b':' | b'-' | b'.' | b'/' => anchor = true,
            b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' | b't' | b'T' | b'z' | b'Z' | b'+' | b',' => {}
            _ => return false,
        }
    }
    anchor
}

/// What one token is.
#[derive(Debug)]
pub(super) enum Class {
    Noise,
    Code(String),
    Name(String, Vec<String>),
    Number(u32),
    /// Word terms, and the codes of pieces between joiners (`processor:2147500037`).
    Word(Vec<String>, Vec<String>),
    /// One plain word, as its word term (`w:` and the stem): most tokens.
    Plain(String),
    /// A stopword or a single letter: kept for context, no terms.
    Dropped,
}

/// A token borrows from the analysed text where it can: most are a plain
/// slice of it, already lower case.
pub(super) struct Token<'a> {
    pub(super) text: Cow<'a, str>,
    /// Shared with every other occurrence of the same token
    /// ([`super::classes::classified`]).
    pub(super) known: Rc<Known>,
}

/// What is known of a token, whatever its occurrence: the token itself,
/// its class, and its lower case when that is not the token itself.
#[derive(Debug)]
pub(super) struct Known {
    /// The token's text, which the cache of classes compares
    /// ([`super::classes`]).
    pub(super) key: Key,
    pub(super) class: Class,
    pub(super) lower: Option<Box<str>>,
    /// Its own terms interned, the primary first, once an article's
    /// analysis has asked ([`Token::each_own_interned`]).
    pub(super) interned: OnceCell<OwnTerms>,
}

impl Known {
    pub(super) fn new(text: &str, class: Class, lower: Option<Box<str>>) -> Known {
        Known {
            key: Key::new(text),
            class,
            lower,
            interned: OnceCell::new(),
        }
    }
}

/// A token's own terms interned, in place for the one or two that most
/// tokens have: the analysis reads them at every occurrence.
#[derive(Debug)]
pub(super) enum OwnTerms {
    Few([Option<Interned>; 2]),
    Many(Box<[Interned]>),
}

impl OwnTerms {
    fn new(terms: Vec<Interned>) -> OwnTerms {
        match terms[..] {
            [] => OwnTerms::Few([None, None]),
            [a] => OwnTerms::Few([Some(a), None]),
            [a, b] => OwnTerms::Few([Some(a), Some(b)]),
            _ => OwnTerms::Many(terms.into_boxed_slice()),
        }
    }

    fn each(&self, mut f: impl FnMut(Interned)) {
        match self {
            OwnTerms::Few(terms) => terms.iter().flatten().for_each(|&t| f(t)),
            OwnTerms::Many(terms) => terms.iter().for_each(|&t| f(t)),
        }
    }
}

/// A token's text, held in place when it is short (most are): a lookup
/// that compares it then reads the memory it reads next anyway, the rest
/// of [`Known`], rather than a string somewhere else.
#[derive(Debug)]
pub(super) enum Key {
    Short { len: u8, bytes: [u8; Key::SHORT] },
    Long(Box<[u8]>),
}

impl Key {
    /// Bytes held in place: with the length and the tag, as big as `Long`.
    const SHORT: usize = 22;

    fn new(text: &str) -> Key {
        let b = text.as_bytes();
        match u8::try_from(b.len()) {
            Ok(len) if b.len() <= Key::SHORT => {
                let mut bytes = [0; Key::SHORT];
                bytes[..b.len()].copy_from_slice(b);
                Key::Short { len, bytes }
            }
            _ => Key::Long(b.into()),
        }
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Short { len, bytes } => &bytes[..usize::from(*len)],
            Key::Long(b) => b,
        }
    }
}

impl Token<'_> {
    pub(super) fn class(&self) -> &Class {
        &self.known.class
    }

    /// The token in lower case.
    pub(super) fn lower(&self) -> &str {
        self.known.lower.as_deref().unwrap_or(&self.text)
    }

    pub(super) fn source_ish(&self) -> bool {
        self.text.chars().any(char::is_alphabetic)
            && matches!(
                self.class(),
                Class::Name(..) | Class::Word(..) | Class::Plain(_)
            )
            && !NOT_SOURCE.contains(&self.lower())
    }

    /// The source name this token contributes (`Microsoft-Windows-X/Operational` → `Microsoft-Windows-X`).
    pub(super) fn source_text(&self) -> &str {
        self.text.split('/').next().unwrap_or(&self.text)
    }

    /// Calls `f` with each of this token's own terms, the primary one
    /// first. The terms its class does not hold whole are spelled in
    /// `scratch`, so none is allocated.
    pub(super) fn each_own_term(&self, scratch: &mut String, mut f: impl FnMut(&str)) {
        let mut spelled = |kind: TermKind, body: &str, f: &mut dyn FnMut(&str)| {
            scratch.clear();
            scratch.push_str(kind.prefix());
            scratch.push_str(body);
            f(scratch);
        };
        match self.class() {
            Class::Code(key) => spelled(TermKind::Code, key, &mut f),
            Class::Name(name, parts) => {
                spelled(TermKind::Name, name, &mut f);
                for p in parts {
                    spelled(TermKind::Word, p, &mut f);
                }
            }
            Class::Number(_) => spelled(TermKind::Word, &self.text, &mut f),
            Class::Plain(term) => f(term),
            Class::Word(terms, codes) => {
                for t in terms {
                    spelled(TermKind::Word, t, &mut f);
                }
                for c in codes {
                    spelled(TermKind::Code, c, &mut f);
                }
            }
            Class::Noise | Class::Dropped => {}
        }
    }

    /// [`Token::each_own_term`], interned: each token's terms are spelled
    /// and interned once per thread, however often the token comes back.
    pub(super) fn each_own_interned(&self, f: impl FnMut(Interned)) {
        let terms = self.known.interned.get_or_init(|| {
            let mut terms = Vec::new();
            self.each_own_term(&mut String::new(), |t| terms.push(Interned::of(t)));
            OwnTerms::new(terms)
        });
        terms.each(f);
    }
}

pub(super) fn is_joiner(c: char) -> bool {
    matches!(c, '_' | '.' | '-' | '\\' | '/' | ':' | '$' | '@')
}

/// `'`, or the backtick that folding makes one ([`crate::signature::fold_text`]).
fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '`'
}

/// Maximal runs of letters, digits and joiners, trimmed of joiners. An
/// apostrophe between letters joins a word and is left out (`can't` →
/// `cant`); any other ends the token.
pub(super) fn split_tokens(text: &str) -> Vec<Cow<'_, str>> {
    if text.is_ascii() {
        split_ascii(text)
    } else {
        split_chars(text)
    }
}

/// [`split_tokens`] of any text, char by char.
pub(super) fn split_chars(text: &str) -> Vec<Cow<'_, str>> {
    let mut tokens = Vec::with_capacity(expected_tokens(text));
    // Where the token being read starts, and whether it holds apostrophes.
    let mut start: Option<usize> = None;
    let mut joined = false;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() || is_joiner(c) {
            start.get_or_insert(at);
        } else if is_apostrophe(c)
            && prev.is_some_and(char::is_alphabetic)
            && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic())
        {
            joined = true;
        } else if let Some(from) = start.take() {
            push_trimmed(&mut tokens, &text[from..at], std::mem::take(&mut joined));
        }
        prev = Some(c);
    }
    if let Some(from) = start {
        push_trimmed(&mut tokens, &text[from..], joined);
    }
    tokens
}

/// [`split_tokens`] of an ASCII text (most texts, once folded), byte by
/// byte: the same rules without decoding a char at each step, where the
/// char classes are their ASCII forms.
pub(super) fn split_ascii(text: &str) -> Vec<Cow<'_, str>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(expected_tokens(text));
    let mut start: Option<usize> = None;
    let mut joined = false;
    for (at, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() || is_joiner(char::from(b)) {
            start.get_or_insert(at);
        } else if is_apostrophe(char::from(b))
            && at > 0
            && bytes[at - 1].is_ascii_alphabetic()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            joined = true;
        } else if let Some(from) = start.take() {
            push_trimmed(&mut tokens, &text[from..at], std::mem::take(&mut joined));
        }
    }
    if let Some(from) = start {
        push_trimmed(&mut tokens, &text[from..], joined);
    }
    tokens
}

/// Room for the tokens of `text` at about one per six bytes (a word and
/// its space): growing the list from empty, a token at a time, was most
/// of the analyser's allocations.
fn expected_tokens(text: &str) -> usize {
    text.len() / 6 + 1
}

/// A run of token characters without the joiners around it, except a
/// `-` before a digit (a negative number) and a trailing `$`.
pub(super) fn trim_token(raw: &str) -> &str {
    // Most tokens start and end with a letter or digit: nothing to trim.
    let b = raw.as_bytes();
    if b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        return raw;
    }
    let mut s = raw;
    loop {
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some('-'), Some(d)) if d.is_ascii_digit() => break,
            (Some(c), _) if is_joiner(c) => s = &s[c.len_utf8()..],
            _ => break,
        }
    }
    // A trailing `$` is part of the name: `C$`, `ADMIN$`, `MACHINE$`.
    s.trim_end_matches(|c| is_joiner(c) && c != '$')
}

pub(super) fn push_trimmed<'a>(tokens: &mut Vec<Cow<'a, str>>, raw: &'a str, joined: bool) {
    let s = trim_token(raw);
    if s.is_empty() {
        return;
    }
    // Every apostrophe left inside a token joined two letters.
    tokens.push(if joined {
        Cow::Owned(s.replace(is_apostrophe, ""))
    } else {
        Cow::Borrowed(s)
    });
}

/// `text` in lower case, borrowed when it already is.
pub(super) fn lower_case(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Noise or a code, the classes decided before any word rule; `None` for
/// a token the word rules decide.
fn classify_value(text: &str, lower: &str) -> Option<Class> {
    if maybe_noise(text) && noise_re().is_match(text) {
        return Some(Class::Noise);
    }
    match code(lower) {
        CodeCheck::Code(key) => return Some(Class::Code(key)),
        CodeCheck::Noise => return Some(Class::Noise),
        CodeCheck::No => {}
    }
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if (digits && text.len() >= 6) || is_level_word(lower) {
        return Some(Class::Noise);
    }
    None
}

/// True for the words of [`LEVEL_WORDS`]: asked of every token, so the
/// length and first letter rule out the rest before any comparison.
fn is_level_word(lower: &str) -> bool {
    matches!(lower.len(), 4 | 5 | 6 | 7 | 8 | 11)
        && matches!(
            lower.as_bytes()[0],
            b'i' | b'w' | b'd' | b't' | b'v' | b'n' | b'f' | b'c'
        )
        && LEVEL_WORDS.contains(&lower)
}

/// True when [`classify`] makes the token noise, without the word rules.
pub(super) fn is_noise(text: &str, lower: &str) -> bool {
    matches!(classify_value(text, lower), Some(Class::Noise))
}

pub(super) fn classify(text: &str, lower: &str) -> Class {
    if let Some(class) = classify_value(text, lower) {
        return class;
    }
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if is_name(text) {
        return Class::Name(lower.to_string(), word_parts(text));
    }
    if digits {
        return Class::Number(text.parse().unwrap_or(0));
    }
    // Joiners are ASCII: a byte test finds them in any text.
    let compound = text
        .bytes()
        .any(|b| b.is_ascii() && is_joiner(char::from(b)));
    let inner_capital = if text.is_ascii() {
        text.bytes().skip(1).any(|b| b.is_ascii_uppercase())
    } else {
        text.chars().skip(1).any(char::is_uppercase)
    };
    if !compound && !inner_capital {
        // One plain word, most tokens: `split_parts` would give `[lower]`.
        return if keep_part(lower) {
            Class::Plain(word_term(lower))
        } else {
            Class::Dropped
        };
    }
    let parts = split_parts(text);
    match parts.as_slice() {
        [] if !compound => Class::Dropped,
        [one] if !compound => {
            if keep_part(one) {
                Class::Plain(word_term(one))
            } else {
                Class::Dropped
            }
        }
        _ if is_hyphenated_words(text) => match word_parts(text) {
            p if p.is_empty() => Class::Dropped,
            p => Class::Word(p, Vec::new()),
        },
        _ => {
            let mut terms = vec![lower.to_string()];
            // A camelCase piece of a longer token is also the word it is
            // when written alone: `LsaIso.exe` holds `lsaiso`, as the
            // article that says "the LSAISO process" does.
            for piece in text.split(is_joiner).filter(|p| camel_split(p).len() > 1) {
                let piece = piece.to_lowercase();
                if !terms.contains(&piece) {
                    terms.push(piece);
                }
            }
            for p in word_parts(text) {
                if !terms.contains(&p) {
                    terms.push(p);
                }
            }
            Class::Word(terms, piece_codes(lower))
        }
    }
}

/// `on-premises`, `read-only`: words joined by hyphens, which prose writes
/// both ways, count as their words.
pub(super) fn is_hyphenated_words(text: &str) -> bool {
    text.contains('-')
        && text
            .split('-')
            .all(|w| !w.is_empty() && w.chars().all(char::is_lowercase))
}

/// Codes written inside a longer token, between joiners.
pub(super) fn piece_codes(lower: &str) -> Vec<String> {
    lower
        .split(is_joiner)
        .filter_map(|piece| match code(piece) {
            CodeCheck::Code(key) => Some(key),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{is_level_word, LEVEL_WORDS};

    #[test]
    fn the_quick_test_lets_every_level_word_through() {
        assert!(LEVEL_WORDS.iter().all(|w| is_level_word(w)));
        assert!(!is_level_word("inform") && !is_level_word("error"));
    }
}
