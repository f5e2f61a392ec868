//! Limits that keep search near-linear in its input, whoever writes it.
//!
//! Receives a query as pasted (or the positions the analyser pairs); gives
//! the part that is searched, with the cut said in words for the answer, and
//! the few source names an event ID is paired with. Without them a pasted
//! log of 4,000 `Event ID:` / `Source:` pairs made 16 million event terms
//! (every ID with every source), and a megabyte query took seconds in
//! `kbgen search` and over a minute in the browser. The browser's
//! `kbgen-analyze.js` (`analyzeQuery`) applies the same limits.

use super::{analyze, Analysis};
use crate::signature::events::Aliases;

/// Most bytes of a query analysed: a pasted event or log excerpt fits.
pub const QUERY_MAX_BYTES: usize = 16 * 1024;
/// Most distinct terms of a query searched.
pub const QUERY_MAX_TERMS: usize = 256;
/// Most event terms (`e:source/id`) of a query searched.
pub const QUERY_MAX_EVENTS: usize = 64;
/// Most noise tokens a query answer lists back.
const QUERY_MAX_NOISE: usize = 64;
/// Terms of a template and of a query line compared for coverage (the
/// comparison costs the product of their lengths).
pub const COVERAGE_TERMS: usize = 1024;
/// Sources an event ID is paired with: the nearest `Source:` keywords.
pub const NEAREST_SOURCES: usize = 8;

/// A query cut to the limits, analysed.
#[derive(Debug)]
pub struct BoundedQuery<'q> {
    /// The part of the query searched.
    pub text: &'q str,
    /// Its analysis, terms cut to the limits.
    pub analysis: Analysis,
    /// What was left out, for the answer; `None` when nothing was.
    pub cut: Option<String>,
}

/// Cuts `query` to the limits and analyses what is left.
pub fn analyze_query<'q>(query: &'q str, aliases: &Aliases) -> BoundedQuery<'q> {
    let mut said = Vec::new();
    let text = if query.len() > QUERY_MAX_BYTES {
        let mut end = QUERY_MAX_BYTES;
        while !query.is_char_boundary(end) {
            end -= 1;
        }
        // At a line end when there is one near, so no word is cut in two.
        let end = query[..end]
            .rfind('\n')
            .filter(|&n| n > end / 2)
            .map_or(end, |n| n + 1);
        said.push(format!(
            "only the first {} KB of the {} KB query were searched",
            end.div_ceil(1024),
            query.len().div_ceil(1024)
        ));
        &query[..end]
    } else {
        query
    };
    let mut analysis = analyze(text, aliases);
    let events = analysis
        .terms
        .iter()
        .filter(|t| t.starts_with("e:"))
        .count();
    if events > QUERY_MAX_EVENTS {
        let mut kept = 0;
        analysis.terms.retain(|t| {
            let event = t.starts_with("e:");
            kept += usize::from(event);
            !event || kept <= QUERY_MAX_EVENTS
        });
        said.push(format!(
            "only the first {QUERY_MAX_EVENTS} of {events} event keys were searched"
        ));
    }
    let terms = analysis.terms.len();
    if terms > QUERY_MAX_TERMS {
        analysis.terms.truncate(QUERY_MAX_TERMS);
        said.push(format!(
            "only the first {QUERY_MAX_TERMS} of {terms} terms were searched"
        ));
    }
    analysis.seq.truncate(COVERAGE_TERMS);
    analysis.noise.truncate(QUERY_MAX_NOISE);
    BoundedQuery {
        text,
        analysis,
        cut: (!said.is_empty()).then(|| said.join("; ")),
    }
}

/// The indexes of at most `k` entries of `sorted` nearest to `at`: a
/// window, so they stay in text order. All of them when there are `k` or
/// fewer, which keeps the pairing of short texts as it always was.
pub fn nearest(sorted: &[usize], at: usize, k: usize) -> std::ops::Range<usize> {
    if sorted.len() <= k {
        return 0..sorted.len();
    }
    let split = sorted.partition_point(|&s| s < at);
    let (mut lo, mut hi) = (split, split);
    while hi - lo < k {
        let left = (lo > 0).then(|| at - sorted[lo - 1]);
        let right = (hi < sorted.len()).then(|| sorted[hi] - at);
        match (left, right) {
            (Some(l), Some(r)) if l <= r => lo -= 1,
            (Some(_), None) => lo -= 1,
            (_, Some(_)) => hi += 1,
            (None, None) => break,
        }
    }
    lo..hi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_keeps_all_of_a_few_and_a_window_of_many() {
        assert_eq!(nearest(&[1, 5, 9], 4, 8), 0..3);
        let many: Vec<usize> = (0..100).map(|i| i * 10).collect();
        assert_eq!(nearest(&many, 503, 4), 49..53);
        assert_eq!(nearest(&many, 0, 3), 0..3);
        assert_eq!(nearest(&many, 5000, 2), 98..100);
    }

    /// Issue 15, item 5: a megabyte pasted query is cut, and the answer says so.
    #[test]
    fn a_megabyte_query_is_cut_and_the_cut_is_said() {
        let pairs: String = (0..40_000)
            .map(|i| format!("Event ID: {}\nSource: Src{i}\n", i % 60_000 + 1))
            .collect();
        assert!(pairs.len() > 700_000);
        let q = analyze_query(&pairs, &Aliases::default());
        assert!(q.text.len() <= QUERY_MAX_BYTES && q.text.ends_with('\n'));
        assert!(q.analysis.terms.len() <= QUERY_MAX_TERMS);
        let events = q
            .analysis
            .terms
            .iter()
            .filter(|t| t.starts_with("e:"))
            .count();
        assert!(events <= QUERY_MAX_EVENTS);
        let cut = q.cut.unwrap_or_default();
        assert!(cut.contains("only the first 16 KB of the"), "{cut}");
        assert!(cut.contains("event keys were searched"), "{cut}");
        let short = analyze_query("W3SVC event 1011", &Aliases::default());
        assert_eq!(short.cut, None);
    }

    /// Issue 15, item 5: 4,000 `Event ID:` / `Source:` pairs in one text
    /// paired every ID with every source (16 million terms, 20 s and 2.3 GB
    /// to build); each ID now pairs with its nearest sources only.
    #[test]
    fn four_thousand_event_pairs_make_terms_linear_in_their_number() {
        let pairs: String = (0..4000)
            .map(|i| format!("Event ID: {}\nSource: Src{i}\n", i + 1))
            .collect();
        let a = crate::analysis::analyze(&pairs, &Aliases::default());
        let events = a.terms.iter().filter(|t| t.starts_with("e:")).count();
        assert!(events <= 4000 * NEAREST_SOURCES, "{events} event terms");
        assert!(
            a.terms.contains(&"e:src17/17".to_string()),
            "{:?}",
            &a.terms[..20]
        );
    }
}
