//! Is an article still true? From its front matter (`reviewed`,
//! `review_every`, `expires`, or DocFX `ms.date`), the site default
//! `review_every` and, where no review date is written, the date of the
//! file's last git commit, each article gets a [`Freshness`]: when it was
//! last verified and from which source, when its review is due, and whether
//! it is overdue or expired on the build date.

use super::date::Date;
use super::Document;
use crate::diag::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::HashMap;

/// A review interval: `12 months`, `1 year`, `6 weeks`, `90 days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Whole days.
    Days(u32),
    /// Whole months.
    Months(u32),
}

impl Interval {
    /// Parses `N day(s)|week(s)|month(s)|year(s)` (also `d`, `w`, `mo`, `y`).
    pub(crate) fn parse(text: &str) -> Option<Interval> {
        let text = text.trim().to_ascii_lowercase();
        let split = text.find(|c: char| !c.is_ascii_digit())?;
        let n: u32 = text[..split].parse().ok().filter(|&n| n > 0)?;
        match text[split..].trim().trim_end_matches('s') {
            "d" | "day" => Some(Interval::Days(n)),
            "w" | "week" => Some(Interval::Days(n.checked_mul(7)?)),
            "mo" | "month" => Some(Interval::Months(n)),
            "y" | "year" => Some(Interval::Months(n.checked_mul(12)?)),
            _ => None,
        }
    }

    /// `date` plus this interval.
    pub(crate) fn after(&self, date: Date) -> Date {
        match *self {
            Interval::Days(d) => Date::from_unix_days(date.unix_days() + i64::from(d)),
            Interval::Months(m) => date.add_months(m),
        }
    }
}

/// Where the "verified" date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// `reviewed:` in the front matter.
    Reviewed,
    /// DocFX `ms.date:`.
    MsDate,
    /// The date of the file's last git commit.
    Git,
    /// Nothing says when it was checked.
    #[default]
    Unknown,
}

impl Basis {
    /// How the page and `kbgen stale` name it.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Basis::Reviewed => "reviewed",
            Basis::MsDate => "ms.date",
            Basis::Git => "git commit",
            Basis::Unknown => "unknown",
        }
    }
}

/// Where an article stands on the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Verified, and not yet due.
    #[default]
    Current,
    /// Its review is overdue.
    Overdue,
    /// Past its `expires:` date.
    Expired,
}

impl State {
    /// current, overdue or expired.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            State::Current => "current",
            State::Overdue => "overdue",
            State::Expired => "expired",
        }
    }
}

/// An article's freshness on the build date.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Freshness {
    /// Last verified (by `basis`).
    pub verified: Option<Date>,
    /// Where `verified` came from.
    pub basis: Basis,
    /// When the next review is due.
    pub due: Option<Date>,
    /// `expires:`.
    pub expires: Option<Date>,
    /// Current, overdue or expired.
    pub state: State,
    /// Whole months from `verified` to the build date.
    pub age_months: Option<u32>,
    /// Last modified: the last git commit, else `updated`, else `date`.
    pub modified: Option<Date>,
}

impl Freshness {
    /// "verified 3 months ago", as pages and results say it.
    pub(crate) fn verified_text(&self) -> Option<String> {
        let months = self.age_months?;
        Some(match months {
            0 => "verified this month".to_string(),
            1 => "verified 1 month ago".to_string(),
            m if m < 24 => format!("verified {m} months ago"),
            m => format!("verified {} years ago", m / 12),
        })
    }
}

/// The build date and the site's default review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Policy {
    /// The day the build runs (`SOURCE_DATE_EPOCH` when set).
    pub today: Date,
    /// `review_every` in kb.toml.
    pub review_every: Option<Interval>,
}

