//! Index terms interned once per process, so that an article's terms are
//! counted, handed to both index writers and dropped without a string of
//! their own: the counter, the browser index's postings and the search
//! document compare two terms by address and keep 16 bytes for each.
//!
//! Only the terms of indexed articles are interned (never a query's or a
//! scanned log's words), and each term's text is kept for the rest of the
//! process: a build's vocabulary, which `kbgen serve` meets again at every
//! rebuild, so it grows only with the new words of edited articles.

use rustc_hash::FxHashSet;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{OnceLock, RwLock};

/// An interned index term (`w:share`). Equal terms are the same string, so
/// equality and the hash are the address's: neither reads the text. A map
/// keyed by `Interned` is therefore gone through in an order that changes
/// from run to run; whatever is written from one is sorted by the text
/// first.
#[derive(Clone, Copy)]
pub struct Interned(&'static str);

impl Interned {
    /// The one `Interned` of `term`.
    pub fn of(term: &str) -> Interned {
        let hash = rustc_hash::FxBuildHasher.hash_one(term);
        let set = &table()[(hash >> 58) as usize];
        if let Some(&kept) = set.read().unwrap_or_else(|e| e.into_inner()).get(term) {
            return Interned(kept);
        }
        let mut set = set.write().unwrap_or_else(|e| e.into_inner());
        // Another thread may have added it between the two locks.
        if let Some(&kept) = set.get(term) {
            return Interned(kept);
        }
        let kept: &'static str = Box::leak(term.into());
        set.insert(kept);
        Interned(kept)
    }

    /// The term's text.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// Shards of the table, so that threads interning at once seldom wait on
/// one lock: 64, by the top bits of the term's hash.
type Shards = [RwLock<FxHashSet<&'static str>>; 64];

fn table() -> &'static Shards {
    static TABLE: OnceLock<Shards> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|_| RwLock::default()))
}

impl PartialEq for Interned {
    fn eq(&self, other: &Interned) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Interned {}

impl Hash for Interned {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.as_ptr() as usize);
    }
}

impl std::ops::Deref for Interned {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl std::fmt::Debug for Interned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for Interned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Interned;

    #[test]
    fn one_term_is_one_string() {
        let a = Interned::of("w:share");
        let b = Interned::of(&String::from("w:share"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, b);
        assert_ne!(a, Interned::of("w:shared"));
        assert_eq!(&*a, "w:share");
    }

    #[test]
    fn threads_agree_on_each_term() {
        let terms: Vec<Vec<&'static str>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        (0..200)
                            .map(|k| Interned::of(&format!("w:race{k}")).as_str())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for t in &terms[1..] {
            assert!(t.iter().zip(&terms[0]).all(|(a, b)| std::ptr::eq(*a, *b)));
        }
    }
}
