//! `kbgen search`: the tantivy index beside the site, built first when it
//! is missing, queried with the same analyser and ranking as the browser.

use crate::cli::{text_or_stdin, Location, SearchArgs};
use kbgen::config::Settings;
use kbgen::index::terminal::{self, Engine, Response};
use kbgen::pipeline;
use kbgen::signature::events::Aliases;

pub(crate) fn run(args: &SearchArgs) -> anyhow::Result<i32> {
    let Some((settings, engine)) = open(&args.location)? else {
        return Ok(1);
    };
    let query = text_or_stdin(&args.query)?;
    let aliases = Aliases::new(&settings.source_aliases);
    let response = engine.search(&query, &aliases, args.limit)?;
    if args.json {
        outln!("{}", serde_json::to_string(&response)?);
    } else {
        print_text(&response)?;
    }
    Ok(0)
}

/// The settings and the search index of the site at `location`, building
/// the site first when it has no index yet; `None` after printing why not.
pub(crate) fn open(location: &Location) -> anyhow::Result<Option<(Settings, Engine)>> {
    let settings = match Settings::resolve(&location.overrides()) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("{d}");
            return Ok(None);
        }
    };
    let dir = terminal::index_dir(&settings.output);
    if !terminal::is_current(&dir) {
        eprintln!(
            "no search index of this kbgen at {}: building {} first",
            dir.display(),
            settings.output.display()
        );
        let report = pipeline::build(&settings)?;
        if !report.written {
            for d in report.diagnostics.iter() {
                eprintln!("{d}");
            }
            eprintln!("the build failed, so there is nothing to search; fix the errors above");
            return Ok(None);
        }
    }
    let engine = Engine::open(&dir)?;
    Ok(Some((settings, engine)))
}

fn print_text(r: &Response) -> anyhow::Result<()> {
    if r.results.is_empty() {
        eprintln!("no match");
    }
    for (i, hit) in r.results.iter().enumerate() {
        outln!("{}. {}  [{:.1}]", i + 1, hit.title, hit.score);
        outln!("   {} → {}", hit.source, hit.url);
        for m in hit.matched.iter().filter(|m| m.kind != "text") {
            outln!("   {}: {}", m.kind, m.detail);
        }
        if let Some(m) = hit.matched.iter().find(|m| m.kind == "text") {
            outln!("   {}", m.detail);
        }
    }
    if !r.ignored.is_empty() {
        outln!("ignored as noise: {}", r.ignored.join(" "));
    }
    Ok(())
}
