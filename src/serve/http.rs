//! Pure request helpers for `kbgen serve`: a request target in, a decision
//! out. Kept free of sockets and threads so the rules that keep the server
//! inside the output folder can be unit-tested one by one.
//!
//! A URL path is first checked as text ([`parse_target`]: no `..`, no
//! encoded `/` or `\`, no drive letters), then against the file system
//! ([`locate`]: canonicalised, so a symlink that leads outside the output
//! folder is refused like any other escape).

use crate::render::theme::escape_html;
use std::path::{Path, PathBuf};

/// The path part of a request target, split into decoded segments that are
/// each safe to join onto the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlPath {
    /// Decoded, non-empty segments; none is `.`, `..`, or holds `/`, `\`, `:` or NUL.
    pub segments: Vec<String>,
    /// The path ended with `/` (or was `/`).
    pub trailing_slash: bool,
    /// The raw path as requested, without query; used to build redirects.
    pub raw: String,
}

/// What a path names in the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file inside the output folder (canonical path).
    File(PathBuf),
    /// A folder asked without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing servable: missing, outside the output folder, or a folder without `index.html`.
    NotFound,
}

/// Splits a request target into its path and query (the fragment never reaches a server).
pub(crate) fn split_target(target: &str) -> (&str, &str) {
    match target.split_once('?') {
        Some((path, query)) => (path, query),
        None => (target, ""),
    }
}

/// Checks a request path as text. `None` for anything that could name a
/// file outside the output folder or is not an origin-form path.
pub(crate) fn parse_target(path: &str) -> Option<UrlPath> {
    if !path.starts_with('/') || path.contains('\\') {
        return None;
    }
    let mut segments = Vec::new();
    for raw in path.split('/') {
        if raw.is_empty() {
            continue;
        }
        let seg = percent_decode(raw)?;
        let unsafe_char = seg.contains(['/', '\\', ':', '\0']);
        if unsafe_char || seg == "." || seg == ".." {
            return None;
        }
        segments.push(seg);
    }
    Some(UrlPath {
        segments,
        trailing_slash: path.ends_with('/'),
        raw: path.to_string(),
    })
}

/// Finds what `path` names under `root`, following symlinks only while they
/// stay inside `root`. Folders serve their `index.html`; there is no listing.
pub(crate) fn locate(root: &Path, path: &UrlPath) -> Target {
    let Ok(root) = root.canonicalize() else {
        return Target::NotFound;
    };
    let mut joined = root.clone();
    joined.extend(&path.segments);
    let Some(found) = inside(&root, &joined) else {
        return Target::NotFound;
    };
    if found.is_file() {
        return Target::File(found);
    }
    if !found.is_dir() {
        return Target::NotFound;
    }
    if !path.trailing_slash {
        return Target::Redirect(format!("{}/", path.raw));
    }
    match inside(&root, &found.join("index.html")) {
        Some(index) if index.is_file() => Target::File(index),
        _ => Target::NotFound,
    }
}

/// The canonical form of `path` when it exists and lies within `root` (canonical).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let canonical = path.canonicalize().ok()?;
    canonical.starts_with(root).then_some(canonical)
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value of `name` in a query string (`+` is a space), when present and well formed.
pub(crate) fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name)
            .then(|| percent_decode(&value.replace('+', " ")))
            .flatten()
    })
}

/// Content type from the file extension; unknown types are served as bytes.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" | "md" | "log" | "csv" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// True for the types a reader's browser could run script in, or that a
/// theme never serves: everything but the site's own pages, scripts,
/// styles and fonts, and PDFs (whose viewer a sandbox breaks).
pub(crate) fn sandboxed(content_type: &str) -> bool {
    let own = [
        "text/html",
        "text/css",
        "text/javascript",
        "font/",
        "application/pdf",
    ];
    !own.iter().any(|t| content_type.starts_with(t))
}

/// Path of the live-reload script, absolute from the server root so it
/// works from a page at any depth.
pub(crate) const LIVE_SCRIPT: &str = "/__kbgen/live.js";

/// Adds the live-reload script before the last `</body>` (or at the end).
/// `version` is the site version the page was read at, so the script can
/// reload at once when a rebuild finished before its first poll.
pub(crate) fn inject_live_script(html: &str, version: u64) -> String {
    let tag = format!("<script src=\"{LIVE_SCRIPT}?v={version}\"></script>\n");
    let at = html
        .rfind("</body>")
        .or_else(|| html.to_ascii_lowercase().rfind("</body>"))
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + tag.len());
    out.push_str(&html[..at]);
    out.push_str(&tag);
    out.push_str(&html[at..]);
    out
}

/// The page served in place of the site while no build has succeeded yet.
pub(crate) fn error_page(error: &str, version: u64) -> String {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Build failed · kbgen serve</title>\n</head>\n<body data-kbgen-error-page>\n\
         <h1>The site could not be built</h1>\n\
         <p>kbgen serve has no good build to show yet. Fix the problems below and save; \
         this page reloads by itself.</p>\n<pre>{}</pre>\n</body>\n</html>\n",
        escape_html(error)
    );
    inject_live_script(&html, version)
}
