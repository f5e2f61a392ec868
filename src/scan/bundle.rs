//! Support bundles: a zip or tar file of logs (a `CollectLogs` zip, an
//! `sosreport` or `journalctl` export tarred and gzipped). Each file in
//! it is scanned as an input of its own, named `bundle.zip:path/in/it.log`,
//! in the format its content tells: a gzip file in it is decompressed, an
//! `.evtx` file is read whole (its parser seeks). A bundle is told by its
//! first bytes, not its name, as gzip is.
//!
//! A file in a bundle that is no log (binary, an archive inside the
//! archive), or that cannot be read (damaged, encrypted, compressed with a
//! method other than deflate), is listed in the report's `skipped` with
//! what to do, and the other files are still scanned. Only a bundle whose
//! index cannot be read at all is an unreadable input.

use super::report::{Skipped, Tally};
use super::{gzip, input, Format};
use anyhow::{Context, Result};
use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::rc::Rc;

/// The archives whose files are scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// A zip file (read by its index, at its end).
    Zip,
    /// A tar file (read as it streams), or a gzipped one.
    Tar,
}

/// Bytes of a file's start that tell a bundle (a tar header's magic is at
/// byte 257).
pub const HEAD: usize = 512;

/// The bundle `head` starts, if any.
pub fn bundle_of(head: &[u8]) -> Option<Bundle> {
    // A local file header, or the end record of an empty zip file.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(Bundle::Zip);
    }
    // POSIX (`ustar\0`) and GNU (`ustar `) tar headers, their checksum
    // right: a text log could hold `ustar` at byte 257.
    let header = head.get(..512)?;
    (&header[257..262] == b"ustar" && tar_checksum_holds(header)).then_some(Bundle::Tar)
}

/// True when a tar header's checksum field (octal, at 148) is the sum of
/// its bytes, the field itself counted as spaces.
fn tar_checksum_holds(header: &[u8]) -> bool {
    let field = &header[148..156];
    let spaces = field.iter().take_while(|&&c| c == b' ').count();
    let octal: Vec<u8> = field[spaces..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    let Some(stored) = std::str::from_utf8(&octal)
        .ok()
        .and_then(|s| u32::from_str_radix(s, 8).ok())
    else {
        return false;
    };
    let sum: u32 = header
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if (148..156).contains(&i) {
                u32::from(b' ')
            } else {
                u32::from(c)
            }
        })
        .sum();
    sum == stored
}

/// What a file starting with `head` is when it is an archive or a
/// compressed file that kbgen does not unpack, and the tool that does.
pub fn not_unpacked(head: &[u8]) -> Option<(&'static str, &'static str)> {
    const KNOWN: [(&[u8], &str, &str); 6] = [
        (b"\xfd7zXZ\x00", "an xz-compressed file", "`xz -d`"),
        (b"BZh", "a bzip2-compressed file", "`bzip2 -d`"),
        (b"\x28\xb5\x2f\xfd", "a zstd-compressed file", "`zstd -d`"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "`7z x`"),
        (b"Rar!\x1a\x07", "a RAR archive", "`unrar x`"),
        (
            b"MSCF\0\0\0\0",
            "a cabinet (.cab) file",
            "`expand -F:* FILE DIR` on Windows, `cabextract` elsewhere",
        ),
    ];
    KNOWN
        .iter()
        .find(|(magic, _, _)| head.starts_with(magic))
        .map(|&(_, what, tool)| (what, tool))
}

/// Why a binary file of a bundle or a folder is not scanned.
pub(super) const BINARY: &str = "a binary file, not a log";

/// True when a file starting with `head` is binary (a NUL byte), and no
/// format the scan reads: not `.evtx`, not UTF-16 text with its BOM.
pub(super) fn is_binary(head: &[u8]) -> bool {
    !head.starts_with(b"ElfFile\0")
        && !head.starts_with(&[0xff, 0xfe])
        && memchr::memchr(0, head).is_some()
}

