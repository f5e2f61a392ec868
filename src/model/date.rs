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
}
