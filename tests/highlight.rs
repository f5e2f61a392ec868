//! Code blocks in the languages articles use are highlighted at build
//! time; other blocks stay plain, and code is still searchable.

mod common;

use common::*;
use std::fs;

#[test]
fn tagged_blocks_are_highlighted_and_others_stay_plain() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    fs::create_dir_all(&kb).unwrap();
    let body = "# Restart\n\n```powershell\n# restart <the> service\nRestart-Service -Name \"W3SVC\"\n```\n\n```sql\nSELECT name FROM sys.databases; -- list\n```\n\n```ini\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n\"Enabled\"=dword:00000001\n```\n\n```console\nC:\\> sc query w3svc\n```\n";
    fs::write(kb.join("a.md"), body).unwrap();
    let b = build(tmp.path(), &kb, &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let page = b.page("a/index.html");
    assert!(
        page.contains("<pre class=\"hl\"><code class=\"language-powershell\">"),
        "{page}"
    );
    assert!(
        page.contains("hl-comment") && page.contains("hl-string"),
        "{page}"
    );
    assert!(page.contains("&lt;the&gt;"), "code text escaped: {page}");
    assert!(
        page.contains("language-sql") && page.contains("hl-keyword"),
        "{page}"
    );
    assert!(page.contains("language-ini"), "{page}");
    assert!(
        page.contains("<pre><code class=\"language-console\">C:\\&gt; sc query w3svc"),
        "{page}"
    );
    let css = fs::read_to_string(b.out.join("assets/kb.css")).unwrap();
    assert!(css.contains("pre.hl .hl-comment") && css.contains("@media print { pre.hl span"));
    // The code is still in the search index.
    let out = kbgen(
        tmp.path(),
        &[
            "search",
            "--source",
            "kb",
            "--output",
            b.out.to_str().unwrap(),
            "--json",
            "Restart-Service W3SVC",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["source"], "a.md", "{v}");
}
