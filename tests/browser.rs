//! Browser tests: build kb/ and run tests/browser/*.test.mjs (node's test
//! runner driving Debian's Chromium through playwright-core) against it;
//! and check that the page's search and `kbgen search` agree on every query
//! of the query files. Where Chromium or the npm packages are missing the
//! tests say so and are skipped — except under CI, where that is a failure.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn browser_dir() -> PathBuf {
    repo().join("tests/browser")
}

/// Runs `node --test` on `files` in tests/browser with `env`; fails with the report.
fn node_test(files: &[PathBuf], env: &[(&str, &Path)]) {
    let mut cmd = Command::new("node");
    cmd.arg("--test")
        .arg("--test-reporter=spec")
        .args(files)
        .env("CHROMIUM", chromium())
        .current_dir(browser_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run node");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(out.status.success(), "browser tests failed:\n{report}");
}

#[test]
fn built_site_in_headless_chromium() {
    if !browser_ready() {
        return;
    }
    let b = build_kb();
    let files: Vec<PathBuf> = std::fs::read_dir(browser_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    let bin = Path::new(env!("CARGO_BIN_EXE_kbgen"));
    node_test(&files, &[("KBGEN_SITE", &b.out), ("KBGEN_BIN", bin)]);
}

/// Each query of `queries` with what `kbgen search --json` puts first on
/// `site`, and its top five.
fn terminal_tops(source: &Path, built: &Built, queries: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(queries).unwrap();
    let mut out = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (id, query) = (cols[0], cols[2]);
        let o = kbgen(
            &repo(),
            &[
                "search",
                "--json",
                "-n",
                "5",
                "-s",
                source.to_str().unwrap(),
                "-o",
                built.out.to_str().unwrap(),
                "--",
                query,
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let top5: Vec<&serde_json::Value> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["source"])
            .collect();
        out.push(serde_json::json!({
            "site": built.out, "id": id, "query": query,
            "top": v["results"][0]["source"], "top5": top5,
        }));
    }
    out
}

#[test]
fn page_and_terminal_agree_on_every_query() {
    if !browser_ready() {
        return;
    }
    let kb = build_kb();
    let phrases = repo().join("tests/data/phrase-queries.tsv");
    let versions = repo().join("tests/data/version-queries.tsv");
    let mut cases = terminal_tops(
        &repo().join("kb"),
        &kb,
        &repo().join("tests/data/kb-queries.tsv"),
    );
    cases.extend(terminal_tops(&repo().join("kb"), &kb, &phrases));
    cases.extend(terminal_tops(&repo().join("kb"), &kb, &versions));
    let corpus_site = corpus().map(|c| {
        let b = build(&repo(), &c, &["--broken-links", "warn", "-q"]);
        assert!(b.output.status.success(), "{}", b.stderr());
        (c, b)
    });
    if let Some((c, b)) = &corpus_site {
        cases.extend(terminal_tops(
            c,
            b,
            &repo().join("../shared/queries/ms-support-dev.tsv"),
        ));
        cases.extend(terminal_tops(c, b, &phrases));
        cases.extend(terminal_tops(c, b, &versions));
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("agree.json");
    std::fs::write(&file, serde_json::to_string(&cases).unwrap()).unwrap();
    node_test(
        &[browser_dir().join("agreement.mjs")],
        &[("KBGEN_AGREE", &file)],
    );
}
