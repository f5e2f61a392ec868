//! Line logs: one record per line, continuation lines (stack traces,
//! indented follow-ups, anything without a timestamp in a timestamped log)
//! joined to their record. Recognises a timestamp at the start of a line
//! (ISO 8601, CBS.log, US dates, syslog and `journalctl -o short`), a level
//! word right after it, syslog's `host program[pid]:`, and three layouts
//! with their own structure: CMTrace (`<![LOG[…]LOG]!>`), IIS W3C (`#Fields:`)
//! and SharePoint ULS (tab-separated, `Timestamp` header).

use super::lines::{each_line, Chunks};
use crate::scan::input::Batcher;
use crate::scan::record::{Level, LogRecord};
use crate::scan::stamp::{self, Stamp};
use rayon::prelude::*;
use std::io::{self, BufRead};

/// Layout-specific state, learnt from header lines.
#[derive(Default)]
struct State {
    /// A record waiting for its continuation lines.
    pending: Option<LogRecord>,
    /// True once a line began with a timestamp: unstamped lines continue.
    stamped: bool,
    /// IIS W3C `#Fields:` names.
    iis: Option<Vec<String>>,
    /// A ULS header was seen.
    uls: bool,
    /// A CMTrace record spanning lines, and the line it began on.
    cmtrace: Option<(u64, String)>,
}

impl State {
    /// True when no layout was learnt and no CMTrace record is open: a
    /// line then means the same after this state as after a fresh one,
    /// when it starts a record ([`seam`]) and, if it has no timestamp, no
    /// earlier line had one.
    fn plain(&self, seam: Seam) -> bool {
        self.iis.is_none()
            && !self.uls
            && self.cmtrace.is_none()
            && (seam == Seam::Stamped || !self.stamped)
    }

    /// Adds `base` to the line numbers of a state made from line 0.
    fn shift(&mut self, base: u64) {
        if let Some(p) = &mut self.pending {
            p.at += base;
        }
        if let Some((start, _)) = &mut self.cmtrace {
            *start += base;
        }
    }
}

/// Reads a line log into `out`. The lines of a chunk are parsed in
/// parallel, in pieces that start at a line starting a record; a piece
/// whose start another layout's state could change is parsed again after
/// the one before it.
pub fn read(r: &mut dyn BufRead, out: &mut Batcher) -> io::Result<()> {
    read_in_pieces(r, PIECE, &mut |recs| out.push_all(recs))
}

/// Text parsed per parallel task, about.
const PIECE: usize = 128 << 10;

/// Reads a line log in pieces of about `piece` bytes, handing `out` the
/// records of each chunk in order.
fn read_in_pieces(
    r: &mut dyn BufRead,
    piece: usize,
    out: &mut dyn FnMut(&mut Vec<LogRecord>),
) -> io::Result<()> {
    let mut chunks = Chunks::new(r);
    let mut st = State::default();
    let mut lines = 0;
    let mut recs = Vec::new();
    while let Some(chunk) = chunks.next_chunk()? {
        lines = read_chunk(chunk, piece, &mut st, lines, &mut recs);
        out(&mut recs);
    }
    if let Some((no, text)) = st.cmtrace.take() {
        recs.push(cmtrace(no, &text));
    }
    flush(&mut st, &mut recs);
    out(&mut recs);
    Ok(())
}

/// Reads the lines of `chunk`, which follow line `lines`, into `out`; the
/// number of lines read so far.
fn read_chunk(
    chunk: &[u8],
    piece: usize,
    st: &mut State,
    lines: u64,
    out: &mut Vec<LogRecord>,
) -> u64 {
    let seams = seams(chunk, piece);
    if seams.is_empty() {
        return lines + read_piece(chunk, st, lines, out);
    }
    let bounds: Vec<usize> = std::iter::once(0)
        .chain(seams.iter().map(|&(at, _)| at))
        .chain(std::iter::once(chunk.len()))
        .collect();
    let first = std::mem::take(st);
    let states = std::iter::once(first).chain(std::iter::repeat_with(State::default));
    let tasks: Vec<(usize, State)> = (0..bounds.len() - 1).zip(states).collect();
    let parsed: Vec<(Vec<LogRecord>, State, u64)> = tasks
        .into_par_iter()
        .map(|(i, mut piece_st)| {
            let mut recs = Vec::new();
            let from = if i == 0 { lines } else { 0 };
            let n = read_piece(
                &chunk[bounds[i]..bounds[i + 1]],
                &mut piece_st,
                from,
                &mut recs,
            );
            (recs, piece_st, n)
        })
        .collect();
    let mut base = lines;
    let last = parsed.len() - 1;
    for (i, (mut recs, mut end, n)) in parsed.into_iter().enumerate() {
        if i > 0 {
            recs.iter_mut().for_each(|r| r.at += base);
            end.shift(base);
        }
        out.append(&mut recs);
        base += n;
        if i == last {
            *st = end;
            break;
        }
        if !end.plain(seams[i].1) {
            // The next pieces were parsed from the wrong state.
            *st = end;
            return base + read_piece(&chunk[bounds[i + 1]..], st, base, out);
        }
        flush(&mut end, out);
    }
    base
}