/// How a bundle's files are scanned: where their records go, and how much
/// text they may give in all.
pub(super) struct Members<'t, 'a, 's> {
    /// The bundle's name, before each file's.
    pub(super) archive: &'a str,
    pub(super) forced: Option<Format>,
    pub(super) tally: &'t mut Tally<'s>,
    pub(super) on_batch: &'a mut dyn FnMut(u64),
    /// The most text the files may give in all (a small zip file can
    /// hold gigabytes): past it, the scan of the bundle stops with an error.
    pub(super) most: u64,
    /// What is left of `most`.
    pub(super) left: Rc<Cell<u64>>,
}

impl Members<'_, '_, '_> {
    /// Scans every file of a zip archive.
    pub(super) fn zip<R: Read + Seek>(&mut self, mut archive: R) -> Result<()> {
        // Its index is read whole first: a few hundred bytes of memory a
        // file, so a zip of millions of empty files is refused before.
        if let Some(n) = zip_files(&mut archive)? {
            anyhow::ensure!(n <= MOST_FILES, "{}: {}", self.archive, too_many("unzip"));
        }
        archive.rewind()?;
        let mut zip = zip::ZipArchive::new(archive).with_context(|| {
            format!(
                "{} starts as a zip file but its index cannot be read; copy it again, or check it with `unzip -t`",
                self.archive
            )
        })?;
        for i in 0..zip.len() {
            super::stop::check()?;
            let path = zip.name_for_index(i).unwrap_or("?").to_string();
            let file = match zip.by_index(i) {
                Ok(f) => f,
                Err(e) => {
                    self.skip(
                        &path,
                        format!("it cannot be unzipped ({e}); unzip the bundle and scan this file"),
                    );
                    continue;
                }
            };
            if !file.is_file() {
                continue;
            }
            self.member(&path, Box::new(file))?;
        }
        Ok(())
    }

    /// Scans every file of a tar stream, up to where it breaks off.
    pub(super) fn tar(&mut self, archive: Box<dyn Read + '_>) -> Result<()> {
        let mut tar = tar::Archive::new(archive);
        let entries = tar
            .entries()
            .with_context(|| format!("cannot read {}", self.archive))?;
        let mut last = String::new();
        let mut files = 0;
        for entry in entries {
            super::stop::check()?;
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let after = if last.is_empty() {
                        "its start".to_string()
                    } else {
                        last
                    };
                    self.skip(
                        "",
                        format!(
                            "the tar stream breaks off after {after} ({e}): the files before were scanned; \
                             copy the bundle again, or check it with `tar -tf`"
                        ),
                    );
                    return Ok(());
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            files += 1;
            if files > MOST_FILES {
                self.skip("", too_many("untar"));
                return Ok(());
            }
            let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            self.member(&path, Box::new(entry))?;
            last = path;
        }
        Ok(())
    }

    /// Scans one file of the bundle at `path` in it; an error only when
    /// the bundle's text runs out.
    fn member(&mut self, path: &str, raw: Box<dyn Read + '_>) -> Result<()> {
        let mut r = match input::buffered(raw) {
            Ok(r) => r,
            Err(e) => return self.unread(path, e.into()),
        };
        let gzipped = gzip::is_gzip(&input::peek(&mut r).unwrap_or_default());
        let (text, broke): (Box<dyn Read>, _) = if gzipped {
            let (text, broke) = gzip::Gunzip::new(r, u64::MAX);
            (Box::new(text), Some(broke))
        } else {
            (Box::new(r), None)
        };
        let counted = Counted {
            inner: text,
            most: self.most,
            left: Rc::clone(&self.left),
        };
        let scanned = match input::buffered(Box::new(counted)) {
            Ok(r) => self.text(path, r),
            Err(e) => self.unread(path, e.into()),
        };
        if let Some(b) = broke.and_then(|b| b.borrow_mut().take()) {
            let file = self.name(path);
            self.tally.skip(gzip::skipped(&b, file));
        }
        scanned
    }

    /// Scans a file of the bundle, decompressed, unless it is no log.
    fn text(&mut self, path: &str, mut r: BufReader<Box<dyn Read + '_>>) -> Result<()> {
        let head = match input::peek(&mut r) {
            Ok(h) => h,
            Err(e) => return self.unread(path, e.into()),
        };
        if bundle_of(&head).is_some() || gzip::is_gzip(&head) || not_unpacked(&head).is_some() {
            self.skip(
                path,
                "an archive inside the bundle is not opened; unpack it and scan its files".into(),
            );
            return Ok(());
        }
        if is_binary(&head) {
            self.skip(path, BINARY.into());
            return Ok(());
        }
        let name = self.name(path);
        match super::scan_uncompressed(&name, r, self.forced, self.tally, self.on_batch) {
            Ok(_) => Ok(()),
            Err(e) => self.unread(path, e),
        }
    }

    /// Notes a file that could not be read; an error when the reason is
    /// that the bundle's text ran out.
    fn unread(&mut self, path: &str, e: anyhow::Error) -> Result<()> {
        if self.left.get() == 0 {
            return Err(e.context(format!("cannot scan {}", self.archive)));
        }
        self.skip(
            path,
            format!("it cannot be read ({e:#}); unpack the bundle and scan this file"),
        );
        Ok(())
    }

    fn skip(&mut self, path: &str, reason: String) {
        self.tally.skip(Skipped {
            file: if path.is_empty() {
                self.archive.to_string()
            } else {
                self.name(path)
            },
            at: String::new(),
            reason,
        });
    }

    /// A file's name in the report: the bundle's, then its path in it,
    /// with control characters shown as `?` (a path is the archive's
    /// text, printed on a terminal).
    fn name(&self, path: &str) -> String {
        let path: String = path
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        format!("{}:{path}", self.archive)
    }
}

