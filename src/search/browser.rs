//! The browser index: classic scripts under `search/idx/`, each one call
//! `kbgenIndex(name, data)`, because `fetch` of local files is blocked
//! under `file://`. Terms are hashed into many small shards and documents
//! are cut into small groups, so one query downloads a few of them however
//! large the knowledge base grows (format: `docs/search.md`).

pub mod live;

use super::docs::SearchDoc;
use super::rank::{field_weight, idf, quantise, Norms, BOOST, FUZZY, RERANK};
use crate::output::OutputFile;
use crate::signature::events::Aliases;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// Folder of the index, from the site root.
pub const DIR: &str = "search/idx";
/// Documents per document shard: one, because the candidates a query
/// re-ranks are scattered, and every neighbour in a shard is wasted bytes.
pub const DOC_SHARD: usize = 1;
/// Aimed-at bytes of one term shard.
const TERM_SHARD_BYTES: usize = 4 * 1024;
/// Longest posting list kept, highest weights first (the terminal engine
/// keeps the same ones, so both rank alike at any size).
pub const MAX_POSTINGS: usize = 2000;
/// Shortest word offered for typo tolerance.
const VOCAB_MIN_CHARS: usize = 4;

/// FNV-1a, 32-bit, over UTF-8 bytes: the shard of a term, in Rust and JS alike.
pub fn fnv1a32(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// What the browser index holds, for the build summary.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct IndexStats {
    /// Files written.
    pub files: usize,
    /// Bytes of all files.
    pub bytes: usize,
    /// Distinct terms.
    pub terms: usize,
}

/// The index files for `docs`, and the factor from weights to their
/// quantised form (the terminal engine needs it to score alike).
pub fn write_index(docs: &[SearchDoc], aliases: &Aliases) -> (Vec<OutputFile>, IndexStats, f32) {
    let (postings, scale) = postings(docs);
    let mut files = Vec::new();

    let estimate: usize = postings.values().map(|p| p.len() * 8 + 16).sum();
    let shards = estimate.div_ceil(TERM_SHARD_BYTES).clamp(1, 1 << 16);
    let mut by_shard: Vec<BTreeMap<&str, Vec<u32>>> = vec![BTreeMap::new(); shards];
    for (term, list) in &postings {
        let mut flat = Vec::with_capacity(list.len() * 2);
        let mut last = 0;
        for &(doc, w) in list {
            flat.push(doc - last);
            flat.push(u32::from(w));
            last = doc;
        }
        by_shard[fnv1a32(term) as usize % shards].insert(term, flat);
    }
    for (k, shard) in by_shard.iter().enumerate() {
        files.push(script(&format!("t{k}"), &shard));
    }

    for (k, group) in docs.chunks(DOC_SHARD).enumerate() {
        let records: Vec<Value> = group.iter().map(record).collect();
        files.push(script(&format!("d{k}"), &records));
    }

    let mut vocab: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for term in postings.keys() {
        let Some(word) = term.strip_prefix("w:") else {
            continue;
        };
        if word.chars().count() >= VOCAB_MIN_CHARS && word.chars().all(char::is_alphabetic) {
            let head: String = word.chars().take(2).collect();
            let hex: String = head.bytes().map(|b| format!("{b:02x}")).collect();
            vocab.entry(hex).or_default().push(word);
        }
    }
    for (hex, words) in &vocab {
        files.push(script(&format!("v{hex}"), words));
    }

    let manifest = json!({
        "version": 1,
        "docs": docs.len(),
        "termShards": shards,
        "docShard": DOC_SHARD,
        "aliases": aliases.map(),
        "vocab": vocab.keys().collect::<Vec<_>>(),
        "boost": BOOST.scaled(f64::from(scale)),
        "fuzzy": FUZZY,
        "rerank": RERANK,
    });
    files.push(script("manifest", &manifest));

    let stats = IndexStats {
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes.len()).sum(),
        terms: postings.len(),
    };
    (files, stats, scale)
}

/// Term → (document, quantised weight) in document order, and the factor
/// from weights to their quantised form.
fn postings(docs: &[SearchDoc]) -> (BTreeMap<String, Vec<(u32, u8)>>, f32) {
    let norms = Norms::of(docs);
    let mut raw: HashMap<&str, Vec<(u32, f32)>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        let mut terms: Vec<&str> = d
            .sig
            .keys()
            .chain(d.title_terms.keys())
            .chain(d.msg.keys())
            .chain(d.body.keys())
            .map(String::as_str)
            .collect();
        terms.sort_unstable();
        terms.dedup();
        for t in terms {
            raw.entry(t)
                .or_default()
                .push((i as u32, field_weight(d, t, &norms)));
        }
    }
    let n = docs.len();
    let weighted: Vec<(&str, Vec<(u32, f32)>)> = raw
        .into_iter()
        .map(|(t, list)| {
            let rarity = idf(list.len(), n);
            (t, list.into_iter().map(|(d, w)| (d, w * rarity)).collect())
        })
        .collect();
    let max = weighted
        .iter()
        .flat_map(|(_, l)| l.iter().map(|(_, w)| *w))
        .fold(f32::MIN_POSITIVE, f32::max);
    let scale = 255.0 / max;
    let lists = weighted
        .into_iter()
        .map(|(t, mut list)| {
            if list.len() > MAX_POSTINGS {
                list.sort_by(|a, b| b.1.total_cmp(&a.1));
                list.truncate(MAX_POSTINGS);
                list.sort_by_key(|(d, _)| *d);
            }
            let q = list
                .into_iter()
                .map(|(d, w)| (d, quantise(w, scale) as u8))
                .collect();
            (t.to_string(), q)
        })
        .collect();
    (lists, scale)
}

/// The record a result is shown from.
fn record(d: &SearchDoc) -> Value {
    let d = &d.record;
    json!({
        "u": d.url,
        "t": d.title,
        "s": d.source,
        "p": d.products,
        "x": d.summary,
        "e": d.events.iter().map(|e| json!([e.key, e.source_name, e.id])).collect::<Vec<_>>(),
        "c": d.codes.iter().map(|c| json!([c.key, c.name, c.message, c.names])).collect::<Vec<_>>(),
        "m": d.templates.iter().map(|t| json!([t.text, t.seq.join(" ")])).collect::<Vec<_>>(),
    })
}

/// `kbgenIndex("name", data);` — JSON with `<` escaped so no `</script>` can end it early.
fn script(name: &str, data: &impl Serialize) -> OutputFile {
    let json = serde_json::to_string(data).expect("index data serialises");
    let json = json.replace('<', "\\u003c");
    OutputFile {
        path: format!("{DIR}/{name}.js"),
        bytes: format!("kbgenIndex({name:?},{json});\n").into_bytes(),
    }
}
