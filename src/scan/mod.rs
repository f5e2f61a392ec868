//! `kbgen scan`: which known problems are in a log. A log (a file or
//! stdin, in any format [`input::detect`] tells, gzip-compressed or not:
//! [`gzip`]; or each log of a zip or tar file: [`bundle`]) is read a
//! record at a time; each record is matched against
//! the knowledge base's signatures — event key, codes, message templates
//! ([`matcher`]) — read from the built site ([`kb`]); the matches are
//! tallied per article and the records that match nothing are counted
//! under their event key or error line
//! ([`report`], [`unmatched`]).
//!
//! Memory stays bounded whatever the log's size: lines and records have a
//! maximum length, records are matched in batches, and the unmatched keys
//! are counted in a bounded table. Each thread that matches keeps caches
//! of its own (token classes, stems, template terms), so a scan uses
//! [`MOST_THREADS`] threads at most, whatever the number of cores.

pub mod bundle;
mod byteset;
pub mod formats;
pub mod gzip;
pub mod input;
pub mod kb;
pub mod matcher;
pub mod prefilter;
pub mod record;
mod regions;
pub mod report;
pub mod shapes;
mod skip_notes;
pub mod stamp;
pub mod stop;
pub mod terms;
pub mod unmatched;

#[cfg(test)]
mod tests;

use anyhow::{Context, Result};
use bundle::Bundle;
use input::Format;
use report::{Place, Tally};
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::OnceLock;

pub use kb::Signatures;
pub use report::{Filter, Report};

/// The most threads a scan matches on (and regions a log is read in). A
/// thread's caches take up to about 20 MB on a log of endless new words,
/// so memory stays under 200 MB on any machine, and two cores already
/// scan a gigabyte in about two seconds (README, "Scanning a log").
pub const MOST_THREADS: usize = 4;

/// Runs `f`, a scan, on a pool of [`MOST_THREADS`] threads at most, made
/// once and kept (a server scans again with the same threads and their
/// caches); on every core when no pool can be made.
pub fn on_scan_threads<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    in_pool(&POOL, "kbgen-scan", f)
}

/// Runs `f`, the matching of a log read as one stream, on a pool of its
/// own of [`MOST_THREADS`] threads at most. Its reader holds a thread of
/// the scan's pool ([`on_scan_threads`]) for as long as it reads, so the
/// matching cannot wait for a thread there (two scans at once on two
/// threads would each wait for the other's reader); and on a thread of no
/// pool it would run on rayon's global pool, a thread per core.
pub(crate) fn on_match_threads<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    in_pool(&POOL, "kbgen-match", f)
}

