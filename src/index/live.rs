//! The browser index kept in memory by `kbgen serve`, so that an edit
//! rewrites only the files it touches: the term shards of the terms the
//! changed articles had or have, their document shards, the vocabulary
//! files of words that appeared or vanished, and the manifest.
//!
//! **Frozen until the next full build:** the average field lengths (BM25's
//! length normalisation), the quantising scale and the number of term
//! shards. They are global: one edited article shifts each of them a
//! little and would change the weights in every shard. The idf of every
//! term of the changed articles is recomputed exactly, so a new word is
//! found and a removed one is not; a `kbgen build` (or a full rebuild of
//! `kbgen serve`) makes everything exact again. The terminal index does not
//! freeze anything: see [`crate::index::terminal::update`].
//!
//! The file formats are those a build writes; [`LiveIndex::files`]
//! regenerates a whole index from this state, and a test checks it equals
//! the one a build wrote.

use super::blocks::{self, Packer};
use super::browser::{
    encode_postings, fnv1a32, manifest, record, versions_file, vocab_entry, DIR, DOC_SHARD,
    MAX_POSTINGS, TERM_SHARD_BYTES,
};
use super::script::script;
use crate::output::OutputFile;
use crate::search::docs::{Record, SearchDoc};
use crate::search::rank::{field_weight, idf, quantising_scale, Norms};
use crate::signature::events::Aliases;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

/// The browser index as weights before rarity, by term.
pub(crate) struct LiveIndex {
    norms: Norms,
    scale: f32,
    shards: usize,
    docs: usize,
    /// Term → its documents in order, each with the term's count in the
    /// fields sig, title, msg and body (0: not there).
    terms: FxHashMap<String, Vec<(u32, [u16; 4])>>,
    /// Lengths of msg and body of each document.
    lens: Vec<[u32; 2]>,
    /// The terms of each term shard.
    by_shard: Vec<BTreeSet<String>>,
    /// Vocabulary file (hex of the first two letters) → its words.
    vocab: BTreeMap<String, BTreeSet<String>>,
    /// The first document of each document's blocks group, as the build
    /// made them ([`blocks`]); frozen until the next full build, so an
    /// edit rewrites its group's file and no other.
    groups: Vec<u32>,
}

/// A [`LiveIndex`] being made from the documents of a build, taken one at
/// a time in document order, so that no build holds all of them.
#[derive(Default)]
pub(crate) struct LiveIndexBuilder {
    terms: FxHashMap<String, Vec<(u32, [u16; 4])>>,
    lens: Vec<[u32; 2]>,
    packer: Packer,
    groups: Vec<u32>,
}

impl LiveIndexBuilder {
    /// Adds the next document.
    pub(crate) fn add(&mut self, doc: &SearchDoc) {
        let n = self.lens.len() as u32;
        self.lens.push(doc.lens);
        let (group, _) = self
            .packer
            .place(n, blocks::weight(&blocks::short_flow(&doc.flow)));
        self.groups.push(group);
        for (t, c) in &doc.terms {
            match self.terms.get_mut(t.as_str()) {
                Some(l) => l.push((n, *c)),
                None => {
                    self.terms.insert(t.to_string(), vec![(n, *c)]);
                }
            }
        }
    }

    /// The index, with the quantising `scale` the build used.
    pub(crate) fn finish(self, scale: f32) -> LiveIndex {
        let LiveIndexBuilder {
            terms,
            lens,
            groups,
            ..
        } = self;
        let estimate: usize = terms
            .values()
            .map(|p| p.len().min(MAX_POSTINGS) * 8 + 16)
            .sum();
        let shards = estimate.div_ceil(TERM_SHARD_BYTES).clamp(1, 1 << 16);
        let mut index = LiveIndex {
            norms: Norms::of(&lens),
            scale,
            shards,
            docs: lens.len(),
            terms: FxHashMap::default(),
            lens,
            by_shard: vec![BTreeSet::new(); shards],
            vocab: BTreeMap::new(),
            groups,
        };
        for t in terms.keys() {
            index.add_term(t);
        }
        index.terms = terms;
        index
    }
}

