//! Event Viewer's "Save All Events As…" CSV and tab-separated text
//! exports (and `Export-Csv` of `Get-WinEvent`/`Get-EventLog`): a header
//! naming the columns, then one event per row, the message quoted and
//! often spanning lines. Event Viewer leaves the message column unnamed:
//! a field past the named ones is the message.

use super::lines::{Lines, MAX_LINE};
use crate::scan::input::Batcher;
use crate::scan::record::{Level, LogRecord};
use crate::scan::stamp;
use std::io::{self, BufRead};

/// Longest row kept while looking for its closing quote.
const MAX_ROW: usize = 1 << 20;

/// What each column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Level,
    Time,
    Source,
    Id,
    Message,
    Other,
}

fn column(name: &str) -> Col {
    match name.trim().to_ascii_lowercase().as_str() {
        "level" | "leveldisplayname" | "keywords" | "entrytype" | "type" => Col::Level,
        "date and time" | "timecreated" | "timegenerated" | "date" | "time" => Col::Time,
        "source" | "providername" | "provider" => Col::Source,
        "event id" | "id" | "eventid" | "instanceid" => Col::Id,
        "message" | "description" | "" => Col::Message,
        _ => Col::Other,
    }
}

/// Reads a delimited export, `sep` being `,` or a tab.
pub fn read(r: &mut dyn BufRead, sep: u8, out: &mut Batcher) -> io::Result<()> {
    let mut lines = Lines::new(r);
    let mut header: Option<Vec<Col>> = None;
    let mut row = String::new();
    let mut start = 0;
    // A quoted field is open at the end of `row`: counted line by line,
    // as recounting the whole row at each of its lines made a row of
    // many short lines take time by the square of its length.
    let mut open = false;
    while let Some((no, line)) = lines.next_line()? {
        if row.is_empty() {
            start = no;
            if line.trim().is_empty() {
                continue;
            }
        } else {
            row.push('\n');
        }
        row.push_str(&line);
        open ^= odd_quotes(&line);
        drop(line);
        if lines.was_cut() && open {
            // The cut may have taken the quote that closes the row.
            out.skip(
                format!("line {no}"),
                format!(
                    "a line longer than {} KiB, of which the first {} KiB are read; its row ends there",
                    MAX_LINE >> 10,
                    MAX_LINE >> 10
                ),
            );
            open = false;
        }
        if open {
            if row.len() < MAX_ROW {
                continue;
            }
            out.skip(
                format!("line {start}"),
                format!(
                    "a quoted field not closed within {} MiB; its row is cut there and the lines after it read as rows",
                    MAX_ROW >> 20
                ),
            );
            open = false;
        }
        take_row(&mut header, &mut row, start, sep, out);
    }
    if open {
        // The file ended inside a quoted field: its row is read as it is.
        out.skip(
            format!("line {start}"),
            "a quoted field opened in this row is never closed; the rest of the file is read as its row"
                .to_string(),
        );
    }
    if !row.is_empty() {
        take_row(&mut header, &mut row, start, sep, out);
    }
    Ok(())
}

/// Reads `row`, a whole row beginning on line `start`, as the header or
/// as an event, and empties it.
fn take_row(
    header: &mut Option<Vec<Col>>,
    row: &mut String,
    start: u64,
    sep: u8,
    out: &mut Batcher,
) {
    let fields = split(row, sep);
    row.clear();
    match header {
        None => *header = Some(fields.iter().map(|f| column(f)).collect()),
        Some(cols) => match record(cols, &fields, start) {
            Some(rec) => out.push(rec),
            None => out.skip(
                format!("line {start}"),
                "a row without a date, source or message; skipped".to_string(),
            ),
        },
    }
}

/// True when `line` holds an odd number of quotes: quotes only appear in
/// quoted fields, an escaped one doubled, so each odd line opens or
/// closes one.
fn odd_quotes(line: &str) -> bool {
    memchr::memchr_iter(b'"', line.as_bytes()).count() % 2 == 1
}

/// The fields of a row, quotes removed and `""` unescaped.
fn split(row: &str, sep: u8) -> Vec<String> {
    let sep = char::from(sep);
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut inside = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if inside && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' if inside => inside = false,
            '"' if cur.is_empty() => inside = true,
            c if c == sep && !inside => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

fn record(cols: &[Col], fields: &[String], at: u64) -> Option<LogRecord> {
    let mut rec = LogRecord {
        at,
        ..LogRecord::default()
    };
    for (i, f) in fields.iter().enumerate() {
        let f = f.trim();
        match cols.get(i).copied().unwrap_or(Col::Message) {
            Col::Level => {
                rec.level =
                    Level::from_word(f).or_else(|| f.parse().ok().and_then(Level::from_windows));
            }
            Col::Time => rec.time = stamp::parse(f),
            Col::Source if !f.is_empty() => rec.sources.push(f.to_string()),
            Col::Id => rec.event_id = f.parse().ok(),
            // Up to the most a record keeps, as other formats' records.
            Col::Message if !f.is_empty() => rec.push_line(f),
            _ => {}
        }
    }
    let any = rec.time.is_some() || !rec.sources.is_empty() || !rec.text.is_empty();
    any.then_some(rec)
}
