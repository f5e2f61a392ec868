//! Incremental rebuilds for `kbgen serve`: the state of the last good build
//! kept in memory, and an edit applied to it and to the served output.
//!
//! A full build ([`Live::build`]) runs the stages like [`super::run_observed`]
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
//! shard count of the last full build (see [`crate::search::browser::live`]).
//!
//! This file holds the state and its full build; `changes` reads the
//! watcher's paths back into sources, `update` applies them, and
//! `changed_pages` tells which pages an update renders again.

use super::{extract_all, Counts, Report};
use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::load::{self, Asset, Source};
use crate::model::{self, site::Site};
use crate::output::{self, OutputFile};
use crate::render::{self, pages};
use crate::search::browser::live::{LiveIndex, LiveIndexBuilder};
use crate::search::docs::{Record, SearchDoc};
use crate::search::engine;
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
mod update;

/// What the last good build made, kept to apply edits to.
pub struct Live {
    settings: Settings,
    /// `Debug` of the settings, to notice that `kb.toml` changed them.
    settings_key: String,
    aliases: Aliases,
    /// Canonical content folder, to relate watched paths to sources.
    source_root: PathBuf,
    sources: Vec<Source>,
    assets: Vec<Asset>,
    /// Content path → page file of every document built.
    page_map: BTreeMap<String, String>,
    /// Problems found before assembly (load, model, extract), by file.
    file_diags: BTreeMap<String, Diagnostics>,
    /// Problems found by assembly (references between documents).
    assemble_diags: Diagnostics,
    site: Site,
    /// The search record of each article. Not the whole search documents:
    /// an update recomputes the previous version of the few it replaces
    /// (a document depends on its article only), and keeping every one
    /// took half of serve's memory.
    records: Vec<Record>,
    index: LiveIndex,
    index_bytes: HashMap<String, usize>,
    tera: tera::Tera,
    /// Page path → hash of its template values.
    page_hashes: HashMap<String, u64>,
    /// The feeds as last written.
    feeds: HashMap<String, Vec<u8>>,
    /// Paths changed since the last good build: a failed update's files
    /// are read again with the next change, so a file still broken is not
    /// forgotten.
    pending: BTreeSet<PathBuf>,
}

