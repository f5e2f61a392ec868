//! How the terminal index keeps a document's term counts: one tantivy
//! field, each term once per document, its four field counts (signature,
//! title, message, body) written in the position of that one occurrence.
//!
//! Tantivy counts a term frequency one token at a time, so four fields
//! with each term repeated as often as it was counted cost a hash-table
//! lookup per occurrence: 3.6 million on the 8,104 real articles, where
//! one per document and term is 1.3 million. The counts still reach the
//! query whole, as positions.

use crate::analysis::Interned;
use crate::search::docs::FieldCounts;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Counts below this fit one position, seven bits a field, the body's
/// lowest: most terms are counted in the body alone, so their position
/// is a small number, short to write and read.
const SHORT: u32 = 1 << 7;
/// Positions from here on carry one field's count each (a larger one):
/// `LONG + (field << 16) + count`.
const LONG: u32 = 1 << 28;

/// The positions that carry `counts`, in increasing order (tantivy stores
/// a document's positions of one term as gaps).
pub(super) fn positions(counts: FieldCounts) -> impl Iterator<Item = u32> {
    let short = counts.iter().all(|&c| u32::from(c) < SHORT);
    let packed = counts
        .iter()
        .enumerate()
        .fold(0, |p, (k, &c)| p | u32::from(c) << shift(k));
    let long = counts
        .into_iter()
        .enumerate()
        .filter(move |&(_, c)| !short && c > 0)
        .map(|(k, c)| LONG + ((k as u32) << 16) + u32::from(c));
    short.then_some(packed).into_iter().chain(long)
}

/// Where field `k`'s count is in a one-position form.
fn shift(k: usize) -> u32 {
    7 * (3 - k as u32)
}

/// The counts that `positions` carry: a field's `None` when the document
/// does not have the term there.
pub(super) fn counts(positions: &[u32]) -> [Option<u32>; 4] {
    let mut out = [None; 4];
    for &p in positions {
        if p < LONG {
            for (k, c) in out.iter_mut().enumerate() {
                let n = p >> shift(k) & (SHORT - 1);
                *c = (n > 0).then_some(n);
            }
        } else {
            let k = ((p - LONG) >> 16) as usize & 3;
            out[k] = Some((p - LONG) & 0xffff);
        }
    }
    out
}

/// The text tantivy is given for `terms`: `term position term position …`,
/// read back by [`CountsTokenizer`]. Terms hold no space (they were split
/// on white space).
pub(super) fn text(terms: &[(Interned, FieldCounts)]) -> String {
    let bytes: usize = terms.iter().map(|(t, _)| t.len() + 12).sum();
    let mut out = String::with_capacity(bytes);
    for (t, c) in terms {
        for p in positions(*c) {
            out.push_str(t);
            out.push(' ');
            push_number(&mut out, p);
            out.push(' ');
        }
    }
    out
}

fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Reads [`text`]: each term a token at its given position.
#[derive(Clone, Default)]
pub(super) struct CountsTokenizer {
    token: Token,
}

pub(super) struct CountsStream<'a> {
    rest: &'a str,
    token: &'a mut Token,
}

impl Tokenizer for CountsTokenizer {
    type TokenStream<'a> = CountsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CountsStream<'a> {
        self.token.reset();
        CountsStream {
            rest: text,
            token: &mut self.token,
        }
    }
}

impl TokenStream for CountsStream<'_> {
    fn advance(&mut self) -> bool {
        // Spaces are ASCII, so every cut below is at a character boundary.
        let Some(end) = memchr::memchr(b' ', self.rest.as_bytes()) else {
            return false;
        };
        let (term, after) = (&self.rest[..end], &self.rest[end + 1..]);
        let digits = memchr::memchr(b' ', after.as_bytes()).unwrap_or(after.len());
        self.token.text.clear();
        self.token.text.push_str(term);
        // Written by `text`: decimal digits that fit a u32.
        self.token.position = after.as_bytes()[..digits].iter().fold(0usize, |n, &d| {
            n * 10 + usize::from(d.wrapping_sub(b'0') % 10)
        });
        self.rest = after.get(digits + 1..).unwrap_or("");
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_any_size_come_back_whole() {
        for c in [
            [1, 0, 0, 0],
            [0, 0, 0, 1],
            [127, 127, 127, 127],
            [0, 3, 0, 128],
            [u16::MAX, 0, 2, 700],
            [0, 0, 0, 0],
        ] {
            let p: Vec<u32> = positions(c).collect();
            assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
            assert!(p.iter().all(|&p| p < 1 << 30), "{p:?}");
            let want = c.map(|n| (n > 0).then_some(u32::from(n)));
            assert_eq!(counts(&p), want, "{c:?}");
        }
    }

    #[test]
    fn the_tokenizer_reads_each_term_at_its_position() {
        let terms = [("w:share", [0, 1, 0, 2]), ("c:0x5", [200, 0, 0, 1])];
        let text = text(&terms.map(|(t, c)| (crate::analysis::Interned::of(t), c)));
        let mut tokenizer = CountsTokenizer::default();
        let mut stream = tokenizer.token_stream(&text);
        let mut got = Vec::new();
        while stream.advance() {
            got.push((stream.token().text.clone(), stream.token().position as u32));
        }
        let want: Vec<(String, u32)> = terms
            .into_iter()
            .flat_map(|(t, c)| positions(c).map(move |p| (t.to_string(), p)))
            .collect();
        assert_eq!(got, want);
        assert_eq!(got.len(), 3);
    }
}
