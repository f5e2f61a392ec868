//! Token classes (and lower cases) remembered per thread: a class depends
//! on the token alone, and the same words come back in article after
//! article, so a build classified (and stemmed) each of them again at
//! every occurrence.

use super::tokens::{classify, lower_case, Known};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
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
    young: FxHashMap<Box<str>, Rc<Known>>,
    old: FxHashMap<Box<str>, Rc<Known>>,
}

impl Generations {
    /// Tokens per generation: at most twice this many are kept, about a
    /// hundred bytes each (6 MB a thread). On the 8,104 real articles,
    /// 1 << 13 missed 214,000 of 5.6 million lookups and moved 145,000
    /// back from the old generation; 1 << 15 misses 154,000 and moves 46,000.
    const SIZE: usize = 1 << 15;

    fn get(&mut self, text: &str, classify: impl FnOnce() -> Known) -> Rc<Known> {
        if let Some(class) = self.young.get(text) {
            return Rc::clone(class);
        }
        let (key, class) = match self.old.remove_entry(text) {
            Some(kept) => kept,
            None => (text.into(), Rc::new(classify())),
        };
        if self.young.len() >= Self::SIZE {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(key, Rc::clone(&class));
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
                Known::new(Class::Dropped, None)
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
}
