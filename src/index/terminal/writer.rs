//! Writing the terminal index: a build's whole new index, staged beside
//! the old one with [`output::Staging`] and swapped in after the site.
//!
//! The index is one tantivy segment whose document `n` is article `n`.
//! Tantivy's segment writer stores each article's fields as it comes
//! ([`Writer::add`], in article order); the postings of `terms` are written
//! once every article is in, straight from the browser index's postings
//! ([`Writer::write_terms`]): they are the same (term, article, counts)
//! triples, already sorted by term and by article. Handing each article's
//! terms to tantivy's indexer instead cost a lookup in its hash table of
//! the segment's terms per (article, term) pair, a fifth of the CPU of a
//! build of 10,000 generated articles.
//!
//! Tantivy's `SingleSegmentIndexWriter` is public but left out of its
//! documentation; `Cargo.lock` pins the version, and the test below
//! compares the segment with what tantivy's own indexer makes.

use super::{counts, register, schema, Fields, Meta, META_FILE};
use crate::analysis::Interned;
use crate::fsx;
use crate::index::postings::RawList;
use crate::output;
use crate::search::docs::SearchDoc;
use crate::search::rank::Norms;
use crate::search::versions::Known;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use tantivy::directory::META_LOCK;
use tantivy::index::{SegmentComponent, SegmentReader};
use tantivy::indexer::SingleSegmentIndexWriter;
use tantivy::postings::InvertedIndexSerializer;
use tantivy::store::Compressor;
use tantivy::tokenizer::MAX_TOKEN_LEN;
use tantivy::{Directory, Index, IndexSettings, TantivyDocument, Term};

/// Tantivy's indexing memory for the segment: it indexes only `number`
/// (one term per article) itself.
const SEGMENT_BYTES: usize = 16_000_000;

/// The index being written into a staging folder beside `dir`
/// ([`output::Staging::begin_beside`]), which replaces what was there only
/// once it is complete, and is removed if dropped unfinished.
pub struct Writer {
    // Declared before `staging`: the writer closes before its folder goes.
    /// The segment while it takes documents; `None` once written out.
    pending: Mutex<Option<Pending>>,
    fields: Fields,
    staging: output::Staging,
}

/// The segment taking articles' documents: `docs` so far, whose `terms`
/// will take `tokens` positions.
struct Pending {
    writer: SingleSegmentIndexWriter,
    docs: u32,
    tokens: u64,
}

