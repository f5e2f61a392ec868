//! What templates see: plain serialisable views built from the [`Site`],
//! separate from the model so the template contract is explicit. Every URL
//! in a view is relative to the output root; templates prefix `{{ root }}`.

use crate::model::site::Site;
use crate::model::{Document, PackedHtml};
use crate::signature::template::Part;
use crate::signature::{Code, Signature, Template};
use crate::urls::slug_name;
use serde::Serialize;

/// An article in a list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ArticleItem {
    /// Page path.
    pub url: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Product names.
    pub products: Vec<String>,
}

impl ArticleItem {
    /// The list entry of a document.
    pub(crate) fn of(doc: &Document) -> ArticleItem {
        ArticleItem {
            url: doc.url(),
            title: doc.title.clone(),
            summary: doc.meta.summary.clone(),
            date: doc.meta.date.map(|d| d.to_string()),
            products: doc.meta.products.iter().map(|p| p.name.clone()).collect(),
        }
    }
}

/// A named link (product, tag).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chip {
    /// Shown name.
    pub name: String,
    /// Page path.
    pub url: String,
    /// Versions (products only).
    pub versions: Vec<String>,
}

/// An event reference in a signature.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventView {
    /// Event ID.
    pub id: u32,
    /// Source as written.
    pub source_name: String,
    /// Page path.
    pub url: String,
    /// Level.
    pub level: Option<String>,
    /// Log.
    pub log: Option<String>,
}

/// An event ID cited without a source, in a signature.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BareEventView {
    /// Event ID.
    pub id: u32,
    /// Page path of the ID's disambiguation page.
    pub url: String,
    /// Level.
    pub level: Option<String>,
    /// Log.
    pub log: Option<String>,
}

/// A code badge.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CodeBadge {
    /// Canonical key.
    pub canonical: String,
    /// Symbolic name.
    pub name: Option<&'static str>,
    /// Page path.
    pub url: String,
}

impl CodeBadge {
    /// The badge of a code.
    pub(crate) fn of(c: &Code) -> CodeBadge {
        CodeBadge {
            canonical: c.canonical.clone(),
            name: c.name(),
            url: code_url(&c.canonical),
        }
    }
}

/// A signature on an article page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SignatureView {
    /// Event.
    pub event: Option<EventView>,
    /// Event ID without a source.
    pub bare_event: Option<BareEventView>,
    /// Message text.
    pub message: Option<String>,
    /// Message split into literal text and placeholders.
    pub parts: Vec<Part>,
    /// Codes.
    pub codes: Vec<CodeBadge>,
    /// `declared` or `extracted`.
    pub origin: crate::signature::Origin,
}

impl SignatureView {
    /// The view of a signature.
    pub(crate) fn of(s: &Signature) -> SignatureView {
        SignatureView {
            event: s.event.as_ref().map(|e| EventView {
                id: e.key.id,
                source_name: e.source_name.clone(),
                url: event_url(&e.key),
                level: e.level.clone(),
                log: e.log.clone(),
            }),
            bare_event: s.bare_event.as_ref().map(|b| BareEventView {
                id: b.id,
                url: event_id_url(b.id),
                level: b.level.clone(),
                log: b.log.clone(),
            }),
            message: s.message.as_ref().map(|m| m.text.clone()),
            parts: s.message.as_ref().map(Template::parts).unwrap_or_default(),
            codes: s.codes.iter().map(CodeBadge::of).collect(),
            origin: s.origin,
        }
    }
}

/// A fix shown inside an article.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FixView {
    /// Element id of the fix inside the article (`fix-<id>`).
    pub anchor: String,
    /// Page path.
    pub url: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Steps, as HTML.
    pub html: String,
}

