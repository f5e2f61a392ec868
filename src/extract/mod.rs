//! Stage 3: error signatures of each document.
//!
//! Receives a [`Document`]; returns its [`Signature`]s: the ones declared in
//! front matter, then the ones found in its text by [`prose`] (event blocks,
//! codes in any spelling, error messages), marked as extracted. Where both
//! name the same event or code, the declared one wins.

mod merge;
pub(crate) mod prose;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::meta::SignatureMeta;
use crate::model::Document;
use crate::signature::codes::{doubt, parse_declared};
use crate::signature::events::Aliases;
use crate::signature::{EventKey, EventRef, Origin, Signature, Template};

/// All signatures of `doc`. The front matter's `signatures:` are compiled
/// here and leave `doc.meta`: nothing reads them afterwards, and a build
/// would otherwise hold every one twice (about 80 MB at 100,000 articles).
pub(crate) fn extract(
    doc: &mut Document,
    aliases: &Aliases,
    diags: &mut Diagnostics,
) -> Vec<Signature> {
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
