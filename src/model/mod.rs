//! Stage 2: from sources to documents.
//!
//! Receives the loaded [`Source`]s; returns [`Document`]s — articles and fix
//! documents — with typed front matter, a page path, and rendered Markdown
//! whose relative links point at the right pages. Parsing and rendering run
//! in parallel; everything that can be wrong is reported as a diagnostic at
//! its file and line.

mod assign;
mod body;
pub(crate) mod date;
pub(crate) mod freshness;
mod git_dates;
pub(crate) mod include;
mod keys;
pub(crate) mod links;
pub(crate) mod meta;
mod packed;
mod resolve;
pub(crate) mod site;
mod stub;

use crate::config::Settings;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::front_matter;
use crate::load::{Asset, Loaded, Source};
use crate::markdown::Rendered;
use crate::urls::slug_segment;
use body::render;
use meta::Meta;
pub(crate) use packed::{PackedBlocks, PackedHtml, Packing};
use rayon::prelude::*;
#[cfg(feature = "fuzzing")]
pub(crate) use resolve::resolve_link;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

/// Article or fix document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A troubleshooting article.
    Article,
    /// A fix, under `fixes/`, shared by articles.
    Fix,
}

/// One parsed and rendered document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Article or fix.
    pub kind: DocKind,
    /// Path relative to the content root (`iis/w3svc-5002.md`).
    pub rel_path: String,
    /// Path shown in diagnostics.
    pub display_path: String,
    /// Page folder relative to the output root (`iis/w3svc-5002`).
    pub dir: String,
    /// Fix id (fixes) or page folder (articles): what other documents cite.
    pub id: String,
    /// Title for lists and `<title>`.
    pub title: String,
    /// Front matter.
    pub meta: Meta,
    /// Rendered body; its `html` and `blocks` are moved to
    /// [`Document::html`] and [`Document::blocks`] and empty here.
    pub body: Rendered,
    /// The body's HTML, compressed until its page renders.
    pub html: PackedHtml,
    /// The body's text blocks, compressed until extract and index read them.
    pub blocks: PackedBlocks,
    /// Content files the body links or shows (content paths, sorted): the
    /// only ones published.
    pub attachments: Vec<String>,
    /// Last verified, review due, expired ([`freshness::stamp`] sets it).
    pub freshness: freshness::Freshness,
}

impl Document {
    /// Path of the page file relative to the output root.
    pub fn url(&self) -> String {
        format!("{}/index.html", self.dir)
    }
}

/// First half of a document: front matter read, page folder chosen.
/// A source with its front matter read. `S` is the source itself or a
/// reference to it: a build hands its sources over, so each one's text is
/// freed as soon as the document is rendered.
struct Parsed<S> {
    source: S,
    kind: DocKind,
    meta: Meta,
    /// Where the body is in the source's text.
    body: std::ops::Range<usize>,
    body_line: usize,
    dir: String,
    id: String,
}

/// Top-level folders of generated pages that articles may not use.
pub(crate) const RESERVED: &[&str] = &[
    "events",
    "codes",
    "products",
    "tags",
    "search",
    "assets",
    "404.html",
    "index.html",
    "sitemap.xml",
    "atom.xml",
];

/// Parses every source and renders it. Drafts are left out unless `settings.drafts`.
pub(crate) fn build_documents(
    loaded: &Loaded,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    let includes = include::Includes::gather(&loaded.sources, diags);
    documents(
        loaded.sources.par_iter(),
        &loaded.assets,
        &includes,
        settings,
        diags,
    )
}

/// [`build_documents`], taking the sources: each one's text is dropped once
/// its document is made, so the whole content is never in memory twice.
pub(crate) fn build_documents_from(
    sources: Vec<Source>,
    assets: &[Asset],
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    let includes = include::Includes::gather(&sources, diags);
    documents(sources.into_par_iter(), assets, &includes, settings, diags)
}

