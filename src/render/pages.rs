//! Which pages exist and what each one's template receives.

use super::nest::NestedFixes;
use super::views::{
    code_url, event_id_url, event_url, taxon_url, ArticleItem, ArticleView, CodeBadge,
};
use crate::model::site::Citation;
use crate::model::site::{Site, Taxon};
use crate::model::PackedHtml;
use serde::Serialize;
use serde_json::json;
use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

pub(crate) mod versions;

/// A page to render: folder, template and the page's own context values,
/// made only when the page is rendered (all of them at once would be as
/// large as the site).
pub(crate) struct Page<'a> {
    /// Folder relative to the output root; `""` for the root.
    pub dir: String,
    /// File name in that folder.
    pub file: &'static str,
    /// Template name.
    pub template: &'static str,
    /// Shown in `<title>`.
    pub title: String,
    /// Values for the template, besides `site`, `root` and `page_title`.
    pub values: Values<'a>,
}

/// Makes a page's values.
pub(crate) type Values<'a> = Box<dyn Fn() -> PageValues<'a> + Send + Sync + 'a>;

/// A page's values for its template, besides `site`, `root` and `page_title`.
pub(crate) enum PageValues<'a> {
    /// Made as JSON: most kinds of page.
    Json(serde_json::Value),
    /// An article page's view, handed to the template as it is: article
    /// pages are most of a site's pages and of its values, and a JSON copy
    /// first cost as much as the template's own copy.
    Article(Box<ArticleView<'a>>),
    /// A page listing articles: its `list` of entries ([`Entries`]) and
    /// the other values as JSON.
    Listing {
        values: serde_json::Value,
        list: Vec<tera::Value>,
    },
}

impl PageValues<'_> {
    /// The template's context.
    pub(crate) fn into_context(self) -> tera::TeraResult<tera::Context> {
        match self {
            PageValues::Json(v) => tera::Context::from_serialize(&v),
            PageValues::Article(view) => {
                let mut ctx = tera::Context::new();
                ctx.insert("article", &*view);
                Ok(ctx)
            }
            PageValues::Listing { values, list } => {
                let mut ctx = tera::Context::from_serialize(&values)?;
                ctx.insert_value("list", tera::Value::from(list));
                Ok(ctx)
            }
        }
    }

    /// The values as JSON, as the page's template sees them (`kbgen serve`
    /// hashes them to tell which pages an edit changed).
    pub(crate) fn to_json(&self) -> Cow<'_, serde_json::Value> {
        match self {
            PageValues::Json(v) => Cow::Borrowed(v),
            PageValues::Article(view) => Cow::Owned(json!({ "article": view })),
            PageValues::Listing { values, list } => {
                let mut v = values.clone();
                v["list"] = json!(list);
                Cow::Owned(v)
            }
        }
    }
}

impl<'a> Page<'a> {
    fn new(
        dir: impl Into<String>,
        template: &'static str,
        title: impl Into<String>,
        values: impl Fn() -> serde_json::Value + Send + Sync + 'a,
    ) -> Page<'a> {
        Page::with_values(dir, template, title, move || PageValues::Json(values()))
    }

    /// A page whose values are made by `values`.
    pub(super) fn with_values(
        dir: impl Into<String>,
        template: &'static str,
        title: impl Into<String>,
        values: impl Fn() -> PageValues<'a> + Send + Sync + 'a,
    ) -> Page<'a> {
        Page {
            dir: dir.into(),
            file: "index.html",
            template,
            title: title.into(),
            values: Box::new(values),
        }
    }

    /// Output path of the page.
    pub(crate) fn path(&self) -> String {
        if self.dir.is_empty() {
            self.file.to_string()
        } else {
            format!("{}/{}", self.dir, self.file)
        }
    }
}

#[derive(Serialize)]
struct ListItem {
    url: String,
    label: String,
    detail: String,
}

fn items(site: &Site, idx: &[usize]) -> Vec<ArticleItem> {
    idx.iter()
        .map(|&i| ArticleItem::of(&site.articles[i]))
        .collect()
}

/// Each article's list entry as templates see it, made the first time a
/// list needs it and shared by every list that holds the article (tag,
/// product, version, code and fix pages): 10,000 generated articles are
/// listed 110,000 times, and Tera shares a value by reference.
pub(crate) struct Entries<'a> {
    site: &'a Site,
    made: Vec<OnceLock<tera::Value>>,
}

