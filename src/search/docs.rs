//! What search knows of each article: the fields both indexes are built
//! from, and the record a result shows (title, summary, signatures).

use crate::analysis::{analyze_into, template_seq, Interned, TermKind, TermSink};
use crate::markdown::{Block, BlockKind};
use crate::model::site::Site;
use crate::model::Document;
use crate::signature::codes::parse_code;
use crate::signature::events::Aliases;
use crate::signature::Signature;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

mod signatures;
use signatures::{about, add_code, add_events};

/// An event an article cites, as a result shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventHit {
    /// `w3svc/1011`, or `id/1011` for an ID cited without its source.
    pub key: String,
    /// The source as the article writes it; empty when it does not.
    pub source_name: String,
    /// The ID.
    pub id: u32,
    /// How surely the article is about this event, 0–1 ([`about`]).
    #[serde(default = "whole")]
    pub about: f64,
}

fn whole() -> f64 {
    1.0
}

/// A code an article cites, as a result shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeHit {
    /// Canonical key.
    pub key: String,
    /// Preferred symbolic name, or empty.
    pub name: String,
    /// System message, or empty.
    pub message: String,
    /// Every symbolic name (lower case), for matching `n:` terms.
    pub names: Vec<String>,
}

/// A message template an article gives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateHit {
    /// The message as written.
    pub text: String,
    /// Its analysed literal sequence.
    pub seq: Vec<String>,
    /// The event or code whose message it is (`Event 1011 · W3SVC`,
    /// `Event 1014`, `0x80070005`), empty when it stands alone.
    #[serde(default)]
    pub owner: String,
}

/// Occurrences of a term in each field, in [`Field`] order. Saturated at
/// `u16::MAX`, which BM25's saturation makes the same weight as any more;
/// both indexes read the same saturated counts.
pub(crate) type FieldCounts = [u16; 4];

/// The fields of a search document, as indexes into [`FieldCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Signature terms (`e:`, `i:`, `c:`, `n:`).
    Sig = 0,
    /// Title and product names.
    Title = 1,
    /// Messages, headings and the summary.
    Msg = 2,
    /// Body text.
    Body = 3,
}

impl Field {
    /// Every field, in [`FieldCounts`] order.
    pub const ALL: [Field; 4] = [Field::Sig, Field::Title, Field::Msg, Field::Body];
}

/// What a result shows of an article, and what is needed to say why it matched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// Page path from the site root.
    pub url: String,
    /// Title.
    pub title: String,
    /// Source path relative to the content root.
    pub source: String,
    /// Product names.
    pub products: Vec<String>,
    /// A short text shown under the title.
    pub summary: String,
    /// Cited events.
    pub events: Vec<EventHit>,
    /// Cited codes.
    pub codes: Vec<CodeHit>,
    /// Message templates.
    pub templates: Vec<TemplateHit>,
    /// Product versions, each as `Product Version` (`IIS 10.0`).
    #[serde(default)]
    pub versions: Vec<String>,
    /// The product versions it applies to ([`super::versions::applies_of`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies: Vec<super::versions::Applies>,
    /// Freshness mark (`may be out of date`, `expired`), empty when current.
    #[serde(default)]
    pub fresh: String,
}

/// One article as search sees it: its record and its terms. Kept compact
/// (one list of terms rather than a map per field, each block's sequence
/// as one string), because a build holds many of them at once.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// What a result shows.
    pub record: Record,
    /// Every term with its occurrences per field, each once, in an order
    /// that changes from run to run (each index sorts them its own way).
    /// Interned: both index writers take them without a string each.
    pub terms: Vec<(Interned, FieldCounts)>,
    /// Primary terms of each body block in order, space-separated, for
    /// phrase queries.
    pub flow: Vec<String>,
    /// Lengths of the msg and body fields (their term occurrences), counted
    /// once: every term's weight needs them.
    pub lens: [u32; 2],
}

impl SearchDoc {
    /// The terms of one field, each with its occurrences.
    pub fn field_terms(&self, field: Field) -> impl Iterator<Item = (&str, u16)> {
        self.terms
            .iter()
            .filter(move |(_, c)| c[field as usize] > 0)
            .map(move |(t, c)| (t.as_str(), c[field as usize]))
    }
}

