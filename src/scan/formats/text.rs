//! Line logs: one record per line, continuation lines (stack traces,
//! indented follow-ups, anything without a timestamp in a timestamped log)
//! joined to their record. Recognises a timestamp at the start of a line
//! (ISO 8601, CBS.log, US dates, syslog and `journalctl -o short`), a level
//! word right after it, syslog's `host program[pid]:`, and three layouts
//! with their own structure: CMTrace (`<![LOG[…]LOG]!>`), IIS W3C (`#Fields:`)
//! and SharePoint ULS (tab-separated, `Timestamp` header).

use super::lines::Lines;
use crate::scan::byteset::ByteSet;
use crate::scan::input::Batcher;
use crate::scan::record::{Level, LogRecord};
use crate::scan::stamp::{self, Stamp};
use std::io::{self, BufRead};

/// Layout-specific state, learnt from header lines.
#[derive(Default)]
struct State {
    /// True once a line began with a timestamp: unstamped lines continue.
    stamped: bool,
    /// IIS W3C `#Fields:` names.
    iis: Option<Vec<String>>,
    /// A ULS header was seen.
    uls: bool,
    /// A CMTrace record spanning lines, and the line it began on.
    cmtrace: Option<(u64, String)>,
}

/// Reads a line log into `out`.
pub fn read(r: &mut dyn BufRead, out: &mut Batcher) -> io::Result<()> {
    read_region(r, out).map(|_| ())
}

/// How a region of a line log ended ([`read_region`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ending {
    /// The lines read.
    pub lines: u64,
    /// No layout learnt from a header (IIS, ULS) and no CMTrace record
    /// open: a line after these that starts with a timestamp is read as
    /// it would be at the start of a log.
    pub plain: bool,
}

/// [`read`], telling how the text ended: a log read in regions, side by
/// side, is read as one when each region but the last ends plain and
/// each but the first starts with a timestamp.
pub fn read_region(r: &mut dyn BufRead, out: &mut Batcher) -> io::Result<Ending> {
    let mut lines = Lines::new(r);
    let mut st = State::default();
    lines.for_each(|no, line| line_in(&mut st, no, line, out))?;
    let plain = st.iis.is_none() && !st.uls && st.cmtrace.is_none();
    if let Some((no, text)) = st.cmtrace.take() {
        out.push(cmtrace(no, &text));
    }
    out.close();
    Ok(Ending {
        lines: lines.count(),
        plain,
    })
}

fn line_in(st: &mut State, no: u64, line: &str, out: &mut Batcher) {
    if let Some((start, mut text)) = st.cmtrace.take() {
        text.push('\n');
        text.push_str(crate::scan::record::cut(line, 64 * 1024));
        return cmtrace_line(st, start, text, out);
    }
    if line.starts_with("<![LOG[") {
        out.close();
        return cmtrace_line(st, no, line.to_string(), out);
    }
    if let Some(rest) = line.strip_prefix('#') {
        if let Some(fields) = rest.strip_prefix("Fields:") {
            st.iis = Some(fields.split_whitespace().map(str::to_string).collect());
        }
        const W3C: [&str; 6] = [
            "Software:",
            "Version:",
            "Date:",
            "Remark:",
            "Start-Date:",
            "End-Date:",
        ];
        if st.iis.is_some() || W3C.iter().any(|d| rest.starts_with(d)) {
            return;
        }
    }
    if let Some(fields) = &st.iis {
        let rec = iis(no, fields, line);
        return out.push(rec);
    }
    if line.starts_with("Timestamp") && line.contains("\tProcess") {
        st.uls = true;
        return;
    }
    if st.uls && line.contains('\t') {
        if let Some(rec) = uls(no, line) {
            out.close();
            return out.push(rec);
        }
    }
    if let Some((time, len)) = stamp::at_line_start(line) {
        st.stamped = true;
        return after_stamp(out.begin(), no, Some(time), &line[len..]);
    }
    if line.trim().is_empty() {
        return;
    }
    if let Some(p) = out.open() {
        if st.stamped || is_continuation(line) {
            return p.push_line(line);
        }
    }
    after_stamp(out.begin(), no, None, line);
}

/// A line that continues the record before it in a log without timestamps.
fn is_continuation(line: &str) -> bool {
    line.starts_with([' ', '\t'])
        || ["at ", "Caused by", "--- ", "..."]
            .iter()
            .any(|p| line.starts_with(p))
}

