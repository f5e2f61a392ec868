//! One lexer for the programming and shell languages, driven by each
//! language's [`Rules`]: comments, strings, variables, parameters, numbers
//! and words, found in one pass over the bytes. Only ASCII bytes mean
//! anything to it, so every run it cuts ends on a character boundary; an
//! unterminated string or comment runs to the end of its line (or of the
//! block, for the kinds that may span lines), so no input costs more than
//! one look at each byte and each closing search.

use super::out::{Kind, Out};
use memchr::memmem;

/// How a quoted string lets its closing quote appear inside it.
#[derive(Clone, Copy)]
pub(super) enum Escape {
    /// It cannot (`'…'` in shells).
    None,
    /// After a backslash (C#, bash `"…"`, JSON).
    Backslash,
    /// After a backtick (PowerShell `"…"`).
    Backtick,
    /// Written twice (SQL `'it''s'`, C# `@"…"""…"`).
    Doubled,
}

/// A kind of quoted string.
pub(super) struct Quote {
    pub open: &'static str,
    pub close: &'static str,
    pub escape: Escape,
    /// Whether it may span lines.
    pub multiline: bool,
}

/// How variables are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Vars {
    None,
    /// `$name`, `${name}`, `$env:Path`, `$1`, `$_`.
    Dollar,
    /// `@name`, `@@ROWCOUNT`.
    At,
    /// `%NAME%`, `%1`, `%~dp0`, `%%i`, `!NAME!`.
    Percent,
}

/// What a language's code looks like to the lexer.
pub(super) struct Rules {
    /// Comments to the end of the line, opened anywhere a token may start.
    pub line_comments: &'static [&'static str],
    /// Whether a line comment needs a space or line start before it
    /// (bash: `a#b` is a word).
    pub comment_after_space: bool,
    /// Comments opening a line (cmd: `REM`, `::`), lower case.
    pub line_start_comments: &'static [&'static str],
    pub block_comments: &'static [(&'static str, &'static str)],
    /// Longer openings first (`@"` before `"`).
    pub quotes: &'static [Quote],
    /// Sorted; lower case when `case_insensitive`. PowerShell's operators
    /// are here with their dash (`-eq`).
    pub keywords: &'static [&'static str],
    /// Sorted and lower case: `true`, `null`, PowerShell's `$true`.
    pub constants: &'static [&'static str],
    pub case_insensitive: bool,
    pub vars: Vars,
    /// `-Name` and `--name` after a space are parameters.
    pub params: bool,
    /// `Verb-Noun` is one word, a command (PowerShell).
    pub dashed_words: bool,
    /// A word followed by `(` is a function.
    pub calls: bool,
    /// A string followed by `:` is a key (JSON).
    pub keys: bool,
    /// `:name` opening a line is a label (cmd).
    pub labels: bool,
}

/// Appends the highlighted HTML of `code` to `out`.
pub(super) fn lex(code: &str, rules: &Rules, out: &mut Out) {
    let b = code.as_bytes();
    let mut i = 0;
    let mut plain_from = 0;
    // Whether only spaces (and cmd's `@`) came before `i` on its line.
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' || (c == b'@' && rules.labels) {
            i += 1;
            continue;
        }
        let at_line_start = std::mem::replace(&mut line_start, false);
        let Some((end, kind)) = token(b, i, at_line_start, rules) else {
            i += 1;
            continue;
        };
        // A plain word stays in the plain run around it.
        if let Some(kind) = kind {
            out.plain(&code[plain_from..i]);
            out.span(kind, &code[i..end]);
            plain_from = end;
        }
        i = end;
    }
    out.plain(&code[plain_from..]);
}

