//! Message templates: an error message in which the variable parts are
//! placeholders (`<process id>`, `%1`, `%s`, `{0}`, `\<DateTime>`).
//!
//! A template is its text and the places of its holes; it is shown as a
//! list of literal runs and holes. Matching a pasted
//! log line against it (how much of the literal text the line covers) lives
//! with the search code; here we only compile and present.

use serde::Serialize;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Part {
    /// Text the log prints as is.
    Literal(String),
    /// A variable value; the placeholder as written.
    Hole(String),
}

/// A compiled message template: the text and where its holes are. The
/// parts are worked out when asked for rather than kept, so a build does
/// not hold every message twice (about 100 MB at 100,000 articles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The message as written, after folding copy-paste damage.
    pub text: String,
    /// Byte ranges of the holes in `text`, in order.
    holes: Vec<(usize, usize)>,
}

impl Template {
    /// Compiles a message, recognising placeholders.
    pub fn compile(message: &str) -> Template {
        let text = super::fold_text(message.trim());
        let mut holes = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if let Some(len) = placeholder_len(&text[i..]) {
                holes.push((i, i + len));
                i += len;
                continue;
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        Template { text, holes }
    }

    /// Literal runs and holes, in order.
    pub fn parts(&self) -> Vec<Part> {
        let mut parts = Vec::with_capacity(2 * self.holes.len() + 1);
        let mut at = 0;
        for &(start, end) in &self.holes {
            if start > at {
                parts.push(Part::Literal(self.text[at..start].to_string()));
            }
            parts.push(Part::Hole(self.text[start..end].to_string()));
            at = end;
        }
        if at < self.text.len() {
            parts.push(Part::Literal(self.text[at..].to_string()));
        }
        parts
    }

    /// True when the message has at least one placeholder.
    pub fn has_holes(&self) -> bool {
        !self.holes.is_empty()
    }

    /// The literal text with holes removed, for indexing.
    pub fn literal_text(&self) -> String {
        self.parts()
            .iter()
            .filter_map(|p| match p {
                Part::Literal(s) => Some(s.as_str()),
                Part::Hole(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The shape templates always had in JSON: the text and its parts.
impl Serialize for Template {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Template", 2)?;
        s.serialize_field("text", &self.text)?;
        s.serialize_field("parts", &self.parts())?;
        s.end()
    }
}

/// Length in bytes of a placeholder at the start of `s`, if one is there.
fn placeholder_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match b.first()? {
        b'\\' if b.get(1) == Some(&b'<') => placeholder_len(&s[1..]).map(|n| n + 1),
        b'<' => {
            let end = s[1..].find('>')? + 1;
            let inner = &s[1..end];
            let ok = !inner.is_empty()
                && inner.len() <= 60
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || " _-.:/\\".contains(c))
                && inner.chars().next().is_some_and(char::is_alphabetic);
            ok.then_some(end + 1)
        }
        b'%' => {
            let rest = &b[1..];
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 {
                let bang = rest.get(digits) == Some(&b'!')
                    && rest[digits + 1..]
                        .iter()
                        .position(|&c| c == b'!')
                        .is_some_and(|p| p <= 8);
                if bang {
                    let close = rest[digits + 1..].iter().position(|&c| c == b'!')?;
                    return Some(1 + digits + 1 + close + 1);
                }
                return Some(1 + digits);
            }
            match rest.first()? {
                b's' | b'd' | b'u' | b'x' | b'X' | b'S' | b'i' | b'p' => Some(2),
                b'l' if matches!(rest.get(1), Some(b'd' | b'u' | b'x' | b's')) => Some(3),
                _ => None,
            }
        }
        b'{' => {
            let end = s.find('}')?;
            s[1..end]
                .bytes()
                .all(|c| c.is_ascii_digit())
                .then_some(end + 1)
                .filter(|&n| n > 2)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holes(msg: &str) -> Vec<String> {
        Template::compile(msg)
            .parts()
            .into_iter()
            .filter_map(|p| if let Part::Hole(h) = p { Some(h) } else { None })
            .collect()
    }

    #[test]
    fn recognises_placeholder_styles() {
        assert_eq!(
            holes("The process id was '<process id>'."),
            ["<process id>"]
        );
        assert_eq!(
            holes("The %1 service terminated with %2 error."),
            ["%1", "%2"]
        );
        assert_eq!(holes("value %s at %d, %1!s!"), ["%s", "%d", "%1!s!"]);
        assert_eq!(holes("Failed {0} of {1}"), ["{0}", "{1}"]);
        assert_eq!(holes(r"at \<DateTime> on"), [r"\<DateTime>"]);
        assert!(holes("100% sure, a < b > c").is_empty());
    }

    #[test]
    fn literal_text_drops_holes() {
        let t = Template::compile("A process serving application pool '<pool>' terminated.");
        assert_eq!(
            t.literal_text(),
            "A process serving application pool ' '  terminated.".replace("'  ", "' ")
        );
    }
}
