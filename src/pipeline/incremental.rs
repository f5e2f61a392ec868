//! Incremental rebuilds for `kbgen serve`: the state of the last good build
//! kept in memory, and an edit applied to it and to the served output.
//!
//! A full build ([`Live::build`]) runs the stages like [`super::run_observed`]
//! and keeps what they made: the sources, the [`Site`], the search documents,
//! the browser index as weights ([`LiveIndex`]), a hash of every page's
//! template values and the feeds. An edit of existing Markdown files
//! ([`Live::update`]) then
//!
//! 1. re-reads, re-parses, re-renders and re-extracts only those files
//!    (links resolve against the page map of the last build);
//! 2. assembles the site again from the kept documents (cheap);
//! 3. recomputes the search documents of the changed articles only;
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

use super::{extract_all, Counts, Report};
use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::extract::{self, Signature};
use crate::load::{self, Asset, Source};
use crate::model::{self, site::Site, DocKind, Document};
use crate::output::{self, OutputFile};
use crate::render::{self, pages};
use crate::search::browser::{self, live::LiveIndex};
use crate::search::docs::{search_doc, SearchDoc};
use crate::search::engine;
use crate::search::rank::Norms;
use crate::signature::events::Aliases;
use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

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
    docs: Vec<SearchDoc>,
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

