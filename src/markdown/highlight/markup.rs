//! The two languages that are not code: XML (tags, attributes, comments,
//! CDATA, entities) and INI or registry files (sections, names, values,
//! comments), each in one pass.

use super::out::{Kind, Out};
use memchr::memmem;

/// Appends the highlighted HTML of XML `code` to `out`.
pub(super) fn xml(code: &str, out: &mut Out) {
    let b = code.as_bytes();
    let mut i = 0;
    let mut text_from = 0;
    while let Some(at) = memchr::memchr2(b'<', b'&', &b[i..]) {
        let start = i + at;
        let (end, spans) = if b[start] == b'&' {
            match entity_end(b, start) {
                Some(end) => (end, Markup::Whole(Kind::Number)),
                None => {
                    i = start + 1;
                    continue;
                }
            }
        } else if b[start..].starts_with(b"<!--") {
            (closed(b, start + 4, b"-->"), Markup::Whole(Kind::Comment))
        } else if b[start..].starts_with(b"<![CDATA[") {
            (closed(b, start + 9, b"]]>"), Markup::Whole(Kind::String))
        } else if b[start..].starts_with(b"<!") {
            (closed(b, start + 2, b">"), Markup::Whole(Kind::Keyword))
        } else if tag_name_starts(b, start) {
            (tag_end(b, start), Markup::Tag)
        } else {
            i = start + 1;
            continue;
        };
        out.plain(&code[text_from..start]);
        match spans {
            Markup::Whole(kind) => out.span(kind, &code[start..end]),
            Markup::Tag => tag(&code[start..end], out),
        }
        i = end;
        text_from = end;
    }
    out.plain(&code[text_from..]);
}

enum Markup {
    Whole(Kind),
    Tag,
}

/// Whether `<` at `i` opens a tag: `<name`, `</name`, `<?name`.
fn tag_name_starts(b: &[u8], i: usize) -> bool {
    let name = match b.get(i + 1) {
        Some(b'/' | b'?') => i + 2,
        _ => i + 1,
    };
    b.get(name)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
}

/// `&amp;`, `&#x1F;`: at most 32 bytes of name.
fn entity_end(b: &[u8], i: usize) -> Option<usize> {
    let limit = (i + 34).min(b.len());
    let semi = memchr::memchr(b';', &b[i + 1..limit])? + i + 1;
    let name = &b[i + 1..semi];
    let fits = !name.is_empty() && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'#');
    fits.then_some(semi + 1)
}

/// The end of `close` searched from `from`, or the end of the text.
fn closed(b: &[u8], from: usize, close: &[u8]) -> usize {
    memmem::find(&b[from..], close).map_or(b.len(), |at| from + at + close.len())
}

/// The end of the tag at `i`: its `>` outside quoted values.
fn tag_end(b: &[u8], i: usize) -> usize {
    let mut quote = None;
    for (at, &c) in b.iter().enumerate().skip(i + 1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, b'>') => return at + 1,
            // An unclosed tag ends where the next one opens.
            (None, b'<') => return at,
            _ => {}
        }
    }
    b.len()
}

/// One tag: its name and brackets, attribute names, and quoted values.
fn tag(tag: &str, out: &mut Out) {
    let b = tag.as_bytes();
    let name_from = if matches!(b.get(1), Some(b'/' | b'?')) {
        2
    } else {
        1
    };
    let name_end = b[name_from..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/' | b'?'))
        .map_or(b.len(), |at| name_from + at);
    out.span(Kind::Tag, &tag[..name_end]);
    let mut i = name_end;
    let mut plain_from = i;
    while i < b.len() {
        let c = b[i];
        let (end, kind) = if c == b'"' || c == b'\'' {
            let end = memchr::memchr(c, &b[i + 1..]).map_or(b.len(), |at| i + 1 + at + 1);
            (end, Kind::String)
        } else if c == b'>' || (c == b'/' || c == b'?') && b.get(i + 1) == Some(&b'>') {
            (b.len(), Kind::Tag)
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let len = b[i..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || matches!(c, b'=' | b'>' | b'/'))
                .unwrap_or(b.len() - i);
            (i + len, Kind::Attr)
        } else {
            i += 1;
            continue;
        };
        out.plain(&tag[plain_from..i]);
        out.span(kind, &tag[i..end]);
        i = end;
        plain_from = end;
    }
    out.plain(&tag[plain_from..]);
}

/// Appends the highlighted HTML of an INI or `.reg` file to `out`, a line
/// at a time: `;` and `#` comments, `[sections]`, `name=` and `"name"=`,
/// quoted values and `dword:`/`hex:` data.
pub(super) fn ini(code: &str, out: &mut Out) {
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let text = &body[indent..];
        out.plain(&body[..indent]);
        if text.starts_with(';') || text.starts_with('#') {
            out.span(Kind::Comment, text);
        } else if text.starts_with('[') {
            out.span(Kind::Tag, text);
        } else if let Some(eq) = name_end(text) {
            out.span(Kind::Attr, &text[..eq]);
            out.plain("=");
            value(&text[eq + 1..], out);
        } else {
            out.plain(text);
        }
        out.plain(&line[body.len()..]);
    }
}

/// Where the `=` after a line's value name is: after a quoted name
/// (`"Enabled"=`, which may hold `=`), or the first one.
fn name_end(text: &str) -> Option<usize> {
    if let Some(rest) = text.strip_prefix('"') {
        let close = rest.find('"')? + 1;
        return text[close + 1..].starts_with('=').then_some(close + 1);
    }
    text.find('=').filter(|at| *at > 0)
}

fn value(v: &str, out: &mut Out) {
    let data = v.trim_start();
    out.plain(&v[..v.len() - data.len()]);
    let kind = if data.starts_with('"') {
        Kind::String
    } else if data.starts_with("dword:")
        || data.starts_with("hex")
        || data.starts_with(|c: char| c.is_ascii_digit())
    {
        Kind::Number
    } else {
        out.plain(data);
        return;
    };
    out.span(kind, data);
}
