//! Ranking, shared by both indexes: how much a term weighs in a document,
//! and what a result gains for each signature it matches. The browser
//! receives the same numbers (term weights in the postings, bonuses in the
//! manifest), so the terminal and the page rank alike.

use super::docs::{FieldCounts, Record, TemplateHit};
use super::versions::{version_bonus, QueryVersions};
use crate::analysis::{coverage, Analysis, TermKind};
use crate::signature::events::Aliases;
use serde::Serialize;

mod passage;
pub use passage::{passage_bonus, PASSAGE_MIN_TERMS, PASSAGE_RERANK, PASSAGE_UNORDERED};

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
    pub event: f64,
    /// A matched event ID without source.
    pub id: f64,
    /// A matched code.
    pub code: f64,
    /// A matched symbolic code name.
    pub name: f64,
    /// Times the covered share of a template (0.5–1.0).
    pub template: f64,
    /// An article that applies to a product version the query names.
    pub version: f64,
    /// Taken from an article that applies only to other versions of it.
    #[serde(rename = "otherVersion")]
    pub other_version: f64,
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
    // About one rare word in the body: enough to order articles that match
    // alike, too little to lift one that does not match the problem.
    version: 12.0,
    other_version: 12.0,
};

impl Boost {
    /// Every bonus times `k`.
    pub fn scaled(&self, k: f64) -> Boost {
        Boost {
            event: self.event * k,
            id: self.id * k,
            code: self.code * k,
            name: self.name * k,
            template: self.template * k,
            version: self.version * k,
            other_version: self.other_version * k,
        }
    }
}

/// A template counts as matched from this share of its words on.
pub const TEMPLATE_MIN: f64 = 0.5;
/// Words of a template a line must cover for the match to count at all.
pub const TEMPLATE_MIN_WORDS: f64 = 3.0;
/// Words covered from which a template match counts in full.
pub const TEMPLATE_FULL_WORDS: f64 = 6.0;
/// Longest query (in `seq` terms) whose double quotes are phrase syntax;
/// a longer one is a pasted line, whose quotes are the log's.
pub const PHRASE_QUERY_MAX: usize = 12;
/// Most ranked documents whose blocks are read to check a quoted phrase
/// of two or more words, best first (the browser downloads each one's
/// blocks): when none of them has it, the phrase is dropped.
pub const PHRASE_CHECK_MAX: usize = 60;

/// How much a template match is worth, 0–1: its covered share, discounted
/// when that is only a few words (2 of 3 words says little; 9 of 10 a lot).
pub fn template_strength(share: f64, template_len: usize) -> f64 {
    let words = share * template_len as f64;
    if share < TEMPLATE_MIN || words < TEMPLATE_MIN_WORDS - 1e-3 {
        return 0.0;
    }
    share * (words / TEMPLATE_FULL_WORDS).min(1.0)
}

/// Rarity of a term found in `df` of `n` documents (BM25's idf).
pub fn idf(df: usize, n: usize) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The factor from weights to quantised units: 255 over the largest
/// weight of any term in any document. With none (no article has a term)
/// any finite factor will do, and JSON, which carries it to the terminal
/// index, has no infinity: 1.
pub fn quantising_scale(max: Option<f32>) -> f32 {
    max.map_or(1.0, |m| 255.0 / m)
}

/// A weight in the quantised units both engines add up (1–255).
pub fn quantise(weight: f32, scale: f32) -> u32 {
    (weight * scale).round().clamp(1.0, 255.0) as u32
}

/// Weight of a typo-tolerant word match relative to the word itself.
pub const FUZZY: f64 = 0.5;
/// Endings the stemmer takes off: a typed word one edit away from a
/// vocabulary stem plus one of these (`replicaton` ~ `replic` + `ation`)
/// is a typo of that word. The index holds stems, so without them a long
/// word's typo would be several edits from anything.
pub const FUZZY_ENDINGS: &[&str] = &[
    "", "e", "s", "es", "ed", "ing", "er", "ers", "ly", "ion", "ions", "ation", "ations", "ment",
    "ments", "ness", "ity", "ities", "ive", "al", "ate", "ated", "ates", "ize", "ized", "able",
    "ance", "ence", "ful", "ous", "ism", "y",
];

