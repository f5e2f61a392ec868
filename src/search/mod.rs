//! Search: the analyser shared by every index, the browser index, the
//! tantivy index and the query side of `kbgen search`.
//!
//! `docs/search.md` is the contract; the browser's JavaScript follows it too.

pub mod analyze;
pub mod bounds;
pub mod browser;
pub mod docs;
pub mod engine;
pub mod eval;
pub mod indexer;
mod postings;
pub mod rank;

pub use analyze::{analyze, coverage, template_seq, Analysis};
pub use docs::SearchDoc;

#[cfg(test)]
mod tests;
