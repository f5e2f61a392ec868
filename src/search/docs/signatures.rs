//! What an article's signatures add to its search document: event and
//! code terms, and how surely the article is about each event it cites.

use super::{CodeHit, Counter, EventHit, Field};
use crate::analysis::TermKind;
use crate::signature::{Code, Origin, Signature};
use std::collections::BTreeSet;

/// Events an article may cite before each counts for less: an article
/// about one event names it and perhaps a few related ones; one that lists
/// twenty is about none of them in particular. (Codes are not shared out:
/// the article for a code is often a table of many.)
const ABOUT_MANY: f64 = 3.0;

/// How surely the article is about each event it cites, 0–1: all of it
/// when declared in front matter or its ID is in the title, else shared
/// among the others beyond [`ABOUT_MANY`], in three decimals (the same
/// number in the browser's JSON). A passing mention in a list of many IDs
/// then earns a fraction of an event's bonus.
pub(super) fn about(events: &mut [EventHit], title_words: &[String]) {
    let ids: BTreeSet<u32> = events.iter().map(|e| e.id).collect();
    let share = ((ABOUT_MANY / ids.len() as f64).min(1.0) * 1000.0).round() / 1000.0;
    for e in events.iter_mut() {
        let declared = e.about == 1.0;
        e.about = if declared || title_words.contains(&TermKind::Word.term(&e.id.to_string())) {
            1.0
        } else {
            share
        };
    }
}

/// Adds the event of signature `s` (with its source, or a bare ID) as
/// signature terms and as a hit, once.
pub(super) fn add_events(events: &mut Vec<EventHit>, terms: &mut Counter, s: &Signature) {
    if let Some(e) = &s.event {
        let key = e.key.path();
        if !events.iter().any(|h| h.key == key) {
            terms.count(Field::Sig, &TermKind::Event.term(&key));
            // One ID cited under two sources is not twice the evidence
            // for a query that names the ID alone.
            if !events.iter().any(|h| h.id == e.key.id) {
                terms.count(Field::Sig, &TermKind::BareEvent.term(&e.key.id.to_string()));
            }
            events.push(EventHit {
                key,
                source_name: e.source_name.clone(),
                id: e.key.id,
                about: f64::from(u8::from(s.origin == Origin::Declared)),
            });
        }
    }
    if let Some(b) = &s.bare_event {
        // An ID the article cites without its source: found by `i:` only.
        let key = format!("id/{}", b.id);
        if !events.iter().any(|h| h.key == key) {
            if !events.iter().any(|h| h.id == b.id) {
                terms.count(Field::Sig, &TermKind::BareEvent.term(&b.id.to_string()));
            }
            events.push(EventHit {
                key,
                source_name: String::new(),
                id: b.id,
                about: f64::from(u8::from(s.origin == Origin::Declared)),
            });
        }
    }
}

/// Adds a code with its key and every name as signature terms, once.
pub(super) fn add_code(codes: &mut Vec<CodeHit>, terms: &mut Counter, c: &Code) {
    if codes.iter().any(|h| h.key == c.canonical) {
        return;
    }
    terms.count(Field::Sig, &TermKind::Code.term(&c.canonical));
    let names: Vec<String> = c.rows().iter().map(|r| r.name.to_lowercase()).collect();
    for n in &names {
        terms.count(Field::Sig, &TermKind::Name.term(n));
    }
    codes.push(CodeHit {
        key: c.canonical.clone(),
        name: c.name().unwrap_or_default().to_string(),
        message: c.message().unwrap_or_default().to_string(),
        names,
    });
}
