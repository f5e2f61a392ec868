//! DocFX `[!INCLUDE]`: the included file's text is part of the page, its
//! signatures are keyed, its links still resolve, and it is no page itself.

mod common;

use common::*;
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn kb_with_includes() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    write(
        &kb,
        "sql/perf/high-cpu.md",
        "---\ntitle: High CPU\n---\n# High CPU\n\nIntro.\n\n[!INCLUDE [waits](../includes/perf/waits.md)]\n\nAfter.\n",
    );
    write(
        &kb,
        "sql/includes/perf/waits.md",
        "---\nms.topic: include\n---\nCheck the waits; see [blocking](../../perf/blocking.md).\n\n[!INCLUDE [inner](inner.md)]\n",
    );
    write(
        &kb,
        "sql/includes/perf/inner.md",
        "The query fails with error 0x80070005 while waiting.\n",
    );
    write(&kb, "sql/perf/blocking.md", "# Blocking\n\nText.\n");
    tmp
}

#[test]
fn included_text_is_on_the_page_keyed_and_its_links_resolve() {
    let tmp = kb_with_includes();
    let b = build(tmp.path(), &tmp.path().join("kb"), &["--format", "json"]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let page = b.page("sql/perf/high-cpu/index.html");
    assert!(page.contains("Check the waits"), "{page}");
    assert!(page.contains("while waiting"), "nested include missing");
    assert!(!page.contains("INCLUDE"), "{page}");
    // The link of the included file points at the same article from here.
    assert!(
        page.contains("href=\"../../../sql/perf/blocking/index.html\""),
        "{page}"
    );
    // The code in the nested include is a signature of the article.
    let code = b.page("codes/0x80070005/index.html");
    assert!(code.contains("High CPU"), "{code}");
    // Included files are not pages; there is no include warning.
    assert!(!b.out.join("sql/includes").exists());
    assert_eq!(b.json()["warnings"], 0, "{}", b.stdout());
}

#[test]
fn a_cycle_is_an_error_at_its_file_and_line_and_a_missing_file_a_warning() {
    let tmp = kb_with_includes();
    let kb = tmp.path().join("kb");
    write(
        &kb,
        "sql/includes/perf/inner.md",
        "x\n[!INCLUDE [back](waits.md)]\n",
    );
    write(&kb, "a.md", "# A\n\n[!INCLUDE [gone](includes/gone.md)]\n");
    let b = build(tmp.path(), &kb, &[]);
    assert!(!b.output.status.success());
    let err = b.stderr();
    assert!(err.contains("`[!INCLUDE]` cycle"), "{err}");
    assert!(err.contains("sql/includes/perf/inner.md:2:1"), "{err}");
    assert!(err.contains("a.md:3:1"), "{err}");
    assert!(err.contains("includes/gone.md"), "{err}");
}

/// Every include of the shared full corpus whose file exists is expanded:
/// the include warnings left name files that are not there.
#[test]
fn ms_support_full_expands_every_include_whose_file_exists() {
    let full = repo().join("../shared/corpus/ms-support-full");
    if !full.is_dir() {
        eprintln!("skipped: ../shared/corpus/ms-support-full is not present");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = kbgen(
        tmp.path(),
        &[
            "check",
            "--source",
            full.to_str().unwrap(),
            "--broken-links",
            "warn",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let left: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("[!INCLUDE]"))
        .collect();
    for d in &left {
        let msg = d["message"].as_str().unwrap();
        assert!(!msg.contains("cycle"), "{d}");
        let Some(target) = msg.split('`').nth(3) else {
            continue; // an include that names no file
        };
        let file = Path::new(d["file"].as_str().unwrap());
        assert!(
            !file.parent().unwrap().join(target).is_file(),
            "{target} exists but was not expanded: {d}"
        );
    }
    eprintln!("{} include warnings left", left.len());
}
