//! Gzip-compressed logs (`syslog.2.gz`, `CBS.log.gz`, an exported
//! `.evtx.gz`): told from their first bytes, not their name, and read as
//! they stream, one layer deep. A stream that breaks off (a copy cut
//! short, a log rotated while it was copied, bytes after the last member)
//! still gives the records before the break, and the break is noted in
//! the report's `skipped`; only a stream that gives no text at all is an
//! unreadable input.

use super::report::Skipped;
use std::cell::RefCell;
use std::io::{self, ErrorKind, Read};
use std::rc::Rc;

/// A gzip member's first bytes: its magic, then deflate, the only method
/// gzip defines. No text log starts with `0x1f`.
const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// True when `head` starts a gzip stream.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&MAGIC)
}

/// Where a gzip stream broke off, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// Bytes of text it gave before the break.
    pub after: u64,
    /// The decoder's words.
    pub error: String,
}

/// The text of a gzip stream (every member, as `zcat` gives it), ending
/// where the stream breaks off; the break is kept in [`Self::broke`].
pub struct Gunzip<R: Read> {
    inner: flate2::read::MultiGzDecoder<R>,
    given: u64,
    /// The most text it gives before it fails: a few megabytes of gzip
    /// can hold gigabytes of text.
    most: u64,
    broke: Rc<RefCell<Option<Break>>>,
}

impl<R: Read> Gunzip<R> {
    /// The text of `compressed`, at most `most` bytes of it, and where
    /// its break will be told.
    pub fn new(compressed: R, most: u64) -> (Gunzip<R>, Rc<RefCell<Option<Break>>>) {
        let broke = Rc::new(RefCell::new(None));
        let reader = Gunzip {
            inner: flate2::read::MultiGzDecoder::new(compressed),
            given: 0,
            most,
            broke: Rc::clone(&broke),
        };
        (reader, broke)
    }
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.broke.borrow().is_some() {
            return Ok(0);
        }
        if self.given >= self.most {
            return Err(io::Error::other(format!(
                "its decompressed text is over {} MB",
                self.most >> 20
            )));
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.given += n as u64;
                Ok(n)
            }
            // The decoder's own errors; the file's (EIO) stay errors.
            Err(e) if damaged(&e) => {
                if self.given == 0 {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("it starts as a gzip file but cannot be decompressed ({e})"),
                    ));
                }
                *self.broke.borrow_mut() = Some(Break {
                    after: self.given,
                    error: e.to_string(),
                });
                Ok(0)
            }
            Err(e) => Err(e),
        }
    }
}

/// True when `e` is the decoder's: the compressed data is damaged or cut short.
fn damaged(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::InvalidInput | ErrorKind::InvalidData | ErrorKind::UnexpectedEof
    )
}

/// The report's note of a break in the gzip stream of `file`.
pub fn skipped(b: &Break, file: String) -> Skipped {
    Skipped {
        file,
        at: format!("byte {} of its text", b.after),
        reason: format!(
            "the gzip stream breaks off here ({}): the records before were scanned, \
             the rest cannot be read; copy the file again, or check it with `gzip -t`",
            b.error
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_gzip, Gunzip};
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::{Read, Write};

    fn gz(text: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    fn text() -> Vec<u8> {
        (0..5000)
            .map(|i| {
                format!(
                    "2024-02-19 11:03:{:02}, Error CSI line {i} of many\n",
                    i % 60
                )
            })
            .collect::<String>()
            .into_bytes()
    }

    /// Two members one after another read as one text, as `zcat` reads them.
    #[test]
    fn members_are_read_one_after_another() {
        let mut both = gz(b"first\n");
        both.extend(gz(b"second\n"));
        assert!(is_gzip(&both));
        let (mut r, broke) = Gunzip::new(&both[..], u64::MAX);
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "first\nsecond\n");
        assert!(broke.borrow().is_none());
    }

    /// A stream cut short gives what it holds, then ends; the break is
    /// told with how much text came before it.
    #[test]
    fn a_stream_cut_short_gives_the_text_before_the_cut() {
        let whole = text();
        let compressed = gz(&whole);
        let cut = &compressed[..compressed.len() / 2];
        let (mut r, broke) = Gunzip::new(cut, u64::MAX);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert!(!out.is_empty() && out.len() < whole.len(), "{}", out.len());
        assert_eq!(out[..], whole[..out.len()]);
        let b = broke.borrow().clone().expect("a break");
        assert_eq!(b.after, out.len() as u64);
    }

    /// A header and nothing after it is no text at all: an error.
    #[test]
    fn a_stream_with_no_text_is_an_error() {
        let compressed = gz(&text());
        let (mut r, broke) = Gunzip::new(&compressed[..12], u64::MAX);
        let err = r.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("cannot be decompressed"), "{err}");
        assert!(broke.borrow().is_none());
        assert!(!is_gzip(b"2024-02-19 11:03:52, Error"));
    }

    /// Past its most text a stream fails, where a bomb would go on.
    #[test]
    fn text_past_the_most_is_an_error() {
        let zeros = gz(&vec![0u8; 4 << 20]);
        assert!(zeros.len() < 64 << 10, "{}", zeros.len());
        let (mut r, _) = Gunzip::new(&zeros[..], 1 << 20);
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("over 1 MB"), "{err}");
        assert!(out.len() >= 1 << 20 && out.len() < 2 << 20, "{}", out.len());
    }
}
