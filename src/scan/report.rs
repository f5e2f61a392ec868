//! Tallies matched records per article and builds the report: articles
//! strongest evidence first, then by records, then by their other
//! evidence; the unmatched keys; what could not be read. The JSON shape is
//! the one issue 17 fixes, with `source` as `kbgen search --json` prints it.

use super::kb::Signatures;
use super::matcher::Kind;
use super::record::{Level, LogRecord};
use super::shapes::Memo;
use super::stamp::Stamp;
use super::unmatched::Counter;
use crate::plural::plural;
use crate::signature::events::Aliases;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Which records to look at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Only records at or after this time (records without a time are kept).
    pub since: Option<Stamp>,
    /// Only records at or before this time (records without a time are kept).
    pub until: Option<Stamp>,
    /// Only records at least this severe (records without a level are kept).
    pub min_level: Option<Level>,
}

impl Filter {
    fn keeps(&self, r: &LogRecord) -> bool {
        let within = match r.time {
            Some(t) => {
                self.since.is_none_or(|s| t.compare(&s) != Ordering::Less)
                    && self
                        .until
                        .is_none_or(|u| t.compare(&u) != Ordering::Greater)
            }
            None => true,
        };
        let severe = match (self.min_level, r.level) {
            (Some(min), Some(l)) => l <= min,
            _ => true,
        };
        within && severe
    }

    /// Why the filter keeps no record at all, when it cannot: `since`
    /// after `until` (both with a year, or both without).
    pub fn empty_window(&self) -> Option<String> {
        let (since, until) = (self.since?, self.until?);
        let comparable = since.has_year() == until.has_year();
        (comparable && since.compare(&until) == Ordering::Greater).then(|| {
            format!("the time to look from ({since}) is after the time to look until ({until})")
        })
    }
}

/// Where records come from, for the examples: a file and how it counts.
#[derive(Debug, Clone)]
pub struct Place {
    /// The file as named on the command line (`-` for stdin).
    pub file: String,
    /// True when `LogRecord::at` is a line number, false for a record number.
    pub lines: bool,
}

impl Place {
    fn example(&self, r: &LogRecord) -> Example {
        Example {
            file: self.file.clone(),
            lines: self.lines,
            at: r.at,
            summary: r.summary(300),
        }
    }
}

/// A record shown as an example, put into words when the report is made:
/// a region of a file scanned beside the regions before it learns where
/// its lines start only when they are done ([`Tally::absorb`]).
#[derive(Debug, Clone, Default)]
struct Example {
    file: String,
    lines: bool,
    at: u64,
    summary: String,
}

impl Example {
    fn text(&self) -> String {
        let Example {
            file, at, summary, ..
        } = self;
        if self.lines {
            format!("{file}:{at}: {summary}")
        } else {
            format!("{file} record {at}: {summary}")
        }
    }
}

/// Something that could not be read, and what was done about it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub file: String,
    /// Where in it (`line 12`, `chunk 3 at offset 0x30000`); empty for the whole file.
    pub at: String,
    /// Why, and what happened to the rest.
    pub reason: String,
}

#[derive(Debug, Default)]
struct ArticleTally<'s> {
    count: u64,
    first: Option<Stamp>,
    last: Option<Stamp>,
    example: Option<Example>,
    /// What matched, by (kind, key).
    evidence: BTreeMap<(Kind, &'s str), Found<'s>>,
}

/// One signature of an article, over all the records it was found in.
#[derive(Debug, Default)]
struct Found<'s> {
    /// Detail of its strongest match.
    detail: &'s str,
    /// Its strongest match's share (templates).
    share: f64,
    /// Its strongest match's strength.
    strength: f64,
    /// Records it was found in.
    records: u64,
}

/// Records of one batch with the same answer, counted together.
#[derive(Debug, Default)]
struct Group {
    /// Its first record's place in the batch.
    first_record: usize,
    records: u64,
    /// The earliest and latest times, as an article's are kept.
    first: Option<Stamp>,
    last: Option<Stamp>,
    /// Its times are kept: its answer has evidence (the unmatched list
    /// counts records, with no times).
    timed: bool,
}

