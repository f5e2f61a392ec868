//! `kbgen search`: the tantivy index beside the site, built first when it
//! is missing, queried with the same analyser and ranking as the browser.

use crate::cli::{text_or_stdin, SearchArgs};
use kbgen::config::Settings;
use kbgen::pipeline;
use kbgen::search::engine::{self, Response};
use kbgen::signature::events::Aliases;

pub(crate) fn run(args: &SearchArgs) -> anyhow::Result<i32> {
    let settings = match Settings::resolve(&args.location.overrides()) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("{d}");
            return Ok(1);
        }
    };
    let query = text_or_stdin(&args.query)?;
    let dir = engine::index_dir(&settings.output);
    if !dir.join("meta.json").exists() {
        eprintln!(
            "no search index at {}: building {} first",
            dir.display(),
            settings.output.display()
        );
        let report = pipeline::build(&settings)?;
        if !report.written {
            for d in report.diagnostics.iter() {
                eprintln!("{d}");
            }
            eprintln!("the build failed, so there is nothing to search; fix the errors above");
            return Ok(1);
        }
    }
    let aliases = Aliases::new(&settings.source_aliases);
    let response = engine::search(&dir, &query, &aliases, args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string(&response)?);
    } else {
        print_text(&response);
    }
    Ok(0)
}

fn print_text(r: &Response) {
    if r.results.is_empty() {
        eprintln!("no match");
    }
    for (i, hit) in r.results.iter().enumerate() {
        println!("{}. {}  [{:.1}]", i + 1, hit.title, hit.score);
        println!("   {} → {}", hit.source, hit.url);
        for m in hit.matched.iter().filter(|m| m.kind != "text") {
            println!("   {}: {}", m.kind, m.detail);
        }
        if let Some(m) = hit.matched.iter().find(|m| m.kind == "text") {
            println!("   {}", m.detail);
        }
    }
    if !r.ignored.is_empty() {
        println!("ignored as noise: {}", r.ignored.join(" "));
    }
}
