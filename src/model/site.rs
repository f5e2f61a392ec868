//! Stage 4: the whole site as one immutable value with its lookup tables —
//! which articles cite each event, code, product, tag and fix. Rendering
//! reads it and never changes it.

use super::links::{self, Refs};
use super::{DocKind, Document};
use crate::config::{Settings, SiteInfo};
use crate::diag::Diagnostics;
use crate::signature::{Code, EventKey};
use crate::signature::{Origin, Signature};
use crate::urls::slug_name;
use std::collections::BTreeMap;

/// One article citing an event.
#[derive(Debug, Clone)]
pub struct Citation {
    /// Article index.
    pub article: usize,
    /// Message as the article gives it.
    pub message: Option<String>,
    /// Level, when known.
    pub level: Option<String>,
    /// Log, when known.
    pub log: Option<String>,
    /// Declared or extracted.
    pub origin: Origin,
}

/// An event and the articles that cite it.
#[derive(Debug, Clone)]
pub struct EventEntry {
    /// Source name as most articles write it.
    pub source_name: String,
    /// Citing articles, in article order.
    pub citations: Vec<Citation>,
}

/// Everything known about one event ID across sources: the page
/// `events/id/<id>/` that a bare ID (`Event ID 1388`) resolves to.
#[derive(Debug, Clone, Default)]
pub struct EventIdEntry {
    /// Every (source, id) key with this ID, in key order.
    pub keys: Vec<EventKey>,
    /// Articles citing the ID without a source, in article order.
    pub citations: Vec<Citation>,
}

/// A code and the articles that cite it.
#[derive(Debug, Clone)]
pub struct CodeEntry {
    /// The code.
    pub code: Code,
    /// Citing article indexes, in order.
    pub articles: Vec<usize>,
}

/// A product or tag and its articles.
#[derive(Debug, Clone)]
pub struct Taxon {
    /// Name as written.
    pub name: String,
    /// Article indexes.
    pub articles: Vec<usize>,
}

/// Adds article `i`'s citation by signature `s`, once per article.
fn cite(
    citations: &mut Vec<Citation>,
    i: usize,
    s: &Signature,
    level: &Option<String>,
    log: &Option<String>,
) {
    if !citations.iter().any(|c| c.article == i) {
        citations.push(Citation {
            article: i,
            message: s.message.as_ref().map(|m| m.text.clone()),
            level: level.clone(),
            log: log.clone(),
            origin: s.origin,
        });
    }
}

/// The assembled site.
#[derive(Debug)]
pub struct Site {
    /// Site-wide values.
    pub info: SiteInfo,
    /// Articles, sorted by source path.
    pub articles: Vec<Document>,
    /// Fix documents, sorted by id.
    pub fixes: Vec<Document>,
    /// Signatures per article (same order as `articles`).
    pub signatures: Vec<Vec<Signature>>,
    /// Fixes and related articles per article.
    pub refs: Vec<Refs>,
    /// Events by key.
    pub events: BTreeMap<EventKey, EventEntry>,
    /// Every event ID that appears, with or without a source.
    pub event_ids: BTreeMap<u32, EventIdEntry>,
    /// Codes by canonical key.
    pub codes: BTreeMap<String, CodeEntry>,
    /// Products by slug.
    pub products: BTreeMap<String, Taxon>,
    /// Tags by slug.
    pub tags: BTreeMap<String, Taxon>,
    /// Articles using each fix (indexed like `fixes`).
    pub fix_users: Vec<Vec<usize>>,
}

impl Site {
    /// Assembles the site from documents and their signatures.
    pub fn assemble(
        docs: Vec<(Document, Vec<Signature>)>,
        settings: &Settings,
        diags: &mut Diagnostics,
    ) -> Site {
        let mut articles = Vec::new();
        let mut signatures = Vec::new();
        let mut fixes = Vec::new();
        for (doc, sigs) in docs {
            match doc.kind {
                DocKind::Article => {
                    articles.push(doc);
                    signatures.push(sigs);
                }
                DocKind::Fix => fixes.push(doc),
            }
        }
        fixes.sort_by(|a: &Document, b: &Document| a.id.cmp(&b.id));
        let refs = links::resolve(&articles, &fixes, settings, diags);

        let mut events: BTreeMap<EventKey, EventEntry> = BTreeMap::new();
        let mut event_ids: BTreeMap<u32, EventIdEntry> = BTreeMap::new();
        let mut codes: BTreeMap<String, CodeEntry> = BTreeMap::new();
        for (i, sigs) in signatures.iter().enumerate() {
            for s in sigs {
                if let Some(b) = &s.bare_event {
                    let entry = event_ids.entry(b.id).or_default();
                    cite(&mut entry.citations, i, s, &b.level, &b.log);
                }
                if let Some(ev) = &s.event {
                    let entry = events.entry(ev.key.clone()).or_insert_with(|| EventEntry {
                        source_name: ev.source_name.clone(),
                        citations: Vec::new(),
                    });
                    cite(&mut entry.citations, i, s, &ev.level, &ev.log);
                }
                for c in &s.codes {
                    let entry = codes
                        .entry(c.canonical.clone())
                        .or_insert_with(|| CodeEntry {
                            code: c.clone(),
                            articles: Vec::new(),
                        });
                    if entry.articles.last() != Some(&i) && !entry.articles.contains(&i) {
                        entry.articles.push(i);
                    }
                }
            }
        }
        for key in events.keys() {
            event_ids.entry(key.id).or_default().keys.push(key.clone());
        }
        let taxonomy = |names: &dyn Fn(&Document) -> Vec<String>| {
            let mut map: BTreeMap<String, Taxon> = BTreeMap::new();
            for (i, a) in articles.iter().enumerate() {
                for name in names(a) {
                    let t = map.entry(slug_name(&name)).or_insert_with(|| Taxon {
                        name: name.clone(),
                        articles: Vec::new(),
                    });
                    if !t.articles.contains(&i) {
                        t.articles.push(i);
                    }
                }
            }
            map
        };
        let products = taxonomy(&|a| a.meta.products.iter().map(|p| p.name.clone()).collect());
        let tags = taxonomy(&|a| a.meta.tags.clone());
        let mut fix_users = vec![Vec::new(); fixes.len()];
        for (i, r) in refs.iter().enumerate() {
            for &f in &r.fixes {
                fix_users[f].push(i);
            }
        }
        Site {
            info: settings.site.clone(),
            articles,
            fixes,
            signatures,
            refs,
            events,
            event_ids,
            codes,
            products,
            tags,
            fix_users,
        }
    }

    /// Article indexes, most recently updated (or dated) first; ties in source order.
    pub fn articles_by_date(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.articles.len()).collect();
        idx.sort_by(|&a, &b| {
            self.last_changed(b)
                .cmp(&self.last_changed(a))
                .then(a.cmp(&b))
        });
        idx
    }

    /// `updated`, else `date`, of article `i`.
    pub fn last_changed(&self, i: usize) -> Option<super::date::Date> {
        let m = &self.articles[i].meta;
        m.updated.or(m.date)
    }

    /// Number of signatures over all articles.
    pub fn signature_count(&self) -> usize {
        self.signatures.iter().map(Vec::len).sum()
    }
}
