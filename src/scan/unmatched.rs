//! What the knowledge base is missing: records that match no article,
//! counted under their event key or, for an error line, under the line
//! with its variable parts masked; the most frequent are listed with a
//! ready `kbgen new article` command.
//!
//! The counter keeps at most [`CAPACITY`] keys, so a gigabyte of distinct
//! lines cannot fill memory: when full, the rarest half is dropped (lossy
//! counting), and a key seen again starts over. Frequent keys survive.

use super::prefilter::for_token_spans;
use super::record::{cut, Level, LogRecord};
use crate::analysis::is_noise_token;
use rustc_hash::FxHashMap;

/// Most distinct keys the counter keeps.
pub const CAPACITY: usize = 4096;

/// Longest masked line used as a key.
const KEY_LEN: usize = 160;

/// The key a record without evidence is counted under, and a title for
/// the article that would cover it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// `distributedcom/10016`, or the masked error line.
    pub key: String,
    /// `DistributedCOM event 10016`, or the start of the line.
    pub title: String,
}

/// The unmatched key of `rec`: its event key when it has one, else its
/// first line masked when it is an error; `None` for other lines.
pub fn missing(rec: &LogRecord, event_key: Option<&String>) -> Option<Missing> {
    if let (Some(key), Some(id)) = (event_key, rec.event_id) {
        let source = rec.sources.first().map_or("", String::as_str);
        let source = source.strip_prefix("Microsoft-Windows-").unwrap_or(source);
        return Some(Missing {
            key: key.clone(),
            title: format!("{source} event {id}"),
        });
    }
    masked(error_line(rec)?)
}

/// The first line of `rec` when the unmatched list counts it: when the
/// record is an error.
pub fn error_line(rec: &LogRecord) -> Option<&str> {
    let first = rec.text.lines().find(|l| !l.trim().is_empty())?;
    is_error(rec.level, first).then_some(first)
}

/// The key of an error line: `first` with its variable values masked.
pub fn masked(first: &str) -> Option<Missing> {
    let key = mask(first);
    if key.chars().filter(|c| c.is_alphabetic()).count() < 4 {
        return None;
    }
    let title = cut(&key, 70).trim_end().to_string();
    Some(Missing { key, title })
}

fn is_error(level: Option<Level>, line: &str) -> bool {
    match level {
        Some(l) => l <= Level::Error,
        None => {
            let lower = line.to_ascii_lowercase();
            ["error", "fail", "exception", "fatal"]
                .iter()
                .any(|w| lower.contains(w))
        }
    }
}

/// The line with its variable values masked: each token the analyser
/// takes for noise (GUIDs, times, addresses, long numbers, level words)
/// as `*`, a code in hex (`0x80070005`) kept, every other run of digits
/// as `#` (`web#`, `u#`: host and user names numbered by the thousand
/// are one key), white space collapsed, shortened. Token by token as the prefilter reads tokens, so records of
/// one shape (`prefilter::shape`) have one key: they differ only in
/// tokens that are noise in both and in digits.
fn mask(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut done = 0;
    for_token_spans(line, |span, tok| {
        push_between(&mut out, &line[done..span.start]);
        done = span.end;
        if is_noise_token(tok) {
            out.push('*');
            return;
        }
        // A code is what an article would be written about: two codes are
        // two keys (their digits masked, `0x8007003f` and `0x8007004b` had
        // been told apart by their last letters alone). The shape keeps a
        // token with `0x` as written too, so one shape still has one key.
        if is_hex_code(&line[span.clone()]) {
            out.push_str(&line[span]);
            return;
        }
        let mut digits = false;
        for c in line[span].chars() {
            if !c.is_ascii_digit() {
                out.push(c);
            } else if !digits {
                out.push('#');
            }
            digits = c.is_ascii_digit();
        }
    });
    push_between(&mut out, &line[done..]);
    cut(out.trim(), KEY_LEN).to_string()
}

