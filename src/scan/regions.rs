//! A large text log read in regions side by side, one thread each, every
//! region read, matched and counted on its own thread while its records
//! are in that core's cache; the regions' tallies are then added up in
//! order ([`Tally::absorb`]).
//!
//! One stream (a reader thread handing batches to the matching threads)
//! keeps both cores busy too, but each record is written on one core and
//! read on another, and the threads wait on each other: on one core the
//! scan needed 12% less CPU time than on two.
//!
//! The report is the one reading the log as one stream gives. A region
//! starts at a line that starts with a timestamp, so no record crosses
//! into it, and the line reader's state there is the one at the start of
//! a log as long as the region before ended plain (no IIS or ULS layout
//! learnt from a header, no CMTrace record open: [`text::Ending`]). Logs
//! whose first bytes show such a layout are read as one stream; a header
//! met further on makes the whole log be read again as one stream. A read
//! error stops the scan where it stops one stream: the records before it
//! are counted, those after it are not.

use super::formats::text;
use super::input::{self, Format};
use super::report::{Place, Tally};
use super::stamp;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The smallest region worth a thread of its own.
const MIN_REGION: u64 = 16 << 20;

/// Sets how many regions a text log is read in, whatever its size and the
/// number of cores (up to [`MOST_FORCED`]): `1` reads every log as one
/// stream. For comparing the two, and for tests on small logs.
const REGIONS_VAR: &str = "KBGEN_SCAN_REGIONS";

/// The most regions [`REGIONS_VAR`] may ask for.
const MOST_FORCED: usize = 64;

/// How far past a region's planned start its first line with a timestamp
/// is looked for; a log without one there is not cut there.
const LOOK: usize = 1 << 20;

/// Longest line tested for a timestamp at a region's start.
const STAMPED_LINE: usize = 4096;

