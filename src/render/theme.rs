//! The theme: tera templates and static files. The default theme is
//! compiled into the binary; a site's `themes/<name>/templates/*.html` and
//! `themes/<name>/static/*` override it file by file, so a theme can change
//! one partial without copying the rest.

use crate::config::Settings;
use crate::output::OutputFile;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use tera::Tera;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// Built-in templates, by name.
pub(crate) const TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "partials/header.html",
    "partials/footer.html",
    "partials/search_box.html",
    "partials/article_list.html",
    "partials/signature.html",
    "partials/citations.html",
    "partials/freshness.html",
    "index.html",
    "article.html",
    "fix.html",
    "event.html",
    "event_id.html",
    "events.html",
    "code.html",
    "taxonomy.html",
    "listing.html",
    "search.html",
    "404.html",
);

/// Built-in static files, by output path under `assets/`.
pub(crate) const STATIC: &[(&str, &str)] = &[
    ("kb.css", include_str!("../../themes/default/static/kb.css")),
    (
        "search.js",
        include_str!("../../themes/default/static/search.js"),
    ),
    (
        "page.js",
        include_str!("../../themes/default/static/page.js"),
    ),
    (
        "favicon.svg",
        include_str!("../../themes/default/static/favicon.svg"),
    ),
    (
        "kbgen-analyze.js",
        include_str!("../../themes/default/static/kbgen-analyze.js"),
    ),
    (
        "kbgen-versions.js",
        include_str!("../../themes/default/static/kbgen-versions.js"),
    ),
    (
        "kbgen-search.js",
        include_str!("../../themes/default/static/kbgen-search.js"),
    ),
    (
        "kbgen-remote.js",
        include_str!("../../themes/default/static/kbgen-remote.js"),
    ),
    // The search page's log scan.
    (
        "scan-page.js",
        include_str!("../../themes/default/static/scan-page.js"),
    ),
    (
        "kbgen-scan-formats.js",
        include_str!("../../themes/default/static/kbgen-scan-formats.js"),
    ),
    (
        "kbgen-scan-readers.js",
        include_str!("../../themes/default/static/kbgen-scan-readers.js"),
    ),
    (
        "kbgen-scan-events.js",
        include_str!("../../themes/default/static/kbgen-scan-events.js"),
    ),
    (
        "kbgen-scan-evtx.js",
        include_str!("../../themes/default/static/kbgen-scan-evtx.js"),
    ),
    (
        "kbgen-scan.js",
        include_str!("../../themes/default/static/kbgen-scan.js"),
    ),
    (
        "kbgen-scan-report.js",
        include_str!("../../themes/default/static/kbgen-scan-report.js"),
    ),
    (
        "kbgen-scan-bundle.js",
        include_str!("../../themes/default/static/kbgen-scan-bundle.js"),
    ),
];

/// The folder of the configured theme in the site, if it has one.
fn theme_dir(settings: &Settings) -> Result<Option<PathBuf>> {
    let dir = settings.project_dir.join("themes").join(&settings.theme);
    if dir.is_dir() {
        Ok(Some(dir))
    } else if settings.theme == "default" {
        Ok(None)
    } else {
        bail!(
            "theme `{}` not found: expected a folder {} (or set theme = \"default\" in kb.toml)",
            settings.theme,
            dir.display()
        )
    }
}

/// Files under `themes/<name>/<sub>/` of the site's theme, as (relative
/// `/`-separated path, bytes), sorted; empty without a theme folder.
fn theme_files(settings: &Settings, sub: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let Some(dir) = theme_dir(settings)? else {
        return Ok(Vec::new());
    };
    let root = dir.join(sub);
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry =
            entry.with_context(|| format!("cannot read theme folder {}", root.display()))?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(&root)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, crate::fsx::read(entry.path())?));
        }
    }
    Ok(files)
}

/// Loads templates: the site's theme first, the built-in ones for the rest.
pub(crate) fn load(settings: &Settings) -> Result<Tera> {
    let mut templates: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    for (name, bytes) in theme_files(settings, "templates")? {
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!(
                "template {name} of theme `{}` is not valid UTF-8",
                settings.theme
            )
        })?;
        templates.retain(|(n, _)| *n != name);
        templates.push((name, text));
    }
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    // Ours rather than Tera's, which leaves `'` as it is: a theme may
    // quote an attribute with it.
    tera.set_escape_fn(escape_into);
    tera.add_raw_templates(templates)
        .map_err(|e| anyhow::anyhow!("{}", template_error(&e)))?;
    Ok(tera)
}

/// A tera error as one message: its report (the template, line and
/// column, and what was expected) without the `error: ` that tera puts
/// before it, since ours says it already.
pub(crate) fn template_error(e: &tera::Error) -> String {
    let text = crate::diag::error_chain(e);
    match text.strip_prefix("error: ") {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Static files: built-in, then the theme's `static/` over them.
pub(crate) fn static_files(settings: &Settings) -> Result<Vec<OutputFile>> {
    let mut files: Vec<OutputFile> = STATIC
        .iter()
        .map(|(n, t)| OutputFile::text(format!("assets/{n}"), t.to_string()))
        .collect();
    for (rel, bytes) in theme_files(settings, "static")? {
        let path = format!("assets/{rel}");
        files.retain(|f| f.path != path);
        files.push(OutputFile { path, bytes });
    }
    Ok(files)
}

/// Tera's escape function: [`escape_html`] written to its output.
fn escape_into(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::escape::escape_html_to(out, s)
}

/// Escapes text for HTML content and quoted attributes.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::escape::escape_html_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_the_five_characters_and_keeps_the_rest() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain — ✓"), "plain — ✓");
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("é&é"), "é&amp;é");
    }
}
