//! The browser index: classic scripts under `search/idx/`, each one call
//! `kbgenIndex(name, data)`, because `fetch` of local files is blocked
//! under `file://`. Terms are hashed into many small shards and documents
//! are cut into small groups, so one query downloads a few of them however
//! large the knowledge base grows (format: `docs/search.md`).

use super::blocks::Groups;
use super::postings::RawList;
use super::script::script;
use crate::analysis::Interned;
use crate::analysis::TermKind;
use crate::output::OutputFile;
use crate::search::docs::{Record, SearchDoc};
use crate::search::rank::{
    field_weight, idf, quantise, quantising_scale, Norms, BOOST, FUZZY, FUZZY_ENDINGS,
    PASSAGE_MIN_TERMS, PASSAGE_RERANK, PASSAGE_UNORDERED, PHRASE_CHECK_MAX, PHRASE_QUERY_MAX,
    RERANK, TEMPLATE_FULL_WORDS, TEMPLATE_MIN, TEMPLATE_MIN_WORDS,
};
use crate::search::versions::{add_known, heads, Known, BUILDS};
use crate::signature::events::Aliases;
use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Folder of the index, from the site root.
pub(crate) const DIR: &str = "search/idx";
/// Documents per document shard. The candidates a query re-ranks (30)
/// are scattered, so each neighbour in a shard is wasted bytes: two per
/// shard add at most 30 records (about 16 KB on ms-support-full) to a
/// query, and write half as many files, which on disk cost more than
/// their bytes.
pub(crate) const DOC_SHARD: usize = 2;
/// Aimed-at bytes of one term shard.
pub(super) const TERM_SHARD_BYTES: usize = 4 * 1024;
/// Longest posting list kept, highest weights first (the terminal engine
/// keeps the same ones, so both rank alike at any size).
pub(crate) const MAX_POSTINGS: usize = 2000;
/// Shortest word offered for typo tolerance.
const VOCAB_MIN_CHARS: usize = 4;

/// FNV-1a, 32-bit, over UTF-8 bytes: the shard of a term, in Rust and JS alike.
pub(crate) fn fnv1a32(s: &str) -> u32 {
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
/// in (their weights need the whole collection's statistics). Until then
/// postings keep raw counts, packed ([`RawList`]).
#[derive(Default)]
pub(crate) struct Builder {
    postings: FxHashMap<Interned, RawList>,
    lens: Vec<[u32; 2]>,
    pending: Vec<Value>,
    shards: usize,
    doc_bytes: usize,
    /// The blocks files ([`super::blocks`]).
    blocks: Groups,
    /// The log scan's signatures (`scan.js`).
    scan: super::scan_sigs::ScanSigs,
    /// The product versions of the documents so far.
    known: Known,
}

/// What [`Builder::finish`] leaves.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The index's size.
    pub stats: IndexStats,
    /// Factor from weights to their quantised form (the terminal engine
    /// needs it to score alike).
    pub scale: f32,
    /// Average field lengths.
    pub norms: Norms,
    /// The product versions queries are recognised against.
    pub known: Known,
}

/// Where finished index files go.
pub(crate) type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<()> + Sync);

/// What else takes the postings once every document is in (the terminal
/// index): each term, sorted by its bytes, with its documents in order.
pub(crate) type PostingsSink<'a> = &'a (dyn Fn(&[(Interned, RawList)]) -> Result<()> + Sync);

impl Builder {
    /// Documents added so far: the number the next one gets.
    pub(crate) fn len(&self) -> u32 {
        self.lens.len() as u32
    }

    /// Adds the next document (they come in article order); returns the
    /// blocks file and the document shard it completes, if any.
    pub(crate) fn add(&mut self, doc: &SearchDoc) -> Vec<OutputFile> {
        let n = self.lens.len() as u32;
        self.lens.push(doc.lens);
        for (term, counts) in &doc.terms {
            self.postings.entry(*term).or_default().push(n, *counts);
        }
        let (group, blocks) = self.blocks.add(n, &doc.flow);
        self.pending.push(record(&doc.record, n, group));
        self.scan.add(&doc.record);
        add_known(&mut self.known, &doc.record);
        let mut files: Vec<OutputFile> = blocks.into_iter().collect();
        if self.pending.len() == DOC_SHARD {
            files.push(self.flush_docs());
        }
        files
    }

    fn flush_docs(&mut self) -> OutputFile {
        let file = script(&format!("d{}", self.shards), &self.pending);
        self.pending.clear();
        self.shards += 1;
        self.doc_bytes += file.bytes.len();
        file
    }

