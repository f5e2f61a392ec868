//! An edit applied to the live state ([`Live::update`]): model and extract
//! the changed files, assemble the site again, then patch the search
//! documents, the pages whose values changed, the feeds and both indexes.

use super::changed_pages::page_hash;
use super::{merge, Live, Update};
use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::extract::{self, Signature};
use crate::model::{self, site::Site, DocKind, Document};
use crate::output::{self, OutputFile};
use crate::pipeline::{Clock, Stage};
use crate::render::{self, pages};
use crate::search::docs::{article_search_doc, search_doc, SearchDoc};
use crate::search::engine;
use crate::search::rank::Norms;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

impl Live {
    /// Applies the edit of `changed` (paths as the file watcher reports
    /// them) made with `settings`. On `Err` the output may hold part of the
    /// edit and this state is stale: run a full build.
    pub fn update(&mut self, settings: &Settings, changed: &[PathBuf]) -> Result<Update> {
        if format!("{settings:?}") != self.settings_key {
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
        let _lock = output::lock(&settings.output)?;

        // Model and extract the changed files against the last page map.
        clock.start(Stage::Model);
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
            if let Some(new) = self.newly_linked(&doc) {
                let why = format!("{} links {new}, which is not published yet", doc.rel_path);
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
        clock.start(Stage::Assemble);
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
        clock.start(Stage::Index);
        let changed_articles: Vec<(usize, &(Document, Vec<Signature>))> = old
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
        // Each changed article's search document as it was (recomputed from
        // the replaced article: it depends on nothing else) and as it is.
        let (previous, current): (Vec<SearchDoc>, Vec<SearchDoc>) = changed_articles
            .par_iter()
            .map(|&(i, (was, was_sigs))| {
                let blocks = was.blocks.unpack();
                let before = article_search_doc(was, was_sigs, &blocks, &self.aliases);
                let now = &self.site.articles[i];
                let after = search_doc(&self.site, i, &now.blocks.unpack(), &self.aliases);
                (before, after)
            })
            .unzip();
        let changed_articles: Vec<usize> = changed_articles.into_iter().map(|(i, _)| i).collect();
        for (&i, now) in changed_articles.iter().zip(&current) {
            self.records[i] = now.record.clone();
        }
        let changed: Vec<(usize, &SearchDoc, &SearchDoc)> = changed_articles
            .iter()
            .zip(previous.iter().zip(&current))
            .map(|(&i, (was, is))| (i, was, is))
            .collect();
        let patch = self.index.replace(&self.records, &changed, &self.aliases);
        drop(changed);

        // Pages whose values changed, and the feeds.
        clock.start(Stage::Render);
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
        clock.start(Stage::Write);
        output::patch_site(&settings.output, &write, &remove)?;
        self.page_hashes = seen;

        // The terminal index, exact: its norms and scale are recomputed.
        let norms = Norms::of(self.index.lens());
        let scale = self.index.exact_scale(&norms);
        let replaced: Vec<(usize, &SearchDoc)> =
            changed_articles.iter().copied().zip(&current).collect();
        engine::update(
            &engine::index_dir(&settings.output),
            &replaced,
            scale,
            norms,
        )?;
        drop(replaced);
        // Freeing the replaced documents takes a while at 10,000 articles;
        // not on the way to the reload.
        std::thread::spawn(move || drop((previous, current, old)));

        let mut report = self.report(diags);
        report.timings = clock.stop();
        self.pending.clear();
        Ok(Update::Written {
            report,
            pages: page_count,
            files,
        })
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

    /// A content file `doc` links that the site does not publish yet: only
    /// a full build copies attachments.
    fn newly_linked<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        let linked = render::linked_attachments(&self.site);
        doc.attachments
            .iter()
            .map(String::as_str)
            .find(|a| !linked.contains(a))
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
