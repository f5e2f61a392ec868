//! The terminal side of search: a tantivy index kept beside the site (never
//! inside it, so browsers never download it) and the query that
//! `kbgen search` runs on it.
//!
//! The `terms` field holds terms already analysed by [`crate::analysis`],
//! so tantivy sees exactly the terms the browser index has, each once per
//! document with its counts per field ([`counts`]). Scoring is not
//! tantivy's BM25 but the browser's (docs/search.md, "Ranking"), computed
//! from those counts: the terminal and the page then rank alike.

use crate::search::rank::Norms;
use crate::search::versions::Known;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
};
use tantivy::Index;

mod counts;
mod query;
mod update;
mod writer;
pub use query::{search, Engine, Hit, Response};
pub use update::update;
use writer::document;
pub use writer::{Staged, Writer};

const TOKENIZER: &str = "kbgen_counts";
/// Beside tantivy's files: what scoring needs to match the browser.
const META_FILE: &str = "kbgen-search.json";

/// The layout of the fields below: an index of another layout is refused
/// with a word to rebuild, not read wrongly.
const FORMAT: u32 = 5;

#[derive(Serialize, Deserialize)]
struct Meta {
    /// [`FORMAT`] of the index; absent (0) before layouts were numbered.
    #[serde(default)]
    format: u32,
    /// Factor from weights to quantised weights, as in the browser index.
    scale: f32,
    /// Average field lengths, as in the browser index.
    norms: Norms,
    /// The product versions of the site, as the browser's manifest has them.
    #[serde(default)]
    known: Known,
}

impl Meta {
    fn new(scale: f32, norms: Norms, known: Known) -> Meta {
        Meta {
            format: FORMAT,
            scale,
            norms,
            known,
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
    /// Every term of the document once, its field counts in its position.
    terms: Field,
    flow: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |option| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(option)
                // Scoring reads our own field lengths (`msg_len`, `body_len`).
                .set_fieldnorms(false),
        )
    };
    let fields = Fields {
        // Indexed too, so `kbgen serve` can replace one article's document by its number.
        number: b.add_u64_field("number", FAST | INDEXED),
        msg_len: b.add_u64_field("msg_len", FAST),
        body_len: b.add_u64_field("body_len", FAST),
        record: b.add_text_field("record", STORED),
        terms: b.add_text_field("terms", indexed(IndexRecordOption::WithFreqsAndPositions)),
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
        terms: f("terms")?,
        flow: f("flow")?,
    })
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register(TOKENIZER, counts::CountsTokenizer::default());
}
