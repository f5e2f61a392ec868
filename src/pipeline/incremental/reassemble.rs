//! Putting an edited document in its place in the site: whether it may
//! replace its previous version in place, and the site assembled again with
//! it (or with the previous version back, when the edit has errors).

use super::Live;
use crate::config::Settings;
use crate::diag::Diagnostics;
use crate::model::{site::Site, Document};
use crate::signature::Signature;

impl Live {
    /// True when the document from `rel_path` is part of the site (not a draft left out).
    pub(super) fn in_site(&self, rel_path: &str) -> bool {
        self.content.page_map.contains_key(rel_path)
    }

    /// Why `doc` cannot replace its previous version in place, if it cannot.
    pub(super) fn moved(&self, doc: &Document) -> Option<String> {
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
    pub(super) fn reassemble(
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
    pub(super) fn reassemble_restore(
        &self,
        site: Site,
        old: Vec<(Document, Vec<Signature>)>,
    ) -> Site {
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
