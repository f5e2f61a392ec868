//! Calendar dates as articles write them: `2024-03-18`, `2024-03-18T10:00:00Z`
//! and the DocFX `03/18/2024` (month first).

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses the spellings above; `None` for anything else or an impossible date.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let (y, m, d) = if let Some((a, rest)) = s.split_once('/') {
            let (b, c) = rest.split_once('/')?;
            (c.get(..4)?.parse().ok()?, a.parse().ok()?, b.parse().ok()?)
        } else {
            let date = s.get(..10)?;
            if s.len() > 10 && !matches!(s.as_bytes()[10], b'T' | b't' | b' ') {
                return None;
            }
            let mut parts = date.split('-');
            (
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
            )
        };
        let date = Date {
            year: y,
            month: m,
            day: d,
        };
        date.is_valid().then_some(date)
    }

    fn is_valid(&self) -> bool {
        let leap = self.year.is_multiple_of(4)
            && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400));
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1000..=9999).contains(&self.year) && (1..=days).contains(&self.day)
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Days since 1970-01-01.
    pub fn unix_days(&self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year) - i64::from(self.month <= 2),
            i64::from(self.month),
            i64::from(self.day),
        );
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The same day `months` months later (the last day of a shorter month).
    pub fn add_months(&self, months: u32) -> Date {
        let total = u32::from(self.month) - 1 + months;
        let year = self.year.saturating_add((total / 12) as u16).min(9999);
        let month = (total % 12 + 1) as u8;
        let mut d = Date {
            year,
            month,
            day: self.day,
        };
        while !d.is_valid() && d.day > 28 {
            d.day -= 1;
        }
        d
    }

    /// Whole months from `self` to `later` (0 when `later` is not later).
    pub fn months_until(&self, later: Date) -> u32 {
        let months = (i32::from(later.year) - i32::from(self.year)) * 12 + i32::from(later.month)
            - i32::from(self.month)
            - i32::from(later.day < self.day);
        months.max(0) as u32
    }

    /// RFC 3339 timestamp at midnight UTC, for feeds.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn spellings() {
        let d = Date {
            year: 2023,
            month: 7,
            day: 14,
        };
        assert_eq!(Date::parse("2023-07-14"), Some(d));
        assert_eq!(Date::parse("07/14/2023"), Some(d));
        assert_eq!(Date::parse("2023-07-14T08:00:00Z"), Some(d));
        assert_eq!(Date::parse("2023-02-30"), None);
        assert_eq!(Date::parse("yesterday"), None);
        assert_eq!(Date::parse("2023-07-14junk"), None);
    }

    #[test]
    fn arithmetic() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(Date::from_unix_days(0), d("1970-01-01"));
        assert_eq!(
            Date::from_unix_days(d("2024-02-29").unix_days()),
            d("2024-02-29")
        );
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2023-11-15").add_months(14), d("2025-01-15"));
        assert_eq!(d("2024-01-15").months_until(d("2024-04-14")), 2);
        assert_eq!(d("2024-01-15").months_until(d("2024-04-15")), 3);
        assert_eq!(d("2024-05-01").months_until(d("2024-04-01")), 0);
    }
}