/// Parses `text`'s lines after line `lines`; the number of lines.
fn read_piece(text: &[u8], st: &mut State, lines: u64, out: &mut Vec<LogRecord>) -> u64 {
    let mut no = lines;
    each_line(text, |line| {
        no += 1;
        line_in(st, no, line, out);
    });
    no - lines
}

/// How a piece's first line starts its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seam {
    /// With a timestamp.
    Stamped,
    /// Without one, and not as a continuation line.
    Plain,
}

/// Where `chunk` may be cut into pieces, about every `piece` bytes: at
/// a line starting with a timestamp, else at one starting a record in a
/// log without them.
fn seams(chunk: &[u8], piece: usize) -> Vec<(usize, Seam)> {
    const LOOK: usize = 256;
    let mut seams: Vec<(usize, Seam)> = Vec::new();
    let mut target = piece;
    while target + piece / 2 < chunk.len() {
        let mut at = target;
        let mut plain = None;
        let mut stamped = None;
        for _ in 0..LOOK {
            let Some(i) = memchr::memchr(b'\n', &chunk[at - 1..]) else {
                break;
            };
            at += i;
            if at >= chunk.len() {
                break;
            }
            let line = &chunk[at..];
            if stamp::at_start(line).is_some() {
                stamped = Some(at);
                break;
            }
            if plain.is_none() && starts_plain_record(line) {
                plain = Some(at);
            }
            at += 1;
        }
        let seam = match (stamped, plain) {
            (Some(at), _) => (at, Seam::Stamped),
            (None, Some(at)) => (at, Seam::Plain),
            (None, None) => break,
        };
        if seams.last().is_none_or(|&(last, _)| last < seam.0) {
            seams.push(seam);
        }
        target = seam.0.max(target) + piece;
    }
    seams
}

/// True when a line (its bytes up to the end of the text) starts a record
/// in a log without timestamps whatever came before: not a continuation,
/// not blank, not what another layout reads.
fn starts_plain_record(line: &[u8]) -> bool {
    let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
    let line = &line[..end];
    match line.first() {
        Some(b'#' | b'<' | b'T') => false,
        Some(c) if c.is_ascii_graphic() => !["at ", "Caused by", "--- ", "..."]
            .iter()
            .any(|p| line.starts_with(p.as_bytes())),
        _ => false,
    }
}

fn line_in(st: &mut State, no: u64, line: &str, out: &mut Vec<LogRecord>) {
    if let Some((start, mut text)) = st.cmtrace.take() {
        text.push('\n');
        text.push_str(crate::scan::record::cut(line, 64 * 1024));
        return cmtrace_line(st, start, text, out);
    }
    if line.starts_with("<![LOG[") {
        flush(st, out);
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
            flush(st, out);
            return out.push(rec);
        }
    }
    if let Some((time, len)) = stamp::at_line_start(line) {
        flush(st, out);
        st.stamped = true;
        st.pending = Some(after_stamp(no, Some(time), &line[len..]));
        return;
    }
    if line.trim().is_empty() {
        return;
    }
    if let Some(p) = &mut st.pending {
        if st.stamped || is_continuation(line) {
            return p.push_line(line);
        }
    }
    flush(st, out);
    st.pending = Some(after_stamp(no, None, line));
}