/// Scans the text log `name` in regions side by side into `tally`, when
/// it is a file large enough for two regions or more and more than one
/// thread may work; `None` when the log is to be read as one stream.
pub(super) fn scan(
    name: &str,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> Result<Option<Format>> {
    let mut file = File::open(name).with_context(|| format!("cannot open {name}"))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {name}"))?;
    let forced_regions = std::env::var(REGIONS_VAR).ok().and_then(|v| v.parse().ok());
    let most = regions_wanted(meta.len(), rayon::current_num_threads(), forced_regions);
    if !meta.is_file() || most < 2 {
        return Ok(None);
    }
    let head = read_at(&mut file, 0, 8192).with_context(|| format!("cannot read {name}"))?;
    let format = forced.unwrap_or_else(|| input::detect(&head, name));
    if format != Format::Text || head.starts_with(&[0xff, 0xfe]) || has_layout(&head) {
        return Ok(None);
    }
    let starts =
        starts(&mut file, meta.len(), most).with_context(|| format!("cannot read {name}"))?;
    if starts.len() < 2 {
        return Ok(None);
    }
    let regions = read_regions(name, &starts, tally, on_batch, &open_region(name));
    match combine(tally, regions, super::stop::requested()) {
        Combined::Read => Ok(Some(Format::Text)),
        // Read again as one stream; `on_batch` hears of its records again.
        Combined::AsOneStream => Ok(None),
        Combined::Failed(e) => Err(e).with_context(|| format!("reading {name}")),
    }
}

/// The most regions a log of `len` bytes is read in, on `threads`
/// threads: one per thread, each of [`MIN_REGION`] or more, and
/// [`super::MOST_THREADS`] at most whatever the machine has; `forced`
/// ([`REGIONS_VAR`]) up to [`MOST_FORCED`].
fn regions_wanted(len: u64, threads: usize, forced: Option<usize>) -> usize {
    match forced {
        Some(n) => n.min(MOST_FORCED),
        None => threads
            .min((len / MIN_REGION) as usize)
            .min(super::MOST_THREADS),
    }
}

/// What the regions' tallies came to.
enum Combined {
    /// Every region was read and counted.
    Read,
    /// A region that the next one's start relies on ended in a layout:
    /// nothing was counted.
    AsOneStream,
    /// A region could not be read to its end: the regions before it and
    /// its records before the error were counted, as one stream counts
    /// the records before an error and stops.
    Failed(io::Error),
}

/// Adds the regions' tallies to `tally`, in order, up to the first that
/// failed; none when the log must be read as one stream. When Ctrl-C
/// `stopped` the reading, a stream read again would find the end at
/// once: the regions up to the first that ended in a layout are counted
/// instead (that one read its header itself; the later ones, which
/// started without it, are left out).
fn combine<'a>(
    tally: &mut Tally<'a>,
    mut regions: Vec<(Tally<'a>, io::Result<text::Ending>)>,
    stopped: bool,
) -> Combined {
    let failed = regions.iter().position(|(_, ending)| ending.is_err());
    // The regions whose ends the next region's start relies on.
    let relied_on = failed.unwrap_or(regions.len().saturating_sub(1));
    let layout = regions[..relied_on]
        .iter()
        .position(|(_, ending)| ending.as_ref().is_ok_and(|e| !e.plain));
    if let Some(k) = layout {
        if !stopped {
            return Combined::AsOneStream;
        }
        regions.truncate(k + 1);
    }
    let mut lines_before = 0;
    for (t, ending) in regions {
        tally.absorb(t, lines_before);
        match ending {
            Ok(ending) => lines_before += ending.lines,
            Err(e) => return Combined::Failed(e),
        }
    }
    Combined::Read
}

/// Opens the bytes of a log from `start` to `end` (its end when `None`).
type Open<'o> = dyn Fn(u64, Option<u64>) -> io::Result<Box<dyn Read>> + Sync + 'o;

/// [`Open`] of the file `name`, the kernel told it is read in order.
fn open_region(name: &str) -> impl Fn(u64, Option<u64>) -> io::Result<Box<dyn Read>> + Sync + '_ {
    move |start, end| {
        let mut f = File::open(name)?;
        input::read_in_order(&f, start, end.map_or(0, |e| e - start));
        f.seek(SeekFrom::Start(start))?;
        let f = super::stop::Stoppable::new(f);
        Ok(match end {
            Some(end) => Box::new(f.take(end - start)),
            None => Box::new(f),
        })
    }
}

