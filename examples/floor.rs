//! "The floor" of the benchmark: the least any generator must do with a
//! folder of Markdown. It reads every `*.md` under `--src`, skips the front
//! matter, renders the rest with pulldown-cmark (tables, footnotes,
//! strikethrough, as kbgen enables) and writes `--out/<path>/index.html`.
//! No templates, no search index, no links resolved.
//!
//! Files are rendered and written in parallel with rayon (both cores), as
//! kbgen does, so the ratio compares like with like.
//!
//! ```sh
//! cargo run --release --example floor -- --src /tmp/kb10k/kb --out /tmp/floor-out
//! ```

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut src, mut out) = (None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--src" => src = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            _ => {
                eprintln!("usage: floor --src DIR --out DIR");
                std::process::exit(2);
            }
        }
    }
    let (Some(src), Some(out)) = (src, out) else {
        eprintln!("usage: floor --src DIR --out DIR");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let result: std::io::Result<()> = files.par_iter().try_for_each(|f| {
        let text = std::fs::read_to_string(f)?;
        let body = strip_front_matter(&text);
        let mut html_out = String::with_capacity(body.len() * 3 / 2);
        let opts =
            Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
        html::push_html(&mut html_out, Parser::new_ext(body, opts));
        let rel = f.strip_prefix(&src).unwrap_or(f).with_extension("");
        let dir = out.join(rel);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("index.html"), html_out)
    });
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "floor: rendered {} files into {}",
        files.len(),
        display(&out)
    );
}

fn strip_front_matter(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
