//! One record against the knowledge base: which articles' signatures it
//! carries. Three kinds of evidence, strongest first — its event key
//! (source and ID), a canonical code in its text or insertion strings, a
//! message template its text covers (`coverage` and `template_strength`,
//! the functions search ranks templates with).

use super::kb::Signatures;
use super::prefilter::Need;
use super::record::LogRecord;
use super::terms::{self, RecordTerms};
use super::unmatched;
use crate::analysis::coverage;
use crate::search::rank::template_strength;
use crate::signature::events::Aliases;
use rustc_hash::{FxHashMap, FxHashSet};

/// What kind of signature matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The record's source and ID are an event the article cites.
    Event,
    /// A code the article cites is in the record's text.
    Code,
    /// The record's text covers a message template of the article.
    Template,
}

impl Kind {
    /// The name `--json` prints (`kbgen search --json` uses the same).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Code => "code",
            Kind::Template => "template",
        }
    }

    /// How much this kind of evidence says, before its strength.
    pub fn weight(self) -> f64 {
        match self {
            Kind::Event => 3.0,
            Kind::Code => 2.0,
            Kind::Template => 1.0,
        }
    }
}

/// One signature of one article found in a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence<'s> {
    /// The article (its place in [`Signatures::articles`]).
    pub article: u32,
    /// What matched.
    pub kind: Kind,
    /// The event key, canonical code or template text.
    pub key: &'s str,
    /// For people: the source as the article writes it, the code's name
    /// (empty for a template: its share says it).
    pub detail: &'s str,
    /// 0–1: the share of a template its record covers; 1 otherwise.
    pub share: f64,
    /// 0–1: a template's strength; for an event, how surely the article
    /// is about it (the index's `about`); for a code, how few articles
    /// cite it ([`specificity`]).
    pub strength: f64,
}

/// What one record yields: its evidence, or, when there is none, what the
/// unmatched list counts it under.
#[derive(Debug, Default)]
pub struct Outcome<'s> {
    /// Every signature found, at most one per (article, kind, key).
    pub evidence: Vec<Evidence<'s>>,
    /// For a record without evidence: its key in the unmatched list.
    pub unmatched: Option<super::unmatched::Missing>,
}

/// Matches `rec` against `sigs`; a record the prefilter clears is not
/// analysed, or, when it is an error, only for its noise tokens.
pub fn match_record<'s>(sigs: &'s Signatures, rec: &LogRecord, aliases: &Aliases) -> Outcome<'s> {
    match sigs.prefilter.need(sigs, rec) {
        Need::Nothing => Outcome::default(),
        // No event ID here (the prefilter sends those to the full path).
        Need::ErrorKey => Outcome {
            evidence: Vec::new(),
            unmatched: unmatched_key(rec),
        },
        Need::Full => match_record_full(sigs, rec, aliases),
    }
}

/// The unmatched list's key of a record without an event ID that gives no
/// evidence: its first line with its noise masked, when it is an error.
pub fn unmatched_key(rec: &LogRecord) -> Option<unmatched::Missing> {
    unmatched::error_line(rec).and_then(unmatched::masked)
}

/// [`match_record`] without the prefilter: every record analysed.
pub fn match_record_full<'s>(
    sigs: &'s Signatures,
    rec: &LogRecord,
    aliases: &Aliases,
) -> Outcome<'s> {
    let mut out = Outcome::default();
    let mut event_keys = Vec::new();
    if let Some(id) = rec.event_id {
        for source in &rec.sources {
            let key = terms::event_key(source, id, aliases);
            if !event_keys.contains(&key) {
                event_keys.push(key);
            }
        }
    }
    let found = terms::of_text(&rec.text, aliases);
    for key in event_keys.iter().chain(&found.events) {
        let Some((key, cited)) = sigs.events.get_key_value(key) else {
            continue;
        };
        for c in cited {
            // An event the article is about outranks one it mentions.
            let about = (1.0, c.about);
            push(
                &mut out.evidence,
                c.article,
                Kind::Event,
                key,
                &c.source,
                about,
            );
        }
    }
    codes(sigs, &found, &mut out.evidence);
    templates(sigs, &found.seq, &mut out.evidence);
    out.evidence
        .sort_by(|a, b| (a.article, a.kind, a.key).cmp(&(b.article, b.kind, b.key)));
    out.evidence
        .dedup_by(|a, b| a.article == b.article && a.kind == b.kind && a.key == b.key);
    if out.evidence.is_empty() {
        out.unmatched = unmatched::missing(rec, event_keys.first());
    }
    out
}