/// True for a code written `0x` and eight hex digits (an HRESULT, an
/// NTSTATUS, a Win32 error in hex).
fn is_hex_code(tok: &str) -> bool {
    let b = tok.as_bytes();
    b.len() == 10 && b[0] == b'0' && b[1] | 0x20 == b'x' && b[2..].iter().all(u8::is_ascii_hexdigit)
}

/// Text between tokens, its white space collapsed to one space.
fn push_between(out: &mut String, text: &str) {
    for c in text.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
}

/// A bounded count of unmatched keys, each with its first example (`E`:
/// the report's example, a string in tests).
#[derive(Debug)]
pub struct Counter<E = String> {
    keys: FxHashMap<String, (u64, E, String)>,
    /// Records without evidence, all of them (listed or not).
    pub total: u64,
    /// True once keys have been dropped: the counts listed are lower bounds.
    pub pruned: bool,
}

impl<E> Default for Counter<E> {
    fn default() -> Self {
        Counter {
            keys: FxHashMap::default(),
            total: 0,
            pruned: false,
        }
    }
}

/// One line of the unmatched list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<E = String> {
    /// The key.
    pub key: String,
    /// Records counted under it.
    pub count: u64,
    /// Its first record.
    pub example: E,
    /// A title for `kbgen new article`.
    pub title: String,
}

impl<E: Clone> Counter<E> {
    /// Counts `n` records without evidence, of one key (or none);
    /// `example` is called for a new key only.
    pub fn add(&mut self, missing: Option<&Missing>, n: u64, example: impl FnOnce() -> E) {
        self.total += n;
        let Some(m) = missing else { return };
        if let Some(slot) = self.keys.get_mut(&m.key) {
            slot.0 += n;
            return;
        }
        if self.keys.len() >= CAPACITY {
            self.prune();
        }
        self.keys
            .insert(m.key.clone(), (n, example(), m.title.clone()));
    }

    /// Adds the counts of `later`, a count of the records that follow
    /// these (the next region of a file): a key met in both keeps its
    /// example from here. `shift` fixes each example taken from `later`.
    /// Exactly the count of all the records in order, unless the keys
    /// together overflow the table: then it is pruned once, as a full
    /// table is (which may keep other keys than counting the records in
    /// order would have), and its counts are lower bounds as after any
    /// pruning.
    pub fn absorb(&mut self, later: Counter<E>, mut shift: impl FnMut(&mut E)) {
        self.total += later.total;
        self.pruned |= later.pruned;
        for (key, (count, mut example, title)) in later.keys {
            match self.keys.get_mut(&key) {
                Some(slot) => slot.0 += count,
                None => {
                    shift(&mut example);
                    self.keys.insert(key, (count, example, title));
                }
            }
        }
        if self.keys.len() > CAPACITY {
            self.prune();
        }
    }

    fn prune(&mut self) {
        let mut counts: Vec<u64> = self.keys.values().map(|v| v.0).collect();
        let mid = counts.len() / 2;
        let (_, &mut median, _) = counts.select_nth_unstable(mid);
        self.keys.retain(|_, v| v.0 > median);
        if self.keys.len() >= CAPACITY / 2 {
            // Nearly all counts equal: keep the first half met, arbitrarily.
            let drop: Vec<String> = self.keys.keys().skip(CAPACITY / 2).cloned().collect();
            for k in drop {
                self.keys.remove(&k);
            }
        }
        self.pruned = true;
    }

    /// The `n` most frequent keys, most frequent first (ties by key).
    pub fn top(&self, n: usize) -> Vec<Entry<E>> {
        let mut all: Vec<Entry<E>> = self
            .keys
            .iter()
            .map(|(k, (count, example, title))| Entry {
                key: k.clone(),
                count: *count,
                example: example.clone(),
                title: title.clone(),
            })
            .collect();
        all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        all.truncate(n);
        all
    }
}