impl<'a> Entries<'a> {
    /// The entries of `site`'s articles, none made yet.
    pub(crate) fn new(site: &'a Site) -> Arc<Entries<'a>> {
        Arc::new(Entries {
            site,
            made: (0..site.articles.len()).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The entries of the articles `idx`, in that order.
    fn of(&self, idx: &[usize]) -> Vec<tera::Value> {
        idx.iter()
            .map(|&i| {
                self.made[i]
                    .get_or_init(|| {
                        tera::Value::from_serializable(&ArticleItem::of(&self.site.articles[i]))
                    })
                    .clone()
            })
            .collect()
    }

    /// A listing page's values: `values` and the `list` of `idx`.
    pub(crate) fn listing(&self, values: serde_json::Value, idx: &[usize]) -> PageValues<'a> {
        PageValues::Listing {
            values,
            list: self.of(idx),
        }
    }
}

use crate::plural::plural;

/// Every page of the site: the home page, the articles, then [`rest`].
pub(crate) fn all(site: &Site) -> Vec<Page<'_>> {
    let mut pages = vec![home(site)];
    let fixes = NestedFixes::new(site);
    pages.extend(
        (0..site.articles.len())
            .map(|i| article_with(site, i, &site.articles[i].html, Arc::clone(&fixes))),
    );
    pages.extend(rest(site));
    pages
}

/// [`all`], each article page owning its body's HTML (`htmls`, taken out
/// of the site in article order), which is freed once the page is
/// rendered: a build no longer holds every body to its end.
pub(crate) fn all_owning(site: &Site, htmls: Vec<PackedHtml>) -> Vec<Page<'_>> {
    let mut pages = vec![home(site)];
    let fixes = NestedFixes::new(site);
    pages.extend(
        htmls
            .into_iter()
            .enumerate()
            .map(|(i, html)| article_with(site, i, html, Arc::clone(&fixes))),
    );
    pages.extend(rest(site));
    pages
}

/// The page of article `i`. Its values come from the article, its
/// signatures and references, and the fixes and related articles it
/// refers to — nothing else: `kbgen serve` relies on that to list only the
/// article pages an edit can change (`pipeline::incremental`).
pub(crate) fn article(site: &Site, i: usize) -> Page<'_> {
    article_with(site, i, &site.articles[i].html, NestedFixes::new(site))
}

/// The page of article `i` whose body is `html`, borrowed from the site
/// or owned by the page, with the fixes it shows from `fixes`.
fn article_with<'a>(
    site: &'a Site,
    i: usize,
    html: impl Borrow<PackedHtml> + Send + Sync + 'a,
    fixes: Arc<NestedFixes<'a>>,
) -> Page<'a> {
    let a = &site.articles[i];
    Page::with_values(a.dir.clone(), "article.html", a.title.clone(), move || {
        PageValues::Article(Box::new(ArticleView::of(site, i, html.borrow(), &fixes)))
    })
}

