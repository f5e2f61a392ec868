//! Broken content: every problem reported with file and line, nothing
//! written, the previous site left in place.

mod common;

use common::*;
use std::path::Path;

fn fixture(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join("kb").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn run(dir: &Path, cmd: &str, out: &Path) -> (Option<i32>, String, String) {
    let o = kbgen(dir, &[cmd, "--output", out.to_str().unwrap()]);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn broken_input_fails_with_file_and_line_and_keeps_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("kb"), &dir.path().join("kb"));
    let out = dir.path().join("public");
    let (code, _, err) = run(dir.path(), "build", &out);
    assert_eq!(code, Some(0), "{err}");
    let before: Vec<_> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();

    std::fs::write(
        dir.path().join("kb/iis/broken.md"),
        "---\ntitle: Broken\ntags: [a, b\n---\n# Broken\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("kb/iis/unknown-fix.md"),
        "---\ntitle: Unknown fix\nfixes:\n  - no-such-fix\n---\nBody\n",
    )
    .unwrap();
    let (code, _, err) = run(dir.path(), "build", &out);
    assert_eq!(code, Some(1), "{err}");
    // rustc style: the message, then ` --> file:line:col` on the next line.
    assert!(
        err.contains("error: invalid YAML in front matter")
            && err.contains("\n --> kb/iis/broken.md:3:"),
        "YAML error not located:\n{err}"
    );
    assert!(
        err.contains("error: unknown fix id `no-such-fix`\n --> kb/iis/unknown-fix.md:3:1\n"),
        "unknown fix not located:\n{err}"
    );
    let after: Vec<_> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    assert!(before == after, "a failed build changed the previous site");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn check_reports_every_problem_in_one_run_as_json() {
    let dir = fixture(&[
        (
            "a.md",
            "---\ntitle: A\ndate: yesterday\n---\nSee [b](missing.md).\n",
        ),
        ("b.md", "---\ntitle: [unclosed\n---\n"),
        ("c.md", "---\n- just\n- a list\n---\n"),
        (
            "d.md",
            "---\nsignatures:\n  - event: {id: abc, source: W3SVC}\n---\n",
        ),
        ("e.md", "---\nslug: a\n---\nDuplicate of a's page.\n"),
        ("bad-utf8.md", "ok line\n\u{0}"),
        ("fixes/f.md", "---\nid: f\ntitle: F\n---\n1. Step\n"),
    ]);
    std::fs::write(
        dir.path().join("kb/bad-utf8.md"),
        b"line one\nbad \xff byte\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let o = kbgen(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "check must not write");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let has = |file: &str, line: u64, text: &str| {
        diags.iter().any(|d| {
            d["file"].as_str().unwrap().ends_with(file)
                && d["line"] == line
                && d["message"].as_str().unwrap().contains(text)
                && d["hint"].is_string()
        })
    };
    assert!(has("a.md", 3, "not a date"), "{diags:#?}");
    assert!(has("a.md", 5, "broken link `missing.md`"), "{diags:#?}");
    assert!(has("b.md", 2, "invalid YAML"), "{diags:#?}");
    assert!(
        has("c.md", 2, "not a set of `key: value` lines"),
        "{diags:#?}"
    );
    assert!(has("d.md", 2, "not a whole number"), "{diags:#?}");
    assert!(has("e.md", 2, "duplicate page path"), "{diags:#?}");
    assert!(has("bad-utf8.md", 2, "not valid UTF-8"), "{diags:#?}");
    assert_eq!(
        v["errors"].as_u64().unwrap() as usize,
        diags.iter().filter(|d| d["severity"] == "error").count()
    );
}

#[test]
fn broken_links_can_be_downgraded_to_warnings() {
    let dir = fixture(&[("a.md", "# A\n\nSee [b](b.md) and ![img](media/x.png).\n")]);
    let out = dir.path().join("public");
    let o = kbgen(
        dir.path(),
        &[
            "build",
            "--broken-links",
            "warn",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(2))
    );
    let html = std::fs::read_to_string(out.join("a/index.html")).unwrap();
    assert!(
        !html.contains("href=\"b.md\"") && !html.contains("src=\"media/x.png\""),
        "dangling targets must not reach the page"
    );
}

#[test]
fn empty_config_and_no_front_matter_still_build() {
    let dir = fixture(&[(
        "plain.md",
        "# Plain article\n\nEvent ID: 7023\nSource: Service Control Manager\n",
    )]);
    std::fs::write(dir.path().join("kb.toml"), "").unwrap();
    let out = dir.path().join("public");
    let (code, _, err) = run(dir.path(), "build", &out);
    assert_eq!(code, Some(0), "{err}");
    let html = std::fs::read_to_string(out.join("plain/index.html")).unwrap();
    assert!(html.contains("<h1>Plain article</h1>"));
    assert!(out
        .join("events/service-control-manager/7023/index.html")
        .is_file());
}

#[test]
fn bad_kb_toml_names_file_and_line() {
    let dir = fixture(&[("a.md", "# A\n")]);
    std::fs::write(dir.path().join("kb.toml"), "title = \"x\"\nnot_a_key = 1\n").unwrap();
    let (code, _, err) = run(dir.path(), "build", &dir.path().join("public"));
    assert_eq!(code, Some(1));
    assert!(
        err.contains(" --> kb.toml:2:") && err.contains("not_a_key"),
        "{err}"
    );
}

/// Declared codes that are probably mistyped are warnings with a hint, at
/// the line of the `signatures:` key (front matter lines are known per key);
/// the code that is only doubtful is kept.
#[test]
fn mistyped_declared_codes_are_warnings_with_hints() {
    let dir = fixture(&[(
        "lint.md",
        "---\ntitle: Codes\nsignatures:\n  - message: \"Setup failed.\"\n    codes: [\"0x8007002\", \"0x8ab00001\"]\n  - codes: [\"ERROR_ACCES_DENIED\", \"STATUS_NO_SUCH_THING_AT_ALL\", \"Bug Check 0x7E\"]\n---\nBody.\n",
    )]);
    let out = dir.path().join("public");
    let o = kbgen(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "warnings only: {v:#}");
    let diags = v["diagnostics"].as_array().unwrap();
    let warned = |line: u64, text: &str, hint: &str| {
        diags.iter().any(|d| {
            d["file"].as_str().unwrap().ends_with("lint.md")
                && d["line"] == line
                && d["severity"] == "warning"
                && d["message"].as_str().unwrap().contains(text)
                && d["hint"].as_str().unwrap().contains(hint)
        })
    };
    assert!(
        warned(3, "`0x8007002` has 7 hex digits", "dropped"),
        "{diags:#?}"
    );
    assert!(warned(3, "facility 2736", "0x8007"), "{diags:#?}");
    assert!(
        warned(
            3,
            "`ERROR_ACCES_DENIED` looks like a Windows error name",
            "`ERROR_ACCESS_DENIED`"
        ),
        "{diags:#?}"
    );
    assert!(
        warned(3, "`STATUS_NO_SUCH_THING_AT_ALL`", "by number"),
        "{diags:#?}"
    );
    assert_eq!(diags.len(), 4, "the bug check is fine: {diags:#?}");
}

/// Two builds into one output folder: the second is refused while the first
/// holds the folder, instead of deleting its staging folder mid-write.
#[test]
fn a_second_build_into_the_same_output_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let lock = kbgen::output::lock(&out).expect("first lock");
    let o = kbgen(&repo(), &["build", "--output", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("another kbgen is writing"), "{err}");
    assert!(!out.exists(), "nothing written");
    drop(lock);
    let o = kbgen(&repo(), &["build", "-q", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
