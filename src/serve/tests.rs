//! Path safety, content types and script injection of `kbgen serve`.

use super::http::*;
use super::watch::is_editor_junk;
use std::path::Path;

fn segments(path: &str) -> Option<Vec<String>> {
    parse_target(path).map(|u| u.segments)
}

#[test]
fn plain_paths_split_into_decoded_segments() {
    assert_eq!(segments("/"), Some(vec![]));
    assert_eq!(
        segments("/iis/http-503/index.html"),
        Some(vec!["iis".into(), "http-503".into(), "index.html".into()])
    );
    assert_eq!(segments("/a%20b/"), Some(vec!["a b".into()]));
    assert_eq!(segments("//a//b"), Some(vec!["a".into(), "b".into()]));
    assert!(parse_target("/dir/").unwrap().trailing_slash);
    assert!(!parse_target("/dir").unwrap().trailing_slash);
}

#[test]
fn traversal_in_any_spelling_is_refused() {
    for bad in [
        "/../Cargo.toml",
        "/a/../../Cargo.toml",
        "/./a",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/.%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/..%2FCargo.toml",
        "/assets/..%5c..%5cCargo.toml",
        "/assets/..\\..\\Cargo.toml",
        "/C:/Windows/win.ini",
        "/c%3a/Windows",
        "/a%00b",
        "/bad%zzescape",
        "/truncated%2",
        "/%ff%fe",
        "Cargo.toml",
        "http://example.com/x",
        "*",
    ] {
        assert_eq!(parse_target(bad), None, "{bad}");
    }
}

#[test]
fn locate_serves_files_and_folder_indexes_only_inside_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("dir")).unwrap();
    std::fs::create_dir_all(root.join("empty")).unwrap();
    std::fs::write(root.join("dir/index.html"), "x").unwrap();
    std::fs::write(root.join("page.css"), "x").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let at = |p: &str| locate(&root, &parse_target(p).unwrap());
    let canon = root.canonicalize().unwrap();

    assert_eq!(at("/page.css"), Target::File(canon.join("page.css")));
    assert_eq!(at("/dir/"), Target::File(canon.join("dir/index.html")));
    assert_eq!(at("/dir"), Target::Redirect("/dir/".into()));
    assert_eq!(at("/empty/"), Target::NotFound, "no listing");
    assert_eq!(at("/missing.html"), Target::NotFound);
    assert_eq!(at("/page.css/"), Target::File(canon.join("page.css")));
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_only_while_they_stay_inside() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("real")).unwrap();
    std::fs::write(root.join("real/a.txt"), "in").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    symlink(tmp.path().join("secret.txt"), root.join("leak.txt")).unwrap();
    symlink(tmp.path(), root.join("up")).unwrap();
    symlink(root.join("real"), root.join("alias")).unwrap();
    let at = |p: &str| locate(&root, &parse_target(p).unwrap());

    assert_eq!(at("/leak.txt"), Target::NotFound);
    assert_eq!(at("/up/secret.txt"), Target::NotFound);
    assert_eq!(at("/up/"), Target::NotFound);
    let inside = root.canonicalize().unwrap().join("real/a.txt");
    assert_eq!(at("/alias/a.txt"), Target::File(inside));
}

#[test]
fn query_parameters_are_decoded() {
    assert_eq!(
        query_param("q=W3SVC%201011&limit=3", "q").as_deref(),
        Some("W3SVC 1011")
    );
    assert_eq!(query_param("q=a+b", "q").as_deref(), Some("a b"));
    assert_eq!(query_param("q=a&limit=3", "limit").as_deref(), Some("3"));
    assert_eq!(query_param("limit=3", "q"), None);
    assert_eq!(query_param("q", "q").as_deref(), Some(""));
}

#[test]
fn content_types_by_extension() {
    for (file, ty) in [
        ("a.html", "text/html; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.svg", "image/svg+xml"),
        ("atom.xml", "application/xml"),
        ("a.json", "application/json"),
        ("a.PNG", "image/png"),
        ("a.jpg", "image/jpeg"),
        ("a.gif", "image/gif"),
        ("a.webp", "image/webp"),
        ("favicon.ico", "image/x-icon"),
        ("a.woff2", "font/woff2"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("noext", "application/octet-stream"),
    ] {
        assert_eq!(content_type(Path::new(file)), ty, "{file}");
    }
}

/// Issue 15, item 1: a file from the content folder served by `kbgen
/// serve` (an SVG that slipped into `attachment_types`, a text, an
/// unknown type) carries `Content-Security-Policy: sandbox`, so its script
/// cannot run with the site's origin; the site's own pages, scripts and
/// styles do not.
#[test]
fn attachments_are_served_sandboxed_and_the_sites_own_files_are_not() {
    for file in [
        "a.svg",
        "trace.log",
        "a.png",
        "dump.zip",
        "noext",
        "feed.xml",
    ] {
        assert!(
            super::http::sandboxed(content_type(Path::new(file))),
            "{file}"
        );
    }
    for file in [
        "index.html",
        "assets/site.css",
        "search/idx/0.js",
        "doc.pdf",
        "a.woff2",
    ] {
        assert!(
            !super::http::sandboxed(content_type(Path::new(file))),
            "{file}"
        );
    }
    let reply = super::server::Reply {
        status: 200,
        content_type: "image/svg+xml",
        body: Vec::new(),
        no_store: false,
        location: None,
        sandbox: true,
    };
    let headers = reply.headers();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_string())
    };
    assert_eq!(
        header("Content-Security-Policy").as_deref(),
        Some("sandbox")
    );
    assert_eq!(header("X-Content-Type-Options").as_deref(), Some("nosniff"));
}

