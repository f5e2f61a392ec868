//! Matching a batch of records, each shape once. Records of one shape
//! (`prefilter::shape`: the text with its inert variable values masked,
//! each run of inert digits then one, `prefilter::fold_inert_digits`)
//! give the same evidence and, at one level, the same unmatched key
//! (`unmatched::masked` masks what a shape masks, and more), so the first
//! of each shape is matched and the others share its answer, remembered
//! across batches. A shape is made by its skeleton's plan
//! (`prefilter::skeleton`) once the skeleton repeats: three times in a batch,
//! or in two batches. The plan then keeps answers by the record's key (the
//! shapes of the tokens its skeleton leaves open), so most records are
//! answered without a shape.
//!
//! A batch's records are answered in two passes, every key made first and
//! then every key looked up, and each record's answer is one of the
//! batch's distinct answers by place ([`Resolved`]), with no count taken
//! per record. Only the few records without an answer by key ([`Looked`])
//! go on to be shaped, planned and matched.

use super::kb::Signatures;
use super::matcher::{match_record, Evidence};
use super::prefilter::{fold_inert_digits, Plan, Skeleton};
use super::record::LogRecord;
use super::unmatched::Missing;
use crate::signature::events::Aliases;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::sync::Arc;

/// Memory the remembered answers may take before they are forgotten, so
/// a log of endless new shapes stays in bounded memory.
const MAX_BYTES: usize = 32 << 20;

/// What one record gives, shared by the records of its shape and level.
#[derive(Debug, Default, PartialEq)]
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

/// The answers remembered by shape and level, and the plans by skeleton.
#[derive(Debug, Default)]
pub struct Memo<'s> {
    known: FxHashMap<Box<[u8]>, Arc<Answer<'s>>>,
    bytes: usize,
    /// `None` for a skeleton whose shapes are always made in full.
    plans: FxHashMap<Box<[u8]>, Option<Planned<'s>>>,
    /// Memory the plans take, without the answers they keep by key.
    plan_bytes: usize,
    /// Memory the answers kept by key take: a budget of their own, so
    /// that keys filling it are no longer kept, and the plans stay.
    key_bytes: usize,
    /// Skeletons met in an earlier batch without a plan, by hash: a plan is
    /// made when they are met again, so lines that never repeat (a GUID's
    /// letters) cost no plan.
    seen: FxHashSet<u64>,
    /// Match on the calling thread only: its tally is one of several
    /// scanning a file's regions side by side, one thread each, and the
    /// records are still in this core's cache.
    pub(super) alone: bool,
    /// Memos sharing the memory budget: one per region, so a log read in
    /// many regions keeps no more answers and plans than one stream.
    pub(super) sharing: usize,
}

/// A skeleton's plan, and the answers of its records by key
/// ([`crate::scan::prefilter::Prefilter::key_by_plan`]) and level.
#[derive(Debug)]
struct Planned<'s> {
    plan: Plan,
    answers: FxHashMap<Box<[u8]>, Arc<Answer<'s>>>,
    /// The distinct answers of `answers`, each kept and counted once:
    /// most keys of a skeleton give one of a few answers, and an answer
    /// citing many articles takes kilobytes.
    distinct: Vec<Arc<Answer<'s>>>,
}

impl<'s> Planned<'s> {
    fn new(plan: Plan) -> Planned<'s> {
        Planned {
            plan,
            answers: FxHashMap::default(),
            distinct: Vec::new(),
        }
    }

    /// Keeps `answer` for `key` when it costs no more than `room` bytes,
    /// an answer equal to one kept nothing; what it cost.
    fn keep(&mut self, key: Box<[u8]>, answer: &Arc<Answer<'s>>, room: usize) -> usize {
        // A skeleton whose records keep varied tokens (a count that a
        // template holds, say) would fill the memory with keys met once.
        if self.answers.len() >= KEYS_PER_PLAN || self.answers.contains_key(&key) {
            return 0;
        }
        let same = self
            .distinct
            .iter()
            .position(|d| Arc::ptr_eq(d, answer) || **d == **answer);
        let cost = key.len() + KEYED_OVERHEAD + if same.is_some() { 0 } else { answer.bytes() };
        if cost > room {
            return 0;
        }
        let kept = match same {
            Some(i) => Arc::clone(&self.distinct[i]),
            None => {
                self.distinct.push(Arc::clone(answer));
                Arc::clone(answer)
            }
        };
        self.answers.insert(key, kept);
        cost
    }
}

