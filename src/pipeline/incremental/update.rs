//! An edit applied to the live state ([`Live::update`]): model and extract
//! the changed files, assemble the site again, then patch the search
//! documents, the pages whose values changed, the feeds and both indexes.

use super::changed_pages::page_hash;
use super::changes::Changed;
use super::{merge, Live, Update};
use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::extract;
use crate::index::terminal;
use crate::model::{self, site::Site, DocKind, Document};
use crate::output::{self, OutputFile};
use crate::pipeline::{Clock, Stage};
use crate::render::{self, pages};
use crate::search::docs::{article_search_doc, search_doc, SearchDoc};
use crate::search::rank::Norms;
use crate::signature::Signature;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// Documents with their signatures, as the site holds them.
type Versions = Vec<(Document, Vec<Signature>)>;

/// The documents of the edited files, modelled and extracted.
struct Modelled {
    /// The new version of each edited document in the site.
    rebuilt: Vec<(Document, Vec<Signature>)>,
    /// Every problem before assembly, by file, with the edited files' new ones.
    file_diags: BTreeMap<String, Diagnostics>,
}

/// The changed articles' search documents, before and after the edit.
struct SearchEdit {
    /// Article numbers.
    articles: Vec<usize>,
    previous: Vec<SearchDoc>,
    current: Vec<SearchDoc>,
}

/// What an edit writes into and removes from the served folder.
#[derive(Default)]
struct Patch {
    write: Vec<OutputFile>,
    remove: Vec<String>,
    /// Pages among `write`.
    pages: usize,
    /// Other files written or removed (feeds, index files).
    files: usize,
}

impl Live {
    /// Applies the edit of `changed` (paths as the file watcher reports
    /// them) made with `settings`: the stages of a build, on the changed
    /// files only. On `Err` the output may hold part of the edit and this
    /// state is stale: run a full build.
    pub(crate) fn update(&mut self, settings: &Settings, changed: &[PathBuf]) -> Result<Update> {
        if *settings != self.settings {
            return Ok(Update::NeedsFull("the settings changed".into()));
        }
        let mut clock = Clock::new(&|_| {});
        clock.start(Stage::Load);
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
        if let Some(why) = self.needs_full_for(&edits) {
            return Ok(Update::NeedsFull(why));
        }
        let _lock = output::lock(&settings.output)?;
        clock.start(Stage::Model);
        let modelled = match self.model(&edits, settings) {
            Ok(m) => m,
            Err(update) => return Ok(*update),
        };
        clock.start(Stage::Assemble);
        let (old, diags) = match self.assemble(modelled) {
            Ok(done) => done,
            Err(update) => return Ok(*update),
        };
        for e in edits {
            self.content.sources[e.at] = e.source;
        }
        clock.start(Stage::Index);
        let search = self.search_docs(&old);
        let index_patch = self.patch_index(&search);
        clock.start(Stage::Render);
        let mut patch = self.render_changed(&old)?;
        self.apply_index_patch(&mut patch, index_patch);
        clock.start(Stage::Write);
        output::patch_site(&settings.output, &patch.write, &patch.remove)?;
        self.update_terminal(settings, &search)?;
        // Freeing the replaced documents takes a while at 10,000 articles;
        // not on the way to the reload.
        std::thread::spawn(move || drop((search, old)));
        let mut report = self.report(diags);
        report.timings = clock.stop();
        self.pending.clear();
        Ok(Update::Written {
            report,
            pages: patch.pages,
            files: patch.files,
        })
    }

    /// Why an edit needs a full build: the edited file includes another
    /// (before or after), another includes it, or it has `aliases:` (the
    /// redirect pages and the URL list are made by full builds).
    fn needs_full_for(&self, edits: &[Changed]) -> Option<String> {
        let sources = &self.content.sources;
        let includes = |text: &str| text.contains("[!INCLUDE") || text.contains("\naliases:");
        if let Some(e) = edits
            .iter()
            .find(|e| includes(&e.source.text) || includes(&sources[e.at].text))
        {
            return Some(format!(
                "{} has an [!INCLUDE] or aliases",
                e.source.rel_path
            ));
        }
        let targets = model::include::targets(sources);
        edits
            .iter()
            .find(|e| targets.contains(&e.source.rel_path))
            .map(|e| format!("{} is included by another file", e.source.rel_path))
    }

