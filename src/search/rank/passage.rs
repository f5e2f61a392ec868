//! Passages: a pasted text compared with every block of a candidate
//! article, so the one that quotes the message beats one that shares
//! common words (docs/search.md, step 7).

use super::{template_strength, Boost, Matched, TEMPLATE_FULL_WORDS};
use crate::analysis::{coverage, Analysis};
use crate::search::docs::Record;

/// Best results whose blocks (headings, paragraphs, code blocks, quotes,
/// table rows) are compared with a pasted text, in order. The page
/// downloads each one's blocks: ten got one more pasted line of the 92
/// first on the full corpus, but put the median query over its budget.
pub const PASSAGE_RERANK: usize = 5;
/// Shortest query (in `seq` terms) compared with blocks: a pasted text
/// rather than a few typed words, as long as a template must cover to
/// count in full.
pub const PASSAGE_MIN_TERMS: usize = TEMPLATE_FULL_WORDS as usize;
/// What a block holding the query's terms out of order is worth against
/// one holding them in order. A typed symptom retells an article's words in
/// its own order ("event 29181 … config not updating" for "configuration
/// changes are not updated … and event 29181 is logged"); in order alone, a
/// heading that happens to list the ID before the same two words won. On
/// the shared queries 0.7 and 0.8 did the same; 0.6 and 0.9 each lost a
/// query another way (README, "Search quality").
pub const PASSAGE_UNORDERED: f64 = 0.75;
/// What a pasted text gains when one block of the article (`flow`, a
/// block per line, as [`crate::search::docs::SearchDoc::flow`]) holds more
/// of it, in order (or [`PASSAGE_UNORDERED`] of its share in any order),
/// than any of its templates does: the template bonus for
/// the difference in strength, the block's share of the query's terms
/// judged as a template's ([`template_strength`]). Exact message text in
/// a paragraph or code block then beats common words shared elsewhere.
pub fn passage_bonus(
    query: &Analysis,
    doc: &Record,
    flow: &str,
    boost: &Boost,
) -> Option<(f64, Matched)> {
    if query.seq.len() < PASSAGE_MIN_TERMS {
        return None;
    }
    let templates = doc
        .templates
        .iter()
        .map(|t| template_strength(coverage(&t.seq, &query.seq), t.seq.len()))
        .fold(0.0, f64::max);
    let mut best: Option<(usize, f64, f64)> = None;
    for (k, block) in flow.lines().enumerate() {
        let seq: Vec<String> = block.split(' ').map(str::to_string).collect();
        let share =
            coverage(&query.seq, &seq).max(PASSAGE_UNORDERED * unordered_share(&query.seq, &seq));
        let strength = template_strength(share, query.seq.len());
        if best.map_or(strength > 0.0, |b| strength > b.2) {
            best = Some((k, share, strength));
        }
    }
    let (k, share, strength) = best?;
    (strength > templates).then(|| {
        let matched = Matched {
            kind: "passage",
            key: k.to_string(),
            detail: format!("matches a passage {}%", (share * 100.0).round()),
        };
        (boost.template * (strength - templates), matched)
    })
}

/// Share of `query`'s terms (repeats counted) that `block` holds, in any
/// order.
fn unordered_share(query: &[String], block: &[String]) -> f64 {
    if query.is_empty() {
        return 0.0;
    }
    let held: std::collections::HashSet<&String> = block.iter().collect();
    query.iter().filter(|t| held.contains(t)).count() as f64 / query.len() as f64
}
