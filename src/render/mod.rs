//! Stage 5: the site as pages.
//!
//! Receives the immutable [`Site`]; returns [`OutputFile`]s for every page,
//! the theme's static files, the content's own files (images), and the
//! feeds. Templates are parsed once and pages rendered in parallel.

pub mod feeds;
pub mod pages;
pub mod theme;
pub mod urls;
pub mod views;

use crate::config::Settings;
use crate::load::Asset;
use crate::model::site::Site;
use crate::output::OutputFile;
use anyhow::{anyhow, Result};
use pages::Page;
use rayon::prelude::*;

/// Renders every page and collects the files to write.
pub fn render(site: &Site, assets: &[Asset], settings: &Settings) -> Result<Vec<OutputFile>> {
    let tera = theme::load(settings)?;
    let pages = pages::all(site);
    let site_json = serde_json::to_value(&site.info)?;
    let mut files: Vec<OutputFile> = pages
        .par_iter()
        .map(|p| {
            let mut ctx =
                tera::Context::from_value(p.values.clone()).map_err(|e| anyhow!("{e}"))?;
            ctx.insert("site", &site_json);
            ctx.insert("root", &urls::path_to_root(&p.dir));
            ctx.insert("page_title", &p.title);
            let html = tera.render(p.template, &ctx).map_err(|e| {
                anyhow!(
                    "cannot render {} with template `{}`: {}",
                    p.path(),
                    p.template,
                    theme::error_chain(&e)
                )
            })?;
            Ok(OutputFile::text(p.path(), html))
        })
        .collect::<Result<_>>()?;
    let page_paths: Vec<String> = pages
        .iter()
        .filter(|p| p.file == "index.html")
        .map(Page::path)
        .collect();
    files.extend(feeds::render(site, &page_paths));
    files.extend(theme::static_files(settings)?);
    for a in assets {
        files.push(OutputFile {
            path: a.rel_path.clone(),
            bytes: crate::fsx::read(&a.abs_path)?,
        });
    }
    Ok(files)
}
