//! Typed front matter. Known keys are converted one by one so that a wrong
//! type is reported at the line of its key; unknown keys are kept in
//! [`Meta::extra`] for templates (real documents carry dozens of them).
//! DocFX keys used by Microsoft's articles (`description`, `ms.date`,
//! `author`, `appliesto`) fill the typed fields when ours are absent.

use super::date::Date;
use super::freshness::Interval;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::front_matter::Entry;
use serde::Serialize;
use serde_yaml::Value;
use std::collections::BTreeMap;

mod convert;
use convert::Cx;

/// A product an article applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductRef {
    /// Product name as shown (`Exchange Server`).
    pub name: String,
    /// Versions, as written.
    pub versions: Vec<String>,
}

/// An event as declared in front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMeta {
    /// Event ID.
    pub id: u32,
    /// Source or provider name.
    pub source: String,
    /// Log name (`System`, `Application`), when given.
    pub log: Option<String>,
    /// Level (`Error`, `Warning`), when given.
    pub level: Option<String>,
}

/// Longest event source name: sources name a program (`W3SVC`,
/// `Microsoft-Windows-Kernel-Power`), and each one becomes a folder.
const MAX_SOURCE: usize = 100;

/// One entry of `signatures:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMeta {
    /// The event, when the signature is an event.
    pub event: Option<EventMeta>,
    /// Message template.
    pub message: Option<String>,
    /// Error codes in any spelling.
    pub codes: Vec<String>,
    /// File line of this entry's `signatures:` key.
    pub line: usize,
}

/// A reference to another document, with the line it is written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The reference as written.
    pub value: String,
    /// File line.
    pub line: usize,
}

/// Everything the front matter says.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `title`.
    pub title: Option<String>,
    /// `slug`, with its line.
    pub slug: Option<Located>,
    /// `date` (or DocFX `ms.date`).
    pub date: Option<Date>,
    /// `updated`.
    pub updated: Option<Date>,
    /// `authors` (or DocFX `author`).
    pub authors: Vec<String>,
    /// `summary` (or `description`).
    pub summary: Option<String>,
    /// `products` (or DocFX `appliesto`).
    pub products: Vec<ProductRef>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `signatures`.
    pub signatures: Vec<SignatureMeta>,
    /// `causes`.
    pub causes: Vec<String>,
    /// `fixes`: ids of fix documents.
    pub fixes: Vec<Located>,
    /// `related`: other articles by path or slug.
    pub related: Vec<Located>,
    /// `draft`.
    pub draft: bool,
    /// `id` (fix documents).
    pub id: Option<Located>,
    /// `applies_to` (fix documents).
    pub applies_to: Vec<String>,
    /// `reviewed` (or DocFX `ms.date`): last verified by a person.
    pub reviewed: Option<Date>,
    /// True when `reviewed` is DocFX's `ms.date`.
    pub reviewed_by_docfx: bool,
    /// `review_every`.
    pub review_every: Option<Interval>,
    /// `expires`.
    pub expires: Option<Date>,
    /// `owner` (or DocFX `ms.reviewer`): who reviews it.
    pub owners: Vec<String>,
    /// `aliases`: earlier paths or URLs of the page.
    pub aliases: Vec<Located>,
    /// Every other key, for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Converts parsed entries into [`Meta`], reporting wrong types at their line.
pub(crate) fn from_entries(entries: Vec<Entry>, file: &str, diags: &mut Diagnostics) -> Meta {
    let mut meta = Meta::default();
    let mut fallback = Meta::default();
    for Entry { key, value, line } in entries {
        let cx = Cx {
            file,
            line,
            key: &key,
        };
        let result: Result<(), Diagnostic> = (|| {
            match key.as_str() {
                "title" => meta.title = cx.opt_string(&value)?,
                "slug" => meta.slug = cx.opt_string(&value)?.map(|value| Located { value, line }),
                "date" => meta.date = cx.date(&value)?,
                "updated" => meta.updated = cx.date(&value)?,
                "authors" => meta.authors = cx.strings(&value)?,
                "summary" => meta.summary = cx.opt_string(&value)?,
                "description" => fallback.summary = cx.opt_string(&value)?,
                "products" => meta.products = cx.products(&value)?,
                "tags" => meta.tags = cx.strings(&value)?,
                "signatures" => meta.signatures = cx.signatures(&value, diags)?,
                "causes" => meta.causes = cx.strings(&value)?,
                "fixes" => meta.fixes = cx.located(&value)?,
                "related" => meta.related = cx.located(&value)?,
                "draft" => meta.draft = cx.boolean(&value)?,
                "id" => meta.id = cx.opt_string(&value)?.map(|value| Located { value, line }),
                "applies_to" => meta.applies_to = cx.strings(&value)?,
                "reviewed" => meta.reviewed = cx.date(&value)?,
                "review_every" => meta.review_every = cx.interval(&value)?,
                "expires" => meta.expires = cx.date(&value)?,
                "owner" => meta.owners = cx.strings(&value)?,
                "aliases" => meta.aliases = cx.located(&value)?,
                _ => {
                    match key.as_str() {
                        "ms.date" => fallback.date = cx.date(&value).ok().flatten(),
                        "author" => fallback.authors = cx.strings(&value).unwrap_or_default(),
                        "ms.reviewer" => fallback.owners = cx.strings(&value).unwrap_or_default(),
                        "appliesto" => fallback.products = cx.products(&value).unwrap_or_default(),
                        _ => {}
                    }
                    meta.extra.insert(key.clone(), to_json(&value));
                }
            }
            Ok(())
        })();
        if let Err(d) = result {
            diags.push(d);
        }
    }
    meta.summary = meta.summary.or(fallback.summary);
    meta.reviewed_by_docfx = meta.reviewed.is_none() && fallback.date.is_some();
    meta.reviewed = meta.reviewed.or(fallback.date);
    meta.date = meta.date.or(fallback.date);
    if meta.owners.is_empty() {
        meta.owners = fallback.owners;
    }
    if meta.authors.is_empty() {
        meta.authors = fallback.authors;
    }
    if meta.products.is_empty() {
        meta.products = fallback.products;
    }
    meta
}

fn to_json(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_else(|_| serde_json::Value::String(format!("{v:?}")))
}
