//! Lines of a text log, one at a time and each of bounded length: a file
//! without line breaks (or a binary one) cannot make a line fill memory.

use std::borrow::Cow;
use std::io::{self, BufRead};

/// Longest line kept; the rest of a longer one is skipped.
pub const MAX_LINE: usize = 256 * 1024;

/// Numbered lines of a reader.
pub struct Lines<'r> {
    r: &'r mut dyn BufRead,
    buf: Vec<u8>,
    number: u64,
}

impl<'r> Lines<'r> {
    /// Lines of `r`.
    pub fn new(r: &'r mut dyn BufRead) -> Lines<'r> {
        Lines {
            r,
            buf: Vec::with_capacity(1024),
            number: 0,
        }
    }

    /// The next line's number and text, without its line break; invalid
    /// UTF-8 replaced.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Cow<'_, str>)>> {
        self.buf.clear();
        let mut any = false;
        loop {
            let avail = self.r.fill_buf()?;
            if avail.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i, Some(i + 1)),
                None => (avail.len(), None),
            };
            let room = MAX_LINE.saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&avail[..take.min(room)]);
            match done {
                Some(n) => {
                    self.r.consume(n);
                    break;
                }
                None => {
                    let n = avail.len();
                    self.r.consume(n);
                }
            }
        }
        self.number += 1;
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        // Valid UTF-8 is checked much faster than it is repaired.
        let text = match simdutf8::basic::from_utf8(&self.buf) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(&self.buf),
        };
        Ok(Some((self.number, text)))
    }
}

/// Text a chunk of whole lines at a time, for readers that parse the
/// lines of a chunk in parallel. A line longer than a chunk is cut to
/// [`MAX_LINE`] as [`Lines`] cuts it.
pub struct Chunks<'r> {
    r: &'r mut dyn BufRead,
    /// Bytes read per chunk, at least: [`CHUNK`], smaller in tests.
    size: usize,
    buf: Vec<u8>,
    /// Bytes at the start of `buf` handed out as the last chunk.
    used: usize,
}

/// Bytes read per chunk, at least.
pub const CHUNK: usize = 1 << 20;

impl<'r> Chunks<'r> {
    /// Chunks of `r`.
    pub fn new(r: &'r mut dyn BufRead) -> Chunks<'r> {
        Chunks::sized(r, CHUNK)
    }

    /// Chunks of `r` of at least `size` bytes (at least [`MAX_LINE`]).
    pub fn sized(r: &'r mut dyn BufRead, size: usize) -> Chunks<'r> {
        let size = size.max(MAX_LINE);
        Chunks {
            r,
            size,
            buf: Vec::with_capacity(size + (64 << 10)),
            used: 0,
        }
    }

    /// The next chunk: whole lines, each with its line break (the last
    /// line of the input may have none); `None` at the end.
    pub fn next_chunk(&mut self) -> io::Result<Option<&[u8]>> {
        self.buf.drain(..self.used);
        self.used = 0;
        let mut end = false;
        while self.buf.len() < self.size {
            let avail = self.r.fill_buf()?;
            if avail.is_empty() {
                end = true;
                break;
            }
            self.buf.extend_from_slice(avail);
            let n = avail.len();
            self.r.consume(n);
        }
        if end {
            self.used = self.buf.len();
        } else if let Some(i) = memchr::memrchr(b'\n', &self.buf) {
            self.used = i + 1;
        } else {
            // One line longer than a chunk: keep what `Lines` keeps of it.
            self.buf.truncate(MAX_LINE);
            self.skip_line()?;
            self.buf.push(b'\n');
            self.used = self.buf.len();
        }
        Ok((self.used > 0).then(|| &self.buf[..self.used]))
    }

    /// Skips the input up to and including the next line break.
    fn skip_line(&mut self) -> io::Result<()> {
        loop {
            let avail = self.r.fill_buf()?;
            if avail.is_empty() {
                return Ok(());
            }
            if let Some(i) = memchr::memchr(b'\n', avail) {
                self.r.consume(i + 1);
                return Ok(());
            }
            let n = avail.len();
            self.r.consume(n);
        }
    }
}

/// Calls `f` with each line of `text` (whole lines, as [`Chunks`] gives
/// them) as [`Lines::next_line`] gives it: at most [`MAX_LINE`] bytes,
/// without its line break, invalid UTF-8 replaced. The number of lines.
pub fn each_line(text: &[u8], mut f: impl FnMut(&str)) -> u64 {
    // Checked once for the whole text when it is valid, as it mostly is.
    let valid = simdutf8::basic::from_utf8(text).ok();
    let mut n = 0;
    let mut start = 0;
    while start < text.len() {
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        let mut line = &text[start..end.min(start + MAX_LINE)];
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        let cut = end - start > MAX_LINE;
        n += 1;
        match valid {
            Some(s) if !cut => f(&s[start..start + line.len()]),
            _ => match simdutf8::basic::from_utf8(line) {
                Ok(s) => f(s),
                Err(_) => f(&String::from_utf8_lossy(line)),
            },
        }
        start = end + 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of `text` as [`Lines`] reads them.
    fn by_lines(text: &[u8]) -> Vec<String> {
        let mut r: &[u8] = text;
        let mut lines = Lines::new(&mut r);
        let mut out = Vec::new();
        while let Some((_, line)) = lines.next_line().unwrap() {
            out.push(line.into_owned());
        }
        out
    }

    /// The lines of `text` as chunks of at least `size` bytes give them.
    fn by_chunks(text: &[u8], size: usize) -> Vec<String> {
        let mut r = io::BufReader::with_capacity(4096, text);
        let mut chunks = Chunks::sized(&mut r, size);
        let mut out = Vec::new();
        while let Some(chunk) = chunks.next_chunk().unwrap() {
            each_line(chunk, |line| out.push(line.to_string()));
        }
        out
    }

    #[test]
    fn chunks_give_the_lines_that_lines_gives() {
        let long = "x".repeat(MAX_LINE - 1);
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\n".to_vec(),
            b"one".to_vec(),
            b"one\r\ntwo\r\n\r\nthree\r".to_vec(),
            b"caf\xc3\xa9 ok\nbad \xff\xfe byte\n\xc3".to_vec(),
            // A line cut inside a character, and one cut before its `\r`.
            format!("{long}\u{e9}tail\nnext\n").into_bytes(),
            format!("{long}\r\nnext").into_bytes(),
        ];
        // Lines longer than a chunk, with and without a break at the end.
        texts.push(format!("a\n{}\nb\n", "y".repeat(3 * MAX_LINE)).into_bytes());
        texts.push(format!("a\n{}", "z".repeat(3 * MAX_LINE + 7)).into_bytes());
        // Many lines of every length, across chunk ends.
        let many: String = (0..40_000)
            .map(|i| format!("{}\n", "w".repeat(i % 97)))
            .collect();
        texts.push(many.into_bytes());
        for text in &texts {
            assert_eq!(by_chunks(text, MAX_LINE), by_lines(text));
        }
    }
}