/// Adds one piece of evidence; `(share, strength)` as in [`Evidence`].
fn push<'s>(
    ev: &mut Vec<Evidence<'s>>,
    article: u32,
    kind: Kind,
    key: &'s str,
    detail: &'s str,
    (share, strength): (f64, f64),
) {
    ev.push(Evidence {
        article,
        kind,
        key,
        detail,
        share,
        strength,
    });
}

fn codes<'s>(sigs: &'s Signatures, found: &RecordTerms, ev: &mut Vec<Evidence<'s>>) {
    let mut keys: Vec<&str> = found.codes.iter().map(String::as_str).collect();
    for name in &found.names {
        for key in sigs.names.get(name).into_iter().flatten() {
            keys.push(key);
        }
    }
    let mut seen = FxHashSet::default();
    for key in keys {
        if !seen.insert(key) {
            continue;
        }
        let Some((key, cited)) = sigs.codes.get_key_value(key) else {
            continue;
        };
        let strength = specificity(cited);
        for (article, detail) in cited {
            push(ev, *article, Kind::Code, key, detail, (1.0, strength));
        }
    }
}

/// Articles that may cite a code before it says less of each: `0x80070005`
/// (access denied), cited by a hundred articles, tells little of which
/// one a log is about; a code that three or fewer cite points at them.
const CODE_MANY: f64 = 3.0;

/// How surely a code found points at each article citing it, 0–1, in
/// three decimals (the browser's twin computes the same number): all of
/// it for at most [`CODE_MANY`] articles, shared out beyond.
fn specificity(cited: &[(u32, String)]) -> f64 {
    let articles = 1 + cited.windows(2).filter(|w| w[0].0 != w[1].0).count();
    ((CODE_MANY / articles as f64).min(1.0) * 1000.0).round() / 1000.0
}

/// Templates the sequence covers. A template is measured only when the
/// terms it shares with the line could reach the share and the words a
/// match needs: the longest common subsequence is at most the sum, over
/// shared terms, of the fewer occurrences on either side. That bound is
/// counted through the term → templates map, in a per-thread array, so
/// most templates are never looked at and few are measured.
fn templates<'s>(sigs: &'s Signatures, seq: &[String], ev: &mut Vec<Evidence<'s>>) {
    if seq.len() < 3 {
        return;
    }
    let mut line: FxHashMap<&str, u16> = FxHashMap::default();
    for t in seq {
        *line.entry(t.as_str()).or_default() += 1;
    }
    let mut best: FxHashMap<u32, (f64, f64, u32)> = FxHashMap::default();
    SCRATCH.with_borrow_mut(|scratch| {
        scratch.bound.resize(sigs.templates.len(), 0);
        for (term, &on_line) in &line {
            for &(t, in_template) in sigs.template_terms.get(*term).into_iter().flatten() {
                let b = &mut scratch.bound[t as usize];
                if *b == 0 {
                    scratch.touched.push(t);
                }
                *b = b.saturating_add(in_template.min(on_line));
            }
        }
        for t in scratch.touched.drain(..) {
            let bound = std::mem::take(&mut scratch.bound[t as usize]) as usize;
            let template = &sigs.templates[t as usize];
            let len = template.seq.len();
            if bound < len.div_ceil(2).max(3) {
                continue;
            }
            let share = coverage(&template.seq, seq);
            let strength = template_strength(share, len);
            if strength <= 0.0 {
                continue;
            }
            let slot = best.entry(template.article).or_insert((0.0, 0.0, t));
            if strength > slot.0 {
                *slot = (strength, share, t);
            }
        }
    });
    for (article, (strength, share, t)) in best {
        let text = &sigs.templates[t as usize].text;
        push(ev, article, Kind::Template, text, "", (share, strength));
    }
}

/// Per-thread counting space for [`templates`].
#[derive(Default)]
struct Scratch {
    /// Upper bound of each template's coverage by the current line, in terms.
    bound: Vec<u16>,
    /// Templates whose bound is not zero.
    touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}
