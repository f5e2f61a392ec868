//! Writing the terminal index: a build's whole new index, staged beside
//! the old one with [`output::Staging`] and swapped in after the site.

use super::{counts, register, schema, Fields, Meta, META_FILE};
use crate::fsx;
use crate::output;
use crate::search::docs::SearchDoc;
use crate::search::rank::Norms;
use crate::search::versions::Known;
use anyhow::{Context, Result};
use std::path::Path;
use tantivy::store::Compressor;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};

/// Tantivy's indexing threads (each its own segment).
const INDEX_THREADS: usize = 2;

/// The index being written into a staging folder beside `dir`
/// ([`output::Staging::begin_beside`]), which replaces what was there only
/// once it is complete, and is removed if dropped unfinished. Documents may
/// be added from several threads.
pub struct Writer {
    // Declared before `staging`: the writer closes before its folder goes.
    writer: IndexWriter,
    fields: Fields,
    staging: output::Staging,
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
        // Two indexing threads sharing the same 50 MB: with one, the last
        // segment's postings were written out by that thread alone after
        // everything else had finished (a quarter of a second of one core
        // on 8,000 articles); with two, each writes half, side by side.
        // Queries read every segment alike, so the answers are the same.
        let writer: IndexWriter = index
            .writer_with_num_threads(INDEX_THREADS, 50_000_000)
            .with_context(|| format!("cannot write the search index {}", path.display()))?;
        Ok(Writer {
            writer,
            fields,
            staging,
        })
    }

    /// Adds document number `n`.
    pub fn add(&self, n: u32, d: &SearchDoc) -> Result<()> {
        self.writer
            .add_document(document(&self.fields, n as usize, d)?)?;
        Ok(())
    }

    /// Writes the index out completely in its staging folder, not yet in
    /// place; `scale`, `norms` and the `known` product versions are the
    /// browser index's, so both score alike. Most of the index reaches the disk here, so a full disk fails
    /// here, with a message naming the staging folder, which is removed.
    pub fn commit(self, scale: f32, norms: Norms, known: Known) -> Result<Staged> {
        let Writer {
            mut writer,
            staging,
            ..
        } = self;
        let path = staging.dir().to_path_buf();
        let shown = path.display().to_string();
        // The writer is moved in, so it is closed before its folder can be
        // removed.
        let write_out = move || -> Result<()> {
            writer.commit()?;
            writer.wait_merging_threads()?;
            let meta = serde_json::to_string(&Meta::new(scale, norms, known))?;
            fsx::write(&path.join(META_FILE), meta.as_bytes())
        };
        write_out().with_context(|| format!("cannot write the search index {shown}"))?;
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

/// The tantivy document of article number `n`.
pub(super) fn document(f: &Fields, n: usize, d: &SearchDoc) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.number, n as u64);
    doc.add_u64(f.msg_len, u64::from(d.lens[0]));
    doc.add_u64(f.body_len, u64::from(d.lens[1]));
    doc.add_text(f.record, serde_json::to_string(&d.record)?);
    doc.add_text(f.terms, counts::text(&d.terms));
    // One value, blocks a line each: one string to read back per document.
    doc.add_text(f.flow, d.flow.join("\n"));
    Ok(doc)
}