/// A record without an answer by its key (it has no skeleton, its
/// skeleton no plan yet, or its key is new to the plan): what it gives
/// before matching.
#[derive(Default)]
struct Shaped {
    /// Its shape (`None`: it has none).
    shape: Option<Vec<u8>>,
    /// Its skeleton, when it has no plan yet or `key` is new to its plan.
    skeleton: Option<Box<[u8]>>,
    /// Its key and level, new to its skeleton's plan.
    key: Option<Box<[u8]>>,
}

/// A batch's records after its keys are looked up. Nearly every record's
/// key is known to its plan, so the others are kept apart: the passes
/// after the lookups walk them alone, not the whole batch.
struct Looked<'m, 's> {
    /// Each record's answer by its key; `None` for those in `rest`.
    answered: Vec<Option<&'m Arc<Answer<'s>>>>,
    /// The records without one, by their place in the batch.
    rest: Vec<(u32, Shaped)>,
}

/// A batch's answers: record `i`'s is `answers[of[i]]`.
#[derive(Debug, Default)]
pub struct Resolved<'s> {
    /// Each distinct answer once.
    pub answers: Vec<Arc<Answer<'s>>>,
    /// Each record's answer in `answers`.
    pub of: Vec<u32>,
}

impl<'s> Resolved<'s> {
    /// Each record's answer, in order.
    pub fn per_record(&self) -> impl Iterator<Item = &Answer<'s>> {
        self.of.iter().map(|&i| &*self.answers[i as usize])
    }
}

/// The distinct answers of a batch, by address. An answer is counted
/// once per batch, not once per record: an `Arc`'s count is a locked add
/// (and its drop a locked subtract), and on x86 a locked instruction also
/// keeps the loads after it from starting early.
#[derive(Default)]
struct Distinct<'s> {
    answers: Vec<Arc<Answer<'s>>>,
    index: FxHashMap<*const Answer<'s>, u32>,
}

impl<'s> Distinct<'s> {
    /// `answer`'s place in the batch's answers, added when new.
    fn of(&mut self, answer: &Arc<Answer<'s>>) -> u32 {
        *self.index.entry(Arc::as_ptr(answer)).or_insert_with(|| {
            self.answers.push(Arc::clone(answer));
            (self.answers.len() - 1) as u32
        })
    }
}

/// The byte a record's level adds to its shape's or key's end.
fn level_of(rec: &LogRecord) -> u8 {
    rec.level.map_or(0, |l| l as u8)
}

