//! Signatures written as ordinary text: event blocks as Event Viewer copies
//! them, codes in any spelling, and error messages — so that Markdown written
//! without kbgen in mind (like every article in Microsoft's support corpus)
//! is keyed and searchable too.

use crate::markdown::{Block, BlockKind};
use crate::signature::codes::{by_name, is_smtp, Code, CodeKind};
use crate::signature::events::Aliases;
use crate::signature::{fold_text, tables, Origin, Signature, Template};
use regex::Regex;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        fn $name() -> &'static Regex {
            static R: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
            R.get_or_init(|| Regex::new($pat).expect("valid regex"))
        }
    };
}

/// `re.captures(text)`, tried without capture groups first: these
/// patterns run on every line and most lines do not match, while a capture
/// search allocates its groups before it looks (a sixth of extraction's
/// time when it was called directly).
fn captures<'t>(re: &Regex, text: &'t str) -> Option<regex::Captures<'t>> {
    re.is_match(text).then(|| re.captures(text)).flatten()
}

/// Whether `line` holds `word` (lower-case ASCII) in ASCII letters of
/// either case: a pattern that needs the word under `(?i)` cannot match a
/// line without it (no other character folds to an ASCII letter of these
/// words), and this test costs less than the pattern's own search.
fn says(line: &str, word: &str) -> bool {
    let (hay, word) = (line.as_bytes(), word.as_bytes());
    let first = word[0];
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay).any(|at| {
        hay[at..]
            .get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// `re.captures_iter(text)`, with the check of [`captures`].
fn captures_iter<'r, 't>(
    re: &'r Regex,
    text: &'t str,
) -> impl Iterator<Item = regex::Captures<'t>> + use<'r, 't> {
    re.is_match(text)
        .then(|| re.captures_iter(text))
        .into_iter()
        .flatten()
}

mod events;

re!(
    code_re,
    r"(?ix)
      \b(?:stop(?:\s+error)?(?:\s+code)?|bug\s*check(?:\s+code)?)\s*[:=]?\s*(?P<bugcheck>0x[0-9a-f]{1,8}\b|[0-9a-f]{8}\b|(?-i:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b))
    | (?:\bhr(?:esult)?\s*[=:]\s*|\berror\s*code\s*[=:]?\s*)(?P<ctx>-?0x[0-9a-f]{1,8}|-?\d{1,10})\b
    | (?P<hex>\b0x[0-9a-f]{8})\b
    | (?P<short>\b0x[0-9a-f]{3,4})\b
    | (?:^|[\s(\[:=])(?P<neg>-(?:1|2)\d{9})\b
    | (?P<bare>\b[0-9a-f]{8}\b)
    | (?P<name>\b(?:ERROR|E|CO_E|RPC_S|RPC_E|EPT_S|STATUS|WBEM_E|VSS_E|MAPI_E|CERT_E|TRUST_E|SEC_E|CRYPT_E|DNS_ERROR|WSAE|NS_E|WU_E)_[A-Z0-9_]{2,})\b
    | (?-i:(?P<errno>\bE[A-Z]{3,10}\b))
    | (?:\bmsg\s+|\bMSSQLSERVER_)(?P<sql>\d{3,6})\b
    | \berror:\s*(?P<sqllog>\d{1,6}),\s*severity:\s*\d+
    | (?P<smtp>\b[245]\.\d{1,3}\.\d{1,3}\b)
    | \berror\s*:?\s+(?P<win32>\d{2,5})\b
    | (?-i:(?P<bugname>\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b))
    "
);
re!(
    smtp_context_re,
    r"(?i)smtp|ndr|status\s*code|remote server returned|delivery|\b550\b|\b554\b|\b451\b"
);
re!(
    log_prefix_re,
    r"^\s*(?:\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?\]?|(?:<\w+>\s*){1,3}),?\s+(?:(?i:info|information|warning|warn|error|err|verbose|debug|trace)\s+)?(?:[A-Z][A-Za-z0-9]{1,15}\s+)?"
);
re!(
    error_word_re,
    r"(?i)\b(?:error|err|fail\w*|status|code|hr|hresult|result|returned|exception)\b"
);
re!(
    error_line_re,
    r"(?i)^\s*(?:error(?: message)?(?: is)?\s*:\s*|.*\berror message is:\s*)(.{15,})$"
);
re!(
    failure_line_re,
    r"(?i)^\s*(?:unable to|cannot|can't|could not|couldn't|failed to|the .{3,80} (?:failed|could not|cannot)\b)"
);
re!(
    variable_re,
    r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[a-z]:\\[^\s'\x22]+|\b0x[0-9a-f]+\b|\b\d{2,}\b"
);

/// Signatures found in the text blocks of one document.
pub(crate) fn extract(blocks: &[Block], aliases: &Aliases) -> Vec<Signature> {
    let mut out = Vec::new();
    let mut before: Vec<String> = Vec::new();
    for block in blocks {
        let mut lines: Vec<String> = block.text.split('\n').map(fold_text).collect();
        // A record copied without its ID line, right after the sentence
        // that names its one event ("event 7031 is logged:"), is that
        // event's record: its source and message belong to the ID.
        if events::record_without_id(&lines) {
            if let Some(id) = events::lone_id(&before) {
                lines.insert(0, format!("Event ID: {id}"));
            }
        }
        out.extend(events::events(&lines, block, aliases));
        let codes = codes(&lines);
        let messages = messages(&lines, block);
        if !codes.is_empty() || !messages.is_empty() {
            let mut messages = messages.into_iter();
            out.push(Signature {
                event: None,
                bare_event: None,
                message: messages.next(),
                codes,
                origin: Origin::Extracted,
                line: block.line,
            });
            out.extend(messages.map(|m| Signature {
                event: None,
                bare_event: None,
                message: Some(m),
                codes: Vec::new(),
                origin: Origin::Extracted,
                line: block.line,
            }));
        }
        before = lines;
    }
    out
}

/// Codes in any spelling in the block.
fn codes(lines: &[String]) -> Vec<Code> {
    let mut out: Vec<Code> = Vec::new();
    // Asked line by line, before the lines are joined: no alternative of
    // `code_re` spans a line end, and most blocks hold no code at all.
    if !lines.iter().any(|l| may_hold_code(l)) {
        return out;
    }
    let text = lines.join("\n");
    // Asked only of a block with an SMTP-looking number.
    let smtp_ok = std::cell::LazyCell::new(|| smtp_context_re().is_match(&text));
    // A bug check's parameters, `STOP 0x000000D1 (0x0000000C, …)`, are no codes.
    let mut skip_to = 0;
    for caps in code_re().captures_iter(&text) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        if whole.start < skip_to {
            continue;
        }
        let code = if let Some(m) = caps.name("bugcheck") {
            let after = &text[whole.end..];
            if after.trim_start().starts_with('(') {
                skip_to = after.find(')').map_or(text.len(), |i| whole.end + i);
            }
            crate::signature::codes::parse_code(&format!("bug check {}", m.as_str()))
        } else if let Some(m) = caps.name("bugname") {
            by_name(m.as_str()).filter(|c| c.kind == CodeKind::BugCheck)
        } else if let Some(m) = caps.name("ctx").filter(|m| !before_smtp(&text, m.end())) {
            crate::signature::codes::parse_code(m.as_str()).filter(|c| c.value != 0)
        } else if let Some(m) = caps.name("hex").or(caps.name("short")) {
            let guid_part = text[m.end()..].starts_with('-');
            if guid_part {
                None
            } else {
                crate::signature::codes::parse_code(m.as_str())
                    .filter(|c| is_error_hex(&text, m.start(), m.as_str(), c))
            }
        } else if let Some(m) = caps.name("neg") {
            crate::signature::codes::parse_code(m.as_str()).filter(|c| c.value >= 0x8000_0000)
        } else if let Some(m) = caps.name("bare") {
            let s = m.as_str();
            let guid_part =
                text[m.end()..].starts_with('-') || text[..m.start()].ends_with(['-', '{']);
            let looks_like_code = s.bytes().any(|b| b.is_ascii_alphabetic())
                && matches!(s.as_bytes()[0], b'8' | b'c' | b'C');
            if guid_part || !looks_like_code {
                None
            } else {
                // A plausible facility keeps hashes and hex dumps out.
                u32::from_str_radix(s, 16)
                    .ok()
                    .map(Code::hex32)
                    .filter(|c| !c.rows().is_empty() || (c.value >> 16) & 0xfff <= 0x100)
            }
        } else if let Some(m) = caps.name("name") {
            by_name(m.as_str())
        } else if let Some(m) = caps.name("errno") {
            tables::errno()
                .by_name(m.as_str())
                .and_then(|r| Code::errno(r.value))
        } else if let Some(m) = caps.name("sql").or(caps.name("sqllog")) {
            crate::signature::codes::parse_code(&format!("Msg {}", m.as_str()))
        } else if let Some(m) = caps.name("smtp") {
            (is_smtp(m.as_str()) && *smtp_ok)
                .then(|| crate::signature::codes::parse_code(m.as_str()))
                .flatten()
        } else if let Some(m) = caps.name("win32").filter(|m| !before_smtp(&text, m.end())) {
            m.as_str()
                .parse::<u32>()
                .ok()
                .filter(|&n| n >= 5 && !tables::win32().by_value(i64::from(n)).is_empty())
                .map(Code::win32)
        } else {
            None
        };
        if let Some(c) = code {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// False when no alternative of `code_re` can match `text`: each needs a
/// digit, an `_`, eight hex letters in a row, or an upper-case `E` before
/// another capital (`EACCES`). Text outside ASCII goes to the regex, whose
/// `\d` knows other digits. Most prose blocks fail this, after reading
/// all of their text, so it is read a step at a time
/// ([`crate::bytepairs`]): read a byte at a time, it was about 1.5% of a
/// real-corpus build's perf samples.
fn may_hold_code(text: &str) -> bool {
    let b = text.as_bytes();
    crate::bytepairs::first_pair(b, |c, next| {
        (c >= 0x80) | c.is_ascii_digit() | (c == b'_') | ((c == b'E') & next.is_ascii_uppercase())
    })
    .is_some()
        || has_hex_letter_run(b, 8)
}

/// Whether `b` holds `run` ASCII hex letters (`a`–`f`, either case) in a
/// row. Such a run covers one of the places `run` apart, so only those are
/// looked at, and the run measured around the ones that are hex letters.
fn has_hex_letter_run(b: &[u8], run: usize) -> bool {
    let hex = |c: &u8| matches!(c | 0x20, b'a'..=b'f');
    (run - 1..b.len()).step_by(run).any(|i| {
        hex(&b[i]) && {
            let left = b[..i].iter().rev().take_while(|c| hex(c)).count();
            let right = b[i + 1..].iter().take_while(|c| hex(c)).count();
            left + 1 + right >= run
        }
    })
}

/// Whether `0x…` at `at` in `text` is an error code: never 0 (`S_OK`,
/// `HRESULT: 0x00000000` is success), and a small value written in eight
/// digits (`0x00000008`, a Win32 error by value) only on a line that
/// speaks of an error; elsewhere it is a flag or a parameter, such as a
/// NetBIOS node type.
fn is_error_hex(text: &str, at: usize, written: &str, code: &Code) -> bool {
    if code.value == 0 {
        return false;
    }
    let padded_small = written.len() == 10 && written[2..6].bytes().all(|b| b == b'0');
    if !padded_small {
        return true;
    }
    let line = &text[text[..at].rfind('\n').map_or(0, |n| n + 1)..at];
    error_word_re().is_match(line)
}

/// Whether an SMTP enhanced status code (`5.7.23`) follows at `at`: the
/// number before it (`550`) is the SMTP reply code, not a Win32 error.
fn before_smtp(text: &str, at: usize) -> bool {
    let rest = text[at..].trim_start();
    let word = rest
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .next()
        .unwrap_or("");
    is_smtp(word.trim_end_matches('.'))
}

/// Error message lines: `Error: …`, `Error message is: …`, and failure
/// sentences inside code blocks and quotes.
fn messages(lines: &[String], block: &Block) -> Vec<Template> {
    let literal_block = block.kind == BlockKind::Code || block.quoted;
    let mut out = Vec::new();
    for line in lines {
        // In a copied log, the message follows the record's time, level and
        // component: `2014-08-12 10:44:03, Warning SYSPRP Could not …`.
        let prefix = literal_block
            .then(|| captures(log_prefix_re(), line))
            .flatten();
        let line = match prefix {
            Some(c) => line[c.get(0).map_or(0, |m| m.end())..].trim(),
            None => line.trim(),
        };
        // Both forms of an error line say `error`, in ASCII letters of
        // either case: other lines skip the regex.
        let says_error = says(line, "error");
        let text = if let Some(c) = says_error
            .then(|| captures(error_line_re(), line))
            .flatten()
        {
            c[1].trim().to_string()
        } else if literal_block && failure_line_re().is_match(line) && line.len() >= 20 {
            line.to_string()
        } else {
            continue;
        };
        if text.len() <= 400 {
            out.push(infer_template(&text));
        }
    }
    out
}

/// Turns values that vary between occurrences (GUIDs, paths, numbers, hex)
/// into placeholders, so the message matches the next occurrence too.
pub(crate) fn infer_template(message: &str) -> Template {
    let t = Template::compile(message);
    if t.has_holes() {
        return t;
    }
    let replaced = variable_re().replace_all(message, |c: &regex::Captures<'_>| {
        let v = &c[0];
        if v.contains('-') && v.len() == 36 {
            "<guid>".to_string()
        } else if v.contains('\\') {
            "<path>".to_string()
        } else {
            "<value>".to_string()
        }
    });
    Template::compile(&replaced)
}

#[cfg(test)]
mod tests;
