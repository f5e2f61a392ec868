//! Faults of the disk under the output: a full disk and a read-only one.
//! Each build that cannot write must fail with a message naming the path
//! and the system's reason, leave the previous site and its search index as
//! they were, and leave no staging folder behind.
//!
//! The disk is a small tmpfs mounted for the test. Mounting needs root (or
//! CAP_SYS_ADMIN); where it is not permitted the tests print why and pass.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on a fresh folder, unmounted when dropped (also when the
/// test fails).
struct Tmpfs {
    dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts `size` bytes, or says why not and returns `None`.
    fn mount(size: u64) -> Option<Tmpfs> {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("disk");
        std::fs::create_dir(&dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir, _tmp: tmp }),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here (needs root): {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    /// Changes the size limit or flags of the mounted tmpfs.
    fn remount(&self, options: &str) {
        let o = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "remount {options}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Bytes the files under `dir` take on the disk.
fn disk_bytes(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().blocks() * 512)
        .sum()
}

/// Names in the folder that holds the output: only the site, its index and
/// its lock may be there.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn build_into(kb: &Path, out: &Path) -> std::process::Output {
    kbgen(
        &repo(),
        &[
            "build",
            "--source",
            kb.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    )
}

/// The first result of `kbgen search` on the site in `out`.
fn first_hit(out: &Path, query: &str) -> String {
    let o = kbgen(
        &repo(),
        &["search", "--json", "--output", out.to_str().unwrap(), query],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "kbgen search: {err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["results"][0]["source"]
        .as_str()
        .unwrap_or_else(|| panic!("no result: {v}\n{err}"))
        .to_string()
}

/// A one-article knowledge base: a first site small enough to fit.
fn small_kb(root: &Path) -> PathBuf {
    let kb = root.join("small-kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("small.md"),
        "# Zebra crossing failure\n\nThe zebra crossing controller stopped.\n",
    )
    .unwrap();
    kb
}

/// A knowledge base whose terminal index (many distinct words) is larger
/// than the whole small site: then a build that swapped the site in before
/// writing the index could fail after the swap.
fn big_kb(root: &Path) -> PathBuf {
    let kb = root.join("big-kb");
    std::fs::create_dir_all(&kb).unwrap();
    let mut seed: u64 = 7;
    for n in 0..300 {
        let mut body = format!("# Article {n}\n\nquokka{n}");
        for _ in 0..300 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            body.push_str(&format!(" w{:x}", seed >> 44));
        }
        body.push('\n');
        std::fs::write(kb.join(format!("article-{n}.md")), body).unwrap();
    }
    kb
}

/// The disk fills while the terminal index is written, while the site is
/// written, and when both do not fit together: each time the build fails naming the
/// path and `No space left on device`, the previous site and index stay,
/// and nothing is left beside them. With room again, the build succeeds.
#[test]
fn a_full_disk_fails_the_build_and_keeps_the_previous_site() {
    let Some(disk) = Tmpfs::mount(64 << 20) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let small = small_kb(tmp.path());
    let big = big_kb(tmp.path());

    // Measure the big site and its index on this disk, then start again.
    let probe = disk.dir.join("probe");
    let o = build_into(&big, &probe);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let big_site = disk_bytes(&probe);
    let big_index = disk_bytes(&disk.dir.join(".probe.kbgen-search"));
    for name in entries(&disk.dir) {
        let p = disk.dir.join(name);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
    }

    let out = disk.dir.join("site");
    let o = build_into(&small, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let used = disk_bytes(&disk.dir);
    let before = snapshot(&out);
    let index_before = snapshot(&disk.dir.join(".site.kbgen-search"));
    let listed = entries(&disk.dir);
    assert_eq!(first_hit(&out, "zebra crossing"), "small.md");

    // Whatever runs out first, the outcome must be the same; the last case
    // fits the site but not the site and the index together.
    for (what, room) in [
        ("room for half the index", big_index / 2),
        (
            "room for the index and half the site",
            big_index + big_site / 2,
        ),
        (
            "room for the site and half the index",
            big_site + big_index / 2,
        ),
    ] {
        disk.remount(&format!("size={}", used + room));
        let o = build_into(&big, &out);
        let err = String::from_utf8_lossy(&o.stderr);
        eprintln!("{what}: {err}");
        assert_eq!(o.status.code(), Some(2), "{what} fitted?\n{err}");
        let named = disk.dir.display().to_string();
        assert!(
            err.contains("No space left on device") && err.contains(&named),
            "{what}: the message names no path or reason:\n{err}"
        );
        assert_eq!(snapshot(&out), before, "{what}: the previous site changed");
        assert_eq!(
            snapshot(&disk.dir.join(".site.kbgen-search")),
            index_before,
            "{what}: the previous index changed"
        );
        assert_eq!(entries(&disk.dir), listed, "{what}: left behind");
        assert_eq!(first_hit(&out, "zebra crossing"), "small.md", "{what}");
    }

    disk.remount(&format!("size={}", 64 << 20));
    let o = build_into(&big, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(entries(&disk.dir), listed);
    assert_eq!(first_hit(&out, "quokka7"), "article-7.md");
}

/// A read-only disk: the build fails naming the path and the reason, and
/// the site on it stays as it was.
#[test]
fn a_read_only_output_fails_the_build_and_keeps_the_site() {
    let Some(disk) = Tmpfs::mount(16 << 20) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let small = small_kb(tmp.path());
    let out = disk.dir.join("site");
    let o = build_into(&small, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(&out);
    let listed = entries(&disk.dir);

    disk.remount("ro");
    let o = build_into(&repo().join("kb"), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Read-only file system") && err.contains(&disk.dir.display().to_string()),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(entries(&disk.dir), listed);
    disk.remount("rw");
}
