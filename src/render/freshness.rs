//! How pages and search results show an article's freshness
//! ([`crate::model::freshness`]): "verified 3 months ago" or a "may be out
//! of date" banner, the last modification date, and the "Edit this page"
//! link from `edit_url` in kb.toml.

use crate::model::freshness::{Freshness, State};
use crate::model::Document;
use serde::Serialize;

/// What `partials/freshness.html` shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FreshnessView {
    /// current, overdue or expired.
    pub state: &'static str,
    /// The banner text, when the article is overdue or expired.
    pub banner: Option<String>,
    /// "verified 3 months ago", when known.
    pub verified_text: Option<String>,
    /// The date verified (YYYY-MM-DD).
    pub verified: Option<String>,
    /// Where it came from: reviewed, ms.date, git commit.
    pub basis: &'static str,
    /// Review due.
    pub due: Option<String>,
    /// Last modified (YYYY-MM-DD).
    pub modified: Option<String>,
    /// "Edit this page" URL.
    pub edit_url: Option<String>,
}

/// The view of `doc`'s freshness; `edit_url` is kb.toml's, with `{path}`.
pub(crate) fn view(doc: &Document, edit_url: Option<&str>) -> FreshnessView {
    let f = &doc.freshness;
    let text = |d: Option<crate::model::date::Date>| d.map(|d| d.to_string());
    FreshnessView {
        state: f.state.label(),
        banner: banner(f),
        verified_text: f.verified_text(),
        verified: text(f.verified),
        basis: f.basis.label(),
        due: text(f.due),
        modified: text(f.modified),
        edit_url: edit_url.map(|u| u.replace("{path}", &doc.rel_path)),
    }
}

fn banner(f: &Freshness) -> Option<String> {
    match f.state {
        State::Current => None,
        State::Expired => Some(format!(
            "This article expired on {}: it may no longer apply.",
            f.expires.map(|d| d.to_string()).unwrap_or_default()
        )),
        State::Overdue => Some(match f.verified {
            Some(v) => format!(
                "This article may be out of date: last verified {v}, review due {}.",
                f.due.map(|d| d.to_string()).unwrap_or_default()
            ),
            None => "This article may be out of date.".to_string(),
        }),
    }
}

/// The short mark a search result carries: empty when current.
pub(crate) fn mark(f: &Freshness) -> String {
    match f.state {
        State::Current => String::new(),
        State::Overdue => "may be out of date".to_string(),
        State::Expired => "expired".to_string(),
    }
}
