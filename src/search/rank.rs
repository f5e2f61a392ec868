//! Ranking, shared by both indexes: how much a term weighs in a document,
//! and what a result gains for each signature it matches. The browser
//! receives the same numbers (term weights in the postings, bonuses in the
//! manifest), so the terminal and the page rank alike.

use super::analyze::{coverage, Analysis};
use super::docs::SearchDoc;
use serde::Serialize;

/// Field weights: a signature above the title, the title above messages
/// and headings, those above body text.
pub const SIG_WEIGHT: f32 = 8.0;
/// Title and product names.
pub const TITLE_WEIGHT: f32 = 3.0;
/// Message templates, headings, summary.
pub const MSG_WEIGHT: f32 = 2.0;
/// Body text.
pub const BODY_WEIGHT: f32 = 1.0;

/// Bonuses, in the quantised units of the browser postings (0–255 a term).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Boost {
    /// A matched event key (source and ID).
    pub event: f32,
    /// A matched event ID without source.
    pub id: f32,
    /// A matched code.
    pub code: f32,
    /// A matched symbolic code name.
    pub name: f32,
    /// Times the covered share of a template (0.5–1.0).
    pub template: f32,
}

/// The bonuses both engines use.
pub const BOOST: Boost = Boost {
    event: 400.0,
    id: 120.0,
    code: 400.0,
    name: 300.0,
    template: 500.0,
};

/// A template counts as matched from this share of its words on.
pub const TEMPLATE_MIN: f32 = 0.5;

/// Rarity of a term found in `df` of `n` documents (BM25's idf).
pub fn idf(df: usize, n: usize) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Tf saturation: one occurrence counts 1, many approach 2.2.
fn saturate(tf: u32) -> f32 {
    let tf = tf as f32;
    tf * 2.2 / (tf + 1.2)
}

/// A term's weight in a document before rarity.
pub fn field_weight(doc: &SearchDoc, term: &str) -> f32 {
    [
        (&doc.sig, SIG_WEIGHT),
        (&doc.title_terms, TITLE_WEIGHT),
        (&doc.msg, MSG_WEIGHT),
        (&doc.body, BODY_WEIGHT),
    ]
    .iter()
    .filter_map(|(field, w)| field.get(term).map(|&tf| w * saturate(tf)))
    .sum()
}

/// One reason a result matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matched {
    /// `event`, `code`, `template` or `text`.
    pub kind: &'static str,
    /// The event key, code, template text or words.
    pub key: String,
    /// What a person reads: `Event 1011 · W3SVC`, `matches message template 87%`.
    pub detail: String,
}

/// Why `doc` matches the query, and the bonus that earns it.
pub fn explain(query: &Analysis, doc: &SearchDoc) -> (f32, Vec<Matched>) {
    let has = |t: String| query.terms.contains(&t);
    let mut bonus = 0.0;
    let mut matched = Vec::new();
    for e in &doc.events {
        let by_key = has(format!("e:{}", e.key));
        if by_key || has(format!("i:{}", e.id)) {
            bonus += if by_key { BOOST.event } else { BOOST.id };
            matched.push(Matched {
                kind: "event",
                key: e.key.clone(),
                detail: format!("Event {} · {}", e.id, e.source_name),
            });
        }
    }
    for c in &doc.codes {
        let by_key = has(format!("c:{}", c.key));
        if by_key || c.names.iter().any(|n| has(format!("n:{n}"))) {
            bonus += if by_key { BOOST.code } else { BOOST.name };
            let detail = if c.name.is_empty() {
                c.key.clone()
            } else {
                format!("{} · {}", c.key, c.name)
            };
            matched.push(Matched {
                kind: "code",
                key: c.key.clone(),
                detail,
            });
        }
    }
    let best = doc
        .templates
        .iter()
        .map(|t| (coverage(&t.seq, &query.seq), t))
        .filter(|(c, _)| *c >= TEMPLATE_MIN)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((share, t)) = best {
        bonus += BOOST.template * share;
        matched.push(Matched {
            kind: "template",
            key: t.text.clone(),
            detail: format!("matches message template {}%", (share * 100.0).round()),
        });
    }
    let words: Vec<&str> = query
        .terms
        .iter()
        .filter(|t| t.starts_with("w:"))
        .filter(|t| {
            doc.title_terms.contains_key(*t)
                || doc.msg.contains_key(*t)
                || doc.body.contains_key(*t)
        })
        .map(|t| &t[2..])
        .collect();
    if !words.is_empty() {
        matched.push(Matched {
            kind: "text",
            key: words.join(" "),
            detail: format!("words: {}", words.join(", ")),
        });
    }
    (bonus, matched)
}
