//! What search knows of each article: the fields both indexes are built
//! from, and the record a result shows (title, summary, signatures).

use super::analyze::{analyze_for_index, template_seq};
use super::rank::field_len;
use crate::markdown::BlockKind;
use crate::model::site::Site;
use crate::signature::codes::parse_code;
use crate::signature::events::Aliases;
use crate::signature::Code;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// An event an article cites, as a result shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventHit {
    /// `w3svc/1011`, or `id/1011` for an ID cited without its source.
    pub key: String,
    /// The source as the article writes it; empty when it does not.
    pub source_name: String,
    /// The ID.
    pub id: u32,
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
}

/// Term counts of one field: how many blocks of the field hold each term.
pub type FieldTerms = BTreeMap<String, u32>;

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
}

/// One article as search sees it: its record and its terms by field.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// What a result shows.
    pub record: Record,
    /// Tags.
    pub tags: Vec<String>,
    /// Signature terms (`e:`, `i:`, `c:`, `n:`).
    pub sig: FieldTerms,
    /// Title terms.
    pub title_terms: FieldTerms,
    /// Terms of messages, headings and the summary.
    pub msg: FieldTerms,
    /// Terms of the body text.
    pub body: FieldTerms,
    /// Primary terms of each body block in order, for phrase queries.
    pub flow: Vec<Vec<String>>,
    /// Lengths of `msg` and `body` (their term occurrences), counted once:
    /// every term's weight needs them.
    pub lens: [u32; 2],
}

impl SearchDoc {
    /// True when a text field holds `term`.
    pub fn has_text_term(&self, term: &str) -> bool {
        self.title_terms.contains_key(term)
            || self.msg.contains_key(term)
            || self.body.contains_key(term)
    }
}

const SUMMARY_CHARS: usize = 240;

/// The search documents of a site, one per article, in article order.
pub fn search_docs(site: &Site, aliases: &Aliases) -> Vec<SearchDoc> {
    (0..site.articles.len())
        .into_par_iter()
        .map(|i| search_doc(site, i, aliases))
        .collect()
}

/// The search document of article `i` (one of [`search_docs`]).
pub fn search_doc(site: &Site, i: usize, aliases: &Aliases) -> SearchDoc {
    let doc = &site.articles[i];
    let mut events: Vec<EventHit> = Vec::new();
    let mut codes: Vec<CodeHit> = Vec::new();
    let mut templates: Vec<TemplateHit> = Vec::new();
    let mut sig = FieldTerms::new();
    for s in &site.signatures[i] {
        if let Some(e) = &s.event {
            let key = e.key.path();
            if !events.iter().any(|h| h.key == key) {
                count(&mut sig, format!("e:{key}"));
                count(&mut sig, format!("i:{}", e.key.id));
                events.push(EventHit {
                    key,
                    source_name: e.source_name.clone(),
                    id: e.key.id,
                });
            }
        }
        if let Some(b) = &s.bare_event {
            // An ID the article cites without its source: found by `i:` only.
            let key = format!("id/{}", b.id);
            if !events.iter().any(|h| h.key == key) {
                count(&mut sig, format!("i:{}", b.id));
                events.push(EventHit {
                    key,
                    source_name: String::new(),
                    id: b.id,
                });
            }
        }
        for c in &s.codes {
            add_code(&mut codes, &mut sig, c);
        }
        if let Some(t) = &s.message {
            if !templates.iter().any(|h| h.text == t.text) {
                templates.push(TemplateHit {
                    text: t.text.clone(),
                    seq: template_seq(t, aliases),
                });
            }
        }
    }

    let summary_text = doc.meta.summary.clone().unwrap_or_else(|| {
        doc.body
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.text.clone())
            .unwrap_or_default()
    });
    let mut strong = BTreeSet::new();
    let mut msg = FieldTerms::new();
    let mut body = FieldTerms::new();
    let mut flow = Vec::new();
    add_text(&mut msg, &mut strong, &summary_text, aliases);
    for t in &templates {
        add_text(&mut msg, &mut strong, &t.text, aliases);
    }
    for b in &doc.body.blocks {
        let field = if b.kind == BlockKind::Heading {
            &mut msg
        } else {
            &mut body
        };
        flow.push(add_text(field, &mut strong, &b.text, aliases));
    }
    let mut title_terms = FieldTerms::new();
    add_text(&mut title_terms, &mut strong, &doc.title, aliases);
    for p in &doc.meta.products {
        add_text(&mut title_terms, &mut strong, &p.name, aliases);
    }
    // A code the text spells in a way prose extraction leaves alone
    // ("Error code is 2150859027") is still this article's code for search,
    // when surely written as a code (a bare `0x3` is more often a parameter).
    for key in &strong {
        if let Some(c) = parse_code(key) {
            add_code(&mut codes, &mut sig, &c);
        }
    }

    let lens = [field_len(&msg), field_len(&body)];
    SearchDoc {
        lens,
        record: Record {
            url: doc.url(),
            title: doc.title.clone(),
            source: doc.rel_path.clone(),
            products: doc.meta.products.iter().map(|p| p.name.clone()).collect(),
            summary: shorten(&summary_text, SUMMARY_CHARS),
            events,
            codes,
            templates,
        },
        tags: doc.meta.tags.clone(),
        sig,
        title_terms,
        msg,
        body,
        flow,
    }
}

/// Adds a code with its key and every name as signature terms, once.
fn add_code(codes: &mut Vec<CodeHit>, sig: &mut FieldTerms, c: &Code) {
    if codes.iter().any(|h| h.key == c.canonical) {
        return;
    }
    count(sig, format!("c:{}", c.canonical));
    let names: Vec<String> = c.rows().iter().map(|r| r.name.to_lowercase()).collect();
    for n in &names {
        count(sig, format!("n:{n}"));
    }
    codes.push(CodeHit {
        key: c.canonical.clone(),
        name: c.name().unwrap_or_default().to_string(),
        message: c.message().unwrap_or_default().to_string(),
        names,
    });
}

fn count(field: &mut FieldTerms, term: String) {
    *field.entry(term).or_insert(0) += 1;
}

/// Adds the text terms of `text` to a field — words, names and codes; event
/// terms come from the signatures only, never from guesses in prose — and
/// returns its sequence.
fn add_text(
    field: &mut FieldTerms,
    strong: &mut BTreeSet<String>,
    text: &str,
    aliases: &Aliases,
) -> Vec<String> {
    let a = analyze_for_index(text, aliases);
    strong.extend(a.strong_codes);
    for t in a.terms {
        if t.starts_with("w:") || t.starts_with("n:") || t.starts_with("c:") {
            count(field, t);
        }
    }
    a.seq
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
