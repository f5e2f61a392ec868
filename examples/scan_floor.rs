//! The floor under `kbgen scan` of a text log: the least any scan that
//! groups a log's lines by their shape must do. It reads the log in
//! parts side by side (one per core, as kbgen reads a file's regions),
//! 256 KiB at a time; finds each line's end; checks the text is UTF-8;
//! masks the digits of each line, 32 bytes at a time as kbgen's skeleton
//! does, and the letters of its GUIDs (else each line with a GUID would be
//! a shape of its own); and counts each masked line in a hash table. No timestamps, no
//! levels, no records across lines, no matching: what is left when every
//! line costs one table lookup.
//!
//! `scripts/bench-scan.py` runs it beside `cat` and `kbgen scan`.
//!
//! ```sh
//! cargo run --release --example scan_floor -- /tmp/bench.log
//! ```

use rustc_hash::FxHashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::time::Instant;

/// Bytes read at a time.
const READ: usize = 256 * 1024;
/// Bytes masked per step.
const BLOCK: usize = 32;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: scan_floor LOG");
        std::process::exit(2);
    };
    let started = Instant::now();
    match scan(&path) {
        Ok((lines, shapes)) => {
            let secs = started.elapsed().as_secs_f64();
            let mib = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / f64::from(1 << 20));
            println!(
                "{lines} lines, {shapes} shapes, {secs:.2} s, {:.0} MiB/s",
                mib / secs
            );
        }
        Err(e) => {
            eprintln!("scan_floor: {path}: {e}");
            std::process::exit(2);
        }
    }
}

/// The log's lines, and its distinct shapes summed over the parts.
fn scan(path: &str) -> io::Result<(u64, usize)> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let mut cuts: Vec<u64> = (0..parts).map(|i| len * i / parts).collect();
    cuts.push(len);
    // Each part starts after a line break, as kbgen's regions do.
    for cut in cuts.iter_mut().skip(1).take(parts as usize - 1) {
        *cut = next_line_start(&file, *cut, len)?;
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let file = &file;
                let (from, to) = (w[0], w[1]);
                s.spawn(move || scan_part(file, from, to))
            })
            .collect();
        let mut total = (0, 0);
        for h in handles {
            let (lines, shapes) = h.join().expect("a part's thread")?;
            total.0 += lines;
            total.1 += shapes;
        }
        Ok(total)
    })
}

/// Where the first line at or after `at` starts.
fn next_line_start(file: &File, mut at: u64, len: u64) -> io::Result<u64> {
    let mut buf = vec![0u8; 4096];
    while at < len {
        let n = file.read_at(&mut buf, at)?;
        if n == 0 {
            break;
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(at + i as u64 + 1);
        }
        at += n as u64;
    }
    Ok(len)
}

/// The lines of `from..to` and their distinct shapes.
fn scan_part(file: &File, from: u64, to: u64) -> io::Result<(u64, usize)> {
    let mut counts: FxHashMap<Box<[u8]>, u64> = FxHashMap::default();
    let mut buf = vec![0u8; 2 * READ];
    let mut masked = Vec::new();
    let (mut kept, mut at, mut lines) = (0, from, 0u64);
    while at < to {
        let want = READ.min((to - at) as usize);
        let n = file.read_at(&mut buf[kept..kept + want], at)?;
        if n == 0 {
            break;
        }
        at += n as u64;
        let filled = kept + n;
        let whole = if at >= to {
            filled
        } else {
            memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1)
        };
        let text = simdutf8::basic::from_utf8(&buf[..whole])
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8"))?;
        let bytes = text.as_bytes();
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', bytes)
            .chain((whole > 0 && bytes[whole - 1] != b'\n').then_some(whole));
        for end in ends {
            let line = &bytes[start..end];
            start = end + 1;
            lines += 1;
            mask_digits(line, &mut masked);
            mask_guids(line, &mut masked);
            match counts.get_mut(masked.as_slice()) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(masked.as_slice().into(), 1);
                }
            }
        }
        buf.copy_within(whole..filled, 0);
        kept = filled - whole;
        if kept + READ > buf.len() {
            buf.resize(kept + READ, 0);
        }
    }
    Ok((lines, counts.len()))
}

/// `b` with each digit as `#`, a block at a time (vector code).
fn mask_digits(b: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut blocks = b.chunks_exact(BLOCK);
    for block in &mut blocks {
        let mut m = [0u8; BLOCK];
        for (m, &c) in m.iter_mut().zip(block) {
            *m = if c.is_ascii_digit() { b'#' } else { c };
        }
        out.extend_from_slice(&m);
    }
    out.extend(
        blocks
            .remainder()
            .iter()
            .map(|&c| if c.is_ascii_digit() { b'#' } else { c }),
    );
}

/// Masks in `out` the letters of every GUID (8-4-4-4-12 hex digits) of
/// `line`, found from its dashes.
fn mask_guids(line: &[u8], out: &mut [u8]) {
    let dash = |i: usize| line.get(i) == Some(&b'-');
    for d in memchr::memchr_iter(b'-', line) {
        let Some(start) = d.checked_sub(8) else {
            continue;
        };
        if !(dash(d + 5) && dash(d + 10) && dash(d + 15)) {
            continue;
        }
        let Some(guid) = line.get(start..start + 36) else {
            continue;
        };
        if guid
            .iter()
            .enumerate()
            .all(|(i, &c)| matches!(i, 8 | 13 | 18 | 23) || c.is_ascii_hexdigit())
        {
            for k in (start..start + 36).filter(|&k| line[k] != b'-') {
                out[k] = b'#';
            }
        }
    }
}
