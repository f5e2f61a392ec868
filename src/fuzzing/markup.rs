//! The oracle of the Markdown fuzz target: does HTML that kbgen emitted
//! hold anything that could run script in a browser?

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
            let (attr, value) = match next_attribute(html, &mut i, start) {
                Err(problem) => return Some(problem),
                Ok(None) => break,
                Ok(Some(found)) => found,
            };
            if closing {
                continue;
            }
            if let Some(problem) = unsafe_attribute(&name, &attr, &value) {
                return Some(problem);
            }
        }
    }
    None
}

/// The next attribute (lower-case name, decoded value) of the tag that
/// starts at byte `start`, read from `*i` on: `Ok(None)` at the `>` that
/// ends the tag (`*i` then past it), `Err` when the tag or a quoted value
/// never ends.
fn next_attribute(
    html: &str,
    i: &mut usize,
    start: usize,
) -> Result<Option<(String, String)>, String> {
    let b = html.as_bytes();
    while b
        .get(*i)
        .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/')
    {
        *i += 1;
    }
    match b.get(*i) {
        None => return Err(format!("the tag at byte {start} never ends")),
        Some(b'>') => {
            *i += 1;
            return Ok(None);
        }
        Some(_) => {}
    }
    let attr_start = *i;
    // An attribute name may begin with `=`, as in a browser.
    *i += 1;
    while b
        .get(*i)
        .is_some_and(|&c| !c.is_ascii_whitespace() && !b"/>=".contains(&c))
    {
        *i += 1;
    }
    let attr = html[attr_start..*i].to_ascii_lowercase();
    while b.get(*i).is_some_and(u8::is_ascii_whitespace) {
        *i += 1;
    }
    let mut value = String::new();
    if b.get(*i) == Some(&b'=') {
        *i += 1;
        while b.get(*i).is_some_and(u8::is_ascii_whitespace) {
            *i += 1;
        }
        let raw = match b.get(*i) {
            Some(&q @ (b'"' | b'\'')) => {
                let Some(n) = html[*i + 1..].find(q as char) else {
                    return Err(format!("an attribute at byte {attr_start} never ends"));
                };
                let raw = &html[*i + 1..*i + 1 + n];
                *i += n + 2;
                raw
            }
            _ => {
                let from = *i;
                while b
                    .get(*i)
                    .is_some_and(|&c| !c.is_ascii_whitespace() && c != b'>')
                {
                    *i += 1;
                }
                &html[from..*i]
            }
        };
        value = decode_references(raw);
    }
    Ok(Some((attr, value)))
}

/// Why attribute `attr` with `value` on an opening `<name>` tag could run
/// script, if it could.
fn unsafe_attribute(name: &str, attr: &str, value: &str) -> Option<String> {
    if attr.starts_with("on") {
        return Some(format!("an event handler `{attr}` on <{name}>"));
    }
    if matches!(attr, "style" | "srcdoc" | "formaction") {
        return Some(format!("a `{attr}` attribute on <{name}>"));
    }
    if URL_ATTRIBUTES.contains(&attr) {
        if let Some(scheme) = script_scheme(value) {
            return Some(format!(
                "a `{scheme}:` URL in `{attr}` of <{name}>: {value:?}"
            ));
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
