//! Quoted phrases in `kbgen search`: the words in order within one heading
//! or body block. The blocks' terms are stored with each document rather
//! than indexed with positions (which cost a seventh of a build's CPU), so
//! a phrase is checked only in the best ranked documents that scored on
//! all its terms, as the browser does (docs/search.md, "Ranking", step 3).

use super::Engine;
use crate::analysis::analyze;
use crate::search::rank::{PHRASE_CHECK_MAX, PHRASE_QUERY_MAX, RERANK};
use crate::signature::events::Aliases;
use anyhow::Result;
use std::collections::BTreeSet;
use tantivy::DocAddress;

/// A ranked document: its base score, its article number and its address.
type Ranked = (f64, u64, DocAddress);

/// A query's quoted phrases, as a test of each ranked document.
pub(super) struct PhraseFilter {
    /// Every term of every phrase: a document must have scored on all.
    pub(super) terms: BTreeSet<String>,
    /// Phrases of two or more terms, their terms joined by spaces, looked
    /// for in a document's blocks.
    long: Vec<String>,
}

/// The query's double-quoted phrases; `None` when it quotes nothing, or is
/// a pasted line whose quotes are the log's.
pub(super) fn phrase_filter(query: &str, aliases: &Aliases) -> Option<PhraseFilter> {
    let folded = crate::signature::fold_text(query);
    let phrases: Vec<Vec<String>> = folded
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|p| analyze(p, aliases).seq)
        .filter(|s| !s.is_empty())
        .collect();
    if phrases.is_empty() || analyze(query, aliases).seq.len() > PHRASE_QUERY_MAX {
        return None;
    }
    Some(PhraseFilter {
        terms: phrases.iter().flatten().cloned().collect(),
        long: phrases
            .iter()
            .filter(|p| p.len() > 1)
            .map(|p| p.join(" "))
            .collect(),
    })
}

impl Engine {
    /// The best of `hits` (ranked, best first) that have the phrases of
    /// `filter`, at most [`RERANK`]; `scored_on(hit)` is how many of the
    /// filter's terms the hit scored on. Blocks are read in at most
    /// [`PHRASE_CHECK_MAX`] documents; when none of those has the phrases
    /// (or no document has all their terms), they are a wish, not a
    /// filter: all of `hits`.
    pub(super) fn keep_phrases(
        &self,
        hits: Vec<Ranked>,
        filter: &PhraseFilter,
        scored_on: impl Fn(&DocAddress) -> usize,
    ) -> Result<Vec<Ranked>> {
        let mut kept = Vec::with_capacity(RERANK);
        let mut checked = 0;
        for &hit in &hits {
            if kept.len() == RERANK || checked == PHRASE_CHECK_MAX {
                break;
            }
            if scored_on(&hit.2) < filter.terms.len() {
                continue;
            }
            if !filter.long.is_empty() {
                checked += 1;
                if !self.has_phrases(filter, hit.2)? {
                    continue;
                }
            }
            kept.push(hit);
        }
        Ok(if kept.is_empty() { hits } else { kept })
    }

    /// True when document `addr` has every long phrase of `filter`.
    fn has_phrases(&self, filter: &PhraseFilter, addr: DocAddress) -> Result<bool> {
        let flow = self.flow(addr)?;
        Ok(filter.long.iter().all(|p| has_phrase(&flow, p)))
    }
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
