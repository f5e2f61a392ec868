//! `kbgen scan`: which known problems are in these logs. Reads each file
//! (or stdin) with `kbgen::scan`, prints the articles whose signatures
//! occur (strongest evidence first), then what matched nothing, each with a
//! `kbgen new article` command. Exit status: 0 something matched, 1
//! nothing did, 2 an input could not be read, 130 Ctrl-C stopped it (the
//! report then covers the records read before: `kbgen::scan::stop`).

use crate::cli::ScanArgs;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kbgen::config::Settings;
use kbgen::pipeline;
use kbgen::scan::report::{ArticleReport, Skipped, Tally};
use kbgen::scan::{scan_input, stop, Filter, Report, Signatures};
use kbgen::signature::events::Aliases;
use std::io::IsTerminal as _;

pub(crate) fn run(args: &ScanArgs, quiet: bool) -> anyhow::Result<i32> {
    let settings = match Settings::resolve(&args.location.overrides()) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("{d}");
            return Ok(2);
        }
    };
    let Some(sigs) = signatures(&settings)? else {
        return Ok(2);
    };
    let aliases = Aliases::new(&settings.source_aliases);
    let filter = Filter {
        since: args.since,
        until: args.until,
        min_level: args.min_level,
    };
    if let Some(why) = filter.empty_window() {
        eprintln!("error: no record can be kept: {why}; swap --since and --until");
        return Ok(2);
    }
    let mut tally = Tally::new(&sigs, &aliases, filter);
    let bar = progress(quiet);
    let mut unreadable = false;
    stop::on_ctrl_c();
    kbgen::scan::on_scan_threads(|| {
        for file in &args.files {
            if stop::requested() {
                break;
            }
            let mut seen = 0u64;
            let mut on_batch = |n: u64| {
                seen += n;
                bar.set_message(format!("{file}: {seen} records"));
            };
            if let Err(e) = scan_input(file, args.format, &mut tally, &mut on_batch) {
                // Its input was cut short on purpose: the records before count.
                if stop::requested() {
                    break;
                }
                bar.suspend(|| eprintln!("error: {e:#}"));
                tally.skip(Skipped {
                    file: file.clone(),
                    at: String::new(),
                    reason: format!("{e:#}"),
                });
                unreadable = true;
            }
        }
    });
    bar.finish_and_clear();
    let mut report = tally.finish(args.unmatched);
    report.interrupted = stop::requested();
    if args.json {
        outln!("{}", serde_json::to_string(&report)?);
    } else {
        print_text(&report, args.limit)?;
    }
    Ok(match (unreadable, report.articles.is_empty()) {
        _ if report.interrupted => 130,
        (true, _) => 2,
        (false, false) => 0,
        (false, true) => 1,
    })
}

/// The knowledge base's signatures from the built site, building it first
/// when it has no browser index; `None` after printing why not.
fn signatures(settings: &Settings) -> anyhow::Result<Option<Signatures>> {
    if !kbgen::scan::kb::manifest(&settings.output).exists() {
        eprintln!(
            "no site at {}: building it first",
            settings.output.display()
        );
        let report = pipeline::build(settings)?;
        if !report.written {
            for d in report.diagnostics.iter() {
                eprintln!("{d}");
            }
            eprintln!(
                "the build failed, so there is nothing to scan against; fix the errors above"
            );
            return Ok(None);
        }
    }
    Ok(Some(Signatures::load(&settings.output)?))
}

/// A spinner with the records read so far, on a terminal only.
fn progress(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner:.cyan} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// A string as one shell word (single-quoted when it needs to be).
fn shell_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The report's articles as runs of articles with the same evidence
/// (what matched, in how many records, when): `(first, length)`. A common
/// code cited by a hundred articles gives a run of a hundred, which the
/// text output names on one line instead of a hundred entries, so that
/// `--limit` entries show that many different findings.
fn same_evidence_runs(articles: &[ArticleReport]) -> Vec<(usize, usize)> {
    let same = |a: &ArticleReport, b: &ArticleReport| {
        a.matched == b.matched && (a.count, &a.first, &a.last) == (b.count, &b.first, &b.last)
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        match runs.last_mut() {
            Some((first, n)) if same(&articles[*first], a) => *n += 1,
            _ => runs.push((i, 1)),
        }
    }
    runs
}

/// The line naming the articles of a run after its first.
fn same_as_above(rest: &[ArticleReport]) -> String {
    const NAMED: usize = 3;
    let titles: Vec<&str> = rest.iter().take(NAMED).map(|a| a.title.as_str()).collect();
    let more = if rest.len() > NAMED { "; …" } else { "" };
    format!(
        "and {} with the same matches: {}{more}",
        kbgen::plural::plural(rest.len(), "more article"),
        titles.join("; ")
    )
}

fn print_text(r: &Report, limit: usize) -> anyhow::Result<()> {
    if r.interrupted {
        outln!("Stopped by Ctrl-C: this report covers the records read before it.");
    }
    let matched: u64 = r.records - r.unmatched_records;
    outln!(
        "{}, {matched} with a known problem, {}",
        kbgen::plural::plural(r.records, "record"),
        kbgen::plural::plural(r.articles.len(), "article")
    );
    if r.filtered > 0 {
        outln!(
            "({} more left out by --since/--until/--min-level)",
            r.filtered
        );
    }
    let runs = same_evidence_runs(&r.articles);
    let mut listed = 0;
    for &(i, n) in runs.iter().take(limit) {
        let a = &r.articles[i];
        listed += n;
        outln!();
        outln!("{}. {}", i + 1, a.title);
        outln!("   {} → {}", a.source, a.url);
        let when = match (&a.first, &a.last) {
            (Some(f), Some(l)) if f == l => format!(", at {f}"),
            (Some(f), Some(l)) => format!(", {f} … {l}"),
            _ => String::new(),
        };
        outln!("   {}{when}", kbgen::plural::plural(a.count, "record"));
        for m in a.matched.iter().take(5) {
            outln!("   {}: {}  ({})", m.kind, m.key, m.detail);
        }
        if a.matched.len() > 5 {
            outln!("   … and {} more signatures", a.matched.len() - 5);
        }
        outln!("   e.g. {}", a.example);
        if n > 1 {
            outln!("   {}", same_as_above(&r.articles[i + 1..i + n]));
        }
    }
    if r.articles.len() > listed {
        outln!();
        outln!(
            "… and {} more articles (--limit, or --json for all)",
            r.articles.len() - listed
        );
    }
    if !r.unmatched.is_empty() {
        outln!();
        let lower = if r.unmatched_pruned { "at least " } else { "" };
        outln!(
            "{} matched no article; the most frequent ({lower}count, key):",
            kbgen::plural::plural(r.unmatched_records, "record")
        );
        for u in &r.unmatched {
            outln!("  {:>6}  {}", u.count, u.key);
            outln!("          e.g. {}", u.example);
            outln!("          kbgen new article {}", shell_word(&u.title));
        }
    }
    for s in &r.skipped {
        let at = if s.at.is_empty() {
            String::new()
        } else {
            format!(" {}", s.at)
        };
        eprintln!("warning: {}{at}: {}", s.file, s.reason);
    }
    Ok(())
}
