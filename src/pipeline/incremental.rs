//! Incremental rebuilds for `kbgen serve`: the state of the last good build
//! kept in memory, and an edit applied to it and to the served output.
//!
//! A full build ([`Live::build`]) runs the stages of [`super::run_observed`]
//! and keeps what they made: the sources, the [`Site`], the search records,
//! the browser index as weights ([`LiveIndex`]), a hash of every page's
//! template values and the feeds. An edit of existing Markdown files
//! ([`Live::update`]) then
//!
//! 1. re-reads, re-parses, re-renders and re-extracts only those files
//!    (links resolve against the page map of the last build);
//! 2. assembles the site again from the kept documents (cheap);
//! 3. recomputes the search documents of the changed articles only, as they
//!    were and as they are;
//! 4. lists every page's values again and renders only pages whose values
//!    changed: the templates did not change, so the same values give the
//!    same HTML;
//! 5. rewrites the browser index files that hold the changed terms;
//! 6. replaces the files in the served folder in place
//!    ([`output::patch_site`]) and the changed documents in the tantivy index.
//!
//! Anything else — an added, deleted or renamed file, a page path or draft
//! flag that changed, an image, `kb.toml`, the theme — is not handled here:
//! [`Update::NeedsFull`] says why, and the caller runs [`Live::build`]. The
//! pages and the terminal index after an update are those of a fresh build
//! of the same content; the browser index keeps the length norms, scale and
//! shard count of the last full build (see [`crate::index::live`]).
//!
//! This file holds the state and its full build (the pipeline's compile,
//! emit and commit); `changes` reads the watcher's paths back into sources,
//! `update` applies them in named steps, `reassemble` puts edited documents
//! in their place in the site, and `changed_pages` tells which pages an
//! update renders again.

use super::{Clock, Compiled, Counts, Keep, Outputs, Report, Stage, Staged};
use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::index::live::{LiveIndex, LiveIndexBuilder};
use crate::load::{Asset, Source};
use crate::model::site::Site;
use crate::output::{self, OutputFile};
use crate::render::{self, pages};
use crate::search::docs::{Record, SearchDoc};
use crate::signature::events::Aliases;
use anyhow::Result;
use changed_pages::page_hash;
use changes::canonical;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

mod changed_pages;
mod changes;
mod reassemble;
mod update;

/// What the last good build made, kept to apply edits to.
pub(crate) struct Live {
    /// The settings it was built with: other settings need a full build.
    settings: Settings,
    aliases: Aliases,
    /// Canonical content folder, to relate watched paths to sources.
    source_root: PathBuf,
    /// What the content folder held.
    content: Content,
    site: Site,
    /// Every problem of the last good build.
    diags: KnownDiags,
    /// The search side: records and the browser index.
    search: SearchState,
    /// The pages as last written.
    pages: PageState,
    /// Paths changed since the last good build: a failed update's files
    /// are read again with the next change, so a file still broken is not
    /// forgotten.
    pending: BTreeSet<PathBuf>,
}

/// The content folder as last read.
struct Content {
    sources: Vec<Source>,
    assets: Vec<Asset>,
    /// Content path → page file of every document built.
    page_map: BTreeMap<String, String>,
}

/// The problems of the last good build, by where they were found.
struct KnownDiags {
    /// Problems found before assembly (load, model, extract), by file.
    by_file: BTreeMap<String, Diagnostics>,
    /// Problems found by assembly (references between documents).
    assemble: Diagnostics,
}

/// What search keeps between edits.
struct SearchState {
    /// The search record of each article. Not the whole search documents:
    /// an update recomputes the previous version of the few it replaces
    /// (a document depends on its article only), and keeping every one
    /// took half of serve's memory.
    records: Vec<Record>,
    index: LiveIndex,
    /// Size of every browser index file, by path.
    bytes: HashMap<String, usize>,
}

/// What rendering keeps between edits.
struct PageState {
    tera: tera::Tera,
    /// Page path → hash of its template values.
    hashes: HashMap<String, u64>,
    /// The feeds as last written.
    feeds: HashMap<String, Vec<u8>>,
}

/// How an update ended.
pub(crate) enum Update {
    /// The edit is in the output folder and the terminal index.
    Written {
        /// The whole site's counts and problems, as a full build reports them.
        report: Report,
        /// Pages rendered and written.
        pages: usize,
        /// Other files written or removed (index files, feeds).
        files: usize,
    },
    /// Content errors: nothing was written and the state is as before.
    Failed(Report),
    /// Nothing that a build reads changed since the last good build: its report.
    Unchanged(Report),
    /// This edit needs a full build; why, in words.
    NeedsFull(String),
}

impl Live {
    /// A full build into `settings.output`, like [`super::build`]: the same
    /// [`super::compile`], [`super::emit`] and [`super::commit`], keeping
    /// what later edits need; the state when it wrote the site.
    pub(crate) fn build(settings: &Settings) -> Result<(Report, Option<Live>)> {
        super::refuse_output_inside_source(settings)?;
        let _lock = output::lock(&settings.output)?;
        let mut clock = Clock::new(&|_| {});
        let compiled = super::compile(settings, Keep::Sources, &mut clock);
        let diags = compiled.diagnostics();
        let mut counts = compiled.counts();
        let unpublished = super::unpublished(&compiled.site, &compiled.assets);
        let mut state = None;
        if !diags.has_errors() {
            clock.start(Stage::Render);
            let (live, emitted) = Live::emit_and_commit(compiled, settings, &mut clock)?;
            counts.pages = emitted.pages;
            counts.index_bytes = emitted.index.stats.bytes;
            state = Some(live);
        }
        let mut report = super::report(counts, diags, state.is_some(), clock);
        report.unpublished = unpublished;
        Ok((report, state))
    }

