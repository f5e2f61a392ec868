//! The one place that knows the order of the stages:
//! load → model → extract → assemble → render → write.
//!
//! Content problems are collected as diagnostics and never stop the earlier
//! stages, so a single run reports all of them; the site is written only
//! when there is no error.

use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::extract;
use crate::load;
use crate::model::{self, site::Site};
use crate::output::{self, OutputFile};
use crate::render;
use crate::search;
use crate::signature::events::Aliases;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use timings::Clock;
pub use timings::{Stage, Timings};

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
    let docs = model::build_documents(&loaded, settings, diags);
    clock.start(Stage::Extract);
    let aliases = Aliases::new(&settings.source_aliases);
    let with_sigs: Vec<_> = docs
        .into_par_iter()
        .map(|doc| {
            let mut d = Diagnostics::default();
            let sigs = extract::extract(&doc, &aliases, &mut d);
            (doc, sigs, d)
        })
        .collect();
    let mut docs = Vec::with_capacity(with_sigs.len());
    for (doc, sigs, d) in with_sigs {
        diags.extend(d);
        docs.push((doc, sigs));
    }
    clock.start(Stage::Assemble);
    let site = Site::assemble(docs, settings, diags);
    (site, loaded.assets)
}

/// Renders the site in memory.
pub fn render_site(
    site: &Site,
    assets: &[load::Asset],
    settings: &Settings,
) -> Result<Vec<OutputFile>> {
    let mut files = render::render(site, assets, settings)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
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
    let (site, assets) = compile_timed(settings, &mut diags, &mut clock);
    let mut counts = Counts {
        articles: site.articles.len(),
        fixes: site.fixes.len(),
        signatures: site.signature_count(),
        ..Counts::default()
    };
    let mut written = false;
    if !diags.has_errors() {
        clock.start(Stage::Index);
        let aliases = Aliases::new(&settings.source_aliases);
        let docs = search::search_docs(&site, &aliases);
        let (index_files, index_stats, scale) = search::browser::write_index(&docs, &aliases);
        clock.start(Stage::Render);
        let mut files = render_site(&site, &assets, settings)?;
        counts.pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        counts.index_bytes = index_stats.bytes;
        files.extend(index_files);
        if write {
            clock.start(Stage::Write);
            // The terminal index first, into a staging folder: if either
            // does not fit on the disk, the previous site and index stay.
            let index =
                search::engine::stage(&docs, scale, &search::engine::index_dir(&settings.output))?;
            output::write_site(&settings.output, &files)?;
            index.swap_in()?;
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
    })
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
