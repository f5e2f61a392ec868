//! The one place that knows the order of the stages:
//! load → model → extract → assemble → render and index → write.
//!
//! Content problems are collected as diagnostics and never stop the earlier
//! stages, so a single run reports all of them; the site is written only
//! when there is no error.

use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::extract;
use crate::load;
use crate::model::{self, site::Site, PackedBlocks};
use crate::output::{self, OutputFile};
use crate::render;
use crate::search::{self, browser::Finished, browser::Sink, SearchDoc};
use crate::signature::events::Aliases;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use timings::Clock;
pub use timings::{Stage, Timings};

pub mod incremental;
mod timings;

/// Counts for the summary line and `--format json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Articles.
    pub articles: usize,
    /// Fix documents.
    pub fixes: usize,
    /// Signatures, declared and extracted.
    pub signatures: usize,
    /// HTML pages.
    pub pages: usize,
    /// Bytes of the browser search index.
    pub index_bytes: usize,
    /// Warnings.
    pub warnings: usize,
    /// Errors.
    pub errors: usize,
}

/// What a run produced.
#[derive(Debug)]
pub struct Report {
    /// Counts.
    pub counts: Counts,
    /// Every problem found, sorted.
    pub diagnostics: Diagnostics,
    /// True when the output folder was (re)written.
    pub written: bool,
    /// Time spent in each stage.
    pub timings: Timings,
    /// Content files no article or fix links, so not published (content paths).
    pub unpublished: Vec<String>,
}

/// The content files that no document links: they stay out of the site.
pub fn unpublished(site: &Site, assets: &[load::Asset]) -> Vec<String> {
    let linked = render::linked_attachments(site);
    assets
        .iter()
        .filter(|a| !linked.contains(a.rel_path.as_str()))
        .map(|a| a.rel_path.clone())
        .collect()
}

/// Loads, models and extracts: the assembled site plus every problem found.
pub fn compile(settings: &Settings, diags: &mut Diagnostics) -> (Site, Vec<load::Asset>) {
    compile_timed(settings, diags, &mut Clock::new(&|_| {}))
}

fn compile_timed(
    settings: &Settings,
    diags: &mut Diagnostics,
    clock: &mut Clock<'_>,
) -> (Site, Vec<load::Asset>) {
    clock.start(Stage::Load);
    let loaded = load::load(settings, diags);
    clock.start(Stage::Model);
    let docs = model::build_documents_from(loaded.sources, &loaded.assets, settings, diags);
    clock.start(Stage::Extract);
    let docs = extract_all(docs, &Aliases::new(&settings.source_aliases), diags);
    clock.start(Stage::Assemble);
    let site = Site::assemble(docs, settings, diags);
    (site, loaded.assets)
}

/// The extract stage: the signatures of every document, in parallel.
pub(crate) fn extract_all(
    documents: Vec<model::Document>,
    aliases: &Aliases,
    diags: &mut Diagnostics,
) -> Vec<(model::Document, Vec<extract::Signature>)> {
    let with_sigs: Vec<_> = documents
        .into_par_iter()
        .map(|mut doc| {
            let mut d = Diagnostics::default();
            let sigs = extract::extract(&mut doc, aliases, &mut d);
            (doc, sigs, d)
        })
        .collect();
    let mut out = Vec::with_capacity(with_sigs.len());
    for (doc, sigs, d) in with_sigs {
        diags.extend(d);
        out.push((doc, sigs));
    }
    out
}

/// `kbgen build`: everything, then write when there is no error.
pub fn build(settings: &Settings) -> Result<Report> {
    run_observed(settings, true, &|_| {})
}

/// `kbgen check`: everything but the write.
pub fn check(settings: &Settings) -> Result<Report> {
    run_observed(settings, false, &|_| {})
}