/// Terms being counted for one document.
#[derive(Default)]
struct Counter {
    /// Each term's occurrences per field, and the last text that counted it.
    counts: FxHashMap<Interned, ([u32; 4], u32)>,
    /// The text being counted, numbered from 1.
    text: u32,
}

impl Counter {
    /// Counts one more occurrence of `term`.
    fn count(&mut self, field: Field, term: &str) {
        self.counts.entry(Interned::of(term)).or_default().0[field as usize] += 1;
    }

    /// Starts counting another text ([`Counter::count_once`]).
    fn next_text(&mut self) {
        self.text += 1;
    }

    /// Counts `term` once for the text being counted, however often it
    /// holds it: an article's term frequency is the number of its texts
    /// (blocks, headings, messages) that hold the term.
    fn count_once(&mut self, field: Field, term: Interned) {
        let text = self.text;
        let entry = self.counts.entry(term).or_default();
        if entry.1 != text {
            entry.1 = text;
            entry.0[field as usize] += 1;
        }
    }

    /// Occurrences of every term of `field`.
    fn len(&self, field: Field) -> u32 {
        self.counts.values().map(|c| c.0[field as usize]).sum()
    }

    fn into_terms(self) -> Vec<(Interned, FieldCounts)> {
        let saturate = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
        self.counts
            .into_iter()
            .map(|(t, (c, _))| (t, c.map(saturate)))
            .collect()
    }
}

const SUMMARY_CHARS: usize = 240;

/// What a reader calls the event or code signature `s` gives a message for.
fn owner(s: &Signature) -> String {
    if let Some(e) = &s.event {
        format!("Event {} · {}", e.key.id, e.source_name)
    } else if let Some(b) = &s.bare_event {
        format!("Event {}", b.id)
    } else {
        s.codes
            .first()
            .map(|c| c.canonical.clone())
            .unwrap_or_default()
    }
}

/// The search document of article `i`, whose text blocks are `blocks`.
pub(crate) fn search_doc(site: &Site, i: usize, blocks: &[Block], aliases: &Aliases) -> SearchDoc {
    article_search_doc(&site.articles[i], &site.signatures[i], blocks, aliases)
}

/// The search document of article `doc` with its `signatures` and text
/// `blocks`. It depends on the article alone (not on the rest of the site),
/// which lets `kbgen serve` recompute an article's previous document
/// instead of keeping every one.
pub(crate) fn article_search_doc(
    doc: &Document,
    signatures: &[Signature],
    blocks: &[Block],
    aliases: &Aliases,
) -> SearchDoc {
    let mut events: Vec<EventHit> = Vec::new();
    let mut codes: Vec<CodeHit> = Vec::new();
    let mut templates: Vec<TemplateHit> = Vec::new();
    let mut terms = Counter::default();
    for s in signatures {
        add_events(&mut events, &mut terms, s);
        for c in &s.codes {
            add_code(&mut codes, &mut terms, c);
        }
        if let Some(t) = &s.message {
            if !templates.iter().any(|h| h.text == t.text) {
                templates.push(TemplateHit {
                    text: t.text.clone(),
                    seq: template_seq(t, aliases),
                    owner: owner(s),
                });
            }
        }
    }

    let summary_text = doc.meta.summary.clone().unwrap_or_else(|| {
        blocks
            .iter()
            .find(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.text.clone())
            .unwrap_or_default()
    });
    let mut strong = BTreeSet::new();
    let mut flow = Vec::new();
    // One buffer grows to the longest block's sequence; each block's flow
    // is then copied out at its own length, where growing a string per
    // block copied it at each doubling.
    let mut seq = String::new();
    let mut text = |field: Field, text: &str, seq: &mut String| {
        let mut sink = TextSink::new(&mut terms, field, &mut strong, std::mem::take(seq));
        analyze_into(text, aliases, &mut sink);
        *seq = sink.seq;
    };
    text(Field::Msg, &summary_text, &mut seq);
    for t in &templates {
        text(Field::Msg, &t.text, &mut seq);
    }
    for b in blocks {
        let field = if b.kind == BlockKind::Heading {
            Field::Msg
        } else {
            Field::Body
        };
        text(field, &b.text, &mut seq);
        flow.push(seq.clone());
    }
    // The title's word terms are kept for `about`, not analysed again there.
    let mut title = TextSink::new(&mut terms, Field::Title, &mut strong, String::new());
    title.words = Some(Vec::new());
    analyze_into(&doc.title, aliases, &mut title);
    let title_words = title.words.unwrap_or_default();
    for p in &doc.meta.products {
        let mut sink = TextSink::new(&mut terms, Field::Title, &mut strong, String::new());
        analyze_into(&p.name, aliases, &mut sink);
    }
    // A code the text spells in a way prose extraction leaves alone
    // ("Error code is 2150859027") is still this article's code for search,
    // when surely written as a code (a bare `0x3` is more often a parameter).
    for key in &strong {
        if let Some(c) = parse_code(key) {
            add_code(&mut codes, &mut terms, &c);
        }
    }

    about(&mut events, &title_words);
    SearchDoc {
        lens: [terms.len(Field::Msg), terms.len(Field::Body)],
        record: Record {
            url: doc.url(),
            title: doc.title.clone(),
            source: doc.rel_path.clone(),
            products: doc.meta.products.iter().map(|p| p.name.clone()).collect(),
            summary: shorten(&summary_text, SUMMARY_CHARS),
            events,
            codes,
            templates,
            fresh: crate::render::freshness::mark(&doc.freshness),
            applies: super::versions::applies_of(&doc.meta.products),
            versions: doc
                .meta
                .products
                .iter()
                .flat_map(|p| p.versions.iter().map(move |v| format!("{} {v}", p.name)))
                .collect(),
        },
        terms: terms.into_terms(),
        flow,
    }
}

