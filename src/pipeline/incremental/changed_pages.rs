//! Which pages an update renders again: the pages an edit can change, and a
//! hash of each page's values, so that only pages whose values changed are
//! rendered (the same values give the same HTML).

use super::Live;
use crate::model::Document;
use crate::render::pages;
use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

impl Live {
    /// The pages whose values an edit of the files `edited` can change: the
    /// home page, the pages of the edited articles and of the articles
    /// that refer to an edited article or fix (see [`pages::article`]),
    /// and every page that is not an article's.
    pub(super) fn pages_to_check(&self, edited: &BTreeSet<&str>) -> Vec<pages::Page<'_>> {
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
}

/// A hash of everything a page's HTML is made from, besides the templates
/// and the site values (which an update never changes).
pub(super) fn page_hash(p: &pages::Page, values: &serde_json::Value) -> u64 {
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
