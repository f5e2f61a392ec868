//! The review queue: which articles are overdue, expired or never verified
//! ([`crate::model::freshness`]), for `kbgen check` (warnings, or errors
//! with `--deny stale`) and `kbgen stale` (the queue itself, which needs
//! only the load and model stages).

use super::{compile, Clock, Keep};
use crate::config::Settings;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::freshness;
use crate::model::site::Site;
use serde::Serialize;

/// `kbgen check`'s diagnostics for the articles due for review.
pub(crate) fn diagnostics(site: &Site, settings: &Settings) -> Vec<Diagnostic> {
    let policy = freshness::Policy::of(settings);
    freshness::diagnostics(&site.articles, &policy, settings.deny_stale)
}

/// One article of the queue.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Path under the content folder.
    pub path: String,
    /// Title.
    pub title: String,
    /// Last verified (YYYY-MM-DD).
    pub verified: Option<String>,
    /// Where that date came from: reviewed, ms.date, git commit, unknown.
    pub basis: &'static str,
    /// Review due.
    pub due: Option<String>,
    /// `expires:`.
    pub expires: Option<String>,
    /// current, overdue or expired.
    pub state: &'static str,
    /// Whether it is in the review queue.
    pub needs_review: bool,
    /// `owner`, else `authors`.
    pub owners: Vec<String>,
}

/// The build date (YYYY-MM-DD).
pub fn today(settings: &Settings) -> String {
    freshness::Policy::of(settings).today.to_string()
}

/// The articles (all of them, or only those due for review), oldest
/// verification first (never verified before all), with every problem
/// the content has.
pub fn queue(settings: &Settings, all: bool) -> (Vec<Entry>, Diagnostics) {
    let mut clock = Clock::new(&|_| {});
    let compiled = compile(settings, Keep::Nothing, &mut clock);
    let policy = &freshness::Policy::of(settings);
    let mut entries: Vec<Entry> = compiled
        .site
        .articles
        .iter()
        .map(|a| {
            let f = &a.freshness;
            let owners = if a.meta.owners.is_empty() {
                a.meta.authors.clone()
            } else {
                a.meta.owners.clone()
            };
            let text = |d: Option<crate::model::date::Date>| d.map(|d| d.to_string());
            Entry {
                path: a.rel_path.clone(),
                title: a.title.clone(),
                verified: text(f.verified),
                basis: f.basis.label(),
                due: text(f.due),
                expires: text(f.expires),
                state: f.state.label(),
                needs_review: freshness::needs_review(a, policy),
                owners,
            }
        })
        .filter(|e| all || e.needs_review)
        .collect();
    entries.sort_by(|a, b| (&a.verified, &a.path).cmp(&(&b.verified, &b.path)));
    (entries, compiled.diagnostics())
}
