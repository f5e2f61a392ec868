//! Text from the content, made safe to print where it goes.
//!
//! Receives any text (a title, a file name, a line of an article); gives it
//! back with the control characters that would act instead of show made
//! visible or removed. An ESC in a title or a file name reached terminals
//! raw through diagnostics and `kbgen search` (ANSI sequences can recolour,
//! retitle or clear a terminal), and a NUL or ESC made `atom.xml`
//! ill-formed XML.

use std::borrow::Cow;

fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
}

/// `text` for a terminal: each control character but newline and tab
/// written as `\u{1b}`.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` for XML 1.0: the characters it forbids (controls but tab,
/// newline and carriage return; U+FFFE, U+FFFF) removed.
pub fn xml(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if text.chars().any(bad) {
        Cow::Owned(text.chars().filter(|c| !bad(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_run() {
        assert_eq!(terminal("a\u{1b}[31mred\u{0}"), "a\\u{1b}[31mred\\u{0}");
        assert_eq!(terminal("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(terminal("ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn xml_loses_the_characters_it_forbids() {
        assert_eq!(xml("T\u{1b}itle\u{0}\u{7}"), "Title");
        assert_eq!(xml("a\tb\r\n"), "a\tb\r\n");
    }
}
