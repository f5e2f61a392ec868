//! Search: the search document of an article, its ranking and the
//! evaluation of `kbgen search` against a query file. The analyser that
//! makes terms is [`crate::analysis`]; the indexes that store them (and the
//! tantivy query) are [`crate::index`].
//!
//! `docs/search.md` is the contract; the browser's JavaScript follows it too.

pub(crate) mod docs;
pub mod eval;
pub mod rank;
pub mod versions;

pub use docs::SearchDoc;
