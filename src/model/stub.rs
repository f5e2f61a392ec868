//! Placeholder text of `kbgen new` left in a document.
//!
//! Receives a source file's text; adds a warning at each line that is still
//! one of the templates' italic placeholders ("*Why it happens.*"), so that
//! `kbgen check` says a stub is unfinished before it is published.

use crate::diag::{Diagnostic, Diagnostics};

/// Warns at every untouched placeholder line of `text` (lines counted from
/// the top of the file).
pub(super) fn check(text: &str, file: &str, diags: &mut Diagnostics) {
    // Only a line that ends in `*` can hold a placeholder: the lines with a
    // star are found from their stars, rather than by reading every line,
    // and each is looked at once, however many stars it holds.
    let b = text.as_bytes();
    let (mut line_end, mut counted_to, mut line_number) = (0, 0, 1);
    for star in memchr::memchr_iter(b'*', b) {
        if star < line_end {
            continue;
        }
        let start =
            memchr::memrchr(b'\n', &b[line_end..star]).map_or(line_end, |n| line_end + n + 1);
        line_end = memchr::memchr(b'\n', &b[star..]).map_or(b.len(), |n| star + n + 1);
        let line = text[start..line_end].trim();
        if !line.ends_with('*')
            || !crate::scaffold::placeholders()
                .iter()
                .any(|p| p.is_match(line))
        {
            continue;
        }
        line_number += memchr::memchr_iter(b'\n', &b[counted_to..start]).count();
        counted_to = start;
        diags.push(
            Diagnostic::warning(
                file,
                line_number,
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

    /// Placeholders are found at their lines whatever else the file holds:
    /// stars on other lines, several on one, a last line without its end.
    #[test]
    fn placeholder_lines_are_found_among_other_stars() {
        let date = crate::model::date::Date::parse("2025-01-02").unwrap();
        let stub = crate::scaffold::article("Pool disabled", date);
        let placeholder = stub
            .lines()
            .find(|l| l.trim().starts_with('*') && l.trim().ends_with('*'))
            .expect("the scaffold has a placeholder")
            .trim()
            .to_string();
        let text = format!(
            "a *b* c\n**\n{placeholder}\r\n* list * item\n\n  {placeholder}  \n*x*y\n{placeholder}"
        );
        let mut d = Diagnostics::default();
        check(&text, "kb/a.md", &mut d);
        let lines: Vec<usize> = d.iter().map(|d| d.line).collect();
        assert_eq!(lines, [3, 6, 8]);
    }
}
