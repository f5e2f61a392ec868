//! Product versions: a page per version listing the articles that apply,
//! linked from the product page; `kbgen search --product X --version Y`
//! keeps only the articles that apply.

mod common;

use common::*;
use std::fs;

fn kb() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    fs::create_dir_all(&kb).unwrap();
    let art = |name: &str, versions: &str| {
        let text = format!("---\ntitle: Transport queue stuck {name}\nproducts:\n  - name: Exchange Server\n    versions: [{versions}]\n---\nThe transport queue is stuck and mail is not delivered.\n");
        fs::write(kb.join(format!("{name}.md")), text).unwrap();
    };
    art("e2013", "\"2013\"");
    art("e2016", "\"2016\", \"2019\"");
    art("e2019", "\"2019\"");
    tmp
}

#[test]
fn each_version_has_a_page_linked_from_its_product() {
    let tmp = kb();
    let b = build(tmp.path(), &tmp.path().join("kb"), &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let product = b.page("products/exchange-server/index.html");
    assert!(
        product.contains(
            "href=\"../../products/exchange-server/2019/index.html\">Exchange Server 2019</a>"
        ),
        "{product}"
    );
    let v2019 = b.page("products/exchange-server/2019/index.html");
    assert!(
        v2019.contains("Transport queue stuck e2016")
            && v2019.contains("Transport queue stuck e2019"),
        "{v2019}"
    );
    assert!(!v2019.contains("Transport queue stuck e2013"), "{v2019}");
}

#[test]
fn search_keeps_only_articles_for_the_product_version() {
    let tmp = kb();
    let out = tmp.path().join("public");
    let search = |extra: &[&str]| {
        let mut args = vec![
            "search",
            "--source",
            "kb",
            "--output",
            out.to_str().unwrap(),
            "--json",
        ];
        args.extend_from_slice(extra);
        args.push("transport queue stuck");
        let o = kbgen(tmp.path(), &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut s: Vec<String> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["source"].as_str().unwrap().to_string())
            .collect();
        s.sort();
        s
    };
    assert_eq!(search(&[]).len(), 3);
    assert_eq!(
        search(&["--product", "exchange server", "--version", "2019"]),
        ["e2016.md", "e2019.md"]
    );
    assert_eq!(search(&["--version", "2013"]), ["e2013.md"]);
    assert!(search(&["--product", "SharePoint"]).is_empty());
}