/// `f` of each item, in order: on this thread when `alone`, else in parallel.
fn each<T: Sync, U: Send>(alone: bool, items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    if alone {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

/// Skeletons met without a plan that are remembered, at most.
const SEEN_ONCE: usize = 1 << 18;

/// Times a batch must meet a new skeleton for its plan to be made then:
/// lines that come in pairs with fresh words (a request and its answer)
/// would otherwise cost a plan each that no later line uses.
const PLAN_AFTER: u32 = 3;

/// Memory the plans may take before they are forgotten (without the
/// answers they keep): a plan is a few hundred bytes.
const PLAN_BYTES: usize = 2 << 20;

/// Memory the answers kept by key may take. Once it is full, new keys
/// are answered by their shapes, as before their skeletons had plans:
/// forgetting the plans as well had made a scan in 8 regions (an eighth
/// of the budget each) take three times the CPU of one in 2.
const KEY_BYTES: usize = 8 << 20;

/// Keys whose answers a plan keeps, at most.
const KEYS_PER_PLAN: usize = 256;

/// What an answer kept by key costs besides its key and answer: the key's
/// allocation, the table's slot, and the plan's table when it is the first.
const KEYED_OVERHEAD: usize = 256;

thread_local! {
    static SHAPING: RefCell<Shaping> = RefCell::new(Default::default());
}

/// A thread's buffers for [`Memo::look_up`].
#[derive(Default)]
struct Shaping {
    skeleton: Skeleton,
    key: Vec<u8>,
    /// The keys of the records shaped, one after another.
    keys: Vec<u8>,
}

/// Records shaped by one task when a batch is shaped in parallel.
const SHAPED_TOGETHER: usize = 256;

/// A record's place in [`Resolved::answers`] until it is known.
const UNRESOLVED: u32 = u32::MAX;

/// How a record without an answer by its key gets one.
enum Route {
    /// Its answer is known: its place in the batch's distinct answers.
    Known(u32),
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
    ) -> Resolved<'s> {
        let mut distinct = Distinct::default();
        // Each record's answer's place in `distinct`: the rest's below.
        let mut of: Vec<u32> = Vec::with_capacity(recs.len());
        let mut rest: Vec<(u32, Shaped)> = Vec::new();
        {
            let parts: Vec<Looked<'_, 's>> = if self.alone {
                vec![self.look_up(sigs, recs)]
            } else {
                recs.par_chunks(SHAPED_TOGETHER)
                    .map(|part| self.look_up(sigs, part))
                    .collect()
            };
            for part in parts {
                let base = of.len() as u32;
                rest.extend(part.rest.into_iter().map(|(i, f)| (base + i, f)));
                of.extend(
                    part.answered
                        .into_iter()
                        .map(|a| a.map_or(UNRESOLVED, |a| distinct.of(a))),
                );
            }
        }
        self.plan_new_skeletons(sigs, recs, &rest);
        let keys: Vec<Option<Vec<u8>>> = rest
            .iter_mut()
            .map(|(i, f)| {
                let mut key = f.shape.take()?;
                fold_inert_digits(&mut key);
                // The level decides whether a line is an error to the
                // unmatched list.
                key.push(level_of(recs[*i as usize]));
                Some(key)
            })
            .collect();
        let mut routes = Vec::with_capacity(rest.len());
        let mut work: Vec<usize> = Vec::new();
        let mut first: FxHashMap<&[u8], usize> = FxHashMap::default();
        for ((i, _), key) in rest.iter().zip(&keys) {
            let route = match key.as_deref() {
                Some(k) => match (self.known.get(k), first.get(k)) {
                    (Some(m), _) => Route::Known(distinct.of(m)),
                    (None, Some(&n)) => Route::Like(n),
                    (None, None) => {
                        first.insert(k, work.len());
                        Route::Matched(work.len())
                    }
                },
                None => Route::Matched(work.len()),
            };
            if let Route::Matched(_) = route {
                work.push(*i as usize);
            }
            routes.push(route);
        }
        let fresh: Vec<Arc<Answer<'s>>> = each(self.alone, &work, |&i| {
            let o = match_record(sigs, recs[i], aliases);
            Arc::new(Answer::new(o.evidence, o.unmatched))
        });
        for (key, n) in first {
            self.remember(key, &fresh[n]);
        }
        for ((i, _), route) in rest.iter().zip(routes) {
            of[*i as usize] = match route {
                Route::Known(a) => a,
                Route::Matched(n) | Route::Like(n) => distinct.of(&fresh[n]),
            };
        }
        debug_assert!(of.iter().all(|&a| a != UNRESOLVED), "every record answered");
        // The answers of new keys, kept on their plans.
        let key_budget = self.share(KEY_BYTES);
        for (i, f) in &mut rest {
            if let (Some(k), Some(s)) = (f.key.take(), &f.skeleton) {
                if let Some(Some(p)) = self.plans.get_mut(&s[..]) {
                    let a = &distinct.answers[of[*i as usize] as usize];
                    self.key_bytes += p.keep(k, a, key_budget.saturating_sub(self.key_bytes));
                }
            }
        }
        Resolved {
            answers: distinct.answers,
            of,
        }
    }

    /// Each record's answer by its skeleton's plan and its key; the
    /// records without one apart, with their shapes, and their skeletons
    /// when these have no plan yet. In two passes: every record's key
    /// first, then every key's answer, one lookup after another. With
    /// each answer counted once per batch ([`Distinct`]), a scan took
    /// about 5% less CPU time than with each key made and looked up in
    /// turn (README, "Scanning a log"); apart, neither change showed. The
    /// lookups wait on memory (the plans' tables outgrow the cache a
    /// streaming log leaves them), and in a row, with no locked
    /// instruction between them, those waits can overlap.
    fn look_up<'m>(&'m self, sigs: &Signatures, recs: &[&LogRecord]) -> Looked<'m, 's> {
        let pre = &sigs.prefilter;
        SHAPING.with_borrow_mut(
            |Shaping {
                 skeleton,
                 key,
                 keys,
             }| {
                keys.clear();
                let mut answered = vec![None; recs.len()];
                let mut rest = Vec::new();
                // Records with a plan: their place, plan, and key in `keys`.
                let mut keyed: Vec<(u32, &Planned<'s>, u32, u32)> = Vec::with_capacity(recs.len());
                for (i, rec) in recs.iter().enumerate() {
                    let i = i as u32;
                    if !pre.skeleton(rec, skeleton) {
                        rest.push((i, Shaped::default()));
                        continue;
                    }
                    match self.plans.get(skeleton.bytes.as_slice()) {
                        Some(Some(p)) => {
                            pre.key_by_plan(sigs, rec, &p.plan, skeleton, key);
                            key.push(level_of(rec));
                            let at = keys.len() as u32;
                            keys.extend_from_slice(key);
                            keyed.push((i, p, at, keys.len() as u32));
                        }
                        Some(None) => rest.push((
                            i,
                            Shaped {
                                shape: pre.shape(sigs, rec),
                                ..Shaped::default()
                            },
                        )),
                        None => rest.push((
                            i,
                            Shaped {
                                shape: pre.shape(sigs, rec),
                                skeleton: Some(skeleton.bytes.as_slice().into()),
                                ..Shaped::default()
                            },
                        )),
                    }
                }
                let before_new_keys = rest.len();
                for (i, p, from, to) in keyed {
                    let key = &keys[from as usize..to as usize];
                    match p.answers.get(key) {
                        Some(a) => answered[i as usize] = Some(a),
                        None => {
                            // A key new to its plan (rare): the skeleton again.
                            let rec = recs[i as usize];
                            pre.skeleton(rec, skeleton);
                            let shape = pre.shape_by_plan(sigs, rec, &p.plan, skeleton);
                            rest.push((
                                i,
                                Shaped {
                                    shape: Some(shape),
                                    skeleton: Some(skeleton.bytes.as_slice().into()),
                                    key: Some(key.into()),
                                },
                            ));
                        }
                    }
                }
                if rest.len() > before_new_keys {
                    // In the batch's order, as they are matched.
                    rest.sort_unstable_by_key(|(i, _)| *i);
                }
                Looked { answered, rest }
            },
        )
    }

    /// Makes the plans of the skeletons without one that this batch met
    /// [`PLAN_AFTER`] times, or an earlier batch met too.
    fn plan_new_skeletons(
        &mut self,
        sigs: &Signatures,
        recs: &[&LogRecord],
        rest: &[(u32, Shaped)],
    ) {
        let mut new: FxHashMap<&[u8], (usize, u32)> = FxHashMap::default();
        for (i, f) in rest {
            if let (None, Some(s)) = (&f.key, &f.skeleton) {
                new.entry(s).or_insert((*i as usize, 0)).1 += 1;
            }
        }
        let mut wanted: Vec<(&[u8], usize)> = Vec::new();
        for (s, (first, n)) in new {
            let hash = FxBuildHasher.hash_one(s);
            if n >= PLAN_AFTER || self.seen.contains(&hash) {
                wanted.push((s, first));
            } else {
                if self.seen.len() >= SEEN_ONCE {
                    self.seen.clear();
                }
                self.seen.insert(hash);
            }
        }
        let plans: Vec<Option<Plan>> = each(self.alone, &wanted, |&(_, i)| {
            sigs.prefilter.plan(sigs, recs[i])
        });
        for ((s, _), plan) in wanted.into_iter().zip(plans) {
            let cost = s.len() + plan.as_ref().map_or(0, Plan::bytes) + 64;
            if self.plan_bytes + cost > self.share(PLAN_BYTES) {
                self.plans.clear();
                self.plan_bytes = 0;
                self.key_bytes = 0;
            }
            self.plan_bytes += cost;
            let planned = plan.map(Planned::new);
            self.plans.insert(s.into(), planned);
        }
    }

    /// This memo's part of a memory budget.
    fn share(&self, budget: usize) -> usize {
        budget / self.sharing.max(1)
    }

    fn remember(&mut self, key: &[u8], answer: &Arc<Answer<'s>>) {
        let cost = key.len() + answer.bytes() + 64;
        if self.bytes + cost > self.share(MAX_BYTES) {
            self.known.clear();
            self.bytes = 0;
        }
        self.bytes += cost;
        self.known.insert(key.into(), Arc::clone(answer));
    }
}

