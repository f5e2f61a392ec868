//! Diagnostics as people read them, in the style of rustc:
//!
//! ```text
//! error: unknown fix id `no-such-fix`
//!  --> kb/iis/unknown-fix.md:3:5
//!   |
//! 3 |   - no-such-fix
//!   |     ^
//!   |
//!   = help: fix ids are the `id:` of documents under fixes/
//! ```
//!
//! It receives [`Diagnostic`]s and returns text. The offending line is read
//! from the file when the diagnostic is printed (the stages keep no copy of
//! the sources for this), once per file; a file or line that cannot be read
//! is left out, never an error. Colour is the caller's choice:
//! [`stderr_wants_color`] says yes only on a terminal without `NO_COLOR`.

use super::{Diagnostic, Severity};
use crate::printable::terminal;
use anstyle::{AnsiColor, Style};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal as _;

/// Widest source line shown, in characters; longer lines are cut around
/// the column with `...`.
const MAX_LINE: usize = 120;

/// True when stderr is a terminal and `NO_COLOR` is unset or empty
/// (<https://no-color.org>).
pub fn stderr_wants_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Turns diagnostics into rustc-style text, reading each file at most once.
#[derive(Debug, Default)]
pub struct Renderer {
    color: bool,
    /// File (as written in the diagnostic) → its lines, or `None` when unreadable.
    sources: HashMap<String, Option<Vec<String>>>,
}

impl Renderer {
    /// A renderer that colours its output or not.
    pub fn new(color: bool) -> Self {
        Renderer {
            color,
            sources: HashMap::new(),
        }
    }

    /// The text of one diagnostic, ending with a newline.
    pub fn render(&mut self, d: &Diagnostic) -> String {
        let (label, severity_style) = match d.severity {
            Severity::Error => (
                "error",
                Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            ),
            Severity::Warning => (
                "warning",
                Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            ),
        };
        let bold = Style::new().bold();
        let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
        let color = self.color;
        let paint = |style: Style, text: &str| {
            if color {
                format!("{style}{text}{style:#}")
            } else {
                text.to_string()
            }
        };
        let line_text = self.line(&d.file, d.line);
        let gutter = if line_text.is_some() {
            d.line.to_string().len()
        } else {
            1
        };
        let pad = " ".repeat(gutter);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}{} {}",
            paint(severity_style, label),
            paint(bold, ":"),
            paint(bold, &terminal(&d.message))
        );
        let file = terminal(&d.file);
        let position = match (d.line, d.col) {
            (0, _) => file.to_string(),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        };
        let _ = writeln!(out, "{pad}{} {position}", paint(blue, "-->"));
        if let Some(text) = line_text {
            let bar = paint(blue, "|");
            let (shown, caret) = window(&text, d.col);
            let shown = terminal(&shown);
            let _ = writeln!(out, "{pad} {bar}");
            let _ = writeln!(out, "{} {bar} {shown}", paint(blue, &d.line.to_string()));
            if let Some(caret) = caret {
                let _ = writeln!(
                    out,
                    "{pad} {bar} {}{}",
                    " ".repeat(caret),
                    paint(severity_style, "^")
                );
            }
            if d.hint.is_some() {
                let _ = writeln!(out, "{pad} {bar}");
            }
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(
                out,
                "{pad} {} {}: {}",
                paint(blue, "="),
                paint(bold, "help"),
                terminal(hint)
            );
        }
        out
    }

    /// Line `n` (1-based) of `file`, as the load stage decoded it.
    fn line(&mut self, file: &str, n: usize) -> Option<String> {
        if n == 0 {
            return None;
        }
        let lines = self
            .sources
            .entry(file.to_string())
            .or_insert_with(|| read_lines(file))
            .as_ref()?;
        lines.get(n - 1).cloned()
    }
}

/// The lines of a file as `load::decode` numbers them: BOM dropped, CRLF
/// and lone CR are line ends, invalid UTF-8 shown as `�`.
fn read_lines(file: &str) -> Option<Vec<String>> {
    let bytes = std::fs::read(file).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Some(text.split('\n').map(str::to_string).collect())
}

/// The line as shown (tabs as four spaces, control characters as `�`, cut
/// to [`MAX_LINE`] around the column) and the caret's offset in it, when
/// there is a column.
fn window(line: &str, col: usize) -> (String, Option<usize>) {
    let mut cells: Vec<String> = Vec::new();
    let mut caret = None;
    for (i, c) in line.chars().enumerate() {
        if i + 1 == col {
            caret = Some(cells.len());
        }
        match c {
            '\t' => cells.extend(std::iter::repeat_n(" ".to_string(), 4)),
            c if c.is_control() => cells.push('\u{fffd}'.to_string()),
            c => cells.push(c.to_string()),
        }
    }
    let caret = match col {
        0 => None,
        // Past the end (an error at the end of the line): just after it.
        _ => Some(caret.unwrap_or(cells.len())),
    };
    let n = cells.len();
    if n <= MAX_LINE {
        return (cells.concat().trim_end().to_string(), caret);
    }
    let at = caret.unwrap_or(0);
    let start = at.saturating_sub(MAX_LINE / 2).min(n + 1 - MAX_LINE);
    let end = (start + MAX_LINE).min(n);
    let before = if start > 0 { "..." } else { "" };
    let after = if end < n { "..." } else { "" };
    let shown = format!("{before}{}{after}", cells[start..end].concat());
    (shown, caret.map(|c| c - start + before.len()))
}

#[cfg(test)]
mod tests;
