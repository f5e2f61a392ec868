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
    // The index files are scripts: a `<` in them could close the tag that
    // loads them, so every one is written `\u003c`.
    let index: Vec<String> = files(&b.out)
        .into_iter()
        .filter(|f| f.starts_with("search/idx/"))
        .collect();
    assert!(!index.is_empty());
    for rel in &index {
        assert!(!b.page(rel).contains('<'), "{rel}: a raw <");
    }
    assert!(
        index
            .iter()
            .any(|rel| b.page(rel).contains("\\u003cscript>window.__xss")),
        "the title is in the index, escaped"
    );
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
    // Issue 15, item 3: a comment is not for readers, even in trusted HTML.
    assert!(!b.page("attachments/index.html").contains("hunter2"));
}

/// Broken and pathological files: each is reported with its file (and line
/// where there is one) or built; none panics, hangs or writes outside the
/// output folder.
#[test]
fn broken_and_pathological_files_are_reported_or_built() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(kb.join("sub")).unwrap();
    let write = |rel: &str, bytes: &[u8]| std::fs::write(kb.join(rel), bytes).unwrap();
    // Reported.
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for n in "bcdefghij".chars() {
        bomb += &format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        );
        prev = n;
    }
    bomb += "title: bomb\n---\n# Bomb\n";
    write("bomb.md", bomb.as_bytes());
    write("list-fm.md", b"---\n- a\n- b\n---\n# List\n");
    write("never-closed.md", b"---\ntitle: open\n\n# Body\n");
    write("sub/bad-utf8.md", b"# Bad\n\nabc \xff\xfe def\n");
    write("huge.md", &vec![b'x'; 9 * 1024 * 1024]);
    let b = build(tmp.path(), &kb, &[]);
    assert_eq!(b.output.status.code(), Some(1), "{}", b.stderr());
    let err = b.stderr();
    for expected in [
        "invalid YAML in front matter",
        "kb/bomb.md:2:1",
        "front matter is a list",
        "kb/list-fm.md:2:1",
        "never closed",
        "kb/never-closed.md:1:1",
        "not valid UTF-8",
        "kb/sub/bad-utf8.md:3:5",
        "over the limit",
        "kb/huge.md",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }

    // Built.
    for f in [
        "bomb.md",
        "list-fm.md",
        "never-closed.md",
        "sub/bad-utf8.md",
        "huge.md",
    ] {
        std::fs::remove_file(kb.join(f)).unwrap();
    }
    write("empty.md", b"");
    write(
        "crlf.md",
        b"\xef\xbb\xbf---\r\ntitle: CRLF and BOM\r\n---\r\n\r\nText\r\n",
    );
    let code: String = (0..50_000).map(|i| format!("line {i}\n")).collect();
    write(
        "long-code.md",
        format!("# Long code\n\n```text\n{code}```\n").as_bytes(),
    );
    let nested = format!(
        "# Nested\n\n{} deep\n\n{}\n{}x{}\n",
        ">".repeat(3000),
        (0..1000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>(),
        "*".repeat(2000),
        "*".repeat(2000)
    );
    write("nested.md", nested.as_bytes());
    write("file with spaces é.md", b"# Spaces\n\nText.\n");
    write("con.md", b"# Reserved name\n\nText.\n");
    write(
        "slug-escape.md",
        b"---\ntitle: Escape\nslug: ../../outside\n---\nText\n",
    );
    write(
        "slug-abs.md",
        b"---\ntitle: Abs\nslug: /etc/passwd\n---\nText\n",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", kb.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", kb.join("outside-link.md")).unwrap();
    }
    let out = tmp.path().join("out");
    let o = kbgen(tmp.path(), &["build", "--output", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    #[cfg(unix)]
    assert!(
        err.contains("kb/outside-link.md") && err.contains("symbolic link skipped"),
        "{err}"
    );
    assert!(
        err.contains("`slug: ../../outside` is a path, not a name; the page goes to `outside/`"),
        "{err}"
    );
    assert!(err.contains("kb/slug-abs.md:3:1"), "{err}");
    for page in [
        "crlf/index.html",
        "long-code/index.html",
        "nested/index.html",
        // `é` is transliterated like every slug (`café` → `cafe`), not dropped.
        "file-with-spaces-e/index.html",
        "con-page/index.html",
        "outside/index.html",
        "etc-passwd/index.html",
    ] {
        assert!(
            out.join(page).is_file(),
            "{page} missing: {:?}",
            files(&out)
        );
    }
    let mut top: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [".out.kbgen-lock", ".out.kbgen-search", "kb", "out"],
        "nothing written beside the output but its lock and search index"
    );
}

