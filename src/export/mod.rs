//! `kbgen export`: the knowledge base as data for other systems — SIEM
//! enrichment, ticketing, chat bots, and an OpenSearch/Elasticsearch
//! cluster for a knowledge base (or many) too large for one browser index.
//!
//! Receives the assembled site; returns one JSON object per article
//! ([`article`]): path, URL, title, products and versions, dates and
//! freshness, every signature with its canonical key and template, the
//! fixes, and the text. [`opensearch`] turns those into the bulk NDJSON
//! and an index template.

pub mod opensearch;

use crate::model::site::Site;
use crate::signature::Signature;
use serde_json::{json, Value};

/// The JSON object of article `i`.
pub(crate) fn article(site: &Site, i: usize) -> Value {
    let a = &site.articles[i];
    let m = &a.meta;
    let f = &a.freshness;
    let date = |d: Option<crate::model::date::Date>| d.map(|d| d.to_string());
    let text: Vec<String> = a.blocks.unpack().into_iter().map(|b| b.text).collect();
    json!({
        "path": a.rel_path,
        "url": a.url(),
        "title": a.title,
        "summary": m.summary,
        "products": m.products.iter().map(|p| json!({"name": p.name, "versions": p.versions})).collect::<Vec<_>>(),
        "tags": m.tags,
        "authors": m.authors,
        "owners": m.owners,
        "date": date(m.date),
        "updated": date(m.updated),
        "reviewed": date(f.verified),
        "reviewed_from": f.basis.label(),
        "review_due": date(f.due),
        "expires": date(f.expires),
        "modified": date(f.modified),
        "freshness": f.state.label(),
        "signatures": site.signatures[i].iter().map(signature).collect::<Vec<_>>(),
        "causes": m.causes,
        "fixes": site.refs[i].fixes.iter().map(|&x| {
            let fix = &site.fixes[x];
            json!({"id": fix.id, "title": fix.title, "url": fix.url(), "summary": fix.meta.summary})
        }).collect::<Vec<_>>(),
        "aliases": m.aliases.iter().map(|l| l.value.clone()).collect::<Vec<_>>(),
        "text": text.join("\n\n"),
    })
}

/// One signature: the event (canonical key `source/id`), a bare event ID,
/// the codes (canonical key and name), the message template.
pub(crate) fn signature(s: &Signature) -> Value {
    json!({
        "event": s.event.as_ref().map(|e| json!({
            "key": e.key.path(),
            "source": e.key.source,
            "id": e.key.id,
            "source_name": e.source_name,
            "log": e.log,
            "level": e.level,
        })),
        "bare_event_id": s.bare_event.as_ref().map(|b| b.id),
        "codes": s.codes.iter().map(|c| json!({"key": c.canonical, "name": c.name()})).collect::<Vec<_>>(),
        "template": s.message.as_ref().map(|t| t.text.clone()),
        "origin": s.origin,
        "line": s.line,
    })
}
