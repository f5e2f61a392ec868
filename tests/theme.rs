//! Themes: a site's `themes/<name>/` overrides the built-in theme one file
//! at a time; a broken or missing theme is a clear error, not a panic.

mod common;

use common::*;

fn site(theme_files: &[(&str, &str)], kb_toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("kb")).unwrap();
    std::fs::write(dir.path().join("kb/a.md"), "# Article A\n\nBody.\n").unwrap();
    std::fs::write(dir.path().join("kb.toml"), kb_toml).unwrap();
    for (path, text) in theme_files {
        let p = dir.path().join("themes").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn one_partial_overrides_and_the_rest_stays_built_in() {
    let dir = site(
        &[
            (
                "corp/templates/partials/footer.html",
                "<footer class=\"corp\">Corp IT · {{ site.title }}</footer>",
            ),
            ("corp/static/kb.css", "body { color: red; }"),
        ],
        "title = \"Corp KB\"\ntheme = \"corp\"\n",
    );
    let out = dir.path().join("public");
    let o = kbgen(dir.path(), &["build", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("a/index.html")).unwrap();
    assert!(
        html.contains("<footer class=\"corp\">Corp IT · Corp KB</footer>"),
        "override not used"
    );
    assert!(
        html.contains("class=\"site-header\""),
        "built-in header should remain"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("assets/kb.css")).unwrap(),
        "body { color: red; }"
    );
}

#[test]
fn missing_theme_and_broken_template_are_clear_errors() {
    let dir = site(&[], "theme = \"nope\"\n");
    let o = kbgen(dir.path(), &["build"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("theme `nope` not found"), "{err}");
    assert!(!dir.path().join("public").exists());

    let dir = site(
        &[(
            "bad/templates/article.html",
            "{% extends \"base.html\" %}{% block main %}{{ article.title }{% endblock main %}",
        )],
        "theme = \"bad\"\n",
    );
    let o = kbgen(dir.path(), &["build"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("article.html:1:"),
        "the broken template and its line are named: {err}"
    );
    assert!(!err.contains("error: error"), "{err}");
    assert!(!dir.path().join("public").exists());
}

/// A theme that walks a map (`article.extra`, the front matter's unknown
/// keys) gets its keys in one order, build after build: by name.
#[test]
fn a_theme_walks_a_map_in_key_order() {
    let dir = site(
        &[(
            "walk/templates/article.html",
            "{% extends \"base.html\" %}{% block main %}\
             <p id=\"extra\">{% for k, v in article.extra %}[{{ k }}={{ v }}]{% endfor %}</p>\
             {% endblock main %}",
        )],
        "theme = \"walk\"\n",
    );
    let keys = [
        "origin", "zone", "alpha", "team", "beta", "queue", "mode", "kappa",
    ];
    let front: String = keys.iter().map(|k| format!("{k}: v-{k}\n")).collect();
    std::fs::write(
        dir.path().join("kb/a.md"),
        format!("---\n{front}---\n# Article A\n\nBody.\n"),
    )
    .unwrap();
    let out = dir.path().join("public");
    let o = kbgen(dir.path(), &["build", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("a/index.html")).unwrap();
    let mut sorted = keys.to_vec();
    sorted.sort();
    let want: String = sorted.iter().map(|k| format!("[{k}=v-{k}]")).collect();
    assert!(
        html.contains(&format!("<p id=\"extra\">{want}</p>")),
        "{}",
        html.lines()
            .find(|l| l.contains("id=\"extra\""))
            .unwrap_or("no extra")
    );
}