/// An output folder that cannot be made (its parent is a file) fails with a
/// message naming the path, and status 2.
#[test]
fn an_output_that_cannot_be_written_names_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("file"), "not a folder").unwrap();
    let out = tmp.path().join("file/public");
    let o = kbgen(&repo(), &["build", "--output", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let blocker = tmp.path().join("file");
    assert!(
        err.starts_with("error: cannot create folder") && err.contains(blocker.to_str().unwrap()),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Issue 15, item 1: `.html`, `.svg` (and `.js`) files linked from an
/// article are refused with the article's line and the file's name, and
/// never copied into the site, where they would run with its origin.
#[test]
fn active_attachments_are_refused_naming_the_file_and_the_linking_line() {
    let b = build(&repo(), &fixture(), &[]);
    let err = b.stderr();
    assert_eq!(b.output.status.code(), Some(1), "{err}");
    for (file, line) in [("payload.html", "5:28"), ("drawing.svg", "5:52")] {
        let located = regex::Regex::new(&format!(
            r"error: link left out `{file}`: `{file}` is active content[^\n]*\n *--> [^\n]*attachments\.md:{line}\n"
        ))
        .unwrap();
        assert!(located.is_match(&err), "{file} at {line}:\n{err}");
    }
    let b = build(&repo(), &fixture(), &["--broken-links", "warn"]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let site = files(&b.out);
    for active in ["payload.html", "drawing.svg", "payload.js"] {
        assert!(!site.contains(&active.to_string()), "{active} published");
    }
    assert!(site.contains(&"trace.log".to_string()), "{site:?}");
    assert!(b
        .page("attachments/index.html")
        .contains("href=\"../trace.log\""));
}

/// Issue 15, item 2: files no article links (`notes.txt`, `payload.js`,
/// `id_rsa`) stay out of the site and are listed by `-v`; a file that looks
/// like a secret is a warning even when nothing links it.
#[test]
fn unlinked_files_are_not_published_and_secrets_are_warned_about() {
    let b = build(&repo(), &fixture(), &["--broken-links", "warn", "-v"]);
    let err = b.stderr();
    assert!(b.output.status.success(), "{err}");
    for unlinked in ["notes.txt", "payload.js", "id_rsa"] {
        assert!(!files(&b.out).contains(&unlinked.to_string()), "{unlinked}");
        assert!(
            err.contains(&format!("hostile/kb/{unlinked}\n")),
            "-v lists {unlinked}:\n{err}"
        );
    }
    let secret = regex::Regex::new(
        r"warning: this file looks like an SSH private key; kbgen does not publish it\n *--> [^\n]*kb/id_rsa\n",
    )
    .unwrap();
    assert!(secret.is_match(&err), "{err}");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("kb")).unwrap();
    std::fs::write(tmp.path().join("kb/a.md"), "# A\n\nText.\n").unwrap();
    std::fs::write(tmp.path().join("kb/.env"), "TOKEN=x\n").unwrap();
    std::fs::write(tmp.path().join("kb/server.pem"), "x\n").unwrap();
    let b = build(tmp.path(), &tmp.path().join("kb"), &[]);
    let err = b.stderr();
    assert!(b.output.status.success(), "{err}");
    assert!(
        err.contains("kb/.env") && err.contains("kb/server.pem"),
        "{err}"
    );
}

/// Issue 15, item 3: an HTML comment and the contents of `<script>` and
/// `<style>` are not on the page, so they are in neither search index.
#[test]
fn hidden_text_is_neither_published_nor_indexed() {
    let b = build(&repo(), &fixture(), &["--broken-links", "warn"]);
    assert!(b.output.status.success(), "{}", b.stderr());
    for rel in files(&b.out) {
        let bytes = std::fs::read(b.out.join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for hidden in [
            "hunter2",
            "INTERNAL",
            "scriptleak",
            "styleleak",
            "body-script",
        ] {
            assert!(!text.contains(hidden), "{hidden} in {rel}");
        }
    }
    let out = b.out.to_str().unwrap();
    for hidden in ["hunter2", "scriptleak", "styleleak"] {
        let o = kbgen(&repo(), &["search", "--output", out, "--json", hidden]);
        let found: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            found["results"].as_array().map(Vec::len),
            Some(0),
            "{hidden}: {found}"
        );
    }
}

/// Issue 15, item 4: images on another machine (`//host`, `\\host`, also
/// written with character references, `file:`) and remote images are
/// errors with file:line, and their URLs never reach a page.
#[test]
fn remote_unc_and_file_images_are_errors_and_never_emitted() {
    let b = build(&repo(), &fixture(), &[]);
    let err = b.stderr();
    for (url, at) in [
        ("//fileserver/share/a.png", "attachments.md:13:16"),
        ("https://images.example/b.png", "attachments.md:14:1"),
        ("file:///C:/secret.png", "attachments.md:14:42"),
        ("\\\\fileserver\\share\\b.png", "attachments.md:16:1"),
        ("\\\\fileserver/share/c.png", "attachments.md:18:1"),
    ] {
        let shown = format!("error: image left out `{url}`");
        let line = err.lines().skip_while(|l| !l.starts_with(&shown)).nth(1);
        assert!(
            line.is_some_and(|l| l.ends_with(at)),
            "{url} at {at}:\n{err}"
        );
    }
    let b = build(&repo(), &fixture(), &["--broken-links", "warn"]);
    let page = b.page("attachments/index.html");
    for never in ["fileserver", "file:", "images.example"] {
        assert!(!page.contains(never), "{never} emitted:\n{page}");
    }

    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), &tmp.path().join("kb"));
    std::fs::write(
        tmp.path().join("kb.toml"),
        "https_images = true\nbroken_links = \"warn\"\n",
    )
    .unwrap();
    let b = build(tmp.path(), &tmp.path().join("kb"), &[]);
    assert!(
        !b.stderr().contains("left out `https://images.example"),
        "{}",
        b.stderr()
    );
    let page = b.page("attachments/index.html");
    assert!(
        page.contains("src=\"https://images.example/b.png\""),
        "{page}"
    );
    assert!(!page.contains("fileserver"), "{page}");
}

/// Issue 15, item 5: a megabyte of "W3SVC event N from FooN" made 66,675
/// pages. One article keeps at most a thousand signatures, and says so at
/// the line of the first one left out.
#[test]
fn thousands_of_cited_events_are_cut_with_a_warning_not_made_into_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    let lines: String = (1..=3000)
        .map(|i| format!("W3SVC event {i} from Foo{i}.\n\n"))
        .collect();
    std::fs::write(kb.join("flood.md"), format!("# Flood\n\n{lines}")).unwrap();
    let b = build(tmp.path(), &kb, &[]);
    let err = b.stderr();
    assert!(b.output.status.success(), "{err}");
    let cut = regex::Regex::new(
        r"warning: \d+ events, codes and messages found; only the first 1000 are kept\n *--> [^\n]*flood\.md:\d+:1\n",
    )
    .unwrap();
    assert!(cut.is_match(&err), "{err}");
    let pages = files(&b.out)
        .iter()
        .filter(|f| f.ends_with(".html"))
        .count();
    assert!(pages < 2100, "{pages} pages");
}