/// The pages that are not articles', home page aside: fixes, events,
/// codes, products, tags, search and 404.
pub(crate) fn rest(site: &Site) -> Vec<Page<'_>> {
    let mut pages = Vec::new();
    let entries = Entries::new(site);
    for (i, f) in site.fixes.iter().enumerate() {
        let entries = Arc::clone(&entries);
        pages.push(Page::with_values(f.dir.clone(), "fix.html", f.title.clone(), move || {
            let fix = json!({
                "heading": f.body.h1.as_deref().filter(|_| f.meta.title.is_none()).unwrap_or(&f.title),
                "applies_to": f.meta.applies_to, "summary": f.meta.summary, "html": f.html.unpack(),
            });
            entries.listing(json!({ "fix": fix }), &site.fix_users[i])
        }));
    }
    let fix_list = site
        .fixes
        .iter()
        .enumerate()
        .map(|(i, f)| ListItem {
            url: f.url(),
            label: f.title.clone(),
            detail: plural(site.fix_users[i].len(), "article"),
        })
        .collect::<Vec<_>>();
    pages.push(Page::new(
        "fixes",
        "listing.html",
        "Fixes",
        move || json!({ "items": fix_list }),
    ));

    events(site, &mut pages);

    let mut code_list = Vec::new();
    for (canonical, entry) in &site.codes {
        let c = &entry.code;
        let view = move || {
            json!({
                "canonical": canonical, "name": c.name(), "message": c.message(),
                "kind": super::meaning::kind_name(c.kind), "meaning": super::meaning::meaning(c),
                "decoded": c.decode(), "win32": c.win32_number(), "spellings": c.spellings(),
                "related": related(site, c),
            })
        };
        let badge = CodeBadge::of(c);
        let label = match badge.name {
            Some(n) => format!("{canonical} · {n}"),
            None => canonical.clone(),
        };
        code_list.push(ListItem {
            url: code_url(canonical),
            label: label.clone(),
            detail: plural(entry.articles.len(), "article"),
        });
        let entries = Arc::clone(&entries);
        pages.push(Page::with_values(
            format!("codes/{canonical}"),
            "code.html",
            label,
            move || entries.listing(json!({ "code": view() }), &entry.articles),
        ));
    }
    pages.push(Page::new(
        "codes",
        "listing.html",
        "Error codes",
        move || json!({ "items": code_list }),
    ));

    let all_versions = versions::versions(site);
    taxonomy(
        &entries,
        &site.products,
        "products",
        "Product",
        "Products",
        &mut pages,
    );
    // A product page links its versions; each version has a page.
    for p in pages.iter_mut().filter(|p| p.dir.starts_with("products/")) {
        let slug = p.dir["products/".len()..].to_string();
        let links = versions::links(&all_versions, &slug, &p.title);
        if !links.is_empty() {
            let values = std::mem::replace(&mut p.values, Box::new(|| PageValues::Json(json!({}))));
            p.values = Box::new(move || {
                let mut v = values().to_json().into_owned();
                v["versions"] = json!(links);
                PageValues::Json(v)
            });
        }
    }
    pages.extend(versions::pages(site, &entries, &all_versions));
    taxonomy(&entries, &site.tags, "tags", "Tag", "Tags", &mut pages);
    pages.push(Page::new("search", "search.html", "Search", || json!({})));
    let mut not_found = Page::new("", "404.html", "Page not found", || json!({}));
    not_found.file = "404.html";
    pages.push(not_found);
    pages
}

/// Related forms of a code that have pages of their own.
fn related(site: &Site, c: &crate::signature::Code) -> Vec<serde_json::Value> {
    c.related()
        .into_iter()
        .filter(|(_, r)| site.codes.contains_key(&r.canonical))
        .map(|(label, r)| json!({ "label": label, "canonical": r.canonical, "name": r.name(), "url": code_url(&r.canonical) }))
        .collect()
}

fn citations(site: &Site, list: &[Citation]) -> Vec<serde_json::Value> {
    list.iter()
        .map(|c| json!({ "article": ArticleItem::of(&site.articles[c.article]), "message": c.message, "level": c.level, "log": c.log }))
        .collect()
}

/// One page per event (`events/<source>/<id>/`), one per event ID
/// (`events/id/<id>/`: every source using the ID, and the articles citing
/// it without a source), and the events index listing both.
fn events<'a>(site: &'a Site, pages: &mut Vec<Page<'a>>) {
    let mut by_source = Vec::new();
    for (key, e) in &site.events {
        let title = format!("Event {} · {}", key.id, e.source_name);
        by_source.push((
            (e.source_name.to_lowercase(), key.id),
            ListItem {
                url: event_url(key),
                label: format!("{} · Event {}", e.source_name, key.id),
                detail: plural(e.citations.len(), "article"),
            },
        ));
        let others = site.event_ids.get(&key.id).map_or(0, |x| x.keys.len() - 1);
        pages.push(Page::new(
            format!("events/{}", key.path()),
            "event.html",
            title,
            move || json!({ "event": {
                "id": key.id, "source_name": e.source_name, "citations": citations(site, &e.citations),
                "id_url": event_id_url(key.id), "other_sources": others,
            } }),
        ));
    }
    // Listed in the order shown: by the source's name as written, then by
    // number (the keys sort by the source's folded form).
    by_source.sort_by(|a, b| a.0.cmp(&b.0));
    let by_source: Vec<ListItem> = by_source.into_iter().map(|(_, item)| item).collect();
    let mut by_id = Vec::new();
    for (&id, entry) in &site.event_ids {
        let sources: Vec<_> = entry
            .keys
            .iter()
            .map(|k| {
                let e = &site.events[k];
                json!({ "source_name": e.source_name, "url": event_url(k), "count": e.citations.len() })
            })
            .collect();
        let names: Vec<&str> = entry
            .keys
            .iter()
            .map(|k| site.events[k].source_name.as_str())
            .collect();
        by_id.push(ListItem {
            url: event_id_url(id),
            label: format!("Event {id}"),
            detail: id_detail(&names, entry.citations.len()),
        });
        pages.push(Page::new(
            format!("events/{}/{id}", crate::signature::events::RESERVED_ID),
            "event_id.html",
            format!("Event {id}"),
            move || json!({ "event": { "id": id, "sources": sources, "citations": citations(site, &entry.citations) } }),
        ));
    }
    pages.push(Page::new(
        "events",
        "events.html",
        "Events",
        move || json!({ "items": by_source, "ids": by_id }),
    ));
}

