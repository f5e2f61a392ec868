//! What `kbgen search` keeps of each document while it ranks: its base
//! score and what it scored on, then the result before it is shown.

use crate::search::docs::Record;
use crate::search::rank::Matched;
use tantivy::DocAddress;

/// A document's base score, and what it scored on.
#[derive(Default)]
pub(super) struct Scored {
    pub(super) score: f64,
    /// Terms of the quoted phrases.
    pub(super) phrase_terms: usize,
    /// The query's words.
    pub(super) words: usize,
}

/// A ranked result before it is shown.
pub(super) struct Ranked {
    pub(super) record: Record,
    pub(super) score: f64,
    pub(super) matched: Vec<Matched>,
    /// Query words it scored on.
    pub(super) words: usize,
    /// Query words in the title and summary
    /// ([`crate::search::rank::heading_words`]).
    pub(super) heading: usize,
    pub(super) number: u64,
    pub(super) addr: DocAddress,
}

impl Ranked {
    /// Best first: by score, then the query words it holds, then those
    /// of its title and summary, then article order.
    pub(super) fn order(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
        b.score
            .total_cmp(&a.score)
            .then(b.words.cmp(&a.words))
            .then(b.heading.cmp(&a.heading))
            .then(a.number.cmp(&b.number))
    }
}

/// True when the last of `matched` is the words (which stay last).
pub(super) fn has_words(matched: &[Matched]) -> bool {
    matched.last().is_some_and(|m| m.kind == "text")
}