    /// Writes the rest of the index to `sink`: the last document shard, the
    /// term shards, the vocabulary and the manifest. Term shards are made
    /// and written in parallel, a shard at a time, so their weights are
    /// never all in memory.
    pub(crate) fn finish(
        mut self,
        aliases: &Aliases,
        sink: Sink<'_>,
        also: PostingsSink<'_>,
    ) -> Result<Finished> {
        if !self.pending.is_empty() {
            sink(self.flush_docs())?;
        }
        if let Some(blocks) = self.blocks.finish() {
            sink(blocks)?;
        }
        let files = AtomicUsize::new(self.shards + self.blocks.files);
        let bytes = AtomicUsize::new(self.doc_bytes + self.blocks.bytes);
        let sink = |f: OutputFile| {
            files.fetch_add(1, Ordering::Relaxed);
            bytes.fetch_add(f.bytes.len(), Ordering::Relaxed);
            sink(f)
        };
        let norms = Norms::of(&self.lens);
        let mut postings: Vec<(Interned, RawList)> =
            std::mem::take(&mut self.postings).into_iter().collect();
        postings.par_sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let weigh = Weigh {
            lens: &self.lens,
            norms,
        };
        // The other taker (the terminal index, on one thread) reads the
        // postings while the term shards and the vocabulary are made on
        // the rest: neither needs the other.
        let (taken, written) =
            rayon::join(|| also(&postings), || term_files(&postings, &weigh, &sink));
        taken?;
        let TermFiles {
            scale,
            shards,
            vocab_files,
        } = written?;
        let terms = postings.len();
        // The log scan's signatures after the postings are gone: at 100,000
        // articles its JSON is 80 MB, which would otherwise add to the
        // build's peak.
        drop(postings);
        sink(std::mem::take(&mut self.scan).file())?;

        sink(versions_file(&self.known))?;
        sink(manifest(
            self.lens.len(),
            shards,
            vocab_files.iter(),
            aliases,
            scale,
            &self.known,
        ))?;
        Ok(Finished {
            stats: IndexStats {
                files: files.into_inner(),
                bytes: bytes.into_inner(),
                terms,
            },
            scale,
            norms,
            known: self.known,
        })
    }
}

/// What [`term_files`] wrote: the quantising scale, the number of term
/// shards and the vocabulary files' names.
struct TermFiles {
    scale: f32,
    shards: usize,
    vocab_files: Vec<String>,
}

/// Writes the term shards (weighed, a shard at a time, in parallel) and
/// the vocabulary of `postings` to `sink`.
fn term_files(
    postings: &[(Interned, RawList)],
    weigh: &Weigh<'_>,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
) -> Result<TermFiles> {
    let max = postings
        .par_iter()
        .map(|(_, list)| {
            weigh
                .weights(list)
                .map(|(_, w)| w)
                .fold(f32::MIN_POSITIVE, f32::max)
        })
        .reduce_with(f32::max);
    let scale = quantising_scale(max);

    let estimate: usize = postings
        .iter()
        .map(|(_, p)| p.len().min(MAX_POSTINGS) * 8 + 16)
        .sum();
    let shards = estimate.div_ceil(TERM_SHARD_BYTES).clamp(1, 1 << 16);
    let mut by_shard: Vec<Vec<usize>> = vec![Vec::new(); shards];
    for (k, (term, _)) in postings.iter().enumerate() {
        by_shard[fnv1a32(term) as usize % shards].push(k);
    }
    by_shard.par_iter().enumerate().try_for_each(|(s, terms)| {
        let shard: BTreeMap<&str, Vec<u32>> = terms
            .iter()
            .map(|&k| {
                let (term, list) = &postings[k];
                (&**term, weigh.quantised(list, scale))
            })
            .collect();
        sink(script(&format!("t{s}"), &shard))
    })?;

    let mut vocab: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (term, _) in postings {
        if let Some((hex, word)) = vocab_entry(term) {
            vocab.entry(hex).or_default().push(word);
        }
    }
    for (hex, words) in &vocab {
        sink(script(&format!("v{hex}"), words))?;
    }
    Ok(TermFiles {
        scale,
        shards,
        vocab_files: vocab.into_keys().collect(),
    })
}

/// Term weights from raw counts, once the collection's statistics are known.
struct Weigh<'a> {
    lens: &'a [[u32; 2]],
    norms: Norms,
}

