//! What a reader's eye catches on the built pages (issue 16): each test
//! builds a small content folder (or the bundled kb/) and reads the HTML.

mod common;

use common::*;

/// Writes `files` (path, text) under a fresh content folder and builds it.
fn build_files(files: &[(&str, &str)], extra: &[&str]) -> (tempfile::TempDir, Built) {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    for (rel, text) in files {
        let p = kb.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let b = build(tmp.path(), &kb, extra);
    (tmp, b)
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

const FIX_A: &str =
    "---\nid: fix-a\ntitle: Fix A\n---\n## Steps\n\n1. Do [it](#verify).\n\n## Verify\n\nDone.\n";
const FIX_B: &str =
    "---\nid: fix-b\ntitle: Fix B\n---\n## Steps\n\n1. Other.\n\n## Verify\n\nDone.\n";

#[test]
fn inlined_fixes_nest_under_their_summary_with_unique_ids() {
    let article = "---\ntitle: Two fixes\nfixes: [fix-a, fix-b]\n---\n## Symptoms\n\nS.\n\n## Steps\n\nThe article's own.\n";
    let (_t, b) = build_files(
        &[
            ("ops/two.md", article),
            ("fixes/a.md", FIX_A),
            ("fixes/b.md", FIX_B),
        ],
        &[],
    );
    assert!(b.output.status.success(), "{}", b.stderr());
    let html = b.page("ops/two/index.html");
    // Collapsed: a reader opens the fix they want.
    assert_eq!(count(&html, "<details class=\"fix\" id=\"fix-fix-a\">"), 1);
    assert!(!html.contains("class=\"fix\" open"));
    // The fixes' headings sit below the fix (h4), with ids of their own.
    assert_eq!(count(&html, "<h2 id=\"steps\">"), 1, "only the article's");
    assert!(html.contains("<h4 id=\"fix-fix-a-steps\">Steps</h4>"));
    assert!(html.contains("<h4 id=\"fix-fix-b-verify\">Verify</h4>"));
    assert!(html.contains("href=\"#fix-fix-a-verify\""));
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate ids in {ids:?}");
}

#[test]
fn cause_section_in_the_body_replaces_the_generated_causes_list() {
    let with = "---\ntitle: With\ncauses: [\"The disk is full.\"]\n---\n## Symptoms\n\nS.\n\n## Cause\n\nThe disk is full.\n";
    let without = "---\ntitle: Without\ncauses: [\"The disk is full.\"]\n---\n## Symptoms\n\nS.\n";
    let (_t, b) = build_files(&[("a/with.md", with), ("a/without.md", without)], &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let with = b.page("a/with/index.html");
    assert_eq!(count(&with, "The disk is full."), 1, "said once");
    assert!(!with.contains("id=\"causes-h\""));
    let without = b.page("a/without/index.html");
    assert!(without.contains("<h2 id=\"causes-h\">Causes</h2>"));
    assert!(without.contains("<li>The disk is full.</li>"));
}

#[test]
fn articles_have_breadcrumbs_and_a_folding_table_of_contents() {
    let article = "---\ntitle: Deep\nfixes: [fix-a]\n---\n## Symptoms\n\nS.\n\n## Cause\n\nC.\n\n## Resolution\n\nR.\n";
    let (_t, b) = build_files(&[("iis/app/deep.md", article), ("fixes/a.md", FIX_A)], &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let html = b.page("iis/app/deep/index.html");
    assert!(html.contains("<nav class=\"crumbs\" aria-label=\"Breadcrumbs\"><a href=\"../../../index.html\">Home</a> <span aria-hidden=\"true\">›</span> <span>iis</span> <span aria-hidden=\"true\">›</span> <span>app</span></nav>"), "{html}");
    assert!(html.contains("<details class=\"toc\" id=\"toc\"><summary>On this page</summary>"));
    assert!(
        html.contains("<a href=\"#fix-fix-a\">Fix A</a>"),
        "fixes listed in the TOC"
    );
    assert!(html.contains("<script src=\"../../../assets/page.js\" defer></script>"));
}

#[test]
fn bundled_site_has_no_duplicate_ids() {
    let b = build_kb();
    for rel in files(&b.out).iter().filter(|f| f.ends_with(".html")) {
        let html = b.page(rel);
        let mut ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(n, ids.len(), "{rel} repeats an id");
    }
}

#[test]
fn code_pages_name_the_kind_and_give_the_standard_meaning_with_its_source() {
    let article = "---\ntitle: Mail and web\nsignatures:\n  - codes: [\"5.7.1\", \"HTTP 503\", \"0x80070005\"]\n---\nText.\n";
    let (_t, b) = build_files(&[("mail/a.md", article)], &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let smtp = b.page("codes/5.7.1/index.html");
    assert!(
        smtp.contains("<dd>SMTP enhanced status code</dd>"),
        "{smtp}"
    );
    assert!(smtp.contains("<strong>Delivery not authorized, message refused</strong>"));
    assert!(smtp.contains("source: RFC 3463"));
    let http = b.page("codes/http-503/index.html");
    assert!(http.contains("<strong>503 Service Unavailable</strong>"));
    assert!(http.contains("source: RFC 9110"));
    let hr = b.page("codes/0x80070005/index.html");
    assert!(
        hr.contains("<dd>HRESULT</dd>"),
        "proper name, not `hresult`"
    );
}

#[test]
fn events_index_is_sorted_as_shown_and_worded_for_people() {
    let a = "---\ntitle: A\nsignatures:\n  - event: {id: 7000, source: Service Control Manager}\n  - event: {id: 1011, source: W3SVC}\n  - event: {id: 41, source: Microsoft-Windows-Kernel-Power}\n---\nText.\n";
    let bare = "---\ntitle: B\n---\n## Event ID 1001\n\nThe event ID 1001 is logged.\n";
    let (_t, b) = build_files(&[("w/a.md", a), ("w/b.md", bare)], &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let html = b.page("events/index.html");
    let order: Vec<usize> = [
        "Microsoft-Windows-Kernel-Power · Event 41",
        "Service Control Manager · Event 7000",
        "W3SVC · Event 1011",
    ]
    .iter()
    .map(|l| {
        html.find(l)
            .unwrap_or_else(|| panic!("{l} missing:\n{html}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "sorted by the name shown"
    );
    assert!(
        html.contains("Event 1011</a> <span class=\"meta\">from W3SVC</span>"),
        "{html}"
    );
    assert!(
        html.contains("Event 1001</a> <span class=\"meta\">source not named (1 article)</span>"),
        "{html}"
    );
    assert!(!html.contains("0 sources"));
}

#[test]
fn counts_of_one_are_singular() {
    let a = "---\ntitle: Only\nfixes: [fix-a]\n---\nText.\n";
    let (_t, b) = build_files(&[("w/a.md", a), ("fixes/a.md", FIX_A)], &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    assert!(
        b.stderr().contains(": 1 article, 1 fix, "),
        "{}",
        b.stderr()
    );
    assert!(
        b.stderr().contains(", 0 warnings, 0 errors in "),
        "{}",
        b.stderr()
    );
    let home = b.page("index.html");
    assert!(home.contains("1 article · "), "{home}");
    assert!(home.contains(" · 1 fix</p>"), "{home}");
}

#[test]
fn sitemap_needs_base_url_and_carries_absolute_urls_and_lastmod() {
    let a = "---\ntitle: A\ndate: 2024-11-25\nupdated: 2025-01-09\n---\nText.\n";
    let (_t, b) = build_files(&[("w/a.md", a)], &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    assert!(
        !b.out.join("sitemap.xml").exists(),
        "relative URLs are not a sitemap"
    );
    assert!(
        b.stderr().contains("no sitemap.xml written"),
        "{}",
        b.stderr()
    );
    let (_t, b) = build_files(
        &[("w/a.md", a)],
        &["--base-url", "https://kb.example.com/docs/"],
    );
    assert!(b.output.status.success(), "{}", b.stderr());
    let map = b.page("sitemap.xml");
    assert!(
        map.contains("<url><loc>https://kb.example.com/docs/</loc></url>"),
        "{map}"
    );
    assert!(
        map.contains(
            "<url><loc>https://kb.example.com/docs/w/a/</loc><lastmod>2025-01-09</lastmod></url>"
        ),
        "{map}"
    );
    for loc in map.split("<loc>").skip(1) {
        assert!(loc.starts_with("https://kb.example.com/docs/"), "{loc}");
    }
    assert!(!b.stderr().contains("no sitemap.xml"));
}

/// nginx's `error_page 404 /kb/404.html` sends the page for a missing URL at
/// any depth: every link of it must reach the same file whatever the depth
/// of the URL it is sent for.
#[test]
fn not_found_page_links_work_from_any_depth_with_base_url() {
    let a = "---\ntitle: A\n---\nText.\n";
    let (_t, b) = build_files(
        &[("w/a.md", a)],
        &["--base-url", "https://kb.example.com/kb/"],
    );
    assert!(b.output.status.success(), "{}", b.stderr());
    let page = b.page("404.html");
    let links = links(&page);
    assert!(links.iter().any(|l| l == "/kb/assets/kb.css"), "{links:?}");
    for l in links.iter().filter(|l| !l.starts_with('#')) {
        let rel = l
            .strip_prefix("/kb/")
            .unwrap_or_else(|| panic!("{l} is not root-relative under /kb/"));
        let rel = rel.split(['?', '#']).next().unwrap();
        let target = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        assert!(b.out.join(&target).is_file(), "{l} → {target} missing");
    }
    assert!(page.contains("data-root=\"/kb/\""));
    // The other pages still link relatively (file://, any sub-path).
    assert!(b
        .page("w/a/index.html")
        .contains("href=\"../../assets/kb.css\""));
}
