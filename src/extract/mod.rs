//! Stage 3: error signatures of each document.
//!
//! Receives a [`Document`]; returns its [`Signature`]s: the ones declared in
//! front matter, then the ones found in its text by [`prose`] (event blocks,
//! codes in any spelling, error messages), marked as extracted. Where both
//! name the same event or code, the declared one wins.

mod merge;
pub mod prose;

pub use merge::MAX_SIGNATURES;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::meta::SignatureMeta;
use crate::model::Document;
use crate::signature::codes::{doubt, parse_declared};
use crate::signature::events::Aliases;
use crate::signature::{Code, EventKey, Template};
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

/// All signatures of `doc`. The front matter's `signatures:` are compiled
/// here and leave `doc.meta`: nothing reads them afterwards, and a build
/// would otherwise hold every one twice (about 80 MB at 100,000 articles).
pub fn extract(doc: &mut Document, aliases: &Aliases, diags: &mut Diagnostics) -> Vec<Signature> {
    let written = std::mem::take(&mut doc.meta.signatures);
    let declared = declared(&written, &doc.display_path, aliases, diags);
    let mut merged = merge::Merged::new(declared);
    for found in prose::extract(&doc.blocks.unpack(), aliases) {
        merged.merge(found);
    }
    merged.finish(&doc.display_path, diags)
}

fn declared(
    written: &[SignatureMeta],
    file: &str,
    aliases: &Aliases,
    diags: &mut Diagnostics,
) -> Vec<Signature> {
    written
        .iter()
        .map(|s| {
            let codes = s
                .codes
                .iter()
                .filter_map(|c| match parse_declared(c) {
                    Ok(code) => {
                        if let Some(p) = doubt(&code) {
                            diags
                                .push(Diagnostic::warning(file, s.line, 1, p.message).hint(p.hint));
                        }
                        Some(code)
                    }
                    Err(p) => {
                        diags.push(Diagnostic::warning(file, s.line, 1, p.message).hint(p.hint));
                        None
                    }
                })
                .collect();
            Signature {
                event: s.event.as_ref().map(|e| EventRef {
                    key: EventKey::new(&e.source, e.id, aliases),
                    source_name: e.source.clone(),
                    log: e.log.clone(),
                    level: e.level.clone(),
                }),
                bare_event: None,
                message: s.message.as_deref().map(Template::compile),
                codes,
                origin: Origin::Declared,
                line: s.line,
            }
        })
        .collect()
}
