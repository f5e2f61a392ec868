//! Opening a log: a file or stdin, its format told from its first bytes
//! (the extension only breaks a tie), UTF-16 exports (what Event Viewer
//! and PowerShell write on Windows) turned into UTF-8 as they stream, and
//! records handed to the tally in batches so memory stays bounded.

use super::record::LogRecord;
use super::report::{Place, Skipped, Tally};
use super::skip_notes::SkipNotes;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{sync_channel, Receiver};

/// The formats a scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Windows `.evtx` file.
    Evtx,
    /// Event XML: `wevtutil qe /f:xml`, Event Viewer's "Save as XML".
    EventXml,
    /// JSON: `journalctl -o json`, `Get-WinEvent | ConvertTo-Json`.
    Json,
    /// Event Viewer's CSV (`,`) or tab-separated text (`\t`) export.
    Table(u8),
    /// `Key : Value` blocks: `Get-WinEvent | Format-List`, Event Viewer's copied text.
    Blocks,
    /// Any line log: syslog, journalctl short, CBS.log, CMTrace, IIS W3C, ULS, plain.
    Text,
}

impl Format {
    /// The format's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Evtx => "evtx",
            Format::EventXml => "event XML",
            Format::Json => "JSON",
            Format::Table(b',') => "Event Viewer CSV",
            Format::Table(_) => "Event Viewer text (tab-separated)",
            Format::Blocks => "event list (Key : Value)",
            Format::Text => "text",
        }
    }
}

impl Format {
    /// The names `--format` takes.
    pub const NAMES: [&'static str; 7] = ["evtx", "xml", "json", "csv", "tsv", "list", "text"];

    /// The format `--format` names `name`.
    pub fn named(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "evtx" => Format::Evtx,
            "xml" => Format::EventXml,
            "json" => Format::Json,
            "csv" => Format::Table(b','),
            "tsv" => Format::Table(b'\t'),
            "list" => Format::Blocks,
            "text" => Format::Text,
            _ => return None,
        })
    }
}

/// The format of a log starting with `head` (already UTF-8).
pub fn detect(head: &[u8], name: &str) -> Format {
    if head.starts_with(b"ElfFile\0") {
        return Format::Evtx;
    }
    let text = String::from_utf8_lossy(head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let first_line = body.lines().next().unwrap_or("");
    if body.starts_with('<') && (body.contains("<Event") || body.contains("<Events")) {
        return Format::EventXml;
    }
    if body.starts_with('[') && body[1..].trim_start().starts_with('{') || body.starts_with('{') {
        return Format::Json;
    }
    if first_line.contains("Date and Time") && first_line.contains("Source") {
        let tabs = first_line.matches('\t').count();
        let commas = first_line.matches(',').count();
        return Format::Table(if tabs > commas { b'\t' } else { b',' });
    }
    let block_key = |l: &str| {
        let key = l.split(':').next().unwrap_or("").trim();
        matches!(key, "Log Name" | "TimeCreated" | "ProviderName")
    };
    if body.lines().take(20).any(block_key) {
        return Format::Blocks;
    }
    if name.to_ascii_lowercase().ends_with(".evtx") {
        // Not an evtx file by its content; reading it as one explains why.
        return Format::Evtx;
    }
    Format::Text
}

/// Reads UTF-16LE (after its BOM) as UTF-8, a buffer at a time.
pub struct Utf16<R> {
    inner: R,
    /// Raw bytes not decoded yet: an odd byte, a high surrogate awaiting its pair.
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
}

impl<R: Read> Utf16<R> {
    /// Wraps a reader positioned after the BOM.
    pub fn new(inner: R) -> Utf16<R> {
        Utf16 {
            inner,
            raw: Vec::new(),
            out: Vec::new(),
            pos: 0,
        }
    }

    /// Decodes the next buffer; the number of bytes read from `inner`.
    fn refill(&mut self) -> io::Result<usize> {
        let mut buf = [0u8; 64 * 1024];
        let got = self.inner.read(&mut buf)?;
        self.raw.extend_from_slice(&buf[..got]);
        let mut units: Vec<u16> = self
            .raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let mut keep = self.raw.len() % 2;
        if got > 0 && units.last().is_some_and(|u| (0xd800..0xdc00).contains(u)) {
            units.pop();
            keep += 2;
        }
        let s: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect();
        self.raw.drain(..self.raw.len() - keep);
        if got == 0 {
            self.raw.clear();
        }
        self.out = s.into_bytes();
        self.pos = 0;
        Ok(got)
    }
}

impl<R: Read> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.refill()? == 0 && self.out.is_empty() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Records on their way to the tally, a batch at a time.
pub struct Batcher<'t> {
    /// Takes the work: it hands a batch back when it is done with it at once.
    sink: &'t mut dyn FnMut(Work) -> Option<Vec<LogRecord>>,
    /// Batches a tally on another thread is done with, for their records
    /// to be filled again.
    done: Option<Receiver<Vec<LogRecord>>>,
    file: String,
    /// This batch's records, `batch[..filled]`, then records of a batch
    /// the tally is done with, filled again in place (their text keeps
    /// its allocation).
    batch: Vec<LogRecord>,
    filled: usize,
    /// Records per batch.
    most: usize,
    bytes: usize,
    /// The batch's last record was [begun](Batcher::begin) and may still
    /// grow: its text is not counted in `bytes` yet.
    open: bool,
    on_batch: &'t mut dyn FnMut(u64),
    /// What could not be read, a few notes per reason.
    notes: SkipNotes,
}

