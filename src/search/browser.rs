//! The browser index: classic scripts under `search/idx/`, each one call
//! `kbgenIndex(name, data)`, because `fetch` of local files is blocked
//! under `file://`. Terms are hashed into many small shards and documents
//! are cut into small groups, so one query downloads a few of them however
//! large the knowledge base grows (format: `docs/search.md`).

use super::docs::{FieldCounts, SearchDoc};
use super::rank::{field_weight, idf, quantise, Norms, BOOST, FUZZY, RERANK};
use crate::output::OutputFile;
use crate::signature::events::Aliases;
use rayon::prelude::*;
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

/// The browser index, built one document at a time: each document's
/// record shard is ready at once, the term shards when every document is
/// in (their weights need the whole collection's statistics). Postings keep
/// raw counts until then, a few bytes per term and document.
#[derive(Default)]
pub struct Builder {
    postings: HashMap<Box<str>, Vec<(u32, FieldCounts)>>,
    lens: Vec<[u32; 2]>,
    pending: Vec<Value>,
    shards: usize,
    stats: IndexStats,
}

/// What [`Builder::finish`] leaves besides the files.
#[derive(Debug, Clone, Copy)]
pub struct Finished {
    /// The index's size.
    pub stats: IndexStats,
    /// Factor from weights to their quantised form (the terminal engine
    /// needs it to score alike).
    pub scale: f32,
    /// Average field lengths.
    pub norms: Norms,
}

impl Builder {
    /// Adds the next document (they come in article order); returns the
    /// document shard it completes, if any.
    pub fn add(&mut self, doc: &SearchDoc) -> Option<OutputFile> {
        let n = self.lens.len() as u32;
        self.lens.push(doc.lens);
        for (term, counts) in &doc.terms {
            match self.postings.get_mut(term.as_str()) {
                Some(list) => list.push((n, *counts)),
                None => {
                    self.postings
                        .insert(term.as_str().into(), vec![(n, *counts)]);
                }
            }
        }
        self.pending.push(record(doc));
        (self.pending.len() == DOC_SHARD).then(|| self.flush_docs())
    }

    fn flush_docs(&mut self) -> OutputFile {
        let file = script(&format!("d{}", self.shards), &self.pending);
        self.pending.clear();
        self.shards += 1;
        self.stats.files += 1;
        self.stats.bytes += file.bytes.len();
        file
    }

    /// The rest of the index: the last document shard, the term shards,
    /// the vocabulary and the manifest.
    pub fn finish(mut self, aliases: &Aliases) -> (Vec<OutputFile>, Finished) {
        let mut files = Vec::new();
        let norms = Norms::of(&self.lens);
        let (postings, scale) = weigh(std::mem::take(&mut self.postings), &self.lens, &norms);

        let estimate: usize = postings.iter().map(|(_, p)| p.len() * 8 + 16).sum();
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
        files.par_extend(
            by_shard
                .par_iter()
                .enumerate()
                .map(|(k, shard)| script(&format!("t{k}"), &shard)),
        );

        let mut vocab: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (term, _) in &postings {
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
            "docs": self.lens.len(),
            "termShards": shards,
            "docShard": DOC_SHARD,
            "aliases": aliases.map(),
            "vocab": vocab.keys().collect::<Vec<_>>(),
            "boost": BOOST.scaled(f64::from(scale)),
            "fuzzy": FUZZY,
            "rerank": RERANK,
        });
        files.push(script("manifest", &manifest));

        self.stats.files += files.len();
        self.stats.bytes += files.iter().map(|f| f.bytes.len()).sum::<usize>();
        self.stats.terms = postings.len();
        if !self.pending.is_empty() {
            files.push(self.flush_docs());
        }
        let finished = Finished {
            stats: self.stats,
            scale,
            norms,
        };
        (files, finished)
    }
}

/// The index files for `docs` at once (tests and small sites).
pub fn write_index(docs: &[SearchDoc], aliases: &Aliases) -> (Vec<OutputFile>, Finished) {
    let mut builder = Builder::default();
    let mut files: Vec<OutputFile> = docs.iter().filter_map(|d| builder.add(d)).collect();
    let (rest, finished) = builder.finish(aliases);
    files.extend(rest);
    (files, finished)
}

/// A term and its (document, weight) list, in document order.
type Posting<W> = (Box<str>, Vec<(u32, W)>);

/// Term → (document, quantised weight) in document order, sorted by term,
/// and the factor from weights to their quantised form.
fn weigh(
    postings: HashMap<Box<str>, Vec<(u32, FieldCounts)>>,
    lens: &[[u32; 2]],
    norms: &Norms,
) -> (Vec<Posting<u8>>, f32) {
    let n = lens.len();
    let mut weighted: Vec<Posting<f32>> = postings
        .into_par_iter()
        .map(|(t, list)| {
            let rarity = idf(list.len(), n);
            let list = list
                .into_iter()
                .map(|(d, c)| (d, field_weight(c, lens[d as usize], norms) * rarity))
                .collect();
            (t, list)
        })
        .collect();
    weighted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let max = weighted
        .par_iter()
        .map(|(_, l)| l.iter().map(|(_, w)| *w).fold(f32::MIN_POSITIVE, f32::max))
        .reduce(|| f32::MIN_POSITIVE, f32::max);
    let scale = 255.0 / max;
    let lists = weighted
        .into_par_iter()
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
            (t, q)
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
