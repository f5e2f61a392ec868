//! Freshness: `reviewed`, `review_every`, `expires`, the site default, the
//! DocFX `ms.date`/`ms.reviewer` fallbacks and the git commit date; the
//! page banner, the search result mark, `kbgen check [--deny stale]` and
//! `kbgen stale`. The build date is fixed with SOURCE_DATE_EPOCH.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// 2025-06-15, 12:00 UTC.
const TODAY: &str = "1749988800";

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", TODAY)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run kbgen")
}

fn kb() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    fs::create_dir_all(&kb).unwrap();
    let write = |rel: &str, text: &str| fs::write(kb.join(rel), text).unwrap();
    fs::write(
        tmp.path().join("kb.toml"),
        "review_every = \"12 months\"\nedit_url = \"https://git.example/kb/edit/main/{path}\"\n",
    )
    .unwrap();
    write("overdue.md", "---\ntitle: Overdue fix\nreviewed: 2023-01-10\nowner: [Olga Owner]\n---\nThe service fails with 0x80070005.\n");
    write("fresh.md", "---\ntitle: Fresh fix\nreviewed: 2025-03-01\n---\nThe service fails with 0x80070005 too.\n");
    write(
        "expired.md",
        "---\ntitle: Expired fix\nreviewed: 2025-05-01\nexpires: 2025-06-01\n---\nText.\n",
    );
    write(
        "weekly.md",
        "---\ntitle: Weekly check\nreviewed: 2025-06-01\nreview_every: 1 week\n---\nText.\n",
    );
    write("docfx.md", "---\ntitle: DocFX article\nms.date: 01/15/2024\nms.reviewer: rita\nauthor: ada\n---\nText.\n");
    tmp
}

fn site(tmp: &Path) -> std::path::PathBuf {
    let out = tmp.join("public");
    let b = run(tmp, &["build", "-o", out.to_str().unwrap()]);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    out
}

#[test]
fn pages_show_verified_age_banner_modified_date_and_edit_link() {
    let tmp = kb();
    let out = site(tmp.path());
    let page = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    let fresh = page("fresh/index.html");
    assert!(fresh.contains("verified 3 months ago"), "{fresh}");
    assert!(!fresh.contains("fresh-banner"));
    assert!(
        fresh.contains("href=\"https://git.example/kb/edit/main/fresh.md\""),
        "{fresh}"
    );
    let overdue = page("overdue/index.html");
    assert!(
        overdue.contains("class=\"fresh-banner overdue\""),
        "{overdue}"
    );
    assert!(
        overdue.contains("last verified 2023-01-10, review due 2024-01-10"),
        "{overdue}"
    );
    let expired = page("expired/index.html");
    assert!(expired.contains("expired on 2025-06-01"), "{expired}");
    let weekly = page("weekly/index.html");
    assert!(
        weekly.contains("fresh-banner overdue"),
        "per-article review_every wins"
    );
    let docfx = page("docfx/index.html");
    assert!(docfx.contains("from ms.date"), "{docfx}");
    // The search index carries the mark for results.
    let index = fs::read_dir(out.join("search/idx")).map(|d| {
        d.flatten()
            .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
            .collect::<String>()
    });
    assert!(index.unwrap().contains("\"f\":\"may be out of date\""));
}

#[test]
fn check_warns_about_the_queue_and_deny_stale_makes_it_fail() {
    let tmp = kb();
    let check = run(tmp.path(), &["check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{err}");
    assert!(
        err.contains("review overdue since 2024-01-10 (last verified 2023-01-10, from reviewed)"),
        "{err}"
    );
    assert!(err.contains("expired on 2025-06-01"), "{err}");
    assert!(
        err.contains("docfx.md"),
        "ms.date 2024-01-15 + 12 months is due: {err}"
    );
    assert!(!err.contains("fresh.md"), "{err}");
    let denied = run(tmp.path(), &["check", "--deny", "stale"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("4 errors"));
    // Without a review interval only expiry is a problem.
    fs::write(tmp.path().join("kb.toml"), "").unwrap();
    let err = String::from_utf8_lossy(&run(tmp.path(), &["check"]).stderr).into_owned();
    assert!(
        err.contains("expired on") && !err.contains("overdue.md"),
        "{err}"
    );
}

#[test]
fn stale_lists_the_queue_oldest_first_with_owners() {
    let tmp = kb();
    let out = run(tmp.path(), &["stale", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["today"], "2025-06-15");
    let rows = v["articles"].as_array().unwrap();
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["overdue.md", "docfx.md", "expired.md", "weekly.md"]);
    assert_eq!(rows[0]["owners"][0], "Olga Owner");
    assert_eq!(rows[1]["owners"][0], "rita", "ms.reviewer is the owner");
    assert_eq!(rows[1]["basis"], "ms.date");
    assert_eq!(rows[2]["state"], "expired");
    let text = run(tmp.path(), &["stale"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.lines().next().unwrap().contains("Olga Owner"),
        "{text}"
    );
}

/// On the full DocFX corpus, `kbgen stale` failed on missing images: a
/// broken link does not change which articles are due, so the queue is
/// printed and the command succeeds (the build and `kbgen check` report
/// links).
#[test]
fn stale_is_not_failed_by_a_broken_link() {
    let tmp = kb();
    fs::write(
        tmp.path().join("kb/overdue.md"),
        "---\ntitle: Overdue fix\nreviewed: 2023-01-10\n---\nSee ![](media/gone.png) and [this](gone.md).\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["stale", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("gone"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"][0]["path"], "overdue.md");
    let check = run(tmp.path(), &["check"]);
    assert!(
        !check.status.success(),
        "check still reports the broken links"
    );
}

#[test]
fn without_reviewed_the_git_commit_date_is_used() {
    let git = |dir: &Path, args: &[&str]| {
        Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_AUTHOR_DATE", "2024-02-03T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2024-02-03T10:00:00Z")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
    };
    let tmp = tempfile::tempdir().unwrap();
    if git(tmp.path(), &["init", "-q"]).is_err() {
        eprintln!("skipped: git is not installed (needed only to make the test repository)");
        return;
    }
    let kb = tmp.path().join("kb");
    fs::create_dir_all(&kb).unwrap();
    fs::write(kb.join("a.md"), "# A\n\nText.\n").unwrap();
    git(tmp.path(), &["add", "."]).unwrap();
    let c = git(tmp.path(), &["commit", "-q", "-m", "a"]).unwrap();
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    let out = site(tmp.path());
    let page = fs::read_to_string(out.join("a/index.html")).unwrap();
    assert!(
        page.contains("<time datetime=\"2024-02-03\">2024-02-03</time>, from git commit"),
        "{page}"
    );
    assert!(
        page.contains("last modified <time datetime=\"2024-02-03\">"),
        "{page}"
    );
}

#[test]
fn a_bad_period_is_an_error_at_its_line() {
    let tmp = kb();
    fs::write(
        tmp.path().join("kb/bad.md"),
        "---\ntitle: Bad\nreview_every: often\n---\nx\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bad.md:3:1") && err.contains("`review_every` is not a period: `often`"),
        "{err}"
    );
}
