//! Ranking, shared by both indexes: how much a term weighs in a document,
//! and what a result gains for each signature it matches. The browser
//! receives the same numbers (term weights in the postings, bonuses in the
//! manifest), so the terminal and the page rank alike.

use super::analyze::{coverage, Analysis};
use super::docs::{Record, SearchDoc};
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

/// What a result gains for each kind of signature it matches.
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

/// The bonuses, in the units of [`field_weight`] × [`idf`] (a rare code in
/// a signature weighs about 45); the browser gets them scaled like its
/// postings.
pub const BOOST: Boost = Boost {
    event: 60.0,
    id: 20.0,
    code: 60.0,
    name: 45.0,
    template: 80.0,
};

impl Boost {
    /// Every bonus times `k`.
    pub fn scaled(&self, k: f32) -> Boost {
        Boost {
            event: self.event * k,
            id: self.id * k,
            code: self.code * k,
            name: self.name * k,
            template: self.template * k,
        }
    }
}

/// A template counts as matched from this share of its words on.
pub const TEMPLATE_MIN: f32 = 0.5;

/// Rarity of a term found in `df` of `n` documents (BM25's idf).
pub fn idf(df: usize, n: usize) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// A weight in the quantised units both engines add up (1–255).
pub fn quantise(weight: f32, scale: f32) -> u32 {
    (weight * scale).round().clamp(1.0, 255.0) as u32
}

/// Weight of a typo-tolerant word match relative to the word itself.
pub const FUZZY: f32 = 0.5;
/// Candidates, best by term weight, that get their signature bonuses
/// before the final order.
pub const RERANK: usize = 30;

/// Tf saturation: one occurrence counts 1, many approach 2.2.
pub fn saturate(tf: u32) -> f32 {
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

/// Why `doc` matches the query, and the bonus that earns it; `has_word`
/// says whether the article's text holds a `w:` term.
pub fn explain(
    query: &Analysis,
    doc: &Record,
    has_word: impl Fn(&str) -> bool,
) -> (f32, Vec<Matched>) {
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
        .filter(|t| has_word(t))
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
