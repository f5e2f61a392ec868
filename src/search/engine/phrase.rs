//! Quoted phrases in `kbgen search`: the words in order within one heading
//! or body block. The blocks' terms are stored with each document rather
//! than indexed with positions (which cost a seventh of a build's CPU), so
//! a phrase is checked only in the ranked documents that hold all its
//! terms, best first, until enough pass.

use super::Engine;
use crate::search::analyze;
use crate::search::rank::RERANK;
use crate::signature::events::Aliases;
use anyhow::Result;
use std::collections::BTreeSet;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument};

/// A ranked document: its base score, its article number and its address.
type Ranked = (f64, u64, DocAddress);

/// Longest query (in terms) whose double quotes are phrase syntax.
const PHRASE_QUERY_MAX: usize = 12;

impl Engine {
    /// The query's double-quoted phrases, in order; `None` when it quotes
    /// nothing.
    pub(super) fn phrase_filter(
        &self,
        query: &str,
        aliases: &Aliases,
    ) -> Result<Option<PhraseFilter>> {
        let folded = crate::signature::fold_text(query);
        let phrases: Vec<Vec<String>> = folded
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|p| analyze(p, aliases).seq)
            .filter(|s| !s.is_empty())
            .collect();
        // Quotes in a pasted log line are the log's, not search syntax.
        if phrases.is_empty() || analyze(query, aliases).seq.len() > PHRASE_QUERY_MAX {
            return Ok(None);
        }
        let mut candidates: Option<BTreeSet<DocAddress>> = None;
        let mut long = Vec::new();
        for p in phrases {
            if p.len() == 1 {
                let best = self.weights(&p[0])?.into_iter().map(|(a, _)| a);
                narrow(&mut candidates, best.collect());
                continue;
            }
            for term in &p {
                let mut has_term = BTreeSet::new();
                for field in [self.fields.msg, self.fields.body] {
                    self.each_posting(field, term, IndexRecordOption::Basic, |addr, _| {
                        has_term.insert(addr);
                    })?;
                }
                narrow(&mut candidates, has_term);
            }
            long.push(p);
        }
        Ok(Some(PhraseFilter {
            candidates: candidates.unwrap_or_default(),
            long,
        }))
    }

    /// The best of `hits` (ranked, best first) that have the phrases of
    /// `filter`, at most [`RERANK`]: none when only articles outside `hits`
    /// have them, and all of `hits` when no article has them.
    pub(super) fn keep_phrases(
        &self,
        hits: Vec<Ranked>,
        filter: &PhraseFilter,
    ) -> Result<Vec<Ranked>> {
        // The best documents that pass are the first ones to pass, so
        // only those are checked.
        let mut kept = Vec::with_capacity(RERANK);
        for &hit in &hits {
            if kept.len() == RERANK {
                break;
            }
            if self.passes(filter, hit.2)? {
                kept.push(hit);
            }
        }
        if !kept.is_empty() {
            return Ok(kept);
        }
        // A phrase no article has is a wish, not a filter: rank without it.
        // Every ranked document failed, so only the others are left to look at.
        let ranked: BTreeSet<DocAddress> = hits.iter().map(|h| h.2).collect();
        Ok(if self.any_passes(filter, &ranked)? {
            Vec::new()
        } else {
            hits
        })
    }

    /// True when document `addr` has every phrase of `filter`.
    fn passes(&self, filter: &PhraseFilter, addr: DocAddress) -> Result<bool> {
        if !filter.candidates.contains(&addr) {
            return Ok(false);
        }
        if filter.long.is_empty() {
            return Ok(true);
        }
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let blocks: Vec<&str> = doc
            .get_all(self.fields.flow)
            .filter_map(|v| v.as_str())
            .collect();
        Ok(filter
            .long
            .iter()
            .all(|p| blocks.iter().any(|b| has_phrase(b, p))))
    }

    /// True when any document but those in `checked` has every phrase of
    /// `filter`.
    fn any_passes(&self, filter: &PhraseFilter, checked: &BTreeSet<DocAddress>) -> Result<bool> {
        // In address order, so each stored block is decompressed once.
        for &addr in filter.candidates.difference(checked) {
            if self.passes(filter, addr)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Keeps in `set` (all documents when `None`) only those also in `with`.
fn narrow(set: &mut Option<BTreeSet<DocAddress>>, with: BTreeSet<DocAddress>) {
    *set = Some(match set.take() {
        None => with,
        Some(s) => &s & &with,
    });
}

/// A query's quoted phrases, as a test of each ranked document.
pub(super) struct PhraseFilter {
    /// The documents that may pass: among the best documents of each
    /// one-term phrase (as [`Engine::weights`] keeps them), and holding
    /// every term of each longer phrase in a heading or body block.
    candidates: BTreeSet<DocAddress>,
    /// Phrases of two or more terms, looked for in a candidate's blocks.
    long: Vec<Vec<String>>,
}

/// True when `block` (terms separated by single spaces) has the terms of
/// `phrase` one after the other.
fn has_phrase(block: &str, phrase: &[String]) -> bool {
    let terms: Vec<&str> = block.split(' ').collect();
    terms
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| *a == b))
}
