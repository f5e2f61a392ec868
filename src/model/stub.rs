//! Placeholder text of `kbgen new` left in a document.
//!
//! Receives a source file's text; adds a warning at each line that is still
//! one of the templates' italic placeholders ("*Why it happens.*"), so that
//! `kbgen check` says a stub is unfinished before it is published.

use crate::diag::{Diagnostic, Diagnostics};

/// Warns at every untouched placeholder line of `text` (lines counted from
/// the top of the file).
pub(super) fn check(text: &str, file: &str, diags: &mut Diagnostics) {
    let placeholders = crate::scaffold::placeholders();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.ends_with('*') || !placeholders.iter().any(|p| p.is_match(line)) {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                file,
                i + 1,
                1,
                format!("placeholder from `kbgen new` still here: {line}"),
            )
            .hint("write this section's own text, or delete the section, before publishing"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::diag::Diagnostics;

    #[test]
    fn untouched_placeholder_lines_are_warned_at_their_line() {
        let date = crate::model::date::Date::parse("2025-01-02").unwrap();
        let text = crate::scaffold::article("Pool disabled", date);
        let mut d = Diagnostics::default();
        check(&text, "kb/a.md", &mut d);
        let lines: Vec<usize> = d.iter().map(|d| d.line).collect();
        assert!(lines.len() >= 3, "{lines:?}");
        for l in lines {
            assert!(text
                .lines()
                .nth(l - 1)
                .unwrap()
                .trim()
                .starts_with(['*', '1']));
        }
        let mut d = Diagnostics::default();
        check(
            "## Cause\n\n*Why it happens.* Because the disk is full.\n\nThe *first step.*\n",
            "kb/a.md",
            &mut d,
        );
        assert_eq!(d.warnings(), 0, "edited lines are the author's");
    }
}
