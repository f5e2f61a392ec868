//! Timestamps as logs write them: ISO 8601 (and CBS.log, IIS W3C, which
//! start that way), US dates (`2/19/2024 11:03:52 AM`, ULS's
//! `02/19/2024 11:03:52.12`, CMTrace's `02-19-2024`), syslog's
//! `Feb 19 11:03:52` (no year), and epoch microseconds (journald).
//!
//! Hand-written byte parsers rather than regexes: every line of a
//! gigabyte log goes through [`at_line_start`]. The time zone is not
//! converted: a stamp is shown and compared as the log wrote it.

use std::cmp::Ordering;
use std::fmt;

/// A point in time as a log wrote it. `year` 0 means the log gave none (syslog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    millis: u16,
}

impl Stamp {
    /// Order of two stamps; one without a year is compared on the rest only
    /// (what `--since` asks of a syslog line).
    pub fn compare(&self, other: &Stamp) -> Ordering {
        if self.year == 0 || other.year == 0 {
            return self.rest().cmp(&other.rest());
        }
        self.order(other)
    }

    /// The order of a report's first and last times: by year, then the
    /// rest, so a stamp without a year comes before any with one. Unlike
    /// [`Stamp::compare`] it is transitive when a log mixes the two, so
    /// times folded batch by batch, or region by region, come out the same
    /// in any grouping.
    pub fn order(&self, other: &Stamp) -> Ordering {
        (self.year, self.rest()).cmp(&(other.year, other.rest()))
    }

    fn rest(&self) -> (u8, u8, u8, u8, u8, u16) {
        (
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.millis,
        )
    }

    /// False for syslog's stamps, which give no year.
    pub fn has_year(&self) -> bool {
        self.year != 0
    }

    /// Microseconds since 1970-01-01 UTC (journald's `__REALTIME_TIMESTAMP`).
    pub fn from_epoch_micros(us: u64) -> Stamp {
        let secs = us / 1_000_000;
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        Stamp {
            year: year as u16,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem / 60 % 60) as u8,
            second: (rem % 60) as u8,
            millis: (us / 1000 % 1000) as u16,
        }
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year == 0 {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let m = MONTHS[usize::from(self.month.clamp(1, 12)) - 1];
            write!(f, "{m} {:2} ", self.day)?;
        } else {
            write!(f, "{:04}-{:02}-{:02}T", self.year, self.month, self.day)?;
        }
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        if self.millis > 0 {
            write!(f, ".{:03}", self.millis)?;
        }
        Ok(())
    }
}

/// A stamp at the start of `s` (after an optional `[`), and the bytes it
/// takes, zone and closing `]` included.
pub fn at_line_start(s: &str) -> Option<(Stamp, usize)> {
    let b = s.as_bytes();
    let open = usize::from(b.first() == Some(&b'['));
    let rest = &b[open..];
    let first = *rest.first()?;
    let (stamp, mut len) = if first.is_ascii_digit() {
        iso(rest).or_else(|| us(rest))?
    } else if first.is_ascii_uppercase() {
        syslog(rest)?
    } else {
        return None;
    };
    len += open;
    if open == 1 && b.get(len) == Some(&b']') {
        len += 1;
    }
    Some((stamp, len))
}

/// The last moment `--until` (or `?until=`) keeps: the time as written,
/// or for a date alone the end of that day, so that `--since 2024-02-19
/// --until 2024-02-19` keeps the whole day.
pub fn parse_until(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if let Some((stamp, _)) = at_line_start(s) {
        return Some(stamp);
    }
    parse(s).map(|day| Stamp {
        hour: 23,
        minute: 59,
        second: 59,
        millis: 999,
        ..day
    })
}

