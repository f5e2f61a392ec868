//! The one place that knows the order of the stages:
//! [`compile`] (load → model → extract → assemble) → [`emit`] (render and
//! index, side by side) → [`commit`] (write). `kbgen build`/`check` run
//! them here; `kbgen serve`'s full build ([`incremental::Live::build`])
//! runs the same three, and its edits ([`incremental::Live::update`]) run
//! the same stages on the changed files only.
//!
//! Content problems are collected as diagnostics and never stop the earlier
//! stages, so a single run reports all of them; the site is written only
//! when there is no error.

use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::extract;
use crate::index::{self, browser::Finished, browser::Sink};
use crate::load;
use crate::model::{self, site::Site, PackedBlocks, PackedHtml};
use crate::output::{self, OutputFile};
use crate::render;
use crate::search::SearchDoc;
use crate::signature::events::Aliases;
use crate::signature::Signature;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use timings::Clock;
pub use timings::{Stage, Timings};

pub mod export;
pub(crate) mod incremental;
pub mod review;
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
    /// Content files no article or fix links, or refused, so not published
    /// (content paths).
    pub unpublished: Vec<String>,
}

/// The content files that no document links: they stay out of the site.
pub(crate) fn unpublished(site: &Site, assets: &[load::Asset]) -> Vec<String> {
    let linked = render::linked_attachments(site);
    assets
        .iter()
        .filter(|a| !linked.contains(a.rel_path.as_str()))
        .map(|a| a.rel_path.clone())
        .collect()
}

/// What the load, model, extract and assemble stages made: the site and
/// every problem found on the way.
pub(crate) struct Compiled {
    /// The assembled site.
    pub site: Site,
    /// The Markdown files read, when asked for ([`Keep::Sources`]): `kbgen
    /// serve` applies edits to them; a build drops each once modelled.
    pub sources: Vec<load::Source>,
    /// The other files of the content folder.
    pub assets: Vec<load::Asset>,
    /// Problems found before assembly (load, model, extract).
    pub file_diags: Diagnostics,
    /// Problems found by assembly (references between documents).
    pub assemble_diags: Diagnostics,
}

impl Compiled {
    /// Every problem found, unsorted.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut all = self.file_diags.clone();
        all.extend(self.assemble_diags.clone());
        all
    }

    /// The counts that do not need rendering.
    pub(crate) fn counts(&self) -> Counts {
        Counts {
            articles: self.site.articles.len(),
            fixes: self.site.fixes.len(),
            signatures: self.site.signature_count(),
            ..Counts::default()
        }
    }
}

/// What [`compile`] keeps besides the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Nothing: each source's text goes once its document is made.
    Nothing,
    /// The sources, for `kbgen serve`'s edits.
    Sources,
}

/// The first stages, in order: load → model → extract → assemble.
pub(crate) fn compile(settings: &Settings, keep: Keep, clock: &mut Clock<'_>) -> Compiled {
    let mut file_diags = Diagnostics::default();
    clock.start(Stage::Load);
    let loaded = load::load(settings, &mut file_diags);
    clock.start(Stage::Model);
    let (docs, sources) = match keep {
        Keep::Nothing => {
            let docs = model::build_documents_from(
                loaded.sources,
                &loaded.assets,
                settings,
                &mut file_diags,
            );
            (docs, Vec::new())
        }
        Keep::Sources => {
            let docs = model::build_documents(&loaded, settings, &mut file_diags);
            (docs, loaded.sources)
        }
    };
    let mut docs = docs;
    let policy = crate::model::freshness::Policy::of(settings);
    crate::model::freshness::stamp(&mut docs, &settings.source, &policy);
    clock.start(Stage::Extract);
    let docs = extract_all(
        docs,
        &Aliases::new(&settings.source_aliases),
        &mut file_diags,
    );
    clock.start(Stage::Assemble);
    let mut assemble_diags = Diagnostics::default();
    let site = Site::assemble(docs, settings, &mut assemble_diags);
    Compiled {
        site,
        sources,
        assets: loaded.assets,
        file_diags,
        assemble_diags,
    }
}

