//! JSON logs: `journalctl -o json` (one object per line), PowerShell's
//! `Get-WinEvent | ConvertTo-Json` and `Get-EventLog | ConvertTo-Json`
//! (one array, or one object for a single event), and structured logs
//! with `message`/`level`/`timestamp` fields. An array is read an element
//! at a time (serde's sequence visitor), never whole.

use super::lines::Lines;
use crate::scan::input::Batcher;
use crate::scan::record::{Level, LogRecord};
use crate::scan::stamp::{self, Stamp};
use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::io::{self, BufRead};

/// Reads JSON values from `r`: an array's elements, or a stream of objects.
pub fn read(r: &mut dyn BufRead, out: &mut Batcher) -> io::Result<()> {
    let mut n = 0u64;
    let head = super::super::input::peek(r)?;
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'[') {
        let mut de = serde_json::Deserializer::from_reader(r);
        let seed = Elements {
            out: &mut *out,
            n: &mut n,
        };
        if let Err(e) = seed.deserialize(&mut de) {
            out.skip(
                format!("line {} column {}", e.line(), e.column()),
                format!("not valid JSON ({e}); the rest of the file is skipped (a text log? scan it with --format text)"),
            );
        }
        return Ok(());
    }
    read_values(r, out)
}

/// Largest value kept while looking for its end.
const MAX_VALUE: usize = 4 << 20;

/// Reads a stream of values, one per line (`journalctl -o json`) or each
/// spread over lines (`journalctl -o json-pretty`, `ConvertTo-Json` of one
/// event): a value is parsed once its brackets close, and one that is not
/// valid JSON is noted and passed over, so one broken line (a dump cut
/// short and appended to) costs its value, not the rest of the file (as
/// it had). Each line's brackets are counted once, so a value of many
/// lines is not read again at each.
fn read_values(r: &mut dyn BufRead, out: &mut Batcher) -> io::Result<()> {
    let mut lines = Lines::new(r);
    let mut n = 0u64;
    let mut value = String::new();
    let mut depth = 0i64;
    let mut start = 0;
    while let Some((no, line)) = lines.next_line()? {
        // An object opened at a line's first column while a value is
        // still open begins the next value (nested ones are indented):
        // the open one was cut short, and is noted as not valid.
        if depth > 0 && line.starts_with('{') {
            parse_values(&value, start, &mut n, out);
            value.clear();
            depth = 0;
        }
        if value.is_empty() {
            if line.trim().is_empty() {
                continue;
            }
            start = no;
        } else {
            value.push('\n');
        }
        value.push_str(&line);
        depth += bracket_depth(&line);
        drop(line);
        if depth > 0 {
            if value.len() < MAX_VALUE {
                continue;
            }
            out.skip(
                format!("line {start}"),
                format!(
                    "a JSON value not closed within {} MiB; skipped",
                    MAX_VALUE >> 20
                ),
            );
        } else {
            parse_values(&value, start, &mut n, out);
        }
        value.clear();
        depth = 0;
    }
    if !value.is_empty() {
        parse_values(&value, start, &mut n, out);
    }
    Ok(())
}

/// Parses the values of `text` (beginning on line `start`), noting the
/// first that is not valid JSON and passing over the rest of `text`.
fn parse_values(text: &str, start: u64, n: &mut u64, out: &mut Batcher) {
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match value {
            Ok(v) => {
                *n += 1;
                one(v, *n, out);
            }
            Err(_) => {
                // Without the parser's words, which the search page's
                // parser puts its own way: the line says where to look.
                out.skip(
                    format!("line {start}"),
                    "not valid JSON; this value is skipped (a text log? scan it with --format text)"
                        .to_string(),
                );
                return;
            }
        }
    }
}

/// How much deeper in brackets a line leaves a value: `{` and `[` less
/// `}` and `]`, outside strings (a string cannot span lines in JSON).
fn bracket_depth(line: &str) -> i64 {
    let (mut depth, mut string, mut escaped) = (0, false, false);
    for &c in line.as_bytes() {
        if string {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
        }
    }
    depth
}