/// A stamp written anywhere a whole field holds one (`Date:`, a CSV
/// column, `--since`); a date alone means its midnight.
pub fn parse(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if let Some((stamp, _)) = at_line_start(s) {
        return Some(stamp);
    }
    let b = s.as_bytes();
    let (y, m, d, _) = ymd(b).or_else(|| mdy(b))?;
    valid(Stamp {
        year: y,
        month: m,
        day: d,
        ..Stamp::default()
    })
}

fn num(b: &[u8], at: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let n = b[at.min(b.len())..]
        .iter()
        .take(max)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n < min {
        return None;
    }
    let v = b[at..at + n]
        .iter()
        .fold(0u32, |v, c| v * 10 + u32::from(c - b'0'));
    Some((v, at + n))
}

fn byte(b: &[u8], at: usize, set: &[u8]) -> Option<usize> {
    b.get(at).filter(|c| set.contains(c)).map(|_| at + 1)
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`; (year, month, day, end).
fn ymd(b: &[u8]) -> Option<(u16, u8, u8, usize)> {
    let (y, i) = num(b, 0, 4, 4)?;
    let i = byte(b, i, b"-/")?;
    let (m, i) = num(b, i, 1, 2)?;
    let i = byte(b, i, b"-/")?;
    let (d, i) = num(b, i, 1, 2)?;
    Some((y as u16, m as u8, d as u8, i))
}

/// `M/D/YYYY` or `MM-DD-YYYY`; (year, month, day, end).
fn mdy(b: &[u8]) -> Option<(u16, u8, u8, usize)> {
    let (m, i) = num(b, 0, 1, 2)?;
    let i = byte(b, i, b"/-")?;
    let (d, i) = num(b, i, 1, 2)?;
    let i = byte(b, i, b"/-")?;
    let (y, i) = num(b, i, 4, 4)?;
    Some((y as u16, m as u8, d as u8, i))
}

/// `HH:MM[:SS][.fff|,fff]` at `at`; the stamp's time fields and the end.
fn time(b: &[u8], at: usize, mut s: Stamp) -> Option<(Stamp, usize)> {
    let (h, i) = num(b, at, 1, 2)?;
    let i = byte(b, i, b":")?;
    let (mi, mut i) = num(b, i, 2, 2)?;
    s.hour = h as u8;
    s.minute = mi as u8;
    if let Some(j) = byte(b, i, b":") {
        let (sec, j) = num(b, j, 2, 2)?;
        s.second = sec as u8;
        i = j;
        if let Some((frac, j)) = byte(b, i, b".,").and_then(|j| num(b, j, 1, 9)) {
            let digits = j - i - 1;
            let ms = match digits {
                1 => frac * 100,
                2 => frac * 10,
                3 => frac,
                n => frac / 10u32.pow(n as u32 - 3),
            };
            s.millis = ms as u16;
            i = j;
        }
    }
    Some((s, i))
}

fn iso(b: &[u8]) -> Option<(Stamp, usize)> {
    iso_seconds(b).or_else(|| iso_any(b))
}

/// [`iso`] of any of its forms.
fn iso_any(b: &[u8]) -> Option<(Stamp, usize)> {
    let (y, m, d, i) = ymd(b)?;
    let i = byte(b, i, b"T ")?;
    let base = Stamp {
        year: y,
        month: m,
        day: d,
        ..Stamp::default()
    };
    let (s, mut i) = time(b, i, base)?;
    // Zone: `Z`, `+01:00`, `-0800`.
    if b.get(i) == Some(&b'Z') {
        i += 1;
    } else if matches!(b.get(i), Some(b'+' | b'-')) {
        if let Some((_, j)) = num(b, i + 1, 2, 4) {
            i = j;
            if let Some((_, k)) = byte(b, i, b":").and_then(|k| num(b, k, 2, 2)) {
                i = k;
            }
        }
    }
    Some((valid(s)?, i))
}

/// [`iso`] of the most common form, `2024-02-19 11:03:52` (or with `T`)
/// and nothing of the stamp after it, read at fixed places; `None` for any
/// other form, which [`iso`] then reads.
fn iso_seconds(b: &[u8]) -> Option<(Stamp, usize)> {
    let f: &[u8; 19] = b.get(..19)?.try_into().ok()?;
    // `YYYY-MM-` and `hh:mm:ss` each tested as one 8-byte number (asked
    // of every line of most logs).
    let eight = |at: usize| u64::from_le_bytes(f[at..at + 8].try_into().expect("eight bytes"));
    let laid_out = laid_out(eight(0), DATE_DIGITS, DATE_DASHES, b'-')
        && f[8].is_ascii_digit()
        && f[9].is_ascii_digit()
        && matches!(f[10], b'T' | b' ')
        && laid_out(eight(11), TIME_DIGITS, TIME_COLONS, b':');
    // A fraction or a zone after the seconds: the general reading. A `,`
    // or `.` without digits after it is no fraction (CBS.log writes
    // `2024-02-19 11:03:52, Info`).
    let fraction =
        matches!(b.get(19), Some(b'.' | b',')) && b.get(20).is_some_and(u8::is_ascii_digit);
    if !laid_out || fraction || matches!(b.get(19), Some(b'Z' | b'+' | b'-')) {
        return None;
    }
    let two = |at: usize| (f[at] - b'0') * 10 + (f[at + 1] - b'0');
    let year = f[..4]
        .iter()
        .fold(0u16, |v, &c| v * 10 + u16::from(c - b'0'));
    let s = Stamp {
        year,
        month: two(5),
        day: two(8),
        hour: two(11),
        minute: two(14),
        second: two(17),
        millis: 0,
    };
    Some((valid(s)?, 19))
}

/// The bytes of `YYYY-MM-` that are digits, and those that are dashes,
/// as masks of an 8-byte number read little-endian (byte 0 lowest).
const DATE_DIGITS: u64 = 0x00ff_ff00_ffff_ffff;
const DATE_DASHES: u64 = 0xff00_00ff_0000_0000;
/// The same of `hh:mm:ss`.
const TIME_DIGITS: u64 = 0xffff_00ff_ff00_ffff;
const TIME_COLONS: u64 = 0x0000_ff00_00ff_0000;

/// True when the bytes of `x` under `digits` are ASCII digits and those
/// under `seps` are `sep`. A byte is a digit when its high half is 3 and
/// it stays below `0x3a` with 6 added (no carry reaches the next byte
/// unless the high half was already wrong).
fn laid_out(x: u64, digits: u64, seps: u64, sep: u8) -> bool {
    const ONES: u64 = u64::MAX / 255;
    let high = (ONES * 0xf0) & digits;
    let three = (ONES * 0x30) & digits;
    let d = x & digits;
    d & high == three
        && d.wrapping_add((ONES * 6) & digits) & high == three
        && x & seps == (ONES * u64::from(sep)) & seps
}

fn us(b: &[u8]) -> Option<(Stamp, usize)> {
    let (y, m, d, i) = mdy(b)?;
    let i = byte(b, i, b" ")?;
    let base = Stamp {
        year: y,
        month: m,
        day: d,
        ..Stamp::default()
    };
    let (mut s, mut i) = time(b, i, base)?;
    let ampm = |at: usize| b.get(at..at + 2).map(|w| w.to_ascii_uppercase());
    if b.get(i) == Some(&b' ') {
        match ampm(i + 1).as_deref() {
            Some(b"PM") if s.hour < 12 => (s.hour += 12, i += 3).1,
            Some(b"AM") if s.hour == 12 => (s.hour = 0, i += 3).1,
            Some(b"AM" | b"PM") => i += 3,
            _ => {}
        }
    }
    Some((valid(s)?, i))
}

fn syslog(b: &[u8]) -> Option<(Stamp, usize)> {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let month = MONTHS.iter().position(|m| b.starts_with(m))? as u8 + 1;
    let mut i = byte(b, 3, b" ")?;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    let (d, i) = num(b, i, 1, 2)?;
    let i = byte(b, i, b" ")?;
    let base = Stamp {
        month,
        day: d as u8,
        ..Stamp::default()
    };
    let (s, i) = time(b, i, base)?;
    Some((valid(s)?, i))
}

fn valid(s: Stamp) -> Option<Stamp> {
    let ok = (1..=12).contains(&s.month)
        && (1..=days_in_month(s.year, s.month)).contains(&s.day)
        && s.hour < 24
        && s.minute < 60
        && s.second < 61;
    ok.then_some(s)
}

/// The days of `month` (1–12) in `year`; February has 29 in a leap year
/// and in a stamp without a year (syslog's), which could be one.
fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year == 0
        || (year.is_multiple_of(4) && !year.is_multiple_of(100))
        || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--until` with a date alone keeps the whole day, in either date
    /// order; with a time, that time; anything else is no time.
    #[test]
    fn until_a_date_alone_means_the_end_of_that_day() {
        for day in ["2024-02-19", "2/19/2024", " 2024-02-19 "] {
            assert_eq!(
                parse_until(day).unwrap().to_string(),
                "2024-02-19T23:59:59.999"
            );
        }
        let at = parse_until("2024-02-19T11:04:10").unwrap();
        assert_eq!(at, parse("2024-02-19T11:04:10").unwrap());
        assert!(parse_until("later").is_none() && parse_until("2024-13-01").is_none());
    }

    /// A day past its month's end is no date: `--since 2024-02-30` is
    /// refused, not read as some day in March or kept as written.
    #[test]
    fn days_past_the_month_s_end_are_no_date() {
        for (day, ok) in [
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("2024-04-31", false),
            ("2024-12-31", true),
            ("2/30/2024", false),
        ] {
            assert_eq!(parse(day).is_some(), ok, "{day}");
        }
        let line = |s: &str| at_line_start(s).map(|(t, _)| t.to_string());
        assert_eq!(
            line("Feb 29 10:00:00 host x: y").as_deref(),
            Some("Feb 29 10:00:00")
        );
        assert_eq!(line("Feb 30 10:00:00 host x: y"), None);
        assert_eq!(line("2023-02-29 10:00:00, Info CBS x"), None);
    }

    /// The fixed-place reading gives what the general one gives, and
    /// leaves every other form to it.
    #[test]
    fn the_common_form_reads_as_the_general_reading() {
        let mut read = 0;
        for date in [
            "2024-02-19",
            "2024-12-31",
            "2024-13-01",
            "2024-00-10",
            "0000-01-01",
        ] {
            for sep in ["T", " ", "_"] {
                for time in ["11:03:52", "23:59:60", "24:00:00", "11:3:52", "11:03:5x"] {
                    for after in [
                        "", " ERROR x", ".123", ",5", "Z", "+01:00", "-0800", "7", "]", ", Info",
                        ",", ".", ".x", ",Z",
                    ] {
                        let line = format!("{date}{sep}{time}{after}");
                        let b = line.as_bytes();
                        if let Some(fast) = iso_seconds(b) {
                            assert_eq!(Some(fast), iso_any(b), "{line}");
                            read += 1;
                        }
                        assert_eq!(iso(b), iso_any(b), "{line}");
                    }
                }
            }
        }
        assert!(read > 20, "{read}");
        // Every byte of the common form, and the one after it, changed to
        // every value: the fixed-place reading still agrees, or leaves it.
        let line = b"2024-02-19 11:03:52 x".to_vec();
        for at in 0..line.len() {
            for v in 0..=255u8 {
                let mut b = line.clone();
                b[at] = v;
                if let Some(fast) = iso_seconds(&b) {
                    assert_eq!(Some(fast), iso_any(&b), "{at} {v}");
                } else if b[..19] == line[..19] && !matches!(b[19], b'Z' | b'+' | b'-') {
                    panic!("the common form left to the general reading: {v}");
                }
            }
        }
    }
}