/// Whether the typed `word` is a typo of a word whose stem is `stem`.
pub fn typo_of(word: &str, stem: &str) -> bool {
    FUZZY_ENDINGS.iter().any(|e| {
        let len = stem.chars().count() + e.chars().count();
        len.abs_diff(word.chars().count()) <= 1 && one_edit(word, &format!("{stem}{e}"))
    })
}

/// True when `a` becomes `b` by one insertion, deletion, substitution or
/// swap of neighbours.
pub fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let lead = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[lead..], &b[lead..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

/// Candidates, best by term weight, that get their signature bonuses
/// before the final order.
pub const RERANK: usize = 30;

/// Average field lengths, for BM25's length normalisation: a term counts
/// for less in a long body than in a short one.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize)]
pub struct Norms {
    /// Mean length of the message field.
    pub msg: f32,
    /// Mean length of the body field.
    pub body: f32,
}

impl Norms {
    /// The averages over documents of the given (msg, body) lengths.
    pub fn of(lens: &[[u32; 2]]) -> Norms {
        let n = lens.len().max(1) as f32;
        let avg = |k: usize| (lens.iter().map(|l| l[k]).sum::<u32>() as f32 / n).max(1.0);
        Norms {
            msg: avg(0),
            body: avg(1),
        }
    }
}

/// BM25's saturation: how fast more occurrences stop adding weight. Above
/// the textbook 1.2 because articles repeat the words of their problem in
/// title, summary and text; measured on the shared corpus's queries
/// (README, "Search quality").
const K1: f32 = 2.0;
/// BM25's length normalisation: near full, so that a long how-to guide
/// that mentions every word once does not outweigh the short article about
/// the problem.
const B: f32 = 0.9;

/// BM25's tf saturation with length normalisation (`len / avg` of 1 when
/// the field is not normalised); one occurrence in an average field counts 1.
pub fn saturate(tf: u32, len_ratio: f32) -> f32 {
    let tf = tf as f32;
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len_ratio))
}

/// A term's weight in a document before rarity: its signature occurrences
/// plus its text occurrences (title whole, messages and body normalised by
/// their length) saturated together.
pub fn field_weight(counts: FieldCounts, lens: [u32; 2], norms: &Norms) -> f32 {
    weight_from_counts(counts.map(|n| (n > 0).then_some(u32::from(n))), lens, norms)
}

/// The same from raw counts (sig, title, msg, body) and the lengths of msg
/// and body, as the terminal engine reads them from tantivy.
pub fn weight_from_counts(tf: [Option<u32>; 4], lens: [u32; 2], norms: &Norms) -> f32 {
    let norm = |len: u32, avg: f32| 1.0 - B + B * len as f32 / avg;
    let sig = tf[0].map_or(0.0, |tf| SIG_WEIGHT * saturate(tf, 1.0));
    // BM25F: the text fields' occurrences, weighted and length-normalised,
    // saturate together, so a word in the title and the body is not
    // counted twice in full.
    let text = tf[1].map_or(0.0, |t| TITLE_WEIGHT * t as f32)
        + tf[2].map_or(0.0, |t| MSG_WEIGHT * t as f32 / norm(lens[0], norms.msg))
        + tf[3].map_or(0.0, |t| BODY_WEIGHT * t as f32 / norm(lens[1], norms.body));
    sig + if text > 0.0 {
        text * (K1 + 1.0) / (text + K1)
    } else {
        0.0
    }
}

/// How many of the query's word terms the record's title and summary hold:
/// what decides between results of equal score (quantised weights tie
/// often), since a symptom query retells the title and summary.
pub fn heading_words(query: &Analysis, doc: &Record, aliases: &Aliases) -> usize {
    let heading = crate::analysis::analyze(&format!("{} {}", doc.title, doc.summary), aliases);
    query
        .terms
        .iter()
        .filter(|t| TermKind::Word.is(t) && heading.terms.contains(t))
        .count()
}

