//! File-system calls that name the path in every error, so a failure reads
//! "cannot write public/x/index.html: No space left on device" rather than a
//! bare OS message.

use anyhow::{Context, Result};
use std::path::Path;

/// Reads a whole file.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Writes a whole file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("cannot create folder {}", path.display()))
}

/// Removes a folder and everything in it; a missing folder is fine.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove folder {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Renames a file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("cannot rename {} to {}", from.display(), to.display()))
}

/// `path` when it is not inside `root` once symbolic links are followed
/// (both must exist); `None` when it is inside.
pub fn outside<'p>(root: &Path, path: &'p Path) -> Option<&'p Path> {
    let (Ok(root), Ok(real)) = (root.canonicalize(), path.canonicalize()) else {
        return Some(path);
    };
    (!real.starts_with(root)).then_some(path)
}

/// Swaps `a` and `b` (both existing) in one atomic step, so a reader of
/// either path never finds it missing. `Ok(false)` where the system or
/// file system cannot (not Linux, or `renameat2(RENAME_EXCHANGE)` refused):
/// the caller falls back to two renames.
pub fn exchange(a: &Path, b: &Path) -> Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let (Ok(ca), Ok(cb)) = (
            std::ffi::CString::new(a.as_os_str().as_bytes()),
            std::ffi::CString::new(b.as_os_str().as_bytes()),
        ) else {
            return Ok(false);
        };
        // SAFETY: both pointers are valid NUL-terminated strings for the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP | libc::EXDEV) => Ok(false),
            _ => Err(e)
                .with_context(|| format!("cannot exchange {} and {}", a.display(), b.display())),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Removes every folder in `parent` whose name starts with one of
/// `prefixes` (leftovers of killed builds); a missing `parent` is fine.
pub fn remove_dirs_named(parent: &Path, prefixes: &[String]) -> Result<()> {
    // `public` has the parent `""`, which names no folder to read.
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p)) {
            remove_dir_all(&entry.path())?;
        }
    }
    Ok(())
}