/// Each element of a top-level array, handed on as it is parsed.
struct Elements<'o, 't> {
    out: &'o mut Batcher<'t>,
    n: &'o mut u64,
}

impl<'de> DeserializeSeed<'de> for Elements<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Elements<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of events")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            *self.n += 1;
            one(v, *self.n, self.out);
        }
        Ok(())
    }
}

fn one(v: Value, n: u64, out: &mut Batcher) {
    match v {
        Value::Object(map) => out.push(record(&map, n)),
        Value::Array(items) => {
            for item in items {
                if let Value::Object(map) = item {
                    out.push(record(&map, n));
                }
            }
        }
        _ => {}
    }
}

/// The first of `names` present (compared ignoring case).
fn get<'v>(map: &'v Map<String, Value>, names: &[&str]) -> Option<&'v Value> {
    names.iter().find_map(|n| {
        map.get(*n).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v)
        })
    })
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        // journald writes a message that is not UTF-8 as an array of bytes.
        Value::Array(a) if a.iter().all(Value::is_u64) => {
            let bytes: Vec<u8> = a
                .iter()
                .filter_map(|b| b.as_u64())
                .map(|b| b as u8)
                .collect();
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        _ => None,
    }
}

fn record(map: &Map<String, Value>, n: u64) -> LogRecord {
    let mut rec = LogRecord {
        at: n,
        ..LogRecord::default()
    };
    let message = get(map, &["MESSAGE", "Message", "msg", "@m", "@mt"]).and_then(text);
    rec.text = message.unwrap_or_else(|| insertion_strings(map));
    rec.time = get(
        map,
        &[
            "__REALTIME_TIMESTAMP",
            "TimeCreated",
            "TimeGenerated",
            "timestamp",
            "time",
            "@t",
        ],
    )
    .and_then(time);
    rec.level = level(map);
    if let Some(s) = get(
        map,
        &["ProviderName", "Source", "SYSLOG_IDENTIFIER", "_COMM"],
    )
    .and_then(text)
    {
        rec.sources.push(s);
    }
    rec.event_id = get(map, &["Id", "EventID", "InstanceId"])
        .and_then(Value::as_u64)
        .and_then(|id| u32::try_from(id & 0xffff).ok());
    rec
}

/// `Properties: [{"Value": …}]` (Get-WinEvent) or `ReplacementStrings` (Get-EventLog).
fn insertion_strings(map: &Map<String, Value>) -> String {
    let Some(Value::Array(items)) = get(map, &["Properties", "ReplacementStrings"]) else {
        return String::new();
    };
    items
        .iter()
        .filter_map(|p| text(p.get("Value").unwrap_or(p)))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn time(v: &Value) -> Option<Stamp> {
    if let Value::Object(o) = v {
        return get(o, &["value", "DateTime"]).and_then(time);
    }
    let s = text(v)?;
    if let Some(ms) = s
        .strip_prefix("/Date(")
        .and_then(|r| r.split([')', '+', '-']).next())
        .and_then(|d| d.parse::<u64>().ok())
    {
        return Some(Stamp::from_epoch_micros(ms * 1000));
    }
    if s.len() >= 15 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().map(Stamp::from_epoch_micros);
    }
    stamp::parse(&s)
}

fn level(map: &Map<String, Value>) -> Option<Level> {
    if let Some(p) = get(map, &["PRIORITY"]).and_then(text) {
        return p.parse().ok().and_then(Level::from_syslog);
    }
    if let Some(v) = get(map, &["LevelDisplayName", "level", "severity", "@l"]) {
        if let Some(l) = text(v).as_deref().and_then(Level::from_word) {
            return Some(l);
        }
    }
    if let Some(v) = get(map, &["EntryType"]) {
        return match v.as_u64() {
            Some(1) | Some(16) => Some(Level::Error),
            Some(2) => Some(Level::Warning),
            Some(_) => Some(Level::Info),
            None => text(v).as_deref().and_then(Level::from_word),
        };
    }
    get(map, &["Level"])
        .and_then(Value::as_u64)
        .and_then(Level::from_windows)
}
