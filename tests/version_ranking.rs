//! A product version named in a query favours the articles that apply to
//! it: a modest bonus for an article that declares it, a modest penalty
//! for one that declares only other versions of that product, nothing for
//! one that declares none; each result says why (docs/search.md, "Versions").

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Writes `name.md` with `front` (front matter lines) and a body shared by
/// every article, so that only what they apply to sets them apart.
fn article(kb: &Path, name: &str, front: &str) {
    let text = format!(
        "---\ntitle: Transport queue stuck {name}\n{front}---\nThe transport queue is stuck and mail is not delivered.\n"
    );
    fs::write(kb.join(format!("{name}.md")), text).unwrap();
}

/// `kbgen search --json` of `query` over the site built from `dir/kb`.
fn search(dir: &Path, query: &str) -> Vec<Value> {
    let out = dir.join("public");
    let o = kbgen(
        dir,
        &[
            "search",
            "--source",
            "kb",
            "--output",
            out.to_str().unwrap(),
            "--json",
            "--",
            query,
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["results"].as_array().unwrap().clone()
}

fn sources(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect()
}

/// The `version` matches of the result from `source`.
fn version_details(results: &[Value], source: &str) -> Vec<String> {
    let r = results.iter().find(|r| r["source"] == source).unwrap();
    r["matched"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "version")
        .map(|m| m["detail"].as_str().unwrap().to_string())
        .collect()
}

fn kb() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    fs::create_dir_all(&kb).unwrap();
    let exchange = |v: &str| format!("products:\n  - name: Exchange Server\n    versions: [{v}]\n");
    article(&kb, "e2013", &exchange("\"2013\""));
    article(&kb, "e2016", &exchange("\"2016\", \"2019\""));
    article(&kb, "e2019", &exchange("\"2019\""));
    article(&kb, "unversioned", "products: [Exchange Server]\n");
    tmp
}

#[test]
fn a_named_version_favours_the_articles_that_apply_to_it() {
    let tmp = kb();
    let plain = search(tmp.path(), "transport queue stuck");
    let r = search(tmp.path(), "transport queue stuck on Exchange 2016 CU23");
    assert_eq!(
        sources(&r),
        ["e2016.md", "unversioned.md", "e2013.md", "e2019.md"]
    );
    let score = |rs: &[Value], s: &str| {
        rs.iter().find(|r| r["source"] == s).unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    // Modest: the same amount up and down, and nothing for no version.
    let up = score(&r, "e2016.md") - score(&r, "unversioned.md");
    let down = score(&r, "unversioned.md") - score(&r, "e2013.md");
    assert!(up > 0.0 && (up - down).abs() < 1e-6, "{up} {down}");
    assert!(score(&plain, "e2016.md") > 0.0);
    assert_eq!(
        version_details(&r, "e2016.md"),
        ["applies to Exchange Server 2016"]
    );
    assert_eq!(
        version_details(&r, "e2013.md"),
        ["for Exchange Server 2013, not 2016 cu23"]
    );
    assert!(version_details(&r, "unversioned.md").is_empty());
}

#[test]
fn a_version_the_site_does_not_know_changes_nothing() {
    let tmp = kb();
    let r = search(tmp.path(), "transport queue stuck on Exchange 2007");
    assert!(r.iter().all(|r| version_details(
        std::slice::from_ref(r),
        r["source"].as_str().unwrap()
    )
    .is_empty()));
}

#[test]
fn a_windows_build_number_names_its_release() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    fs::create_dir_all(&kb).unwrap();
    let windows =
        |v: &str| format!("products:\n  - name: Windows Server\n    versions: [\"{v}\"]\n");
    article(&kb, "ws2016", &windows("2016"));
    article(&kb, "ws2019", &windows("2019"));
    let r = search(
        tmp.path(),
        "OS Version 10.0.17763.1879: the transport queue is stuck",
    );
    assert_eq!(sources(&r), ["ws2019.md", "ws2016.md"]);
    assert_eq!(
        version_details(&r, "ws2019.md"),
        ["applies to Windows Server 2019"]
    );
}

#[test]
fn a_docfx_appliesto_name_carries_its_version() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    fs::create_dir_all(&kb).unwrap();
    article(
        &kb,
        "a2013",
        "appliesto:\n  - Exchange Server 2013 Enterprise\n",
    );
    article(
        &kb,
        "a2016",
        "appliesto:\n  - Exchange Server 2016 Standard Edition\n",
    );
    let r = search(tmp.path(), "Exchange 2016 transport queue stuck");
    assert_eq!(sources(&r), ["a2016.md", "a2013.md"]);
    assert_eq!(
        version_details(&r, "a2016.md"),
        ["applies to Exchange Server 2016"]
    );
}

#[test]
fn a_version_number_is_no_event_id_unless_written_as_one() {
    let tmp = kb();
    let kb = tmp.path().join("kb");
    article(
        &kb,
        "event2016",
        "signatures:\n  - event: {id: 2016, source: Exchange}\n",
    );
    let events = |q: &str| -> Vec<String> {
        search(tmp.path(), q)
            .iter()
            .flat_map(|r| r["matched"].as_array().unwrap().clone())
            .filter(|m| m["kind"] == "event")
            .map(|m| m["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(events("Exchange 2016 transport queue stuck").is_empty());
    assert_eq!(
        events("Exchange event 2016 transport queue stuck"),
        ["exchange/2016"]
    );
}
