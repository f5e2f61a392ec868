//! The command line, as clap derive structs: one `Args` struct per command.

use clap::{Args, Parser, Subcommand, ValueEnum};
use kbgen::config::{LinkPolicy, Overrides};
use std::path::PathBuf;

mod query;
use query::text_args;
pub(crate) use query::{text_or_stdin, EvalArgs, ExplainArgs, ScanArgs, SearchArgs};

/// Static site generator for troubleshooting knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "kbgen", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    #[command(flatten)]
    pub(crate) verbosity: Verbosity,
}

impl Cli {
    /// The command line of this process, with pasted text taken as text
    /// (see [`text_args`]).
    pub(crate) fn from_env() -> Cli {
        Cli::parse_from(text_args(std::env::args_os()))
    }

    /// The command line, after the checks clap cannot make: `-q` and `-v`
    /// on either side of the command conflict (clap sees the conflict only
    /// on the same side).
    pub(crate) fn checked(self) -> Result<Cli, clap::Error> {
        if self.verbosity.quiet && self.verbosity.verbose {
            use clap::CommandFactory;
            return Err(Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                "--quiet and --verbose cannot be used together",
            ));
        }
        Ok(self)
    }
}

/// How much to say on stderr; accepted before or after any command.
#[derive(Debug, Clone, Copy, Default, Args)]
pub(crate) struct Verbosity {
    /// Print only errors.
    #[arg(long, short = 'q', global = true)]
    pub(crate) quiet: bool,
    /// Also print the time each stage took (build, check, serve).
    #[arg(
        long,
        short = 'v',
        visible_alias = "timings",
        global = true,
        conflicts_with = "quiet"
    )]
    pub(crate) verbose: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new knowledge base: kb.toml, kb/ with an example, .gitignore.
    Init(InitArgs),
    /// Write a new article or fix from a scaffold; prints its path.
    New(NewArgs),
    /// Build the site from the content folder into the output folder.
    Build(SiteArgs),
    /// Check the content and report every problem, without writing anything.
    Check(SiteArgs),
    /// Build, serve the site locally, and rebuild and reload on every change.
    Serve(ServeArgs),
    /// Search the knowledge base: paste a log line, an event or a code.
    #[command(disable_version_flag = true)]
    Search(SearchArgs),
    /// Show what kbgen recognises in a text: codes, names, events, words, noise.
    Explain(ExplainArgs),
    /// Find the known problems in log files: the articles whose events, codes or messages occur.
    ///
    /// Ctrl-C stops the scan and prints the report of the records read so far (exit status 130): the way to end `journalctl -f | kbgen scan -`.
    Scan(ScanArgs),
    /// Export the articles for other systems: JSON lines, or OpenSearch bulk NDJSON and an index template.
    Export(ExportArgs),
    /// The review queue: articles overdue, expired or never verified, oldest first, with owners.
    Stale(StaleArgs),
    /// Measure search quality: recall@1, recall@5 and MRR on a query file.
    Eval(EvalArgs),
}

/// What `kbgen export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// One JSON object per article, one per line.
    Jsonl,
    /// `bulk.ndjson` (for the `_bulk` API) and `index-template.json`.
    Opensearch,
}

/// `kbgen export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Output format.
    #[arg(long, value_enum)]
    pub(crate) format: ExportFormat,
    /// Where to write: a file for jsonl (default: stdout), a folder for opensearch (required).
    #[arg(long, value_name = "PATH")]
    pub(crate) to: Option<PathBuf>,
    /// Index name for opensearch (the template matches NAME and NAME-*).
    #[arg(long, value_name = "NAME", default_value = "kbgen")]
    pub(crate) index: String,
}

/// `kbgen stale`.
#[derive(Debug, Args)]
pub(crate) struct StaleArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Every article, not only those due for review.
    #[arg(long)]
    pub(crate) all: bool,
    /// Print one JSON object: {"today", "articles": [{path, title, verified, basis, due, expires, state, owners}]}.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Where the knowledge base and its site are.