    /// The render, index and write stages of a full build, keeping the
    /// feeds' bytes, the size of every index file, each article's search
    /// record and serve's own index of the documents (never all the
    /// documents at once).
    fn emit_and_commit(
        compiled: Compiled,
        settings: &Settings,
        clock: &mut Clock<'_>,
    ) -> Result<(Live, super::Emitted)> {
        let feed_paths: BTreeSet<String> = render::feeds::render(&compiled.site, &[])
            .into_iter()
            .map(|f| f.path)
            .collect();
        let feeds = Mutex::new(HashMap::new());
        let index_bytes = Mutex::new(HashMap::new());
        let staged = Staged::begin(settings)?;
        let page_sink = |f: OutputFile| {
            if feed_paths.contains(&f.path) {
                let mut kept = feeds.lock().unwrap_or_else(|e| e.into_inner());
                kept.insert(f.path.clone(), f.bytes.clone());
            }
            staged.site.write(&f.path, &f.bytes)
        };
        let index_sink = |f: OutputFile| {
            let mut sizes = index_bytes.lock().unwrap_or_else(|e| e.into_inner());
            sizes.insert(f.path.clone(), f.bytes.len());
            drop(sizes);
            staged.site.write(&f.path, &f.bytes)
        };
        // Copies: the site keeps its blocks for later edits.
        let blocks = compiled
            .site
            .articles
            .iter()
            .map(|a| a.blocks.clone())
            .collect();
        let mut records = Vec::with_capacity(compiled.site.articles.len());
        let mut live_index = LiveIndexBuilder::default();
        let mut observe = |d: &SearchDoc| {
            records.push(d.record.clone());
            live_index.add(d);
        };
        let outputs = Outputs {
            pages: &page_sink,
            index: &index_sink,
            terminal: Some(&staged.terminal),
            observe: &mut observe,
        };
        // The live site keeps its bodies: an edit re-renders the pages
        // of the articles around it.
        let htmls = compiled
            .site
            .articles
            .iter()
            .map(|a| a.html.clone())
            .collect();
        let emitted = super::emit(&compiled, blocks, htmls, settings, outputs, clock)?;
        clock.start(Stage::Write);
        super::commit(staged, &emitted)?;
        let search = SearchState {
            records,
            index: live_index.finish(emitted.index.scale),
            bytes: index_bytes.into_inner().unwrap_or_else(|e| e.into_inner()),
        };
        let feeds = feeds.into_inner().unwrap_or_else(|e| e.into_inner());
        let live = Live::keep(compiled, settings, search, feeds)?;
        Ok((live, emitted))
    }

    /// The state of a build that wrote `compiled`.
    fn keep(
        compiled: Compiled,
        settings: &Settings,
        search: SearchState,
        feeds: HashMap<String, Vec<u8>>,
    ) -> Result<Live> {
        let Compiled {
            site,
            sources,
            assets,
            file_diags,
            assemble_diags,
        } = compiled;
        let hashes = pages::all(&site)
            .par_iter()
            .map(|p| (p.path(), page_hash(p, &(p.values)().to_json())))
            .collect();
        Ok(Live {
            source_root: canonical(&settings.source),
            content: Content {
                page_map: page_map(&site),
                sources,
                assets,
            },
            diags: KnownDiags {
                by_file: by_file(file_diags),
                assemble: assemble_diags,
            },
            pages: PageState {
                tera: render::theme::load(settings)?,
                hashes,
                feeds,
            },
            settings: settings.clone(),
            aliases: Aliases::new(&settings.source_aliases),
            site,
            search,
            pending: BTreeSet::new(),
        })
    }

    /// Every problem of the last good build.
    fn diagnostics(&self) -> Diagnostics {
        merge(&self.diags.by_file, self.diags.assemble.clone())
    }

    /// A report of the current site with `diags`.
    fn report(&self, mut diags: Diagnostics) -> Report {
        diags.sort();
        let mut counts = site_counts(&self.site);
        counts.pages = self
            .pages
            .hashes
            .keys()
            .filter(|p| p.ends_with(".html"))
            .count();
        counts.index_bytes = self.search.bytes.values().sum();
        counts.errors = diags.errors();
        counts.warnings = diags.warnings();
        Report {
            written: !diags.has_errors(),
            counts,
            diagnostics: diags,
            timings: super::Timings::default(),
            unpublished: super::unpublished(&self.site, &self.content.assets),
        }
    }
}

fn site_counts(site: &Site) -> Counts {
    Counts {
        articles: site.articles.len(),
        fixes: site.fixes.len(),
        signatures: site.signature_count(),
        ..Counts::default()
    }
}

fn page_map(site: &Site) -> BTreeMap<String, String> {
    site.articles
        .iter()
        .chain(&site.fixes)
        .map(|d| (d.rel_path.clone(), d.url()))
        .collect()
}

fn by_file(diags: Diagnostics) -> BTreeMap<String, Diagnostics> {
    let mut map: BTreeMap<String, Diagnostics> = BTreeMap::new();
    for d in diags.iter() {
        map.entry(d.file.clone()).or_default().push(d.clone());
    }
    map
}

fn merge(by_file: &BTreeMap<String, Diagnostics>, more: Diagnostics) -> Diagnostics {
    let mut all = Diagnostics::default();
    for d in by_file.values() {
        all.extend(d.clone());
    }
    all.extend(more);
    all
}

/// Every file [`render::render`] makes, in memory, by path.
#[cfg(test)]
mod tests;