/// The most files of a bundle that are scanned: a support bundle holds
/// hundreds.
pub const MOST_FILES: u64 = 100_000;

/// Why a bundle of too many files is not scanned (further), and what to
/// do (`verb` it and scan the folder).
fn too_many(verb: &str) -> String {
    format!(
        "it holds more than {MOST_FILES} files, more than kbgen scan opens in a bundle; \
         {verb} it and scan the folder"
    )
}

/// The number of files a zip file's end record gives (its zip64 record's
/// when it defers to it); `None` when no end record is found, which the
/// zip reader then reports.
fn zip_files<R: Read + Seek>(r: &mut R) -> io::Result<Option<u64>> {
    let len = r.seek(io::SeekFrom::End(0))?;
    // The end record (22 bytes) and a comment of up to 65,535 bytes.
    let tail_len = len.min(22 + 65_535);
    r.seek(io::SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0; tail_len as usize];
    r.read_exact(&mut tail)?;
    let Some(end) = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..].starts_with(b"PK\x05\x06"))
    else {
        return Ok(None);
    };
    let le16 = |at: usize| u64::from(u16::from_le_bytes([tail[at], tail[at + 1]]));
    let count = le16(end + 10);
    if count != 0xffff {
        return Ok(Some(count));
    }
    // A zip64 locator just before: the zip64 end record's offset at 8.
    let Some(locator) = end
        .checked_sub(20)
        .filter(|&l| tail[l..].starts_with(b"PK\x06\x07"))
    else {
        return Ok(Some(count));
    };
    let at = u64::from_le_bytes(tail[locator + 8..locator + 16].try_into().expect("8 bytes"));
    let mut record = [0u8; 40];
    r.seek(io::SeekFrom::Start(at))?;
    if r.read_exact(&mut record).is_err() || !record.starts_with(b"PK\x06\x06") {
        return Ok(None);
    }
    Ok(Some(u64::from_le_bytes(
        record[32..40].try_into().expect("8 bytes"),
    )))
}

/// A file's bytes, counted against the text a bundle may give.
struct Counted<R> {
    inner: R,
    most: u64,
    left: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.left.get();
        if left == 0 {
            return Err(io::Error::other(format!(
                "its files hold over {} MB of text, the most that is read",
                self.most >> 20
            )));
        }
        let most = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..most])?;
        self.left.set(left - n as u64);
        Ok(n)
    }
}

