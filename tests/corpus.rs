//! The shared corpus of real Microsoft support articles (DocFX Markdown)
//! must build without error and without losing an article. Read from
//! ../shared; skipped, with the reason printed, where it is absent.

mod common;

use common::*;

#[test]
fn ms_support_corpus_builds_every_article() {
    let Some(corpus) = corpus() else { return };
    let sources: Vec<String> = files(&corpus)
        .into_iter()
        .filter(|f| f.ends_with(".md"))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    // An empty folder as the working directory, so the repository's kb.toml is not read.
    let b = build(
        tmp.path(),
        &corpus,
        &["--broken-links", "warn", "--format", "json"],
    );
    let v = b.json();
    assert_eq!(v["errors"], 0, "{:#}", v["diagnostics"]);
    assert_eq!(v["articles"].as_u64().unwrap() as usize, sources.len());
    let article_pages = article_pages(&b.out).len();
    assert_eq!(
        article_pages,
        sources.len(),
        "every article needs its own page"
    );
    let broken = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().starts_with("broken link"))
        .count();
    eprintln!("corpus: {} articles, {} signatures, {} pages, {broken} broken links to articles outside the corpus", v["articles"], v["signatures"], v["pages"]);
    // Spot checks that DocFX content renders sensibly.
    let page = b
        .page("support/windows-server/identity/active-directory-replication-error-8304/index.html");
    assert!(
        page.contains("class=\"alert alert-note\""),
        "DocFX > [!NOTE] should render as an alert"
    );
    assert!(page.contains("<pre><code"), "code blocks should render");
    assert!(
        page.contains("codes/0x80072070/index.html"),
        "error 8304 (0x2070) should be keyed"
    );
}

#[test]
fn content_folder_is_never_written() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let inside = corpus.join("public");
    let o = kbgen(
        tmp.path(),
        &[
            "build",
            "--source",
            corpus.to_str().unwrap(),
            "--output",
            inside.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("overlaps the content folder"));
    assert!(!inside.exists());
}

/// How many corpus articles yield at least one event or code from their
/// text alone (the corpus has no kbgen front matter). A regression floor:
/// raise it when extraction improves. Misses are listed for the notes.
#[test]
fn most_corpus_articles_yield_an_event_or_code() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let b = build(tmp.path(), &corpus, &["--broken-links", "warn", "-q"]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let pages = article_pages(&b.out);
    let misses: Vec<&String> = pages
        .iter()
        .filter(|p| {
            !b.page(p).contains("class=\"badge event\"")
                && !b.page(p).contains("class=\"badge code\"")
        })
        .collect();
    let hits = pages.len() - misses.len();
    eprintln!(
        "corpus extraction: {hits} of {} articles yield an event or code; misses:",
        pages.len()
    );
    for m in &misses {
        eprintln!("  {m}");
    }
    assert!(
        hits >= 318,
        "extraction regressed: {hits} of {} articles",
        pages.len()
    );
}
