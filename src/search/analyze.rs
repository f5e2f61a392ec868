//! The analyser: text → index terms. One definition serves the tantivy
//! index, the browser index and `kbgen search`; the browser's copy in
//! `themes/default/static/kbgen-analyze.js` follows the same contract
//! (`docs/search.md`) and both run `tests/data/analyzer-vectors.json`.
//!
//! The order of the rules matters and is the contract: noise first (so a
//! GUID is never a word), then codes (so `80070003` is never a number), then
//! names, numbers and words; then the context rules and events, which look
//! at neighbouring tokens.

use crate::signature::events::Aliases;
use crate::signature::{fold_text, Template};
use indexmap::IndexSet;
use regex::Regex;
use rustc_hash::{FxBuildHasher, FxHashSet};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

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

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "has", "have", "if",
    "in", "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "then",
    "there", "these", "this", "those", "to", "was", "were", "will", "with", "cannot", "cant",
    "wont", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "couldnt", "shouldnt",
    "wouldnt", "hasnt", "havent",
];

const LEVEL_WORDS: &[&str] = &[
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
const ERROR_CONTEXT: &[&str] = &["error", "err", "code", "status", "win32", "errorcode"];

/// Words that name the parts of an event rather than its source.
const NOT_SOURCE: &[&str] = &[
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
const SOURCE_LEAD: &[&str] = &[
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

const EVENT_KEYWORDS: &[&str] = &["event", "eventid", "eventcode"];
const SOURCE_KEYWORDS: &[&str] = &["source", "provider", "providername"];

macro_rules! re {
    ($name:ident, $pat:expr) => {
        fn $name() -> &'static Regex {
            static R: OnceLock<Regex> = OnceLock::new();
            R.get_or_init(|| Regex::new($pat).expect("valid regex"))
        }
    };
}

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
fn maybe_noise(text: &str) -> bool {
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
enum Class {
    Noise,
    Code(String),
    Name(String, Vec<String>),
    Number(u32),
    /// Word terms, and the codes of pieces between joiners (`processor:2147500037`).
    Word(Vec<String>, Vec<String>),
    /// One plain word, stemmed: most tokens.
    Plain(String),
    /// A stopword or a single letter: kept for context, no terms.
    Dropped,
}

/// A token borrows from the analysed text where it can: most are a plain
/// slice of it, already lower case.
struct Token<'a> {
    text: Cow<'a, str>,
    lower: Cow<'a, str>,
    class: Class,
}

impl Token<'_> {
    fn source_ish(&self) -> bool {
        self.text.chars().any(char::is_alphabetic)
            && matches!(
                self.class,
                Class::Name(..) | Class::Word(..) | Class::Plain(_)
            )
            && !NOT_SOURCE.contains(&self.lower.as_ref())
    }

    /// The source name this token contributes (`Microsoft-Windows-X/Operational` → `Microsoft-Windows-X`).
    fn source_text(&self) -> &str {
        self.text.split('/').next().unwrap_or(&self.text)
    }

    /// Appends this token's own terms to `out`, the primary one first.
    fn own_terms(&self, out: &mut Vec<String>) {
        match &self.class {
            Class::Code(key) => out.push(term("c:", key)),
            Class::Name(name, parts) => {
                out.push(term("n:", name));
                out.extend(parts.iter().map(|p| term("w:", p)));
            }
            Class::Number(_) => out.push(term("w:", &self.text)),
            Class::Plain(word) => out.push(term("w:", word)),
            Class::Word(terms, codes) => {
                out.extend(terms.iter().map(|t| term("w:", t)));
                out.extend(codes.iter().map(|c| term("c:", c)));
            }
            Class::Noise | Class::Dropped => {}
        }
    }
}

/// `prefix` + `body`, without `format!`'s machinery (a hot path).
fn term(prefix: &str, body: &str) -> String {
    let mut t = String::with_capacity(prefix.len() + body.len());
    t.push_str(prefix);
    t.push_str(body);
    t
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

fn analyze_with(text: &str, aliases: &Aliases, spelled: bool) -> Analysis {
    let folded = fold_text(text);
    let tokens: Vec<Token> = split_tokens(&folded)
        .into_iter()
        .map(|text| {
            let lower = match &text {
                Cow::Borrowed(t) => lower_case(t),
                Cow::Owned(t) => Cow::Owned(t.to_lowercase()),
            };
            let class = classify(&text, &lower);
            Token { text, lower, class }
        })
        .collect();

    let mut out = Terms::default();
    let mut analysis = Analysis::default();
    // One buffer for every token's own terms.
    let mut own = Vec::new();
    for (i, tok) in tokens.iter().enumerate() {
        if matches!(tok.class, Class::Noise) {
            analysis.noise.push(tok.text.to_string());
            continue;
        }
        tok.own_terms(&mut own);
        if let Some(first) = own.first() {
            analysis.seq.push(first.clone());
        }
        if let Class::Code(key) = &tok.class {
            let short_hex =
                tok.lower.starts_with("0x") && key.starts_with("0x8007") && tok.lower.len() <= 6;
            let prev = i.checked_sub(1).map(|p| tokens[p].lower.as_ref());
            if !short_hex
                || prev.is_some_and(|p| ERROR_CONTEXT.contains(&p) || p == "hr" || p == "hresult")
            {
                analysis.strong_codes.push(key.clone());
            }
        }
        if let Class::Word(_, codes) = &tok.class {
            analysis.strong_codes.extend(codes.iter().cloned());
        }
        if spelled
            && matches!(
                tok.class,
                Class::Word(..) | Class::Plain(_) | Class::Name(..)
            )
        {
            for p in split_parts(&tok.text) {
                analysis
                    .spelled
                    .entry(format!("w:{}", stem(&p)))
                    .or_insert(p);
            }
        }
        out.extend(own.drain(..));
        if let Some(code) = context_code(&tokens, i) {
            analysis.strong_codes.push(code.clone());
            out.push(format!("c:{code}"));
        }
    }
    out.extend(event_terms(&tokens, aliases));
    analysis.terms = out.0.into_iter().collect();
    analysis
}

/// Terms in first-appearance order, each once: one hash per term, and a
/// repeat, most of them, is dropped without a copy.
#[derive(Default)]
struct Terms(IndexSet<String, FxBuildHasher>);

impl Terms {
    fn push(&mut self, t: String) {
        self.0.insert(t);
    }
    fn extend(&mut self, ts: impl IntoIterator<Item = String>) {
        for t in ts {
            self.push(t);
        }
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '_' | '.' | '-' | '\\' | '/' | ':' | '$' | '@')
}

/// Maximal runs of letters, digits and joiners, trimmed of joiners. An
/// apostrophe between letters joins a word and is left out (`can't` →
/// `cant`); any other ends the token.
fn split_tokens(text: &str) -> Vec<Cow<'_, str>> {
    let mut tokens = Vec::new();
    // Where the token being read starts, and whether it holds apostrophes.
    let mut start: Option<usize> = None;
    let mut joined = false;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() || is_joiner(c) {
            start.get_or_insert(at);
        } else if c == '\''
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

fn push_trimmed<'a>(tokens: &mut Vec<Cow<'a, str>>, raw: &'a str, joined: bool) {
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
    let s = s.trim_end_matches(|c| is_joiner(c) && c != '$');
    if s.is_empty() {
        return;
    }
    // Every apostrophe left inside a token joined two letters.
    tokens.push(if joined {
        Cow::Owned(s.replace('\'', ""))
    } else {
        Cow::Borrowed(s)
    });
}

/// `text` in lower case, borrowed when it already is.
fn lower_case(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

fn classify(text: &str, lower: &str) -> Class {
    if maybe_noise(text) && noise_re().is_match(text) {
        return Class::Noise;
    }
    match code(lower) {
        CodeCheck::Code(key) => return Class::Code(key),
        CodeCheck::Noise => return Class::Noise,
        CodeCheck::No => {}
    }
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if (digits && text.len() >= 6) || LEVEL_WORDS.contains(&lower) {
        return Class::Noise;
    }
    if is_name(text) {
        return Class::Name(lower.to_string(), word_parts(text));
    }
    if digits {
        return Class::Number(text.parse().unwrap_or(0));
    }
    let compound = text.contains(is_joiner);
    if !compound && !text.chars().skip(1).any(char::is_uppercase) {
        // One plain word, most tokens: `split_parts` would give `[lower]`.
        return if keep_part(lower) {
            Class::Plain(stem(lower))
        } else {
            Class::Dropped
        };
    }
    let parts = split_parts(text);
    match parts.as_slice() {
        [] if !compound => Class::Dropped,
        [one] if !compound => {
            if keep_part(one) {
                Class::Plain(stem(one))
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
fn is_hyphenated_words(text: &str) -> bool {
    text.contains('-')
        && text
            .split('-')
            .all(|w| !w.is_empty() && w.chars().all(char::is_lowercase))
}

/// Codes written inside a longer token, between joiners.
fn piece_codes(lower: &str) -> Vec<String> {
    lower
        .split(is_joiner)
        .filter_map(|piece| match code(piece) {
            CodeCheck::Code(key) => Some(key),
            _ => None,
        })
        .collect()
}

enum CodeCheck {
    Code(String),
    Noise,
    No,
}

/// The code rules of the contract, on the lower-cased token.
fn code(lower: &str) -> CodeCheck {
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

fn is_name(text: &str) -> bool {
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
fn split_parts(text: &str) -> Vec<String> {
    text.split(is_joiner)
        .filter(|p| !p.is_empty())
        .flat_map(camel_split)
        .map(|p| p.to_lowercase())
        .collect()
}

/// `aB` → `a|B`, `ABc` → `A|Bc`; letters and digits stay together.
fn camel_split(piece: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = piece.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..chars.len() {
        let (prev, cur) = (chars[k - 1].1, chars[k].1);
        let next_lower = chars.get(k + 1).is_some_and(|(_, c)| c.is_lowercase());
        if (prev.is_lowercase() && cur.is_uppercase())
            || (prev.is_uppercase() && cur.is_uppercase() && next_lower)
        {
            out.push(&piece[start..chars[k].0]);
            start = chars[k].0;
        }
    }
    out.push(&piece[start..]);
    out
}

/// Parts worth a term, stemmed, each once.
fn word_parts(text: &str) -> Vec<String> {
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

fn keep_part(p: &str) -> bool {
    let mut chars = p.chars();
    let single_letter =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
    !single_letter && !is_stopword(p)
}

/// True for the words of [`STOPWORDS`]. Asked of nearly every word, so
/// looked up in a set rather than compared with each in turn (`keep_part`,
/// mostly that walk, was an eighth of the analyser's instructions).
fn is_stopword(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
        .contains(word)
}
/// The English stem of a lower-case ASCII word of 4+ letters (Porter2,
/// the Snowball English stemmer); any other word as it is. A well-kept
/// crate rather than our own rules: it folds `slowly`/`slow`,
/// `configuration`/`configure`, `connection`/`connected` alike, which the
/// symptoms people type depend on. The browser runs the same algorithm
/// (`porter2` in kbgen-analyze.js), checked on `tests/data/stem-vectors.json`.
pub(crate) fn stem(word: &str) -> String {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    static STEMMER: std::sync::OnceLock<rust_stemmers::Stemmer> = std::sync::OnceLock::new();
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
        .stem(word)
        .into_owned()
}

/// A code implied by the token before a number: `Msg 9002`, `error 5`, `HTTP Error 500.19`.
fn context_code(tokens: &[Token], i: usize) -> Option<String> {
    let prev = i.checked_sub(1).map(|p| tokens[p].lower.as_ref());
    let prev2 = i.checked_sub(2).map(|p| tokens[p].lower.as_ref());
    let tok = &tokens[i];
    let bug_check = matches!(prev, Some("stop" | "bugcheck"))
        || (prev == Some("check") && prev2 == Some("bug"))
        || (prev == Some("code") && prev2 == Some("stop"));
    if bug_check && matches!(tok.class, Class::Code(_)) {
        let hex = tok.lower.strip_prefix("0x").unwrap_or(&tok.lower);
        if let Ok(v) = u32::from_str_radix(hex, 16) {
            return Some(format!("bugcheck-0x{v:x}"));
        }
    }
    let after_http = prev == Some("http") || (prev == Some("error") && prev2 == Some("http"));
    if after_http && http_re().is_match(&tok.text) {
        return Some(format!("http-{}", tok.text));
    }
    let Class::Number(n) = tok.class else {
        return None;
    };
    if prev == Some("msg") {
        return Some(format!("mssql-{}", tok.text));
    }
    (prev.is_some_and(|p| ERROR_CONTEXT.contains(&p)) && (1..=0xffff).contains(&n))
        .then(|| format!("0x8007{n:04x}"))
}

/// `i:` and `e:` terms for the numbers that may be event IDs.
fn event_terms(tokens: &[Token], aliases: &Aliases) -> Vec<String> {
    let source_runs: Vec<Vec<String>> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| SOURCE_KEYWORDS.contains(&t.lower.as_ref()))
        .map(|(k, _)| run_after(tokens, k + 1))
        .collect();
    let mut out = Vec::new();
    for (i, tok) in tokens.iter().enumerate() {
        let Class::Number(n @ 1..=65535) = tok.class else {
            continue;
        };
        let lower_at = |k: Option<usize>| k.map(|k| tokens[k].lower.as_ref());
        let keyword = match (lower_at(i.checked_sub(1)), lower_at(i.checked_sub(2))) {
            (Some(p), _) if EVENT_KEYWORDS.contains(&p) => Some(i - 1),
            (Some("id"), Some("event")) => Some(i - 2),
            _ => None,
        };
        let mut candidates = Vec::new();
        if let Some(k) = keyword {
            out.push(format!("i:{n}"));
            candidates.extend(run_before(tokens, k));
            candidates.extend(run_after(tokens, i + 1));
            candidates.extend(source_runs.iter().flatten().cloned());
        } else if i > 0 && tokens[i - 1].source_ish() {
            candidates.extend(run_before(tokens, i));
        }
        for c in candidates {
            let source = aliases.canonical(&c);
            if !source.is_empty() {
                out.push(format!("e:{source}/{n}"));
            }
        }
    }
    out
}

/// Candidate sources ending right before `end`: the last 1…5 source-ish tokens.
fn run_before(tokens: &[Token], end: usize) -> Vec<String> {
    let start = (0..end)
        .rev()
        .take(5)
        .take_while(|&k| tokens[k].source_ish())
        .last()
        .unwrap_or(end);
    (1..=end - start)
        .map(|j| join_sources(&tokens[end - j..end]))
        .collect()
}

/// Candidate sources starting at `start` (after the lead words): the first 1…4 source-ish tokens.
fn run_after(tokens: &[Token], start: usize) -> Vec<String> {
    let first = (start..tokens.len())
        .find(|&k| !SOURCE_LEAD.contains(&tokens[k].lower.as_ref()))
        .unwrap_or(tokens.len());
    let len = (first..tokens.len())
        .take(4)
        .take_while(|&k| tokens[k].source_ish())
        .count();
    (1..=len)
        .map(|j| join_sources(&tokens[first..first + j]))
        .collect()
}

fn join_sources(run: &[Token]) -> String {
    run.iter()
        .map(Token::source_text)
        .collect::<Vec<_>>()
        .join(" ")
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