/// The record of a line whose timestamp (if any) ends before `rest`: a
/// level word among its first tokens, syslog's `host program[pid]:`.
/// Written into `rec`, an empty record.
fn after_stamp(rec: &mut LogRecord, no: u64, time: Option<Stamp>, rest: &str) {
    let rest = trim_start_bytes(rest, &AFTER_STAMP);
    rec.at = no;
    rec.time = time;
    // Only syslog's stamp lacks a year.
    if time.is_some_and(|t| !t.has_year()) {
        if let Some((source, msg)) = syslog_program(rest) {
            rec.sources.push(source.to_string());
            rec.text.push_str(msg);
            rec.level = leading_level(msg).map(|(l, _)| l);
            return;
        }
    }
    match leading_level(rest) {
        Some((level, after)) => {
            rec.level = Some(level);
            rec.text.push_str(trim_start_bytes(after, &AFTER_LEVEL));
        }
        None => rec.text.push_str(rest),
    }
}

/// `host program[pid]: message` → (program, message).
fn syslog_program(rest: &str) -> Option<(&str, &str)> {
    let (_host, after) = rest.split_once(' ')?;
    let (tag, msg) = after.split_once(": ")?;
    if tag.contains(' ') || tag.is_empty() {
        return None;
    }
    let program = tag.split('[').next().unwrap_or(tag);
    Some((program, msg))
}

/// A level word among the first three tokens (`ERROR`, `[warn]`, `<Error>`,
/// `Error:`), and the text after it. Byte loops, a word's end found
/// eight bytes at a time: asked of every line, it took about a quarter
/// of the instructions of reading one.
fn leading_level(s: &str) -> Option<(Level, &str)> {
    let b = s.as_bytes();
    let mut at = 0;
    for _ in 0..3 {
        while b
            .get(at)
            .is_some_and(|&c| c.is_ascii_whitespace() || c == 0x0b)
        {
            at += 1;
        }
        // Unicode has spaces of its own (rare: read as characters).
        if b.get(at).is_some_and(|c| !c.is_ascii()) {
            at = s.len() - s[at..].trim_start().len();
        }
        let start = at;
        at += word_len(&b[at..]);
        // The brackets are ASCII, so trimming bytes trims whole characters.
        if let Some(level) = Level::from_bytes(trim_brackets(&b[start..at])) {
            return Some((level, &s[at..]));
        }
        if at >= b.len() {
            break;
        }
    }
    None
}

/// How many bytes of `b` come before its first space or tab: eight bytes
/// at a time, each xor-ed with spaces and with tabs, where a zero byte
/// is one of them.
fn word_len(b: &[u8]) -> usize {
    const ONES: u64 = u64::MAX / 255;
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & (ONES << 7);
    let mut i = 0;
    while let Some(eight) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        // The lowest marked byte is the first zero byte: a borrow can
        // only mark bytes above a zero one.
        let found =
            zero_bytes(x ^ (ONES * u64::from(b' '))) | zero_bytes(x ^ (ONES * u64::from(b'\t')));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|&c| c == b' ' || c == b'\t')
        .unwrap_or(b.len() - i)
}

/// Separators between a timestamp and the rest of its line.
const AFTER_STAMP: ByteSet = ByteSet::new(b" \t,|]-");
/// Separators between a level word and the message.
const AFTER_LEVEL: ByteSet = ByteSet::new(b" \t:,|]-");
/// Brackets and punctuation around a level word.
const AROUND_LEVEL: ByteSet = ByteSet::new(b"[]<>():,|");

/// `s` without the bytes of `set` (all ASCII) at its start (a byte loop:
/// these run on every line, and `trim_start_matches` reads characters).
fn trim_start_bytes<'s>(s: &'s str, set: &ByteSet) -> &'s str {
    let n = s.bytes().take_while(|&b| set.has(b)).count();
    &s[n..]
}

/// `word` without the brackets and punctuation around a level word.
fn trim_brackets(mut word: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = word {
        if !AROUND_LEVEL.has(*first) {
            break;
        }
        word = rest;
    }
    while let [rest @ .., last] = word {
        if !AROUND_LEVEL.has(*last) {
            break;
        }
        word = rest;
    }
    word
}

fn cmtrace_line(st: &mut State, start: u64, text: String, out: &mut Batcher) {
    let done = text
        .find("]LOG]!>")
        .is_some_and(|i| text[i..].trim_end().ends_with('>'));
    if done || text.len() > 64 * 1024 {
        out.push(cmtrace(start, &text));
    } else {
        st.cmtrace = Some((start, text));
    }
}

/// `<![LOG[message]LOG]!><time="11:03:52.123+000" date="02-19-2024" component="x" type="3" …>`.
fn cmtrace(no: u64, text: &str) -> LogRecord {
    let body = text.strip_prefix("<![LOG[").unwrap_or(text);
    let (message, attrs) = body.split_once("]LOG]!>").unwrap_or((body, ""));
    let attr = |name: &str| {
        let key = format!("{name}=\"");
        let from = attrs.find(&key)? + key.len();
        attrs[from..].split('"').next()
    };
    let time = match (attr("date"), attr("time")) {
        (Some(d), Some(t)) => {
            let t = t.split(['+', '-']).next().unwrap_or(t);
            stamp::parse(&format!("{d} {t}"))
        }
        _ => None,
    };
    let level = match attr("type") {
        Some("3") => Some(Level::Error),
        Some("2") => Some(Level::Warning),
        Some("1") => Some(Level::Info),
        _ => None,
    };
    LogRecord {
        at: no,
        time,
        level,
        sources: attr("component").map(str::to_string).into_iter().collect(),
        event_id: None,
        text: message.to_string(),
    }
}

