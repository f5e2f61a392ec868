//! The terminal side of search: a tantivy index kept beside the site (never
//! inside it, so browsers never download it) and the query that
//! `kbgen search` runs on it.
//!
//! The fields hold terms already analysed by [`super::analyze`], split on
//! whitespace only, so tantivy sees exactly the terms the browser index has.
//! Scoring is not tantivy's BM25 but the browser's (docs/search.md,
//! "Ranking"), computed from the per-field term frequencies tantivy keeps:
//! the terminal and the page then rank alike.

use super::analyze::{analyze, Analysis};
use super::browser::MAX_POSTINGS;
use super::docs::{Field as DocField, Record, SearchDoc};
use super::rank::{
    explain, idf, quantise, weight_from_counts, Boost, Matched, Norms, BOOST, FUZZY, RERANK,
};
use crate::fsx;
use crate::signature::events::Aliases;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use tantivy::columnar::Column;
use tantivy::postings::Postings;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
};
use tantivy::tokenizer::WhitespaceTokenizer;
use tantivy::{
    DocAddress, DocSet, Index, IndexWriter, Searcher, TantivyDocument, Term, TERMINATED,
};

mod phrase;
mod update;
pub use update::update;

const TOKENIZER: &str = "kbgen_terms";
/// Beside tantivy's files: what scoring needs to match the browser.
const META_FILE: &str = "kbgen-search.json";

/// The layout of the fields below: an index of another layout is refused
/// with a word to rebuild, not read wrongly.
const FORMAT: u32 = 3;

#[derive(Serialize, Deserialize)]
struct Meta {
    /// [`FORMAT`] of the index; absent (0) before layouts were numbered.
    #[serde(default)]
    format: u32,
    /// Factor from weights to quantised weights, as in the browser index.
    scale: f32,
    /// Average field lengths, as in the browser index.
    norms: Norms,
}

impl Meta {
    fn new(scale: f32, norms: Norms) -> Meta {
        Meta {
            format: FORMAT,
            scale,
            norms,
        }
    }
}

/// True when `dir` holds a complete index that this kbgen reads: one made
/// by a kbgen of another index layout is to be built again, like a missing one.
pub fn is_current(dir: &Path) -> bool {
    dir.join("meta.json").exists()
        && std::fs::read_to_string(dir.join(META_FILE))
            .ok()
            .and_then(|m| serde_json::from_str::<Meta>(&m).ok())
            .is_some_and(|m| m.format == FORMAT)
}

/// Where the index of the site in `output` lives: beside it, hidden.
pub fn index_dir(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    output
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.kbgen-search"))
}

struct Fields {
    number: Field,
    msg_len: Field,
    body_len: Field,
    record: Field,
    sig: Field,
    title: Field,
    msg: Field,
    body: Field,
    flow: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |option| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(option),
        )
    };
    let freqs = indexed(IndexRecordOption::WithFreqs);
    let fields = Fields {
        // Indexed too, so `kbgen serve` can replace one article's document by its number.
        number: b.add_u64_field("number", FAST | INDEXED),
        msg_len: b.add_u64_field("msg_len", FAST),
        body_len: b.add_u64_field("body_len", FAST),
        record: b.add_text_field("record", STORED),
        sig: b.add_text_field("sig", freqs.clone()),
        title: b.add_text_field("title", freqs.clone()),
        msg: b.add_text_field("msg", freqs.clone()),
        body: b.add_text_field("body", freqs),
        // Kept, not indexed: only a quoted phrase reads it, for the few
        // documents holding all of its terms. Indexing it with positions
        // cost a seventh of a whole build's CPU.
        flow: b.add_text_field("flow", STORED),
    };
    (b.build(), fields)
}

fn fields_of(schema: &Schema) -> Result<Fields> {
    let f = |name: &str| {
        schema.get_field(name).with_context(|| {
            format!("search index has no field {name:?}; rebuild it with `kbgen build`")
        })
    };
    Ok(Fields {
        number: f("number")?,
        msg_len: f("msg_len")?,
        body_len: f("body_len")?,
        record: f("record")?,
        sig: f("sig")?,
        title: f("title")?,
        msg: f("msg")?,
        body: f("body")?,
        flow: f("flow")?,
    })
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register(TOKENIZER, WhitespaceTokenizer::default());
}

