//! Search quality, measured: a file of queries with their right answers
//! (`id kind query expected note`, tab-separated; `expected` holds one or
//! more `|`-separated article source paths) run through the engine,
//! reported as recall@1, recall@5 and MRR per kind and overall.

use crate::index::terminal::Engine;
use crate::signature::events::Aliases;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One line of a query file.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// Identifier.
    pub id: String,
    /// `event`, `code`, `logline`, `symptom`, …
    pub kind: String,
    /// The text searched for.
    pub query: String,
    /// Any of these source paths is a right answer.
    pub expected: Vec<String>,
}

/// Reads a query file; the first line is the header.
pub fn read_queries(path: &Path) -> Result<Vec<Query>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the query file {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            bail!(
                "{}:{}: expected the columns id, kind, query, expected (tab-separated), found {}",
                path.display(),
                n + 1,
                cols.len()
            );
        }
        out.push(Query {
            id: cols[0].to_string(),
            kind: cols[1].to_string(),
            query: cols[2].to_string(),
            expected: cols[3].split('|').map(str::to_string).collect(),
        });
    }
    Ok(out)
}

/// How one query fared.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The query.
    pub query: Query,
    /// Rank of the first right answer (1-based), if in the first ten.
    pub rank: Option<usize>,
    /// What came first.
    pub top: Option<String>,
}

/// Figures for one kind (or all).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    /// Queries.
    pub n: usize,
    /// Share with a right answer first.
    pub recall_at_1: f64,
    /// Share with a right answer in the first five.
    pub recall_at_5: f64,
    /// Mean reciprocal rank (first ten).
    pub mrr: f64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// By kind, and `all`.
    pub figures: BTreeMap<String, Figures>,
    /// Every query's outcome, in file order.
    pub outcomes: Vec<Outcome>,
}

/// Runs every query.
pub fn evaluate(engine: &Engine, queries: &[Query], aliases: &Aliases) -> Result<Report> {
    let mut outcomes = Vec::with_capacity(queries.len());
    for q in queries {
        let response = engine.search(&q.query, aliases, 10)?;
        let rank = response
            .results
            .iter()
            .position(|r| q.expected.contains(&r.source))
            .map(|p| p + 1);
        outcomes.push(Outcome {
            query: q.clone(),
            rank,
            top: response.results.first().map(|r| r.source.clone()),
        });
    }
    let mut figures: BTreeMap<String, Figures> = BTreeMap::new();
    for o in &outcomes {
        for key in [o.query.kind.as_str(), "all"] {
            let f = figures.entry(key.to_string()).or_default();
            f.n += 1;
            f.recall_at_1 += f64::from(u8::from(o.rank == Some(1)));
            f.recall_at_5 += f64::from(u8::from(o.rank.is_some_and(|r| r <= 5)));
            f.mrr += o.rank.map_or(0.0, |r| 1.0 / r as f64);
        }
    }
    for f in figures.values_mut() {
        let n = f.n as f64;
        f.recall_at_1 /= n;
        f.recall_at_5 /= n;
        f.mrr /= n;
    }
    Ok(Report { figures, outcomes })
}