/// A stream's whole bytes, at most `most`: a zip file's index is at its
/// end, so one read from stdin or a request is kept in memory.
pub(super) fn read_whole(r: &mut dyn BufRead, most: u64, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    r.take(most.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    anyhow::ensure!(
        bytes.len() as u64 <= most,
        "{name} is a zip file over {} MB; unzip it and scan its files",
        most >> 20
    );
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::{bundle_of, is_binary, zip_files, Bundle, Counted};
    use std::cell::Cell;
    use std::io::Read;
    use std::rc::Rc;

    /// A tar header of one file, as `tar` writes it.
    fn tar_header() -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_ustar();
        h.set_size(3);
        b.append_data(&mut h, "a.log", &b"hi\n"[..]).unwrap();
        b.into_inner().unwrap()
    }

    #[test]
    fn a_tar_header_is_told_by_its_magic_and_checksum() {
        let tar = tar_header();
        assert_eq!(bundle_of(&tar), Some(Bundle::Tar));
        // A text log with `ustar` at byte 257 is no tar file.
        let mut text = vec![b'x'; 600];
        text[257..262].copy_from_slice(b"ustar");
        assert_eq!(bundle_of(&text), None);
        let mut bad = tar.clone();
        bad[0] ^= 1;
        assert_eq!(bundle_of(&bad), None, "a byte changed, the checksum fails");
        assert_eq!(bundle_of(b"PK\x03\x04rest"), Some(Bundle::Zip));
        assert_eq!(bundle_of(&tar[..300]), None, "too short to be a header");
    }

    #[test]
    fn a_zip_file_tells_its_number_of_files_before_its_index_is_read() {
        use std::io::{Cursor, Write};
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in ["a.log", "b.log", "c.log"] {
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b"x\n").unwrap();
        }
        z.set_comment("a comment after the end record");
        let zip = z.finish().unwrap().into_inner();
        assert_eq!(zip_files(&mut Cursor::new(&zip)).unwrap(), Some(3));
        assert_eq!(
            zip_files(&mut Cursor::new(&zip[..zip.len() - 40])).unwrap(),
            None
        );
        // A zip64 end record (at 0) that says 200,000, its locator, and
        // the end record that defers to it.
        let mut z64 = b"PK\x06\x06".to_vec();
        z64.extend([0u8; 28]);
        z64.extend(200_000u64.to_le_bytes());
        z64.extend([0u8; 16]);
        z64.extend(b"PK\x06\x07\0\0\0\0");
        z64.extend(0u64.to_le_bytes());
        z64.extend([1, 0, 0, 0]);
        z64.extend(b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff");
        z64.extend([0xff; 8]);
        z64.extend([0, 0]);
        assert_eq!(zip_files(&mut Cursor::new(&z64)).unwrap(), Some(200_000));
    }

    #[test]
    fn binary_files_are_told_from_logs() {
        assert!(is_binary(b"MZ\x90\0\x03\0"));
        assert!(!is_binary(b"2024-01-01 10:00:00 ok\n"));
        assert!(!is_binary(b"ElfFile\0\0\0"), "an .evtx file is read");
        assert!(
            !is_binary(b"\xff\xfe2\x000\x002\x004\x00"),
            "UTF-16 text is read"
        );
    }

    #[test]
    fn a_bundle_gives_no_more_text_than_its_cap() {
        let left = Rc::new(Cell::new(10));
        let mut first = Counted {
            inner: &b"0123456"[..],
            most: 10,
            left: Rc::clone(&left),
        };
        let mut got = Vec::new();
        first.read_to_end(&mut got).unwrap();
        let mut second = Counted {
            inner: &b"789abcdef"[..],
            most: 10,
            left,
        };
        let mut more = Vec::new();
        let e = second.read_to_end(&mut more).unwrap_err();
        assert_eq!(got, b"0123456");
        assert_eq!(more, b"789", "the cap is shared by the files");
        assert!(e.to_string().contains("the most that is read"), "{e}");
    }
}
