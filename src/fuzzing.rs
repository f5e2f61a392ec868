//! The bodies of the fuzz targets in `fuzz/fuzz_targets/`, kept in the
//! library so that `cargo test` (tests/fuzz_regressions.rs) runs the inputs
//! the fuzzers found through exactly the code the fuzzers ran.
//!
//! Each function takes any bytes and panics only when kbgen is wrong: a panic
//! inside kbgen, or a broken invariant, asserted here. Not part of kbgen's
//! API.

use crate::analysis::{analyze, coverage, template_seq};
use crate::diag::Diagnostics;
use crate::extract::prose::{extract, infer_template};
use crate::load::front_matter::{parse, split};
use crate::markdown::{self, docfx, LinkTarget};
use crate::model::meta::from_entries;
use crate::search::rank::template_strength;
use crate::signature::codes::{doubt, parse_code, parse_declared};
use crate::signature::events::Aliases;
use crate::signature::Template;
use std::collections::{BTreeMap, BTreeSet};

/// The body of a fuzz target: any bytes in, a panic when kbgen is wrong.
pub type Target = fn(&[u8]);

/// The fuzz targets, by the name of their folder under `fuzz/regressions/`.
pub const TARGETS: [(&str, Target); 5] = [
    ("codes", codes),
    ("prose", prose),
    ("search", search),
    ("front_matter", front_matter),
    ("markdown", markdown),
];

/// Any text through the code parsers: every code found has a canonical key
/// that parses back to the same code.
pub fn codes(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(c) = parse_code(s) {
        let again = parse_code(&c.canonical).expect("a canonical key parses");
        assert_eq!(
            (&again.canonical, again.kind),
            (&c.canonical, c.kind),
            "{s:?}"
        );
        let _ = (
            c.spellings(),
            c.decode(),
            c.related(),
            c.name(),
            c.message(),
        );
    }
    if let Ok(c) = parse_declared(s) {
        let _ = doubt(&c);
    }
}

/// Any text as a message template and as an article body: template
/// compilation, template inference, rendering and prose extraction.
pub fn prose(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let t = Template::compile(s);
    let _ = (t.has_holes(), t.literal_text());
    let _ = infer_template(s);
    let body = markdown::render(s, 1, &|_| LinkTarget::Unchanged);
    let _ = extract(&body.blocks, &Aliases::default());
}

/// The first line as a message template, the rest as a pasted log line,
/// through the analyser and the template matcher: coverage and strength
/// stay between 0 and 1, and every term is `kind:text`.
pub fn search(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let aliases = Aliases::default();
    let (message, line) = s.split_once('\n').unwrap_or((s, s));
    let seq = template_seq(&Template::compile(message), &aliases);
    let a = analyze(line, &aliases);
    let share = coverage(&seq, &a.seq);
    assert!((0.0..=1.0).contains(&share), "{share}");
    let strength = template_strength(share, seq.len());
    assert!((0.0..=1.0).contains(&strength), "{strength}");
    assert!(
        a.terms
            .iter()
            .all(|t| t.len() > 2 && t.as_bytes()[1] == b':'),
        "{:?}",
        a.terms
    );
}

/// Any file text through front-matter splitting, YAML parsing and the typed
/// conversion of keys: errors are diagnostics whose line is inside the file.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    let split = match split(text, "fuzz.md") {
        Ok(s) => s,
        Err(d) => {
            assert!(d.line <= lines + 1, "{d}");
            return;
        }
    };
    let Some(yaml) = split.yaml else {
        return;
    };
    match parse(yaml, split.yaml_line, "fuzz.md") {
        Ok(entries) => {
            let mut diags = Diagnostics::default();
            let _ = from_entries(entries, "fuzz.md", &mut diags);
        }
        Err(d) => assert!(d.line <= lines + 1, "{d}"),
    }
}

/// Any text as an article body, rendered as `kbgen build` renders an
/// untrusted article (DocFX rewrites, the real link resolver, the
/// sanitiser on): the HTML may not run script. See [`unsafe_markup`].
pub fn markdown(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (body, _) = docfx::preprocess(s);
    let none_pages = BTreeMap::new();
    let none_assets = BTreeSet::new();
    let resolve =
        |url: &str| crate::model::resolve_link(url, "fuzz.md", "../", &none_pages, &none_assets);
    let rendered = markdown::render_with(&body, 1, &resolve, false);
    if let Some(why) = unsafe_markup(&rendered.html) {
        panic!("{why}\ninput: {s:?}\nhtml: {:?}", rendered.html);
    }
}

/// Elements that run script, load other documents, submit data or change
/// how the rest of the page is parsed. The sanitiser removes all of them,
/// and Markdown never makes them.
const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "form",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "svg",
    "math",
    "template",
    "noscript",
    "textarea",
    "select",
    "button",
    "portal",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "title",
    "audio",
    "video",
    "source",
    "track",
    "param",
];

/// Attributes whose value a browser follows as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "data",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "usemap",
    "ping",
    "srcset",
];

