//! `kbgen serve`: flags into [`kbgen::serve::Options`], and the terminal
//! side of its events: the URL on stdout (tests and scripts read it), the
//! build diagnostics and one line per rebuild on stderr.

use crate::cli::{ServeArgs, Verbosity};
use kbgen::diag::Severity;
use kbgen::plural::{count, plural};
use kbgen::serve::{self, Build, Event, Options, Outcome};
use std::net::SocketAddr;

pub(crate) fn run(args: &ServeArgs, v: Verbosity) -> anyhow::Result<i32> {
    let options = Options {
        overrides: kbgen::config::Overrides {
            drafts: args.drafts,
            // The site is served at `/`: its 404 page, sent for a missing
            // page at any depth, links from there.
            base_url: Some(format!("http://{}/", SocketAddr::new(args.bind, args.port))),
            ..args.location.overrides()
        },
        addr: SocketAddr::new(args.bind, args.port),
    };
    let mut first = true;
    serve::run(&options, |event| {
        match event {
            Event::Listening { url } => {
                outln!("serving {url}");
                if !v.quiet {
                    eprintln!("watching for changes; press Ctrl-C to stop");
                }
                if args.open {
                    open_browser(url);
                }
            }
            Event::Built(build) => {
                print_build(build, first, v);
                first = false;
            }
            Event::Warning(text) => eprintln!("warning: {text}"),
        }
        Ok(())
    })?;
    Ok(0)
}

/// The diagnostics and one line per build; with `-q` only errors, with
/// `-v` also the time of each stage.
fn print_build(build: &Build, first: bool, v: Verbosity) {
    let secs = build.elapsed.as_secs_f64();
    let cwd = std::env::current_dir().unwrap_or_default();
    let show = |p: &std::path::Path| p.strip_prefix(&cwd).unwrap_or(p).display().to_string();
    let why = match build.changed.as_slice() {
        [] => String::new(),
        [one] => format!(" after a change to {}", show(one)),
        [one, rest @ ..] => format!(" after changes to {} and {} more", show(one), rest.len()),
    };
    let verb = if first { "built" } else { "rebuilt" };
    let why = match &build.note {
        Some(note) => format!("{why} ({note})"),
        None => why,
    };
    match &build.outcome {
        Outcome::Written(report) => {
            if v.quiet {
                return;
            }
            let diags: Vec<_> = report.diagnostics.iter().cloned().collect();
            super::build::print_diagnostics(&diags);
            let c = &report.counts;
            eprintln!(
                "{verb} in {secs:.2}s{why}: {}, {}, {}, {}, {}",
                plural(c.articles, "article"),
                count(c.fixes, "fix", "fixes"),
                plural(c.signatures, "signature"),
                plural(c.pages, "page"),
                plural(c.warnings, "warning")
            );
            if v.verbose {
                super::build::print_timings(&report.timings);
            }
        }
        Outcome::Failed(report) => {
            let diags: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| !(v.quiet && d.severity == Severity::Warning))
                .cloned()
                .collect();
            super::build::print_diagnostics(&diags);
            let errors = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            failed(first, &plural(errors, "error"), secs, &why);
        }
        Outcome::Config(d) => {
            super::build::print_diagnostics(std::slice::from_ref(d));
            failed(first, "invalid kb.toml", secs, &why);
        }
        Outcome::Crashed(e) => {
            eprintln!("error: {e:#}");
            failed(first, "could not build", secs, &why);
        }
    }
}

fn failed(first: bool, what: &str, secs: f64, why: &str) {
    if first {
        eprintln!(
            "build failed in {secs:.2}s: {what}; serving an error page until a build succeeds"
        );
    } else {
        eprintln!("rebuild failed in {secs:.2}s{why}: {what}; still serving the last good site");
    }
}

/// Best effort: the URL is printed anyway.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}