/// How an update ended.
pub enum Update {
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
    /// A full build into `settings.output`, like [`super::build`]; the state
    /// to apply later edits to when it wrote the site.
    pub fn build(settings: &Settings) -> Result<(Report, Option<Live>)> {
        super::refuse_output_inside_source(settings)?;
        let _lock = output::lock(&settings.output)?;
        let mut clock = super::Clock::new(&|_| {});
        clock.start(super::Stage::Load);
        let mut pre = Diagnostics::default();
        let loaded = load::load(settings, &mut pre);
        clock.start(super::Stage::Model);
        let documents = model::build_documents(&loaded, settings, &mut pre);
        clock.start(super::Stage::Extract);
        let aliases = Aliases::new(&settings.source_aliases);
        let with_sigs = extract_all(documents, &aliases, &mut pre);
        clock.start(super::Stage::Assemble);
        let mut assemble_diags = Diagnostics::default();
        let site = Site::assemble(with_sigs, settings, &mut assemble_diags);
        let mut diags = pre.clone();
        diags.extend(assemble_diags.clone());
        let mut counts = site_counts(&site);
        let mut state = None;
        if !diags.has_errors() {
            clock.start(super::Stage::Render);
            // The render and index stages of a build: pages and both search
            // indexes go to staging as they are made, side by side. Serve
            // keeps the feeds' bytes, the size of every index file, each
            // article's search record and its own index of the documents,
            // never all the documents at once.
            let feed_paths: BTreeSet<String> = render::feeds::render(&site, &[])
                .into_iter()
                .map(|f| f.path)
                .collect();
            let feeds = Mutex::new(HashMap::new());
            let index_bytes = Mutex::new(HashMap::new());
            let staging = output::Staging::begin(&settings.output)?;
            let terminal = engine::Writer::begin(&engine::index_dir(&settings.output))?;
            let page_sink = |f: OutputFile| {
                if feed_paths.contains(&f.path) {
                    let mut kept = feeds.lock().unwrap_or_else(|e| e.into_inner());
                    kept.insert(f.path.clone(), f.bytes.clone());
                }
                staging.write(&f.path, &f.bytes)
            };
            let index_sink = |f: OutputFile| {
                let mut sizes = index_bytes.lock().unwrap_or_else(|e| e.into_inner());
                sizes.insert(f.path.clone(), f.bytes.len());
                drop(sizes);
                staging.write(&f.path, &f.bytes)
            };
            // Copies: the site keeps its blocks for later edits.
            let blocks = site.articles.iter().map(|a| a.blocks.clone()).collect();
            let mut records = Vec::with_capacity(site.articles.len());
            let mut live_index = LiveIndexBuilder::default();
            let mut observe = |d: &SearchDoc| {
                records.push(d.record.clone());
                live_index.add(d);
            };
            let outputs = super::Outputs {
                pages: &page_sink,
                index: &index_sink,
                terminal: Some(&terminal),
                observe: &mut observe,
            };
            let (pages, finished) = super::render_and_index(
                &site,
                blocks,
                &loaded.assets,
                settings,
                outputs,
                &mut clock,
            )?;
            counts.pages = pages;
            counts.index_bytes = finished.stats.bytes;
            let feeds = feeds.into_inner().unwrap_or_else(|e| e.into_inner());
            let index_bytes = index_bytes.into_inner().unwrap_or_else(|e| e.into_inner());
            clock.start(super::Stage::Write);
            // As in a build: the terminal index is complete before the site
            // is swapped in, and follows it (a full disk keeps both old).
            let scale = finished.scale;
            let terminal = terminal.commit(scale, finished.norms)?;
            staging.commit()?;
            terminal.swap_in()?;
            let index = live_index.finish(scale);
            let page_hashes = pages::all(&site)
                .par_iter()
                .map(|p| (p.path(), page_hash(p, &(p.values)())))
                .collect();
            state = Some(Live {
                settings_key: format!("{settings:?}"),
                source_root: canonical(&settings.source),
                page_map: page_map(&site),
                file_diags: by_file(pre),
                assemble_diags,
                tera: render::theme::load(settings)?,
                settings: settings.clone(),
                aliases,
                sources: loaded.sources,
                assets: loaded.assets,
                site,
                records,
                index,
                index_bytes,
                page_hashes,
                feeds,
                pending: BTreeSet::new(),
            });
        }
        let timings = clock.stop();
        diags.sort();
        counts.errors = diags.errors();
        counts.warnings = diags.warnings();
        let report = Report {
            counts,
            diagnostics: diags,
            written: state.is_some(),
            timings,
            unpublished: state
                .as_ref()
                .map(|l| super::unpublished(&l.site, &l.assets))
                .unwrap_or_default(),
        };
        Ok((report, state))
    }

    /// Every problem of the last good build.
    fn diagnostics(&self) -> Diagnostics {
        merge(&self.file_diags, self.assemble_diags.clone())
    }

    /// A report of the current site with `diags`.
    fn report(&self, mut diags: Diagnostics) -> Report {
        diags.sort();
        let mut counts = site_counts(&self.site);
        counts.pages = self
            .page_hashes
            .keys()
            .filter(|p| p.ends_with(".html"))
            .count();
        counts.index_bytes = self.index_bytes.values().sum();
        counts.errors = diags.errors();
        counts.warnings = diags.warnings();
        Report {
            written: !diags.has_errors(),
            counts,
            diagnostics: diags,
            timings: super::Timings::default(),
            unpublished: super::unpublished(&self.site, &self.assets),
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