/// The index being written into a staging folder beside `dir`
/// (`<dir>.staging-<pid>`), which replaces what was there only once it is
/// complete, and is removed if dropped unfinished. Documents may be added
/// from several threads.
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
    staging: Unfinished,
    dir: PathBuf,
}

/// A staging folder, removed when dropped before it was put in place.
#[derive(Debug)]
struct Unfinished(Option<PathBuf>);

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = fsx::remove_dir_all(path);
        }
    }
}

impl Writer {
    /// Starts a new index for `dir`. Leftovers of killed builds beside
    /// `dir` are removed first; the caller holds the output lock, so they
    /// are no other build's.
    pub fn begin(dir: &Path) -> Result<Writer> {
        let name = dir
            .file_name()
            .context("the search index folder has no name")?
            .to_string_lossy()
            .into_owned();
        let parent = dir.parent().unwrap_or(Path::new("."));
        remove_leftovers(parent, &name)?;
        let staging = parent.join(format!("{name}.staging-{}", std::process::id()));
        fsx::create_dir_all(&staging)?;
        let guard = Unfinished(Some(staging.clone()));
        let (schema, fields) = schema();
        let index = Index::create_in_dir(&staging, schema)
            .with_context(|| format!("cannot create the search index {}", staging.display()))?;
        register(&index);
        // One indexing thread: the pages render on the other core meanwhile.
        let writer: IndexWriter = index
            .writer_with_num_threads(1, 50_000_000)
            .with_context(|| format!("cannot write the search index {}", staging.display()))?;
        Ok(Writer {
            writer,
            fields,
            staging: guard,
            dir: dir.to_path_buf(),
        })
    }

    /// Adds document number `n`.
    pub fn add(&self, n: u32, d: &SearchDoc) -> Result<()> {
        self.writer
            .add_document(document(&self.fields, n as usize, d)?)?;
        Ok(())
    }

    /// Writes the index out completely in its staging folder, not yet in
    /// place; `scale` and `norms` are the browser index's, so both score
    /// alike. Most of the index reaches the disk here, so a full disk fails
    /// here, with a message naming the staging folder, which is removed.
    pub fn commit(self, scale: f32, norms: Norms) -> Result<Staged> {
        let Writer {
            mut writer,
            staging,
            dir,
            ..
        } = self;
        let Some(path) = staging.0.clone() else {
            anyhow::bail!("the search index was already finished");
        };
        let shown = path.display().to_string();
        // The writer is moved in, so it is closed before its folder can be
        // removed.
        let write_out = move || -> Result<()> {
            writer.commit()?;
            writer.wait_merging_threads()?;
            let meta = serde_json::to_string(&Meta::new(scale, norms))?;
            fsx::write(&path.join(META_FILE), meta.as_bytes())
        };
        write_out().with_context(|| format!("cannot write the search index {shown}"))?;
        Ok(Staged { staging, dir })
    }
}

/// A complete index in its staging folder beside `dir`, not yet in place.
/// [`Staged::swap_in`] puts it there; dropping it instead removes it, so a
/// build that fails later (the site did not fit on the disk) leaves the
/// previous index as it was and nothing beside it.
#[derive(Debug)]
pub struct Staged {
    staging: Unfinished,
    dir: PathBuf,
}

