//! Counts in words: "1 article", "2 articles", "1 fix", "3 fixes". Every
//! summary line and page that shows a count goes through [`count`], so none
//! says "1 articles" again.

use std::fmt::Display;

/// `n` followed by `one` or, unless `n` is 1, `many`.
pub fn count(n: impl Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    let word = if n == "1" { one } else { many };
    format!("{n} {word}")
}

/// `n` followed by `word`, with an `s` unless `n` is 1.
pub fn plural(n: impl Display, word: &str) -> String {
    count(n, word, &format!("{word}s"))
}

#[cfg(test)]
mod tests {
    use super::{count, plural};

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(plural(1u32, "article"), "1 article");
        assert_eq!(plural(0u32, "article"), "0 articles");
        assert_eq!(count(1u32, "fix", "fixes"), "1 fix");
        assert_eq!(count(2u32, "fix", "fixes"), "2 fixes");
    }
}