/// What the reader hands the tally, in the reader's order.
enum Work {
    Batch(Vec<LogRecord>),
    Skip(Skipped),
}

/// Records per batch; a batch is matched in parallel.
const BATCH: usize = 4096;
/// Records per batch matched on the reading thread ([`batched_here`]).
const HERE: usize = 1024;
/// Text per batch, whatever the number of records.
const BATCH_BYTES: usize = 8 << 20;
/// Full batches waiting for the counting thread: the reader stops when
/// it is this far ahead, so memory stays bounded.
const QUEUED: usize = 2;

/// Longest text whose allocation a spare record keeps: a few long records
/// must not make every spare one hold their size (a Markdown log's
/// paragraphs held 10 MB more at 1 KiB).
const SPARE_TEXT: usize = 512;

/// Runs `read` with a [`Batcher`] whose batches are matched and counted
/// on another thread, in order: reading and parsing the next batch
/// overlaps matching this one, so both cores work on a text log (its
/// reader is sequential). `on_batch` hears of the records passed so far.
pub fn batched<T>(
    tally: &mut Tally<'_>,
    place: Place,
    on_batch: &mut dyn FnMut(u64),
    read: impl FnOnce(&mut Batcher<'_>) -> T,
) -> T {
    let (to_tally, work) = sync_channel::<Work>(QUEUED);
    // Records go back to the reader to be filled again, so a text log's
    // records are neither allocated by one thread nor freed by the other.
    // One batch waits there at most: the reader takes one at each batch
    // it sends, and fills its records again in place.
    let (give_back, done) = sync_channel::<Vec<LogRecord>>(1);
    // Owns the sender: dropping it ends the counting thread's loop.
    let mut sink = move |w: Work| {
        // Fails only when the counting thread panicked: `batched` rethrows that.
        let _ = to_tally.send(w);
        None
    };
    std::thread::scope(|scope| {
        let file = place.file.clone();
        let counting = scope.spawn(move || {
            super::on_match_threads(move || {
                for w in work {
                    match w {
                        Work::Batch(batch) => {
                            tally.feed(&batch, &place);
                            // Dropped when one is waiting for the reader already.
                            let _ = give_back.try_send(batch);
                        }
                        Work::Skip(s) => tally.skip(s),
                    }
                }
            })
        });
        let mut out = Batcher::new(&mut sink, Some(done), file, BATCH, on_batch);
        let result = read(&mut out);
        out.finish();
        drop(out);
        drop(sink);
        if let Err(panic) = counting.join() {
            std::panic::resume_unwind(panic);
        }
        result
    })
}

/// [`batched`] with the batches matched and counted on this thread, each
/// as soon as it is read, while its records are in this core's cache: for
/// one of a file's regions scanned side by side ([`super::regions`]).
pub fn batched_here<T>(
    tally: &mut Tally<'_>,
    place: Place,
    on_batch: &mut dyn FnMut(u64),
    read: impl FnOnce(&mut Batcher<'_>) -> T,
) -> T {
    let file = place.file.clone();
    let mut sink = |w: Work| match w {
        Work::Batch(batch) => {
            tally.feed(&batch, &place);
            Some(batch)
        }
        Work::Skip(s) => {
            tally.skip(s);
            None
        }
    };
    let mut out = Batcher::new(&mut sink, None, file, HERE, on_batch);
    let result = read(&mut out);
    out.finish();
    result
}

impl<'t> Batcher<'t> {
    /// Batches of `most` records of `file` for `sink`; `done` hands back
    /// the batches a tally on another thread is done with.
    fn new(
        sink: &'t mut dyn FnMut(Work) -> Option<Vec<LogRecord>>,
        done: Option<Receiver<Vec<LogRecord>>>,
        file: String,
        most: usize,
        on_batch: &'t mut dyn FnMut(u64),
    ) -> Batcher<'t> {
        Batcher {
            sink,
            done,
            file,
            batch: Vec::with_capacity(most),
            filled: 0,
            most,
            bytes: 0,
            open: false,
            on_batch,
            notes: SkipNotes::default(),
        }
    }

    /// The file being read, as named.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Takes one record.
    pub fn push(&mut self, r: LogRecord) {
        self.close();
        self.bytes += r.text.len();
        match self.batch.get_mut(self.filled) {
            Some(old) => *old = r,
            None => self.batch.push(r),
        }
        self.filled += 1;
        if self.is_full() {
            self.flush();
        }
    }

    /// Begins a record where the batch holds it, and gives it to fill:
    /// a line log's record is written once, in place, over a record the
    /// tally is done with, and its continuation lines join it there
    /// ([`Batcher::open`]). A record made apart and pushed was copied
    /// several times on its way: without those copies, reading and
    /// parsing a text log takes about a seventh less CPU time (README,
    /// "Scanning a log"). The batch is sent once it is full and the next
    /// record begins.
    pub fn begin(&mut self) -> &mut LogRecord {
        self.close();
        if self.is_full() {
            self.flush();
        }
        if self.filled == self.batch.len() {
            self.batch.push(LogRecord::default());
        }
        let r = &mut self.batch[self.filled];
        r.clear();
        if r.text.capacity() > SPARE_TEXT {
            r.text = String::new();
        }
        self.filled += 1;
        self.open = true;
        r
    }

    /// The record [begun](Batcher::begin) last, while no other has come
    /// after it and it has not been [closed](Batcher::close).
    pub fn open(&mut self) -> Option<&mut LogRecord> {
        if self.open {
            self.batch.get_mut(self.filled - 1)
        } else {
            None
        }
    }

    /// Ends the record begun last: nothing more joins it.
    pub fn close(&mut self) {
        if std::mem::take(&mut self.open) {
            self.bytes += self.batch[self.filled - 1].text.len();
        }
    }

    fn is_full(&self) -> bool {
        self.filled >= self.most || self.bytes >= BATCH_BYTES
    }

    /// Notes a part of the file that could not be read: the first few
    /// of each reason are sent as they are, the rest counted
    /// ([`SkipNotes`]) and summed up by [`Batcher::finish`].
    pub fn skip(&mut self, at: String, reason: String) {
        if self.notes.keep(&at, &reason) {
            let file = self.file.clone();
            self.send(Work::Skip(Skipped { file, at, reason }));
        }
    }

    /// Sends the last batch, and a note for each reason of which more
    /// parts were skipped than noted.
    fn finish(&mut self) {
        self.flush();
        for s in std::mem::take(&mut self.notes).summaries(&self.file) {
            self.send(Work::Skip(s));
        }
    }

    /// Sends what is waiting to be matched, and takes a batch the tally
    /// is done with to fill again, when there is one.
    pub fn flush(&mut self) {
        self.close();
        if self.filled == 0 {
            return;
        }
        let n = self.filled as u64;
        self.batch.truncate(self.filled);
        let batch = std::mem::take(&mut self.batch);
        let back = self
            .send(Work::Batch(batch))
            .or_else(|| self.done.as_ref()?.try_recv().ok());
        self.batch = back.unwrap_or_else(|| Vec::with_capacity(self.most));
        self.filled = 0;
        (self.on_batch)(n);
        self.bytes = 0;
    }

    fn send(&mut self, w: Work) -> Option<Vec<LogRecord>> {
        (self.sink)(w)
    }
}

/// Tells the kernel that `len` bytes of `f` from `start` (0: to its end)
/// are read once, in order, so it reads further ahead: a scan of 1 GiB
/// from the disk spent 0.1-0.3 s less in the kernel.
#[cfg(target_os = "linux")]
pub fn read_in_order(f: &std::fs::File, start: u64, len: u64) {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for as long as `f` lives; the call
    // only advises the kernel, whatever its outcome.
    unsafe {
        libc::posix_fadvise(
            f.as_raw_fd(),
            start as libc::off_t,
            len as libc::off_t,
            libc::POSIX_FADV_SEQUENTIAL,
        );
    }
}

/// Elsewhere the advice is not given.
#[cfg(not(target_os = "linux"))]
pub fn read_in_order(_: &std::fs::File, _: u64, _: u64) {}

/// A reader over the log's text, UTF-16 decoded when it starts with that BOM,
/// a UTF-8 BOM dropped.
pub fn text_reader<'r>(mut r: BufReader<Box<dyn Read + 'r>>) -> io::Result<Box<dyn BufRead + 'r>> {
    let head = r.fill_buf()?;
    if head.starts_with(&[0xff, 0xfe]) {
        r.consume(2);
        return Ok(Box::new(BufReader::with_capacity(1 << 16, Utf16::new(r))));
    }
    if head.starts_with(&[0xef, 0xbb, 0xbf]) {
        r.consume(3);
    }
    Ok(Box::new(r))
}

