//! Error signatures as data: error codes in every spelling, event keys, and
//! message templates. Pure functions, no I/O: the tables are compiled in.
//!
//! Everything here answers one question — "are these two spellings the same
//! failure?" — by reducing each spelling to a canonical key.

pub(crate) mod bugcheck;
mod cited;
pub mod codes;
pub mod events;
pub(crate) mod tables;
pub(crate) mod template;

pub use cited::{BareEvent, EventRef, Origin, Signature};
pub use codes::{Code, CodeKind};
pub use events::EventKey;
pub use template::Template;

/// Folds what copy and paste does to text: typographic quotes and primes to
/// straight ones, `×` between digits to `x`, dashes to `-`, invisible and
/// non-breaking spaces to plain spaces (runs collapsed).
pub fn fold_text(s: &str) -> String {
    if s.is_ascii() {
        return fold_ascii(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for (i, &c) in chars.iter().enumerate() {
        let mapped = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => {
                '\''
            }
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' | '\u{00ab}' | '\u{00bb}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{00d7}' => {
                let digit_before = i > 0 && chars[i - 1].is_ascii_digit();
                let digit_after = chars.get(i + 1).is_some_and(|c| c.is_ascii_hexdigit());
                if digit_before && digit_after {
                    'x'
                } else {
                    c
                }
            }
            '\u{ff1a}' => ':',
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{200e}' | '\u{200f}' | '\u{2060}'
            | '\u{feff}' => continue,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if mapped == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(mapped);
            last_space = false;
        }
    }
    out
}

/// [`fold_text`] for ASCII text, most of what it sees: only backticks and
/// white space change, so the runs between them are copied whole.
fn fold_ascii(s: &str) -> String {
    // `char::is_whitespace` on ASCII, which `u8::is_ascii_whitespace` is not (0x0b).
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    // What changes: a backtick, and white space but a single space.
    let changes = |b: u8, next: u8| (b == b'`') | (space(b) & ((b != b' ') | space(next)));
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(run) = crate::bytepairs::first_pair(&bytes[i..], changes) {
        out.extend_from_slice(&bytes[i..i + run]);
        i += run;
        if bytes[i] == b'`' {
            out.push(b'\'');
            i += 1;
        } else {
            out.push(b' ');
            while bytes.get(i).is_some_and(|&b| space(b)) {
                i += 1;
            }
        }
    }
    out.extend_from_slice(&bytes[i..]);
    // ASCII in, ASCII out.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::fold_text;

    #[test]
    fn folds_copy_paste_damage() {
        assert_eq!(
            fold_text("The process exit code was \u{2019}0\u{d7}1\u{2032}."),
            "The process exit code was '0x1'."
        );
        assert_eq!(fold_text("a\u{a0}\u{a0} b\u{200b}c \u{2014} d"), "a bc - d");
        assert_eq!(fold_text("Event ID\u{ff1a} 7023"), "Event ID: 7023");
        assert_eq!(fold_text("3 \u{d7} 4"), "3 \u{d7} 4");
    }

    #[test]
    fn ascii_text_folds_as_any_text_does() {
        // A trailing non-ASCII letter sends the same text down the general
        // path. The random texts run past the fast path's 64-byte steps.
        let texts = crate::test_strings::with_random(
            &[
                "",
                " ",
                "  ",
                "a",
                "a  b",
                " a",
                "a ",
                "a\t\tb",
                "`x`",
                " `",
                "` ",
                "a \n b",
                "\x0b",
                "a\x0bb",
                "a\r\n\r\nb",
                "x ` y",
                "a\x0c",
                "  lead and trail  ",
            ],
            "abcdefgh   `\t\n\r\x0b\x0c",
            3000,
            200,
            0x2545_f491,
        );
        for s in &texts {
            let general = fold_text(&format!("{s}\u{e9}"));
            assert_eq!(format!("{}\u{e9}", fold_text(s)), general, "{s:?}");
        }
    }
}
