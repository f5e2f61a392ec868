//! `search/idx/scan.js`: every signature a log scan matches on, in one
//! file, for the search page's log scan (`kbgen-scan.js`). The page cannot
//! load thousands of one-document shards to scan a log, so the index stage
//! gathers what `kbgen scan` reads from them (`src/scan/kb.rs`) — event
//! keys, codes with their names, templates of 3+ terms — keyed for lookup.
//! Format: `docs/search.md`, "The log scan's signatures".

use super::script::script;
use crate::output::OutputFile;
use crate::search::docs::Record;
use serde::Serialize;
use std::collections::BTreeMap;

/// Shortest template sequence a scan matches (as `src/scan/kb.rs`).
const MIN_TEMPLATE_TERMS: usize = 3;

/// The signatures gathered so far, one document at a time.
#[derive(Debug, Default, Serialize)]
pub(crate) struct ScanSigs {
    /// `[url, title, source]` of each article with a signature, in
    /// document order (the scan's tie-break), numbered from 0.
    articles: Vec<(String, String, String)>,
    /// Event key → `[article, source as written, about]`.
    events: BTreeMap<String, Vec<(u32, String, f64)>>,
    /// Canonical code → `[article, its name, or its message]`.
    codes: BTreeMap<String, Vec<(u32, String)>>,
    /// Symbolic name, lower case → canonical codes carrying it.
    names: BTreeMap<String, Vec<String>>,
    /// `[article, template text, "seq terms"]`.
    templates: Vec<(u32, String, String)>,
}

impl ScanSigs {
    /// Adds the next document's signatures (documents come in order).
    pub(crate) fn add(&mut self, r: &Record) {
        let templates: Vec<_> = r
            .templates
            .iter()
            .filter(|t| t.seq.len() >= MIN_TEMPLATE_TERMS)
            .collect();
        if r.events.is_empty() && r.codes.is_empty() && templates.is_empty() {
            return;
        }
        let n = self.articles.len() as u32;
        self.articles
            .push((r.url.clone(), r.title.clone(), r.source.clone()));
        for e in &r.events {
            let list = self.events.entry(e.key.clone()).or_default();
            list.push((n, e.source_name.clone(), e.about));
        }
        for c in &r.codes {
            let detail = if c.name.is_empty() {
                &c.message
            } else {
                &c.name
            };
            let list = self.codes.entry(c.key.clone()).or_default();
            list.push((n, detail.clone()));
            for name in &c.names {
                let keys = self.names.entry(name.clone()).or_default();
                if !keys.contains(&c.key) {
                    keys.push(c.key.clone());
                }
            }
        }
        for t in templates {
            self.templates.push((n, t.text.clone(), t.seq.join(" ")));
        }
    }

    /// The signatures of `records`, all of them.
    pub(crate) fn of(records: &[Record]) -> ScanSigs {
        let mut s = ScanSigs::default();
        records.iter().for_each(|r| s.add(r));
        s
    }

    /// The file.
    pub(crate) fn file(&self) -> OutputFile {
        script("scan", self)
    }
}
