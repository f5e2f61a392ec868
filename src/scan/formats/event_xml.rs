//! Windows event XML (the `Event` schema): what an `.evtx` record renders
//! to, what `wevtutil qe /f:xml` prints and Event Viewer's "Save as XML"
//! writes. One small reader of that schema serves all three, and a stream
//! of events is split on `</Event>` so a large export is read an event at
//! a time. Not a general XML parser: only elements, attributes, text,
//! entities and CDATA, which is all the schema uses.

use crate::scan::input::Batcher;
use crate::scan::record::{Level, LogRecord};
use crate::scan::stamp;
use std::io::{self, BufRead};

/// Longest event kept while looking for its end.
const MAX_EVENT: usize = 4 << 20;

/// Reads a stream of `<Event>` elements (inside `<Events>` or not).
pub fn read(r: &mut dyn BufRead, out: &mut Batcher) -> io::Result<()> {
    let mut pending: Vec<u8> = Vec::new();
    let mut n = 0u64;
    loop {
        let avail = r.fill_buf()?;
        if avail.is_empty() {
            break;
        }
        let len = avail.len();
        pending.extend_from_slice(avail);
        r.consume(len);
        let mut start = 0;
        while let Some(end) = memchr::memmem::find(&pending[start..], b"</Event>") {
            let stop = start + end + "</Event>".len();
            n += 1;
            event_bytes(&pending[start..stop], n, out);
            start = stop;
        }
        pending.drain(..start);
        if pending.len() > MAX_EVENT {
            out.skip(
                format!("event {}", n + 1),
                format!("no </Event> within {MAX_EVENT} bytes; skipped to the next one"),
            );
            pending.clear();
        }
    }
    // A file cut short (a copy broken off) ends inside its last event:
    // what of it was written is read, and the cut is noted.
    if let Some(open) = event_start(&pending) {
        n += 1;
        let text = String::from_utf8_lossy(&pending[open..]);
        let read = event(&text, n);
        let how = if read.is_some() {
            "read as far as it goes"
        } else {
            "skipped"
        };
        out.skip(
            format!("event {n}"),
            format!("the file ends before this event's </Event>; {how}"),
        );
        if let Some(rec) = read {
            out.push(rec);
        }
    }
    Ok(())
}

/// Where the first `<Event` start tag of `b` begins (not `<Events>`, the
/// element around them, nor `<EventData>`).
fn event_start(b: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(b, b"<Event").find(|&i| {
        b.get(i + "<Event".len())
            .is_some_and(|c| matches!(c, b'>' | b' ' | b'\t' | b'\r' | b'\n' | b'/'))
    })
}

fn event_bytes(bytes: &[u8], n: u64, out: &mut Batcher) {
    let text = String::from_utf8_lossy(bytes);
    let Some(open) = text.find("<Event") else {
        return;
    };
    match event(&text[open..], n) {
        Some(rec) => out.push(rec),
        None => out.skip(
            format!("event {n}"),
            "not a readable <Event> element; skipped".to_string(),
        ),
    }
}

/// What has been read of one event so far.
#[derive(Default)]
struct Reading<'x> {
    rec: LogRecord,
    /// Names of the open elements.
    stack: Vec<&'x str>,
    /// Text of the innermost element.
    text: String,
    /// `<Data>` and `<UserData>` values: the insertion strings.
    strings: Vec<String>,
    /// `<RenderingInfo><Message>`, when the export has it.
    message: Option<String>,
    saw_event: bool,
}

impl<'x> Reading<'x> {
    /// A start tag (`tag` without its `<` and `>`).
    fn start(&mut self, tag: &'x str) {
        let closed = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = local(tag.split_whitespace().next().unwrap_or(""));
        self.saw_event |= name == "Event";
        self.text.clear();
        let rec = &mut self.rec;
        match name {
            "Provider" => {
                for attr in ["Name", "EventSourceName"] {
                    if let Some(v) = attribute(tag, attr) {
                        if !v.is_empty() && !rec.sources.contains(&v) {
                            rec.sources.push(v);
                        }
                    }
                }
            }
            "TimeCreated" => {
                rec.time = attribute(tag, "SystemTime").and_then(|t| stamp::parse(&t));
            }
            _ => {}
        }
        if !closed {
            self.stack.push(name);
        }
    }

    /// An end tag; true at the end of the event.
    fn end(&mut self, name: &str) -> bool {
        let name = local(name.trim());
        let value = std::mem::take(&mut self.text);
        let value = value.trim();
        let parent = self.stack.iter().rev().nth(1).copied().unwrap_or("");
        let in_data = self
            .stack
            .iter()
            .any(|s| *s == "EventData" || *s == "UserData");
        let rec = &mut self.rec;
        match (parent, name) {
            ("System", "EventID") => rec.event_id = value.parse().ok(),
            ("System", "Level") => rec.level = value.parse().ok().and_then(Level::from_windows),
            ("RenderingInfo", "Message") => self.message = Some(value.to_string()),
            ("RenderingInfo", "Level") if rec.level.is_none() => {
                rec.level = Level::from_word(value);
            }
            _ if in_data && name != "Binary" && !value.is_empty() => {
                self.strings.push(value.to_string());
            }
            _ => {}
        }
        self.stack.pop();
        name == "Event"
    }
}

/// The record of one `<Event>…</Event>`; `at` is its number or record ID.
pub fn event(xml: &str, at: u64) -> Option<LogRecord> {
    let mut r = Reading::default();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        r.text.push_str(&unescape(&rest[..lt]));
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>")?;
            r.text.push_str(&after[..end]);
            rest = &after[end + 3..];
            continue;
        }
        if rest.starts_with("<!--") || rest.starts_with("<?") {
            let end = rest.find('>')?;
            rest = &rest[end + 1..];
            continue;
        }
        let gt = rest.find('>')?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        match tag.strip_prefix('/') {
            Some(name) if r.end(name) => break,
            Some(_) => {}
            None => r.start(tag),
        }
    }
    if !r.saw_event {
        return None;
    }
    let mut rec = r.rec;
    rec.at = at;
    rec.text = r.message.unwrap_or_else(|| r.strings.join(" | "));
    Some(rec)
}

/// A name without its namespace prefix.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of attribute `name` in a start tag, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before_ok = i > 0 && rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = rest[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let quote = v.chars().next()?;
                if quote == '"' || quote == '\'' {
                    let end = v[1..].find(quote)?;
                    return Some(unescape(&v[1..1 + end]).into_owned());
                }
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// Text with XML's entities and character references decoded.
pub fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}