/// `doc`'s freshness under `policy`; `git` is its last commit date.
pub(crate) fn of(doc: &Document, git: Option<Date>, policy: &Policy) -> Freshness {
    let m = &doc.meta;
    let (verified, basis) = match (m.reviewed, m.reviewed_by_docfx, git) {
        (Some(d), false, _) => (Some(d), Basis::Reviewed),
        (Some(d), true, _) => (Some(d), Basis::MsDate),
        (None, _, Some(g)) => (Some(g), Basis::Git),
        (None, _, None) => (None, Basis::Unknown),
    };
    let interval = m.review_every.or(policy.review_every);
    let due = verified.zip(interval).map(|(v, i)| i.after(v));
    let state = if m.expires.is_some_and(|e| e <= policy.today) {
        State::Expired
    } else if due.is_some_and(|d| d <= policy.today) {
        State::Overdue
    } else {
        State::Current
    };
    Freshness {
        verified,
        basis,
        due,
        expires: m.expires,
        state,
        age_months: verified.map(|v| v.months_until(policy.today)),
        modified: git.or(m.updated).or(m.date),
    }
}

/// Stamps every article with its freshness: one walk of the git history
/// for all of them, and only when some article needs it.
pub(crate) fn stamp(docs: &mut [Document], source: &std::path::Path, policy: &Policy) {
    let git: HashMap<String, Date> = super::git_dates::last_commits(source).unwrap_or_default();
    for d in docs.iter_mut() {
        d.freshness = of(d, git.get(&d.rel_path).copied(), policy);
    }
}

/// True when the article belongs in the review queue: expired, overdue,
/// or never verified although a review interval applies to it.
pub(crate) fn needs_review(doc: &Document, policy: &Policy) -> bool {
    let f = &doc.freshness;
    let interval = doc.meta.review_every.or(policy.review_every);
    f.state != State::Current || (f.verified.is_none() && interval.is_some())
}

/// `kbgen check`'s word on each article in the review queue: a warning,
/// or an error when `deny` (`--deny stale`).
pub(crate) fn diagnostics(docs: &[Document], policy: &Policy, deny: bool) -> Vec<Diagnostic> {
    docs.iter()
        .filter(|d| needs_review(d, policy))
        .map(|d| {
            let f = &d.freshness;
            let message = match (f.state, f.verified) {
                (State::Expired, _) => format!(
                    "expired on {}: the article may no longer apply",
                    f.expires.map(|e| e.to_string()).unwrap_or_default()
                ),
                (_, Some(v)) => format!(
                    "review overdue since {} (last verified {v}, from {})",
                    f.due.map(|e| e.to_string()).unwrap_or_default(),
                    f.basis.label()
                ),
                (_, None) => "never verified: no `reviewed:` date and no git history".to_string(),
            };
            let hint = "check the article, then set `reviewed:` to today's date (YYYY-MM-DD); `kbgen stale` lists the whole queue";
            let severity = if deny { Severity::Error } else { Severity::Warning };
            Diagnostic::warning(&d.display_path, 1, 1, message)
                .hint(hint)
                .with_severity(severity)
        })
        .collect()
}

impl Policy {
    /// The policy of `settings`.
    pub(crate) fn of(settings: &crate::config::Settings) -> Policy {
        let f = &settings.freshness;
        Policy {
            today: Date::from_unix_days(f.today),
            review_every: f.review_every.as_deref().and_then(Interval::parse),
        }
    }
}

/// Today, or the day of `SOURCE_DATE_EPOCH` for reproducible builds, in
/// days since 1970-01-01.
pub(crate) fn today_unix_days() -> i64 {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    secs.div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(Interval::parse("12 months"), Some(Interval::Months(12)));
        assert_eq!(Interval::parse("1 year"), Some(Interval::Months(12)));
        assert_eq!(Interval::parse("6 weeks"), Some(Interval::Days(42)));
        assert_eq!(Interval::parse("90d"), Some(Interval::Days(90)));
        assert_eq!(Interval::parse("soon"), None);
        assert_eq!(Interval::parse("0 months"), None);
        let d = Date::parse("2024-01-31").unwrap();
        assert_eq!(
            Interval::Days(1).after(d),
            Date::parse("2024-02-01").unwrap()
        );
    }
}
