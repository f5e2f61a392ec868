//! Versions as pages: each version a product's articles name
//! (`products: [{name: Exchange Server, versions: ["2016", "2019"]}]`) gets
//! `products/<product>/<version>/`, listing the articles that apply to it,
//! and the product's page links its versions.

use super::{Entries, Page};
use crate::model::site::Site;
use crate::urls::slug_name;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Versions of each product (by page name): version slug → (version as
/// first written, article indexes).
pub(crate) type Versions = BTreeMap<String, BTreeMap<String, (String, Vec<usize>)>>;

/// Every product's versions, from the articles' front matter.
pub(crate) fn versions(site: &Site) -> Versions {
    let mut out: Versions = BTreeMap::new();
    for (i, a) in site.articles.iter().enumerate() {
        for p in &a.meta.products {
            for v in &p.versions {
                let slug = slug_name(v);
                if slug.is_empty() {
                    continue;
                }
                let entry = out
                    .entry(slug_name(&p.name))
                    .or_default()
                    .entry(slug)
                    .or_insert_with(|| (v.clone(), Vec::new()));
                if entry.1.last() != Some(&i) {
                    entry.1.push(i);
                }
            }
        }
    }
    out
}

/// The page path of a product's version.
pub(crate) fn version_url(product: &str, version: &str) -> String {
    format!(
        "products/{}/{}/index.html",
        slug_name(product),
        slug_name(version)
    )
}

/// The links a product page shows to its versions.
pub(crate) fn links(all: &Versions, product_slug: &str, name: &str) -> Vec<serde_json::Value> {
    all.get(product_slug)
        .into_iter()
        .flatten()
        .map(|(_, (v, arts))| json!({"name": format!("{name} {v}"), "url": version_url(name, v), "count": arts.len()}))
        .collect()
}

/// One page per product version.
pub(crate) fn pages<'a>(
    site: &'a Site,
    entries: &Arc<Entries<'a>>,
    all: &Versions,
) -> Vec<Page<'a>> {
    let mut pages = Vec::new();
    for (product, versions) in all {
        let Some(taxon) = site.products.get(product) else {
            continue;
        };
        for (slug, (written, articles)) in versions {
            let name = format!("{} {written}", taxon.name);
            let articles = articles.clone();
            let title = name.clone();
            let entries = Arc::clone(entries);
            pages.push(Page::with_values(
                format!("products/{product}/{slug}"),
                "taxonomy.html",
                title,
                move || {
                    entries.listing(
                        json!({ "kind": "Product version", "name": name }),
                        &articles,
                    )
                },
            ));
        }
    }
    pages
}
