//! One document's body: from its parsed front matter and Markdown to the
//! rendered [`Document`], with broken links and over-wide tables reported.

use super::resolve::{unsafe_scheme, Resolver};
use super::{include, stub, Document, PackedBlocks, PackedHtml, Packing, Parsed};
use crate::config::{LinkPolicy, Settings};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::markdown::{self, docfx};
use crate::urls::path_to_root;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

/// One parsed source made a document: includes expanded, DocFX syntax
/// converted, Markdown rendered with its links resolved, problems reported.
pub(super) fn render<S: Borrow<Source>>(
    p: Parsed<S>,
    pages: &BTreeMap<String, String>,
    assets: &BTreeSet<&str>,
    includes: &include::Includes,
    packing: Packing,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Document {
    let source: &Source = p.source.borrow();
    let file = &source.display_path;
    let raw = &source.text[p.body.clone()];
    let expanded = includes.expand(raw, &source.rel_path);
    let raw = expanded.as_ref().map_or(raw, |e| e.text.as_str());
    let at = |line: usize| {
        expanded
            .as_ref()
            .map_or(line, |e| e.file_line(line, p.body_line))
    };
    let body = preprocess(raw, p.body_line, file, &at, diags);
    stub::check(&source.text, file, diags);
    let root = path_to_root(&p.dir);
    let from = source.rel_path.as_str();
    let resolver = Resolver {
        from,
        root: &root,
        pages,
        assets,
        settings,
        linked: Default::default(),
    };
    let resolve = |url: &str, image: bool| resolver.resolve(url, image);
    let mut rendered = markdown::render_with(&body, p.body_line, &resolve, settings.trusted_html);
    if expanded.is_some() {
        // Positions in included text point at the include line.
        rendered.blocks.iter_mut().for_each(|b| b.line = at(b.line));
        rendered
            .broken_links
            .iter_mut()
            .for_each(|b| b.line = at(b.line));
    }
    let attachments = resolver.into_linked();
    report_links(file, &rendered.broken_links, settings, diags);
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
    let html = PackedHtml::pack(std::mem::take(&mut rendered.html), packing);
    let blocks = PackedBlocks::pack(&std::mem::take(&mut rendered.blocks), packing);
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
        attachments,
        freshness: Default::default(),
    }
}

/// The body as Markdown can render it: DocFX syntax converted (an
/// `[!INCLUDE]` that could not be expanded marked as such; `include`
/// reported it) and over-wide tables made text. `at` takes a file line of
/// `text` to the file's own line.
fn preprocess(
    text: &str,
    body_line: usize,
    file: &str,
    at: &dyn Fn(usize) -> usize,
    diags: &mut Diagnostics,
) -> String {
    let (body, _not_expanded) = docfx::preprocess(text);
    let (limited, wide) = markdown::wide_tables::limit_columns(&body);
    // Only a body with an over-wide table is copied.
    let limited = match limited {
        std::borrow::Cow::Owned(text) => Some(text),
        std::borrow::Cow::Borrowed(_) => None,
    };
    for line in wide {
        diags.push(
            Diagnostic::warning(
                file,
                at(body_line + line),
                1,
                format!(
                    "a table of more than {} columns is shown as text",
                    markdown::wide_tables::MAX_COLUMNS
                ),
            )
            .hint("put wide data in a linked .csv file"),
        );
    }
    limited.unwrap_or(body)
}

/// Reports the links of one body that point at nothing or were refused.
fn report_links(
    file: &str,
    links: &[markdown::BrokenLink],
    settings: &Settings,
    diags: &mut Diagnostics,
) {
    for b in links {
        let what = match (b.image, b.help.is_some()) {
            (true, false) => "missing image",
            (false, false) => "broken link",
            (true, true) => "image left out",
            (false, true) => "link left out",
        };
        diags.push(
            Diagnostic::error(
                file,
                b.line,
                b.col,
                format!("{what} `{}`: {}", b.url, b.reason),
            )
            .hint(match (unsafe_scheme(&b.url).is_some(), settings.broken_links) {
                _ if b.help.is_some() => b.help.as_deref().unwrap_or_default(),
                (true, _) => "remove the link; show a command in a code block instead — the link text is kept without a target",
                (false, LinkPolicy::Error) => "fix the path (it is relative to this file), or build with --broken-links warn",
                (false, LinkPolicy::Warn) => "fix the path (it is relative to this file); the link text is kept without a target",
            })
            .with_severity(settings.broken_links_severity()),
        );
    }
}