/// Issue 15, item 10: `signature:`, `Signatures:`, `tag:` and `fix:` went to
/// the template extras without a word, so their events vanished; `tags:` in
/// a fix did nothing; event IDs beyond 65535 were taken; bad events in one
/// list were reported one per run.
#[test]
fn misspelled_keys_warn_and_out_of_range_event_ids_are_all_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(kb.join("fixes")).unwrap();
    std::fs::write(
        kb.join("a.md"),
        "---\ntitle: A\nsignature:\n  - event: {id: 1011, source: W3SVC}\nTag: [iis]\nfix: [restart]\n---\nText.\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("b.md"),
        "---\ntitle: B\nsignatures:\n  - event: {id: 70000, source: W3SVC}\n  - event: {id: 99999, source: WAS}\n---\nText.\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("fixes/restart.md"),
        "---\nid: restart\ntitle: Restart\ntags: [iis]\n---\nRestart it.\n",
    )
    .unwrap();
    let b = build(tmp.path(), &kb, &[]);
    let err = b.stderr();
    assert_eq!(b.output.status.code(), Some(1), "{err}");
    for (message, at) in [
        ("unknown key `signature:`", "a.md:3:1"),
        ("unknown key `Tag:`", "a.md:5:1"),
        ("unknown key `fix:`", "a.md:6:1"),
        ("`tags:` has no effect in a fix document", "restart.md:4:1"),
        ("event id 70000 is outside 0–65535", "b.md:3:1"),
        ("event id 99999 is outside 0–65535", "b.md:3:1"),
    ] {
        let line = err.lines().skip_while(|l| !l.contains(message)).nth(1);
        assert!(
            line.is_some_and(|l| l.ends_with(at)),
            "{message} at {at}:\n{err}"
        );
    }
    for hint in [
        "did you mean `signatures`?",
        "did you mean `tags`?",
        "did you mean `fixes`?",
    ] {
        assert!(err.contains(hint), "{hint}:\n{err}");
    }
}

