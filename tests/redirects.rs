//! `aliases:` make redirect pages at the old addresses, and a build warns
//! about a URL of the previous build that is gone without an alias.

mod common;

use common::*;
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn build_into(cwd: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--source", "kb", "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    kbgen(cwd, &args)
}

#[test]
fn aliases_make_relative_redirect_pages_left_out_of_the_sitemap() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    write(
        &kb,
        "iis/new-name.md",
        "---\ntitle: New name\naliases: [iis/Old Name.md, /old/url/, /kb/123.html]\n---\nText.\n",
    );
    let out = tmp.path().join("public");
    // A sitemap is written only for a site with a base URL.
    let b = build_into(tmp.path(), &out, &["--base-url", "https://kb.example/"]);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let old = fs::read_to_string(out.join("iis/old-name/index.html")).unwrap();
    assert!(
        old.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../../iis/new-name/index.html\">"
        ),
        "{old}"
    );
    assert!(
        old.contains("<a href=\"../../iis/new-name/index.html\">New name</a>"),
        "{old}"
    );
    let url = fs::read_to_string(out.join("old/url/index.html")).unwrap();
    assert!(url.contains("url=../../iis/new-name/index.html"), "{url}");
    let html = fs::read_to_string(out.join("kb/123.html")).unwrap();
    assert!(html.contains("url=../iis/new-name/index.html"), "{html}");
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("iis/new-name/")
            && !sitemap.contains("old-name")
            && !sitemap.contains("old/url"),
        "{sitemap}"
    );
    let list = fs::read_to_string(out.join("kbgen-urls.txt")).unwrap();
    assert_eq!(
        list,
        "iis/new-name/index.html\niis/old-name/index.html\nkb/123.html\nold/url/index.html\n"
    );
}

#[test]
fn a_url_gone_without_alias_is_a_warning_and_an_alias_silences_it() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    write(&kb, "a.md", "# A\n\nText.\n");
    write(&kb, "b.md", "# B\n\nText.\n");
    let out = tmp.path().join("public");
    assert!(build_into(tmp.path(), &out, &[]).status.success());
    // Renamed without an alias: the next check says so.
    fs::rename(kb.join("a.md"), kb.join("a2.md")).unwrap();
    let check = kbgen(
        tmp.path(),
        &["check", "--source", "kb", "--output", out.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "a warning, not an error: {err}");
    assert!(
        err.contains("`a/index.html` was published by the previous build and is gone"),
        "{err}"
    );
    assert!(err.contains("kbgen-urls.txt:1:1"), "{err}");
    write(&kb, "a2.md", "---\naliases: [a.md]\n---\n# A\n\nText.\n");
    let check = kbgen(
        tmp.path(),
        &["check", "--source", "kb", "--output", out.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(!err.contains("is gone"), "{err}");
}

#[test]
fn an_alias_that_is_a_page_or_climbs_is_an_error_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    write(&kb, "a.md", "# A\n");
    write(
        &kb,
        "b.md",
        "---\ntitle: B\naliases: [a.md, ../etc/x]\n---\nText.\n",
    );
    let out = tmp.path().join("public");
    let b = build_into(tmp.path(), &out, &[]);
    let err = String::from_utf8_lossy(&b.stderr);
    assert_eq!(b.status.code(), Some(1), "{err}");
    assert!(
        err.contains("b.md:3:1") && err.contains("`a/index.html` is the page of an article"),
        "{err}"
    );
    assert!(err.contains("alias `../etc/x`"), "{err}");
}
