//! Redirects: a page moved or renamed keeps its old addresses. Each
//! `aliases:` entry of an article (an old content path `old/path.md`, or an
//! old URL `/old/url/` or `/kb/123.html`) gets a small page that sends the
//! reader on with a meta refresh and a link — relative, so it works from
//! `file://` too. Redirect pages are left out of the sitemap, which lists
//! only the page they point at.
//!
//! Each build also writes [`URL_LIST`], the article and alias URLs it
//! published; the next `kbgen build`/`check` warns about every URL of that
//! list that is gone without an alias, since links in tickets and chats
//! would break.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::meta::Located;
use crate::model::site::Site;
use crate::model::RESERVED;
use crate::output::OutputFile;
use crate::urls::{path_to_root, slug_segment};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The file, at the output root, listing the URLs a build published.
pub(crate) const URL_LIST: &str = "kbgen-urls.txt";

/// One alias: the file it makes and the article it sends readers to.
struct Alias<'a> {
    /// Output path of the redirect page (`old/url/index.html`).
    path: String,
    article: usize,
    written: &'a Located,
}

/// The output path an alias makes; `Err` says why it cannot be one.
fn alias_path(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() || trimmed.contains(['\\', '?', '#']) || alias.contains("://") {
        return Err("an alias is a path of this site: `old/path.md` or `/old/url/`");
    }
    let segments: Vec<&str> = trimmed.trim_end_matches('/').split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err("an alias cannot climb with `..` or have empty parts");
    }
    if RESERVED.contains(&segments[0]) || segments[0] == "fixes" {
        return Err("that folder is kbgen's own");
    }
    let last = segments[segments.len() - 1];
    let url_safe = |s: &str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || "-_.~%+".contains(c))
    };
    if !last.ends_with(".md") && !segments.iter().all(|s| url_safe(s)) {
        return Err("an old URL may hold only letters, digits and `-_.~%+` between its slashes");
    }
    let stem = last
        .strip_suffix(".md")
        .or_else(|| last.strip_suffix(".markdown"));
    Ok(match stem {
        // An old content path: its page, as the site would have made it.
        Some(stem) => {
            let mut dirs: Vec<String> = segments[..segments.len() - 1]
                .iter()
                .map(|s| slug_segment(s))
                .collect();
            dirs.push(slug_segment(stem));
            format!("{}/index.html", dirs.join("/"))
        }
        None if last.ends_with(".html") || last.ends_with(".htm") => segments.join("/"),
        None => format!("{}/index.html", segments.join("/")),
    })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every valid alias of the site, and a diagnostic for each one that is not.
fn aliases(site: &Site) -> (Vec<Alias<'_>>, Diagnostics) {
    let pages: BTreeSet<String> = site.articles.iter().map(|a| a.url()).collect();
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    let mut diags = Diagnostics::default();
    for (i, a) in site.articles.iter().enumerate() {
        for written in &a.meta.aliases {
            let error = |why: String| {
                Diagnostic::error(
                    &a.display_path,
                    written.line,
                    1,
                    format!("alias `{}`: {why}", written.value),
                )
                .hint("write an earlier address of this page: `aliases: [old/path.md, /old/url/]`")
            };
            let path = match alias_path(&written.value) {
                Ok(p) => p,
                Err(why) => {
                    diags.push(error(why.to_string()));
                    continue;
                }
            };
            if pages.contains(&path) {
                diags.push(error(format!("`{path}` is the page of an article")));
            } else if let Some(&other) = taken.get(&path).filter(|&&o| o != i) {
                let other = &site.articles[other].display_path;
                diags.push(error(format!("{other} has the same alias")));
            } else if taken.insert(path.clone(), i).is_none() {
                out.push(Alias {
                    path,
                    article: i,
                    written,
                });
            }
        }
    }
    (out, diags)
}

/// The redirect pages and the URL list.
pub(crate) fn render(site: &Site) -> Vec<OutputFile> {
    let (aliases, _) = aliases(site);
    let mut urls: Vec<String> = site.articles.iter().map(|a| a.url()).collect();
    let mut files = Vec::new();
    for alias in &aliases {
        let a = &site.articles[alias.article];
        let dir = alias.path.rsplit_once('/').map_or("", |(d, _)| d);
        let to = format!("{}{}", path_to_root(dir), a.url());
        let title = esc(&a.title);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>This page has moved: <a href=\"{to}\">{title}</a>.</p>\n<!-- alias `{from}` -->\n</body>\n</html>\n",
            lang = esc(&site.info.language),
            from = esc(&alias.written.value),
        );
        files.push(OutputFile::text(alias.path.clone(), html));
        urls.push(alias.path.clone());
    }
    urls.sort();
    let mut list = urls.join("\n");
    list.push('\n');
    files.push(OutputFile::text(URL_LIST.to_string(), list));
    files
}

/// Bad aliases (errors), and the URLs the previous build in `output`
/// published that this one drops without an alias (warnings).
pub(crate) fn check(site: &Site, output: &Path) -> Diagnostics {
    let (aliases, mut diags) = aliases(site);
    let Ok(previous) = std::fs::read_to_string(output.join(URL_LIST)) else {
        return diags;
    };
    let now: BTreeSet<String> = site
        .articles
        .iter()
        .map(|a| a.url())
        .chain(aliases.into_iter().map(|a| a.path))
        .collect();
    let list = output.join(URL_LIST).display().to_string();
    for (n, url) in previous.lines().enumerate() {
        if !url.is_empty() && !now.contains(url) {
            diags.push(
                Diagnostic::warning(&list, n + 1, 1, format!("`{url}` was published by the previous build and is gone"))
                    .hint("if the article moved, add its old address to the new file's front matter: `aliases: [/old/url/]`"),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::alias_path;

    #[test]
    fn alias_paths() {
        assert_eq!(
            alias_path("iis/Old Name.md").unwrap(),
            "iis/old-name/index.html"
        );
        assert_eq!(alias_path("/old/url/").unwrap(), "old/url/index.html");
        assert_eq!(alias_path("/kb/123.html").unwrap(), "kb/123.html");
        assert!(alias_path("../x").is_err());
        assert!(alias_path("/events/x/").is_err());
        assert!(alias_path("https://e.x/a").is_err());
    }
}
