//! The commands that take pasted text or a log: search, explain, scan and
//! eval, and how their text reaches them.

use super::Location;
use clap::Args;
use kbgen::scan::input::Format;
use kbgen::scan::record::Level;
use kbgen::scan::stamp::Stamp;
use std::ffi::OsString;
use std::path::PathBuf;

/// The arguments with pasted text made safe for clap: after `search` or
/// `explain`, an argument that starts with `-` and a digit is text, never
/// an option (no option of ours is a dash and a digit), but clap takes
/// `-2147024891 access denied` for options unless it is a lone number. A
/// leading space, which the analyser ignores, makes it a plain value.
pub(crate) fn text_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut text = false;
    args.into_iter()
        .map(|a| {
            let s = a.to_string_lossy();
            if text && s.starts_with('-') && s[1..].starts_with(|c: char| c.is_ascii_digit()) {
                let mut spaced = OsString::from(" ");
                spaced.push(&a);
                return spaced;
            }
            text |= s == "search" || s == "explain";
            a
        })
        .collect()
}

/// `kbgen eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Print one JSON object with the figures and every query's outcome.
    #[arg(long)]
    pub(crate) json: bool,
    /// Fail (exit 1) when a figure is below a floor: `all=0.95`, `event=1`.
    #[arg(long, value_name = "KIND=MIN", value_parser = parse_floor)]
    pub(crate) require: Vec<(String, f64)>,
    /// Tab-separated queries: id, kind, query, expected (`|` between several), note.
    #[arg(value_name = "QUERIES.tsv")]
    pub(crate) queries: PathBuf,
}

fn parse_floor(s: &str) -> Result<(String, f64), String> {
    let (kind, min) = s
        .split_once('=')
        .ok_or_else(|| format!("expected KIND=MIN, like all=0.95, not {s:?}"))?;
    let min: f64 = min
        .parse()
        .map_err(|_| format!("{min:?} is not a number between 0 and 1"))?;
    Ok((kind.to_string(), min))
}

/// `kbgen search`.
#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Print one JSON object: {"results": [{source, url, title, score, matched}], "ignored": [...]}.
    #[arg(long)]
    pub(crate) json: bool,
    /// Number of results.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub(crate) limit: usize,
    /// Only articles that apply to this product (its name, any case).
    #[arg(long, value_name = "NAME")]
    pub(crate) product: Option<String>,
    /// Only articles that apply to this version (`2016`, `10.0`; with --product, of that product).
    #[arg(long, value_name = "VERSION")]
    pub(crate) version: Option<String>,
    /// The text to search for; read from stdin when absent or `-`.
    #[arg(value_name = "TEXT", allow_negative_numbers = true)]
    pub(crate) query: Vec<String>,
}

/// `kbgen explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Print one JSON object.
    #[arg(long)]
    pub(crate) json: bool,
    /// The text; read from stdin when absent or `-`.
    #[arg(value_name = "TEXT", allow_negative_numbers = true)]
    pub(crate) text: Vec<String>,
}

/// `kbgen scan`.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub(crate) location: Location,
    /// Print one JSON object: {"records", "articles": [...], "unmatched": [...], "skipped": [...]}.
    #[arg(long)]
    pub(crate) json: bool,
    /// Only records at or after this time (`2024-02-19`, `2024-02-19T11:00:00`); records without a time are kept.
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    pub(crate) since: Option<Stamp>,
    /// Only records at or before this time (`2024-02-19T12:00:00`; a date alone means the whole of
    /// that day); records without a time are kept.
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub(crate) until: Option<Stamp>,
    /// Only records at least this severe: critical, error, warning, information, verbose; records without a level are kept.
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    pub(crate) min_level: Option<Level>,
    /// Entries to list in the text output, each an article with those that
    /// repeat its matches named under it (--json lists all).
    #[arg(long, short = 'n', default_value_t = 20)]
    pub(crate) limit: usize,
    /// Most frequent unmatched event keys and error lines to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub(crate) unmatched: usize,
    /// Read every file in this format instead of telling it from the content: evtx, xml, json,
    /// csv, tsv, list (Format-List blocks) or text.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub(crate) format: Option<Format>,
    /// Log files: .evtx, Event Viewer XML/CSV/text exports, PowerShell Format-List or JSON,
    /// journalctl, syslog, CBS.log, CMTrace, IIS, ULS or any text log, gzip-compressed
    /// or not, a zip or tar(.gz) support bundle of them, or a folder of them (every file
    /// under it); `-` reads stdin.
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<String>,
}

fn parse_since(s: &str) -> Result<Stamp, String> {
    read_time(s, kbgen::scan::stamp::parse)
}

fn parse_until(s: &str) -> Result<Stamp, String> {
    read_time(s, kbgen::scan::stamp::parse_until)
}

/// `s` read as a time by `read`, or what to write instead.
fn read_time(s: &str, read: fn(&str) -> Option<Stamp>) -> Result<Stamp, String> {
    read(s).ok_or_else(|| {
        format!("{s:?} is not a time kbgen reads; write it like 2024-02-19 or 2024-02-19T11:00:00")
    })
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::named(s).ok_or_else(|| {
        format!(
            "{s:?} is not a log format; use one of {}",
            Format::NAMES.join(", ")
        )
    })
}

fn parse_level(s: &str) -> Result<Level, String> {
    Level::from_word(s).ok_or_else(|| {
        format!("{s:?} is not a level; use critical, error, warning, information or verbose")
    })
}

/// The words of a command line, or stdin when there are none (or just `-`).
pub(crate) fn text_or_stdin(words: &[String]) -> std::io::Result<String> {
    if words.is_empty() || words == ["-"] {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        return Ok(s);
    }
    Ok(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::text_args;
    use crate::cli::{Cli, Command};
    use clap::Parser;
    use std::ffi::OsString;

    fn parsed(args: &[&str]) -> Cli {
        Cli::parse_from(text_args(args.iter().map(OsString::from)))
    }

    /// `kbgen search "-2147024891 access denied"`: pasted text that starts
    /// with a negative code is searched, not refused as an unknown option,
    /// and options after it still count.
    #[test]
    fn text_that_starts_with_a_negative_code() {
        for cmd in ["search", "explain"] {
            let cli = parsed(&["kbgen", cmd, "-2147024891 access denied", "--json"]);
            let (text, json) = match cli.command {
                Command::Search(a) => (a.query, a.json),
                Command::Explain(a) => (a.text, a.json),
                other => panic!("{other:?}"),
            };
            assert_eq!(text, [" -2147024891 access denied"]);
            assert!(json, "--json after the text is still an option");
        }
        let cli = parsed(&["kbgen", "search", "-n", "3", "-5"]);
        let Command::Search(a) = cli.command else {
            panic!()
        };
        assert_eq!((a.limit, a.query), (3, vec![" -5".to_string()]));
    }
}
