//! Raw HTML in an article is sanitised: a knowledge base is written by many
//! people and read by everyone, so no script, event handler, `javascript:`
//! URL, form, iframe or style may reach a reader. What our own passes emit
//! (alerts, heading ids, broken-link spans, task-list boxes) stays.
//!
//! Only documents that contain raw HTML other than line breaks and comments
//! pay for this (those are written plainly: `raw_html::write_plain`);
//! `trusted_html = true` in kb.toml turns it off for sites that want raw
//! HTML as written.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// `html` with everything unsafe removed.
pub(crate) fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

fn builder() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input", "details", "summary", "figure", "figcaption"])
            .add_generic_attributes(["class", "title", "role", "lang", "dir"])
            .tag_attributes(tag_attributes())
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(None)
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                // A task-list box, and nothing else an `<input>` could be.
                ("input", "type") => (value == "checkbox").then_some(value.into()),
                // `//host`, `\\host`: opened from `file://`, an SMB request.
                ("img", "src") | ("a", "href") if reaches_other_host(value) => None,
                _ => Some(value.into()),
            });
        b
    })
}

/// True for a URL a browser resolves to another machine by itself:
/// `//host/…`, `\\host\…` (and mixes), whatever the whitespace before it.
pub(crate) fn reaches_other_host(url: &str) -> bool {
    let mut chars = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control());
    matches!(
        (chars.next(), chars.next()),
        (Some('/' | '\\'), Some('/' | '\\'))
    )
}

/// Attributes kept per element; ids only on headings, where our anchors
/// point, so raw HTML cannot take the id of the page's own elements.
fn tag_attributes() -> HashMap<&'static str, HashSet<&'static str>> {
    let mut m: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        m.insert(h, HashSet::from(["id"]));
    }
    m.insert("a", HashSet::from(["href", "hreflang"]));
    m.insert("img", HashSet::from(["src", "alt", "width", "height"]));
    m.insert("td", HashSet::from(["colspan", "rowspan"]));
    m.insert("th", HashSet::from(["colspan", "rowspan", "scope"]));
    m.insert("ol", HashSet::from(["start", "reversed"]));
    m.insert("details", HashSet::from(["open"]));
    m.insert("input", HashSet::from(["type", "checked", "disabled"]));
    m
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn script_handlers_javascript_urls_forms_and_frames_go() {
        let dirty = r#"<p onclick="x()">hi<script>alert(1)</script></p>
<img src="x.png" onerror="alert(1)" alt="a">
<a href="javascript:alert(1)">j</a><a href="JaVaScRiPt:alert(1)">k</a>
<form action="/x"><input type="text" name="p"></form>
<iframe src="https://evil.example/"></iframe><style>body{}</style>
<div style="background:url(javascript:alert(1))" id="q">d</div>"#;
        let out = clean(dirty);
        for bad in [
            "script",
            "onclick",
            "onerror",
            "javascript",
            "<form",
            "<iframe",
            "<style",
            "style=",
            "id=\"q\"",
            "type=\"text\"",
        ] {
            assert!(!out.to_lowercase().contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains(r#"<img src="x.png" alt="a">"#), "{out}");
    }

    #[test]
    fn unc_and_host_relative_image_sources_go() {
        let dirty = r#"<img src="\\host\share\b.png" alt="b"><img src="//host/a.png"><img src="&#92;&#92;host/c.png"><a href=" //host/x">x</a><img src="ok.png">"#;
        let out = clean(dirty);
        assert!(!out.contains("host"), "{out}");
        assert!(out.contains(r#"<img src="ok.png">"#), "{out}");
    }

    #[test]
    fn our_own_markup_survives() {
        let ours = r##"<h2 id="cause">Cause</h2><div class="alert alert-note" role="note"><p class="alert-title">Note</p></div><span class="broken-link" title="x.md is not available">x</span><ul><li><input disabled="" type="checkbox" checked="">done</li></ul><a href="../fixes/restart/index.html">fix</a><a href="#cause">#</a>"##;
        assert_eq!(clean(ours), ours);
    }
}
