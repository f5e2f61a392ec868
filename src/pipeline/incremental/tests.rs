//! An update gives the site a fresh build of the same content gives: the
//! same files byte for byte (the browser index aside, whose frozen norms
//! are checked by what it finds) and the same `kbgen search` answers.

use super::{Live, Update};
use crate::config::{Overrides, Settings};
use crate::index::browser::{self, fnv1a32};
use crate::index::terminal;
use crate::output::OutputFile;
use crate::signature::events::Aliases;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ARTICLE: &str = "iis/http-500-19-0x80070005-access-denied.md";
const OTHER: &str = "linux/eacces-permission-denied.md";
const FIX: &str = "fixes/grant-folder-permissions.md";

struct Kb {
    dir: tempfile::TempDir,
}

impl Kb {
    fn new() -> Kb {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("kb"), &dir.path().join("kb"));
        std::fs::copy(repo.join("kb.toml"), dir.path().join("kb.toml")).unwrap();
        Kb { dir }
    }

    fn settings(&self, output: &str) -> Settings {
        Settings::resolve(&Overrides {
            config: Some(self.dir.path().join("kb.toml")),
            source: Some(self.dir.path().join("kb")),
            output: Some(self.dir.path().join(output)),
            ..Overrides::default()
        })
        .unwrap()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join("kb").join(rel)
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) -> PathBuf {
        let path = self.path(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let new = f(text.clone());
        assert_ne!(text, new, "the edit of {rel} changes it");
        std::fs::write(&path, new).unwrap();
        path
    }

    /// A fresh full build of the content as it is now, compared with the
    /// updated site in `site/`.
    fn assert_same_as_fresh_build(&self, what: &str) {
        let fresh = self.settings("fresh");
        let _ = std::fs::remove_dir_all(&fresh.output);
        let report = crate::pipeline::build(&fresh).unwrap();
        assert!(report.written, "{what}: the fresh build failed");
        let live = self.dir.path().join("site");
        let (a, b) = (files(&live), files(&fresh.output));
        let pages = |m: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
            m.keys()
                .filter(|k| !k.starts_with(browser::DIR))
                .cloned()
                .collect()
        };
        assert_eq!(pages(&a), pages(&b), "{what}: the same files");
        for (path, bytes) in &b {
            if !path.starts_with(browser::DIR) {
                assert!(
                    a[path] == *bytes,
                    "{what}: {path} differs from a fresh build"
                );
            }
        }
        // Blocks files are grouped as the last full build grouped them, so
        // each document's blocks are compared, not the files.
        assert_eq!(
            blocks_by_doc(&live),
            blocks_by_doc(&fresh.output),
            "{what}: the documents' blocks"
        );
        let aliases = Aliases::new(&fresh.source_aliases);
        for q in [
            "0x80070005",
            "0x80070002 access",
            "zanzibarquux",
            "quokkaflux permissions",
            "W3SVC 1011",
            "Cannot read configuration file due to insufficient permissions",
            "permission denied eacces",
            "\"access denied\"",
            "grant folder permisions",
        ] {
            let search = |out: &Path| {
                let r = terminal::search(&terminal::index_dir(out), q, &aliases, 10).unwrap();
                serde_json::to_value(r).unwrap()
            };
            assert_eq!(
                search(&live),
                search(&fresh.output),
                "{what}: `kbgen search {q}`"
            );
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Every file under `root`, by `/`-separated relative path.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(root).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// The data of an index script (`kbgenIndex("name",DATA);`).
fn script_data(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let json = text
        .split_once(',')
        .unwrap()
        .1
        .trim_end()
        .trim_end_matches(");");
    serde_json::from_str(json).unwrap()
}

/// The documents the browser index lists for `term`.
fn browser_docs(site: &Path, term: &str) -> Vec<u64> {
    let idx = site.join(browser::DIR);
    let manifest = script_data(&idx.join("manifest.js"));
    let shards = manifest["termShards"].as_u64().unwrap();
    let k = u64::from(fnv1a32(term)) % shards;
    let shard = script_data(&idx.join(format!("t{k}.js")));
    let Some(flat) = shard.get(term).and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    let mut doc = 0;
    flat.chunks(2)
        .map(|pair| {
            doc += pair[0].as_u64().unwrap();
            doc
        })
        .collect()
}

/// Each document's blocks as the page reads them: its record's group
/// (`b`, or itself), then its place in that group's blocks file.
fn blocks_by_doc(site: &Path) -> Vec<serde_json::Value> {
    let idx = site.join(browser::DIR);
    let mut out = Vec::new();
    for k in 0.. {
        let path = idx.join(format!("d{k}.js"));
        if !path.exists() {
            return out;
        }
        for record in script_data(&path).as_array().unwrap() {
            let n = out.len() as u64;
            let first = record.get("b").map_or(n, |b| b.as_u64().unwrap());
            let group = script_data(&idx.join(format!("f{first}.js")));
            out.push(group[(n - first) as usize].clone());
        }
    }
    unreachable!()
}

/// The number of the article from `rel` in the browser index.
fn doc_number(site: &Path, rel: &str) -> u64 {
    let idx = site.join(browser::DIR);
    for k in 0.. {
        let shard = script_data(&idx.join(format!("d{k}.js")));
        let docs = shard.as_array().unwrap();
        if let Some(i) = docs.iter().position(|d| d["s"] == rel) {
            return (k * browser::DOC_SHARD + i) as u64;
        }
    }
    unreachable!("{rel} is in no doc shard")
}

fn update(live: &mut Live, settings: &Settings, changed: &[PathBuf]) -> Update {
    live.update(settings, changed).unwrap()
}

fn written(u: Update, what: &str) {
    match u {
        Update::Written { report, pages, .. } => {
            assert!(report.written && pages > 0, "{what}: {pages} pages");
        }
        Update::Failed(r) => panic!("{what}: failed: {:?}", r.diagnostics),
        Update::Unchanged(_) => panic!("{what}: nothing changed"),
        Update::NeedsFull(why) => panic!("{what}: needs a full build: {why}"),
    }
}

#[test]
fn updates_give_the_site_of_a_fresh_build() {
    let kb = Kb::new();
    let settings = kb.settings("site");
    let (report, live) = Live::build(&settings).unwrap();
    assert!(report.written, "{:?}", report.diagnostics);
    let mut live = live.unwrap();
    let site = settings.output.clone();
    let number = doc_number(&site, ARTICLE);

    let p = kb.edit(ARTICLE, |t| t + "\nA zanzibarquux appears in the body.\n");
    written(update(&mut live, &settings, &[p]), "body text");
    kb.assert_same_as_fresh_build("body text");
    assert_eq!(browser_docs(&site, "w:zanzibarquux"), [number]);

    let p = kb.edit(ARTICLE, |t| t.replace("zanzibarquux", "quokkaflux"));
    written(update(&mut live, &settings, &[p]), "a word replaced");
    kb.assert_same_as_fresh_build("a word replaced");
    assert_eq!(browser_docs(&site, "w:quokkaflux"), [number]);
    assert!(browser_docs(&site, "w:zanzibarquux").is_empty());

    let p = kb.edit(OTHER, |t| {
        t.replacen("title: \"", "title: \"Xylophonic: ", 1)
    });
    written(update(&mut live, &settings, &[p]), "title");
    kb.assert_same_as_fresh_build("title");
    // The title word as the analyser stems it (Porter2: xylophonic → xylophon).
    assert!(browser_docs(&site, "w:xylophon").contains(&doc_number(&site, OTHER)));

    let p = kb.edit(ARTICLE, |t| {
        t.replacen("\"0x80070005\"]", "\"0x80070002\"]", 1)
    });
    written(update(&mut live, &settings, &[p]), "a code in front matter");
    kb.assert_same_as_fresh_build("a code in front matter");
    assert!(browser_docs(&site, "c:0x80070002").contains(&number));

    let p = kb.edit(FIX, |t| t.replacen("title: ", "title: Carefully ", 1));
    written(update(&mut live, &settings, &[p]), "a fix's title");
    kb.assert_same_as_fresh_build("a fix's title");

    // A broken edit changes nothing; the next good one is applied whole.
    let good = std::fs::read_to_string(kb.path(ARTICLE)).unwrap();
    let p = kb.edit(ARTICLE, |t| {
        t.replacen("fixes: [", "fixes: [no-such-fix, ", 1)
    });
    assert!(matches!(
        update(&mut live, &settings, std::slice::from_ref(&p)),
        Update::Failed(_)
    ));
    kb.edit(OTHER, |t| t + "\nMore text.\n");
    let other = kb.path(OTHER);
    assert!(
        matches!(
            update(&mut live, &settings, std::slice::from_ref(&other)),
            Update::Failed(_)
        ),
        "the broken file is read again"
    );
    std::fs::write(&p, good.replace("Ada Admin", "Ada B. Admin")).unwrap();
    written(update(&mut live, &settings, &[p]), "the fixed edit");
    kb.assert_same_as_fresh_build("the fixed edit");

    // Files added or deleted need a full build.
    let added = kb.path("iis/new-article.md");
    std::fs::write(&added, "# A new article\n\nSome text.\n").unwrap();
    let u = update(&mut live, &settings, std::slice::from_ref(&added));
    assert!(matches!(u, Update::NeedsFull(_)));
    let (_, again) = Live::build(&settings).unwrap();
    let mut live = again.unwrap();
    kb.assert_same_as_fresh_build("added");
    std::fs::remove_file(&added).unwrap();
    assert!(matches!(
        update(&mut live, &settings, &[added]),
        Update::NeedsFull(_)
    ));
    let (_, again) = Live::build(&settings).unwrap();
    assert!(again.is_some());
    kb.assert_same_as_fresh_build("deleted");
}

#[test]
fn the_live_index_regenerates_the_index_a_build_wrote() {
    let kb = Kb::new();
    let settings = kb.settings("site");
    let (_, live) = Live::build(&settings).unwrap();
    let live = live.unwrap();
    // What the build put on disk: every file of the browser index folder
    // but the documents' blocks files, which the live index does not keep
    // (an edit rewrites the edited document's).
    let mut written: Vec<OutputFile> = std::fs::read_dir(settings.output.join(browser::DIR))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('f')
        })
        .map(|e| {
            let e = e.unwrap();
            OutputFile {
                path: format!("{}/{}", browser::DIR, e.file_name().to_string_lossy()),
                bytes: std::fs::read(e.path()).unwrap(),
            }
        })
        .collect();
    let mut regenerated = live.search.index.files(&live.search.records, &live.aliases);
    written.sort_by(|a, b| a.path.cmp(&b.path));
    regenerated.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(written.len(), regenerated.len());
    for (a, b) in written.iter().zip(&regenerated) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} differs", a.path);
    }
}
