//! What an author sees on the terminal for broken content: rustc-style
//! diagnostics (position, source line, caret, help), compared whole with
//! the snapshots in tests/snapshots/. Run with `KBGEN_UPDATE_SNAPSHOTS=1`
//! to rewrite them after an intended change, then review the diff.
//!
//! kbgen runs in the fixture's folder with the default relative `kb/`, so
//! the paths in the snapshots are the same on every machine. Stderr is a
//! pipe here, so the text is plain.

mod common;

use common::*;
use std::path::Path;

/// Runs `kbgen <args>` in a fresh knowledge base made of `files` (paths
/// under the knowledge base's folder) and checks stderr against
/// `tests/snapshots/<name>.txt`; returns the exit code.
fn snapshot(name: &str, files: &[(&str, &[u8])], args: &[&str]) -> Option<i32> {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let o = kbgen(dir.path(), args);
    let stderr = normalise(&String::from_utf8_lossy(&o.stderr));
    assert!(!stderr.contains('\u{1b}'), "colour on a pipe:\n{stderr}");
    assert!(
        !stderr.contains(dir.path().to_str().unwrap()),
        "machine-specific path:\n{stderr}"
    );
    compare(name, &stderr);
    o.status.code()
}

/// The elapsed time of the summary line is the only part that varies.
fn normalise(stderr: &str) -> String {
    let re = regex::Regex::new(r" in \d+\.\d+s\n").unwrap();
    re.replace_all(stderr, " in [TIME]\n").into_owned()
}

fn compare(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(format!("{name}.txt"));
    if std::env::var_os("KBGEN_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with KBGEN_UPDATE_SNAPSHOTS=1", path.display()));
    assert!(
        expected == actual,
        "stderr differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
        rel(&path)
    );
}

fn rel(p: &Path) -> String {
    p.strip_prefix(repo()).unwrap_or(p).display().to_string()
}

const FIX: (&str, &[u8]) = (
    "kb/fixes/restart.md",
    b"---\nid: restart\ntitle: Restart the service\n---\n1. Restart it.\n",
);

#[test]
fn broken_yaml() {
    let code = snapshot(
        "broken_yaml",
        &[
            (
                "kb/iis/broken.md",
                b"---\ntitle: Broken\ntags: [iis, app-pool\nfixes: [restart]\n---\n# Broken\n",
            ),
            (
                "kb/iis/colon.md",
                b"---\ntitle: Error: the pool stopped\n---\n# Colon\n",
            ),
            FIX,
        ],
        &["check"],
    );
    assert_eq!(code, Some(1));
}

#[test]
fn unknown_fix_id() {
    let code = snapshot(
        "unknown_fix_id",
        &[
            ("kb/a.md", b"---\ntitle: A\nfixes: [restrat]\n---\n# A\n"),
            FIX,
        ],
        &["check"],
    );
    assert_eq!(code, Some(1));
}

#[test]
fn broken_links() {
    let code = snapshot(
        "broken_links",
        &[(
            "kb/iis/a.md",
            b"# A\n\nSee [the other article](../windows/b.md) and\n![diagram](media/pool.png).\n",
        )],
        &["build", "--output", "public"],
    );
    assert_eq!(code, Some(1));
}

#[test]
fn broken_links_as_warnings_with_quiet_show_nothing() {
    let code = snapshot(
        "broken_links_quiet",
        &[("kb/a.md", b"# A\n\nSee [b](b.md).\n")],
        &["build", "--broken-links", "warn", "-q"],
    );
    assert_eq!(code, Some(0));
}

#[test]
fn bad_event_id_in_signatures() {
    let code = snapshot(
        "bad_event_id",
        &[(
            "kb/w3svc.md",
            b"---\ntitle: W3SVC\nsignatures:\n  - event: {id: 10l1, source: W3SVC}\n    message: \"A process serving application pool '<pool>' terminated.\"\n---\n# W3SVC\n",
        )],
        &["check"],
    );
    assert_eq!(code, Some(1));
}

#[test]
fn mistyped_codes_are_warnings() {
    let code = snapshot(
        "mistyped_codes",
        &[(
            "kb/access.md",
            b"---\ntitle: Access denied\nsignatures:\n  - codes: [\"0x8007002\", \"ERROR_ACCES_DENIED\"]\n    message: \"Access is denied.\"\n---\n# Codes\n",
        )],
        &["check"],
    );
    assert_eq!(code, Some(0));
}

#[test]
fn tab_in_front_matter() {
    let code = snapshot(
        "tab_in_front_matter",
        &[(
            "kb/tab.md",
            b"---\ntitle: Tab\nsignatures:\n  - codes: [\"0x80070005\"]\n\tmessage: \"Access is denied.\"\n---\n# Tab\n",
        )],
        &["check"],
    );
    assert_eq!(code, Some(1));
}

#[test]
fn invalid_utf8() {
    let code = snapshot(
        "invalid_utf8",
        &[("kb/latin1.md", b"# Caf\xe9\n\nThe service stopped.\n")],
        &["check"],
    );
    assert_eq!(code, Some(1));
}

#[test]
fn bad_kb_toml() {
    let code = snapshot(
        "bad_kb_toml",
        &[
            ("kb.toml", b"title = \"KB\"\nbroken_links = \"sometimes\"\n"),
            ("kb/a.md", b"# A\n"),
        ],
        &["check"],
    );
    assert_eq!(code, Some(1));
}