/// Issue 15, item 8: ESC and NUL in a title made `atom.xml` ill-formed, and
/// ANSI sequences in content and file names reached the terminal raw
/// through diagnostics and `kbgen search`.
#[test]
fn control_characters_never_reach_xml_or_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("red.md"),
        "---\ntitle: \"Red\\e[31m alert\\0 beacon\"\nsummary: \"bell\\a here\"\n---\nThe beacon text.\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("esc\u{1b}[2Jname.md"),
        "---\nslug: \"a/\\e[5mb\"\n---\n# Esc\n\nSee [gone](gone.md).\n",
    )
    .unwrap();
    let b = build(tmp.path(), &kb, &["--broken-links", "warn"]);
    let err = b.stderr();
    assert!(b.output.status.success(), "{err}");
    assert!(!err.contains('\u{1b}'), "raw ESC in diagnostics: {err:?}");
    assert!(err.contains("\\u{1b}[2Jname.md:6:5"), "{err}");
    assert!(err.contains("`slug: a/\\u{1b}[5mb` is a path"), "{err}");
    let atom = b.page("atom.xml");
    assert!(
        !atom
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
        "{atom:?}"
    );
    assert!(
        atom.contains("<title>Red[31m alert beacon</title>"),
        "{atom}"
    );
    let o = kbgen(
        tmp.path(),
        &["search", "--output", b.out.to_str().unwrap(), "beacon"],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Red\\u{1b}[31m alert\\u{0} beacon"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\0'), "{out:?}");
}

/// Issue 15, item 9: tags `C`, `C++` and `C#` (and `.NET`, `NET`) made one
/// page listing "C" only. Distinct names get distinct pages; names that
/// still make one page name are reported.
#[test]
fn tags_that_differ_by_symbols_get_their_own_pages_and_clashes_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("a.md"),
        "---\ntitle: A\ntags: [C, C++, \"C#\", .NET, NET, TCP/IP]\n---\nText.\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("b.md"),
        "---\ntitle: B\ntags: [TCP IP]\n---\nText.\n",
    )
    .unwrap();
    let b = build(tmp.path(), &kb, &[]);
    let err = b.stderr();
    assert!(b.output.status.success(), "{err}");
    for (dir, name) in [
        ("c", "C"),
        ("c-plus-plus", "C++"),
        ("c-sharp", "C#"),
        ("dot-net", ".NET"),
        ("net", "NET"),
    ] {
        let page = b.page(&format!("tags/{dir}/index.html"));
        assert!(
            page.contains(&format!(">{name}<")),
            "tags/{dir} shows {name}"
        );
    }
    assert!(
        err.contains("tag `TCP IP` shares the page `tcp-ip` with `TCP/IP`")
            && err.contains("kb/b.md"),
        "{err}"
    );
}