/// Each region's tally and how it ended, in order; each region is read
/// on a thread of its own, and `on_batch` hears of them all on this one.
/// A region's tally holds its records read before any error.
fn read_regions<'a>(
    name: &str,
    starts: &[u64],
    tally: &Tally<'a>,
    on_batch: &mut dyn FnMut(u64),
    open: &Open,
) -> Vec<(Tally<'a>, io::Result<text::Ending>)> {
    let (progress, heard) = mpsc::channel::<u64>();
    std::thread::scope(|scope| {
        let threads: Vec<_> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied();
                let progress = progress.clone();
                let mut t = tally.fork(starts.len());
                scope.spawn(move || {
                    let mut told = Told::new(progress);
                    let ending = scan_region(name, open(start, end), &mut t, &mut |n| told.add(n));
                    told.flush();
                    (t, ending)
                })
            })
            .collect();
        drop(progress);
        // Ends when every region's thread has ended.
        for n in heard {
            on_batch(n);
        }
        threads
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// A region's records, sent to the thread that tells the progress line
/// a few times a second rather than after every batch: each message
/// wakes that thread, which then takes a core from the regions' threads.
struct Told {
    progress: mpsc::Sender<u64>,
    unsent: u64,
    sent: Instant,
}

/// How often a region's thread sends its count of records, at most.
const TELL_EVERY: Duration = Duration::from_millis(50);

impl Told {
    fn new(progress: mpsc::Sender<u64>) -> Told {
        Told {
            progress,
            unsent: 0,
            sent: Instant::now(),
        }
    }

    /// Counts `n` more records, and sends the count when it is time.
    fn add(&mut self, n: u64) {
        self.unsent += n;
        if self.sent.elapsed() >= TELL_EVERY {
            self.flush();
        }
    }

    /// Sends the records not sent yet.
    fn flush(&mut self) {
        if self.unsent > 0 {
            let _ = self.progress.send(self.unsent);
            self.unsent = 0;
        }
        self.sent = Instant::now();
    }
}

/// Reads one region, opened as `raw`, into `tally`.
fn scan_region(
    name: &str,
    raw: io::Result<Box<dyn Read>>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> io::Result<text::Ending> {
    let mut r = input::text_reader(BufReader::with_capacity(1 << 16, raw?))?;
    let place = Place {
        file: name.to_string(),
        lines: true,
    };
    input::batched_here(tally, place, on_batch, |out| {
        text::read_region(&mut *r, out)
    })
}

/// True when `head` shows a layout that headers set (IIS W3C, ULS) or
/// records that span lines (CMTrace): such a log is read as one stream.
fn has_layout(head: &[u8]) -> bool {
    let has = |what: &[u8]| memchr::memmem::find(head, what).is_some();
    has(b"#Fields:") || has(b"#Software:") || has(b"<![LOG[") || has(b"\tProcess")
}

/// Where each region starts: 0, then, near each `k/most` of the file, the
/// first line after a line break that starts with a timestamp. Fewer
/// regions when no such line is near a planned start.
fn starts(file: &mut File, len: u64, most: usize) -> io::Result<Vec<u64>> {
    let mut starts = vec![0];
    for k in 1..most as u64 {
        let planned = len * k / most as u64;
        let window = read_at(file, planned, LOOK)?;
        let Some(at) = first_stamped_line(&window) else {
            continue;
        };
        let start = planned + at as u64;
        if start > *starts.last().expect("0 is first") && start < len {
            starts.push(start);
        }
    }
    Ok(starts)
}

/// Where in `window` (read from anywhere in a log) the first whole line
/// that starts with a timestamp starts, after a line break.
fn first_stamped_line(window: &[u8]) -> Option<usize> {
    let mut breaks = memchr::memchr_iter(b'\n', window);
    let mut start = breaks.next()? + 1;
    for end in breaks {
        let line = &window[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() <= STAMPED_LINE
            && stamp::at_line_start(&String::from_utf8_lossy(line)).is_some()
        {
            return Some(start);
        }
        start = end + 1;
    }
    None
}

/// Up to `n` bytes of `file` from `offset` (fewer at its end).
fn read_at(file: &mut File, offset: u64, n: usize) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(n);
    file.by_ref().take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::{combine, first_stamped_line, open_region, read_regions, starts, Combined};
    use crate::scan::formats::text;
    use crate::scan::input;
    use crate::scan::report::{Filter, Place, Tally};
    use crate::scan::Signatures;
    use crate::signature::events::Aliases;
    use std::io::{self, Read, Write};

    /// The text of the log `name` read from `r` into `tally` as one stream.
    fn read_as_one_stream(tally: &mut Tally, name: &str, r: impl Read) -> io::Result<text::Ending> {
        let place = Place {
            file: name.to_string(),
            lines: true,
        };
        let mut r = std::io::BufReader::new(r);
        input::batched_here(tally, place, &mut |_| {}, |out| {
            text::read_region(&mut r, out)
        })
    }

    /// A reader that fails once it has given `left` bytes.
    struct FailAt {
        inner: Box<dyn Read>,
        left: u64,
    }

    impl Read for FailAt {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("the disk went away"));
            }
            let most = buf.len().min(self.left as usize);
            let n = self.inner.read(&mut buf[..most])?;
            self.left -= n as u64;
            Ok(n)
        }
    }

    /// A read error inside a region stops the scan there, as it stops one
    /// stream: the regions before it and its records before the error are
    /// counted, those after it are not, and the error is returned.
    #[test]
    fn a_read_error_in_a_region_counts_what_one_stream_counts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("failing.log");
        let mut text = String::new();
        for i in 0..3000 {
            let level = if i % 3 == 0 { "ERROR" } else { "INFO" };
            text.push_str(&format!(
                "2024-05-02 10:{:02}:{:02} {level} worker {} stopped\n",
                i / 60 % 60,
                i % 60,
                i % 7
            ));
        }
        std::fs::write(&path, &text).unwrap();
        let name = path.to_str().unwrap();
        let mut f = std::fs::File::open(&path).unwrap();
        let s = starts(&mut f, text.len() as u64, 3).unwrap();
        assert_eq!(s.len(), 3, "{s:?}");
        // The second region fails a third of the way in.
        let fail_at = s[1] + (s[2] - s[1]) / 3;
        let sigs = Signatures::default();
        let aliases = Aliases::default();
        let opened = open_region(name);
        let failing = |start: u64, end: Option<u64>| -> io::Result<Box<dyn Read>> {
            let inner = opened(start, end)?;
            Ok(if start == s[1] {
                Box::new(FailAt {
                    inner,
                    left: fail_at - start,
                })
            } else {
                inner
            })
        };
        let mut split = Tally::new(&sigs, &aliases, Filter::default());
        let regions = read_regions(name, &s, &split, &mut |_| {}, &failing);
        let Combined::Failed(e) = combine(&mut split, regions, false) else {
            panic!("the error was lost");
        };
        assert_eq!(e.to_string(), "the disk went away");

        let mut one = Tally::new(&sigs, &aliases, Filter::default());
        let whole = FailAt {
            inner: opened(0, None).unwrap(),
            left: fail_at,
        };
        assert!(read_as_one_stream(&mut one, name, whole).is_err());
        let (split, one) = (split.finish(100), one.finish(100));
        assert!(one.records > 1000 && one.records < 2000, "{}", one.records);
        assert_eq!(
            serde_json::to_string(&split).unwrap(),
            serde_json::to_string(&one).unwrap()
        );
    }

    /// A log that meets an IIS header in its second region is read again
    /// as one stream; after Ctrl-C, when a stream read again would find
    /// the end at once, the first two regions count what one stream
    /// counts of their bytes, and the third, read without the header's
    /// layout, is left out.
    #[test]
    fn after_ctrl_c_a_layout_met_in_a_region_keeps_the_regions_up_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mixed.log");
        let mut text = String::new();
        for i in 0..3000 {
            if i == 1300 {
                text.push_str(
                    "#Software: Microsoft Internet Information Services 10.0\n\
                     #Fields: date time s-ip cs-method cs-uri-stem sc-status sc-win32-status\n",
                );
            }
            let (m, s) = (i / 60 % 60, i % 60);
            if i < 1300 {
                text.push_str(&format!(
                    "2024-05-02 10:{m:02}:{s:02} ERROR worker {} stopped\n",
                    i % 7
                ));
            } else {
                text.push_str(&format!(
                    "2024-05-02 11:{m:02}:{s:02} 10.1.2.3 GET /shop/{i} 500 5\n"
                ));
            }
        }
        std::fs::write(&path, &text).unwrap();
        let name = path.to_str().unwrap();
        let mut f = std::fs::File::open(&path).unwrap();
        let s = starts(&mut f, text.len() as u64, 3).unwrap();
        assert_eq!(s.len(), 3, "{s:?}");
        let header = text.find("#Software").unwrap() as u64;
        assert!(s[1] < header && header < s[2], "{s:?} {header}");
        let sigs = Signatures::default();
        let aliases = Aliases::default();
        let tally = || Tally::new(&sigs, &aliases, Filter::default());

        let mut split = tally();
        let regions = read_regions(name, &s, &split, &mut |_| {}, &open_region(name));
        assert!(matches!(
            combine(&mut split, regions, false),
            Combined::AsOneStream
        ));

        let mut split = tally();
        let regions = read_regions(name, &s, &split, &mut |_| {}, &open_region(name));
        assert!(matches!(combine(&mut split, regions, true), Combined::Read));
        let mut one = tally();
        let first_two = open_region(name)(0, Some(s[2])).unwrap();
        read_as_one_stream(&mut one, name, first_two).unwrap();
        let (split, one) = (split.finish(100), one.finish(100));
        assert!(one.records > 1000 && one.records < 3000, "{}", one.records);
        assert_eq!(
            serde_json::to_string(&split).unwrap(),
            serde_json::to_string(&one).unwrap()
        );
    }

    /// One region per thread and per 16 MiB, four at most on a machine
    /// of many cores (each matching thread keeps caches of its own).
    #[test]
    fn a_log_is_read_in_four_regions_at_most() {
        use super::{regions_wanted, MIN_REGION};
        let gib = 1 << 30;
        assert_eq!(regions_wanted(gib, 2, None), 2);
        assert_eq!(regions_wanted(gib, 64, None), crate::scan::MOST_THREADS);
        assert_eq!(crate::scan::MOST_THREADS, 4);
        assert_eq!(regions_wanted(3 * MIN_REGION - 1, 64, None), 2);
        assert_eq!(regions_wanted(MIN_REGION, 8, None), 1);
        assert_eq!(regions_wanted(gib, 1, None), 1);
        assert_eq!(regions_wanted(10, 2, Some(7)), 7);
        assert_eq!(regions_wanted(gib, 2, Some(1000)), 64);
    }

    #[test]
    fn a_region_starts_at_a_whole_line_with_a_timestamp() {
        let w = b"ed line\n\tat x.y(Z.java:1)\r\n2024-05-02 10:00:01 ERROR a\r\nrest";
        let at = first_stamped_line(w).unwrap();
        assert!(w[at..].starts_with(b"2024-05-02 10:00:01"));
        // Cut inside a stamp: the next whole line is taken.
        let w = b"-02 10:00:01 ERROR a\n2024-05-02 10:00:02 ERROR b\n";
        assert!(w[first_stamped_line(w).unwrap()..].starts_with(b"2024-05-02 10:00:02"));
        // The line must end inside the window, and a stamp must start it.
        assert_eq!(first_stamped_line(b"x\n2024-05-02 10:00:01 ERROR a"), None);
        assert_eq!(first_stamped_line(b"x\n  2024-05-02 10:00:01 a\n"), None);
    }

    #[test]
    fn regions_start_after_a_line_break_in_increasing_order() {
        let mut f = tempfile::tempfile().unwrap();
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!(
                "2024-05-02 10:{:02}:{:02} INFO line {i}\n",
                i / 60 % 60,
                i % 60
            ));
            if i % 3 == 0 {
                text.push_str("\tat a continuation line\n");
            }
        }
        f.write_all(text.as_bytes()).unwrap();
        let len = text.len() as u64;
        let s = starts(&mut f, len, 4).unwrap();
        assert_eq!(s.len(), 4, "{s:?}");
        assert_eq!(s[0], 0);
        for w in s.windows(2) {
            assert!(w[0] < w[1]);
        }
        for &at in &s[1..] {
            let at = at as usize;
            assert_eq!(text.as_bytes()[at - 1], b'\n');
            assert!(
                text[at..].starts_with("2024-05-02 "),
                "{}",
                &text[at..at + 30]
            );
        }
        // A log without timestamps is one region.
        let mut plain = tempfile::tempfile().unwrap();
        plain
            .write_all("no time here\n".repeat(10_000).as_bytes())
            .unwrap();
        assert_eq!(starts(&mut plain, 13 * 10_000, 4).unwrap(), vec![0]);
    }
}