/// The token starting at `i`: its end and kind (`None` for a plain word),
/// or `None` for a byte that starts none.
fn token(b: &[u8], i: usize, line_start: bool, rules: &Rules) -> Option<(usize, Option<Kind>)> {
    let rest = &b[i..];
    let after_space =
        i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b'(' | b';' | b'|');
    if line_start && starts_line_comment(rest, rules) {
        return Some((line_end(b, i), Some(Kind::Comment)));
    }
    if line_start
        && rules.labels
        && rest.starts_with(b":")
        && rest.get(1).is_some_and(u8::is_ascii_alphabetic)
    {
        return Some((word_end(b, i + 1, false), Some(Kind::Function)));
    }
    for (open, close) in rules.block_comments {
        if rest.starts_with(open.as_bytes()) {
            let from = i + open.len();
            let end = memmem::find(&b[from..], close.as_bytes())
                .map_or(b.len(), |at| from + at + close.len());
            return Some((end, Some(Kind::Comment)));
        }
    }
    for open in rules.line_comments {
        if rest.starts_with(open.as_bytes()) && (!rules.comment_after_space || after_space) {
            return Some((line_end(b, i), Some(Kind::Comment)));
        }
    }
    for quote in rules.quotes {
        if rest.starts_with(quote.open.as_bytes()) {
            let end = string_end(b, i + quote.open.len(), quote);
            let kind = if rules.keys && next_non_space(b, end) == Some(b':') {
                Kind::Attr
            } else {
                Kind::String
            };
            return Some((end, Some(kind)));
        }
    }
    if let Some(end) = variable_end(b, i, rules.vars) {
        let kind = if rules
            .constants
            .binary_search(&lower(&b[i..end], &mut [0; 32]))
            .is_ok()
        {
            Kind::Number
        } else {
            Kind::Variable
        };
        return Some((end, Some(kind)));
    }
    let c = b[i];
    let word_before = i > 0 && is_word(b[i - 1]);
    if rules.params && c == b'-' && after_space {
        let name = if rest.starts_with(b"--") {
            i + 2
        } else {
            i + 1
        };
        if b.get(name).is_some_and(u8::is_ascii_alphabetic) {
            let end = word_end(b, name, true);
            let operator = rules
                .keywords
                .binary_search(&lower(&b[i..end], &mut [0; 32]))
                .is_ok();
            return Some((
                end,
                Some(if operator { Kind::Keyword } else { Kind::Param }),
            ));
        }
    }
    if c.is_ascii_digit() && !word_before {
        return Some((number_end(b, i), Some(Kind::Number)));
    }
    if (c.is_ascii_alphabetic() || c == b'_') && !word_before {
        let end = word_end(b, i, rules.dashed_words);
        let word = &b[i..end];
        return Some((end, word_kind(b, end, word, rules)));
    }
    None
}

fn word_kind(b: &[u8], end: usize, word: &[u8], rules: &Rules) -> Option<Kind> {
    if rules.dashed_words && word.contains(&b'-') {
        return Some(Kind::Function);
    }
    let mut buf = [0; 32];
    let key = if rules.case_insensitive {
        lower(word, &mut buf)
    } else {
        as_str(word)
    };
    if rules.keywords.binary_search(&key).is_ok() {
        Some(Kind::Keyword)
    } else if rules
        .constants
        .binary_search(&lower(word, &mut buf))
        .is_ok()
    {
        Some(Kind::Number)
    } else if rules.calls && next_non_space(b, end) == Some(b'(') {
        Some(Kind::Function)
    } else {
        None
    }
}

fn starts_line_comment(rest: &[u8], rules: &Rules) -> bool {
    rules.line_start_comments.iter().any(|open| {
        rest.len() >= open.len()
            && rest[..open.len()].eq_ignore_ascii_case(open.as_bytes())
            && rest
                .get(open.len())
                .is_none_or(|c| !is_word(*c) || !open.ends_with(|c: char| c.is_ascii_alphabetic()))
    })
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `word` in lower case when it fits `buf`; an empty key (which no list
/// holds) when it does not.
fn lower<'a>(word: &[u8], buf: &'a mut [u8; 32]) -> &'a str {
    if word.len() > buf.len() {
        return "";
    }
    let buf = &mut buf[..word.len()];
    buf.copy_from_slice(word);
    buf.make_ascii_lowercase();
    as_str(buf)
}

/// Words the lexer cuts are ASCII; anything else is no keyword.
fn as_str(word: &[u8]) -> &str {
    std::str::from_utf8(word).unwrap_or("")
}