/// Bytes [`peek`] gives at most.
pub const PEEKED: usize = 8192;

/// `raw` with its first [`PEEKED`] bytes read (fewer only at its end), so
/// that [`peek`] sees them all: a pipe or a decompressor may give a few
/// bytes at a time, too few to tell a tar header (at byte 257) or a format.
pub fn buffered<'r>(mut raw: Box<dyn Read + 'r>) -> io::Result<BufReader<Box<dyn Read + 'r>>> {
    let mut head = Vec::with_capacity(PEEKED);
    (&mut raw).take(PEEKED as u64).read_to_end(&mut head)?;
    let whole = io::Cursor::new(head).chain(raw);
    Ok(BufReader::with_capacity(1 << 16, Box::new(whole)))
}

/// The first bytes of `r` without consuming them (at most 8 KB).
pub fn peek(r: &mut dyn BufRead) -> io::Result<Vec<u8>> {
    let mut head = r.fill_buf()?.to_vec();
    head.truncate(PEEKED);
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::{Batcher, Work, SPARE_TEXT};
    use crate::scan::record::LogRecord;

    /// Records begun in place and records pushed come out in their order,
    /// continuation lines with their record, in batches of the most
    /// records asked; a batch handed back is filled again in place, and a
    /// long text's allocation is not kept.
    #[test]
    fn records_begun_in_place_are_batched_as_pushed_ones() {
        let mut sent: Vec<Vec<String>> = Vec::new();
        let mut progress = 0;
        let mut on_batch = |n: u64| progress += n;
        let mut capacities = Vec::new();
        let mut sink = |w: Work| match w {
            Work::Batch(b) => {
                sent.push(b.iter().map(|r| r.text.clone()).collect());
                capacities.extend(b.iter().map(|r| r.text.capacity()));
                Some(b)
            }
            Work::Skip(_) => None,
        };
        let mut out = Batcher::new(&mut sink, None, "log".into(), 3, &mut on_batch);
        let long = "x".repeat(SPARE_TEXT * 2);
        for i in 0..7 {
            if i == 4 {
                out.push(LogRecord {
                    text: "pushed".into(),
                    ..LogRecord::default()
                });
                continue;
            }
            out.begin().text.push_str(&format!("r{i}"));
            out.open()
                .expect("open")
                .push_line(if i == 0 { &long } else { "more" });
        }
        assert!(out.open().is_some());
        out.close();
        assert!(out.open().is_none());
        out.flush();
        drop(out);
        assert_eq!(
            sent,
            [
                vec![format!("r0\n{long}"), "r1\nmore".into(), "r2\nmore".into()],
                vec!["r3\nmore".into(), "pushed".into(), "r5\nmore".into()],
                vec!["r6\nmore".into()],
            ]
        );
        assert_eq!(progress, 7);
        // `r3` is begun over `r0`, whose long text's allocation is not kept.
        assert!(capacities[0] > SPARE_TEXT * 2, "{capacities:?}");
        assert!(capacities[3] <= SPARE_TEXT, "{capacities:?}");
    }
}
