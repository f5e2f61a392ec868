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
    let filtered = args.product.is_some() || args.version.is_some();
    // A filter looks further down the ranking, then keeps `limit` results.
    let wanted = if filtered {
        args.limit.max(1) * 50
    } else {
        args.limit
    };
    let mut response = engine.search(&query, &aliases, wanted)?;
    if filtered {
        response
            .results
            .retain(|h| applies(h, args.product.as_deref(), args.version.as_deref()));
        response.results.truncate(args.limit);
    }
    if args.json {
        outln!("{}", serde_json::to_string(&response)?);
    } else {
        print_text(&response)?;
    }
    Ok(0)
}

/// True when `hit` applies to `product` (by name, any case) and `version`
/// (a version of that product, or of any product without one).
fn applies(hit: &terminal::Hit, product: Option<&str>, version: Option<&str>) -> bool {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let product_ok = product.is_none_or(|p| hit.products.iter().any(|n| same(n, p)));
    let version_ok = version.is_none_or(|v| {
        let v = format!(" {}", v.trim().to_lowercase());
        hit.versions.iter().any(|pv| {
            let pv = pv.to_lowercase();
            let of_product =
                product.is_none_or(|p| pv.starts_with(&format!("{} ", p.trim().to_lowercase())));
            of_product && pv.ends_with(&v)
        })
    });
    product_ok && version_ok
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
    // Titles and paths come from the content: control characters are shown, not run.
    let show = |s: &str| kbgen::printable::terminal(s).into_owned();
    for (i, hit) in r.results.iter().enumerate() {
        outln!("{}. {}  [{:.1}]", i + 1, show(&hit.title), hit.score);
        outln!("   {} → {}", show(&hit.source), show(&hit.url));
        for m in hit.matched.iter().filter(|m| m.kind != "text") {
            outln!("   {}: {}", m.kind, show(&m.detail));
        }
        if let Some(m) = hit.matched.iter().find(|m| m.kind == "text") {
            outln!("   {}", show(&m.detail));
        }
    }
    if !r.ignored.is_empty() {
        outln!("ignored as noise: {}", show(&r.ignored.join(" ")));
    }
    if let Some(cut) = &r.cut {
        outln!("note: {cut}");
    }
    Ok(())
}
