//! Matching a batch of records, each shape once. Records of one shape
//! (`prefilter::shape`: the text with its inert variable values masked)
//! give the same evidence, so the first of each shape is matched and the
//! others share its answer, remembered across batches. Only the unmatched
//! list's key is made from each record, since it shows the record's own
//! words.

use super::kb::Signatures;
use super::matcher::{match_record, unmatched_key, Evidence};
use super::record::LogRecord;
use super::unmatched::Missing;
use crate::signature::events::Aliases;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Memory the remembered answers may take before they are forgotten, so
/// a log of endless new shapes stays in bounded memory.
const MAX_BYTES: usize = 32 << 20;

/// The evidence of one record, shared by the records of its shape.
#[derive(Debug, Default)]
pub struct Answer<'s> {
    /// Every signature found, at most one per (article, kind, key).
    pub evidence: Vec<Evidence<'s>>,
    /// The articles of `evidence`, each once, in its order.
    pub articles: Vec<u32>,
}

impl<'s> Answer<'s> {
    fn new(evidence: Vec<Evidence<'s>>) -> Answer<'s> {
        let mut articles: Vec<u32> = Vec::new();
        for ev in &evidence {
            if !articles.contains(&ev.article) {
                articles.push(ev.article);
            }
        }
        Answer { evidence, articles }
    }

    fn bytes(&self) -> usize {
        self.evidence.len() * std::mem::size_of::<Evidence>() + self.articles.len() * 4
    }
}

/// What one record of a batch gives.
#[derive(Debug)]
pub struct Resolved<'s> {
    /// Its evidence, shared with the records of its shape.
    pub matched: Arc<Answer<'s>>,
    /// Without evidence: its key in the unmatched list.
    pub unmatched: Option<Missing>,
}

/// The answers remembered by shape.
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
    ) -> Vec<Resolved<'s>> {
        let shapes: Vec<Option<Vec<u8>>> = recs
            .par_iter()
            .map(|r| sigs.prefilter.shape(sigs, r))
            .collect();
        let mut plans = Vec::with_capacity(recs.len());
        let mut work: Vec<usize> = Vec::new();
        let mut first: FxHashMap<&[u8], usize> = FxHashMap::default();
        for (i, shape) in shapes.iter().enumerate() {
            let plan = match shape.as_deref() {
                Some(s) => match (self.known.get(s), first.get(s)) {
                    (Some(m), _) => Plan::Known(Arc::clone(m)),
                    (None, Some(&n)) => Plan::Like(n),
                    (None, None) => {
                        first.insert(s, work.len());
                        Plan::Matched(work.len())
                    }
                },
                None => Plan::Matched(work.len()),
            };
            if let Plan::Matched(_) = plan {
                work.push(i);
            }
            plans.push(plan);
        }
        let outcomes: Vec<_> = work
            .par_iter()
            .map(|&i| match_record(sigs, recs[i], aliases))
            .collect();
        let mut fresh: Vec<(Arc<Answer<'s>>, Option<Missing>)> = outcomes
            .into_iter()
            .map(|o| (Arc::new(Answer::new(o.evidence)), o.unmatched))
            .collect();
        for (shape, n) in first {
            self.remember(shape, &fresh[n].0);
        }
        // Records sharing an answer without evidence: their own keys.
        let shared = |p: &Plan<'s>| match p {
            Plan::Known(m) => Some(Arc::clone(m)),
            Plan::Like(n) => Some(Arc::clone(&fresh[*n].0)),
            Plan::Matched(_) => None,
        };
        let keys: Vec<Option<Missing>> = plans
            .par_iter()
            .zip(recs.par_iter())
            .map(|(p, r)| match shared(p) {
                Some(m) if m.evidence.is_empty() => unmatched_key(r),
                _ => None,
            })
            .collect();
        plans
            .into_iter()
            .zip(keys)
            .map(|(plan, key)| match plan {
                Plan::Matched(n) => {
                    let (matched, unmatched) = &mut fresh[n];
                    Resolved {
                        matched: Arc::clone(matched),
                        unmatched: unmatched.take(),
                    }
                }
                Plan::Known(m) => Resolved {
                    matched: m,
                    unmatched: key,
                },
                Plan::Like(n) => Resolved {
                    matched: Arc::clone(&fresh[n].0),
                    unmatched: key,
                },
            })
            .collect()
    }

    fn remember(&mut self, shape: &[u8], matched: &Arc<Answer<'s>>) {
        let cost = shape.len() + matched.bytes() + 64;
        if self.bytes + cost > MAX_BYTES {
            self.known.clear();
            self.bytes = 0;
        }
        self.bytes += cost;
        self.known.insert(shape.into(), Arc::clone(matched));
    }
}
