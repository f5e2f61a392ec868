//! File watching for `kbgen serve`: the content folder, the theme folder
//! and `kb.toml` in, one settled batch of changed paths out per save.
//!
//! `notify` reports raw events, including the file opens that a build
//! itself causes (inotify's `OPEN`), so events are filtered by kind and by
//! path here; a batch is closed once no relevant event has come for
//! [`QUIET`], so an editor's write-rename-chmod sequence is one rebuild,
//! not three. Changes are not classified here: the build loop decides
//! whether a batch can be applied to the last build or needs a full one
//! (`pipeline::incremental`). Folders created while serving are watched,
//! including the watched folders themselves when they did not exist yet.

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long the files must be quiet before a batch is handed over.
pub(crate) const QUIET: Duration = Duration::from_millis(150);
/// Longest wait for quiet, so a file written continuously still rebuilds.
const MAX_SETTLE: Duration = Duration::from_secs(2);

/// What changed since the last batch.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// Changed files and folders, sorted.
    pub(crate) paths: Vec<PathBuf>,
    /// Problems the watcher reported meanwhile.
    pub(crate) errors: Vec<String>,
}

/// Watches folders recursively and single files through their folder.
pub(crate) struct Watch {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
    /// Folders that did not exist yet (`themes/` usually): their parent is
    /// watched, and they are watched themselves once they appear.
    missing: Vec<PathBuf>,
}

impl Watch {
    /// Watches each of `folders` (recursively) and each of `files`. A folder
    /// that does not exist yet is watched from the moment it is created;
    /// folders created inside watched ones are watched too (by `notify`).
    pub(crate) fn new(folders: &[PathBuf], files: &[PathBuf]) -> Result<Watch> {
        let (tx, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx).context("cannot start watching files")?;
        let folders: Vec<PathBuf> = folders.iter().filter_map(|f| absolute(f)).collect();
        let files: Vec<PathBuf> = files.iter().filter_map(|f| absolute_file(f)).collect();
        let mut missing = Vec::new();
        for folder in &folders {
            if folder.is_dir() {
                watcher
                    .watch(folder, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {}", folder.display()))?;
            } else if let Some(parent) = folder.parent().filter(|p| p.is_dir()) {
                watcher
                    .watch(parent, RecursiveMode::NonRecursive)
                    .with_context(|| format!("cannot watch {}", parent.display()))?;
                missing.push(folder.clone());
            }
        }
        // Editors replace files by renaming over them, which ends a watch on
        // the file itself; watching its folder survives that.
        for file in &files {
            if let Some(parent) = file.parent().filter(|p| p.is_dir()) {
                watcher
                    .watch(parent, RecursiveMode::NonRecursive)
                    .with_context(|| format!("cannot watch {}", parent.display()))?;
            }
        }
        Ok(Watch {
            watcher,
            events,
            folders,
            files,
            missing,
        })
    }

    /// Blocks until something relevant changed and the files are quiet again.
    pub(crate) fn next_batch(&mut self) -> Result<Batch> {
        self.next_batch_until(Instant::now() + Duration::from_secs(u64::from(u32::MAX)))
    }

    /// [`Watch::next_batch`], or an empty batch once `deadline` passed with no change.
    pub(crate) fn next_batch_until(&mut self, deadline: Instant) -> Result<Batch> {
        let mut changed = BTreeSet::new();
        let mut batch = Batch::default();
        while changed.is_empty() {
            let wait = deadline.saturating_duration_since(Instant::now());
            let event = match self.events.recv_timeout(wait) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Ok(batch),
                Err(RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the file watcher stopped unexpectedly")
                }
            };
            self.take(event, &mut changed, &mut batch.errors);
        }
        let started = Instant::now();
        let mut last = Instant::now();
        loop {
            let deadline = (last + QUIET).min(started + MAX_SETTLE);
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    if self.take(event, &mut changed, &mut batch.errors) {
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        batch.paths = changed.into_iter().collect();
        Ok(batch)
    }

    /// Adds the relevant paths of one event; true when there were any.
    fn take(
        &mut self,
        event: notify::Result<notify::Event>,
        changed: &mut BTreeSet<PathBuf>,
        errors: &mut Vec<String>,
    ) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                errors.push(e.to_string());
                return false;
            }
        };
        if !changes_content(&event.kind) {
            return false;
        }
        self.watch_created_folders(errors);
        let before = changed.len();
        for path in event.paths {
            if self.is_relevant(&path) {
                changed.insert(path);
            }
        }
        changed.len() > before
    }

    /// Starts watching the missing folders that exist now.
    fn watch_created_folders(&mut self, errors: &mut Vec<String>) {
        let watcher = &mut self.watcher;
        self.missing.retain(|folder| {
            if !folder.is_dir() {
                return true;
            }
            if let Err(e) = watcher.watch(folder, RecursiveMode::Recursive) {
                errors.push(format!("cannot watch {}: {e}", folder.display()));
            }
            false
        });
    }

    fn is_relevant(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f == path)
            || (self.folders.iter().any(|f| path.starts_with(f)) && !is_editor_junk(path))
    }
}

/// Writes, creations, removals and renames; not opens or reads, which a
/// build causes itself.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Swap, backup, lock and temporary files that editors and tools write
/// beside the real one (vim, Emacs, Kate, JetBrains, GNOME, LibreOffice,
/// `sed -i`): a save must rebuild once, for the real file, and the log line
/// must name that file.
pub(crate) fn is_editor_junk(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let vim_swap = name.len() > 4
        && name.starts_with('.')
        && name[name.len() - 4..].starts_with(".sw")
        && name.ends_with(|c: char| c.is_ascii_lowercase());
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || vim_swap
        || is_sed_temp(&name)
        || [".goutputstream-", ".~lock."]
            .iter()
            .any(|p| name.starts_with(p))
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".crswap",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// GNU `sed -i` writes its output to `sedXXXXXX` (six random letters or
/// digits) in the file's folder, then renames it over the file.
fn is_sed_temp(name: &str) -> bool {
    name.len() == 9
        && name.starts_with("sed")
        && name[3..].chars().all(|c| c.is_ascii_alphanumeric())
}

fn absolute(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    // Events name canonical paths on some platforms (macOS /private/var).
    Some(abs.canonicalize().unwrap_or(abs))
}

/// A file's absolute path through its canonical folder: the file itself may
/// be a symlink, and events name the link, not its target.
fn absolute_file(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let name = abs.file_name()?;
    Some(absolute(abs.parent()?)?.join(name))
}
