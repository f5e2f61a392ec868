//! `kbgen stale`: the review queue, oldest first, with owners — as a table
//! on stdout or one JSON object.

use crate::cli::StaleArgs;
use kbgen::config::Settings;
use kbgen::pipeline::review;

pub(crate) fn run(args: &StaleArgs) -> anyhow::Result<i32> {
    let mut settings = match Settings::resolve(&args.location.overrides()) {
        Ok(s) => s,
        Err(d) => {
            super::build::print_diagnostics(&[d]);
            return Ok(2);
        }
    };
    // A broken link does not change which articles are due: the build and
    // `kbgen check` report links, the queue is printed whatever they say.
    settings.broken_links = kbgen::config::LinkPolicy::Warn;
    let (entries, diags) = review::queue(&settings, args.all);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == kbgen::diag::Severity::Error)
        .cloned()
        .collect();
    super::build::print_diagnostics(&errors);
    let today = review::today(&settings);
    if args.json {
        let v = serde_json::json!({ "today": today, "articles": entries });
        outln!("{v}");
    } else {
        for e in &entries {
            let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "-".into());
            let owners = if e.owners.is_empty() {
                "(no owner)".to_string()
            } else {
                e.owners.join(", ")
            };
            outln!(
                "{}  {:<8} {:<11} due {}  {}  {}  {}",
                date(&e.verified),
                e.state,
                e.basis,
                date(&e.due.clone().or(e.expires.clone())),
                owners,
                e.path,
                e.title
            );
        }
        eprintln!(
            "{} articles {} on {today}",
            entries.len(),
            if args.all { "in all" } else { "to review" }
        );
    }
    Ok(if errors.is_empty() { 0 } else { 1 })
}
