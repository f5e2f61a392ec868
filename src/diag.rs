//! Problems found in content or configuration, collected rather than thrown.
//!
//! Every stage pushes [`Diagnostic`]s into a [`Diagnostics`] list and goes on,
//! so one run of `kbgen check` reports every problem at once; the command
//! decides the exit status at the end from the counts.

use serde::Serialize;
use std::fmt;

pub mod render;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site is built, but something is probably not what the author meant.
    Warning,
}

/// One problem, with its position in a file when it has one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Path as the user would type it (source folder joined with the relative path).
    pub file: String,
    /// 1-based line in the whole file (front matter included); 0 when unknown.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `file:line:col`.
    pub fn error(
        file: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, file, line, col, message)
    }

    /// A warning at `file:line:col`.
    pub fn warning(
        file: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file, line, col, message)
    }

    fn new(
        severity: Severity,
        file: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            col,
            severity,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds what the author should do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Same problem, other severity (used by policies such as `broken_links = "warn"`).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Content can hold control characters; a terminal must not run them.
        let file = crate::printable::terminal(&self.file);
        let message = crate::printable::terminal(&self.message);
        match (self.line, self.col) {
            (0, _) => write!(f, "{file}: {sev}: {message}")?,
            (l, 0) => write!(f, "{file}:{l}: {sev}: {message}")?,
            (l, c) => write!(f, "{file}:{l}:{c}: {sev}: {message}")?,
        }
        if let Some(h) = &self.hint {
            write!(f, " — {}", crate::printable::terminal(h))?;
        }
        Ok(())
    }
}

/// An ordered collection of diagnostics with counts.
#[derive(Debug, Default, Clone, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Takes all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// True when at least one error was recorded.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Sorts by file, position and message so output is stable across runs
    /// whatever order parallel stages finished in.
    pub fn sort(&mut self) {
        self.0.sort();
        self.0.dedup();
    }

    /// All diagnostics in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// Converts a byte offset in `text` into a 1-based (line, column) pair,
/// counting columns in characters as editors do.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An error and all its causes, `: `-separated: where the useful part of a
/// template or parser error usually is.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
