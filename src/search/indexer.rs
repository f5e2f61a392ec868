//! The index stage: every article's search document, fed one by one to
//! both indexes, so that no build holds all of them at once. Articles are
//! analysed in parallel a chunk at a time; the browser index takes them in
//! article order (its postings stay sorted), the tantivy writer as they come.

use super::browser::{Builder, Finished};
use super::docs::search_doc;
use super::engine;
use crate::model::site::Site;
use crate::output::OutputFile;
use crate::signature::events::Aliases;
use anyhow::Result;
use rayon::prelude::*;

/// Articles analysed per round: enough to keep both cores busy, few enough
/// that their documents take little memory.
const CHUNK: usize = 512;

/// Builds the browser index of `site`, handing each finished file to
/// `sink`, and adds every document to `terminal` when given.
pub fn index_site(
    site: &Site,
    aliases: &Aliases,
    sink: &(dyn Fn(OutputFile) -> Result<()> + Sync),
    terminal: Option<&engine::Writer>,
) -> Result<Finished> {
    let mut browser = Builder::default();
    let numbers: Vec<usize> = (0..site.articles.len()).collect();
    for chunk in numbers.chunks(CHUNK) {
        let docs = chunk
            .par_iter()
            .map(|&i| {
                let doc = search_doc(site, i, aliases);
                if let Some(w) = terminal {
                    w.add(i as u32, &doc)?;
                }
                Ok(doc)
            })
            .collect::<Result<Vec<_>>>()?;
        let shards: Vec<OutputFile> = docs.iter().filter_map(|d| browser.add(d)).collect();
        shards.into_par_iter().try_for_each(sink)?;
    }
    let (files, finished) = browser.finish(aliases);
    files.into_par_iter().try_for_each(sink)?;
    Ok(finished)
}