    /// Models and extracts the edited files against the last page map.
    /// `Err` is how the update ends: content errors, or a full build needed.
    fn model(&self, edits: &[Changed], settings: &Settings) -> Result<Modelled, Box<Update>> {
        let asset_paths: BTreeSet<&str> = self
            .content
            .assets
            .iter()
            .map(|a| a.rel_path.as_str())
            .collect();
        let mut rebuilt = Vec::new();
        let mut file_diags = self.diags.by_file.clone();
        let mut failed = false;
        for e in edits {
            let mut d = Diagnostics::default();
            let page_map = &self.content.page_map;
            let doc = model::build_one(&e.source, page_map, &asset_paths, settings, &mut d);
            let mut doc = match doc {
                Some(doc) => doc,
                None if d.has_errors() => {
                    failed = true;
                    file_diags.insert(e.source.display_path.clone(), d);
                    continue;
                }
                // A draft that stays one changes nothing in the site.
                None if !self.in_site(&e.source.rel_path) => {
                    file_diags.insert(e.source.display_path.clone(), d);
                    continue;
                }
                None => {
                    let why = format!("{} is a draft now", e.source.rel_path);
                    return Err(Box::new(Update::NeedsFull(why)));
                }
            };
            if let Some(why) = self.moved(&doc) {
                return Err(Box::new(Update::NeedsFull(why)));
            }
            if let Some(new) = self.newly_linked(&doc) {
                let why = format!("{} links {new}, which is not published yet", doc.rel_path);
                return Err(Box::new(Update::NeedsFull(why)));
            }
            let sigs = extract::extract(&mut doc, &self.aliases, &mut d);
            file_diags.insert(e.source.display_path.clone(), d);
            rebuilt.push((doc, sigs));
        }
        if failed {
            let all = merge(&file_diags, self.diags.assemble.clone());
            return Err(Box::new(Update::Failed(self.report(all))));
        }
        Ok(Modelled {
            rebuilt,
            file_diags,
        })
    }

    /// Assembles the site with the new documents, which it keeps; returns
    /// the replaced ones and every problem. On errors the old documents go
    /// back and `Err` is the failed update.
    fn assemble(&mut self, modelled: Modelled) -> Result<(Versions, Diagnostics), Box<Update>> {
        let mut assemble_diags = Diagnostics::default();
        let (site, old) = self.reassemble(modelled.rebuilt, &mut assemble_diags);
        let diags = merge(&modelled.file_diags, assemble_diags.clone());
        if diags.has_errors() {
            let mut restored = self.reassemble_restore(site, old);
            std::mem::swap(&mut self.site, &mut restored);
            return Err(Box::new(Update::Failed(self.report(diags))));
        }
        self.site = site;
        self.diags.by_file = modelled.file_diags;
        self.diags.assemble = assemble_diags;
        Ok((old, diags))
    }

    /// The search documents of the changed articles as they were
    /// (recomputed from the replaced article: it depends on nothing else)
    /// and as they are; the kept records follow.
    fn search_docs(&mut self, old: &[(Document, Vec<Signature>)]) -> SearchEdit {
        let changed: Vec<(usize, &(Document, Vec<Signature>))> = old
            .iter()
            .filter(|(d, _)| d.kind == DocKind::Article)
            .filter_map(|entry| {
                self.site
                    .articles
                    .iter()
                    .position(|a| a.rel_path == entry.0.rel_path)
                    .map(|i| (i, entry))
            })
            .collect();
        let (previous, current): (Vec<SearchDoc>, Vec<SearchDoc>) = changed
            .par_iter()
            .map(|&(i, (was, was_sigs))| {
                let blocks = was.blocks.unpack();
                let before = article_search_doc(was, was_sigs, &blocks, &self.aliases);
                let now = &self.site.articles[i];
                let after = search_doc(&self.site, i, &now.blocks.unpack(), &self.aliases);
                (before, after)
            })
            .unzip();
        let articles: Vec<usize> = changed.into_iter().map(|(i, _)| i).collect();
        for (&i, now) in articles.iter().zip(&current) {
            self.search.records[i] = now.record.clone();
        }
        SearchEdit {
            articles,
            previous,
            current,
        }
    }

