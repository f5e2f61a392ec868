//! `kbgen build` and `kbgen check`: the same checks, with or without
//! writing, then every diagnostic and a summary — as text on stderr or as
//! one JSON object on stdout.

use super::progress::Progress;
use crate::cli::{Format, SiteArgs, Verbosity};
use kbgen::config::Settings;
use kbgen::diag::render::{stderr_wants_color, Renderer};
use kbgen::diag::Severity;
use kbgen::pipeline::{self, Report, Timings};
use kbgen::plural::{count, plural};
use std::time::Instant;

pub(crate) fn run(args: &SiteArgs, v: Verbosity, write: bool) -> anyhow::Result<i32> {
    let started = Instant::now();
    let settings = match Settings::resolve(&args.overrides()) {
        Ok(s) => s,
        Err(d) => {
            print_report(args, v, None, &[d], started, write, None)?;
            return Ok(1);
        }
    };
    let stages = if write { 7 } else { 6 };
    let progress = Progress::start(args.format == Format::Text && !v.quiet, stages);
    let report = pipeline::run_observed(&settings, write, &|stage| progress.stage(stage));
    progress.finish();
    let report = report?;
    let diags: Vec<_> = report.diagnostics.iter().cloned().collect();
    print_report(
        args,
        v,
        Some(&report),
        &diags,
        started,
        write,
        Some(&settings),
    )?;
    if report.written && settings.site.base_url.is_none() && args.format == Format::Text && !v.quiet
    {
        // Not a counted warning: a site kept on a file share needs no sitemap.
        eprintln!("note: no sitemap.xml written: its URLs must be absolute; set base_url in kb.toml (or --base-url URL) to get one");
    }
    if v.verbose {
        print_timings(&report.timings);
        print_unpublished(&settings, &report.unpublished);
    }
    Ok(if report.counts.errors > 0 { 1 } else { 0 })
}

/// `-v`: one line per stage, in milliseconds, on stderr (stdout may hold JSON).
pub(super) fn print_timings(timings: &Timings) {
    let total = timings.wall();
    eprintln!("time per stage (render and index run side by side):");
    for (stage, t) in timings.iter() {
        eprintln!("  {:<8} {:>8.1} ms", stage.name(), t.as_secs_f64() * 1000.0);
    }
    eprintln!("  {:<8} {:>8.1} ms", "total", total.as_secs_f64() * 1000.0);
}

/// `-v`: the content files left out of the site because nothing links them.
pub(super) fn print_unpublished(settings: &Settings, unpublished: &[String]) {
    if unpublished.is_empty() {
        return;
    }
    eprintln!("not published (no article or fix links them, or refused above):");
    for rel in unpublished {
        eprintln!("  {}", settings.source.join(rel).display());
    }
}

fn print_report(
    args: &SiteArgs,
    v: Verbosity,
    report: Option<&Report>,
    diags: &[kbgen::diag::Diagnostic],
    started: Instant,
    write: bool,
    settings: Option<&Settings>,
) -> anyhow::Result<()> {
    let counts = report
        .map(|r| r.counts.clone())
        .unwrap_or_else(|| kbgen::pipeline::Counts {
            errors: diags.len(),
            ..Default::default()
        });
    if args.format == Format::Json {
        let v = serde_json::json!({
            "articles": counts.articles, "fixes": counts.fixes, "signatures": counts.signatures,
            "pages": counts.pages, "index_bytes": counts.index_bytes,
            "warnings": counts.warnings, "errors": counts.errors,
            "written": report.is_some_and(|r| r.written),
            "diagnostics": diags,
        });
        outln!("{v}");
        return Ok(());
    }
    let shown: Vec<_> = diags
        .iter()
        .filter(|d| !(v.quiet && d.severity == Severity::Warning))
        .cloned()
        .collect();
    print_diagnostics(&shown);
    if v.quiet && counts.errors == 0 {
        return Ok(());
    }
    let secs = started.elapsed().as_secs_f64();
    let what = match (write, report.is_some_and(|r| r.written), settings) {
        (true, true, Some(s)) => format!("built {}", s.output.display()),
        (true, _, _) => "build failed, output left unchanged".to_string(),
        (false, _, _) => "checked".to_string(),
    };
    eprintln!(
        "{what}: {}, {}, {}, {}, search index {} KB, {}, {} in {secs:.2}s",
        plural(counts.articles, "article"),
        count(counts.fixes, "fix", "fixes"),
        plural(counts.signatures, "signature"),
        plural(counts.pages, "page"),
        counts.index_bytes.div_ceil(1024),
        plural(counts.warnings, "warning"),
        plural(counts.errors, "error")
    );
    Ok(())
}

/// Prints diagnostics on stderr for a person to read, rustc-style, each
/// followed by a blank line; coloured only on a terminal without NO_COLOR.
pub(super) fn print_diagnostics(diags: &[kbgen::diag::Diagnostic]) {
    let mut renderer = Renderer::new(stderr_wants_color());
    for d in diags {
        eprintln!("{}", renderer.render(d));
    }
}
