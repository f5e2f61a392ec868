//! `sitemap.xml` and `atom.xml`. Both need absolute URLs, so entries carry
//! the configured `base_url`. The sitemap protocol forbids relative URLs
//! (and the home page's would be empty), so without a `base_url` there is no
//! sitemap (`kbgen build` says so); the feed uses the relative form, which
//! feed readers resolve against the feed's URL. An article's `<lastmod>` is
//! its `updated` (else `date`).

use crate::model::site::Site;
use crate::output::OutputFile;

fn esc(s: &str) -> String {
    crate::printable::xml(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Both feed files.
pub(crate) fn render(site: &Site, pages: &[String]) -> Vec<OutputFile> {
    let base = site.info.base_url.clone().unwrap_or_default();
    let sitemap = site
        .info
        .base_url
        .as_deref()
        .map(|b| sitemap(site, b, pages));
    let dated = site.articles_by_date();
    let date_of = |i: &usize| site.last_changed(*i);
    let updated = dated
        .first()
        .and_then(date_of)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut atom = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <link href=\"{}index.html\"/>\n",
        esc(&site.info.language),
        esc(&site.info.title),
        esc(&if base.is_empty() { "urn:kbgen:feed".to_string() } else { base.clone() }),
        esc(&base),
        esc(&base)
    );
    for &i in dated.iter().take(50) {
        let a = &site.articles[i];
        let when = date_of(&i).map_or_else(|| updated.clone(), |d| d.rfc3339());
        let link = format!("{base}{}", a.url());
        atom.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{when}</updated>\n{}{}  </entry>\n",
            esc(&a.title),
            esc(&if base.is_empty() { format!("urn:kbgen:{}", a.rel_path) } else { link.clone() }),
            esc(&link),
            a.meta.authors.iter().map(|n| format!("    <author><name>{}</name></author>\n", esc(n))).collect::<String>(),
            a.meta.summary.as_ref().map(|s| format!("    <summary>{}</summary>\n", esc(s))).unwrap_or_default(),
        ));
    }
    atom.push_str("</feed>\n");
    let mut files = vec![OutputFile::text("atom.xml", atom)];
    files.extend(sitemap.map(|s| OutputFile::text("sitemap.xml", s)));
    files
}

/// `sitemap.xml`: every page under `base`, articles with `<lastmod>`.
fn sitemap(site: &Site, base: &str, pages: &[String]) -> String {
    let changed: std::collections::HashMap<String, String> = (0..site.articles.len())
        .filter_map(|i| Some((site.articles[i].url(), site.last_changed(i)?.to_string())))
        .collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        let loc = esc(&format!(
            "{base}{}",
            p.strip_suffix("index.html").unwrap_or(p)
        ));
        match changed.get(p) {
            Some(d) => out.push_str(&format!(
                "  <url><loc>{loc}</loc><lastmod>{d}</lastmod></url>\n"
            )),
            None => out.push_str(&format!("  <url><loc>{loc}</loc></url>\n")),
        }
    }
    out.push_str("</urlset>\n");
    out
}
