use super::*;

fn source(rel: &str, text: &str) -> Source {
    Source {
        rel_path: rel.into(),
        display_path: format!("kb/{rel}"),
        text: text.into(),
    }
}

fn gather(sources: &[Source]) -> (Includes, Diagnostics) {
    let mut d = Diagnostics::default();
    (Includes::gather(sources, &mut d), d)
}

#[test]
fn nested_includes_are_pasted_and_lines_map_to_the_directive() {
    let sources = [
        source("a/art.md", "one\n[!INCLUDE [x](../inc/x.md)]\nthree\n"),
        source(
            "inc/x.md",
            "---\nms.topic: include\n---\nx1\n[!INCLUDE [y](y.md)]\n",
        ),
        source("inc/y.md", "y1\ny2\n"),
    ];
    let (inc, d) = gather(&sources);
    assert!(d.is_empty(), "{d:?}");
    assert!(inc.is_fragment("inc/x.md") && inc.is_fragment("inc/y.md"));
    assert!(!inc.is_fragment("a/art.md"));
    let e = inc.expand(&sources[0].text, "a/art.md").unwrap();
    assert_eq!(e.text, "one\nx1\ny1\ny2\nthree\n");
    assert_eq!(e.lines, vec![0, 1, 1, 1, 2]);
    // Body starting at file line 5: expanded line 9 (`three`) is file line 7.
    assert_eq!(e.file_line(9, 5), 7);
}

#[test]
fn quoted_and_indented_includes_keep_their_prefix() {
    let sources = [
        source(
            "art.md",
            "1. step\n   [!INCLUDE [n](inc/n.md)]\n> [!INCLUDE [n](inc/n.md)]\n",
        ),
        source("inc/n.md", "> [!NOTE]\n> text\n"),
    ];
    let (inc, _) = gather(&sources);
    let e = inc.expand(&sources[0].text, "art.md").unwrap();
    assert_eq!(
        e.text,
        "1. step\n   > [!NOTE]\n   > text\n> > [!NOTE]\n> > text\n"
    );
}

#[test]
fn cycles_are_errors_at_their_line_and_do_not_loop() {
    let sources = [
        source("art.md", "[!INCLUDE [a](inc/a.md)]\n"),
        source("inc/a.md", "a\n[!INCLUDE [b](b.md)]\n"),
        source("inc/b.md", "b\n\n[!INCLUDE [a](a.md)]\n"),
    ];
    let (inc, d) = gather(&sources);
    let errors: Vec<_> = d
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{d:?}");
    assert_eq!(errors[0].file, "kb/inc/b.md");
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.contains("cycle"), "{}", errors[0].message);
    let e = inc.expand(&sources[0].text, "art.md").unwrap();
    assert!(
        e.text.starts_with("a\nb\n\n[!INCLUDE [a](a.md)]"),
        "{}",
        e.text
    );
}

#[test]
fn missing_targets_are_warned_once_at_their_file_and_line() {
    let sources = [source(
        "d/art.md",
        "x\n[!INCLUDE [t](../nope.md)]\n[!INCLUDE [t](../../up.md)]\n",
    )];
    let (inc, d) = gather(&sources);
    assert_eq!(d.iter().count(), 2, "{d:?}");
    assert!(d
        .iter()
        .all(|d| d.file == "kb/d/art.md" && d.severity != crate::diag::Severity::Error));
    assert_eq!(d.iter().map(|d| d.line).collect::<Vec<_>>(), vec![2, 3]);
    assert!(inc.expand(&sources[0].text, "d/art.md").is_none());
}

#[test]
fn relative_links_in_included_text_are_rebased() {
    let body = "see [p](../../perf/a.md#x), [w](https://e.x/a), [h](#here), ![i](media/i.png)";
    let out = rebase_links(body, "sql/includes/perf/f.md", "sql/perf/art.md");
    assert_eq!(
        out,
        "see [p](a.md#x), [w](https://e.x/a), [h](#here), ![i](../includes/perf/media/i.png)"
    );
    assert_eq!(relative_to("a/b/c.md", "x/y.md"), "../../x/y.md");
}

#[test]
fn inline_include_joins_the_sentence() {
    let sources = [
        source("art.md", "Install [!INCLUDE [p](inc/p.md)] first.\n"),
        source("inc/p.md", "SQL\nServer\n"),
    ];
    let (inc, _) = gather(&sources);
    let e = inc.expand(&sources[0].text, "art.md").unwrap();
    assert_eq!(e.text, "Install SQL Server first.\n");
}