fn line_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |at| i + at)
}

fn next_non_space(b: &[u8], mut i: usize) -> Option<u8> {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    b.get(i).copied()
}

/// The end of a word starting at `i`; with `dashed`, a dash followed by a
/// letter continues it.
fn word_end(b: &[u8], mut i: usize, dashed: bool) -> usize {
    while i < b.len() {
        if is_word(b[i])
            || (dashed && b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
        {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Digits, then letters and digits (`0x8007`, `10MB`, `1.5`): a dot only
/// before a digit.
fn number_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len()
        && (is_word(b[i]) || (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
    {
        i += 1;
    }
    i
}

/// The end of the string whose text starts at `from`.
fn string_end(b: &[u8], from: usize, quote: &Quote) -> usize {
    let close = quote.close.as_bytes();
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' && !quote.multiline {
            return i;
        }
        match quote.escape {
            Escape::Backslash if c == b'\\' => {
                i += 2;
                continue;
            }
            Escape::Backtick if c == b'`' => {
                i += 2;
                continue;
            }
            _ => {}
        }
        if b[i..].starts_with(close) {
            let after = i + close.len();
            if matches!(quote.escape, Escape::Doubled) && b[after..].starts_with(close) {
                i = after + close.len();
                continue;
            }
            return after;
        }
        i += 1;
    }
    b.len().min(i)
}

/// The end of a variable starting at `i`, if one does.
fn variable_end(b: &[u8], i: usize, vars: Vars) -> Option<usize> {
    let next = *b.get(i + 1)?;
    match (vars, b[i]) {
        (Vars::Dollar, b'$') => {
            if next == b'{' {
                let close = memchr::memchr(b'}', &b[i..])?;
                return (!b[i..i + close].contains(&b'\n')).then_some(i + close + 1);
            }
            if matches!(next, b'_' | b'?' | b'$' | b'#' | b'@' | b'*' | b'!')
                && !b.get(i + 2).copied().is_some_and(is_word)
            {
                return Some(i + 2);
            }
            if !is_word(next) {
                return None;
            }
            let mut end = word_end(b, i + 1, false);
            // A scope or drive: `$env:Path`, `$script:count`.
            if b.get(end) == Some(&b':') && b.get(end + 1).is_some_and(|c| c.is_ascii_alphabetic())
            {
                end = word_end(b, end + 1, false);
            }
            Some(end)
        }
        (Vars::At, b'@') => {
            let from = if next == b'@' { i + 2 } else { i + 1 };
            let first = *b.get(from)?;
            (first.is_ascii_alphabetic() || first == b'_').then(|| word_end(b, from, false))
        }
        (Vars::Percent, b'%') => {
            if next == b'%' {
                // A loop variable in a batch file: `%%i`.
                return b
                    .get(i + 2)
                    .is_some_and(u8::is_ascii_alphabetic)
                    .then_some(i + 3);
            }
            if next.is_ascii_digit() || next == b'*' {
                return Some(i + 2);
            }
            if next == b'~' {
                let mut end = i + 2;
                while end < b.len() && b[end].is_ascii_alphabetic() {
                    end += 1;
                }
                return b
                    .get(end)
                    .is_some_and(u8::is_ascii_digit)
                    .then_some(end + 1);
            }
            enclosed(b, i, b'%')
        }
        (Vars::Percent, b'!') => enclosed(b, i, b'!'),
        _ => None,
    }
}

/// `%NAME%`: a name of at most 64 bytes, without spaces at its ends or
/// line breaks, between two `mark`s.
fn enclosed(b: &[u8], i: usize, mark: u8) -> Option<usize> {
    let limit = (i + 66).min(b.len());
    let close = memchr::memchr(mark, &b[i + 1..limit])? + i + 1;
    let name = &b[i + 1..close];
    let fits = !name.is_empty()
        && name[0] != b' '
        && name[name.len() - 1] != b' '
        && name
            .iter()
            .all(|c| *c != b'\n' && *c != b'\r' && *c != b'"');
    fits.then_some(close + 1)
}