#[cfg(test)]
mod tests {
    use super::{Answer, Distinct, Planned, KEYED_OVERHEAD, KEYS_PER_PLAN};
    use crate::scan::matcher::{Evidence, Kind};
    use std::sync::Arc;

    /// An answer citing `articles` articles, made anew each time.
    fn answer(articles: u32) -> Arc<Answer<'static>> {
        let evidence = (0..articles)
            .map(|article| Evidence {
                article,
                kind: Kind::Code,
                key: "0x800f090d",
                detail: "CBS_E_MISSING_PACKAGE_MAPPING_INDEX",
                share: 1.0,
                strength: 0.5,
            })
            .collect();
        Arc::new(Answer::new(evidence, None))
    }

    /// One answer met again has its first place; an equal answer made
    /// apart has a place of its own (records are grouped by answer, as
    /// they were by address), and each is counted once.
    #[test]
    fn a_batch_counts_each_distinct_answer_once() {
        let mut d = Distinct::default();
        let (a, b) = (answer(2), answer(2));
        assert_eq!([d.of(&a), d.of(&b), d.of(&a), d.of(&b)], [0, 1, 0, 1]);
        assert_eq!(d.answers.len(), 2);
        assert_eq!(Arc::strong_count(&a), 2);
    }

    /// Keys of one skeleton with equal answers (each matched on its own)
    /// keep one of them, and cost their keys alone after the first.
    #[test]
    fn equal_answers_of_a_plan_are_kept_once() {
        let mut p = Planned::new(Default::default());
        let first = answer(100);
        let cost = p.keep(b"k0".to_vec().into(), &first, usize::MAX);
        assert_eq!(cost, 2 + KEYED_OVERHEAD + first.bytes());
        assert!(first.bytes() > 5000, "{}", first.bytes());
        for k in 1..50 {
            let key = format!("k{k}").into_bytes().into_boxed_slice();
            let len = key.len();
            assert_eq!(p.keep(key, &answer(100), usize::MAX), len + KEYED_OVERHEAD);
        }
        let other = answer(3);
        assert!(p.keep(b"other".to_vec().into(), &other, usize::MAX) > other.bytes());
        assert_eq!(p.distinct.len(), 2);
        let sharing_first = p.answers.values().filter(|a| Arc::ptr_eq(a, &first));
        assert_eq!(sharing_first.count(), 50);
    }

    /// A key is not kept when it costs more than the room left, or when
    /// the plan holds its most keys; a key kept already costs nothing.
    #[test]
    fn keys_stop_being_kept_at_the_budget_and_the_plan_limit() {
        let mut p = Planned::new(Default::default());
        let a = answer(10);
        assert_eq!(p.keep(b"a".to_vec().into(), &a, 10), 0);
        assert!(p.answers.is_empty());
        assert!(p.keep(b"a".to_vec().into(), &a, usize::MAX) > 0);
        assert_eq!(p.keep(b"a".to_vec().into(), &a, usize::MAX), 0);
        for k in 1..KEYS_PER_PLAN + 10 {
            p.keep(k.to_string().into_bytes().into(), &a, usize::MAX);
        }
        assert_eq!(p.answers.len(), KEYS_PER_PLAN);
    }
}
