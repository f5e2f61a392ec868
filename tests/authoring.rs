//! `kbgen init` and `kbgen new`, end to end: a new knowledge base builds
//! and passes `kbgen check` with no warning, before and after scaffolds are
//! added, and nothing is ever overwritten.

mod common;

use common::*;
use std::path::Path;

fn ok(cwd: &Path, args: &[&str]) -> String {
    let o = kbgen(cwd, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "kbgen {args:?} failed:\n{err}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `kbgen check --format json` passes with no error and no warning.
fn assert_clean(cwd: &Path) -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_str(&ok(cwd, &["check", "--format", "json"])).unwrap();
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{v:#}"
    );
    v
}

#[test]
fn init_makes_a_knowledge_base_that_builds_and_checks_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["init", "mykb"]);
    let kb = tmp.path().join("mykb");
    for f in ["kb.toml", ".gitignore"] {
        assert!(kb.join(f).is_file(), "{f} missing");
    }
    let gitignore = std::fs::read_to_string(kb.join(".gitignore")).unwrap();
    assert!(gitignore.contains("/public/") && gitignore.contains("/.public.kbgen-search/"));

    let v: serde_json::Value =
        serde_json::from_str(&ok(&kb, &["build", "--format", "json"])).unwrap();
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{v:#}"
    );
    assert_eq!(
        (v["articles"].as_u64(), v["fixes"].as_u64()),
        (Some(1), Some(1))
    );
    let article =
        std::fs::read_to_string(kb.join("public/windows/service-logon-failure-7000/index.html"))
            .unwrap();
    assert!(
        article.contains("fixes/update-service-account-password/index.html"),
        "the example article links its fix"
    );
    assert!(kb
        .join("public/events/service-control-manager/7000/index.html")
        .is_file());
    assert_clean(&kb);
}

