//! `kbgen build` on the project's own kb/: the pages a user opens, the
//! links between them, determinism, and what happens to bad input.

mod common;

use common::*;

const SEED: &str = "exchange/cas-role-msexchangesyncapppool-crash/index.html";

#[test]
fn seed_article_shows_its_three_events_and_placeholder_literally() {
    let b = build_kb();
    let html = b.page(SEED);
    for id in ["1011", "1009", "1002"] {
        assert!(
            html.contains(&format!("Event {id} · W3SVC")),
            "event {id} badge missing"
        );
        assert!(
            html.contains(&format!("events/w3svc/{id}/index.html")),
            "link to event {id} page missing"
        );
    }
    assert!(
        html.contains("&lt;process id&gt;"),
        "`<process id>` must show as text"
    );
    assert!(
        !html.contains("<process id>"),
        "`<process id>` leaked as a tag"
    );
    assert!(html.contains("0x80070003"), "the HRESULT badge is missing");
    assert!(
        html.contains("Remove the Client Access"),
        "fix document not shown on the article"
    );
}

#[test]
fn event_and_code_pages_link_back_to_the_seed() {
    let b = build_kb();
    let event = b.page("events/w3svc/1011/index.html");
    assert!(
        event.contains(&format!("../../../{SEED}")),
        "events/w3svc/1011 does not link to the seed article"
    );
    let code = b.page("codes/0x80070003/index.html");
    assert!(
        code.contains(&format!("../../{SEED}")),
        "codes/0x80070003 does not link to the seed article"
    );
    assert!(
        code.contains("ERROR_PATH_NOT_FOUND") && code.contains("-2147024893"),
        "code page lacks name or spellings"
    );
    // 0x80070003 is written two ways in kb/: the seed's -2147024893 and another article's 0x80070003.
    assert!(
        code.contains("sql-server-17058"),
        "both spellings should land on one code page"
    );
}

#[test]
fn fix_page_lists_every_article_that_uses_it() {
    let b = build_kb();
    let fix = b.page("fixes/restart-service-and-check-dependencies/index.html");
    let count = fix.matches("<li>").count();
    assert!(
        count >= 5,
        "expected the fix page to list its articles, found {count} items"
    );
}

#[test]
fn every_page_has_the_generated_indexes() {
    let b = build_kb();
    for p in [
        "index.html",
        "404.html",
        "search/index.html",
        "atom.xml",
        "events/index.html",
        "codes/index.html",
        "fixes/index.html",
        "products/index.html",
        "tags/index.html",
        "assets/kb.css",
    ] {
        assert!(b.out.join(p).is_file(), "{p} missing");
    }
    let atom = b.page("atom.xml");
    assert!(atom.contains("<entry>") && atom.contains("Mike Rede"));
}

#[test]
fn every_relative_link_and_asset_resolves_to_a_file() {
    let b = build_kb();
    let mut bad = Vec::new();
    for rel in files(&b.out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = b.page(&rel);
        let dir = std::path::Path::new(&rel).parent().unwrap().to_path_buf();
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with('#')
            {
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap();
            if path.is_empty() {
                continue;
            }
            assert!(
                !path.starts_with('/'),
                "{rel}: absolute link {link} breaks file:// and sub-paths"
            );
            assert!(
                !path.ends_with('/'),
                "{rel}: folder link {link} does not open under file://"
            );
            let target = b.out.join(&dir).join(path);
            if !target.is_file() {
                bad.push(format!("{rel} → {link}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} dangling links:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = build_kb();
    let b = build_kb();
    let (fa, fb) = (files(&a.out), files(&b.out));
    assert_eq!(fa, fb);
    for f in &fa {
        assert!(
            std::fs::read(a.out.join(f)).unwrap() == std::fs::read(b.out.join(f)).unwrap(),
            "{f} differs between builds"
        );
    }
}

#[test]
fn json_summary_has_counts_and_diagnostics() {
    let b = build(&repo(), &repo().join("kb"), &["--format", "json"]);
    let v = b.json();
    assert!(v["articles"].as_u64().unwrap() >= 14);
    assert!(v["fixes"].as_u64().unwrap() >= 2);
    assert!(v["signatures"].as_u64().unwrap() > 0);
    assert!(v["pages"].as_u64().unwrap() > v["articles"].as_u64().unwrap());
    assert_eq!(v["errors"], 0);
    assert!(v["diagnostics"].is_array());
}

#[test]
fn output_without_kbgen_marker_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("precious.txt"), "keep me").unwrap();
    let o = kbgen(
        &repo(),
        &["build", "--output", tmp.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("refusing to replace"));
    assert!(tmp.path().join("precious.txt").is_file());
}
