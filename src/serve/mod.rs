//! `kbgen serve`: build, serve the output folder, watch, rebuild, reload.
//!
//! The first build is a full one, like `kbgen build`; it keeps its
//! results in memory ([`Live`]). A batch of changes to existing Markdown
//! files is then applied to them and to the served folder in place,
//! rewriting only the files whose bytes the edit changes (at 10,000
//! articles, about half a second instead of ten); anything else (a file
//! added or deleted, a page moved, an image, `kb.toml`, the theme) is a full
//! rebuild, which writes the site atomically. Either way the folder being
//! served only ever holds a good site: a failed build leaves it as it was;
//! its errors go to the terminal (through the caller's [`Event`] callback,
//! since the library prints nothing) and to open pages, which poll
//! `/__kbgen/version` and show them as an overlay.
//!
//! - [`http`]: request path → file, with the rules that keep requests inside the output folder
//! - `conn`: the sockets: accept, caps per client and in all, deadlines, request heads
//! - `server`: the listener, the endpoints and the files
//! - `watch`: file events → settled batches of changed paths

mod body;
mod conn;
pub(crate) mod http;
mod scan;
mod server;
#[cfg(test)]
mod tests;
mod watch;

use crate::config::{KbConfig, Overrides, Settings};
use crate::diag::{Diagnostic, Severity};
use crate::index::terminal::{self, Engine};
use crate::pipeline::incremental::{Live, Update};
use crate::pipeline::Report;
use crate::signature::events::Aliases;
use anyhow::Result;
use server::{Shared, Status};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// What `kbgen serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folders and config, as for `kbgen build`.
    pub overrides: Overrides,
    /// Address and port to listen on; port 0 picks a free one.
    pub addr: SocketAddr,
}

/// What happened, for the caller to print.
#[derive(Debug)]
pub enum Event<'a> {
    /// The first build is done and requests are answered at `url`.
    Listening {
        /// `http://ADDR:PORT/`.
        url: &'a str,
    },
    /// A build finished, well or not.
    Built(&'a Build),
    /// Something went wrong outside the content (file watching, search index).
    Warning(&'a str),
}

/// One build and why it ran.
#[derive(Debug)]
pub struct Build {
    /// How it ended.
    pub outcome: Outcome,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// The changed paths that caused it; empty for the first build.
    pub changed: Vec<PathBuf>,
    /// How it was done, when worth saying: `incremental: …`, or why a
    /// change needed a full rebuild.
    pub note: Option<String>,
}

/// How a build ended.
#[derive(Debug)]
pub enum Outcome {
    /// The new site is in place.
    Written(Report),
    /// Content errors; the previous site is still served.
    Failed(Report),
    /// `kb.toml` is invalid; the previous site is still served.
    Config(Diagnostic),
    /// The build could not run (I/O and the like); the previous site is still served.
    Crashed(anyhow::Error),
}

impl Build {
    /// The text shown in the browser when the build failed.
    pub fn error_text(&self) -> Option<String> {
        match &self.outcome {
            Outcome::Written(_) => None,
            Outcome::Failed(report) => {
                let lines: Vec<String> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(ToString::to_string)
                    .collect();
                Some(lines.join("\n"))
            }
            Outcome::Config(d) => Some(d.to_string()),
            Outcome::Crashed(e) => Some(format!("error: {e:#}")),
        }
    }
}

/// The folders `serve` works on, fixed for the whole run.
struct Paths {
    source: PathBuf,
    output: PathBuf,
    config: PathBuf,
    themes: PathBuf,
}

impl Paths {
    /// From the settings when `kb.toml` is valid, else from the flags and
    /// the defaults, so a broken `kb.toml` can be fixed while serving.
    fn resolve(o: &Overrides) -> Paths {
        let project_dir = o
            .config
            .as_deref()
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let settings = Settings::resolve(o)
            .unwrap_or_else(|_| Settings::from_config(KbConfig::default(), project_dir.clone(), o));
        Paths {
            source: settings.source,
            output: std::path::absolute(&settings.output).unwrap_or(settings.output),
            config: o.config.clone().unwrap_or_else(|| PathBuf::from("kb.toml")),
            themes: settings.project_dir.join("themes"),
        }
    }
}

/// Builds, serves and rebuilds on change until the process is stopped.
/// `on` reports each event; an error it returns ends the run.
pub fn run(options: &Options, mut on: impl FnMut(Event<'_>) -> Result<()>) -> Result<()> {
    let paths = Paths::resolve(&options.overrides);
    let overrides = Overrides {
        source: Some(paths.source.clone()),
        output: Some(paths.output.clone()),
        ..options.overrides.clone()
    };
    let listener = server::bind(options.addr)?;
    let url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}/"),
        Err(_) => format!("http://{}/", options.addr),
    };
    // Watching starts before the first build, so no edit made during it is lost.
    let mut watch = watch::Watch::new(
        &[paths.source.clone(), paths.themes.clone()],
        std::slice::from_ref(&paths.config),
    )?;
    let shared = Arc::new(Shared {
        root: paths.output.clone(),
        status: RwLock::new(Arc::new(Status {
            version: 0,
            error: None,
            built: false,
            engine: None,
            aliases: Arc::new(Aliases::new(&Default::default())),
        })),
    });

    let mut current = Current::default();
    let mut live = None;
    let (first, used) = rebuild(&overrides, Vec::new(), &mut live);
    current.apply(&first, used.as_ref(), &shared, &mut on)?;
    on(Event::Built(&first))?;
    server::spawn_workers(listener, Arc::clone(&shared))?;
    on(Event::Listening { url: &url })?;

    loop {
        let batch = watch.next_batch()?;
        for e in &batch.errors {
            on(Event::Warning(&format!("file watcher: {e}")))?;
        }
        let (build, used) = rebuild(&overrides, batch.paths, &mut live);
        current.apply(&build, used.as_ref(), &shared, &mut on)?;
        on(Event::Built(&build))?;
    }
}

