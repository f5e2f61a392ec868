//! OpenSearch/Elasticsearch output: the `_bulk` body (an action line and a
//! source line per article, NDJSON, ending with a newline, as the bulk API
//! documents) and a composable index template (`PUT _index_template/…`)
//! that maps canonical codes and event keys as `keyword` fields and the
//! text with the `english` analyser. `_id` is the article's page path, so
//! a rebuild updates documents in place instead of adding copies.

use serde_json::{json, Value};

/// The search document of one exported article ([`super::article`]):
/// flat keyword fields for exact matches, text fields for words, the full
/// signatures kept but not indexed.
pub fn source(article: &Value) -> Value {
    let sigs = article["signatures"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut event_keys = Vec::new();
    let mut event_ids = Vec::new();
    let mut codes = Vec::new();
    let mut templates = Vec::new();
    for s in &sigs {
        if let Some(k) = s["event"]["key"].as_str() {
            event_keys.push(k.to_string());
        }
        if let Some(id) = s["event"]["id"].as_u64().or(s["bare_event_id"].as_u64()) {
            event_ids.push(id);
        }
        for c in s["codes"].as_array().into_iter().flatten() {
            codes.extend(c["key"].as_str().map(str::to_string));
        }
        templates.extend(s["template"].as_str().map(str::to_string));
    }
    for v in [&mut event_keys, &mut codes, &mut templates] {
        v.sort();
        v.dedup();
    }
    event_ids.sort_unstable();
    event_ids.dedup();
    let products = article["products"].as_array().cloned().unwrap_or_default();
    let versions: Vec<String> = products
        .iter()
        .flat_map(|p| {
            let name = p["name"].as_str().unwrap_or_default().to_string();
            p["versions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(move |v| v.as_str().map(|v| format!("{name} {v}")))
        })
        .collect();
    let names: Vec<&str> = products.iter().filter_map(|p| p["name"].as_str()).collect();
    json!({
        "path": article["path"], "url": article["url"], "title": article["title"],
        "summary": article["summary"], "text": article["text"],
        "products": names, "versions": versions, "tags": article["tags"],
        "event_keys": event_keys, "event_ids": event_ids, "codes": codes,
        "templates": templates,
        "fixes": article["fixes"].as_array().into_iter().flatten().filter_map(|f| f["id"].as_str()).collect::<Vec<_>>(),
        "date": article["date"], "updated": article["updated"], "reviewed": article["reviewed"],
        "expires": article["expires"], "modified": article["modified"],
        "freshness": article["freshness"], "owners": article["owners"],
        "signatures": sigs,
    })
}

/// The `_bulk` body for `index`: an `index` action with a stable `_id`,
/// then the source, for each article; every line ends with `\n`.
pub fn bulk(articles: &[Value], index: &str) -> String {
    let mut out = String::new();
    for a in articles {
        let action = json!({"index": {"_index": index, "_id": a["url"]}});
        out.push_str(&action.to_string());
        out.push('\n');
        out.push_str(&source(a).to_string());
        out.push('\n');
    }
    out
}

/// The composable index template for indexes named `index` or `index-*`.
pub fn index_template(index: &str) -> Value {
    let keyword = json!({"type": "keyword"});
    let text = json!({"type": "text", "analyzer": "english"});
    let date = json!({"type": "date", "format": "strict_date"});
    json!({
        "index_patterns": [index, format!("{index}-*")],
        "template": {
            "settings": {"number_of_shards": 1},
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "path": keyword, "url": keyword,
                    "title": {"type": "text", "analyzer": "english", "fields": {"raw": keyword}},
                    "summary": text, "text": text, "templates": text,
                    "products": keyword, "versions": keyword, "tags": keyword,
                    "event_keys": keyword, "event_ids": {"type": "integer"}, "codes": keyword,
                    "fixes": keyword, "owners": keyword, "freshness": keyword,
                    "date": date, "updated": date, "reviewed": date, "expires": date, "modified": date,
                    "signatures": {"type": "object", "enabled": false},
                }
            }
        },
        "_meta": {"generator": "kbgen"},
    })
}
