//! Quoted phrases in `kbgen search`: the words in order within one heading
//! or body block. The blocks' terms are stored with each document rather
//! than indexed with positions (which cost a seventh of a build's CPU), so
//! a phrase is checked only in the ranked documents that hold all its
//! terms, best first, until enough pass.

use super::Engine;
use crate::analysis::analyze;
use crate::search::rank::{PHRASE_QUERY_MAX, RERANK};
use crate::signature::events::Aliases;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeSet;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument};

/// A ranked document: its base score, its article number and its address.
type Ranked = (f64, u64, DocAddress);

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
            long.push(p.join(" "));
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
        let flow = doc
            .get_first(self.fields.flow)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        Ok(filter.long.iter().all(|p| has_phrase(flow, p)))
    }

    /// True when any document but those in `checked` has every phrase of
    /// `filter`.
    fn any_passes(&self, filter: &PhraseFilter, checked: &BTreeSet<DocAddress>) -> Result<bool> {
        // Split in runs of neighbouring addresses, one per core, so each
        // stored block is still decompressed once.
        let rest: Vec<DocAddress> = filter.candidates.difference(checked).copied().collect();
        rest.par_iter()
            .map(|&addr| self.passes(filter, addr))
            .find_any(|r| !matches!(r, Ok(false)))
            .unwrap_or(Ok(false))
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
    /// Phrases of two or more terms, their terms joined by spaces, looked
    /// for in a candidate's blocks.
    long: Vec<String>,
}

/// True when `flow` (blocks a line each, terms separated by single spaces)
/// has `phrase` (terms joined by spaces) as whole terms within one block.
fn has_phrase(flow: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return true;
    }
    let whole = |b: Option<u8>| matches!(b, None | Some(b' ' | b'\n'));
    let mut from = 0;
    while let Some(i) = flow[from..].find(phrase) {
        let at = from + i;
        let end = at + phrase.len();
        if whole(flow[..at].bytes().last()) && whole(flow.as_bytes().get(end).copied()) {
            return true;
        }
        // Overlapping matches count too: go on from the next character.
        from = at + flow[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_phrase;

    #[test]
    fn a_phrase_is_whole_terms_in_order_within_one_block() {
        let flow = "w:copi w:share\nw:access w:deni w:share\nw:xw:access w:deni";
        assert!(has_phrase(flow, "w:access w:deni"));
        assert!(has_phrase(flow, "w:deni w:share"));
        assert!(has_phrase(flow, "w:copi w:share"));
        // Not across blocks, not in the wrong order, not inside a term.
        assert!(!has_phrase(flow, "w:share w:access"));
        assert!(!has_phrase(flow, "w:deni w:access"));
        assert!(!has_phrase(flow, "w:access w:den"));
        assert!(!has_phrase("w:xw:access w:deni", "w:access w:deni"));
        // A match inside a longer term does not hide a whole one after it.
        assert!(has_phrase("w:ab w:ab w:ab", "w:ab w:ab"));
        assert!(has_phrase("c:w:ab w:ab w:ab", "w:ab w:ab"));
        assert!(!has_phrase("", "w:a w:b"));
    }
}
