//! The knowledge base's signatures, as a scan needs them: every article's
//! event keys, codes (with their symbolic names) and message templates,
//! each mapped back to the articles that give it.
//!
//! They are read from the built site's browser index (`search/idx/d*.js`,
//! the document shards whose shape `docs/search.md` fixes): that file
//! format is a published contract, it holds exactly the signatures search
//! matches on (templates already analysed), and reading it takes a fraction
//! of compiling the knowledge base again.

use anyhow::{bail, Context, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// An article, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Source path relative to the content folder (as `kbgen search --json`).
    pub source: String,
    /// Page path from the site root.
    pub url: String,
    /// Title.
    pub title: String,
}

/// An article citing an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// The article.
    pub article: u32,
    /// The source as the article writes it.
    pub source: String,
    /// How surely the article is about the event, 0–1 (the index's own
    /// measure: 1 when declared or in the title, less when it is one of many).
    pub about: f64,
}

/// A message template of an article.
#[derive(Debug, Clone)]
pub struct KbTemplate {
    /// The article that gives it.
    pub article: u32,
    /// The message as written.
    pub text: String,
    /// Its analysed literal sequence (see `docs/search.md`).
    pub seq: Vec<String>,
}

/// Every signature of the knowledge base, keyed for lookup.
#[derive(Debug, Default)]
pub struct Signatures {
    /// Articles, in the site's document order.
    pub articles: Vec<Article>,
    /// Event key (`dns-client/1014`, or `id/1014` for a bare ID) → the
    /// articles citing it.
    pub events: FxHashMap<String, Vec<Citation>>,
    /// Canonical code → (article, detail: name or message).
    pub codes: FxHashMap<String, Vec<(u32, String)>>,
    /// Symbolic name, lower case → canonical codes carrying it.
    pub names: FxHashMap<String, Vec<String>>,
    /// Every template of at least three terms.
    pub templates: Vec<KbTemplate>,
    /// Sequence term → the templates holding it (ascending), each with
    /// how many times its sequence holds the term.
    pub template_terms: FxHashMap<String, Vec<(u32, u16)>>,
    /// The test that lets most records skip the analyser.
    pub prefilter: super::prefilter::Prefilter,
}

#[derive(Deserialize)]
struct Manifest {
    docs: usize,
    #[serde(rename = "docShard")]
    doc_shard: usize,
    /// Source slug → canonical slug.
    #[serde(default)]
    aliases: std::collections::BTreeMap<String, String>,
}

/// One document of a doc shard (`docs/search.md`, "The browser index").
/// Events, codes and templates are read as arrays by position, so that
/// fields added at their end (as `about` and a template's owner were) do
/// not break reading.
#[derive(Deserialize)]
struct ShardDoc {
    u: String,
    t: String,
    s: String,
    #[serde(default)]
    e: Vec<Vec<Value>>,
    #[serde(default)]
    c: Vec<Vec<Value>>,
    #[serde(default)]
    m: Vec<Vec<Value>>,
}

/// The string at `i` of an index entry, or empty.
fn at(v: &[Value], i: usize) -> String {
    v.get(i)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The JSON inside `kbgenIndex("name", …);`.
fn script_json<'a>(text: &'a str, file: &Path) -> Result<&'a str> {
    let body = text
        .trim_end()
        .strip_prefix("kbgenIndex(")
        .and_then(|t| t.strip_suffix(");"))
        .and_then(|t| t.split_once(','))
        .map(|(_, json)| json);
    body.with_context(|| {
        format!(
            "{} is not a kbgen index file; rebuild the site with `kbgen build`",
            file.display()
        )
    })
}

fn read_script(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The browser index's manifest of the site in `output`: when it is
/// missing, there is nothing to scan against yet.
pub fn manifest(output: &Path) -> PathBuf {
    output.join(crate::index::browser::DIR).join("manifest.js")
}

impl Signatures {
    /// The signatures of the site built in `output`.
    pub fn load(output: &Path) -> Result<Signatures> {
        let dir = output.join(crate::index::browser::DIR);
        let manifest_path = dir.join("manifest.js");
        let manifest_text = read_script(&manifest_path)?;
        let manifest: Manifest = serde_json::from_str(script_json(&manifest_text, &manifest_path)?)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        if manifest.doc_shard == 0 {
            bail!("{} names no document shard size", manifest_path.display());
        }
        let mut sigs = Signatures::default();
        for k in 0..manifest.docs.div_ceil(manifest.doc_shard) {
            let path = dir.join(format!("d{k}.js"));
            let text = read_script(&path)?;
            let docs: Vec<ShardDoc> = serde_json::from_str(script_json(&text, &path)?)
                .with_context(|| {
                    format!(
                        "{} is damaged; rebuild the site with `kbgen build`",
                        path.display()
                    )
                })?;
            for doc in docs {
                sigs.add(doc);
            }
        }
        sigs.prefilter = super::prefilter::Prefilter::new(&sigs, &manifest.aliases);
        Ok(sigs)
    }

    fn add(&mut self, doc: ShardDoc) {
        let n = self.articles.len() as u32;
        for e in doc.e {
            self.events.entry(at(&e, 0)).or_default().push(Citation {
                article: n,
                source: at(&e, 1),
                about: e.get(3).and_then(Value::as_f64).unwrap_or(1.0),
            });
        }
        for c in doc.c {
            let (key, name, message) = (at(&c, 0), at(&c, 1), at(&c, 2));
            let names = c.get(3).and_then(Value::as_array).into_iter().flatten();
            let detail = if name.is_empty() { message } else { name };
            for name in names.filter_map(Value::as_str).map(str::to_string) {
                let keys = self.names.entry(name).or_default();
                if !keys.contains(&key) {
                    keys.push(key.clone());
                }
            }
            self.codes.entry(key).or_default().push((n, detail));
        }
        for m in doc.m {
            let (text, seq) = (at(&m, 0), at(&m, 1));
            let seq: Vec<String> = seq.split_whitespace().map(str::to_string).collect();
            if seq.len() < 3 {
                continue;
            }
            let t = self.templates.len() as u32;
            for term in &seq {
                let list = self.template_terms.entry(term.clone()).or_default();
                match list.last_mut() {
                    Some((last, n)) if *last == t => *n = n.saturating_add(1),
                    _ => list.push((t, 1)),
                }
            }
            self.templates.push(KbTemplate {
                article: n,
                text,
                seq,
            });
        }
        self.articles.push(Article {
            source: doc.s,
            url: doc.u,
            title: doc.t,
        });
    }
}
