//! Stage 4: the whole site as one immutable value with its lookup tables —
//! which articles cite each event, code, product, tag and fix. Rendering
//! reads it and never changes it.

use super::links::{self, Refs};
use super::{DocKind, Document};
use crate::config::{Settings, SiteInfo};
use crate::diag::{Diagnostic, Diagnostics};
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

/// The product and the tag taxonomies of `articles`.
fn taxonomies(
    articles: &[Document],
    diags: &mut Diagnostics,
) -> (BTreeMap<String, Taxon>, BTreeMap<String, Taxon>) {
    let product_names = |a: &Document| a.meta.products.iter().map(|p| p.name.clone()).collect();
    let products = taxonomy(articles, "product", &product_names, diags);
    let tags = taxonomy(articles, "tag", &|a| a.meta.tags.clone(), diags);
    (products, tags)
}

/// Products or tags by page name, with their articles. Two names that
/// differ in more than case, spaces and hyphens but make the same page
/// name are reported (they share one page).
fn taxonomy(
    articles: &[Document],
    what: &str,
    names: &dyn Fn(&Document) -> Vec<String>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Taxon> {
    let plain = |n: &str| -> String {
        n.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut map: BTreeMap<String, Taxon> = BTreeMap::new();
    let mut told = std::collections::BTreeSet::new();
    for (i, a) in articles.iter().enumerate() {
        for name in names(a) {
            let slug = slug_name(&name);
            let t = map.entry(slug.clone()).or_insert_with(|| Taxon {
                name: name.clone(),
                articles: Vec::new(),
            });
            if plain(&t.name) != plain(&name) && told.insert(name.clone()) {
                diags.push(
                    Diagnostic::warning(
                        &a.display_path,
                        0,
                        0,
                        format!(
                            "{what} `{name}` shares the page `{slug}` with `{}`, so the two are listed as one",
                            t.name
                        ),
                    )
                    .hint(format!("write the {what} as other articles do, or rename one of them")),
                );
            }
            // Articles come in order: a repeat is the last one.
            if t.articles.last() != Some(&i) {
                t.articles.push(i);
            }
        }
    }
    map
}

/// Adds article `i`'s citation by signature `s`, once per article.
fn cite(
    citations: &mut Vec<Citation>,
    i: usize,
    s: &Signature,
    level: &Option<String>,
    log: &Option<String>,
) {
    // Articles are cited in order: a repeat can only be the last citation.
    // An article that gives the event another message is cited again with it.
    let message = s.message.as_ref().map(|m| m.text.clone());
    let repeat = citations
        .last()
        .is_some_and(|c| c.article == i && (message.is_none() || c.message == message));
    if !repeat {
        citations.push(Citation {
            article: i,
            message,
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
        let mut articles = Vec::with_capacity(docs.len());
        let mut signatures = Vec::with_capacity(docs.len());
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
        // The references and the tables need nothing of each other: made
        // side by side, their problems reported in the same order as one
        // after the other.
        let mut ref_diags = Diagnostics::default();
        let mut taxon_diags = Diagnostics::default();
        let (refs, ((events, event_ids, codes), (products, tags))) = rayon::join(
            || links::resolve(&articles, &fixes, settings, &mut ref_diags),
            || {
                rayon::join(
                    || signature_tables(&signatures),
                    || taxonomies(&articles, &mut taxon_diags),
                )
            },
        );
        diags.extend(ref_diags);
        diags.extend(taxon_diags);
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

/// The event, event ID and code tables: which articles (by number) cite
/// each, from the signatures of every article.
fn signature_tables(signatures: &[Vec<Signature>]) -> SignatureTables {
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
                // Articles come in order: a repeat can only be the last.
                if entry.articles.last() != Some(&i) {
                    entry.articles.push(i);
                }
            }
        }
    }
    for key in events.keys() {
        event_ids.entry(key.id).or_default().keys.push(key.clone());
    }
    (events, event_ids, codes)
}

/// Events, event IDs and codes, each with the articles that cite it.
type SignatureTables = (
    BTreeMap<EventKey, EventEntry>,
    BTreeMap<u32, EventIdEntry>,
    BTreeMap<String, CodeEntry>,
);