#[derive(Debug, Args)]
pub(crate) struct Location {
    /// Content folder [default: kb, or source_dir in kb.toml].
    #[arg(long, short = 's', value_name = "DIR")]
    pub(crate) source: Option<PathBuf>,
    /// Output folder [default: public, or output_dir in kb.toml].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Configuration file [default: ./kb.toml when it exists].
    #[arg(long, short = 'c', value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// `kbgen new`.
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// What to write: an article, or a fix under fixes/.
    #[arg(value_enum)]
    pub(crate) kind: NewKind,
    /// The title; the file name is made from it.
    pub(crate) title: String,
    /// Folder under the content folder for an article (`iis`, `windows/setup`).
    #[arg(long, value_name = "SUBFOLDER")]
    pub(crate) dir: Option<String>,
    /// Content folder [default: kb, or source_dir in kb.toml].
    #[arg(long, short = 's', value_name = "DIR")]
    pub(crate) source: Option<PathBuf>,
    /// Configuration file [default: ./kb.toml when it exists].
    #[arg(long, short = 'c', value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// What `kbgen new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum NewKind {
    /// An article: front matter, Symptoms, Cause, Resolution.
    Article,
    /// A fix shared by articles, under fixes/.
    Fix,
}

/// `kbgen init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder of the new knowledge base; created when missing.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
}

impl Location {
    pub(crate) fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            source: self.source.clone(),
            output: self.output.clone(),
            ..Overrides::default()
        }
    }
}

/// How to print the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Human-readable lines.
    Text,
    /// One JSON object on stdout.
    Json,
}

/// Options shared by the commands that read a knowledge base.
#[derive(Debug, Args)]
pub(crate) struct SiteArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Absolute URL the site is published at (used for sitemap and feed only).
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Whether broken links are errors or warnings.
    #[arg(long, value_name = "POLICY", value_parser = parse_policy)]
    pub(crate) broken_links: Option<LinkPolicy>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Make a kind of warning an error (`check --deny stale`: articles due
    /// for review or expired fail the check, for CI).
    #[arg(long, value_name = "WHAT", value_parser = ["stale"])]
    pub(crate) deny: Vec<String>,
}

fn parse_policy(s: &str) -> Result<LinkPolicy, String> {
    s.parse()
}

impl SiteArgs {
    pub(crate) fn overrides(&self) -> Overrides {
        Overrides {
            base_url: self.base_url.clone(),
            broken_links: self.broken_links,
            drafts: self.drafts,
            deny_stale: self.deny.iter().any(|d| d == "stale"),
            ..self.location.overrides()
        }
    }
}

/// `kbgen serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub(crate) port: u16,
    /// Address to listen on; anything but loopback exposes the site to the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub(crate) bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub(crate) open: bool,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    /// Issue 5: `-v` and `-q` were options of build and check only.
    #[test]
    fn verbosity_goes_before_or_after_any_command() {
        use clap::Parser;
        for args in [
            &["kbgen", "-v", "serve"][..],
            &["kbgen", "serve", "-v"],
            &["kbgen", "check", "--verbose"],
            &["kbgen", "-v", "search", "-2147024893"],
            &["kbgen", "build", "--timings"],
        ] {
            let cli = Cli::try_parse_from(args).unwrap();
            assert!(cli.verbosity.verbose && !cli.verbosity.quiet, "{args:?}");
        }
        let cli = Cli::try_parse_from(["kbgen", "init", "x", "-q"]).unwrap();
        assert!(cli.verbosity.quiet);
        for args in [
            ["kbgen", "build", "-q", "-v"],
            ["kbgen", "-q", "build", "-v"],
        ] {
            assert!(Cli::try_parse_from(args).and_then(Cli::checked).is_err());
        }
    }
}