#[test]
fn live_script_goes_before_the_last_body_end() {
    let html = "<html><body><p>&lt;/body&gt;</p></body></html>";
    assert_eq!(
        inject_live_script(html, 7),
        "<html><body><p>&lt;/body&gt;</p><script src=\"/__kbgen/live.js?v=7\"></script>\n</body></html>"
    );
    assert!(inject_live_script("<BODY>x</BODY>", 1).ends_with("</script>\n</BODY>"));
    assert!(inject_live_script("no body", 1).starts_with("no body<script"));
}

#[test]
fn the_error_page_escapes_the_error() {
    let page = error_page("kb/a.md:2:8: error: <script>alert(1)</script>", 0);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("/__kbgen/live.js"));
}

#[test]
fn editor_swap_files_do_not_trigger_rebuilds() {
    for junk in [
        "kb/.a.md.swp",
        "kb/a.md~",
        "kb/4913",
        "kb/.#a.md",
        "kb/#a.md#",
        "kb/iis/sedT8ewJT",
        "kb/.a.md.swn",
        "kb/a.md.kate-swp",
        "kb/.goutputstream-X1Y2Z3",
        "kb/.~lock.a.md#",
        "kb/a.md___jb_tmp___",
    ] {
        assert!(is_editor_junk(Path::new(junk)), "{junk}");
    }
    for real in [
        "kb/iis/a.md",
        "kb/sed.md",
        "kb/sediments.md",
        "kb/img/sedan.png",
        "kb/.swan",
    ] {
        assert!(!is_editor_junk(Path::new(real)), "{real}");
    }
}

/// The next batch, or `None` when nothing came within a few seconds.
fn batch_within(watch: &mut super::watch::Watch) -> Vec<std::path::PathBuf> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    watch.next_batch_until(deadline).unwrap().paths
}

#[test]
fn folders_created_while_serving_are_watched() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let kb = root.join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    let themes = root.join("themes");
    let mut watch =
        super::watch::Watch::new(&[kb.clone(), themes.clone()], &[root.join("kb.toml")]).unwrap();
    let settle = || std::thread::sleep(std::time::Duration::from_millis(100));

    std::fs::create_dir(kb.join("new")).unwrap();
    assert!(batch_within(&mut watch).contains(&kb.join("new")));
    settle();
    std::fs::write(kb.join("new/a.md"), "# A\n").unwrap();
    assert!(batch_within(&mut watch).contains(&kb.join("new/a.md")));

    // A folder missing when serving started: watched once it appears.
    std::fs::create_dir_all(themes.join("t/templates")).unwrap();
    assert!(batch_within(&mut watch)
        .iter()
        .any(|p| p.starts_with(&themes)));
    settle();
    let template = themes.join("t/templates/base.html");
    std::fs::write(&template, "x").unwrap();
    assert!(batch_within(&mut watch).contains(&template));
}

/// `sed -i` writes `sedXXXXXX` beside the file and renames it over the
/// file: the batch names the file only, so the rebuild's log line does too.
#[test]
fn sed_in_place_edit_is_one_change_to_the_file() {
    if std::process::Command::new("sed")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no sed here");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().canonicalize().unwrap().join("kb");
    std::fs::create_dir_all(kb.join("iis")).unwrap();
    let file = kb.join("iis/a.md");
    std::fs::write(&file, "# A\n\nold\n").unwrap();
    let mut watch = super::watch::Watch::new(std::slice::from_ref(&kb), &[]).unwrap();
    let status = std::process::Command::new("sed")
        .args(["-i", "s/old/new/"])
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    let batch = batch_within(&mut watch);
    assert!(batch.contains(&file), "{batch:?}");
    assert!(batch.iter().all(|p| p == &file), "{batch:?}");
}