/// The extract stage: the signatures of every document, in parallel.
pub(crate) fn extract_all(
    documents: Vec<model::Document>,
    aliases: &Aliases,
    diags: &mut Diagnostics,
) -> Vec<(model::Document, Vec<Signature>)> {
    // Unzipped as they are made: each document is moved once, not again
    // out of a vector of triples on one thread.
    let (out, found): (Vec<_>, Vec<Diagnostics>) = documents
        .into_par_iter()
        .map(|mut doc| {
            let mut d = Diagnostics::default();
            let sigs = extract::extract(&mut doc, aliases, &mut d);
            ((doc, sigs), d)
        })
        .unzip();
    for d in found {
        diags.extend(d);
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
    let mut clock = Clock::new(on_stage);
    let mut compiled = compile(settings, Keep::Nothing, &mut clock);
    let mut diags = compiled.diagnostics();
    // Aliases, and URLs of the previous build gone without one.
    diags.extend(render::redirects::check(&compiled.site, &settings.output));
    let mut counts = compiled.counts();
    let unpublished = unpublished(&compiled.site, &compiled.assets);
    let mut written = false;
    let mut emitted_index = None;
    if !diags.has_errors() {
        clock.start(Stage::Render);
        let staged = write.then(|| Staged::begin(settings)).transpose()?;
        // Only the index reads the text blocks: it takes them, and drops
        // each article's once analysed.
        let blocks = take_blocks(&mut compiled.site);
        // The render stage takes the bodies and frees each once its page
        // is made: by the end of the index stage none is held.
        let htmls = take_htmls(&mut compiled.site);
        // `kbgen check` renders and indexes all the same (a template error
        // is an error) but keeps nothing.
        let sink = |f: OutputFile| match &staged {
            Some(s) => s.site.write(&f.path, &f.bytes),
            None => Ok(()),
        };
        let outputs = Outputs {
            pages: &sink,
            index: &sink,
            terminal: staged.as_ref().map(|s| &s.terminal),
            observe: &mut |_| {},
        };
        let emitted = emit(&compiled, blocks, htmls, settings, outputs, &mut clock)?;
        counts.pages = emitted.pages;
        counts.index_bytes = emitted.index.stats.bytes;
        if let Some(staged) = staged {
            clock.start(Stage::Write);
            commit(staged, &emitted)?;
            written = true;
        }
        emitted_index = Some(emitted.index);
    }
    if !write {
        // Only `kbgen check` asks whether articles are due for review.
        diags.extend(
            review::diagnostics(&compiled.site, settings)
                .into_iter()
                .collect(),
        );
    }
    let mut report = report(counts, diags, written, clock);
    report.unpublished = unpublished;
    free_in_background((compiled, emitted_index));
    Ok(report)
}

/// Drops `value` on a thread of its own. Freeing a whole site's model and
/// index is millions of small frees, 20 ms on one core at the end of a
/// real-corpus build, when nothing else is left to run beside it; the
/// report can be printed meanwhile, and `kbgen build` exits without
/// waiting for it.
fn free_in_background<T: Send + 'static>(value: T) {
    // Where no thread can be made, `spawn` drops the closure, and `value`
    // with it, before it returns.
    let _ = std::thread::Builder::new()
        .name("kbgen-free".into())
        .spawn(move || drop(value));
}

/// The report of a run: `diags` sorted and counted.
pub(crate) fn report(
    mut counts: Counts,
    mut diags: Diagnostics,
    written: bool,
    clock: Clock<'_>,
) -> Report {
    let timings = clock.stop();
    diags.sort();
    counts.errors = diags.errors();
    counts.warnings = diags.warnings();
    Report {
        counts,
        diagnostics: diags,
        written,
        timings,
        unpublished: Vec::new(),
    }
}

/// Each article's text blocks, taken out of the site.
pub(crate) fn take_blocks(site: &mut Site) -> Vec<PackedBlocks> {
    site.articles
        .iter_mut()
        .map(|a| std::mem::take(&mut a.blocks))
        .collect()
}

/// Each article's body HTML, taken out of the site.
pub(crate) fn take_htmls(site: &mut Site) -> Vec<PackedHtml> {
    site.articles
        .iter_mut()
        .map(|a| std::mem::take(&mut a.html))
        .collect()
}

/// Where a build writes, until [`commit`]: the new site's staging folder
/// and the terminal index's writer (staged beside it).
pub(crate) struct Staged {
    /// The new site.
    pub site: output::Staging,
    /// The new terminal index.
    pub terminal: index::terminal::Writer,
}

impl Staged {
    /// Starts both; the caller holds the output lock.
    pub(crate) fn begin(settings: &Settings) -> Result<Staged> {
        Ok(Staged {
            site: output::Staging::begin(&settings.output)?,
            terminal: index::terminal::Writer::begin(&index::terminal::index_dir(
                &settings.output,
            ))?,
        })
    }
}

/// What the render and index stages made, besides the files they handed on.
pub(crate) struct Emitted {
    /// Pages rendered.
    pub pages: usize,
    /// The finished browser index (its scale and norms score the terminal one).
    pub index: Finished,
}

/// The write stage. The terminal index is written out completely (still in
/// its staging folder) before the site is swapped in, and swapped in after
/// it: if either does not fit on the disk, the previous site and index both
/// stay.
pub(crate) fn commit(staged: Staged, emitted: &Emitted) -> Result<()> {
    let terminal = staged.terminal.commit(
        emitted.index.scale,
        emitted.index.norms,
        emitted.index.known.clone(),
    )?;
    staged.site.commit()?;
    terminal.swap_in()
}

/// Where the render and index stages put what they make.
pub(crate) struct Outputs<'a> {
    /// Pages, feeds, assets and the rest of the site.
    pub pages: Sink<'a>,
    /// The browser index's files.
    pub index: Sink<'a>,
    /// The terminal index, when one is written.
    pub terminal: Option<&'a index::terminal::Writer>,
    /// Sees each search document, in article order.
    pub observe: &'a mut (dyn FnMut(&SearchDoc) + Send),
}

/// The render and index stages, side by side: pages and search indexes are
/// independent, and each fills the gaps the other leaves on the cores. The
/// index takes the articles' text `blocks` and drops each once analysed.
pub(crate) fn emit(
    compiled: &Compiled,
    blocks: Vec<PackedBlocks>,
    htmls: Vec<PackedHtml>,
    settings: &Settings,
    out: Outputs<'_>,
    clock: &mut Clock<'_>,
) -> Result<Emitted> {
    let aliases = Aliases::new(&settings.source_aliases);
    let Outputs {
        pages,
        index,
        terminal,
        observe,
    } = out;
    let site = &compiled.site;
    let ((pages, render_time), (index, index_time)) = rayon::join(
        || timed(|| render::render(site, htmls, &compiled.assets, settings, pages)),
        || timed(|| index::index_site(site, blocks, &aliases, index, terminal, observe)),
    );
    clock.side_by_side(&[(Stage::Render, render_time), (Stage::Index, index_time)]);
    Ok(Emitted {
        pages: pages?,
        index: index?,
    })
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
