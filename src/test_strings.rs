//! Strings for the unit tests that check a cheap test against the pattern
//! or lexer it spares: many short strings over the characters that matter,
//! the same on every run.

/// `count` strings of up to `max_len - 1` characters of `alphabet`, from a
/// fixed linear congruential sequence started at `seed`.
pub(crate) fn random_strings(alphabet: &str, count: usize, max_len: u64, seed: u64) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        state >> 33
    };
    (0..count)
        .map(|_| {
            let len = next() % max_len;
            (0..len)
                .map(|_| alphabet[next() as usize % alphabet.len()])
                .collect()
        })
        .collect()
}

/// `fixed`, then [`random_strings`] of the other arguments: the cases a
/// test names, and many more it does not.
pub(crate) fn with_random(
    fixed: &[&str],
    alphabet: &str,
    count: usize,
    max_len: u64,
    seed: u64,
) -> Vec<String> {
    let mut all: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    all.extend(random_strings(alphabet, count, max_len, seed));
    all
}