/// One rebuild: an update of the last good build when `live` holds it and
/// the change allows (see [`Live::update`]), else a full build. The
/// settings it used come back when it wrote the site.
fn rebuild(
    overrides: &Overrides,
    changed: Vec<PathBuf>,
    live: &mut Option<Live>,
) -> (Build, Option<Settings>) {
    let started = Instant::now();
    let mut used = None;
    let mut note = None;
    let outcome = match Settings::resolve(overrides) {
        Err(d) => Outcome::Config(d),
        Ok(settings) => {
            let update = match live.as_mut() {
                Some(state) if !changed.is_empty() => Some(state.update(&settings, &changed)),
                _ => None,
            };
            let outcome = match update {
                Some(Ok(Update::Written {
                    report,
                    pages,
                    files,
                })) => {
                    note = Some(format!(
                        "incremental: {} and {} written",
                        crate::plural::plural(pages, "page"),
                        crate::plural::count(files, "other file", "other files")
                    ));
                    Some(Outcome::Written(report))
                }
                Some(Ok(Update::Unchanged(report))) => {
                    note = Some("nothing to change".into());
                    Some(Outcome::Written(report))
                }
                Some(Ok(Update::Failed(report))) => Some(Outcome::Failed(report)),
                Some(Ok(Update::NeedsFull(why))) => {
                    note = Some(format!("full rebuild: {why}"));
                    None
                }
                Some(Err(e)) => {
                    note = Some(format!(
                        "full rebuild: the incremental update failed: {e:#}"
                    ));
                    None
                }
                None => None,
            };
            let outcome = outcome.unwrap_or_else(|| {
                *live = None;
                match Live::build(&settings) {
                    Ok((report, state)) => {
                        *live = state;
                        if report.written {
                            Outcome::Written(report)
                        } else {
                            Outcome::Failed(report)
                        }
                    }
                    Err(e) => Outcome::Crashed(e),
                }
            });
            if matches!(outcome, Outcome::Written(_)) {
                used = Some(settings);
            }
            outcome
        }
    };
    let build = Build {
        outcome,
        elapsed: started.elapsed(),
        changed,
        note,
    };
    (build, used)
}

/// What the build loop knows of the last good build.
#[derive(Default)]
struct Current {
    version: u64,
    built: bool,
    engine: Option<Arc<Engine>>,
    aliases: Option<Arc<Aliases>>,
}

impl Current {
    /// Takes in a build's result and publishes the new status to requests.
    fn apply(
        &mut self,
        build: &Build,
        used: Option<&Settings>,
        shared: &Shared,
        on: &mut impl FnMut(Event<'_>) -> Result<()>,
    ) -> Result<()> {
        if let Some(settings) = used {
            self.version += 1;
            self.built = true;
            self.aliases = Some(Arc::new(Aliases::new(&settings.source_aliases)));
            match Engine::open(&terminal::index_dir(&shared.root)) {
                Ok(engine) => self.engine = Some(Arc::new(engine)),
                Err(e) => {
                    self.engine = None;
                    on(Event::Warning(&format!(
                        "/api/search is unavailable: {e:#}"
                    )))?;
                }
            }
        }
        shared.publish(Status {
            version: self.version,
            error: build.error_text(),
            built: self.built,
            engine: self.engine.clone(),
            aliases: self
                .aliases
                .clone()
                .unwrap_or_else(|| Arc::new(Aliases::new(&Default::default()))),
        });
        Ok(())
    }
}
