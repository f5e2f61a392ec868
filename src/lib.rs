//! kbgen compiles a folder of troubleshooting articles (Markdown with YAML
//! front matter) into a static knowledge-base site keyed on error signatures.
//!
//! The pipeline runs one way, each stage a module that takes values and
//! returns values; only [`output`] touches the output folder
//! (`docs/architecture.md` draws it):
//!
//! 1. [`load`] walks the content folder and reads each file → [`load::Source`]
//! 2. [`model`] parses front matter and Markdown ([`markdown`]) → [`model::Document`]s
//! 3. [`extract`] finds error signatures (declared and in prose) → [`signature::Signature`]s
//! 4. [`model::site`] assembles the immutable [`model::site::Site`] with its lookup tables
//! 5. [`render`] turns the site into pages → [`output::OutputFile`]s
//! 6. [`index`] builds both search indexes from the [`search`] documents,
//!    whose terms come from the one analyser, [`analysis`]
//! 7. [`output`] writes everything into a staging folder and swaps it into place
//!
//! [`pipeline`] is the only place that knows this order: `compile` (1–4),
//! `emit` (5–6), `commit` (7). [`serve`] runs the same stages for live
//! preview, on the changed files only after its first build. [`urls`],
//! [`fsx`], [`diag`] and [`config`] are leaves every stage may use; no stage
//! imports a later one.

// The crate doc above names every stage, public or not.
#![allow(rustdoc::private_intra_doc_links)]

pub mod analysis;
pub(crate) mod bytepairs;
pub mod config;
pub mod diag;
pub(crate) mod escape;
pub mod export;
pub(crate) mod extract;
pub mod fsx;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod index;
pub(crate) mod load;
pub mod markdown;
pub(crate) mod model;
pub mod output;
pub mod pipeline;
pub mod plural;
pub mod printable;
pub(crate) mod render;
pub mod scaffold;
pub mod scan;
pub mod search;
pub mod serve;
pub mod signature;
#[cfg(test)]
pub(crate) mod test_strings;
pub(crate) mod urls;
