//! Stage 2: from sources to documents.
//!
//! Receives the loaded [`Source`]s; returns [`Document`]s — articles and fix
//! documents — with typed front matter, a page path, and rendered Markdown
//! whose relative links point at the right pages. Parsing and rendering run
//! in parallel; everything that can be wrong is reported as a diagnostic at
//! its file and line.

pub(crate) mod date;
pub(crate) mod links;
pub(crate) mod meta;
mod packed;
pub(crate) mod site;

use crate::config::{LinkPolicy, Settings};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::front_matter;
use crate::load::{Asset, Loaded, Source};
use crate::markdown::{self, docfx, LinkTarget, Rendered};
use crate::urls::{join_relative, path_to_root, slug_segment};
use meta::Meta;
pub(crate) use packed::{PackedBlocks, PackedHtml};
use rayon::prelude::*;
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
    documents(loaded.sources.par_iter(), &loaded.assets, settings, diags)
}

/// [`build_documents`], taking the sources: each one's text is dropped once
/// its document is made, so the whole content is never in memory twice.
pub(crate) fn build_documents_from(
    sources: Vec<Source>,
    assets: &[Asset],
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    documents(sources.into_par_iter(), assets, settings, diags)
}

fn documents<S: Borrow<Source> + Send>(
    sources: impl IndexedParallelIterator<Item = S>,
    assets: &[Asset],
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
        parsed.extend(p.filter(|p| settings.drafts || !p.meta.draft));
    }
    let pages = assign_pages(&mut parsed, diags);
    let assets: BTreeSet<&str> = assets.iter().map(|a| a.rel_path.as_str()).collect();
    let results: Vec<(Document, Diagnostics)> = parsed
        .into_par_iter()
        .map(|p| {
            let mut d = Diagnostics::default();
            let doc = render(p, &pages, &assets, settings, &mut d);
            (doc, d)
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    for (doc, d) in results {
        diags.extend(d);
        docs.push(doc);
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
    Some(render(parsed, pages, assets, settings, diags))
}

fn parse<S: Borrow<Source>>(owner: S, diags: &mut Diagnostics) -> Option<Parsed<S>> {
    let source: &Source = owner.borrow();
    let file = &source.display_path;
    let split = match front_matter::split(&source.text, file) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let meta = match split.yaml {
        Some(yaml) => match front_matter::parse(yaml, split.yaml_line, file) {
            Ok(entries) => meta::from_entries(entries, file, diags),
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
    let is_fix = source.rel_path.starts_with("fixes/");
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

/// Checks page folders for clashes; returns source path → page file.
fn assign_pages<S: Borrow<Source>>(
    parsed: &mut Vec<Parsed<S>>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    let mut keep = vec![true; parsed.len()];
    for (i, p) in parsed.iter().enumerate() {
        let file = &p.source.borrow().display_path;
        let line = p
            .meta
            .slug
            .as_ref()
            .or(p.meta.id.as_ref())
            .map_or(1, |l| l.line);
        let top = p.dir.split('/').next().unwrap_or("");
        if p.kind == DocKind::Article && (RESERVED.contains(&top) || top == "fixes") {
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    1,
                    format!(
                        "article page `{}/` would collide with kbgen's `{top}/` pages",
                        p.dir
                    ),
                )
                .hint("move the file out of that folder or set another `slug:`"),
            );
            keep[i] = false;
        } else if let Some(first) = owner.get(&p.dir) {
            let what = if p.kind == DocKind::Fix {
                "fix id"
            } else {
                "page path (slug)"
            };
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    1,
                    format!("duplicate {what} `{}`: {first} already uses it", p.dir),
                )
                .hint("give one of them another `slug:` (or `id:` for fixes)"),
            );
            keep[i] = false;
        } else {
            owner.insert(p.dir.clone(), file.clone());
        }
    }
    let mut it = keep.into_iter();
    parsed.retain(|_| it.next().unwrap_or(false));
    parsed
        .iter()
        .map(|p| {
            let rel_path = p.source.borrow().rel_path.clone();
            (rel_path, format!("{}/index.html", p.dir))
        })
        .collect()
}

fn render<S: Borrow<Source>>(
    p: Parsed<S>,
    pages: &BTreeMap<String, String>,
    assets: &BTreeSet<&str>,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Document {
    let source: &Source = p.source.borrow();
    let file = &source.display_path;
    let (body, includes) = docfx::preprocess(&source.text[p.body.clone()]);
    for inc in includes {
        diags.push(
            Diagnostic::warning(
                file,
                p.body_line + inc.line - 1,
                1,
                format!(
                    "`[!INCLUDE]` of `{}` is not supported and was left out",
                    inc.target
                ),
            )
            .hint("paste the included text into the article"),
        );
    }
    let root = path_to_root(&p.dir);
    let from = source.rel_path.as_str();
    let resolve = |url: &str| resolve_link(url, from, &root, pages, assets);
    let mut rendered = markdown::render_with(&body, p.body_line, &resolve, settings.trusted_html);
    for b in &rendered.broken_links {
        let what = if b.image {
            "missing image"
        } else {
            "broken link"
        };
        diags.push(
            Diagnostic::error(
                file,
                b.line,
                b.col,
                format!("{what} `{}`: {}", b.url, b.reason),
            )
            .hint(match (unsafe_scheme(&b.url).is_some(), settings.broken_links) {
                (true, _) => "remove the link; show a command in a code block instead — the link text is kept without a target",
                (false, LinkPolicy::Error) => "fix the path (it is relative to this file), or build with --broken-links warn",
                (false, LinkPolicy::Warn) => "fix the path (it is relative to this file); the link text is kept without a target",
            })
            .with_severity(settings.broken_links_severity()),
        );
    }
    let stem = source
        .rel_path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    let title = p
        .meta
        .title
        .clone()
        .or_else(|| rendered.h1.clone())
        .unwrap_or_else(|| stem.replace(['-', '_'], " "));
    let html = PackedHtml::pack(&std::mem::take(&mut rendered.html));
    let blocks = PackedBlocks::pack(&std::mem::take(&mut rendered.blocks));
    Document {
        kind: p.kind,
        rel_path: source.rel_path.clone(),
        display_path: file.clone(),
        dir: p.dir,
        id: p.id,
        title,
        meta: p.meta,
        body: rendered,
        html,
        blocks,
    }
}

/// Where a link written in `from` (a content path) goes.
/// The scheme of `url` when a reader's browser would run it as script
/// (`javascript:`, `vbscript:`, `data:` other than a raster image). Other
/// schemes (`ms-settings:`, `ssh:`) only hand the link to another program.
/// Browsers ignore whitespace and control characters inside a scheme, so
/// we do too.
fn unsafe_scheme(url: &str) -> Option<String> {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let (scheme, rest) = compact.split_once(':')?;
    if scheme.is_empty() || scheme.contains(['/', '#', '?']) {
        return None;
    }
    let raster_image = rest.starts_with("image/") && !rest.starts_with("image/svg");
    let runs_script = matches!(scheme, "javascript" | "vbscript" | "livescript")
        || (scheme == "data" && !raster_image);
    runs_script.then(|| scheme.to_string())
}

pub(crate) fn resolve_link(
    url: &str,
    from: &str,
    root: &str,
    pages: &BTreeMap<String, String>,
    assets: &BTreeSet<&str>,
) -> LinkTarget {
    let is_external = url.is_empty()
        || url.starts_with('#')
        || url.starts_with('/')
        || url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if is_external {
        return match unsafe_scheme(url) {
            Some(scheme) => LinkTarget::Broken(format!(
                "a `{scheme}:` link can run code in readers' browsers, so kbgen leaves it out"
            )),
            None => LinkTarget::Unchanged,
        };
    }
    let (path, fragment) = match url.find(['#', '?']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let path = percent_decode(path);
    let Some(target) = join_relative(from, &path) else {
        return LinkTarget::Broken("it points above the content folder".into());
    };
    if let Some(page) = pages.get(&target) {
        return LinkTarget::Rewritten(format!("{root}{page}{fragment}"));
    }
    if assets.contains(target.as_str()) {
        return LinkTarget::Rewritten(format!("{root}{target}{fragment}"));
    }
    let is_doc = target.ends_with(".md") || target.ends_with(".markdown");
    LinkTarget::Broken(if is_doc {
        format!("no article `{target}` in the content folder")
    } else {
        format!("no file `{target}` in the content folder")
    })
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .map_or(Err(()), |h| u8::from_str_radix(h, 16).map_err(|_| ()))
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
