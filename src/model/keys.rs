//! Front-matter keys that would lose data without a word.
//!
//! Receives the keys of one document's front matter (with their lines) and
//! whether it is a fix; gives warnings for an unknown key that is a slip of
//! a known one (`signature:`, `Signatures:`, `tag:`, `fix:` went to the
//! template-only extras, so their events and codes vanished from search),
//! and for known keys that a fix document does not use.

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::front_matter::Entry;
use rustc_hash::FxHashMap;

/// The keys kbgen reads (DocFX fallbacks such as `author` are read too,
/// and are never taken for slips).
const KNOWN: &[&str] = &[
    "title",
    "slug",
    "date",
    "updated",
    "authors",
    "summary",
    "products",
    "tags",
    "signatures",
    "causes",
    "fixes",
    "related",
    "draft",
    "id",
    "applies_to",
    "reviewed",
    "review_every",
    "expires",
    "owner",
    "aliases",
];

/// Keys read from DocFX front matter, exact as written.
const DOCFX: &[&str] = &[
    "description",
    "ms.date",
    "author",
    "appliesto",
    "ms.reviewer",
];

/// Keys a fix document has, but only an article uses.
const ARTICLE_ONLY: &[&str] = &["signatures", "tags"];

/// Warns about slips of known keys and keys a fix does not use; gives the
/// entries back.
pub(super) fn check(
    entries: Vec<Entry>,
    is_fix: bool,
    file: &str,
    diags: &mut Diagnostics,
) -> Vec<Entry> {
    for e in &entries {
        let key = e.key.as_str();
        if KNOWN.contains(&key) {
            if is_fix && ARTICLE_ONLY.contains(&key) {
                diags.push(
                    Diagnostic::warning(
                        file,
                        e.line,
                        1,
                        format!("`{key}:` has no effect in a fix document"),
                    )
                    .hint(format!(
                        "put `{key}:` in the articles that link this fix (`fixes: [id]`)"
                    )),
                );
            }
            continue;
        }
        if DOCFX.contains(&key) {
            continue;
        }
        if let Some(known) = remembered_slip_of(key) {
            diags.push(
                Diagnostic::warning(
                    file,
                    e.line,
                    1,
                    format!("unknown key `{key}:` is kept for templates only"),
                )
                .hint(format!("did you mean `{known}`?")),
            );
        }
    }
    entries
}

/// [`slip_of`], remembered per thread: every article of a DocFX corpus
/// has the same dozen unknown keys (`ms.topic`, `ms.custom`, `audience`),
/// and their edit distances to each known key were 2% of a build's
/// instructions. Bounded, as a corpus of odd keys could be large.
fn remembered_slip_of(key: &str) -> Option<&'static str> {
    const CACHED: usize = 1024;
    thread_local! {
        static CACHE: std::cell::RefCell<FxHashMap<Box<str>, Option<&'static str>>> =
            std::cell::RefCell::default();
    }
    CACHE.with_borrow_mut(|cache| {
        if let Some(known) = cache.get(key) {
            return *known;
        }
        let known = slip_of(key);
        if cache.len() < CACHED {
            cache.insert(key.into(), known);
        }
        known
    })
}

/// The known key `key` is most likely a slip of: the same in another case,
/// or at most two edits away (one for short keys).
fn slip_of(key: &str) -> Option<&'static str> {
    let lower = key.to_lowercase();
    let chars = lower.chars().count();
    KNOWN
        .iter()
        // Lengths more than two apart are more than two edits apart: every
        // article's DocFX keys (`ms.topic`, `search.appverid`) skip the
        // distance, which was 3.5% of a build's instructions.
        .filter(|k| chars.abs_diff(k.len()) <= 2)
        .map(|k| (distance(&lower, k), *k))
        .filter(|(d, k)| *d <= if k.len() <= 4 { 1 } else { 2 })
        .min()
        .map(|(_, k)| k)
        .or_else(|| (lower == "fix").then_some("fixes"))
}

/// Levenshtein distance over chars, for short keys.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != *cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::slip_of;

    #[test]
    fn slips_of_known_keys_are_recognised() {
        for (slip, known) in [
            ("signature", "signatures"),
            ("Signatures", "signatures"),
            ("tag", "tags"),
            ("fix", "fixes"),
            ("Title", "title"),
            ("prodcuts", "products"),
        ] {
            assert_eq!(slip_of(slip), Some(known), "{slip}");
        }
        for other in [
            "ms.topic",
            "ms.author",
            "keywords",
            "audience",
            "toc",
            "layout",
        ] {
            assert_eq!(slip_of(other), None, "{other}");
        }
    }
}
