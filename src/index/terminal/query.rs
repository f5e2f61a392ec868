//! Reading the terminal index: the query of `kbgen search`, scored like
//! the browser (docs/search.md, "Ranking").

mod phrase;
mod ranked;
mod response;

pub use response::{Hit, Response};

use super::{fields_of, register, Fields, Meta, FORMAT, META_FILE};
use crate::analysis::{Analysis, TermKind};
use crate::index::browser::MAX_POSTINGS;
use crate::search::docs::Record;
use crate::search::rank::{
    explain, heading_words, idf, passage_bonus, quantise, typo_of, weight_from_counts, Boost,
    Norms, BOOST, FUZZY, PASSAGE_MIN_TERMS, PASSAGE_RERANK, RERANK,
};
use crate::search::versions::{self, Known, QueryVersions};
use crate::signature::events::Aliases;
use anyhow::{Context, Result};
use ranked::{has_words, Ranked, Scored};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use tantivy::columnar::Column;
use tantivy::postings::Postings;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Index, Searcher, TantivyDocument, Term, TERMINATED};

/// The index, opened once for any number of queries.
pub struct Engine {
    searcher: Searcher,
    fields: Fields,
    scale: f32,
    boost: Boost,
    norms: Norms,
    docs: usize,
    /// The site's product versions, that a query's are recognised against.
    known: Known,
    /// Per segment, the columns of [`NumberField`]: read for every
    /// document a query term touches, so opened once.
    columns: Vec<[Column<u64>; 3]>,
}

/// The numbers kept beside each document, in the order of `Engine::columns`.
#[derive(Clone, Copy)]
enum NumberField {
    /// Its place in article order (ties go to the earlier article).
    Number,
    /// Length of its message field.
    MsgLen,
    /// Length of its body field.
    BodyLen,
}