/// Runs `f` on the pool kept in `pool`, made at the first call with
/// threads named `name-0`, `name-1`…; on this thread when it cannot be made.
fn in_pool<R: Send>(
    pool: &OnceLock<Option<rayon::ThreadPool>>,
    name: &'static str,
    f: impl FnOnce() -> R + Send,
) -> R {
    let pool = pool.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads().min(MOST_THREADS))
            .thread_name(move |i| format!("{name}-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Scans one input (`-` for stdin) into `tally`, in the `forced` format
/// or the one its content tells; `on_batch` hears how many records each
/// batch held. An error means the input could not be read at all; damage
/// inside a readable input is noted in the report's `skipped`.
pub fn scan_input(
    name: &str,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> Result<()> {
    if name == "-" {
        let stdin = Box::new(stop::Stoppable::new(std::io::stdin().lock()));
        return scan_stream(name, stdin, forced, tally, on_batch, u64::MAX);
    }
    if std::fs::metadata(name).is_ok_and(|m| m.is_dir()) {
        return scan_folder(name, forced, tally, on_batch);
    }
    scan_path(name, forced, tally, on_batch, false)
}

/// Scans the file `name`; one that is binary is noted in `skipped` when
/// `in_folder` (met in a folder, not named), else read as text.
fn scan_path(
    name: &str,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
    in_folder: bool,
) -> Result<()> {
    let mut file = std::fs::File::open(name).with_context(|| format!("cannot open {name}"))?;
    // A named pipe (`kbgen scan <(ssh host journalctl)`) or a device can
    // be read once only: its head, read here to tell its format, would be
    // lost to a second opening. It is read as stdin is.
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {name}"))?;
    if !meta.is_file() {
        let file = Box::new(stop::Stoppable::new(file));
        return scan_stream(name, file, forced, tally, on_batch, u64::MAX);
    }
    let mut head = [0u8; bundle::HEAD];
    let n = read_head(&mut file, &mut head).with_context(|| format!("cannot read {name}"))?;
    let head = &head[..n];
    if gzip::is_gzip(head) {
        let file = open_to_read(name)?;
        return scan_gzip(name, Box::new(file), u64::MAX, forced, tally, on_batch);
    }
    match bundle::bundle_of(head) {
        Some(Bundle::Zip) => {
            let file = BufReader::new(open_to_read(name)?);
            return members(name, forced, tally, on_batch, u64::MAX).zip(file);
        }
        Some(Bundle::Tar) => {
            let file = Box::new(open_to_read(name)?);
            return members(name, forced, tally, on_batch, u64::MAX).tar(file);
        }
        None => refuse_packed(name, head)?,
    }
    if in_folder && bundle::is_binary(head) {
        tally.skip(report::Skipped {
            file: name.to_string(),
            at: String::new(),
            reason: bundle::BINARY.into(),
        });
        return Ok(());
    }
    let evtx = head.starts_with(b"ElfFile\0");
    if forced.is_some_and(|f| f != Format::Evtx) {
        return scan_file(name, forced, tally, on_batch).map(drop);
    }
    if forced == Some(Format::Evtx) && !evtx {
        anyhow::bail!(not_evtx(name));
    }
    if evtx {
        let file = open_to_read(name)?;
        let place = Place {
            file: name.to_string(),
            lines: false,
        };
        input::batched(tally, place, on_batch, |out| {
            formats::evtx::read(BufReader::new(file), out)
        })?;
        return Ok(());
    }
    scan_file(name, None, tally, on_batch).map(drop)
}

/// Scans every file under the folder `name` (a bundle unpacked, a copy
/// of `/var/log`), in the order of their paths, as the files of a bundle
/// are scanned: a binary file, or one that cannot be read, is noted in
/// `skipped` and the others are still scanned. Links are not followed
/// ([`not_read_in_folder`]).
fn scan_folder(
    name: &str,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> Result<()> {
    let skip = |tally: &mut Tally, file: String, reason: String| {
        tally.skip(report::Skipped {
            file,
            at: String::new(),
            reason,
        })
    };
    // Where links inside the folder lead (found once, not per link).
    let root = std::fs::canonicalize(name).ok();
    for entry in walkdir::WalkDir::new(name).sort_by_file_name() {
        stop::check()?;
        let entry = match entry {
            Ok(e) => e,
            // The folder itself: an unreadable input.
            Err(e) if e.depth() == 0 => {
                return Err(e).with_context(|| format!("cannot read {name}"))
            }
            Err(e) => {
                let file = e
                    .path()
                    .map_or(name.to_string(), |p| p.display().to_string());
                skip(
                    tally,
                    file,
                    format!("it cannot be read ({e}); check its permissions"),
                );
                continue;
            }
        };
        let path = entry.path().to_string_lossy().into_owned();
        if !entry.file_type().is_file() {
            if let Some(reason) = not_read_in_folder(&entry, root.as_deref()) {
                skip(tally, path, reason);
            }
            continue;
        }
        if let Err(e) = scan_path(&path, forced, tally, on_batch, true) {
            skip(tally, path, format!("{e:#}"));
        }
    }
    Ok(())
}

/// Why a folder's entry that is neither a file nor a folder is not read,
/// or `None` when nothing is lost by passing it over: a link to a file
/// or folder inside `folder` (its path with links resolved), scanned
/// there. A link is not followed, so
/// a scan stays inside its folder and reads each file once; one leading
/// out is named with its target, which can be scanned by name. A named
/// pipe, a socket or a device may wait for ever for a writer: it too is
/// read only when named.
fn not_read_in_folder(entry: &walkdir::DirEntry, folder: Option<&Path>) -> Option<String> {
    let kind = entry.file_type();
    if kind.is_dir() {
        return None;
    }
    if kind.is_symlink() {
        let target = std::fs::read_link(entry.path())
            .map_or_else(|_| "?".to_string(), |t| t.display().to_string());
        let Ok(resolved) = std::fs::canonicalize(entry.path()) else {
            return Some(format!("a link to {target}, which does not exist"));
        };
        let inside = folder.is_some_and(|f| resolved.starts_with(f));
        let to = resolved.display();
        return (!inside).then(|| {
            format!("a link to {to}, outside the folder: links are not followed; scan {to} by name to include it")
        });
    }
    Some(format!(
        "{}, which is read only when named (it may wait for ever for a writer): scan it by name to read it",
        special_file(kind)
    ))
}

/// What a file that is neither a regular file, a folder nor a link is.
fn special_file(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

/// How the files of the bundle `name` are scanned, `most` bytes of text
/// in all.
fn members<'t, 'a, 's>(
    name: &'a str,
    forced: Option<Format>,
    tally: &'t mut Tally<'s>,
    on_batch: &'a mut dyn FnMut(u64),
    most: u64,
) -> bundle::Members<'t, 'a, 's> {
    bundle::Members {
        archive: name,
        forced,
        tally,
        on_batch,
        most,
        left: std::rc::Rc::new(std::cell::Cell::new(most)),
    }
}

/// An error when `head` starts an archive or a compressed file that is
/// not unpacked, saying how to unpack it.
fn refuse_packed(name: &str, head: &[u8]) -> Result<()> {
    match bundle::not_unpacked(head) {
        Some((what, tool)) => anyhow::bail!(
            "{name} is {what}, which kbgen scan does not unpack; unpack it with {tool} and scan the logs in it"
        ),
        None => Ok(()),
    }
}

/// Scans a file that is no `.evtx` file: in regions side by side when
/// it can be, else as one stream.
fn scan_file(
    name: &str,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> Result<Format> {
    let mut told = Retold::default();
    let mut first = |n: u64| on_batch(told.first(n));
    if let Some(format) = regions::scan(name, forced, tally, &mut first)? {
        return Ok(format);
    }
    let file = open_to_read(name)?;
    let mut again = |n: u64| match told.again(n) {
        0 => {}
        n => on_batch(n),
    };
    scan_reader(name, Box::new(file), forced, tally, &mut again)
}

/// The records a progress line was told of by a first reading that was
/// given up (regions that met a layout), so that the reading again tells
/// it only of the records past those: it counts every record once.
#[derive(Debug, Default)]
struct Retold {
    told: u64,
}

impl Retold {
    /// `n` records of the first reading, all to be told.
    fn first(&mut self, n: u64) -> u64 {
        self.told += n;
        n
    }

    /// How many of `n` records of the reading again are to be told.
    fn again(&mut self, n: u64) -> u64 {
        let known = n.min(self.told);
        self.told -= known;
        n - known
    }
}

/// `name` opened to be read once, from start to end, until Ctrl-C.
fn open_to_read(name: &str) -> Result<stop::Stoppable<std::fs::File>> {
    let file = std::fs::File::open(name).with_context(|| format!("cannot open {name}"))?;
    input::read_in_order(&file, 0, 0);
    Ok(stop::Stoppable::new(file))
}

/// Why `name` cannot be read as `.evtx`, and what to do.
fn not_evtx(name: &str) -> String {
    format!(
        "{name} is not an event log file (it does not start with `ElfFile`); \
         export the log again with Event Viewer or `wevtutil epl`, or give its format with --format"
    )
}

/// Scans a stream that cannot seek (stdin, an HTTP body): a gzip stream
/// is decompressed as it is read (`most_text` bytes of text at most), an
/// `.evtx` file is read into memory first (its parser seeks), any other
/// format streams.
pub fn scan_stream<'r>(
    name: &str,
    raw: Box<dyn Read + 'r>,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
    most_text: u64,
) -> Result<()> {
    let mut r = input::buffered(raw).with_context(|| format!("cannot read {name}"))?;
    let head = input::peek(&mut r).with_context(|| format!("cannot read {name}"))?;
    if gzip::is_gzip(&head) {
        return scan_gzip(name, Box::new(r), most_text, forced, tally, on_batch);
    }
    match bundle::bundle_of(&head) {
        Some(Bundle::Zip) => {
            let bytes = bundle::read_whole(&mut r, most_text, name)?;
            let zip = std::io::Cursor::new(bytes);
            members(name, forced, tally, on_batch, most_text).zip(zip)
        }
        Some(Bundle::Tar) => members(name, forced, tally, on_batch, most_text).tar(Box::new(r)),
        None => {
            refuse_packed(name, &head)?;
            scan_uncompressed(name, r, forced, tally, on_batch).map(drop)
        }
    }
}

/// Scans the text of a gzip stream (one layer: a gzip file inside is
/// read as it is, a tar file's logs are scanned), and notes in `skipped`
/// where it broke off, if it did.
fn scan_gzip<'r>(
    name: &str,
    compressed: Box<dyn Read + 'r>,
    most_text: u64,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> Result<()> {
    let (text, broke) = gzip::Gunzip::new(compressed, most_text);
    let mut r = input::buffered(Box::new(text)).with_context(|| format!("cannot read {name}"))?;
    let head = input::peek(&mut r).with_context(|| format!("cannot read {name}"))?;
    if bundle::bundle_of(&head) == Some(Bundle::Tar) {
        members(name, forced, tally, on_batch, most_text).tar(Box::new(r))?;
    } else {
        scan_uncompressed(name, r, forced, tally, on_batch)?;
    }
    if let Some(b) = broke.borrow_mut().take() {
        tally.skip(gzip::skipped(&b, name.to_string()));
    }
    Ok(())
}

/// [`scan_stream`] of a stream known not to be gzip.
fn scan_uncompressed<'r>(
    name: &str,
    mut r: BufReader<Box<dyn Read + 'r>>,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> Result<Format> {
    let evtx = input::peek(&mut r)
        .with_context(|| format!("cannot read {name}"))?
        .starts_with(b"ElfFile\0");
    if forced == Some(Format::Evtx) && !evtx {
        anyhow::bail!(not_evtx(name));
    }
    if evtx && forced.is_none_or(|f| f == Format::Evtx) {
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes)
            .with_context(|| format!("reading {name}"))?;
        let place = Place {
            file: name.to_string(),
            lines: false,
        };
        input::batched(tally, place, on_batch, |out| {
            formats::evtx::read_buffer(bytes, out)
        })?;
        return Ok(Format::Evtx);
    }
    scan_reader(name, Box::new(r), forced, tally, on_batch)
}

/// Fills `buf` as far as the file allows; the number of bytes read.
fn read_head(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Scans a non-evtx stream in the `forced` format, or the one its first
/// bytes tell.
fn scan_reader<'r>(
    name: &str,
    raw: Box<dyn Read + 'r>,
    forced: Option<Format>,
    tally: &mut Tally,
    on_batch: &mut dyn FnMut(u64),
) -> Result<Format> {
    let mut r = input::text_reader(BufReader::with_capacity(1 << 16, raw))
        .with_context(|| format!("cannot read {name}"))?;
    let head = input::peek(&mut *r).with_context(|| format!("cannot read {name}"))?;
    let format = forced.unwrap_or_else(|| input::detect(&head, name));
    let place = Place {
        file: name.to_string(),
        lines: matches!(format, Format::Text | Format::Table(_) | Format::Blocks),
    };
    if format == Format::Evtx {
        anyhow::bail!(not_evtx(name));
    }
    let read = input::batched(tally, place, on_batch, |out| match format {
        Format::Evtx => unreachable!("told apart above"),
        Format::EventXml => formats::event_xml::read(&mut *r, out),
        Format::Json => formats::json::read(&mut *r, out),
        Format::Table(sep) => formats::table::read(&mut *r, sep, out),
        Format::Blocks => formats::blocks::read(&mut *r, out),
        Format::Text => formats::text::read(&mut *r, out),
    });
    read.with_context(|| format!("reading {name}"))?;
    Ok(format)
}