impl Staged {
    /// Replaces the index in place (if any) with this one by renames (old
    /// aside, new in, old removed): a reader finds the old index or the new
    /// one, never a part of one, and a failed rename puts the old one back.
    pub fn swap_in(mut self) -> Result<()> {
        let Some(staging) = self.staging.0.clone() else {
            anyhow::bail!("the search index was already put in place");
        };
        let old = self.dir.with_file_name(format!(
            "{}.old-{}",
            self.dir.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let had_old = self.dir.exists();
        if had_old {
            fsx::rename(&self.dir, &old)?;
        }
        if let Err(e) = fsx::rename(&staging, &self.dir) {
            if had_old {
                let _ = fsx::rename(&old, &self.dir);
            }
            return Err(e);
        }
        self.staging.0 = None;
        if had_old {
            fsx::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

/// Removes `<name>.staging-*` and `<name>.old-*` beside the index.
fn remove_leftovers(parent: &Path, name: &str) -> Result<()> {
    crate::fsx::remove_dirs_named(
        parent,
        &[format!("{name}.staging-"), format!("{name}.old-")],
    )
}

/// The tantivy document of article number `n`.
fn document(f: &Fields, n: usize, d: &SearchDoc) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.number, n as u64);
    doc.add_u64(f.msg_len, u64::from(d.lens[0]));
    doc.add_u64(f.body_len, u64::from(d.lens[1]));
    doc.add_text(f.record, serde_json::to_string(&d.record)?);
    for (field, name) in [
        (f.sig, DocField::Sig),
        (f.title, DocField::Title),
        (f.msg, DocField::Msg),
        (f.body, DocField::Body),
    ] {
        doc.add_text(field, repeat_terms(d, name));
    }
    // One value, blocks a line each: one string to read back per document.
    doc.add_text(f.flow, d.flow.join("\n"));
    Ok(doc)
}

/// Each term as many times as it was counted, so tantivy's term frequency is ours.
fn repeat_terms(d: &SearchDoc, field: DocField) -> String {
    let mut out = String::new();
    for (t, n) in d.field_terms(field) {
        for _ in 0..n {
            out.push_str(t);
            out.push(' ');
        }
    }
    out
}

/// One result, in the JSON shape tools rely on.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Article path relative to the content root.
    pub source: String,
    /// Page path from the site root.
    pub url: String,
    /// Title.
    pub title: String,
    /// Score: term weights plus signature bonuses, in the browser's units.
    pub score: f64,
    /// Why it matched.
    pub matched: Vec<Matched>,
}

/// A whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// Best first.
    pub results: Vec<Hit>,
    /// Parts of the query ignored as noise.
    pub ignored: Vec<String>,
}

/// The index, opened once for any number of queries.
pub struct Engine {
    searcher: Searcher,
    fields: Fields,
    scale: f32,
    boost: Boost,
    norms: Norms,
    docs: usize,
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
    /// Opens the index in `dir` (see [`index_dir`]).
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
            docs,
        })
    }

    /// Runs `query`; at most `limit` results, best first.
    pub fn search(&self, query: &str, aliases: &Aliases, limit: usize) -> Result<Response> {
        let analysis = analyze(query, aliases);
        let mut scores: HashMap<DocAddress, f64> = HashMap::new();
        for term in &analysis.terms {
            let mut weighted = vec![(self.weights(term)?, 1.0)];
            if weighted[0].0.is_empty() {
                weighted.clear();
                for w in self.near_words(term)? {
                    weighted.push((self.weights(&w)?, FUZZY));
                }
            }
            for (weights, factor) in weighted {
                for (addr, q) in weights {
                    *scores.entry(addr).or_default() += f64::from(q) * factor;
                }
            }
        }
        // Ties go to the earlier article, as in the browser.
        let mut hits = Vec::with_capacity(scores.len());
        for (addr, base) in scores {
            hits.push((base, self.fast_u64(addr, NumberField::Number), addr));
        }
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(filter) = self.phrase_filter(query, aliases)? {
            hits = self.keep_phrases(hits, &filter)?;
        }
        hits.truncate(RERANK);
        let mut results = Vec::with_capacity(hits.len());
        for (base, number, addr) in hits {
            let record = self.record(addr)?;
            let words = self.doc_words(addr, &analysis)?;
            let (score, matched) =
                explain(&analysis, &record, |t| words.contains(t), &self.boost, base);
            let hit = Hit {
                source: record.source,
                url: record.url,
                title: record.title,
                score,
                matched,
            };
            results.push((hit, number));
        }
        results.sort_by(|a, b| b.0.score.total_cmp(&a.0.score).then(a.1.cmp(&b.1)));
        Ok(Response {
            results: results
                .into_iter()
                .take(limit)
                .map(|(mut h, _)| {
                    h.score = (h.score * 1000.0).round() / 1000.0;
                    h
                })
                .collect(),
            ignored: analysis.noise,
        })
    }

    /// The quantised weight of `term` in every document that has it — the
    /// same numbers as the browser index's postings. Documents that
    /// `kbgen serve` replaced stay in their segment, marked deleted, until a
    /// merge; they are neither counted nor weighed.
    fn weights(&self, term: &str) -> Result<Vec<(DocAddress, u32)>> {
        let mut counts: HashMap<DocAddress, [Option<u32>; 4]> = HashMap::new();
        let f = &self.fields;
        for (k, field) in [f.sig, f.title, f.msg, f.body].into_iter().enumerate() {
            self.each_posting(field, term, IndexRecordOption::WithFreqs, |addr, tf| {
                counts.entry(addr).or_default()[k] = Some(tf);
            })?;
        }
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
        let Some(word) = term.strip_prefix("w:") else {
            return Ok(Vec::new());
        };
        if word.chars().count() < 5 || !word.chars().all(char::is_alphabetic) {
            return Ok(Vec::new());
        }
        let head: Vec<char> = word.chars().take(2).collect();
        let mut out = BTreeSet::new();
        for pair in [[head[0], head[1]], [head[1], head[0]]] {
            let prefix = format!("w:{}{}", pair[0], pair[1]);
            let mut end = prefix.clone().into_bytes();
            *end.last_mut().expect("non-empty prefix") += 1;
            // `w:` terms live in the text fields only.
            let f = &self.fields;
            for (segment, field) in self
                .searcher
                .segment_readers()
                .iter()
                .flat_map(|s| [f.title, f.msg, f.body].map(|field| (s, field)))
            {
                let inverted = segment.inverted_index(field)?;
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
                    let cand = &candidate[2..];
                    if cand.chars().count() >= 4
                        && cand.chars().all(char::is_alphabetic)
                        && one_edit(word, cand)
                    {
                        out.insert(candidate.to_string());
                    }
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Calls `each(document, term frequency)` for every live document
    /// whose `field` holds `term`.
    fn each_posting(
        &self,
        field: Field,
        term: &str,
        option: IndexRecordOption,
        mut each: impl FnMut(DocAddress, u32),
    ) -> Result<()> {
        let t = Term::from_field_text(field, term);
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Some(mut postings) = segment.inverted_index(field)?.read_postings(&t, option)?
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            while postings.doc() != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(postings.doc())) {
                    let tf = if option == IndexRecordOption::Basic {
                        0
                    } else {
                        postings.term_freq()
                    };
                    each(DocAddress::new(ord as u32, postings.doc()), tf);
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
        for t in analysis.terms.iter().filter(|t| t.starts_with("w:")) {
            for field in [self.fields.title, self.fields.msg, self.fields.body] {
                let inverted = segment.inverted_index(field)?;
                let term = Term::from_field_text(field, t);
                if let Some(mut postings) =
                    inverted.read_postings(&term, IndexRecordOption::Basic)?
                {
                    // `seek` only moves forward: the list may start past the document.
                    let at = postings.doc();
                    if at == addr.doc_id
                        || (at < addr.doc_id && postings.seek(addr.doc_id) == addr.doc_id)
                    {
                        found.insert(t.clone());
                        break;
                    }
                }
            }
        }
        Ok(found)
    }
}

/// True when `a` becomes `b` by one insertion, deletion, substitution or
/// swap of neighbours.
pub fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let lead = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[lead..], &b[lead..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

/// Opens the index in `dir` and runs one query.
pub fn search(dir: &Path, query: &str, aliases: &Aliases, limit: usize) -> Result<Response> {
    Engine::open(dir)?.search(query, aliases, limit)
}