/// Everything the article template shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ArticleView<'a> {
    /// `<title>`.
    pub title: &'a str,
    /// The page heading (the body's `# heading` when there is one).
    pub heading: &'a str,
    /// Summary.
    pub summary: Option<&'a str>,
    /// Date.
    pub date: Option<String>,
    /// Last update.
    pub updated: Option<String>,
    /// Authors.
    pub authors: &'a [String],
    /// Products.
    pub products: Vec<Chip>,
    /// Tags.
    pub tags: Vec<Chip>,
    /// Signatures.
    pub signatures: Vec<SignatureView>,
    /// Table of contents.
    pub toc: &'a [crate::markdown::TocEntry],
    /// Body HTML.
    pub html: String,
    /// Causes from the front matter; empty when the body has a section of
    /// its own for them (the same text twice reads as padding).
    pub causes: &'a [String],
    /// The folders above the article (`["windows"]`), for breadcrumbs.
    pub crumbs: Vec<&'a str>,
    /// Fixes.
    pub fixes: Vec<FixView>,
    /// Related articles.
    pub related: Vec<ArticleItem>,
    /// Source path relative to the content root.
    pub source: &'a str,
    /// Unknown front matter keys.
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    /// Verified, due, last modified, edit link.
    pub freshness: super::freshness::FreshnessView,
}

impl<'a> ArticleView<'a> {
    /// The view of article `i`, whose body is `html`.
    pub(crate) fn of(
        site: &'a Site,
        i: usize,
        html: &PackedHtml,
        fixes: &super::nest::NestedFixes<'_>,
    ) -> ArticleView<'a> {
        let a = &site.articles[i];
        ArticleView {
            title: &a.title,
            heading: a
                .body
                .h1
                .as_deref()
                .filter(|_| a.meta.title.is_none())
                .unwrap_or(&a.title),
            summary: a.meta.summary.as_deref(),
            date: a.meta.date.map(|d| d.to_string()),
            updated: a.meta.updated.map(|d| d.to_string()),
            authors: &a.meta.authors,
            products: a
                .meta
                .products
                .iter()
                .map(|p| Chip {
                    name: p.name.clone(),
                    url: taxon_url("products", &p.name),
                    versions: p.versions.clone(),
                })
                .collect(),
            tags: a
                .meta
                .tags
                .iter()
                .map(|t| Chip {
                    name: t.clone(),
                    url: taxon_url("tags", t),
                    versions: Vec::new(),
                })
                .collect(),
            signatures: site.signatures[i].iter().map(SignatureView::of).collect(),
            toc: &a.body.toc,
            html: html.unpack(),
            causes: if has_cause_section(&a.body.toc) {
                &[]
            } else {
                &a.meta.causes
            },
            crumbs: a
                .dir
                .rsplit_once('/')
                .map(|(parents, _)| parents.split('/').collect())
                .unwrap_or_default(),
            fixes: site.refs[i]
                .fixes
                .iter()
                .map(|&f| {
                    let fix = &site.fixes[f];
                    FixView {
                        anchor: format!("fix-{}", slug_name(&fix.id)),
                        url: fix.url(),
                        title: fix.title.clone(),
                        summary: fix.meta.summary.clone(),
                        html: fixes.html(f).to_string(),
                    }
                })
                .collect(),
            related: site.refs[i]
                .related
                .iter()
                .map(|&r| ArticleItem::of(&site.articles[r]))
                .collect(),
            source: &a.rel_path,
            extra: &a.meta.extra,
            freshness: super::freshness::view(a, site.info.edit_url.as_deref()),
        }
    }
}

/// Whether the body has its own "Cause" section, which says what the
/// front matter's `causes:` list would say again.
fn has_cause_section(toc: &[crate::markdown::TocEntry]) -> bool {
    toc.iter().any(|h| {
        let t = h.title.trim().trim_end_matches(':').to_lowercase();
        matches!(
            t.as_str(),
            "cause" | "causes" | "root cause" | "root causes"
        )
    })
}

/// Page path of an event.
pub(crate) fn event_url(key: &crate::signature::EventKey) -> String {
    format!("events/{}/index.html", key.path())
}

/// Page path of the disambiguation page of an event ID (every source using it).
pub(crate) fn event_id_url(id: u32) -> String {
    format!(
        "events/{}/{id}/index.html",
        crate::signature::events::RESERVED_ID
    )
}

/// Page path of a code.
pub(crate) fn code_url(canonical: &str) -> String {
    format!("codes/{canonical}/index.html")
}

/// Page path of a product or tag.
pub(crate) fn taxon_url(kind: &str, name: &str) -> String {
    format!("{kind}/{}/index.html", slug_name(name))
}