/// An IIS W3C line: the date and time columns, the status as the text
/// `HTTP 500.19 error 13` (the analyser's HTTP and Win32 code forms).
fn iis(no: u64, fields: &[String], line: &str) -> LogRecord {
    let values: Vec<&str> = line.split(' ').collect();
    let get = |name: &str| {
        let i = fields.iter().position(|f| f == name)?;
        values.get(i).copied().filter(|v| *v != "-")
    };
    let time = match (get("date"), get("time")) {
        (Some(d), Some(t)) => stamp::parse(&format!("{d} {t}")),
        _ => None,
    };
    let status: u32 = get("sc-status").and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut text = format!(
        "{} {}",
        get("cs-method").unwrap_or(""),
        get("cs-uri-stem").unwrap_or("")
    );
    if status > 0 {
        text.push_str(&format!(" HTTP {status}"));
        if let Some(sub) = get("sc-substatus").filter(|s| *s != "0") {
            text.push_str(&format!(".{sub}"));
        }
    }
    if let Some(w) = get("sc-win32-status").filter(|s| *s != "0") {
        text.push_str(&format!(" error {w}"));
    }
    let level = match status {
        500.. => Level::Error,
        400.. => Level::Warning,
        _ => Level::Info,
    };
    LogRecord {
        at: no,
        time,
        level: Some(level),
        sources: Vec::new(),
        event_id: None,
        text,
    }
}

/// A ULS line: timestamp, process, thread, area, category, event tag,
/// level, message, correlation — tab-separated.
fn uls(no: u64, line: &str) -> Option<LogRecord> {
    let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
    if cols.len() < 8 {
        return None;
    }
    let time = stamp::parse(cols[0].trim_end_matches('*'));
    Some(LogRecord {
        at: no,
        time,
        level: Level::from_word(cols[6]),
        sources: vec![cols[3].to_string()],
        event_id: None,
        text: cols[7].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::{leading_level, trim_start_bytes, word_len, AFTER_LEVEL, AFTER_STAMP};
    use crate::scan::record::Level;

    /// Every text of four of `parts` in a row.
    fn every_mix(parts: &[&str]) -> Vec<String> {
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| parts.iter().map(move |p| format!("{t}{p}")))
                .collect();
        }
        texts
    }

    /// [`leading_level`] written plainly: the first three words, cut at
    /// Unicode's spaces before them and at a space or tab after, without
    /// the brackets around them.
    fn leading_level_plainly(s: &str) -> Option<(Level, &str)> {
        let mut rest = s;
        for _ in 0..3 {
            let t = rest.trim_start();
            let end = t.find([' ', '\t']).unwrap_or(t.len());
            let word = t[..end].trim_matches(['[', ']', '<', '>', '(', ')', ':', ',', '|']);
            if let Some(level) = Level::from_word(word) {
                return Some((level, &t[end..]));
            }
            rest = &t[end..];
        }
        None
    }

    /// The byte loops find the level word, and the text after it, that
    /// the plain reading finds, and a word's end that a search finds.
    #[test]
    fn leading_level_reads_as_the_plain_reading() {
        let parts = [
            " ",
            "\t",
            "\u{b}",
            "\u{3000}",
            "[",
            "]:",
            "<",
            "ERROR",
            "warn",
            "Info",
            "x1",
            "é",
            "CBS",
            "information",
            "err\0",
        ];
        for t in &every_mix(&parts) {
            assert_eq!(leading_level(t), leading_level_plainly(t), "{t:?}");
            let b = t.as_bytes();
            let end = b
                .iter()
                .position(|&c| c == b' ' || c == b'\t')
                .unwrap_or(b.len());
            assert_eq!(word_len(b), end, "{t:?}");
        }
    }

    /// The byte loops trim what `trim_start` and `trim_start_matches` do,
    /// Unicode's spaces and every ASCII control space included.
    #[test]
    fn byte_trims_equal_the_character_trims() {
        let parts = [
            " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{a0}", "\u{3000}", ",", "|", "]", "-", "x",
            "é", ":",
        ];
        for t in &every_mix(&parts) {
            assert_eq!(
                trim_start_bytes(t, &AFTER_STAMP),
                t.trim_start_matches([' ', '\t', ',', '|', ']', '-']),
                "{t:?}"
            );
            assert_eq!(
                trim_start_bytes(t, &AFTER_LEVEL),
                t.trim_start_matches([' ', '\t', ':', ',', '|', ']', '-']),
                "{t:?}"
            );
        }
    }
}
