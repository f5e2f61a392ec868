//! Test harness: run the real `kbgen` binary on a content folder and read
//! what it wrote, as a user would.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where kb/ and kb.toml are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpus, when this checkout has `../shared` beside it;
/// otherwise prints why the calling test is skipped.
pub fn corpus() -> Option<PathBuf> {
    let p = repo().join("../shared/corpus/ms-support");
    if !p.is_dir() {
        eprintln!("skipped: ../shared/corpus/ms-support is not present in this checkout");
    }
    p.is_dir().then_some(p)
}

/// Runs `kbgen` with `args` in `cwd`.
pub fn kbgen(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run kbgen")
}

/// Result of a build.
pub struct Built {
    pub out: PathBuf,
    pub output: Output,
    _tmp: tempfile::TempDir,
}

impl Built {
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}\n{}", self.stderr()))
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", self.stdout()))
    }
}

/// Builds the content folder `source` (with kb.toml from `cwd`) into a fresh temp dir.
pub fn build(cwd: &Path, source: &Path, extra: &[&str]) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut args = vec![
        "build",
        "--source",
        source.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = kbgen(cwd, &args);
    Built {
        out,
        output,
        _tmp: tmp,
    }
}

/// Builds the project's own kb/.
pub fn build_kb() -> Built {
    let b = build(&repo(), &repo().join("kb"), &[]);
    assert!(
        b.output.status.success(),
        "kb/ build failed:\n{}",
        b.stderr()
    );
    b
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

/// Every `href`/`src` value in an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Article pages of a built site: every `index.html` outside kbgen's own folders.
pub fn article_pages(out: &Path) -> Vec<String> {
    let generated = [
        "events/",
        "codes/",
        "fixes/",
        "products/",
        "tags/",
        "search/",
        "assets/",
    ];
    files(out)
        .into_iter()
        .filter(|f| f.ends_with("/index.html") && !generated.iter().any(|g| f.starts_with(g)))
        .collect()
}

/// The Chromium the browser tests drive (`CHROMIUM`, else Debian's).
pub fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// True when Chromium and the npm test packages are here; says why not
/// otherwise. Under CI, missing is a failure, never a skip.
pub fn browser_ready() -> bool {
    let modules = repo().join("tests/browser/node_modules/playwright-core");
    let missing = if !Path::new(&chromium()).exists() {
        format!("{} not found (apt-get install chromium)", chromium())
    } else if !modules.is_dir() {
        "tests/browser/node_modules missing (run `npm ci --prefix tests/browser`)".into()
    } else {
        return true;
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "browser tests cannot run under CI: {missing}"
    );
    eprintln!("skipped: {missing}");
    false
}

/// `kbgen search --json` on a built site, with `args` after the options.
pub fn search_json(site: &Built, source: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec![
        "search",
        "--json",
        "-s",
        source.to_str().unwrap(),
        "-o",
        site.out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = kbgen(&repo(), &all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("search --json prints JSON")
}

/// `text` gzip-compressed, as logrotate writes a rotated log.
pub fn gzipped(text: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text).unwrap();
    e.finish().unwrap()
}

/// A zip file of `files` (path in the zip, bytes), deflated.
pub fn zipped(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in files {
        z.start_file(path.as_str(), deflated).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A tar file of `files` (path in the tar, bytes).
pub fn tarred(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut t = tar::Builder::new(Vec::new());
    for (path, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        t.append_data(&mut h, path, bytes.as_slice()).unwrap();
    }
    t.into_inner().unwrap()
}