impl Engine {
    /// Opens the index in `dir` (see [`super::index_dir`]).
    pub fn open(dir: &Path) -> Result<Engine> {
        let index = Index::open_in_dir(dir)
            .with_context(|| format!("opening the search index {}", dir.display()))?;
        register(&index);
        let fields = fields_of(&index.schema())?;
        let meta_path = dir.join(META_FILE);
        let meta: Meta = serde_json::from_str(
            &std::fs::read_to_string(&meta_path)
                .with_context(|| format!("reading {}", meta_path.display()))?,
        )
        .with_context(|| {
            format!(
                "{} is damaged; rebuild with `kbgen build`",
                meta_path.display()
            )
        })?;
        if meta.format != FORMAT {
            anyhow::bail!(
                "the search index {} was made by another version of kbgen; rebuild it with `kbgen build`",
                dir.display()
            );
        }
        let searcher = index
            .reader()
            .context("reading the search index")?
            .searcher();
        let docs = searcher.num_docs() as usize;
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            columns.push([
                fast.u64("number")?,
                fast.u64("msg_len")?,
                fast.u64("body_len")?,
            ]);
        }
        Ok(Engine {
            columns,
            searcher,
            fields,
            scale: meta.scale,
            boost: BOOST.scaled(f64::from(meta.scale)),
            norms: meta.norms,
            known: meta.known,
            docs,
        })
    }

    /// The site's product versions, that a query's are recognised against.
    pub fn known(&self) -> &Known {
        &self.known
    }

    /// Runs `query`; at most `limit` results, best first.
    pub fn search(&self, query: &str, aliases: &Aliases, limit: usize) -> Result<Response> {
        let bounded = crate::analysis::bounds::analyze_query(query, aliases);
        let (query, mut analysis) = (bounded.text, bounded.analysis);
        let mentions = versions::mentions(query, &self.known);
        versions::drop_version_events(&mut analysis, &mentions);
        let named = QueryVersions {
            mentions: &mentions,
            known: &self.known,
        };
        let filter = phrase::phrase_filter(query, aliases);
        let phrase_terms = filter.as_ref().map(|f| &f.terms);
        let scores = self.base_scores(&analysis, phrase_terms)?;
        // Ties go to the earlier article, as in the browser.
        let mut hits = Vec::with_capacity(scores.len());
        for (&addr, s) in &scores {
            hits.push((s.score, self.fast_u64(addr, NumberField::Number), addr));
        }
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(filter) = &filter {
            let scored_on = |a: &DocAddress| scores.get(a).map_or(0, |s| s.phrase_terms);
            hits = self.keep_phrases(hits, filter, scored_on)?;
        }
        hits.truncate(RERANK);
        let mut results = Vec::with_capacity(hits.len());
        for (base, number, addr) in hits {
            let record = self.record(addr)?;
            let words = self.doc_words(addr, &analysis)?;
            let has_word = |t: &str| words.contains(t);
            let (score, matched) = explain(&analysis, &named, &record, has_word, &self.boost, base);
            let heading = heading_words(&analysis, &record, aliases);
            results.push(Ranked {
                record,
                score,
                matched,
                words: scores[&addr].words,
                heading,
                number,
                addr,
            });
        }
        results.sort_by(Ranked::order);
        if analysis.seq.len() >= PASSAGE_MIN_TERMS {
            for r in results.iter_mut().take(PASSAGE_RERANK) {
                let flow = self.flow(r.addr)?;
                if let Some((bonus, m)) = passage_bonus(&analysis, &r.record, &flow, &self.boost) {
                    r.score += bonus;
                    r.matched
                        .insert(r.matched.len() - usize::from(has_words(&r.matched)), m);
                }
            }
            results.sort_by(Ranked::order);
        }
        Ok(Response {
            results: results
                .into_iter()
                .take(limit)
                .map(|r| Hit {
                    source: r.record.source,
                    url: r.record.url,
                    title: r.record.title,
                    score: (r.score * 1000.0).round() / 1000.0,
                    matched: r.matched,
                    products: r.record.products,
                    versions: r.record.versions,
                })
                .collect(),
            ignored: analysis.noise,
            cut: bounded.cut,
        })
    }

    /// The blocks of document `addr`, a line each.
    pub(super) fn flow(&self, addr: DocAddress) -> Result<String> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        Ok(doc
            .get_first(self.fields.flow)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string())
    }

    /// Each document's score from its terms' weights (typos at [`FUZZY`]),
    /// with how many of `phrase_terms` and of the query's words it scored
    /// on (as they are, not as typos).
    fn base_scores(
        &self,
        analysis: &Analysis,
        phrase_terms: Option<&BTreeSet<String>>,
    ) -> Result<HashMap<DocAddress, Scored>> {
        let mut scores: HashMap<DocAddress, Scored> = HashMap::new();
        for term in &analysis.terms {
            let mut weighted = vec![(self.weights(term)?, 1.0)];
            if weighted[0].0.is_empty() {
                weighted.clear();
                for w in self.near_words(term)? {
                    weighted.push((self.weights(&w)?, FUZZY));
                }
            }
            let in_phrase = phrase_terms.is_some_and(|p| p.contains(term));
            let word = TermKind::Word.is(term);
            for (weights, factor) in weighted {
                for (addr, q) in weights {
                    let s = scores.entry(addr).or_default();
                    s.score += f64::from(q) * factor;
                    if factor == 1.0 {
                        s.phrase_terms += usize::from(in_phrase);
                        s.words += usize::from(word);
                    }
                }
            }
        }
        Ok(scores)
    }

    /// The quantised weight of `term` in every document that has it — the
    /// same numbers as the browser index's postings. Documents that
    /// `kbgen serve` replaced stay in their segment, marked deleted, until a
    /// merge; they are neither counted nor weighed.
    fn weights(&self, term: &str) -> Result<Vec<(DocAddress, u32)>> {
        let mut counts: Vec<(DocAddress, [Option<u32>; 4])> = Vec::new();
        self.each_posting(term, |addr, positions| {
            counts.push((addr, super::counts::counts(positions)));
        })?;
        if counts.is_empty() {
            return Ok(Vec::new());
        }
        // Every document with the term has it in one of these fields.
        let rarity = idf(counts.len(), self.docs);
        let mut raw = Vec::with_capacity(counts.len());
        for (addr, tf) in counts {
            let lens = [
                self.fast_u64(addr, NumberField::MsgLen) as u32,
                self.fast_u64(addr, NumberField::BodyLen) as u32,
            ];
            let w = weight_from_counts(tf, lens, &self.norms) * rarity;
            raw.push((w, self.fast_u64(addr, NumberField::Number), addr));
        }
        // The browser index keeps only a term's best-weighted documents;
        // keep the same ones (ties to the earlier article, as there).
        if raw.len() > MAX_POSTINGS {
            raw.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            raw.truncate(MAX_POSTINGS);
        }
        Ok(raw
            .into_iter()
            .map(|(w, _, addr)| (addr, quantise(w, self.scale)))
            .collect())
    }

    /// Typo tolerance: for a word of 5+ letters that no article has, the
    /// words of 4+ letters with the same first two letters one edit away.
    fn near_words(&self, term: &str) -> Result<Vec<String>> {
        let Some(word) = TermKind::Word.body(term) else {
            return Ok(Vec::new());
        };
        if word.chars().count() < 5 || !word.chars().all(char::is_alphabetic) {
            return Ok(Vec::new());
        }
        let head: Vec<char> = word.chars().take(2).collect();
        let mut out = BTreeSet::new();
        for pair in [[head[0], head[1]], [head[1], head[0]]] {
            let prefix = TermKind::Word.term(&format!("{}{}", pair[0], pair[1]));
            let mut end = prefix.clone().into_bytes();
            *end.last_mut().expect("non-empty prefix") += 1;
            // `w:` terms are counted in the text fields only.
            for segment in self.searcher.segment_readers() {
                let inverted = segment.inverted_index(self.fields.terms)?;
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(&prefix)
                    .lt(&end)
                    .into_stream()?;
                while stream.advance() {
                    let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    let cand = &candidate[TermKind::Word.prefix().len()..];
                    if cand.chars().count() >= 4
                        && cand.chars().all(char::is_alphabetic)
                        && typo_of(word, cand)
                    {
                        out.insert(candidate.to_string());
                    }
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Calls `each(document, positions)` for every live document that
    /// holds `term`, the positions carrying its counts ([`super::counts`]).
    fn each_posting(&self, term: &str, mut each: impl FnMut(DocAddress, &[u32])) -> Result<()> {
        let t = Term::from_field_text(self.fields.terms, term);
        let mut positions = Vec::new();
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Some(mut postings) = segment
                .inverted_index(self.fields.terms)?
                .read_postings(&t, IndexRecordOption::WithFreqsAndPositions)?
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            while postings.doc() != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(postings.doc())) {
                    postings.positions(&mut positions);
                    each(DocAddress::new(ord as u32, postings.doc()), &positions);
                }
                postings.advance();
            }
        }
        Ok(())
    }

    /// A number kept beside a document (see [`NumberField`]), from the
    /// columns opened once with the engine.
    fn fast_u64(&self, addr: DocAddress, field: NumberField) -> u64 {
        self.columns[addr.segment_ord as usize][field as usize]
            .first(addr.doc_id)
            .unwrap_or(u64::MAX)
    }

    fn record(&self, addr: DocAddress) -> Result<Record> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let json = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .context("search index record missing; rebuild it with `kbgen build`")?;
        Ok(serde_json::from_str(json)?)
    }

    /// The query's `w:` terms that the document's text fields hold.
    fn doc_words(&self, addr: DocAddress, analysis: &Analysis) -> Result<BTreeSet<String>> {
        let segment = self.searcher.segment_reader(addr.segment_ord);
        let mut found = BTreeSet::new();
        for t in analysis.terms.iter().filter(|t| TermKind::Word.is(t)) {
            // `w:` terms are counted in the text fields only, so any
            // posting of one is in the text.
            let inverted = segment.inverted_index(self.fields.terms)?;
            let term = Term::from_field_text(self.fields.terms, t);
            if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                // `seek` only moves forward: the list may start past the document.
                let at = postings.doc();
                if at == addr.doc_id
                    || (at < addr.doc_id && postings.seek(addr.doc_id) == addr.doc_id)
                {
                    found.insert(t.clone());
                }
            }
        }
        Ok(found)
    }
}

/// Opens the index in `dir` and runs one query.
pub fn search(dir: &Path, query: &str, aliases: &Aliases, limit: usize) -> Result<Response> {
    Engine::open(dir)?.search(query, aliases, limit)
}