/// A file that changed, read again.
struct Changed {
    /// Index in `Live::sources`.
    at: usize,
    source: Source,
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
            clock.start(super::Stage::Index);
            let docs = crate::search::search_docs(&site, &aliases);
            let (index_files, index) = browser::write_index(&docs, &aliases);
            let (stats, scale) = (index.stats, index.scale);
            clock.start(super::Stage::Render);
            let mut files = render_site(&site, &loaded.assets, settings)?;
            counts.pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
            counts.index_bytes = stats.bytes;
            let index_bytes = index_files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.len()))
                .collect();
            files.extend(index_files);
            clock.start(super::Stage::Write);
            // As in a build: the terminal index is complete before the site
            // is swapped in, and follows it (a full disk keeps both old).
            let terminal = engine::stage(&docs, scale, &engine::index_dir(&settings.output))?;
            output::write_site(&settings.output, &files)?;
            terminal.swap_in()?;
            let feeds = render::feeds::render(&site, &[])
                .into_iter()
                .filter_map(|f| {
                    let written = files.iter().find(|w| w.path == f.path)?;
                    Some((f.path, written.bytes.clone()))
                })
                .collect();
            drop(files);
            let index = LiveIndex::new(&docs, scale);
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
                docs,
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
        };
        Ok((report, state))
    }

    /// Applies the edit of `changed` (paths as the file watcher reports
    /// them) made with `settings`. On `Err` the output may hold part of the
    /// edit and this state is stale: run a full build.
    pub fn update(&mut self, settings: &Settings, changed: &[PathBuf]) -> Result<Update> {
        if format!("{settings:?}") != self.settings_key {
            return Ok(Update::NeedsFull("the settings changed".into()));
        }
        let mut clock = super::Clock::new(&|_| {});
        clock.start(super::Stage::Load);
        self.pending.extend(changed.iter().cloned());
        let changed: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let edits = match self.read_changes(&changed) {
            Ok(edits) => edits,
            Err(why) => return Ok(Update::NeedsFull(why)),
        };
        if edits.is_empty() {
            self.pending.clear();
            return Ok(Update::Unchanged(self.report(self.diagnostics())));
        }
        let _lock = output::lock(&settings.output)?;

        // Model and extract the changed files against the last page map.
        clock.start(super::Stage::Model);
        let asset_paths: BTreeSet<&str> = self.assets.iter().map(|a| a.rel_path.as_str()).collect();
        let mut rebuilt = Vec::new();
        let mut new_diags = BTreeMap::new();
        let mut failed = false;
        for e in &edits {
            let mut d = Diagnostics::default();
            let doc = model::build_one(&e.source, &self.page_map, &asset_paths, settings, &mut d);
            let mut doc = match doc {
                Some(doc) => doc,
                None if d.has_errors() => {
                    failed = true;
                    new_diags.insert(e.source.display_path.clone(), d);
                    continue;
                }
                // A draft that stays one changes nothing in the site.
                None if !self.in_site(&e.source.rel_path) => {
                    new_diags.insert(e.source.display_path.clone(), d);
                    continue;
                }
                None => {
                    let why = format!("{} is a draft now", e.source.rel_path);
                    return Ok(Update::NeedsFull(why));
                }
            };
            if let Some(why) = self.moved(&doc) {
                return Ok(Update::NeedsFull(why));
            }
            let sigs = extract::extract(&mut doc, &self.aliases, &mut d);
            new_diags.insert(e.source.display_path.clone(), d);
            rebuilt.push((doc, sigs));
        }
        let mut pre = self.file_diags.clone();
        pre.extend(new_diags.clone());
        if failed {
            return Ok(Update::Failed(
                self.report(merge(&pre, self.assemble_diags.clone())),
            ));
        }

        // Assemble the site with the new documents; put the old ones back on errors.
        clock.start(super::Stage::Assemble);
        let mut assemble_diags = Diagnostics::default();
        let (site, old) = self.reassemble(rebuilt, &mut assemble_diags);
        let diags = merge(&pre, assemble_diags.clone());
        if diags.has_errors() {
            let mut restored = self.reassemble_restore(site, old);
            std::mem::swap(&mut self.site, &mut restored);
            return Ok(Update::Failed(self.report(diags)));
        }
        self.site = site;
        self.file_diags = pre;
        self.assemble_diags = assemble_diags;
        for e in edits {
            self.sources[e.at] = e.source;
        }

        // Search documents of the changed articles, and the index files they touch.
        clock.start(super::Stage::Index);
        let changed_articles: Vec<usize> = old
            .iter()
            .filter(|(d, _)| d.kind == DocKind::Article)
            .filter_map(|(d, _)| {
                self.site
                    .articles
                    .iter()
                    .position(|a| a.rel_path == d.rel_path)
            })
            .collect();
        let mut previous = Vec::new();
        for &i in &changed_articles {
            let doc = search_doc(
                &self.site,
                i,
                &self.site.articles[i].blocks.unpack(),
                &self.aliases,
            );
            previous.push((i, std::mem::replace(&mut self.docs[i], doc)));
        }
        let replaced: Vec<(usize, &SearchDoc)> = previous.iter().map(|(i, d)| (*i, d)).collect();
        let patch = self.index.replace(&self.docs, &replaced, &self.aliases);

        // Pages whose values changed, and the feeds.
        clock.start(super::Stage::Render);
        let edited: BTreeSet<&str> = old.iter().map(|(d, _)| d.rel_path.as_str()).collect();
        let listed = self.pages_to_check(&edited);
        let values: Vec<serde_json::Value> = listed.par_iter().map(|p| (p.values)()).collect();
        let hashes: Vec<u64> = listed
            .par_iter()
            .zip(&values)
            .map(|(p, v)| page_hash(p, v))
            .collect();
        let mut seen: HashMap<String, u64> = self
            .site
            .articles
            .iter()
            .filter_map(|a| Some((a.url(), *self.page_hashes.get(&a.url())?)))
            .collect();
        let mut to_render = Vec::new();
        for ((p, v), h) in listed.iter().zip(values).zip(hashes) {
            let path = p.path();
            if self.page_hashes.get(&path) != Some(&h) {
                to_render.push((p, v));
            }
            seen.insert(path, h);
        }
        let mut remove: Vec<String> = self
            .page_hashes
            .keys()
            .filter(|k| !seen.contains_key(*k))
            .cloned()
            .collect();
        let site_json = serde_json::to_value(&self.site.info)?;
        let mut write: Vec<OutputFile> = to_render
            .into_par_iter()
            .map(|(p, v)| render::render_page(&self.tera, &site_json, p, v))
            .collect::<Result<_>>()?;
        let page_count = write.len();
        // The pages in the order of [`pages::all`]: the home page, the articles, the rest.
        let page_paths: Vec<String> = std::iter::once("index.html".to_string())
            .chain(self.site.articles.iter().map(Document::url))
            .chain(
                listed
                    .iter()
                    .skip(1)
                    .filter(|p| p.template != "article.html" && p.file == "index.html")
                    .map(pages::Page::path),
            )
            .collect();
        drop(listed);
        for f in render::feeds::render(&self.site, &page_paths) {
            if self.feeds.get(&f.path) != Some(&f.bytes) {
                self.feeds.insert(f.path.clone(), f.bytes.clone());
                write.push(f);
            }
        }
        for f in &patch.write {
            self.index_bytes.insert(f.path.clone(), f.bytes.len());
        }
        for path in &patch.remove {
            self.index_bytes.remove(path);
        }
        let files = write.len() - page_count + patch.write.len() + patch.remove.len();
        write.extend(patch.write);
        remove.extend(patch.remove);
        clock.start(super::Stage::Write);
        output::patch_site(&settings.output, &write, &remove)?;
        self.page_hashes = seen;

        // The terminal index, exact: its norms and scale are recomputed.
        let lens: Vec<[u32; 2]> = self.docs.iter().map(|d| d.lens).collect();
        let norms = Norms::of(&lens);
        let scale = self.index.exact_scale(&norms);
        let replaced: Vec<(usize, &SearchDoc)> = changed_articles
            .iter()
            .map(|&i| (i, &self.docs[i]))
            .collect();
        engine::update(
            &engine::index_dir(&settings.output),
            &replaced,
            scale,
            norms,
        )?;
        drop(replaced);
        // Freeing the replaced documents takes a while at 10,000 articles;
        // not on the way to the reload.
        std::thread::spawn(move || drop((previous, old)));

        let mut report = self.report(diags);
        report.timings = clock.stop();
        self.pending.clear();
        Ok(Update::Written {
            report,
            pages: page_count,
            files,
        })
    }

    /// The changed Markdown files, read again; `Err` with the reason when
    /// the change is one an update does not handle.
    fn read_changes(&self, changed: &[PathBuf]) -> Result<Vec<Changed>, String> {
        let mut edits: Vec<Changed> = Vec::new();
        for path in changed {
            let show = path.display();
            let Ok(rel) = canonical(path)
                .strip_prefix(&self.source_root)
                .map(Path::to_path_buf)
            else {
                return Err(format!("{show} changed"));
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.is_empty() {
                return Err("the content folder itself changed".into());
            }
            // Hidden files and folders are never read.
            if parts
                .iter()
                .any(|p| p.starts_with('.') || p == "node_modules")
            {
                continue;
            }
            let rel = parts.join("/");
            let is_md = Path::new(&rel)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| {
                    e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
                });
            if path.is_dir() {
                return Err(format!("folder {rel} was added or changed"));
            }
            if !is_md {
                return Err(format!("{rel} is not a Markdown file"));
            }
            let Ok(at) = self
                .sources
                .binary_search_by(|s| s.rel_path.as_str().cmp(&rel))
            else {
                return Err(format!("{rel} was added"));
            };
            let meta = match std::fs::symlink_metadata(path) {
                Ok(m) => m,
                Err(_) => return Err(format!("{rel} was deleted or renamed")),
            };
            if !meta.is_file() || meta.len() > self.settings.max_file_bytes {
                return Err(format!("{rel} is no longer a readable Markdown file"));
            }
            let Ok(bytes) = std::fs::read(path) else {
                return Err(format!("{rel} cannot be read"));
            };
            let Ok(text) = load::decode(bytes) else {
                return Err(format!("{rel} is not UTF-8"));
            };
            let old = &self.sources[at];
            if old.text == text || edits.iter().any(|e| e.at == at) {
                continue;
            }
            edits.push(Changed {
                at,
                source: Source {
                    rel_path: old.rel_path.clone(),
                    display_path: old.display_path.clone(),
                    text,
                },
            });
        }
        Ok(edits)
    }

    /// The pages whose values an edit of the files `edited` can change: the
    /// home page, the pages of the edited articles and of the articles
    /// that refer to an edited article or fix (see [`pages::article`]),
    /// and every page that is not an article's.
    fn pages_to_check(&self, edited: &BTreeSet<&str>) -> Vec<pages::Page<'_>> {
        let site = &self.site;
        let is_edited = |d: &Document| edited.contains(d.rel_path.as_str());
        let articles: BTreeSet<usize> = (0..site.articles.len())
            .filter(|&i| is_edited(&site.articles[i]))
            .collect();
        let fixes: BTreeSet<usize> = (0..site.fixes.len())
            .filter(|&f| is_edited(&site.fixes[f]))
            .collect();
        let listed: Vec<usize> = (0..site.articles.len())
            .filter(|&i| {
                let refs = &site.refs[i];
                articles.contains(&i)
                    || refs.related.iter().any(|r| articles.contains(r))
                    || refs.fixes.iter().any(|f| fixes.contains(f))
            })
            .collect();
        let mut pages = vec![pages::home(site)];
        pages.par_extend(listed.into_par_iter().map(|i| pages::article(site, i)));
        pages.extend(pages::rest(site));
        pages
    }

    /// True when the document from `rel_path` is part of the site (not a draft left out).
    fn in_site(&self, rel_path: &str) -> bool {
        self.page_map.contains_key(rel_path)
    }

    /// Why `doc` cannot replace its previous version in place, if it cannot.
    fn moved(&self, doc: &Document) -> Option<String> {
        let same = |d: &Document| d.rel_path == doc.rel_path;
        let Some(old) = self
            .site
            .articles
            .iter()
            .chain(&self.site.fixes)
            .find(|d| same(d))
        else {
            return Some(format!("{} is no longer a draft", doc.rel_path));
        };
        (old.kind != doc.kind || old.dir != doc.dir || old.id != doc.id)
            .then(|| format!("the page of {} moved", doc.rel_path))
    }

    /// The site with `rebuilt` in place of their previous versions, which
    /// come back (in the same order).
    fn reassemble(
        &mut self,
        rebuilt: Vec<(Document, Vec<Signature>)>,
        diags: &mut Diagnostics,
    ) -> (Site, Vec<(Document, Vec<Signature>)>) {
        let site = std::mem::replace(&mut self.site, empty_site(&self.settings));
        let mut docs = take_documents(site);
        let mut old = Vec::with_capacity(rebuilt.len());
        for (doc, sigs) in rebuilt {
            let at = docs
                .iter()
                .position(|(d, _)| d.rel_path == doc.rel_path)
                .expect("an edited document was in the site");
            old.push(std::mem::replace(&mut docs[at], (doc, sigs)));
        }
        (Site::assemble(docs, &self.settings, diags), old)
    }

    /// The site as it was before [`Live::reassemble`].
    fn reassemble_restore(&self, site: Site, old: Vec<(Document, Vec<Signature>)>) -> Site {
        let mut docs = take_documents(site);
        for (doc, sigs) in old {
            if let Some(at) = docs.iter().position(|(d, _)| d.rel_path == doc.rel_path) {
                docs[at] = (doc, sigs);
            }
        }
        Site::assemble(docs, &self.settings, &mut Diagnostics::default())
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

/// The documents of a site with their signatures: articles in order, then
/// fixes (which [`Site::assemble`] sorts by id again, to the same order).
fn take_documents(site: Site) -> Vec<(Document, Vec<Signature>)> {
    let Site {
        articles,
        fixes,
        signatures,
        ..
    } = site;
    let mut docs: Vec<_> = articles.into_iter().zip(signatures).collect();
    docs.extend(fixes.into_iter().map(|f| (f, Vec::new())));
    docs
}

fn empty_site(settings: &Settings) -> Site {
    Site::assemble(Vec::new(), settings, &mut Diagnostics::default())
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

fn canonical(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    // A deleted file: its folder still resolves.
    match (
        abs.parent().and_then(|p| p.canonicalize().ok()),
        abs.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => abs,
    }
}

/// Every file [`render::render`] makes, in memory, by path.
fn render_site(site: &Site, assets: &[Asset], settings: &Settings) -> Result<Vec<OutputFile>> {
    let files = std::sync::Mutex::new(Vec::new());
    render::render(site, assets, settings, &|f| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A hash of everything a page's HTML is made from, besides the templates
/// and the site values (which an update never changes).
fn page_hash(p: &pages::Page, values: &serde_json::Value) -> u64 {
    let mut h = FxHasher::default();
    (&p.dir, p.file, p.template, &p.title).hash(&mut h);
    hash_value(values, &mut h);
    h.finish()
}

fn hash_value(v: &serde_json::Value, h: &mut FxHasher) {
    use serde_json::Value;
    std::mem::discriminant(v).hash(h);
    match v {
        Value::Null => {}
        Value::Bool(b) => b.hash(h),
        Value::Number(n) => n.to_string().hash(h),
        Value::String(s) => s.hash(h),
        Value::Array(a) => {
            a.len().hash(h);
            for x in a {
                hash_value(x, h);
            }
        }
        Value::Object(m) => {
            m.len().hash(h);
            for (k, x) in m {
                k.hash(h);
                hash_value(x, h);
            }
        }
    }
}

#[cfg(test)]
mod tests;