    /// The browser index files that hold the changed terms.
    fn patch_index(&mut self, edit: &SearchEdit) -> crate::index::live::Patch {
        let changed: Vec<(usize, &SearchDoc, &SearchDoc)> = edit
            .articles
            .iter()
            .zip(edit.previous.iter().zip(&edit.current))
            .map(|(&i, (was, is))| (i, was, is))
            .collect();
        // A changed document's blocks file is shared with its neighbours:
        // theirs are made again from the blocks the site keeps.
        let (site, aliases) = (&self.site, &self.aliases);
        let flow_of =
            |n: usize| search_doc(site, n, &site.articles[n].blocks.unpack(), aliases).flow;
        self.search
            .index
            .replace(&self.search.records, &changed, &flow_of, &self.aliases)
    }

    /// Adds the index files of `index` to `patch`, and keeps their sizes.
    fn apply_index_patch(&mut self, patch: &mut Patch, index: crate::index::live::Patch) {
        for f in &index.write {
            self.search.bytes.insert(f.path.clone(), f.bytes.len());
        }
        for path in &index.remove {
            self.search.bytes.remove(path);
        }
        patch.files += index.write.len() + index.remove.len();
        patch.write.extend(index.write);
        patch.remove.extend(index.remove);
    }

    /// The terminal index, exact: its norms and scale are recomputed.
    fn update_terminal(&self, settings: &Settings, edit: &SearchEdit) -> Result<()> {
        let norms = Norms::of(self.search.index.lens());
        let scale = self.search.index.exact_scale(&norms);
        let replaced: Vec<(usize, &SearchDoc)> =
            edit.articles.iter().copied().zip(&edit.current).collect();
        terminal::update(
            &terminal::index_dir(&settings.output),
            &replaced,
            scale,
            norms,
            crate::search::versions::known(&self.search.records),
        )
    }

    /// The pages whose values changed and the feeds that changed, rendered;
    /// the pages that are gone, to remove. The kept page hashes and feeds
    /// follow.
    fn render_changed(&mut self, old: &[(Document, Vec<Signature>)]) -> Result<Patch> {
        let edited: BTreeSet<&str> = old.iter().map(|(d, _)| d.rel_path.as_str()).collect();
        let listed = self.pages_to_check(&edited);
        let values: Vec<_> = listed.par_iter().map(|p| (p.values)()).collect();
        let hashes: Vec<u64> = listed
            .par_iter()
            .zip(&values)
            .map(|(p, v)| page_hash(p, &v.to_json()))
            .collect();
        let mut seen: HashMap<String, u64> = self
            .site
            .articles
            .iter()
            .filter_map(|a| Some((a.url(), *self.pages.hashes.get(&a.url())?)))
            .collect();
        let mut to_render = Vec::new();
        for ((p, v), h) in listed.iter().zip(values).zip(hashes) {
            let path = p.path();
            if self.pages.hashes.get(&path) != Some(&h) {
                to_render.push((p, v));
            }
            seen.insert(path, h);
        }
        let remove: Vec<String> = self
            .pages
            .hashes
            .keys()
            .filter(|k| !seen.contains_key(*k))
            .cloned()
            .collect();
        let site_json = serde_json::to_value(&self.site.info)?;
        let mut write: Vec<OutputFile> = to_render
            .into_par_iter()
            .map(|(p, v)| render::render_page(&self.pages.tera, &site_json, p, v))
            .collect::<Result<_>>()?;
        let pages = write.len();
        let page_paths = page_order(&self.site, &listed);
        drop(listed);
        let feeds = self.changed_feeds(&page_paths);
        let files = feeds.len();
        write.extend(feeds);
        self.pages.hashes = seen;
        Ok(Patch {
            write,
            remove,
            pages,
            files,
        })
    }

    /// The feeds that differ from the ones last written, which they replace.
    fn changed_feeds(&mut self, page_paths: &[String]) -> Vec<OutputFile> {
        let mut out = Vec::new();
        for f in render::feeds::render(&self.site, page_paths) {
            if self.pages.feeds.get(&f.path) != Some(&f.bytes) {
                self.pages.feeds.insert(f.path.clone(), f.bytes.clone());
                out.push(f);
            }
        }
        out
    }
}

/// The pages in the order of [`pages::all`]: the home page, the articles,
/// the rest.
fn page_order(site: &Site, listed: &[pages::Page<'_>]) -> Vec<String> {
    std::iter::once("index.html".to_string())
        .chain(site.articles.iter().map(Document::url))
        .chain(
            listed
                .iter()
                .skip(1)
                .filter(|p| p.template != "article.html" && p.file == "index.html")
                .map(pages::Page::path),
        )
        .collect()
}