impl Weigh<'_> {
    /// Each document of `list` with the term's weight in it.
    fn weights<'b>(&'b self, list: &'b RawList) -> impl Iterator<Item = (u32, f32)> + 'b {
        let rarity = idf(list.len(), self.lens.len());
        list.iter().map(move |(d, c)| {
            (
                d,
                field_weight(c, self.lens[d as usize], &self.norms) * rarity,
            )
        })
    }

    /// The list as the browser reads it ([`encode_postings`]).
    fn quantised(&self, list: &RawList, scale: f32) -> Vec<u32> {
        encode_postings(self.weights(list).collect(), scale)
    }
}

/// A term's (document, weight) list as the browser reads it: document gaps
/// and quantised weights, flat; only the best [`MAX_POSTINGS`] documents,
/// ties to the earlier one.
pub(super) fn encode_postings(mut weighted: Vec<(u32, f32)>, scale: f32) -> Vec<u32> {
    if weighted.len() > MAX_POSTINGS {
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1));
        weighted.truncate(MAX_POSTINGS);
        weighted.sort_by_key(|(d, _)| *d);
    }
    let mut flat = Vec::with_capacity(weighted.len() * 2);
    let mut last = 0;
    for (doc, w) in weighted {
        flat.push(doc - last);
        flat.push(quantise(w, scale));
        last = doc;
    }
    flat
}

/// The vocabulary file (hex of the first two letters) and word of a term
/// offered for typo tolerance, if it is one.
pub(super) fn vocab_entry(term: &str) -> Option<(String, &str)> {
    let word = TermKind::Word.body(term)?;
    if word.chars().count() < VOCAB_MIN_CHARS || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let head: String = word.chars().take(2).collect();
    Some((head.bytes().map(|b| format!("{b:02x}")).collect(), word))
}

/// The manifest: sizes, aliases, vocabulary files and ranking constants.
pub(super) fn manifest<'a>(
    docs: usize,
    term_shards: usize,
    vocab: impl Iterator<Item = &'a String>,
    aliases: &Aliases,
    scale: f32,
    known: &Known,
) -> OutputFile {
    let manifest = json!({
        "version": 1,
        "docs": docs,
        "termShards": term_shards,
        "docShard": DOC_SHARD,
        "aliases": aliases.map(),
        "vocab": vocab.collect::<Vec<_>>(),
        "boost": BOOST.scaled(f64::from(scale)),
        "fuzzy": FUZZY,
        "rerank": RERANK,
        // Every other ranking number the browser needs, from the one place
        // that defines it, so the page holds none of its own.
        "template": {
            "min": TEMPLATE_MIN,
            "minWords": TEMPLATE_MIN_WORDS,
            "fullWords": TEMPLATE_FULL_WORDS,
        },
        "phraseQueryMax": PHRASE_QUERY_MAX,
        "phraseCheckMax": PHRASE_CHECK_MAX,
        "passage": {
            "rerank": PASSAGE_RERANK,
            "minTerms": PASSAGE_MIN_TERMS,
            "unordered": PASSAGE_UNORDERED,
        },
        "fuzzyEndings": FUZZY_ENDINGS,
        // Whether a query may name a product version, so that the table
        // (versions.js) is loaded only then (docs/search.md, "Versions").
        "versionHeads": heads(known),
        "builds": BUILDS,
    });
    script("manifest", &manifest)
}

/// The product versions a query's are recognised against, by product key:
/// `[name, [version keys]]`. Apart from the manifest, which every query
/// loads: only a query that may name a version needs it.
pub(super) fn versions_file(known: &Known) -> OutputFile {
    script("versions", known)
}

/// The record a result is shown from, of document `n` whose blocks are in
/// the group that `group` starts ([`super::blocks`]).
pub(super) fn record(d: &Record, n: u32, group: u32) -> Value {
    let mut r = json!({
        "u": d.url,
        "t": d.title,
        "s": d.source,
        "p": d.products,
        "x": d.summary,
        "e": d.events.iter().map(|e| json!([e.key, e.source_name, e.id, e.about])).collect::<Vec<_>>(),
        "c": d.codes.iter().map(|c| json!([c.key, c.name, c.message, c.names])).collect::<Vec<_>>(),
        "m": d.templates.iter().map(|t| json!([t.text, t.seq.join(" "), t.owner])).collect::<Vec<_>>(),
        "f": d.fresh,
        "v": d.versions,
    });
    // Only where there is one: most articles declare no version, and a
    // query downloads about thirty records.
    if !d.applies.is_empty() {
        r["a"] = json!(d
            .applies
            .iter()
            .map(|a| [&a.product, &a.version])
            .collect::<Vec<_>>());
    }
    if group != n {
        r["b"] = json!(group);
    }
    r
}
