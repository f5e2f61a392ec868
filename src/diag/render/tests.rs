use super::*;

fn file_with(text: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(&path, text).unwrap();
    (dir, path.to_string_lossy().into_owned())
}

#[test]
fn plain_text_has_position_source_line_caret_and_help() {
    let (_dir, file) = file_with(b"---\ntitle: A\nfixes: [nope]\n---\n");
    let d = Diagnostic::error(&file, 3, 9, "unknown fix id `nope`").hint("create the fix");
    let text = Renderer::new(false).render(&d);
    let want = format!(
        "error: unknown fix id `nope`\n --> {file}:3:9\n  |\n3 | fixes: [nope]\n  |         ^\n  |\n  = help: create the fix\n"
    );
    assert_eq!(text, want);
}

#[test]
fn without_a_readable_line_only_the_position_is_shown() {
    let d = Diagnostic::warning("no/such/file.md", 4, 2, "gone").hint("h");
    assert_eq!(
        Renderer::new(false).render(&d),
        "warning: gone\n --> no/such/file.md:4:2\n  = help: h\n"
    );
    let (_dir, file) = file_with(b"one line\n");
    let d = Diagnostic::error(&file, 0, 0, "too big");
    assert_eq!(
        Renderer::new(false).render(&d),
        format!("error: too big\n --> {file}\n")
    );
    let d = Diagnostic::error(&file, 7, 1, "past the end");
    assert_eq!(
        Renderer::new(false).render(&d),
        format!("error: past the end\n --> {file}:7:1\n")
    );
}

#[test]
fn lines_are_numbered_as_the_loader_numbers_them() {
    // BOM dropped, CRLF and lone CR end lines, invalid UTF-8 shown as U+FFFD.
    let (_dir, file) = file_with(b"\xef\xbb\xbfone\r\ntwo\rthr\xffee\n");
    let d = Diagnostic::error(&file, 3, 4, "bad byte");
    let text = Renderer::new(false).render(&d);
    assert!(text.contains("3 | thr\u{fffd}ee\n  |    ^\n"), "{text}");
    let d = Diagnostic::error(&file, 1, 1, "first");
    assert!(Renderer::new(false).render(&d).contains("1 | one\n  | ^\n"));
}

#[test]
fn a_line_without_column_has_no_caret_and_wide_gutters_align() {
    let mut src = "x\n".repeat(120);
    src.push_str("\tindented: [a\n");
    let (_dir, file) = file_with(src.as_bytes());
    let d = Diagnostic::error(&file, 121, 0, "no column");
    let text = Renderer::new(false).render(&d);
    assert_eq!(
        text,
        format!("error: no column\n   --> {file}:121\n    |\n121 |     indented: [a\n")
    );
    // A tab counts as one column and shows as four spaces.
    let d = Diagnostic::error(&file, 121, 2, "tab");
    assert!(Renderer::new(false)
        .render(&d)
        .contains("121 |     indented: [a\n    |     ^\n"));
}

#[test]
fn long_lines_are_cut_around_the_column() {
    let line = format!("{}TARGET{}", "a".repeat(300), "b".repeat(300));
    let (_dir, file) = file_with(line.as_bytes());
    let d = Diagnostic::error(&file, 1, 301, "here");
    let text = Renderer::new(false).render(&d);
    let lines: Vec<&str> = text.lines().collect();
    let shown = lines[3].strip_prefix("1 | ").unwrap();
    let caret = lines[4].strip_prefix("  | ").unwrap();
    assert!(
        shown.starts_with("...") && shown.ends_with("..."),
        "{shown}"
    );
    assert!(shown.len() <= MAX_LINE + 6);
    assert_eq!(&shown[caret.len() - 1..caret.len() + 5], "TARGET", "{text}");
}

#[test]
fn colour_marks_severity_gutter_and_message() {
    let (_dir, file) = file_with(b"a\n");
    let d = Diagnostic::warning(&file, 1, 1, "careful").hint("h");
    let text = Renderer::new(true).render(&d);
    assert!(text.starts_with("\u{1b}[1m\u{1b}[33mwarning"), "{text:?}");
    assert!(text.contains("\u{1b}[1m\u{1b}[34m-->"), "{text:?}");
    let plain: String = strip_ansi(&text);
    assert_eq!(plain, Renderer::new(false).render(&d));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