/// One reason a result matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matched {
    /// `event`, `code`, `template`, `version`, `passage` or `text`.
    pub kind: &'static str,
    /// The event key, code, template text, block number or words.
    pub key: String,
    /// What a person reads: `Event 1011 · W3SVC`, `matches message template 87%`.
    pub detail: String,
}

/// Why `doc` matches the query, and its final score: `base` plus a bonus
/// (from `boost`, already scaled to the weights' units) per matched event,
/// code, the best template and the versions the query names — added one
/// by one in that order, as the browser adds them, so both arrive at the
/// same number. `has_word` says whether the article's text holds a `w:` term.
pub fn explain(
    query: &Analysis,
    versions: &QueryVersions<'_>,
    doc: &Record,
    has_word: impl Fn(&str) -> bool,
    boost: &Boost,
    base: f64,
) -> (f64, Vec<Matched>) {
    let has = |t: String| query.terms.contains(&t);
    let mut score = base;
    let mut matched = Vec::new();
    let per_id = event_bonuses(query, doc, boost, &mut matched);
    for (_, bonus) in per_id {
        score += bonus;
    }
    for c in &doc.codes {
        let by_key = has(TermKind::Code.term(&c.key));
        if by_key || c.names.iter().any(|n| has(TermKind::Name.term(n))) {
            score += if by_key { boost.code } else { boost.name };
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
        .map(|(share, t)| (share, template_strength(share, t.seq.len()), t))
        .filter(|(_, strength, _)| *strength > 0.0)
        .fold(None::<(f64, f64, &TemplateHit)>, |best, cur| match best {
            Some(b) if b.1 >= cur.1 => Some(b),
            _ => Some(cur),
        });
    if let Some((share, strength, t)) = best {
        score += boost.template * strength;
        matched.push(Matched {
            kind: "template",
            key: t.text.clone(),
            detail: template_detail(share, &t.owner),
        });
    }
    score += version_bonus(versions.mentions, doc, versions.known, boost, &mut matched);
    let words: Vec<&str> = query
        .terms
        .iter()
        .filter(|t| TermKind::Word.is(t))
        .filter(|t| has_word(t))
        .map(|t| {
            let word = TermKind::Word.body(t).unwrap_or(t);
            query.spelled.get(t).map_or(word, String::as_str)
        })
        .collect();
    if !words.is_empty() {
        matched.push(Matched {
            kind: "text",
            key: words.join(" "),
            detail: format!("words: {}", words.join(", ")),
        });
    }
    (score, matched)
}

/// What a person reads of a template match: its share, and whose message
/// it is.
fn template_detail(share: f64, owner: &str) -> String {
    let pct = (share * 100.0).round();
    if owner.is_empty() {
        format!("matches message template {pct}%")
    } else {
        format!("matches message template {pct}% ({owner})")
    }
}

/// The bonus of each event ID of `doc` that `query` holds, by itself or
/// with its source, and what matched. Each event ID earns its bonus once,
/// at the best the article gives it (two sources citing one ID are not
/// twice the evidence), times how surely the article is about it.
fn event_bonuses(
    query: &Analysis,
    doc: &Record,
    boost: &Boost,
    matched: &mut Vec<Matched>,
) -> Vec<(u32, f64)> {
    let has = |t: String| query.terms.contains(&t);
    let mut per_id: Vec<(u32, f64)> = Vec::new();
    for e in &doc.events {
        let by_key = has(TermKind::Event.term(&e.key));
        if by_key || has(TermKind::BareEvent.term(&e.id.to_string())) {
            let bonus = if by_key { boost.event } else { boost.id } * e.about;
            match per_id.iter_mut().find(|(id, _)| *id == e.id) {
                Some((_, best)) => *best = best.max(bonus),
                None => per_id.push((e.id, bonus)),
            }
            matched.push(Matched {
                kind: "event",
                key: e.key.clone(),
                detail: if e.source_name.is_empty() {
                    format!("Event {}", e.id)
                } else {
                    format!("Event {} · {}", e.id, e.source_name)
                },
            });
        }
    }
    per_id
}
