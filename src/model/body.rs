//! The body of a document: its Markdown rendered to HTML and text blocks,
//! with every link and image resolved against the pages and assets of the
//! site (relative, to `index.html`, from `file://` too), and the problems
//! of each reported with its position.

use super::{Document, PackedBlocks, PackedHtml, Parsed};
use crate::config::{LinkPolicy, Settings};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::markdown::{self, docfx, LinkTarget};
use crate::urls::{join_relative, path_to_root};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn render<S: Borrow<Source>>(
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
