//! The index stage: the site's search documents ([`crate::search::docs`]),
//! with terms from [`crate::analysis`], written into the browser index
//! ([`browser`], kept live by `kbgen serve` in [`live`]) and the tantivy
//! index of `kbgen search` ([`terminal`], which also answers its queries).
//!
//! Every article's search document is fed one by one to both indexes, so that no build holds all of them at once. Articles are
//! analysed in parallel a chunk at a time, while the chunk before is added
//! to both indexes in article order (the browser's postings stay sorted,
//! and a document's number in the tantivy segment is its article's). The
//! browser index's postings then give the tantivy index its terms. Each
//! article's text blocks are dropped once analysed: nothing else needs them.

mod blocks;
pub(crate) mod browser;
pub(crate) mod live;
mod postings;
mod scan_sigs;
pub(crate) mod script;
pub mod terminal;

use crate::analysis::Interned;
use crate::model::site::Site;
use crate::model::PackedBlocks;
use crate::output::OutputFile;
use crate::search::docs::{search_doc, SearchDoc};
use crate::signature::events::Aliases;
use anyhow::Result;
use browser::{Builder, Finished, Sink};
use postings::RawList;
use rayon::prelude::*;

/// Articles analysed per round: enough to keep both cores busy, few enough
/// that their documents take little memory.
const CHUNK: usize = 256;

/// Builds the browser index of `site`, whose articles' text blocks are
/// `blocks` (taken out of the site), handing each finished file to `sink`,
/// and adds every document to `terminal` when given. `observe` sees every
/// document too, in article order (`kbgen serve` keeps its own index of
/// them).
pub fn index_site(
    site: &Site,
    blocks: Vec<PackedBlocks>,
    aliases: &Aliases,
    sink: Sink<'_>,
    terminal: Option<&terminal::Writer>,
    observe: &mut (dyn FnMut(&SearchDoc) + Send),
) -> Result<Finished> {
    let mut browser = Builder::default();
    let mut blocks = blocks.into_iter().enumerate().peekable();
    let mut analysed: Vec<SearchDoc> = Vec::new();
    while blocks.peek().is_some() {
        let chunk: Vec<(usize, PackedBlocks)> = blocks.by_ref().take(CHUNK).collect();
        let (added, next) = rayon::join(
            || {
                add(
                    &mut browser,
                    std::mem::take(&mut analysed),
                    sink,
                    terminal,
                    observe,
                )
            },
            || analyse(site, chunk, aliases),
        );
        added?;
        analysed = next;
    }
    add(&mut browser, analysed, sink, terminal, observe)?;
    let terms = |postings: &[(Interned, RawList)]| match terminal {
        Some(w) => w.write_terms(postings),
        None => Ok(()),
    };
    browser.finish(aliases, sink, &terms)
}

fn analyse(site: &Site, chunk: Vec<(usize, PackedBlocks)>, aliases: &Aliases) -> Vec<SearchDoc> {
    chunk
        .into_par_iter()
        .map(|(i, blocks)| search_doc(site, i, &blocks.unpack(), aliases))
        .collect()
}

fn add(
    browser: &mut Builder,
    docs: Vec<SearchDoc>,
    sink: Sink<'_>,
    terminal: Option<&terminal::Writer>,
    observe: &mut (dyn FnMut(&SearchDoc) + Send),
) -> Result<()> {
    let mut shards: Vec<OutputFile> = Vec::new();
    for d in &docs {
        observe(d);
        if let Some(w) = terminal {
            w.add(browser.len(), d)?;
        }
        shards.extend(browser.add(d));
    }
    shards.into_par_iter().try_for_each(sink)
}
