//! `kbgen serve`'s edit of the terminal search index: the documents of
//! changed articles are replaced in place (deleted by their number, added
//! anew, committed), instead of writing the whole index again.
//!
//! Replaced documents stay in their segment, marked deleted, until tantivy
//! merges it; [`super::Engine`] counts and scores only live documents, so
//! the answers are those of a fresh build of the same content when `norms`
//! and `scale` are that build's (the caller computes them exactly).

use super::{document, fields_of, register, Meta, META_FILE};
use crate::search::docs::SearchDoc;
use crate::search::rank::Norms;
use crate::search::versions::Known;
use anyhow::{Context, Result};
use std::path::Path;
use tantivy::{Index, IndexWriter, Term};

/// Smallest indexing memory tantivy accepts; one edit needs little.
const WRITER_BYTES: usize = 15_000_000;

/// Replaces article `n`'s document by `doc` for each `(n, doc)` of
/// `replaced` in the index in `dir`, and records `scale`, `norms` and the
/// `known` product versions for scoring.
pub fn update(
    dir: &Path,
    replaced: &[(usize, &SearchDoc)],
    scale: f32,
    norms: Norms,
    known: Known,
) -> Result<()> {
    let index = Index::open_in_dir(dir)
        .with_context(|| format!("opening the search index {}", dir.display()))?;
    register(&index);
    let f = fields_of(&index.schema())?;
    let mut writer: IndexWriter = index
        .writer_with_num_threads(1, WRITER_BYTES)
        .context("opening the search index writer")?;
    for &(n, d) in replaced {
        writer.delete_term(Term::from_field_u64(f.number, n as u64));
        writer.add_document(document(&f, n, d)?)?;
    }
    writer.commit().context("writing the search index")?;
    writer.wait_merging_threads()?;
    let meta = serde_json::to_string(&Meta::new(scale, norms, known))?;
    let path = dir.join(META_FILE);
    let tmp = dir.join(format!("{META_FILE}.tmp"));
    std::fs::write(&tmp, meta).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
