//! `kbgen serve`'s edit of the site it serves: only the files an edit
//! changed are replaced, in place, instead of writing a whole new site.
//!
//! Each file is first written in full into a staging folder beside the
//! output (the same file system), then all are renamed over their old
//! versions while the swap lock is held for writing; requests hold it for
//! reading, so a reader sees the site before the edit or after it, never
//! half a file nor half an edit.

use super::{is_safe_relative, OutputFile, SWAP};
use crate::fsx;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::path::Path;

/// Writes `write` and deletes `remove` (paths relative to the output root)
/// in the site in `output`; folders left empty go too.
pub fn patch_site(output: &Path, write: &[OutputFile], remove: &[String]) -> Result<()> {
    let super::Placed {
        output,
        parent,
        name,
    } = super::placed(output)?;
    if !output.join(super::MARKER).is_file() {
        bail!(
            "{} is not a site kbgen wrote; refusing to change it",
            output.display()
        );
    }
    // Named like a build's staging folder, so a build cleans up after a crash.
    let staging = parent.join(format!(
        ".{name}.kbgen-staging-{}-patch",
        std::process::id()
    ));
    let result = patch(&output, &staging, write, remove);
    let _ = fsx::remove_dir_all(&staging);
    result
}

fn patch(output: &Path, staging: &Path, write: &[OutputFile], remove: &[String]) -> Result<()> {
    fsx::remove_dir_all(staging)?;
    fsx::create_dir_all(staging)?;
    for path in write.iter().map(|f| &f.path).chain(remove) {
        if !is_safe_relative(path) {
            bail!("refusing to write `{path}`: the path leaves the output folder");
        }
    }
    write
        .par_iter()
        .enumerate()
        .try_for_each(|(i, f)| fsx::write(&staging.join(i.to_string()), &f.bytes))?;
    for f in write {
        if let Some(dir) = output.join(&f.path).parent() {
            fsx::create_dir_all(dir)?;
        }
    }
    let _swapping = SWAP.write().unwrap_or_else(|e| e.into_inner());
    for (i, f) in write.iter().enumerate() {
        // Removed first: ext4 flushes a file renamed over another one to
        // disk (`auto_da_alloc`), which took 2 ms a file while other
        // programs wrote. Readers hold the lock, so none finds it missing.
        let target = output.join(&f.path);
        let _ = std::fs::remove_file(&target);
        fsx::rename(&staging.join(i.to_string()), &target)?;
    }
    for path in remove {
        let file = output.join(path);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {}", file.display()));
            }
            _ => {}
        }
        // Up to the output folder, each folder that is now empty.
        let mut dir = file.parent();
        while let Some(d) = dir.filter(|d| *d != output) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}
