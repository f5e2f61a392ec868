//! A fix's HTML made fit to sit inside an article page.
//!
//! Receives the fix body as its own page renders it and returns the same
//! HTML with every heading moved two levels down (the fix's title is the
//! `<summary>` under the article's "Fixes" `<h2>`, so the fix's own `<h2>`
//! becomes an `<h4>`) and every `id` and in-page `#` link prefixed with the
//! fix's id. Without this, an article citing three fixes had three
//! `<h2 id="steps">`: duplicate ids and headings at the article's own level.
//! The HTML is kbgen's own output (rendered and sanitised), so tags are
//! well formed and a `<` in text is always escaped.

use crate::model::site::Site;
use regex::Regex;
use std::sync::{Arc, LazyLock, OnceLock};

static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<(/?)h([1-6])\b").unwrap());
/// An `id` or `href="#…"` attribute inside a tag (text never holds a raw `<`).
static ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r##"(<[a-zA-Z][^<>]*?\s(?:id="|href="#))([^"]*)""##).unwrap());

/// `html` of the fix `fix_id`, nested two heading levels down with its ids
/// prefixed `fix-<id>-`.
pub(crate) fn nest_fix(html: &str, fix_id: &str) -> String {
    let prefix = format!("fix-{}-", crate::urls::slug_name(fix_id));
    let demoted = HEADING.replace_all(html, |c: &regex::Captures<'_>| {
        let level: u8 = c[2].parse().unwrap_or(6);
        format!("<{}h{}", &c[1], (level + 2).min(6))
    });
    ANCHOR
        .replace_all(&demoted, |c: &regex::Captures<'_>| {
            format!("{}{prefix}{}\"", &c[1], &c[2])
        })
        .into_owned()
}

/// Each fix's HTML as [`nest_fix`] makes it, made the first time an
/// article page shows the fix and shared by every other page that does:
/// it depends on the fix alone, and 500 generated fixes were nested
/// 30,000 times for 10,000 articles.
pub(crate) struct NestedFixes<'a> {
    site: &'a Site,
    made: Vec<OnceLock<String>>,
}

impl<'a> NestedFixes<'a> {
    /// The nested fixes of `site`, none made yet.
    pub(crate) fn new(site: &'a Site) -> Arc<NestedFixes<'a>> {
        Arc::new(NestedFixes {
            site,
            made: (0..site.fixes.len()).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The nested HTML of fix number `f`.
    pub(crate) fn html(&self, f: usize) -> &str {
        self.made[f].get_or_init(|| {
            let fix = &self.site.fixes[f];
            nest_fix(&fix.html.unpack(), &fix.id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::nest_fix;

    #[test]
    fn headings_go_two_levels_down_and_ids_get_the_fix_prefix() {
        let html = r##"<h2 id="steps">Steps</h2><p><a href="#steps">up</a> <a href="../x/index.html#y">x</a> id="no"</p><h5 id="v">V</h5>"##;
        assert_eq!(
            nest_fix(html, "renew-cert"),
            r##"<h4 id="fix-renew-cert-steps">Steps</h4><p><a href="#fix-renew-cert-steps">up</a> <a href="../x/index.html#y">x</a> id="no"</p><h6 id="fix-renew-cert-v">V</h6>"##
        );
    }
}
