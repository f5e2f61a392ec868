//! Browser tests: build kb/ and run tests/browser/*.test.mjs (node's test
//! runner driving Debian's Chromium through playwright-core) against it.
//! Where Chromium or the npm packages are missing the test says so and is
//! skipped — except under CI, where that is a failure.

mod common;

use common::*;
use std::process::Command;

#[test]
fn built_site_in_headless_chromium() {
    let dir = repo().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing = if !std::path::Path::new(&chromium).exists() {
        Some(format!("{chromium} not found (apt-get install chromium)"))
    } else if !dir.join("node_modules/playwright-core").is_dir() {
        Some("tests/browser/node_modules missing (run `npm ci --prefix tests/browser`)".into())
    } else {
        None
    };
    if let Some(why) = missing {
        assert!(
            std::env::var_os("CI").is_none(),
            "browser tests cannot run under CI: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let b = build_kb();
    let out = Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        .args(
            std::fs::read_dir(&dir)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".test.mjs")),
        )
        .env("KBGEN_SITE", &b.out)
        .env("CHROMIUM", &chromium)
        .current_dir(&dir)
        .output()
        .expect("run node");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(out.status.success(), "browser tests failed:\n{report}");
}