/// Why `html` (a rendered article body) could run script or reshape the
/// page, or `None` when it cannot: a forbidden element, an `on…` event
/// handler, a `style`, `srcdoc` or `formaction` attribute, a `javascript:`,
/// `vbscript:` or non-image `data:` URL, a comment, or a `<` that starts no
/// tag (text must be escaped). It reads the markup as a browser's tokenizer
/// does for what kbgen emits (double- or single-quoted or bare attribute
/// values, character references in values), so text that mentions
/// `<script` (escaped as `&lt;script`) or an attribute value holding it is
/// not a finding.
pub fn unsafe_markup(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt;
        i = start + 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            return Some(format!(
                "a `<` that starts no tag at byte {start}: {:?}",
                excerpt(html, start)
            ));
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .map_or(html.len(), |n| i + n);
        let name = html[i..name_end].to_ascii_lowercase();
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            return Some(format!("a <{name}> element at byte {start}"));
        }
        i = name_end;
        // Attributes, up to the `>` that ends the tag.
        loop {
            while b
                .get(i)
                .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/')
            {
                i += 1;
            }
            match b.get(i) {
                None => return Some(format!("the tag at byte {start} never ends")),
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(_) => {}
            }
            let attr_start = i;
            // An attribute name may begin with `=`, as in a browser.
            i += 1;
            while b
                .get(i)
                .is_some_and(|&c| !c.is_ascii_whitespace() && !b"/>=".contains(&c))
            {
                i += 1;
            }
            let attr = html[attr_start..i].to_ascii_lowercase();
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                let raw = match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let Some(n) = html[i + 1..].find(q as char) else {
                            return Some(format!("an attribute at byte {attr_start} never ends"));
                        };
                        let raw = &html[i + 1..i + 1 + n];
                        i += n + 2;
                        raw
                    }
                    _ => {
                        let from = i;
                        while b
                            .get(i)
                            .is_some_and(|&c| !c.is_ascii_whitespace() && c != b'>')
                        {
                            i += 1;
                        }
                        &html[from..i]
                    }
                };
                value = decode_references(raw);
            }
            if closing {
                continue;
            }
            if attr.starts_with("on") {
                return Some(format!("an event handler `{attr}` on <{name}>"));
            }
            if matches!(attr.as_str(), "style" | "srcdoc" | "formaction") {
                return Some(format!("a `{attr}` attribute on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                if let Some(scheme) = script_scheme(&value) {
                    return Some(format!(
                        "a `{scheme}:` URL in `{attr}` of <{name}>: {value:?}"
                    ));
                }
            }
        }
    }
    None
}

fn excerpt(html: &str, at: usize) -> &str {
    let end = (at + 40).min(html.len());
    let end = (end..=html.len())
        .find(|&e| html.is_char_boundary(e))
        .unwrap_or(html.len());
    &html[at..end]
}

/// An attribute value as a browser reads it: numeric and the common named
/// character references decoded.
fn decode_references(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |n| n + 1);
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            match name.to_ascii_lowercase().as_str() {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme of a URL that a browser would run as script: `javascript:`,
/// `vbscript:`, `livescript:`, or a `data:` URL other than a raster image.
/// A browser (the WHATWG URL parser) trims control characters and spaces
/// around the URL and drops tabs and line breaks inside it; any other
/// character outside `[a-z0-9+.-]` before the `:` means there is no scheme
/// (`JaVa&#x08;Script:` is a relative URL).
fn script_scheme(url: &str) -> Option<String> {
    let compact: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    let (scheme, rest) = compact.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let raster_image = rest.starts_with("image/") && !rest.starts_with("image/svg");
    let runs_script = matches!(scheme, "javascript" | "vbscript" | "livescript")
        || (scheme == "data" && !raster_image);
    (is_scheme && runs_script).then(|| scheme.to_string())
}

#[cfg(test)]
mod tests {
    use super::unsafe_markup;

    #[test]
    fn unsafe_markup_finds_script_and_spares_escaped_text() {
        for bad in [
            "<p>a<script>x</script></p>",
            "<SCRIPT src=x></SCRIPT>",
            r#"<img src="x" onerror="alert(1)">"#,
            "<img src=x onerror=alert(1)>",
            r#"<a href="jav&#x61;script:alert(1)">x</a>"#,
            r#"<a href=" JaVa	Script:x">x</a>"#,
            "<a href=\"\u{1}java\nscript:x\">x</a>",
            r#"<img src="data:text/html,<b>">"#,
            r#"<div style="color:red">x</div>"#,
            "<iframe></iframe>",
            "<p>1 <!-- c --></p>",
            "<p>a < b</p>",
            "<p",
            r#"<a href="x>"#,
        ] {
            assert!(unsafe_markup(bad).is_some(), "{bad}");
        }
        for good in [
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
            r#"<span title="<script> onerror=x javascript:">t</span>"#,
            r#"<a href="http://x/" title="javascript:alert(1)">x</a>"#,
            r#"<img src="data:image/png;base64,AAAA" alt="">"#,
            r#"<p class="one">x<br>y</p><input disabled="" type="checkbox">"#,
            "<p>onion=1 javascript:void(0)</p>",
            // Not a scheme for a browser: a relative URL.
            "<a href=\"JaVa\u{8}Script:x\">x</a>",
        ] {
            assert_eq!(unsafe_markup(good), None, "{good}");
        }
    }
}