/// Issue 15, item 7: a tag, product, slug or event source of 300
/// characters passed `kbgen check` and failed `kbgen build` with "File name
/// too long" and no file:line. Long names are shortened stably; a source
/// that long is an error that check finds too.
#[test]
fn long_names_are_shortened_stably_or_reported_by_check_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    let long = "Very long name ".repeat(20);
    std::fs::write(
        kb.join("a.md"),
        format!("---\ntitle: A\nslug: \"{long}\"\ntags: [\"{long}\"]\nproducts: [\"{long}x\"]\n---\nText.\n"),
    )
    .unwrap();
    let b = build(tmp.path(), &kb, &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let pages = files(&b.out);
    let longest = pages
        .iter()
        .flat_map(|p| p.split('/'))
        .map(str::len)
        .max()
        .unwrap();
    assert!(longest <= 80, "{pages:?}");
    let again = build(tmp.path(), &kb, &[]);
    assert_eq!(files(&again.out), pages, "the same names every build");

    std::fs::write(
        kb.join("b.md"),
        format!(
            "---\ntitle: B\nsignatures:\n  - event: {{id: 1, source: \"{long}\"}}\n---\nText.\n"
        ),
    )
    .unwrap();
    for cmd in ["check", "build"] {
        let o = kbgen(tmp.path(), &[cmd]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {err}");
        let line = err
            .lines()
            .skip_while(|l| !l.contains("the source of event 1 is 299 characters long"))
            .nth(1);
        assert!(
            line.is_some_and(|l| l.ends_with("kb/b.md:3:1")),
            "{cmd}: {err}"
        );
    }
}

/// Issue 15, item 11: while `kbgen build` swapped the new site in, a reader
/// saw no folder for a moment (81 "file not found" in 446k reads during 10
/// builds). Where the file system can exchange two folders atomically, a
/// reader now finds the old site or the new one, every time.
#[cfg(target_os = "linux")]
#[test]
fn a_reader_never_finds_the_site_missing_while_builds_swap_it_in() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let args = ["build", "-q", "--output", out.to_str().unwrap()];
    assert!(kbgen(&repo(), &args).status.success());
    let done = Arc::new(AtomicBool::new(false));
    let (reads, misses) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (done, reads, misses) = (done.clone(), reads.clone(), misses.clone());
        let page = out.join("index.html");
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if std::fs::metadata(&page).is_err() {
                    misses.fetch_add(1, Ordering::Relaxed);
                }
                reads.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for _ in 0..5 {
        assert!(kbgen(&repo(), &args).status.success());
    }
    done.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    let (reads, misses) = (
        reads.load(Ordering::Relaxed),
        misses.load(Ordering::Relaxed),
    );
    assert!(reads > 1000, "{reads} reads");
    assert_eq!(misses, 0, "{misses} of {reads} reads found no site");
}

/// Issue 15, item 12: a killed build's search staging folder stayed
/// forever (a relative output has the parent ""), a refused build left a
/// lock file beside a folder it does not own, an output given as a symlink
/// became a folder, `kbgen new fix` wrote through a symlinked `kb/fixes`
/// outside the content, and `output_dir = "~/…"` made a folder named `~`.
#[cfg(unix)]
#[test]
fn leftovers_locks_symlinks_and_tilde_are_handled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(&repo().join("kb"), &dir.join("kb"));
    for leftover in [
        ".site.kbgen-search.staging-99999",
        ".site.kbgen-staging-99999",
    ] {
        std::fs::create_dir_all(dir.join(leftover)).unwrap();
    }
    assert!(kbgen(dir, &["build", "-q", "--output", "site"])
        .status
        .success());
    for leftover in [
        ".site.kbgen-search.staging-99999",
        ".site.kbgen-staging-99999",
    ] {
        assert!(!dir.join(leftover).exists(), "{leftover} left");
    }

    std::fs::create_dir_all(dir.join("foreign")).unwrap();
    std::fs::write(dir.join("foreign/x.txt"), "mine").unwrap();
    let o = kbgen(dir, &["build", "-q", "--output", "foreign"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.join(".foreign.kbgen-lock").exists(), "lock left");

    std::fs::create_dir_all(dir.join("real")).unwrap();
    std::os::unix::fs::symlink("real", dir.join("linked")).unwrap();
    assert!(kbgen(dir, &["build", "-q", "--output", "linked"])
        .status
        .success());
    assert!(dir
        .join("linked")
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(dir.join("real/index.html").is_file());

    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::rename(dir.join("kb/fixes"), dir.join("kb-fixes")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("kb/fixes")).unwrap();
    let o = kbgen(dir, &["new", "fix", "Restart the pool"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "written outside"
    );
    std::fs::remove_file(dir.join("kb/fixes")).unwrap();
    std::fs::rename(dir.join("kb-fixes"), dir.join("kb/fixes")).unwrap();

    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(dir.join("kb.toml"), "output_dir = \"~/kbsite\"\n").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(dir)
        .env("HOME", &home)
        .args(["build", "-q"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(home.join("kbsite/index.html").is_file());
    assert!(!dir.join("~").exists(), "a folder named ~");
}

/// Issue 15, item 10: an event an article gives with two different messages
/// showed only the first on the event's page.
#[test]
fn an_event_with_two_messages_shows_both() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("a.md"),
        "---\ntitle: A\nsignatures:\n  - event: {id: 1011, source: W3SVC}\n    message: \"The application pool stopped unexpectedly\"\n---\n\
         ```text\nSource: W3SVC\nEvent ID: 1011\nDescription: A worker process serving the pool failed to answer a ping\n```\n",
    )
    .unwrap();
    let b = build(tmp.path(), &kb, &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let page = b.page("events/w3svc/1011/index.html");
    for message in [
        "The application pool stopped unexpectedly",
        "failed to answer a ping",
    ] {
        assert!(page.contains(message), "{message} missing:\n{page}");
    }
}
