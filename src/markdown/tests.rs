use super::*;

fn html(md: &str) -> String {
    render(md, 1, &|_, _| LinkTarget::Unchanged).html
}

#[test]
fn placeholders_show_as_written() {
    let h = html("The process id was '<process id>'. Logged at <DateTime>.\n\n<server name>\n");
    assert!(h.contains("&lt;process id&gt;"), "{h}");
    assert!(h.contains("&lt;DateTime&gt;"), "{h}");
    assert!(h.contains("&lt;server name&gt;"), "{h}");
}

#[test]
fn real_html_is_kept() {
    let h = html("<details>\n<summary>More</summary>\n\nText\n</details>\n\nA <br> break and <kbd>Ctrl</kbd>.\n");
    assert!(
        h.contains("<details>") && h.contains("<kbd>Ctrl</kbd>") && h.contains("<br>"),
        "{h}"
    );
}

#[test]
fn alerts_become_boxes() {
    let h = html("> [!WARNING]\n> Back up first.\n");
    assert!(
        h.contains("class=\"alert alert-warning\"")
            && h.contains(">Warning<")
            && h.contains("Back up first."),
        "{h}"
    );
}

#[test]
fn headings_get_unique_ids_and_leading_h1_is_taken() {
    let r = render(
        "# Title\n\n## Cause\n\n## Cause\n\n### Step {#custom}\n",
        1,
        &|_, _| LinkTarget::Unchanged,
    );
    assert_eq!(r.h1.as_deref(), Some("Title"));
    assert!(!r.html.contains("<h1"));
    let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["cause", "cause-1", "custom"]);
}

#[test]
fn gfm_extensions_render() {
    let h =
        html("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ text[^1]\n\n[^1]: Note.\n");
    assert!(
        h.contains("<table>")
            && h.contains("checkbox")
            && h.contains("<del>old</del>")
            && h.contains("footnote"),
        "{h}"
    );
}

#[test]
fn links_are_rewritten_and_broken_ones_reported_with_lines() {
    let resolve = |u: &str, _image: bool| match u {
        "ok.md" => LinkTarget::Rewritten("../ok/index.html".into()),
        "gone.md" => LinkTarget::Broken("no such article".into()),
        _ => LinkTarget::Unchanged,
    };
    let r = render(
        "Intro\n\nSee [ok](ok.md) and\n[gone](gone.md).\n",
        5,
        &resolve,
    );
    assert!(r.html.contains("href=\"../ok/index.html\""), "{}", r.html);
    assert!(!r.html.contains("gone.md\""), "{}", r.html);
    assert!(r.html.contains("broken-link"), "{}", r.html);
    assert_eq!(r.broken_links.len(), 1);
    assert_eq!(
        (r.broken_links[0].line, r.broken_links[0].url.as_str()),
        (8, "gone.md")
    );
}

#[test]
fn blocks_carry_lines_kinds_and_quotes() {
    let r = render("Para one\nstill one\n\n```text\nEvent ID: 1011\n```\n\n> quoted\n\n| a | b |\n|---|---|\n| x | y |\n", 10, &|_, _| LinkTarget::Unchanged);
    let kinds: Vec<_> = r
        .blocks
        .iter()
        .map(|b| (b.kind, b.line, b.quoted))
        .collect();
    assert_eq!(kinds[0], (BlockKind::Paragraph, 10, false));
    assert_eq!(r.blocks[0].text, "Para one\nstill one");
    assert_eq!(kinds[1], (BlockKind::Code, 13, false));
    assert_eq!(kinds[2], (BlockKind::Paragraph, 17, true));
    assert_eq!(r.blocks[4].text, "x\ty");
}

/// An HTML comment over two lines (`<!---Internal note …` then `--->`, as
/// Microsoft's articles write them) hides only itself: the text after it
/// is on the page and in the blocks search indexes.
#[test]
fn a_comment_over_two_lines_hides_only_itself() {
    for md in [
        "<!---Internal note: ask gsprad.\n--->\n\nVisible text.\n",
        "<!-- note\n-->\n\nVisible text.\n",
    ] {
        let r = render(md, 1, &|_, _| LinkTarget::Unchanged);
        assert!(r.html.contains("Visible text."), "{md:?}: {}", r.html);
        assert!(
            !r.html.contains("Internal note") && !r.html.contains("note"),
            "{}",
            r.html
        );
        assert!(
            r.blocks.iter().any(|b| b.text.contains("Visible text.")),
            "{md:?}"
        );
    }
}

/// Bodies whose raw HTML is only line breaks and comments skip the
/// sanitiser; what a browser builds from them is what it built when they
/// were sanitised, and what goes there besides still goes through it.
#[test]
fn plain_raw_html_is_written_without_the_sanitiser_and_reads_the_same() {
    let pieces = [
        "Text one",
        "<br>",
        "<BR/>",
        "<br />",
        "</br>",
        "<!-- note -->",
        "\n\n",
        "\n",
        "**bold** \"quoted\" & 'x'",
        "- item\n",
        "# Head\n",
        "`code`",
        "<!-- a -->\n",
        "[link](https://example.com/a?b=c&d=e)",
        "<b>b</b>",
    ];
    let docs = crate::test_strings::random_strings("abcdefghijklmno", 600, 9, 0x7f4a_7c15);
    let mut plain = 0;
    for d in &docs {
        let md: String = d
            .bytes()
            .map(|b| pieces[usize::from(b - b'a') % pieces.len()])
            .collect();
        let fast = html(&md);
        let trusted = render_with(&md, 1, &|_, _| LinkTarget::Unchanged, true).html;
        assert_eq!(sanitize::clean(&fast), sanitize::clean(&trusted), "{md:?}");
        assert!(!fast.contains("note"), "{md:?}: {fast}");
        plain += usize::from(!md.contains("<b>") && md.contains("<"));
    }
    assert!(plain > 100, "plain bodies: {plain}");
    for unsafe_md in [
        "a<br onclick=\"x()\">b",
        "a <!--><script>alert(1)</script>-->",
        "a <!--->< script>alert(1)</script>-->",
        "a <!-- x --!><script>alert(1)</script> -->",
        "a <!-- x --> <script>alert(1)</script>",
        "<!-- x -->\n<script>alert(1)</script>\n",
        "a <br><img src=x onerror=alert(1)>",
    ] {
        let h = html(unsafe_md);
        assert!(
            !h.contains("<script") && !h.contains("onclick") && !h.contains("onerror"),
            "{unsafe_md:?}: {h}"
        );
    }
}