impl Writer {
    /// Starts a new index for `dir`. Leftovers of killed builds beside
    /// `dir` are removed first; the caller holds the output lock, so they
    /// are no other build's.
    pub fn begin(dir: &Path) -> Result<Writer> {
        remove_old_leftovers(dir)?;
        let staging = output::Staging::begin_beside(dir)?;
        let path = staging.dir();
        let (schema, fields) = schema();
        // The stored records are left uncompressed: LZ4 on them was 2–3%
        // of a build's CPU, for an index that stays beside the site (never
        // downloaded) and of which a query reads a few documents. It takes
        // about twice the disk (19 → 41 MB on 8,104 articles).
        let settings = IndexSettings {
            docstore_compression: Compressor::None,
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(path)
            .with_context(|| format!("cannot create the search index {}", path.display()))?;
        register(&index);
        let writer = SingleSegmentIndexWriter::new(index, SEGMENT_BYTES)
            .with_context(|| format!("cannot write the search index {}", path.display()))?;
        Ok(Writer {
            pending: Mutex::new(Some(Pending {
                writer,
                docs: 0,
                tokens: 0,
            })),
            fields,
            staging,
        })
    }

    fn pending(&self) -> MutexGuard<'_, Option<Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds document number `n`, which must be the next one: its number is
    /// its place in the segment.
    pub fn add(&self, n: u32, d: &SearchDoc) -> Result<()> {
        let mut pending = self.pending();
        let Some(Pending {
            writer,
            docs,
            tokens,
        }) = &mut *pending
        else {
            bail!("search document {n} came after the search index was written");
        };
        if n != *docs {
            bail!("search document {n} came out of order (expected {docs})");
        }
        writer.add_document(stored_document(&self.fields, n as usize, d)?)?;
        *docs += 1;
        *tokens += d
            .terms
            .iter()
            .filter(|(t, _)| t.len() <= MAX_TOKEN_LEN)
            .map(|(_, c)| counts::positions(*c).count() as u64)
            .sum::<u64>();
        Ok(())
    }

    /// Writes the segment out with the postings of `terms`: for each term
    /// (sorted by its bytes, as tantivy's term dictionary wants them), the
    /// articles that hold it in order with their counts. Called once, after
    /// the last [`Writer::add`].
    pub(crate) fn write_terms(&self, postings: &[(Interned, RawList)]) -> Result<()> {
        let Some(Pending {
            writer,
            docs,
            tokens,
        }) = self.pending().take()
        else {
            bail!("the search index's terms were written twice");
        };
        let shown = self.staging.dir().display().to_string();
        self.write_segment(writer, docs, tokens, postings)
            .with_context(|| format!("cannot write the search index {shown}"))
    }

    fn write_segment(
        &self,
        writer: SingleSegmentIndexWriter,
        docs: u32,
        tokens: u64,
        postings: &[(Interned, RawList)],
    ) -> Result<()> {
        let f = &self.fields;
        // Stores, fast fields, norms and the postings of `number`; the
        // postings files are then written again with `terms` beside it.
        let index = writer.finalize()?;
        let mut segment = index
            .searchable_segments()?
            .pop()
            .context("tantivy wrote no segment")?;
        let number_norms = SegmentReader::open(&segment)?.get_fieldnorms_reader(f.number)?;
        for part in [
            SegmentComponent::Terms,
            SegmentComponent::Postings,
            SegmentComponent::Positions,
        ] {
            index.directory().delete(&segment.relative_path(part))?;
        }
        let mut out = InvertedIndexSerializer::open(&mut segment)?;
        // Fields in the schema's order: `number` comes first. Each article
        // holds its own number once, as tantivy's writer records it (no
        // frequencies).
        let mut field = out.new_field(f.number, u64::from(docs), Some(number_norms))?;
        for n in 0..docs {
            field.new_term(
                Term::from_field_u64(f.number, u64::from(n)).serialized_value_bytes(),
                0,
                false,
            )?;
            field.write_doc(n, 0, &[]);
            field.close_term()?;
        }
        field.close()?;
        // Each term once per article, its counts in its positions
        // ([`counts::positions`]), given as gaps.
        let mut field = out.new_field(f.terms, tokens, None)?;
        let mut gaps: Vec<u32> = Vec::new();
        for (term, list) in postings {
            if term.len() > MAX_TOKEN_LEN {
                // As tantivy's indexer does: such a token is dropped.
                continue;
            }
            field.new_term(term.as_bytes(), list.len() as u32, true)?;
            for (doc, c) in list.iter() {
                gaps.clear();
                let mut last = 0;
                for p in counts::positions(c) {
                    gaps.push(p - last);
                    last = p;
                }
                field.write_doc(doc, gaps.len() as u32, &gaps);
            }
            field.close_term()?;
        }
        field.close()?;
        out.close()?;
        // Readers take this lock (tantivy makes its file at the first);
        // made here, as tantivy's own writer does, a search needs no write
        // access to the index's folder.
        drop(index.directory().acquire_lock(&META_LOCK)?);
        Ok(())
    }

    /// Writes the index out completely in its staging folder, not yet in
    /// place; `scale`, `norms` and the `known` product versions are the
    /// browser index's, so both score alike. A full disk fails here or in
    /// [`Writer::write_terms`], with a message naming the staging folder,
    /// which is removed.
    pub fn commit(self, scale: f32, norms: Norms, known: Known) -> Result<Staged> {
        if self.pending().is_some() {
            // No index stage ran (nothing gave the postings): an index
            // without terms.
            self.write_terms(&[])?;
        }
        let Writer { staging, .. } = self;
        let path = staging.dir().to_path_buf();
        let meta = serde_json::to_string(&Meta::new(scale, norms, known))?;
        fsx::write(&path.join(META_FILE), meta.as_bytes())
            .with_context(|| format!("cannot write the search index {}", path.display()))?;
        Ok(Staged { staging })
    }
}

/// A complete index in its staging folder beside `dir`, not yet in place.
/// [`Staged::swap_in`] puts it there; dropping it instead removes it, so a
/// build that fails later (the site did not fit on the disk) leaves the
/// previous index as it was and nothing beside it.
#[derive(Debug)]
pub struct Staged {
    staging: output::Staging,
}

impl Staged {
    /// Replaces the index in place (if any) with this one by the output's
    /// swap (old aside, new in, old removed, under the swap lock that
    /// `kbgen serve` reads under): a reader finds the old index or the new
    /// one, never a part of one, and a failed rename puts the old one back.
    pub fn swap_in(self) -> Result<()> {
        self.staging.commit()
    }
}

/// Removes `<name>.staging-*` and `<name>.old-*` beside the index `dir`:
/// the leftovers of killed builds of kbgen versions that staged the index
/// on their own (now [`output::Staging`] names and removes them).
fn remove_old_leftovers(dir: &Path) -> Result<()> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Ok(());
    };
    let name = name.to_string_lossy();
    fsx::remove_dirs_named(
        parent,
        &[format!("{name}.staging-"), format!("{name}.old-")],
    )
}

