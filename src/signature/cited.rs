//! The error signatures of one document, as the extract stage gives them
//! and the later stages (site, pages, search) read them: an event with its
//! source or a bare event ID, a message template, error codes, and whether
//! the article declared it or its text showed it.

use super::{Code, EventKey, Template};
use serde::Serialize;

/// Where a signature came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Written in front matter.
    Declared,
    /// Found in the text.
    Extracted,
}

/// An event as cited by an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRef {
    /// (canonical source, id).
    pub key: EventKey,
    /// The source as the article wrote it.
    pub source_name: String,
    /// Log name, when known.
    pub log: Option<String>,
    /// Level, when known.
    pub level: Option<String>,
}

/// An event ID cited without its source (`Event ID 1388`, `event 1014 is
/// logged`). An ID is unique only within a source, so it resolves to the
/// disambiguation page `events/id/<id>/` rather than to one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BareEvent {
    /// Event ID.
    pub id: u32,
    /// Log name, when known.
    pub log: Option<String>,
    /// Level, when known.
    pub level: Option<String>,
}

/// One error signature of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// The event, if any.
    pub event: Option<EventRef>,
    /// An event ID without a source; never set together with `event`.
    pub bare_event: Option<BareEvent>,
    /// The message template, if any.
    pub message: Option<Template>,
    /// Error codes, canonical.
    pub codes: Vec<Code>,
    /// Declared or extracted.
    pub origin: Origin,
    /// File line.
    pub line: usize,
}
