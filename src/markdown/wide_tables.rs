//! Tables too wide to render: shown as their text instead.
//!
//! Receives an article body; gives it back with the delimiter row (`|---|`)
//! of every table of more than [`MAX_COLUMNS`] columns escaped, so the
//! table's lines render as plain text, and the lines where that was done.
//! pulldown-cmark pads every row to the header's width: a 40,000-column
//! header over a few short rows made a quarter of a million cells, 270
//! times the article's size in memory.

use std::borrow::Cow;

/// Widest table rendered as a table.
pub(crate) const MAX_COLUMNS: usize = 1000;

/// `body` with over-wide tables turned into text, and the 0-based lines
/// of the delimiter rows changed.
pub(crate) fn limit_columns(body: &str) -> (Cow<'_, str>, Vec<usize>) {
    if body.bytes().filter(|&b| b == b'|').count() <= MAX_COLUMNS {
        return (Cow::Borrowed(body), Vec::new());
    }
    let mut out = String::with_capacity(body.len() + 8);
    let mut changed = Vec::new();
    let mut fence: Option<&str> = None;
    for (n, line) in body.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if is_wide_delimiter_row(t) {
            // `\-` is a literal dash: no longer a delimiter row.
            let indent = line.len() - t.len();
            out.push_str(&line[..indent]);
            out.push('\\');
            out.push_str(t);
            changed.push(n);
            continue;
        }
        out.push_str(line);
    }
    if changed.is_empty() {
        (Cow::Borrowed(body), changed)
    } else {
        (Cow::Owned(out), changed)
    }
}

/// A `|---|:--:|` row with more than [`MAX_COLUMNS`] cells.
fn is_wide_delimiter_row(line: &str) -> bool {
    let row = line.trim_end().trim_matches('|');
    let mut cells = 0;
    for cell in row.split('|') {
        let c = cell.trim().trim_start_matches(':').trim_end_matches(':');
        if c.is_empty() || !c.bytes().all(|b| b == b'-') {
            return false;
        }
        cells += 1;
    }
    cells > MAX_COLUMNS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15, item 5: a 40,000-column table is text, not 262,144 cells.
    #[test]
    fn a_table_wider_than_the_limit_becomes_text() {
        let n = 40_000;
        let header = format!("|{}|\n", vec!["c"; n].join("|"));
        let rule = format!("|{}|\n", vec!["-"; n].join("|"));
        let body = format!("# Wide\n\n{header}{rule}| x |\n");
        let (limited, lines) = limit_columns(&body);
        assert_eq!(lines, vec![3]);
        assert_eq!(limited.lines().count(), body.lines().count());
        let html =
            crate::markdown::render(&limited, 1, &|_, _| crate::markdown::LinkTarget::Unchanged)
                .html;
        assert!(!html.contains("<table"), "{}", &html[..200]);
        assert!(html.len() < body.len() * 2);
    }

    #[test]
    fn ordinary_tables_and_code_are_left_alone() {
        let body = "| a | b |\n|---|:-:|\n| 1 | 2 |\n";
        assert!(matches!(limit_columns(body).0, Cow::Borrowed(_)));
        let wide = format!("```\n|{}|\n```\n", vec!["-"; 1200].join("|"));
        assert_eq!(limit_columns(&wide).1, Vec::<usize>::new());
    }
}