/// Counts the text terms of one text in a field — words, names and codes;
/// event terms come from the signatures only, never from guesses in prose
/// — and keeps its sequence, space-separated, and its strong codes.
struct TextSink<'a> {
    terms: &'a mut Counter,
    field: Field,
    strong: &'a mut BTreeSet<String>,
    seq: String,
    /// The text's word terms, each once in order of first appearance, when wanted.
    words: Option<Vec<String>>,
}

impl<'a> TextSink<'a> {
    /// A sink for the next text, whose sequence is written into `seq`
    /// (emptied first: a buffer kept from the text before).
    fn new(
        terms: &'a mut Counter,
        field: Field,
        strong: &'a mut BTreeSet<String>,
        mut seq: String,
    ) -> Self {
        terms.next_text();
        seq.clear();
        TextSink {
            terms,
            field,
            strong,
            seq,
            words: None,
        }
    }
}

impl TermSink for TextSink<'_> {
    fn term(&mut self, term: Interned, primary: bool) {
        if primary {
            if !self.seq.is_empty() {
                self.seq.push(' ');
            }
            self.seq.push_str(&term);
        }
        match TermKind::parse(&term) {
            Some((TermKind::Word | TermKind::Name | TermKind::Code, _)) => {
                self.terms.count_once(self.field, term);
            }
            _ => return,
        }
        if let Some(words) = &mut self.words {
            if TermKind::Word.is(&term) && !words.iter().any(|w| w == &*term) {
                words.push(term.to_string());
            }
        }
    }

    fn strong_code(&mut self, key: &str) {
        if !self.strong.contains(key) {
            self.strong.insert(key.to_string());
        }
    }
}

/// At most `max` characters, cut at a word boundary, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::{Counter, Field, TextSink};
    use crate::analysis::analyze_into;
    use crate::signature::events::Aliases;
    use std::collections::BTreeSet;

    /// A term counts once per text that holds it, however often the text
    /// repeats it; signature terms count per signature.
    #[test]
    fn a_term_counts_once_per_text() {
        let mut terms = Counter::default();
        let mut strong = BTreeSet::new();
        for text in [
            "The share timed out; the share timed out again.",
            "Error 0x80070005 on the share",
        ] {
            let mut sink = TextSink::new(&mut terms, Field::Body, &mut strong, String::new());
            analyze_into(text, &Aliases::default(), &mut sink);
        }
        terms.count(Field::Sig, "c:0x80070005");
        terms.count(Field::Sig, "c:0x80070005");
        let counts = terms.into_terms();
        let of = |t: &str| {
            counts
                .iter()
                .find(|(k, _)| k.as_str() == t)
                .map(|(_, c)| *c)
        };
        assert_eq!(of("w:share"), Some([0, 0, 0, 2]));
        assert_eq!(of("w:again"), Some([0, 0, 0, 1]));
        assert_eq!(of("c:0x80070005"), Some([2, 0, 0, 1]));
        assert!(strong.contains("0x80070005"));
    }
}