/// What the events index says about an event ID: the sources that use it
/// ("W3SVC, WAS"), and the articles that cite it without naming one.
fn id_detail(sources: &[&str], unsourced: usize) -> String {
    let named = match sources {
        [] => String::new(),
        [a] => format!("from {a}"),
        [a, b] => format!("from {a} and {b}"),
        [a, b, rest @ ..] => format!("from {a}, {b} and {}", plural(rest.len(), "other source")),
    };
    match (named.is_empty(), unsourced) {
        (_, 0) => named,
        (true, n) => format!("source not named ({})", plural(n, "article")),
        (false, n) => format!(
            "{named}; also cited without a source ({})",
            plural(n, "article")
        ),
    }
}

fn taxonomy<'a>(
    entries: &Arc<Entries<'a>>,
    map: &'a BTreeMap<String, Taxon>,
    kind: &'static str,
    one: &'static str,
    title: &str,
    pages: &mut Vec<Page<'a>>,
) {
    let mut list = Vec::new();
    for (slug, t) in map {
        list.push(ListItem {
            url: taxon_url(kind, &t.name),
            label: t.name.clone(),
            detail: plural(t.articles.len(), "article"),
        });
        let entries = Arc::clone(entries);
        pages.push(Page::with_values(
            format!("{kind}/{slug}"),
            "taxonomy.html",
            t.name.clone(),
            move || entries.listing(json!({ "kind": one, "name": t.name }), &t.articles),
        ));
    }
    pages.push(Page::new(
        kind,
        "listing.html",
        title,
        move || json!({ "items": list }),
    ));
}

/// The home page.
pub(crate) fn home(site: &Site) -> Page<'_> {
    let mut recent = site.articles_by_date();
    recent.truncate(10);

    let mut events: Vec<_> = site.events.iter().collect();
    events.sort_by(|a, b| {
        b.1.citations
            .len()
            .cmp(&a.1.citations.len())
            .then(a.0.cmp(b.0))
    });
    let top_events: Vec<_> = events
        .iter()
        .take(10)
        .map(|(k, e)| json!({ "id": k.id, "source_name": e.source_name, "url": event_url(k), "count": e.citations.len() }))
        .collect();
    let mut codes: Vec<_> = site.codes.values().collect();
    codes.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.code.canonical.cmp(&b.code.canonical))
    });
    let top_codes: Vec<_> = codes
        .iter()
        .take(10)
        .map(|c| json!({ "canonical": c.code.canonical, "name": c.code.name(), "url": code_url(&c.code.canonical), "count": c.articles.len() }))
        .collect();
    let products: Vec<_> = site.products.values().map(|t| json!({ "name": t.name, "url": taxon_url("products", &t.name), "count": t.articles.len() })).collect();
    let counts = json!({ "articles": site.articles.len(), "events": site.events.len(), "codes": site.codes.len(), "fixes": site.fixes.len() });
    Page::new("", "index.html", site.info.title.clone(), move || {
        json!({
            "recent": items(site, &recent), "top_events": top_events, "top_codes": top_codes, "products": products, "counts": counts,
        })
    })
}