fn flush(st: &mut State, out: &mut Vec<LogRecord>) {
    if let Some(p) = st.pending.take() {
        out.push(p);
    }
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
fn after_stamp(no: u64, time: Option<Stamp>, rest: &str) -> LogRecord {
    let rest = rest.trim_start_matches([' ', '\t', ',', '|', ']', '-']);
    let mut rec = LogRecord {
        at: no,
        time,
        ..LogRecord::default()
    };
    // Only syslog's stamp lacks a year.
    if time.is_some_and(|t| !t.has_year()) {
        if let Some((source, msg)) = syslog_program(rest) {
            rec.sources.push(source.to_string());
            rec.text = msg.to_string();
            rec.level = leading_level(msg).map(|(l, _)| l);
            return rec;
        }
    }
    match leading_level(rest) {
        Some((level, after)) => {
            rec.level = Some(level);
            rec.text = after
                .trim_start_matches([' ', '\t', ':', ',', '|', ']', '-'])
                .to_string();
        }
        None => rec.text = rest.to_string(),
    }
    rec
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
/// `Error:`), and the text after it.
fn leading_level(s: &str) -> Option<(Level, &str)> {
    let mut at = 0;
    for _ in 0..3 {
        let t = &s[at..];
        let start = t.len() - t.trim_start().len();
        let t = &t[start..];
        let end = memchr::memchr2(b' ', b'\t', t.as_bytes()).unwrap_or(t.len());
        // The brackets are ASCII, so trimming bytes trims whole characters.
        let word = trim_brackets(&t.as_bytes()[..end]);
        if let Some(level) = Level::from_bytes(word) {
            return Some((level, &t[end..]));
        }
        at += start + end;
        if at >= s.len() {
            break;
        }
    }
    None
}

/// `word` without the brackets and punctuation around a level word.
fn trim_brackets(mut word: &[u8]) -> &[u8] {
    const AROUND: &[u8] = b"[]<>():,|";
    while let [first, rest @ ..] = word {
        if !AROUND.contains(first) {
            break;
        }
        word = rest;
    }
    while let [rest @ .., last] = word {
        if !AROUND.contains(last) {
            break;
        }
        word = rest;
    }
    word
}

fn cmtrace_line(st: &mut State, start: u64, text: String, out: &mut Vec<LogRecord>) {
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
    use super::*;

    /// The records of `text` read in pieces of about `piece` bytes.
    fn records(text: &str, piece: usize) -> Vec<LogRecord> {
        let mut r = text.as_bytes();
        let mut all = Vec::new();
        read_in_pieces(&mut r, piece, &mut |recs| all.append(recs)).unwrap();
        all
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/data/scan/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Logs read in pieces cut at nearly every line give the records
    /// read in one piece: a piece starting after a header of another
    /// layout, inside a CMTrace record, in a stack trace or after a
    /// timestamped line is read again after the piece before it.
    #[test]
    fn pieces_give_the_records_of_one_piece() {
        let plain = "first line without a time\n  indented follow-up\nat Foo.bar(Foo.java:1)\n\
                     second line\nCaused by: x\n\nthird line\n";
        let stamped = "2024-02-19 11:03:52 ERROR one\njava.lang.Error: two\n\tat x\n\
                       2024-02-19 11:03:53 WARN three\nplain after a stamp\n";
        let mut logs: Vec<String> = [
            "app.log",
            "cbs.log",
            "cmtrace.log",
            "iis.log",
            "journal-short.txt",
            "syslog.log",
            "uls.log",
        ]
        .iter()
        .map(|f| fixture(f))
        .collect();
        logs.push(plain.repeat(50));
        logs.push(stamped.repeat(50));
        // Layouts after one another: a header or an open record changes
        // how the lines after it read.
        logs.push(format!("{plain}{stamped}{plain}"));
        logs.push(logs[..7].concat());
        logs.push(format!("{}{}{}", plain, logs[2], stamped.repeat(20)));
        logs.push(format!("{}{}{}", stamped, logs[3], plain.repeat(20)));
        logs.push(format!("{}{}", logs[6], stamped.repeat(20)));
        for (i, log) in logs.iter().enumerate() {
            let whole = records(log, 1 << 40);
            assert!(!whole.is_empty(), "log {i}");
            for piece in [1, 7, 64, 300] {
                assert_eq!(records(log, piece), whole, "log {i} in pieces of {piece}");
            }
        }
    }

    #[test]
    fn seams_are_at_lines_that_start_records() {
        let lines_at = |log: &str| -> Vec<(String, Seam)> {
            seams(log.as_bytes(), 1)
                .into_iter()
                .map(|(i, seam)| (log[i..].lines().next().unwrap().to_string(), seam))
                .collect()
        };
        // A line with a timestamp first, though a plain line comes before.
        let stamped = "2024-02-19 11:03:52 a\n\tat x\nplain\n2024-02-19 11:03:53 b\n";
        assert_eq!(
            lines_at(stamped),
            [("2024-02-19 11:03:53 b".to_string(), Seam::Stamped)]
        );
        // Never a continuation, a blank line or another layout's line.
        let plain = "one\n  two\nat x\n\n#Fields: a\n<![LOG[x]LOG]!>\nTimestamp\nthree\n";
        assert_eq!(lines_at(plain), [("three".to_string(), Seam::Plain)]);
    }
}
