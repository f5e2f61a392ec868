//! The watcher's paths read back into sources: which Markdown files of the
//! last build changed and their new text, or why the change needs a full build.

use super::Live;
use crate::load::{self, Source};
use std::path::{Path, PathBuf};

/// A file that changed, read again.
pub(super) struct Changed {
    /// Index in `Live::sources`.
    pub(super) at: usize,
    pub(super) source: Source,
}

impl Live {
    /// The changed Markdown files, read again; `Err` with the reason when
    /// the change is one an update does not handle.
    pub(super) fn read_changes(&self, changed: &[PathBuf]) -> Result<Vec<Changed>, String> {
        let mut edits: Vec<Changed> = Vec::new();
        for path in changed {
            let show = path.display();
            let Ok(rel) = canonical(path)
                .strip_prefix(&self.source_root)
                .map(Path::to_path_buf)
            else {
                return Err(format!("{show} changed"));
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.is_empty() {
                return Err("the content folder itself changed".into());
            }
            // Hidden files and folders are never read.
            if parts
                .iter()
                .any(|p| p.starts_with('.') || p == "node_modules")
            {
                continue;
            }
            let rel = parts.join("/");
            let is_md = Path::new(&rel)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| {
                    e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
                });
            if path.is_dir() {
                return Err(format!("folder {rel} was added or changed"));
            }
            if !is_md {
                return Err(format!("{rel} is not a Markdown file"));
            }
            let Ok(at) = self
                .content
                .sources
                .binary_search_by(|s| s.rel_path.as_str().cmp(&rel))
            else {
                return Err(format!("{rel} was added"));
            };
            let meta = match std::fs::symlink_metadata(path) {
                Ok(m) => m,
                Err(_) => return Err(format!("{rel} was deleted or renamed")),
            };
            if !meta.is_file() || meta.len() > self.settings.max_file_bytes {
                return Err(format!("{rel} is no longer a readable Markdown file"));
            }
            let Ok(bytes) = std::fs::read(path) else {
                return Err(format!("{rel} cannot be read"));
            };
            let Ok(text) = load::decode(bytes) else {
                return Err(format!("{rel} is not UTF-8"));
            };
            let old = &self.content.sources[at];
            if old.text == text || edits.iter().any(|e| e.at == at) {
                continue;
            }
            edits.push(Changed {
                at,
                source: Source {
                    rel_path: old.rel_path.clone(),
                    display_path: old.display_path.clone(),
                    text,
                },
            });
        }
        Ok(edits)
    }
}

pub(super) fn canonical(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    // A deleted file: its folder still resolves.
    match (
        abs.parent().and_then(|p| p.canonicalize().ok()),
        abs.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => abs,
    }
}
