//! Stage 3: error signatures of each document.
//!
//! Receives a [`Document`]; returns its [`Signature`]s: the ones declared in
//! front matter, then the ones found in its text by [`prose`] (event blocks,
//! codes in any spelling, error messages), marked as extracted. Where both
//! name the same event or code, the declared one wins.

pub(crate) mod prose;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::meta::SignatureMeta;
use crate::model::Document;
use crate::signature::codes::{doubt, parse_declared};
use crate::signature::events::Aliases;
use crate::signature::{Code, EventKey, EventRef, Origin, Signature, Template};

/// All signatures of `doc`. The front matter's `signatures:` are compiled
/// here and leave `doc.meta`: nothing reads them afterwards, and a build
/// would otherwise hold every one twice (about 80 MB at 100,000 articles).
pub(crate) fn extract(
    doc: &mut Document,
    aliases: &Aliases,
    diags: &mut Diagnostics,
) -> Vec<Signature> {
    let written = std::mem::take(&mut doc.meta.signatures);
    let mut sigs = declared(&written, &doc.display_path, aliases, diags);
    for found in prose::extract(&doc.blocks.unpack(), aliases) {
        merge(&mut sigs, found);
    }
    drop_covered_bare_events(&mut sigs);
    // Held until the build ends: in a vector of its exact size, not the
    // one grown by pushes (a quarter of the slots spare at 100,000 articles).
    let mut exact = Vec::with_capacity(sigs.len());
    exact.extend(sigs);
    exact
}

/// A bare ID says less than the same ID with its source: where the
/// document names a source for the ID anywhere, the bare mention goes
/// (a heading `Event ID 1388` above the block that gives its source).
fn drop_covered_bare_events(sigs: &mut Vec<Signature>) {
    let sourced: Vec<u32> = sigs
        .iter()
        .filter_map(|s| s.event.as_ref().map(|e| e.key.id))
        .collect();
    for s in sigs.iter_mut() {
        if s.bare_event
            .as_ref()
            .is_some_and(|b| sourced.contains(&b.id))
        {
            s.bare_event = None;
        }
    }
    sigs.retain(|s| {
        s.event.is_some() || s.bare_event.is_some() || s.message.is_some() || !s.codes.is_empty()
    });
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

/// Adds an extracted signature unless what it says is already known.
fn merge(sigs: &mut Vec<Signature>, mut found: Signature) {
    if let Some(ev) = &found.event {
        if let Some(existing) = sigs
            .iter_mut()
            .find(|s| s.event.as_ref().is_some_and(|e| e.key == ev.key))
        {
            if existing.message.is_none() {
                existing.message = found.message.take();
            }
            if let (Some(e), Some(level)) = (existing.event.as_mut(), &ev.level) {
                e.level.get_or_insert_with(|| level.clone());
            }
            return;
        }
    }
    if let Some(b) = &found.bare_event {
        let cited = sigs.iter().any(|s| {
            s.bare_event.as_ref().is_some_and(|x| x.id == b.id)
                || s.event.as_ref().is_some_and(|e| e.key.id == b.id)
        });
        if cited {
            found.bare_event = None;
        }
    }
    let known = |c: &Code| sigs.iter().any(|s| s.codes.contains(c));
    found.codes.retain(|c| !known(c));
    if let (None, Some(m)) = (&found.event, &found.message) {
        if sigs
            .iter()
            .any(|s| s.message.as_ref().is_some_and(|x| x.text == m.text))
        {
            found.message = None;
        }
    }
    if found.event.is_some()
        || found.bare_event.is_some()
        || found.message.is_some()
        || !found.codes.is_empty()
    {
        sigs.push(found);
    }
}
