//! Stage 1: walk the content folder and read every file.
//!
//! Receives [`Settings`]; returns the Markdown [`Source`]s (valid UTF-8, BOM
//! removed, line endings normalised to `\n` so positions count the same on
//! every platform) and the other files to copy as [`Asset`]s. Unreadable or
//! invalid files become diagnostics, never panics, and are never silently
//! dropped.

pub(crate) mod attachments;
pub(crate) mod front_matter;

use crate::config::Settings;
use crate::diag::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One Markdown file of the content folder.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Path relative to the content root, `/`-separated (`iis/w3svc-5002.md`).
    pub rel_path: String,
    /// Path as shown in diagnostics (`kb/iis/w3svc-5002.md`).
    pub display_path: String,
    /// File contents.
    pub text: String,
}

/// A non-Markdown file (an image, a download) copied to the same relative path.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Path relative to the content root.
    pub rel_path: String,
    /// Where to read it from.
    pub abs_path: PathBuf,
}

/// Everything read from the content folder.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// Markdown files, sorted by path.
    pub sources: Vec<Source>,
    /// Other files, sorted by path.
    pub assets: Vec<Asset>,
}

/// Reads the content folder.
pub(crate) fn load(settings: &Settings, diags: &mut Diagnostics) -> Loaded {
    let root = &settings.source;
    let mut loaded = Loaded::default();
    if !root.is_dir() {
        diags.push(
            Diagnostic::error(root.display().to_string(), 0, 0, "content folder not found")
                .hint("run kbgen in the folder that holds kb/ and kb.toml, or pass --source DIR"),
        );
        return loaded;
    }
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    // Hidden folders are never entered; hidden files are looked at only to
    // warn about secrets.
    let skipped = |e: &walkdir::DirEntry| e.file_type().is_dir() && is_hidden(e.file_name());
    // Markdown files are read after the walk, on every core.
    let mut markdown: Vec<(PathBuf, String)> = Vec::new();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !skipped(e)) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                diags.push(
                    Diagnostic::error(path, 0, 0, format!("cannot read: {e}"))
                        .hint("check the file permissions"),
                );
                continue;
            }
        };
        warn_if_secret(&entry, diags);
        if is_hidden(entry.file_name()) {
            continue;
        }
        if entry.file_type().is_symlink() {
            let display = entry.path().display().to_string();
            diags.push(
                Diagnostic::warning(display, 0, 0, "symbolic link skipped").hint(
                    "links can point outside the content folder or loop; copy the file in instead",
                ),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel_path) = relative(root, entry.path()) else {
            continue;
        };
        if is_markdown(entry.path()) {
            markdown.push((entry.into_path(), rel_path));
        } else {
            loaded.assets.push(Asset {
                rel_path,
                abs_path: entry.path().to_path_buf(),
            });
        }
    }
    loaded.sources = read_all(markdown, settings.max_file_bytes, diags);
    loaded
}

/// Reads the Markdown files in parallel (on a cold disk the reads wait on
/// each other otherwise), keeping their order and each file's problems.
fn read_all(files: Vec<(PathBuf, String)>, max_bytes: u64, diags: &mut Diagnostics) -> Vec<Source> {
    let read: Vec<(Option<Source>, Diagnostics)> = files
        .into_par_iter()
        .map(|(path, rel_path)| {
            let mut d = Diagnostics::default();
            (read_source(&path, rel_path, max_bytes, &mut d), d)
        })
        .collect();
    let mut sources = Vec::with_capacity(read.len());
    for (source, d) in read {
        diags.extend(d);
        sources.extend(source);
    }
    sources
}

/// A file whose name says it holds a secret is reported: it is never
/// published (see [`attachments`]), but it should not be in a folder that
/// many people write and read either.
fn warn_if_secret(entry: &walkdir::DirEntry, diags: &mut Diagnostics) {
    let name = entry.file_name().to_string_lossy();
    if let Some(kind) = attachments::looks_secret(&name) {
        diags.push(
            Diagnostic::warning(
                entry.path().display().to_string(),
                0,
                0,
                format!("this file looks like {kind}; kbgen does not publish it"),
            )
            .hint(
                "move it out of the content folder; if it was ever shared, treat it as leaked and replace it",
            ),
        );
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n == "node_modules")
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn read_source(
    path: &Path,
    rel_path: String,
    max_bytes: u64,
    diags: &mut Diagnostics,
) -> Option<Source> {
    let display_path = path.display().to_string();
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(&display_path, 0, 0, format!("cannot read: {e}"))
            .hint("check the file permissions")
    };
    // One open, its size from the open file, one read into a buffer of
    // that size: no second lookup of the path per file.
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            diags.push(cannot_read(e));
            return None;
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max_bytes {
        diags.push(
            Diagnostic::error(
                &display_path,
                0,
                0,
                format!("file is {size} bytes, over the limit of {max_bytes}"),
            )
            .hint("split the article, or raise max_file_bytes in kb.toml"),
        );
        return None;
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    if let Err(e) = std::io::Read::read_to_end(&mut file, &mut bytes) {
        diags.push(cannot_read(e));
        return None;
    }
    match decode(bytes) {
        Ok(text) => Some(Source {
            rel_path,
            display_path,
            text,
        }),
        Err((line, col)) => {
            diags.push(
                Diagnostic::error(&display_path, line, col, "file is not valid UTF-8").hint(
                    "re-save the file as UTF-8 (most editors have an encoding option in Save As)",
                ),
            );
            None
        }
    }
}

/// Decodes UTF-8, dropping a BOM and turning CRLF/CR into LF; on invalid
/// bytes returns the 1-based line and column of the first one.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            return Err(crate::diag::line_col(&prefix, prefix.len()));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text)
    }
}
