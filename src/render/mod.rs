//! Stage 5: the site as pages.
//!
//! Receives the immutable [`Site`]; returns [`OutputFile`]s for every page,
//! the theme's static files, the content's own files (images), and the
//! feeds. Templates are parsed once and pages rendered in parallel.

pub(crate) mod feeds;
pub(crate) mod freshness;
pub(crate) mod meaning;
pub(crate) mod nest;
pub(crate) mod pages;
pub(crate) mod redirects;
pub(crate) mod theme;
pub(crate) mod views;

use crate::config::Settings;
use crate::load::Asset;
use crate::model::site::Site;
use crate::model::PackedHtml;
use crate::output::OutputFile;
use anyhow::{anyhow, Result};
use pages::Page;
use rayon::prelude::*;

/// Renders every page and hands each file to `sink` as soon as it is
/// made, so pages are never all in memory at once; returns the number of
/// HTML pages. `htmls` are the articles' bodies, taken out of the site.
pub(crate) fn render(
    site: &Site,
    htmls: Vec<PackedHtml>,
    assets: &[Asset],
    settings: &Settings,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<usize> {
    let tera = theme::load(settings)?;
    let pages = pages::all_owning(site, htmls);
    let page_paths: Vec<String> = pages
        .iter()
        .filter(|p| p.file == "index.html")
        .map(Page::path)
        .collect();
    let html_pages = pages.len();
    let site_json = serde_json::to_value(&site.info)?;
    pages
        .into_par_iter()
        .try_for_each(|p| sink(render_page(&tera, &site_json, &p, (p.values)())?))?;
    for f in feeds::render(site, &page_paths) {
        sink(f)?;
    }
    for f in redirects::render(site) {
        sink(f)?;
    }
    for f in theme::static_files(settings)? {
        sink(f)?;
    }
    let linked = linked_attachments(site);
    let published = assets
        .par_iter()
        .filter(|a| linked.contains(a.rel_path.as_str()));
    published.try_for_each(|a| {
        sink(OutputFile {
            path: a.rel_path.clone(),
            bytes: crate::fsx::read(&a.abs_path)?,
        })
    })?;
    Ok(html_pages)
}

/// The content files some article or fix links: the only ones published
/// (an unlinked file may be anything, from notes to a private key).
pub(crate) fn linked_attachments(site: &Site) -> std::collections::BTreeSet<&str> {
    site.articles
        .iter()
        .chain(&site.fixes)
        .flat_map(|d| d.attachments.iter().map(String::as_str))
        .collect()
}

/// How the page reaches the site root. A web server sends `404.html` for a
/// missing page at any depth, so its links are root-relative to the path of
/// `base_url` when one is set; every other page links relatively (which
/// works from `file://` and under any sub-path).
fn page_root(site_json: &serde_json::Value, p: &Page<'_>) -> String {
    match site_json.get("base_url").and_then(|b| b.as_str()) {
        Some(base) if p.file == "404.html" => crate::urls::url_path(base),
        _ => crate::urls::path_to_root(&p.dir),
    }
}

/// One page, from its `values`.
pub(crate) fn render_page(
    tera: &tera::Tera,
    site_json: &serde_json::Value,
    p: &Page<'_>,
    values: pages::PageValues<'_>,
) -> Result<OutputFile> {
    let mut ctx = values.into_context().map_err(|e| anyhow!("{e}"))?;
    ctx.insert("site", site_json);
    ctx.insert("root", &page_root(site_json, p));
    ctx.insert("page_title", &p.title);
    let html = tera.render(p.template, &ctx).map_err(|e| {
        anyhow!(
            "cannot render {} with template `{}`: {}",
            p.path(),
            p.template,
            theme::template_error(&e)
        )
    })?;
    Ok(OutputFile::text(p.path(), html))
}