impl Group {
    fn add(&mut self, time: Option<Stamp>) {
        self.records += 1;
        if let (true, Some(time)) = (self.timed, time) {
            earliest(&mut self.first, time);
            latest(&mut self.last, time);
        }
    }
}

/// Keeps the earlier time; of equal ones, the one seen first.
fn earliest(kept: &mut Option<Stamp>, time: Stamp) {
    if kept
        .as_ref()
        .is_none_or(|a| time.order(a) == Ordering::Less)
    {
        *kept = Some(time);
    }
}

/// Keeps the later time; of equal ones, the one seen last.
fn latest(kept: &mut Option<Stamp>, time: Stamp) {
    if kept
        .as_ref()
        .is_none_or(|a| time.order(a) != Ordering::Less)
    {
        *kept = Some(time);
    }
}

/// The running totals of a scan.
pub struct Tally<'a> {
    sigs: &'a Signatures,
    aliases: &'a Aliases,
    filter: Filter,
    records: u64,
    filtered: u64,
    articles: FxHashMap<u32, ArticleTally<'a>>,
    unmatched: Counter<Example>,
    skipped: Vec<Skipped>,
    memo: Memo<'a>,
}

impl<'a> Tally<'a> {
    /// An empty tally against `sigs`.
    pub fn new(sigs: &'a Signatures, aliases: &'a Aliases, filter: Filter) -> Tally<'a> {
        Tally {
            sigs,
            aliases,
            filter,
            records: 0,
            filtered: 0,
            articles: FxHashMap::default(),
            unmatched: Counter::default(),
            skipped: Vec::new(),
            memo: Memo::default(),
        }
    }

    /// Notes something that could not be read.
    pub fn skip(&mut self, s: Skipped) {
        // After Ctrl-C every log is cut short on purpose: no damage to report.
        if super::stop::requested() {
            return;
        }
        self.skipped.push(s);
    }

    /// An empty tally like this one, whose batches are matched on the
    /// calling thread: one of the `regions` tallies of a file's regions
    /// scanned side by side, each region on a thread of its own, which
    /// share the memory the remembered answers may take.
    pub fn fork(&self, regions: usize) -> Tally<'a> {
        let mut t = Tally::new(self.sigs, self.aliases, self.filter);
        t.memo.alone = true;
        t.memo.sharing = regions;
        t
    }

    /// Adds `later`, the tally of the records that follow those counted
    /// here; its line numbers start after `lines_before` lines. The same
    /// report as one tally of all the records in order (but for an
    /// unmatched list that overflows: see [`Counter::absorb`]).
    pub fn absorb(&mut self, later: Tally<'a>, lines_before: u64) {
        let shift = |e: &mut Example| {
            if e.lines {
                e.at += lines_before;
            }
        };
        self.records += later.records;
        self.filtered += later.filtered;
        self.skipped.extend(later.skipped);
        self.unmatched.absorb(later.unmatched, shift);
        // Article by article as `feed` counts a group: examples, times and
        // strongest matches are kept from the earlier records on a tie.
        let mut articles: Vec<(u32, ArticleTally<'a>)> = later.articles.into_iter().collect();
        articles.sort_unstable_by_key(|(a, _)| *a);
        for (article, l) in articles {
            let t = self.articles.entry(article).or_default();
            t.count += l.count;
            if t.example.is_none() {
                t.example = l.example.map(|mut e| {
                    shift(&mut e);
                    e
                });
            }
            if let Some(time) = l.first {
                earliest(&mut t.first, time);
            }
            if let Some(time) = l.last {
                latest(&mut t.last, time);
            }
            for (key, f) in l.evidence {
                let found = t.evidence.entry(key).or_default();
                found.records += f.records;
                if f.strength > found.strength {
                    (found.detail, found.share, found.strength) = (f.detail, f.share, f.strength);
                }
            }
        }
    }

    /// Matches a batch of records (in parallel, but for a region's tally:
    /// [`Tally::fork`]) and counts them.
    pub fn feed(&mut self, batch: &[LogRecord], place: &Place) {
        let kept: Vec<&LogRecord> = batch.iter().filter(|r| self.filter.keeps(r)).collect();
        self.filtered += (batch.len() - kept.len()) as u64;
        let resolved = self.memo.resolve(self.sigs, self.aliases, &kept);
        self.records += kept.len() as u64;
        // Records with the same answer are counted together: its evidence,
        // or its unmatched key, is walked once per batch, not per record.
        let mut groups: Vec<Group> = (resolved.answers.iter())
            .map(|a| Group {
                timed: !a.evidence.is_empty(),
                ..Group::default()
            })
            .collect();
        for (i, (rec, &a)) in kept.iter().zip(&resolved.of).enumerate() {
            let g = &mut groups[a as usize];
            if g.records == 0 {
                g.first_record = i;
            }
            g.add(rec.time);
        }
        // In the order of their first records, so each article's (and
        // each unmatched key's) example is its first record, as when
        // counted one by one. (An unmatched list that fills mid-batch may
        // then keep other keys than counting record by record would: its
        // counts are lower bounds once pruned, either way.)
        let mut order: Vec<usize> = (0..groups.len()).collect();
        order.sort_unstable_by_key(|&a| groups[a].first_record);
        for a in order {
            let (g, matched) = (&groups[a], &resolved.answers[a]);
            let first = kept[g.first_record];
            if matched.evidence.is_empty() {
                self.unmatched
                    .add(matched.unmatched.as_ref(), g.records, || {
                        place.example(first)
                    });
                continue;
            }
            for &article in &matched.articles {
                let t = self.articles.entry(article).or_default();
                t.count += g.records;
                if t.example.is_none() {
                    t.example = Some(place.example(first));
                }
                if let Some(time) = g.first {
                    earliest(&mut t.first, time);
                }
                if let Some(time) = g.last {
                    latest(&mut t.last, time);
                }
            }
            for ev in &matched.evidence {
                let t = self.articles.entry(ev.article).or_default();
                let found = t.evidence.entry((ev.kind, ev.key)).or_default();
                found.records += g.records;
                if ev.strength > found.strength {
                    (found.detail, found.share, found.strength) =
                        (ev.detail, ev.share, ev.strength);
                }
            }
        }
    }

    /// The report, with the `unmatched` most frequent unmatched keys.
    pub fn finish(self, unmatched: usize) -> Report {
        let mut ranked: Vec<(Score, u32, ArticleTally<'a>)> = self
            .articles
            .into_iter()
            .map(|(a, t)| (score(&t), a, t))
            .collect();
        ranked.sort_by(|a, b| {
            b.0.best
                .total_cmp(&a.0.best)
                .then(b.0.top.cmp(&a.0.top))
                .then(b.0.total.total_cmp(&a.0.total))
                .then(b.2.count.cmp(&a.2.count))
                .then(a.1.cmp(&b.1))
        });
        let articles = ranked
            .into_iter()
            .map(|(_, a, t)| article_report(&self.sigs.articles[a as usize], t))
            .collect();
        Report {
            records: self.records,
            articles,
            unmatched: self
                .unmatched
                .top(unmatched)
                .into_iter()
                .map(|e| Unmatched {
                    key: e.key,
                    count: e.count,
                    example: e.example.text(),
                    title: e.title,
                })
                .collect(),
            skipped: self.skipped,
            filtered: self.filtered,
            unmatched_records: self.unmatched.total,
            unmatched_pruned: self.unmatched.pruned,
            interrupted: false,
        }
    }
}

/// How an article ranks, each part deciding only where the ones before it tie.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Score {
    /// Its strongest evidence: an event above a code above a template; an
    /// event the article is about above one it mentions; a code few
    /// articles cite above one many do; a template's strength.
    best: f64,
    /// The records of its most frequent signature of that strength. Not
    /// the records of all its signatures: an article citing many events
    /// would otherwise outrank the one about the log's most frequent known
    /// event.
    top: u64,
    /// The weights of all its signatures found, each once: of the many
    /// articles citing a common code, the one whose message template the
    /// log's lines also cover comes first.
    total: f64,
}

