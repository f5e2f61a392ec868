//! HTML escaping of text, for element content and quoted attributes.

/// Appends `s` to `out` with `&`, `<`, `>`, `"` and `'` escaped. The
/// characters escaped are ASCII, so the text between them is copied whole.
pub(crate) fn escape_html_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}
