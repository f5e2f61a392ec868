//! One entry of a log, whatever its format: when, how severe, which event
//! (source and ID, when the format has them) and its text. Every reader in
//! [`super::formats`] turns its input into these; the matcher sees nothing else.

use super::byteset::ByteSet;
use super::stamp::Stamp;

/// Severity, numbered as Windows numbers event levels (lower is worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Critical, fatal, emergency, alert.
    Critical = 1,
    /// Error.
    Error = 2,
    /// Warning.
    Warning = 3,
    /// Information, notice, audit events.
    Info = 4,
    /// Verbose, debug, trace.
    Verbose = 5,
}

impl Level {
    /// A level word as logs write it (any case): `ERROR`, `warn`, `Information`,
    /// ULS's `Unexpected`/`Monitorable`; `None` for any other word.
    pub fn from_word(word: &str) -> Option<Level> {
        Level::from_bytes(word.as_bytes())
    }

    /// [`Level::from_word`] of a word's bytes.
    pub fn from_bytes(word: &[u8]) -> Option<Level> {
        if word.len() > 13 || word.len() < 3 {
            return None;
        }
        // Every level word starts with one of these letters.
        const FIRST: ByteSet = ByteSet::new(b"acdefhimnpstuvwACDEFHIMNPSTUVW");
        if !FIRST.has(word[0]) {
            return None;
        }
        // Lower-cased on the stack, a byte at a time (no call to copy a
        // few bytes): called for the first words of every line.
        let mut buf = [0u8; 13];
        for (to, from) in buf.iter_mut().zip(word) {
            *to = from.to_ascii_lowercase();
        }
        Some(match &buf[..word.len()] {
            b"critical" | b"crit" | b"fatal" | b"emerg" | b"emergency" | b"alert" | b"panic" => {
                Level::Critical
            }
            b"error" | b"err" | b"unexpected" | b"severe" | b"audit failure" => Level::Error,
            b"warning" | b"warn" | b"monitorable" => Level::Warning,
            b"information" | b"info" | b"informational" | b"notice" | b"audit success"
            | b"high" | b"medium" => Level::Info,
            b"verbose" | b"debug" | b"trace" | b"dbg" | b"vrb" => Level::Verbose,
            _ => return None,
        })
    }

    /// A Windows event's `<Level>` number (0 is "LogAlways", shown as information).
    pub fn from_windows(n: u64) -> Option<Level> {
        Some(match n {
            1 => Level::Critical,
            2 => Level::Error,
            3 => Level::Warning,
            0 | 4 => Level::Info,
            5 => Level::Verbose,
            _ => return None,
        })
    }

    /// A syslog/journald priority, 0 (emerg) to 7 (debug).
    pub fn from_syslog(n: u64) -> Option<Level> {
        Some(match n {
            0..=2 => Level::Critical,
            3 => Level::Error,
            4 => Level::Warning,
            5 | 6 => Level::Info,
            7 => Level::Verbose,
            _ => return None,
        })
    }

    /// The level's name, as the report prints it.
    pub fn name(self) -> &'static str {
        match self {
            Level::Critical => "Critical",
            Level::Error => "Error",
            Level::Warning => "Warning",
            Level::Info => "Information",
            Level::Verbose => "Verbose",
        }
    }
}

/// One record of a log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogRecord {
    /// Where it is in its file: a line number, or an `.evtx` record ID.
    pub at: u64,
    /// When it was written, if the log says so.
    pub time: Option<Stamp>,
    /// How severe, if the log says so.
    pub level: Option<Level>,
    /// Event source names (provider, then the classic event source when it
    /// differs, as `.evtx` files carry both); empty for plain text.
    pub sources: Vec<String>,
    /// Event ID, when the format has one.
    pub event_id: Option<u32>,
    /// The message, or the insertion strings of an event without one.
    pub text: String,
}

/// Longest text kept of one record; the rest of a runaway record (a stack
/// trace of thousands of lines) is dropped so memory stays bounded.
pub const MAX_TEXT: usize = 16 * 1024;

impl LogRecord {
    /// Empties the record, keeping its allocations.
    pub fn clear(&mut self) {
        let LogRecord {
            at,
            time,
            level,
            sources,
            event_id,
            text,
        } = self;
        *at = 0;
        *time = None;
        *level = None;
        sources.clear();
        *event_id = None;
        text.clear();
    }

    /// Appends a continuation line, up to [`MAX_TEXT`].
    pub fn push_line(&mut self, line: &str) {
        if self.text.len() >= MAX_TEXT {
            return;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        let room = MAX_TEXT - self.text.len();
        self.text.push_str(cut(line, room));
    }

    /// The record on one line, for the report's example: time, level,
    /// source and ID, then the text (shortened).
    pub fn summary(&self, max: usize) -> String {
        let mut out = String::new();
        if let Some(t) = &self.time {
            out.push_str(&t.to_string());
            out.push(' ');
        }
        if let Some(l) = self.level {
            out.push_str(l.name());
            out.push(' ');
        }
        if let Some(s) = self.sources.first() {
            out.push_str(s);
            out.push(' ');
        }
        if let Some(id) = self.event_id {
            out.push_str(&id.to_string());
            out.push(' ');
        }
        if !out.is_empty() {
            out.pop();
            out.push_str(": ");
        }
        // A long word (an insertion string's hex dump) is shortened, so it
        // does not hide the rest.
        let mut first = true;
        for word in self.text.split_whitespace() {
            if !first {
                out.push(' ');
            }
            first = false;
            out.push_str(cut(word, 60));
            if word.len() > 60 {
                out.push('…');
            }
        }
        if out.len() > max {
            let keep = cut(&out, max.saturating_sub(1)).len();
            out.truncate(keep);
            out.push('…');
        }
        out
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