#[test]
fn new_article_and_fix_build_and_check_warns_until_placeholders_are_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path();
    ok(kb, &["init"]);
    let path = ok(
        kb,
        &[
            "new",
            "article",
            "W3SVC 5002: pool «disabled» <again>",
            "--dir",
            "iis",
        ],
    );
    assert_eq!(path.trim(), "kb/iis/w3svc-5002-pool-disabled-again.md");
    let path = ok(kb, &["new", "fix", "Re-enable the application pool"]);
    assert_eq!(path.trim(), "kb/fixes/re-enable-the-application-pool.md");
    let fix = std::fs::read_to_string(kb.join(path.trim())).unwrap();
    assert!(
        fix.starts_with("---\nid: re-enable-the-application-pool\n"),
        "{fix}"
    );
    let article =
        std::fs::read_to_string(kb.join("kb/iis/w3svc-5002-pool-disabled-again.md")).unwrap();
    for section in ["## Symptoms", "## Cause", "## Resolution"] {
        assert!(article.contains(section), "{section} missing:\n{article}");
    }
    // Untouched, each italic placeholder line is a warning at its line.
    let v: serde_json::Value =
        serde_json::from_str(&ok(kb, &["check", "--format", "json"])).unwrap();
    assert_eq!(v["errors"].as_u64(), Some(0), "{v:#}");
    let stubs: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .contains("placeholder from `kbgen new`")
        })
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(stubs.len() as u64, v["warnings"].as_u64().unwrap(), "{v:#}");
    for (file, line) in &stubs {
        let text = std::fs::read_to_string(kb.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let at = text.lines().nth(*line as usize - 1).unwrap();
        assert!(at.trim().ends_with('*'), "{file}:{line} is `{at}`");
    }
    assert!(stubs
        .iter()
        .any(|(f, _)| f.ends_with("w3svc-5002-pool-disabled-again.md")));
    assert!(stubs
        .iter()
        .any(|(f, _)| f.ends_with("re-enable-the-application-pool.md")));
    // Filled in, the knowledge base is clean.
    for file in [
        "kb/iis/w3svc-5002-pool-disabled-again.md",
        "kb/fixes/re-enable-the-application-pool.md",
    ] {
        let text = std::fs::read_to_string(kb.join(file)).unwrap();
        let filled: String = text
            .lines()
            .map(|l| {
                if l.trim().ends_with('*') {
                    "Written by the author.\n".to_string()
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(kb.join(file), filled).unwrap();
    }
    let v = assert_clean(kb);
    assert_eq!(
        (v["articles"].as_u64(), v["fixes"].as_u64()),
        (Some(2), Some(2))
    );
    ok(kb, &["build"]);
    assert!(kb
        .join("public/iis/w3svc-5002-pool-disabled-again/index.html")
        .is_file());
    assert!(kb
        .join("public/fixes/re-enable-the-application-pool/index.html")
        .is_file());
}

#[test]
fn new_refuses_to_overwrite_and_leaves_the_file_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path();
    ok(kb, &["init"]);
    for (kind, file) in [
        ("article", "kb/same-title.md"),
        ("fix", "kb/fixes/same-title.md"),
    ] {
        ok(kb, &["new", kind, "Same title"]);
        std::fs::write(kb.join(file), "edited by the author\n").unwrap();
        let o = kbgen(kb, &["new", kind, "Same title"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(file) && err.contains("already exists"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(kb.join(file)).unwrap(),
            "edited by the author\n"
        );
    }
}

#[test]
fn new_writes_into_the_configured_content_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path();
    std::fs::create_dir(kb.join("content")).unwrap();
    std::fs::write(kb.join("kb.toml"), "source_dir = \"content\"\n").unwrap();
    let path = ok(kb, &["new", "article", "First"]);
    assert_eq!(path.trim(), "content/first.md");
    let other = tempfile::tempdir().unwrap();
    let path = ok(
        kb,
        &[
            "new",
            "fix",
            "Second",
            "--source",
            other.path().to_str().unwrap(),
        ],
    );
    assert!(other.path().join("fixes/second.md").is_file(), "{path}");
    let v: serde_json::Value =
        serde_json::from_str(&ok(kb, &["check", "--format", "json"])).unwrap();
    assert_eq!(v["errors"].as_u64(), Some(0), "{v:#}");
}

#[test]
fn new_without_a_content_folder_or_title_explains_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let o = kbgen(tmp.path(), &["new", "article", "Anything"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("kbgen init"));
    std::fs::create_dir(tmp.path().join("kb")).unwrap();
    let o = kbgen(tmp.path(), &["new", "article", "?!"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no letters or digits"));
    let o = kbgen(tmp.path(), &["new", "article", "x", "--dir", "../outside"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("outside").exists());
}

#[test]
fn init_refuses_an_existing_knowledge_base() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("kb.toml"), "title = \"mine\"\n").unwrap();
    let o = kbgen(tmp.path(), &["init"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("kb.toml")).unwrap(),
        "title = \"mine\"\n"
    );

    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("kb")).unwrap();
    std::fs::write(tmp.path().join("kb/mine.md"), "# Mine\n").unwrap();
    let o = kbgen(tmp.path(), &["init"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not empty"));
    assert!(!tmp.path().join("kb.toml").exists(), "nothing written");

    // An empty kb/ and an existing .gitignore are fine; ours is appended.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("kb")).unwrap();
    std::fs::write(tmp.path().join(".gitignore"), "target/").unwrap();
    ok(tmp.path(), &["init"]);
    let gitignore = std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap();
    assert!(
        gitignore.starts_with("target/\n") && gitignore.contains("/public/"),
        "{gitignore}"
    );
}

#[test]
fn verbose_prints_the_time_of_every_stage_and_json_stays_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path();
    ok(kb, &["init"]);
    let o = kbgen(kb, &["build", "-v"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let summary = err.find("built public: 1 article, 1 fix,").expect(&err);
    let stages = [
        "load", "model", "extract", "assemble", "render", "index", "write", "total",
    ];
    let mut at = summary;
    for stage in stages {
        let re = regex::Regex::new(&format!(r"(?m)^  {stage} +\d+\.\d ms$")).unwrap();
        let m = re
            .find(&err)
            .unwrap_or_else(|| panic!("no time for {stage}:\n{err}"));
        assert!(m.start() > at, "{stage} out of order:\n{err}");
        at = m.start();
    }
    // Without -v, no timings; piped, no progress bar (no escape codes).
    let o = kbgen(kb, &["build"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("time per stage") && !err.contains('\u{1b}'),
        "{err}"
    );
    // JSON on stdout is the same object with or without -v.
    let plain = kbgen(kb, &["check", "--format", "json"]);
    let verbose = kbgen(kb, &["check", "--format", "json", "-v"]);
    assert_eq!(plain.stdout, verbose.stdout);
    assert!(String::from_utf8_lossy(&verbose.stderr).contains("  extract "));
}
