//! Hostile content: an article that tries to run script from every place
//! content reaches a page (title, summary, tags, products, event source,
//! message, raw HTML, Markdown links). The built site must carry none of it
//! as markup; the browser side is tests/browser/hostile.test.mjs.

mod common;

use common::*;

fn fixture() -> std::path::PathBuf {
    repo().join("tests/data/hostile/kb")
}

#[test]
fn script_links_are_errors_that_name_the_file_and_line() {
    let b = build(&repo(), &fixture(), &[]);
    assert!(!b.output.status.success());
    let err = b.stderr();
    // rustc style: the message, then ` --> file:line:col` on the next line.
    let located =
        regex::Regex::new(r"error: broken link `javascript:[^\n]*\n *--> [^\n]*xss\.md:30:21\n")
            .unwrap();
    assert!(
        located.is_match(&err)
            && err.contains("a `javascript:` link can run code in readers' browsers")
            && err.contains("remove the link"),
        "{err}"
    );
    assert!(err.contains("a `data:` link"), "{err}");
}

#[test]
fn no_payload_reaches_a_page_as_markup() {
    let b = build(&repo(), &fixture(), &["--broken-links", "warn"]);
    assert!(b.output.status.success(), "{}", b.stderr());
    // An `on…=` attribute of a tag; escaped text inside attribute values is fine.
    let values = regex::Regex::new(r#""[^"]*"|'[^']*'"#).unwrap();
    let handler = regex::Regex::new(r"(?i)<[^>]*\son[a-z]+\s*=").unwrap();
    let script_tag = regex::Regex::new(r"(?i)<script[^>]*>").unwrap();
    let script_url =
        regex::Regex::new(r#"(?i)\b(href|src|action)\s*=\s*["']?\s*(javascript|data:text)"#)
            .unwrap();
    for rel in files(&b.out).iter().filter(|f| f.ends_with(".html")) {
        let html = b.page(rel);
        let lower = html.to_lowercase();
        for m in script_tag.find_iter(&html) {
            assert!(
                m.as_str().contains(" src=") && m.as_str().contains("assets/"),
                "{rel}: inline script {}",
                m.as_str()
            );
        }
        let bare = values.replace_all(&html, "\"\"");
        assert!(!handler.is_match(&bare), "{rel}: event handler survived");
        assert!(
            !script_url.is_match(&html),
            "{rel}: javascript: or data: URL"
        );
        assert!(!lower.contains("<iframe"), "{rel}: iframe");
        assert!(
            !lower.contains("evil.example"),
            "{rel}: form or frame target"
        );
        assert!(!lower.contains("style=\"color"), "{rel}: style attribute");
        assert!(
            html.matches("id=\"q\"").count() <= 1,
            "{rel}: a second id=q"
        );
    }
    let page = b.page("xss/index.html");
    assert!(
        page.contains("&lt;script&gt;window.__xss="),
        "title shown as text"
    );
    assert!(
        page.contains("<details><summary>Kept: details</summary>"),
        "harmless HTML kept"
    );
    assert!(b.page("plain/index.html").contains("<kbd>Ctrl</kbd>"));
}

#[test]
fn trusted_html_keeps_raw_html_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), &tmp.path().join("kb"));
    std::fs::write(
        tmp.path().join("kb.toml"),
        "trusted_html = true\nbroken_links = \"warn\"\n",
    )
    .unwrap();
    let b = build(tmp.path(), &tmp.path().join("kb"), &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    assert!(b
        .page("xss/index.html")
        .contains("<script>window.__xss = 'body-script'</script>"));
}
