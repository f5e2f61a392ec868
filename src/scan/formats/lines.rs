//! Lines of a text log, one at a time and each of bounded length: a file
//! without line breaks (or a binary one) cannot make a line fill memory.
//!
//! The input is read a block at a time into a buffer of the reader's own,
//! and each line is handed out where it lies in that buffer: no copy per
//! line, and no call through the input per line.

use std::borrow::Cow;
use std::io::{self, BufRead};

/// Longest line kept; the rest of a longer one is skipped.
pub const MAX_LINE: usize = 256 * 1024;

/// Bytes read from the input at a time: a block that stays in the
/// processor's cache while its lines are read.
const BLOCK: usize = 64 * 1024;

/// Numbered lines of a reader.
pub struct Lines<'r> {
    r: &'r mut dyn BufRead,
    /// Read bytes; `buf[start..end]` are not handed out yet. Room for a
    /// line of [`MAX_LINE`] and a block after it.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The input has ended.
    done: bool,
    /// The kept start of a line longer than [`MAX_LINE`].
    long: Vec<u8>,
    number: u64,
    /// The line handed out last was cut at [`MAX_LINE`].
    cut: bool,
}

impl<'r> Lines<'r> {
    /// Lines of `r`.
    pub fn new(r: &'r mut dyn BufRead) -> Lines<'r> {
        Lines {
            r,
            buf: Vec::new(),
            start: 0,
            end: 0,
            done: false,
            long: Vec::new(),
            number: 0,
            cut: false,
        }
    }

    /// The lines handed out so far.
    pub fn count(&self) -> u64 {
        self.number
    }

    /// True when the line [`Lines::next_line`] gave last was longer than
    /// [`MAX_LINE`] and is its first bytes only.
    pub fn was_cut(&self) -> bool {
        self.cut
    }

    /// The next line's number and text, without its line break; invalid
    /// UTF-8 replaced.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Cow<'_, str>)>> {
        let (a, z) = loop {
            let rest = &self.buf[self.start..self.end];
            if let Some(i) = memchr::memchr(b'\n', rest) {
                let a = self.start;
                self.start += i + 1;
                self.cut = i > MAX_LINE;
                break (a, a + i.min(MAX_LINE));
            }
            if rest.len() >= MAX_LINE {
                self.skip_long_line()?;
                self.number += 1;
                self.cut = true;
                return Ok(Some((self.number, text_of(&self.long))));
            }
            if self.done {
                if rest.is_empty() {
                    return Ok(None);
                }
                let a = self.start;
                self.start = self.end;
                self.cut = false;
                break (a, self.end);
            }
            self.refill()?;
        };
        self.number += 1;
        Ok(Some((self.number, text_of(&self.buf[a..z]))))
    }

    /// Calls `f` with every line's number and text, as [`Lines::next_line`]
    /// gives them. The complete lines of each block are checked for UTF-8
    /// in one call and handed out as slices of the checked text: a check
    /// per line cost a call and its setup for every line.
    pub fn for_each(&mut self, mut f: impl FnMut(u64, &str)) -> io::Result<()> {
        loop {
            self.complete_lines(&mut f);
            // The line across the block's end, a long one or the last one.
            match self.next_line()? {
                Some((no, line)) => f(no, &line),
                None => return Ok(()),
            }
        }
    }

    /// Hands the complete lines in `buf[start..end]` to `f`, up to the
    /// first line with invalid UTF-8, which is left to
    /// [`Lines::next_line`] (so each byte is checked about once, however
    /// many lines are invalid).
    fn complete_lines(&mut self, f: &mut impl FnMut(u64, &str)) {
        let rest = &self.buf[self.start..self.end];
        let Some(last) = memchr::memrchr(b'\n', rest) else {
            return;
        };
        // A line break is ASCII, so text cut after one ends a character.
        let text = match simdutf8::compat::from_utf8(&rest[..=last]) {
            Ok(text) => text,
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                let Some(end) = memchr::memrchr(b'\n', valid) else {
                    return;
                };
                match std::str::from_utf8(&valid[..=end]) {
                    Ok(text) => text,
                    Err(_) => return,
                }
            }
        };
        let mut a = 0;
        for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
            self.number += 1;
            if i - a > MAX_LINE {
                // Cut where `next_line` cuts, which may split a character.
                f(self.number, &text_of(&text.as_bytes()[a..a + MAX_LINE]));
            } else {
                let line = &text[a..i];
                f(self.number, line.strip_suffix('\r').unwrap_or(line));
            }
            a = i + 1;
        }
        self.start += text.len();
    }

    /// Keeps the first [`MAX_LINE`] bytes of the line at `start` (which
    /// has no line break within them) in `long`, and reads past its end.
    fn skip_long_line(&mut self) -> io::Result<()> {
        self.long.clear();
        self.long
            .extend_from_slice(&self.buf[self.start..self.start + MAX_LINE]);
        self.start = self.end;
        while !self.done {
            self.refill()?;
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                self.start += i + 1;
                break;
            }
            self.start = self.end;
        }
        Ok(())
    }

    /// Moves the bytes not handed out to the front and reads a block
    /// after them; sets `done` at the input's end.
    fn refill(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            self.buf = vec![0; MAX_LINE + BLOCK];
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        let room = (self.buf.len() - self.end).min(BLOCK);
        let n = loop {
            match self.r.read(&mut self.buf[self.end..self.end + room]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                read => break read?,
            }
        };
        self.end += n;
        self.done = n == 0;
        Ok(())
    }
}