fn score(t: &ArticleTally<'_>) -> Score {
    let weight = |kind: &Kind, s: f64| match kind {
        Kind::Template => kind.weight() + 0.9 * s,
        Kind::Event | Kind::Code => kind.weight() + 0.5 * s,
    };
    let weights = || {
        t.evidence
            .iter()
            .map(|((kind, _), f)| (weight(kind, f.strength), f))
    };
    let best = weights().map(|(w, _)| w).fold(0.0, f64::max);
    let top = weights()
        .filter(|(w, _)| *w >= best - 1e-9)
        .map(|(_, f)| f.records)
        .max()
        .unwrap_or(0);
    // Added largest first, as the browser's twin adds them, so that both
    // get the same sum whatever order they met the signatures in.
    let mut all: Vec<f64> = weights().map(|(w, _)| w).collect();
    all.sort_by(|a, b| b.total_cmp(a));
    let total = all.iter().sum();
    Score { best, top, total }
}

fn article_report(a: &super::kb::Article, t: ArticleTally<'_>) -> ArticleReport {
    let mut matched: Vec<((Kind, &str), Found<'_>)> = t.evidence.into_iter().collect();
    matched.sort_by(|(a, fa), (b, fb)| {
        (a.0.cmp(&b.0))
            .then(fb.strength.total_cmp(&fa.strength))
            .then(fb.records.cmp(&fa.records))
    });
    ArticleReport {
        source: a.source.clone(),
        url: a.url.clone(),
        title: a.title.clone(),
        matched: matched
            .into_iter()
            .map(|((kind, key), f)| Matched {
                kind: kind.name(),
                key: key.to_string(),
                detail: match (kind, f.detail) {
                    (Kind::Template, _) => format!(
                        "{:.0}% of the template; {}",
                        f.share * 100.0,
                        plural(f.records, "record")
                    ),
                    (_, "") => plural(f.records, "record"),
                    (_, d) => format!("{d}; {}", plural(f.records, "record")),
                },
            })
            .collect(),
        count: t.count,
        first: t.first.map(|s| s.to_string()),
        last: t.last.map(|s| s.to_string()),
        example: t.example.as_ref().map(Example::text).unwrap_or_default(),
    }
}

/// What `kbgen scan` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Records looked at (after `--since` and `--min-level`).
    pub records: u64,
    /// Articles whose signatures occur, best first.
    pub articles: Vec<ArticleReport>,
    /// The most frequent keys of records that matched nothing.
    pub unmatched: Vec<Unmatched>,
    /// What could not be read.
    pub skipped: Vec<Skipped>,
    /// Records left out by `--since`, `--until` and `--min-level`.
    #[serde(skip)]
    pub filtered: u64,
    /// Records that matched no article.
    #[serde(skip)]
    pub unmatched_records: u64,
    /// True when the unmatched counts are lower bounds (too many distinct keys).
    #[serde(skip)]
    pub unmatched_pruned: bool,
    /// True when Ctrl-C stopped the scan: the report covers the records
    /// read before it. Left out of the JSON otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

/// One article of the report.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    /// Source path relative to the content folder.
    pub source: String,
    /// Page path from the site root.
    pub url: String,
    /// Title.
    pub title: String,
    /// What matched, strongest kind first.
    pub matched: Vec<Matched>,
    /// Records in which its signatures occur.
    pub count: u64,
    /// Earliest time among them, as the log wrote it.
    pub first: Option<String>,
    /// Latest time among them.
    pub last: Option<String>,
    /// The first of them.
    pub example: String,
}

/// One signature that matched (the shape of `kbgen search --json`'s `matched`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Matched {
    /// `event`, `code` or `template`.
    pub kind: &'static str,
    /// Event key, canonical code or template text.
    pub key: String,
    /// The source as the article writes it, the code's name, the share covered.
    pub detail: String,
}

/// One unmatched key.
#[derive(Debug, Clone, Serialize)]
pub struct Unmatched {
    /// Event key or masked error line.
    pub key: String,
    /// Records counted under it.
    pub count: u64,
    /// Its first record.
    pub example: String,
    /// A title for `kbgen new article`.
    #[serde(skip)]
    pub title: String,
}