/// The tantivy document of article number `n`, its terms included (for an
/// index that tantivy's indexer indexes: `kbgen serve`'s edits).
pub(super) fn document(f: &Fields, n: usize, d: &SearchDoc) -> Result<TantivyDocument> {
    let mut doc = stored_document(f, n, d)?;
    doc.add_text(f.terms, counts::text(&d.terms));
    Ok(doc)
}

/// The fields of article number `n` but its terms.
fn stored_document(f: &Fields, n: usize, d: &SearchDoc) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.number, n as u64);
    doc.add_u64(f.msg_len, u64::from(d.lens[0]));
    doc.add_u64(f.body_len, u64::from(d.lens[1]));
    doc.add_text(f.record, serde_json::to_string(&d.record)?);
    // One value, blocks a line each: one string to read back per document.
    doc.add_text(f.flow, d.flow.join("\n"));
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::{document, register, schema, Writer};
    use crate::analysis::Interned;
    use crate::index::postings::RawList;
    use crate::search::docs::{FieldCounts, Record, SearchDoc};
    use crate::search::rank::Norms;
    use std::collections::BTreeMap;
    use std::path::Path;
    use tantivy::postings::Postings as _;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocSet, Index, IndexWriter, Term, TERMINATED};

    fn doc(n: usize, terms: &[(&str, FieldCounts)]) -> SearchDoc {
        SearchDoc {
            record: Record {
                url: format!("a{n}/index.html"),
                title: format!("Article {n}"),
                source: format!("a{n}.md"),
                products: Vec::new(),
                summary: String::new(),
                events: Vec::new(),
                codes: Vec::new(),
                templates: Vec::new(),
                versions: Vec::new(),
                applies: Vec::new(),
                fresh: String::new(),
            },
            terms: terms.iter().map(|&(t, c)| (Interned::of(t), c)).collect(),
            flow: vec![format!("block of {n}")],
            lens: [3, 7],
        }
    }

    /// Documents with terms in several fields, a count too large for one
    /// position (over 127), one at the largest that fits, text outside
    /// ASCII, and a document without terms.
    fn docs() -> Vec<SearchDoc> {
        (0..40)
            .map(|n| match n % 5 {
                0 => doc(
                    n,
                    &[("w:alpha", [0, 0, 0, 1]), ("c:0x80070005", [1, 1, 0, 2])],
                ),
                1 => doc(n, &[("w:alpha", [0, 1, 2, 300]), ("w:größe", [0, 0, 0, 1])]),
                2 => doc(
                    n,
                    &[("w:beta", [127, 0, 0, 127]), ("e:w3svc/1011", [1, 0, 0, 0])],
                ),
                3 => doc(n, &[]),
                _ => doc(n, &[("w:beta", [0, 0, 0, 5]), ("w:alpha", [0, 0, 1, 0])]),
            })
            .collect()
    }

    /// Each term's bytes, with each document that holds it and its positions.
    type Postings = BTreeMap<Vec<u8>, Vec<(u32, Vec<u32>)>>;

    /// Every term of `terms` in the one segment of the index in `dir`, with
    /// each document's positions; and the documents that `number` finds.
    fn contents(dir: &Path) -> (Postings, Vec<u32>) {
        let index = Index::open_in_dir(dir).unwrap();
        let (_, f) = schema();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let segment = searcher.segment_reader(0);
        let inverted = segment.inverted_index(f.terms).unwrap();
        let mut out = BTreeMap::new();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            let info = stream.value().clone();
            let mut postings = inverted
                .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqsAndPositions)
                .unwrap();
            let mut docs = Vec::new();
            while postings.doc() != TERMINATED {
                let mut positions = Vec::new();
                postings.positions(&mut positions);
                docs.push((postings.doc(), positions));
                postings.advance();
            }
            out.insert(stream.key().to_vec(), docs);
        }
        let numbers = segment.inverted_index(f.number).unwrap();
        let found = (0..45u64)
            .filter_map(|n| {
                let term = Term::from_field_u64(f.number, n);
                let info = numbers.get_term_info(&term).unwrap()?;
                let postings = numbers
                    .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                    .unwrap();
                Some(postings.doc())
            })
            .collect();
        (out, found)
    }

    #[test]
    fn the_written_segment_holds_what_tantivys_indexer_makes_of_the_same_documents() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = docs();

        // Tantivy's own indexer, given each document's terms as text.
        let by_tantivy = tmp.path().join("by-tantivy");
        std::fs::create_dir(&by_tantivy).unwrap();
        let (s, f) = schema();
        let index = Index::create_in_dir(&by_tantivy, s).unwrap();
        register(&index);
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (n, d) in docs.iter().enumerate() {
            w.add_document(document(&f, n, d).unwrap()).unwrap();
        }
        w.commit().unwrap();
        w.wait_merging_threads().unwrap();

        // The build's writer, given the postings as the browser index keeps them.
        let written = tmp.path().join("written");
        let writer = Writer::begin(&written).unwrap();
        let mut postings: BTreeMap<&str, RawList> = BTreeMap::new();
        for (n, d) in docs.iter().enumerate() {
            writer.add(n as u32, d).unwrap();
            for (t, c) in &d.terms {
                postings.entry(t.as_str()).or_default().push(n as u32, *c);
            }
        }
        let postings: Vec<(Interned, RawList)> = postings
            .into_iter()
            .map(|(t, l)| (Interned::of(t), l))
            .collect();
        writer.write_terms(&postings).unwrap();
        let norms = Norms::of(&[[3, 7]]);
        writer
            .commit(1.0, norms, Default::default())
            .unwrap()
            .swap_in()
            .unwrap();

        let (terms, numbers) = contents(&written);
        assert_eq!(
            (&terms, &numbers),
            (&contents(&by_tantivy).0, &contents(&by_tantivy).1)
        );
        assert_eq!(terms.len(), 5);
        assert_eq!(numbers, (0..40).collect::<Vec<u32>>());
        // With a count too large for one position, each counting field takes one.
        assert_eq!(terms[&b"w:alpha".to_vec()][1].1.len(), 3);
    }

    #[test]
    fn documents_must_come_in_order_and_before_the_terms() {
        let tmp = tempfile::tempdir().unwrap();
        let writer = Writer::begin(&tmp.path().join("idx")).unwrap();
        let docs = docs();
        assert!(writer.add(1, &docs[1]).is_err());
        writer.add(0, &docs[0]).unwrap();
        writer.write_terms(&[]).unwrap();
        assert!(writer.add(1, &docs[1]).is_err());
        assert!(writer.write_terms(&[]).is_err());
    }
}
