//! Token classes (and lower cases) remembered per thread: a class depends
//! on the token alone, and the same words come back in article after
//! article, so a build classified (and stemmed) each of them again at
//! every occurrence.

use super::tokens::{classify, lower_case, Known};
use rustc_hash::FxHashSet;
use std::borrow::{Borrow, Cow};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// [`classify`] of the token `text`, and its lower case, as this thread
/// remembers them.
pub(super) fn classified(text: &str) -> Rc<Known> {
    thread_local! {
        static CACHE: std::cell::RefCell<Generations> = std::cell::RefCell::default();
    }
    CACHE.with_borrow_mut(|cache| cache.get(text, || known(text)))
}

fn known(text: &str) -> Known {
    let lower = lower_case(text);
    let class = classify(text, &lower);
    Known::new(
        text,
        class,
        match lower {
            Cow::Borrowed(_) => None,
            Cow::Owned(l) => Some(l.into_boxed_str()),
        },
    )
}

/// Classes remembered in two generations, so that a thread keeps the
/// tokens it still meets and forgets the others whatever the size of the
/// build: a token is looked up in the young one, then in the old one
/// (and moved back to the young one); when the young one is full it
/// becomes the old one, and the old one is dropped. Articles come folder
/// by folder, each with words of its own: keeping the first tokens met
/// instead missed most tokens of the later folders.
#[derive(Default)]
struct Generations {
    young: FxHashSet<Entry>,
    old: FxHashSet<Entry>,
}

/// A remembered token, looked up by its text ([`Known::key`]). The text
/// is in the same allocation as its class: a lookup that held it in a
/// string of its own read two allocations, the text's and then the
/// class's, which the analysis reads next.
struct Entry(Rc<Known>);

impl Borrow<[u8]> for Entry {
    fn borrow(&self) -> &[u8] {
        self.0.key.as_bytes()
    }
}

// Hashed and compared as the `[u8]` it borrows as, as `Borrow` requires.
impl Hash for Entry {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.key.as_bytes().hash(state);
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.0.key.as_bytes() == other.0.key.as_bytes()
    }
}

impl Eq for Entry {}

impl Generations {
    /// Tokens per generation: at most twice this many are kept, 152 bytes
    /// each with a short token's text and terms (10 MB a thread). On the
    /// 8,104 real articles, 1 << 13 missed 214,000 of 5.6 million lookups
    /// and moved 145,000 back from the old generation; 1 << 15 misses
    /// 154,000 and moves 46,000.
    const SIZE: usize = 1 << 15;

    fn get(&mut self, text: &str, classify: impl FnOnce() -> Known) -> Rc<Known> {
        let key = text.as_bytes();
        if let Some(entry) = self.young.get(key) {
            return Rc::clone(&entry.0);
        }
        let class = match self.old.take(key) {
            Some(kept) => kept.0,
            None => Rc::new(classify()),
        };
        if self.young.len() >= Self::SIZE {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(Entry(Rc::clone(&class)));
        class
    }
}

#[cfg(test)]
mod tests {
    use super::Generations;
    use crate::analysis::tokens::{Class, Known};

    #[test]
    fn a_token_met_again_is_classified_once_and_the_cache_stays_bounded() {
        let mut cache = Generations::default();
        let mut classified = 0;
        let mut get = |cache: &mut Generations, t: &str| {
            cache.get(t, || {
                classified += 1;
                Known::new(t, Class::Dropped, None)
            })
        };
        get(&mut cache, "kept");
        // Enough other tokens to fill the young generation twice; "kept"
        // is met again in between, so it moves along.
        for k in 0..2 * Generations::SIZE {
            get(&mut cache, &format!("t{k}"));
            if k % 1000 == 0 {
                get(&mut cache, "kept");
            }
        }
        get(&mut cache, "kept");
        assert_eq!(classified, 1 + 2 * Generations::SIZE);
        assert!(cache.young.len() <= Generations::SIZE);
        assert!(cache.old.len() <= Generations::SIZE);
    }

    /// Tokens longer than the text kept in place, and tokens that differ
    /// only past it or in length, are told apart and found again.
    #[test]
    fn long_tokens_and_tokens_alike_in_their_first_bytes_are_kept_apart() {
        let mut cache = Generations::default();
        let prefix = "a".repeat(22);
        let tokens = [
            String::new(),
            "a".to_string(),
            prefix.clone(),
            format!("{prefix}a"),
            format!("{prefix}b"),
            format!("{prefix}ab"),
            "{1f2e3d4c-0000-4000-8000-00000000abcd}".to_string(),
        ];
        for round in 0..2 {
            for (i, t) in tokens.iter().enumerate() {
                let known = cache.get(t, || {
                    assert_eq!(round, 0, "{t:?} classified again");
                    Known::new(t, Class::Number(i as u32), None)
                });
                assert!(
                    matches!(known.class, Class::Number(n) if n == i as u32),
                    "{t:?}"
                );
                assert_eq!(known.key.as_bytes(), t.as_bytes());
            }
        }
        assert_eq!(cache.young.len(), tokens.len());
    }
}