/// A line's text without its `\r`; invalid UTF-8 replaced.
fn text_of(mut line: &[u8]) -> Cow<'_, str> {
    if let [rest @ .., b'\r'] = line {
        line = rest;
    }
    // Valid UTF-8 is checked much faster than it is repaired.
    match simdutf8::basic::from_utf8(line) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(line),
    }
}

#[cfg(test)]
mod tests {
    use super::{Lines, MAX_LINE};
    use std::io::BufReader;

    /// What a plain split gives: lines without `\r`, the first
    /// [`MAX_LINE`] bytes of a longer one, invalid UTF-8 replaced.
    fn plain(text: &[u8]) -> Vec<String> {
        let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
            .into_iter()
            .map(|l| {
                let mut l = &l[..l.len().min(MAX_LINE)];
                if let [rest @ .., b'\r'] = l {
                    l = rest;
                }
                String::from_utf8_lossy(l).into_owned()
            })
            .collect()
    }

    fn read(text: &[u8], capacity: usize) -> Vec<(u64, String)> {
        let mut r = BufReader::with_capacity(capacity, text);
        let mut lines = Lines::new(&mut r);
        let mut out = Vec::new();
        while let Some((no, line)) = lines.next_line().unwrap() {
            out.push((no, line.into_owned()));
        }
        out
    }

    fn read_each(text: &[u8], capacity: usize) -> Vec<(u64, String)> {
        let mut r = BufReader::with_capacity(capacity, text);
        let mut out = Vec::new();
        Lines::new(&mut r)
            .for_each(|no, line| out.push((no, line.to_string())))
            .unwrap();
        out
    }

    /// Short, long and overlong lines, lines across every block boundary,
    /// `\r\n`, invalid UTF-8, a last line with and without its break:
    /// numbered from 1, as a plain split reads them.
    #[test]
    fn lines_are_read_as_a_plain_split_reads_them() {
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\n".to_vec(),
            b"a".to_vec(),
            b"a\r\nb\r\n\r\n".to_vec(),
            b"bad \xff\xfe byte\nok\n".to_vec(),
            b"\xc3".to_vec(),
        ];
        for len in [
            100,
            64 * 1024 - 1,
            64 * 1024,
            MAX_LINE - 1,
            MAX_LINE,
            MAX_LINE + 1,
            MAX_LINE + 70_000,
            3 * MAX_LINE,
        ] {
            let mut t = b"first\n".to_vec();
            t.extend((0..len).map(|i| b"ab\xc3\xa9 "[i % 5]));
            texts.push(t.clone());
            t.extend_from_slice(b"\r\nlast\n");
            texts.push(t);
        }
        let many: Vec<u8> = (0..40_000)
            .flat_map(|i| format!("line {i} {}\n", "x".repeat(i % 97)).into_bytes())
            .collect();
        texts.push(many);
        // Invalid bytes here and there, a character cut by a block's end.
        let spotted: Vec<u8> = (0..40_000)
            .flat_map(|i| {
                let mut l = format!("line {i} é {}", "y".repeat(i % 89)).into_bytes();
                if i % 7 == 3 {
                    l.insert(l.len() / 2, 0xff);
                }
                if i % 11 == 5 {
                    l.push(0xc3);
                }
                l.push(b'\n');
                l
            })
            .collect();
        texts.push(spotted);
        for text in &texts {
            let want: Vec<(u64, String)> = plain(text)
                .into_iter()
                .enumerate()
                .map(|(i, l)| (i as u64 + 1, l))
                .collect();
            for capacity in [1, 7, 8192] {
                assert!(read(text, capacity) == want, "{} bytes", text.len());
                assert!(read_each(text, capacity) == want, "{} bytes", text.len());
            }
        }
    }
}
