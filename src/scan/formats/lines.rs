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