/// [`build`] (`write`) or [`check`], telling `on_stage` as each stage
/// starts (for a progress bar).
pub fn run_observed(settings: &Settings, write: bool, on_stage: &dyn Fn(Stage)) -> Result<Report> {
    refuse_output_inside_source(settings)?;
    // Taken before any work, so a second build is refused at once.
    let _lock = if write {
        Some(output::lock(&settings.output)?)
    } else {
        None
    };
    let mut diags = Diagnostics::default();
    let mut clock = Clock::new(on_stage);
    let (mut site, assets) = compile_timed(settings, &mut diags, &mut clock);
    let mut counts = Counts {
        articles: site.articles.len(),
        fixes: site.fixes.len(),
        signatures: site.signature_count(),
        ..Counts::default()
    };
    let unpublished = unpublished(&site, &assets);
    let mut written = false;
    if !diags.has_errors() {
        clock.start(Stage::Render);
        let staging = write
            .then(|| output::Staging::begin(&settings.output))
            .transpose()?;
        let terminal = write
            .then(|| search::engine::Writer::begin(&search::engine::index_dir(&settings.output)))
            .transpose()?;
        // Only the index reads the text blocks: it takes them, and drops
        // each article's once analysed.
        let blocks = site
            .articles
            .iter_mut()
            .map(|a| std::mem::take(&mut a.blocks))
            .collect();
        let site = &site;
        // `kbgen check` renders and indexes all the same (a template error
        // is an error) but keeps nothing.
        let sink = |f: OutputFile| match &staging {
            Some(s) => s.write(&f.path, &f.bytes),
            None => Ok(()),
        };
        let outputs = Outputs {
            pages: &sink,
            index: &sink,
            terminal: terminal.as_ref(),
            observe: &mut |_| {},
        };
        let (pages, index) =
            render_and_index(site, blocks, &assets, settings, outputs, &mut clock)?;
        counts.pages = pages;
        counts.index_bytes = index.stats.bytes;
        if let (Some(staging), Some(terminal)) = (staging, terminal) {
            clock.start(Stage::Write);
            // The terminal index is written out completely (still in its
            // staging folder) before the site is swapped in, and swapped in
            // after it: if either does not fit on the disk, the previous
            // site and index both stay.
            let terminal = terminal.commit(index.scale, index.norms)?;
            staging.commit()?;
            terminal.swap_in()?;
            written = true;
        }
    }
    let timings = clock.stop();
    diags.sort();
    counts.errors = diags.errors();
    counts.warnings = diags.warnings();
    Ok(Report {
        counts,
        diagnostics: diags,
        written,
        timings,
        unpublished,
    })
}

/// Where the render and index stages put what they make.
pub(crate) struct Outputs<'a> {
    /// Pages, feeds, assets and the rest of the site.
    pub pages: Sink<'a>,
    /// The browser index's files.
    pub index: Sink<'a>,
    /// The terminal index, when one is written.
    pub terminal: Option<&'a search::engine::Writer>,
    /// Sees each search document, in article order.
    pub observe: &'a mut (dyn FnMut(&SearchDoc) + Send),
}

/// The render and index stages, side by side: pages and search indexes are
/// independent, and each fills the gaps the other leaves on the cores. The
/// index takes the articles' text blocks and drops each once analysed.
/// Returns the page count and the finished browser index.
pub(crate) fn render_and_index(
    site: &Site,
    blocks: Vec<PackedBlocks>,
    assets: &[load::Asset],
    settings: &Settings,
    out: Outputs<'_>,
    clock: &mut Clock<'_>,
) -> Result<(usize, Finished)> {
    let aliases = Aliases::new(&settings.source_aliases);
    let Outputs {
        pages,
        index,
        terminal,
        observe,
    } = out;
    let ((pages, render_time), (index, index_time)) = rayon::join(
        || timed(|| render::render(site, assets, settings, pages)),
        || timed(|| search::indexer::index_site(site, blocks, &aliases, index, terminal, observe)),
    );
    clock.side_by_side(&[(Stage::Render, render_time), (Stage::Index, index_time)]);
    Ok((pages?, index?))
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let start = std::time::Instant::now();
    (f(), start.elapsed())
}

/// The content folder is read-only to kbgen: the output may not be inside it, nor contain it.
fn refuse_output_inside_source(settings: &Settings) -> Result<()> {
    let (Ok(src), Ok(out)) = (
        std::path::absolute(&settings.source),
        std::path::absolute(&settings.output),
    ) else {
        return Ok(());
    };
    let src = src.canonicalize().unwrap_or(src);
    let out = out
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map_or(out.clone(), |p| p.join(out.file_name().unwrap_or_default()));
    if out.starts_with(&src) || src.starts_with(&out) {
        anyhow::bail!(
            "output folder {} overlaps the content folder {}: kbgen never writes into the content; choose another --output",
            settings.output.display(),
            settings.source.display()
        );
    }
    Ok(())
}
