//! The signatures of one document, merged as they are found, in time
//! linear in their number.
//!
//! Receives the declared signatures, then each extracted one; gives the
//! list where the declared one wins over a later mention of the same event
//! (but a different message for it is kept as well),
//! a bare ID is dropped where the document gives the ID with its source,
//! and no code or message is listed twice. Lookups go through hash sets:
//! searching the list for each new signature made a pasted log of 8,000
//! events cost 64 million comparisons. A document may cite at most
//! [`MAX_SIGNATURES`]; more is reported, not turned into thousands of pages.

use super::Signature;
use crate::diag::{Diagnostic, Diagnostics};
use crate::signature::{Code, EventKey};
use std::collections::{HashMap, HashSet};

/// Most signatures one document keeps (each makes event and code pages).
pub(super) const MAX_SIGNATURES: usize = 1000;

/// Signatures so far, with what they cite.
#[derive(Default)]
pub(super) struct Merged {
    sigs: Vec<Signature>,
    by_event: HashMap<EventKey, usize>,
    ids: HashSet<u32>,
    codes: HashSet<Code>,
    messages: HashSet<String>,
}

impl Merged {
    /// Starts from the declared signatures, kept as written.
    pub(super) fn new(declared: Vec<Signature>) -> Merged {
        let mut m = Merged::default();
        for s in declared {
            m.push(s);
        }
        m
    }

    fn push(&mut self, s: Signature) {
        let at = self.sigs.len();
        if let Some(e) = &s.event {
            self.by_event.entry(e.key.clone()).or_insert(at);
            self.ids.insert(e.key.id);
        }
        if let Some(b) = &s.bare_event {
            self.ids.insert(b.id);
        }
        self.codes.extend(s.codes.iter().cloned());
        if let Some(m) = &s.message {
            self.messages.insert(m.text.clone());
        }
        self.sigs.push(s);
    }

    /// Adds a signature found in the text, unless it says nothing new.
    pub(super) fn merge(&mut self, mut found: Signature) {
        if let Some(ev) = &found.event {
            if let Some(&at) = self.by_event.get(&ev.key) {
                // Another message for the same event is kept beside the first.
                let other_message = found.message.as_ref().is_some_and(|m| {
                    self.sigs[at].message.is_some() && !self.messages.contains(&m.text)
                });
                if other_message {
                    found.codes.retain(|c| !self.codes.contains(c));
                    self.push(found);
                    return;
                }
                let existing = &mut self.sigs[at];
                if existing.message.is_none() {
                    existing.message = found.message.take();
                    if let Some(m) = &existing.message {
                        self.messages.insert(m.text.clone());
                    }
                }
                if let (Some(e), Some(level)) = (existing.event.as_mut(), &ev.level) {
                    e.level.get_or_insert_with(|| level.clone());
                }
                return;
            }
        }
        if found
            .bare_event
            .as_ref()
            .is_some_and(|b| self.ids.contains(&b.id))
        {
            found.bare_event = None;
        }
        found.codes.retain(|c| !self.codes.contains(c));
        if let (None, Some(m)) = (&found.event, &found.message) {
            if self.messages.contains(&m.text) {
                found.message = None;
            }
        }
        if found.event.is_some()
            || found.bare_event.is_some()
            || found.message.is_some()
            || !found.codes.is_empty()
        {
            self.push(found);
        }
    }

    /// The list: bare IDs the document also gives with a source dropped,
    /// cut to [`MAX_SIGNATURES`] with a warning naming `file`.
    pub(super) fn finish(self, file: &str, diags: &mut Diagnostics) -> Vec<Signature> {
        let sourced: HashSet<u32> = self
            .sigs
            .iter()
            .filter_map(|s| s.event.as_ref().map(|e| e.key.id))
            .collect();
        let mut sigs = self.sigs;
        for s in sigs.iter_mut() {
            if s.bare_event
                .as_ref()
                .is_some_and(|b| sourced.contains(&b.id))
            {
                s.bare_event = None;
            }
        }
        sigs.retain(|s| {
            s.event.is_some()
                || s.bare_event.is_some()
                || s.message.is_some()
                || !s.codes.is_empty()
        });
        if sigs.len() > MAX_SIGNATURES {
            let line = sigs[MAX_SIGNATURES].line;
            diags.push(
                Diagnostic::warning(
                    file,
                    line,
                    1,
                    format!(
                        "{} events, codes and messages found; only the first {MAX_SIGNATURES} are kept",
                        sigs.len()
                    ),
                )
                .hint("split the article, or put the long listing in a file and link it"),
            );
            sigs.truncate(MAX_SIGNATURES);
        }
        // Held until the build ends: in a vector of its exact size.
        sigs.shrink_to_fit();
        sigs
    }
}