fn documents<S: Borrow<Source> + Send>(
    sources: impl IndexedParallelIterator<Item = S>,
    assets: &[Asset],
    includes: &include::Includes,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    let results: Vec<(Option<Parsed<S>>, Diagnostics)> = sources
        .map(|s| {
            let mut d = Diagnostics::default();
            (parse(s, &mut d), d)
        })
        .collect();
    let mut parsed = Vec::new();
    for (p, d) in results {
        diags.extend(d);
        // An included file is part of the pages that include it, not a page.
        parsed.extend(p.filter(|p| {
            (settings.drafts || !p.meta.draft) && !includes.is_fragment(&p.source.borrow().rel_path)
        }));
    }
    let pages = assign::assign_pages(&mut parsed, diags);
    let assets: BTreeSet<&str> = assets.iter().map(|a| a.rel_path.as_str()).collect();
    let markdown = parsed.iter().map(|p| p.source.borrow().text.len()).sum();
    let packing = Packing::for_content(markdown);
    // Unzipped as they are made: each document is moved once, not again
    // out of a vector of pairs on one thread.
    let (docs, found): (Vec<Document>, Vec<Diagnostics>) = parsed
        .into_par_iter()
        .map(|p| {
            let mut d = Diagnostics::default();
            let doc = render(p, &pages, &assets, includes, packing, settings, &mut d);
            (doc, d)
        })
        .unzip();
    for d in found {
        diags.extend(d);
    }
    docs
}

/// One source parsed and rendered as [`build_documents`] would, its links
/// resolved against `pages` (content path → page file, for every document
/// of the site) and `assets`. `None` when its front matter cannot be read
/// (the error is in `diags`) or it is a draft left out. For `kbgen serve`,
/// which re-renders only the files that changed.
pub(crate) fn build_one(
    source: &Source,
    pages: &BTreeMap<String, String>,
    assets: &BTreeSet<&str>,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Option<Document> {
    let parsed = parse(source, diags)?;
    if parsed.meta.draft && !settings.drafts {
        return None;
    }
    // `kbgen serve` rebuilds in full when an edit touches an include.
    let includes = include::Includes::default();
    // One document: nothing to save by compressing it.
    let mut doc = render(
        parsed,
        pages,
        assets,
        &includes,
        Packing::Plain,
        settings,
        diags,
    );
    // No git walk per edit: the front matter's dates only until the next full build.
    doc.freshness = freshness::of(&doc, None, &freshness::Policy::of(settings));
    Some(doc)
}

fn parse<S: Borrow<Source>>(owner: S, diags: &mut Diagnostics) -> Option<Parsed<S>> {
    let source: &Source = owner.borrow();
    let file = &source.display_path;
    let is_fix = source.rel_path.starts_with("fixes/");
    let split = match front_matter::split(&source.text, file) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let meta = match split.yaml {
        Some(yaml) => match front_matter::parse(yaml, split.yaml_line, file) {
            Ok(entries) => {
                meta::from_entries(keys::check(entries, is_fix, file, diags), file, diags)
            }
            Err(d) => {
                diags.push(d);
                return None;
            }
        },
        None => Meta::default(),
    };
    for (key, value) in [("slug", &meta.slug), ("id", &meta.id)] {
        if let Some(v) = value.as_ref().filter(|v| looks_like_path(&v.value)) {
            diags.push(
                Diagnostic::warning(
                    file,
                    v.line,
                    1,
                    format!(
                        "`{key}: {}` is a path, not a name; the page goes to `{}/`",
                        v.value,
                        slug_segment(&v.value)
                    ),
                )
                .hint(format!(
                    "write `{key}: {}`; a page's folder follows the file's folder in kb/",
                    slug_segment(&v.value)
                )),
            );
        }
    }
    let stem = source
        .rel_path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .rsplit_once('.')
        .map_or("", |(s, _)| s);
    let (kind, dir, id) = if is_fix {
        let id = meta
            .id
            .as_ref()
            .map_or_else(|| slug_segment(stem), |l| slug_segment(&l.value));
        (DocKind::Fix, format!("fixes/{id}"), id)
    } else {
        let mut segs: Vec<String> = source.rel_path.split('/').map(slug_segment).collect();
        let last = meta
            .slug
            .as_ref()
            .map_or_else(|| slug_segment(stem), |l| slug_segment(&l.value));
        *segs.last_mut()? = last;
        let dir = segs.join("/");
        (DocKind::Article, dir.clone(), dir)
    };
    // The body is a slice of the text: kept as its place in it.
    let start = split.body.as_ptr() as usize - source.text.as_ptr() as usize;
    let body = start..start + split.body.len();
    let body_line = split.body_line;
    Some(Parsed {
        source: owner,
        kind,
        meta,
        body,
        body_line,
        dir,
        id,
    })
}

/// A slug or id that tries to name a folder (`../x`, `/etc/x`, `a\\b`):
/// kbgen keeps pages inside the site, so it only takes the name from it.
fn looks_like_path(v: &str) -> bool {
    v.contains(['/', '\\']) || v.contains("..")
}
