//! Finding the first byte that, with the byte after it, passes a test:
//! the prefilters that read all of a text before they can say no.

/// Bytes read per step. Within a step, the test runs on every pair with no
/// early exit, a loop the compiler turns into vector code; only a step
/// that holds a match is read again byte by byte.
const STEP: usize = 64;

/// The index of the first byte of `b` for which `test(byte, next byte)`
/// holds, the byte after the last being 0.
#[inline]
pub(crate) fn first_pair(b: &[u8], test: impl Fn(u8, u8) -> bool) -> Option<usize> {
    let any = |bytes: &[u8], next: &[u8]| {
        bytes
            .iter()
            .zip(next)
            .fold(false, |hit, (&c, &n)| hit | test(c, n))
    };
    let mut at = 0;
    while at < b.len() {
        let end = (at + STEP).min(b.len());
        let after = [b.get(end).copied().unwrap_or(0)];
        if any(&b[at..end - 1], &b[at + 1..end]) || any(&b[end - 1..end], &after) {
            return (at..end).find(|&i| test(b[i], b.get(i + 1).copied().unwrap_or(0)));
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::first_pair;

    /// The same answer as a byte-by-byte search, on each side of every
    /// step boundary.
    #[test]
    fn finds_the_first_pair_as_a_plain_search_does() {
        let test = |c: u8, n: u8| c == b'a' && n == b'b';
        let plain =
            |b: &[u8]| (0..b.len()).find(|&i| test(b[i], b.get(i + 1).copied().unwrap_or(0)));
        for len in [0, 1, 2, 63, 64, 65, 127, 128, 129, 200] {
            for at in 0..len {
                for piece in [&b"ab"[..], b"a", b"b"] {
                    let mut text = vec![b'x'; len];
                    for (k, &p) in piece.iter().enumerate() {
                        if at + k < len {
                            text[at + k] = p;
                        }
                    }
                    text.extend_from_slice(b"aab");
                    assert_eq!(
                        first_pair(&text, test),
                        plain(&text),
                        "{len} {at} {piece:?}"
                    );
                    text.truncate(len);
                    assert_eq!(
                        first_pair(&text, test),
                        plain(&text),
                        "{len} {at} {piece:?}"
                    );
                }
            }
        }
    }
}