/// What an edit changed in the index folder.
#[derive(Debug, Default)]
pub(crate) struct Patch {
    /// Files to write (some may hold the bytes they already had).
    pub write: Vec<OutputFile>,
    /// Files that no longer exist.
    pub remove: Vec<String>,
}

impl LiveIndex {
    /// Lengths of msg and body of each document.
    pub(crate) fn lens(&self) -> &[[u32; 2]] {
        &self.lens
    }

    /// Every file of the index, as a build writes them;
    /// `records` are the documents' records, in order. (A test compares
    /// them with a build's.)
    #[cfg(test)]
    pub(crate) fn files(&self, records: &[Record], aliases: &Aliases) -> Vec<OutputFile> {
        let mut files: Vec<OutputFile> = (0..self.shards).map(|k| self.term_shard(k)).collect();
        files.extend(
            (0..records.len().div_ceil(DOC_SHARD)).map(|k| doc_shard(records, &self.groups, k)),
        );
        files.extend(self.vocab.keys().map(|hex| self.vocab_file(hex)));
        files.push(super::scan_sigs::ScanSigs::of(records).file());
        files.extend(self.manifest(records, aliases));
        files
    }

    /// Replaces the documents `changed` (number, previous version, new
    /// version); `records` are every document's records, the changed ones
    /// already new; `flow_of` gives the blocks of an unchanged document
    /// that shares a blocks file with a changed one. The files to write
    /// and to remove.
    pub(crate) fn replace(
        &mut self,
        records: &[Record],
        changed: &[(usize, &SearchDoc, &SearchDoc)],
        flow_of: &(dyn Fn(usize) -> Vec<String> + Sync),
        aliases: &Aliases,
    ) -> Patch {
        let mut touched: BTreeSet<String> = BTreeSet::new();
        let mut vocab_touched: BTreeSet<String> = BTreeSet::new();
        for &(i, old, _) in changed {
            for (t, _) in &old.terms {
                let t = t.as_str();
                // The previous version is recomputed from the same article,
                // so its terms are indexed; were one not, there is nothing
                // of it to remove.
                let Some(list) = self.terms.get_mut(t) else {
                    continue;
                };
                if let Ok(at) = list.binary_search_by_key(&(i as u32), |&(d, _)| d) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.terms.remove(t);
                    vocab_touched.extend(self.remove_term(t));
                }
                touched.insert(t.to_string());
            }
        }
        for &(i, _, new) in changed {
            self.lens[i] = new.lens;
            for (t, w) in &new.terms {
                let (t, w) = (t.as_str(), *w);
                if !self.terms.contains_key(t) {
                    vocab_touched.extend(self.add_term(t));
                    self.terms.insert(t.to_string(), Vec::new());
                }
                let list = self.terms.get_mut(t).expect("just added");
                match list.binary_search_by_key(&(i as u32), |&(d, _)| d) {
                    Ok(at) => list[at].1 = w,
                    Err(at) => list.insert(at, (i as u32, w)),
                }
                touched.insert(t.to_string());
            }
        }
        let shards: BTreeSet<usize> = touched.iter().map(|t| self.shard_of(t)).collect();
        let mut patch = Patch::default();
        patch
            .write
            .extend(shards.into_iter().map(|k| self.term_shard(k)));
        let groups: BTreeSet<u32> = changed.iter().map(|&(i, ..)| self.groups[i]).collect();
        patch.write.extend(
            groups
                .into_iter()
                .map(|first| self.blocks_file(first, changed, flow_of)),
        );
        let doc_shards: BTreeSet<usize> = changed.iter().map(|&(i, ..)| i / DOC_SHARD).collect();
        patch.write.extend(
            doc_shards
                .into_iter()
                .map(|k| doc_shard(records, &self.groups, k)),
        );
        for hex in vocab_touched {
            if self.vocab.contains_key(&hex) {
                patch.write.push(self.vocab_file(&hex));
            } else {
                patch.remove.push(format!("{DIR}/v{hex}.js"));
            }
        }
        // Any article may have gained or lost a signature, and the scan's
        // article numbers follow them: the file is made again whole.
        patch
            .write
            .push(super::scan_sigs::ScanSigs::of(records).file());
        patch.write.extend(self.manifest(records, aliases));
        patch
    }

    /// The blocks file of the group starting at document `first`: the
    /// changed documents' new blocks, the others' from `flow_of`.
    fn blocks_file(
        &self,
        first: u32,
        changed: &[(usize, &SearchDoc, &SearchDoc)],
        flow_of: &(dyn Fn(usize) -> Vec<String> + Sync),
    ) -> OutputFile {
        let end = self.groups.partition_point(|&g| g <= first);
        let members: Vec<Vec<String>> = (first as usize..end)
            .into_par_iter()
            .map(|n| match changed.iter().find(|&&(i, ..)| i == n) {
                Some(&(_, _, new)) => blocks::short_flow(&new.flow),
                None => blocks::short_flow(&flow_of(n)),
            })
            .collect();
        blocks::file(first, &members)
    }

    fn shard_of(&self, term: &str) -> usize {
        fnv1a32(term) as usize % self.shards
    }

    /// Files `term` in its shard and vocabulary; the vocabulary file it changed.
    fn add_term(&mut self, term: &str) -> Option<String> {
        let k = self.shard_of(term);
        self.by_shard[k].insert(term.to_string());
        let (hex, word) = vocab_entry(term)?;
        self.vocab
            .entry(hex.clone())
            .or_default()
            .insert(word.to_string());
        Some(hex)
    }

    fn remove_term(&mut self, term: &str) -> Option<String> {
        let k = self.shard_of(term);
        self.by_shard[k].remove(term);
        let (hex, word) = vocab_entry(term)?;
        if let Some(words) = self.vocab.get_mut(&hex) {
            words.remove(word);
            if words.is_empty() {
                self.vocab.remove(&hex);
            }
        }
        Some(hex)
    }

    /// The weight of a term in document `doc` from its counts, with `norms`.
    fn weight(&self, doc: u32, c: [u16; 4], norms: &Norms) -> f32 {
        field_weight(c, self.lens[doc as usize], norms)
    }

    /// The quantising scale a full build would use now: 255 over the
    /// largest weight of any term in any document, with the exact `norms`
    /// (the terminal index is kept exact; the browser's keeps its own).
    pub(crate) fn exact_scale(&self, norms: &Norms) -> f32 {
        let max = self
            .terms
            .par_iter()
            .map(|(_, list)| {
                let rarity = idf(list.len(), self.docs);
                list.iter()
                    .map(|&(d, c)| self.weight(d, c, norms) * rarity)
                    .fold(f32::MIN_POSITIVE, f32::max)
            })
            .reduce_with(f32::max);
        quantising_scale(max)
    }

    /// A term's postings as the browser reads them.
    fn quantised(&self, list: &[(u32, [u16; 4])]) -> Vec<u32> {
        let rarity = idf(list.len(), self.docs);
        let weighted = list
            .iter()
            .map(|&(d, c)| (d, self.weight(d, c, &self.norms) * rarity))
            .collect();
        encode_postings(weighted, self.scale)
    }

    fn term_shard(&self, k: usize) -> OutputFile {
        let shard: BTreeMap<&str, Vec<u32>> = self.by_shard[k]
            .iter()
            .map(|term| (term.as_str(), self.quantised(&self.terms[term])))
            .collect();
        script(&format!("t{k}"), &shard)
    }

    fn vocab_file(&self, hex: &str) -> OutputFile {
        let words: Vec<&str> = self.vocab[hex].iter().map(String::as_str).collect();
        script(&format!("v{hex}"), &words)
    }

    /// The manifest and the product versions beside it.
    fn manifest(&self, records: &[Record], aliases: &Aliases) -> [OutputFile; 2] {
        let known = crate::search::versions::known(records);
        [
            manifest(
                self.docs,
                self.shards,
                self.vocab.keys(),
                aliases,
                self.scale,
                &known,
            ),
            versions_file(&known),
        ]
    }
}

fn doc_shard(all: &[Record], groups: &[u32], k: usize) -> OutputFile {
    let end = ((k + 1) * DOC_SHARD).min(all.len());
    let records: Vec<serde_json::Value> = (k * DOC_SHARD..end)
        .map(|n| record(&all[n], n as u32, groups[n]))
        .collect();
    script(&format!("d{k}"), &records)
}
