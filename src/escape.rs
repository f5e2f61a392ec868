//! HTML escaping of text, for element content and quoted attributes.

use std::convert::Infallible;

/// Appends `s` to `out` with `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn escape_html_into(out: &mut String, s: &str) {
    let Ok(()) = escape_pieces(s, |piece| {
        out.push_str(piece);
        Ok::<(), Infallible>(())
    });
}

/// Writes `s` to `out` escaped as [`escape_html_into`] does, without
/// building the escaped text first (templates escape every value they
/// print).
pub(crate) fn escape_html_to(out: &mut dyn std::io::Write, s: &str) -> std::io::Result<()> {
    escape_pieces(s, |piece| out.write_all(piece.as_bytes()))
}

/// Hands `s` to `emit` piece by piece, each escaped character as its
/// entity. The characters escaped are ASCII, so the text between them is
/// handed on whole.
fn escape_pieces<E>(s: &str, mut emit: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut rest = s;
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        emit(&rest[..i])?;
        emit(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[i + 1..];
    }
    emit(rest)
}

#[cfg(test)]
mod tests {
    use super::{escape_html_into, escape_html_to};

    /// The writer and the string get the same text.
    #[test]
    fn writer_and_string_get_the_same_escapes() {
        for s in ["", "plain", "<a href=\"x\">Tom & 'Jerry'</a>", "é&é<", "&&"] {
            let mut string = String::new();
            escape_html_into(&mut string, s);
            let mut bytes = Vec::new();
            escape_html_to(&mut bytes, s).unwrap();
            assert_eq!(String::from_utf8(bytes).unwrap(), string);
        }
    }
}
