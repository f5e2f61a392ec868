//! Matching a batch of records, each shape once. Records of one shape
//! (`prefilter::shape`: the text with its inert variable values masked)
//! give the same evidence and, at one level, the same unmatched key
//! (`unmatched::masked` masks what a shape masks, and more), so the first
//! of each shape is matched and the others share its answer, remembered
//! across batches.

use super::kb::Signatures;
use super::matcher::{match_record, Evidence};
use super::record::LogRecord;
use super::unmatched::Missing;
use crate::signature::events::Aliases;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Memory the remembered answers may take before they are forgotten, so
/// a log of endless new shapes stays in bounded memory.
const MAX_BYTES: usize = 32 << 20;

/// What one record gives, shared by the records of its shape and level.
#[derive(Debug, Default)]
pub struct Answer<'s> {
    /// Every signature found, at most one per (article, kind, key).
    pub evidence: Vec<Evidence<'s>>,
    /// The articles of `evidence`, each once, in its order.
    pub articles: Vec<u32>,
    /// Without evidence: its key in the unmatched list.
    pub unmatched: Option<Missing>,
}

impl<'s> Answer<'s> {
    fn new(evidence: Vec<Evidence<'s>>, unmatched: Option<Missing>) -> Answer<'s> {
        let mut articles: Vec<u32> = Vec::new();
        for ev in &evidence {
            if !articles.contains(&ev.article) {
                articles.push(ev.article);
            }
        }
        Answer {
            evidence,
            articles,
            unmatched,
        }
    }

    fn bytes(&self) -> usize {
        let key = self
            .unmatched
            .as_ref()
            .map_or(0, |m| m.key.len() + m.title.len());
        self.evidence.len() * std::mem::size_of::<Evidence>() + self.articles.len() * 4 + key
    }
}

/// The answers remembered by shape and level.
#[derive(Debug, Default)]
pub struct Memo<'s> {
    known: FxHashMap<Box<[u8]>, Arc<Answer<'s>>>,
    bytes: usize,
}

/// How a record of a batch gets its answer.
enum Plan<'s> {
    /// Its shape was matched in an earlier batch.
    Known(Arc<Answer<'s>>),
    /// It is matched itself: the `n`th record matched in this batch.
    Matched(usize),
    /// The `n`th record matched in this batch has its shape.
    Like(usize),
}

impl<'s> Memo<'s> {
    /// Each record's answer, in order; records are matched in parallel.
    pub fn resolve(
        &mut self,
        sigs: &'s Signatures,
        aliases: &Aliases,
        recs: &[&LogRecord],
    ) -> Vec<Arc<Answer<'s>>> {
        let keys: Vec<Option<Vec<u8>>> = recs
            .par_iter()
            .map(|r| {
                let mut key = sigs.prefilter.shape(sigs, r)?;
                // The level decides whether a line is an error to the
                // unmatched list.
                key.push(r.level.map_or(0, |l| l as u8));
                Some(key)
            })
            .collect();
        let mut plans = Vec::with_capacity(recs.len());
        let mut work: Vec<usize> = Vec::new();
        let mut first: FxHashMap<&[u8], usize> = FxHashMap::default();
        for key in &keys {
            let plan = match key.as_deref() {
                Some(k) => match (self.known.get(k), first.get(k)) {
                    (Some(m), _) => Plan::Known(Arc::clone(m)),
                    (None, Some(&n)) => Plan::Like(n),
                    (None, None) => {
                        first.insert(k, work.len());
                        Plan::Matched(work.len())
                    }
                },
                None => Plan::Matched(work.len()),
            };
            if let Plan::Matched(_) = plan {
                work.push(plans.len());
            }
            plans.push(plan);
        }
        let fresh: Vec<Arc<Answer<'s>>> = work
            .par_iter()
            .map(|&i| {
                let o = match_record(sigs, recs[i], aliases);
                Arc::new(Answer::new(o.evidence, o.unmatched))
            })
            .collect();
        for (key, n) in first {
            self.remember(key, &fresh[n]);
        }
        plans
            .into_iter()
            .map(|plan| match plan {
                Plan::Known(m) => m,
                Plan::Matched(n) | Plan::Like(n) => Arc::clone(&fresh[n]),
            })
            .collect()
    }

    fn remember(&mut self, key: &[u8], answer: &Arc<Answer<'s>>) {
        let cost = key.len() + answer.bytes() + 64;
        if self.bytes + cost > MAX_BYTES {
            self.known.clear();
            self.bytes = 0;
        }
        self.bytes += cost;
        self.known.insert(key.into(), Arc::clone(answer));
    }
}
