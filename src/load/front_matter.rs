//! Splitting a file into YAML front matter and Markdown body, and parsing the
//! YAML: the one seam where the YAML library is used, because `serde_yaml`
//! is archived and may need replacing.
//!
//! Line numbers given out here count from the top of the file, not from the
//! start of the front matter block, so `kb/x.md:4:7` points where an editor
//! would.

use crate::diag::Diagnostic;

/// A file cut into its parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split<'a> {
    /// The YAML between the `---` lines, when there is front matter.
    pub yaml: Option<&'a str>,
    /// File line of the first YAML line.
    pub yaml_line: usize,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Cuts `text` into front matter and body. An opening `---` without a
/// closing one is an error at line 1.
pub(crate) fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let no_front_matter = Split {
        yaml: None,
        yaml_line: 0,
        body: text,
        body_line: 1,
    };
    let Some(first_line_end) = text.find('\n') else {
        return Ok(no_front_matter);
    };
    if text[..first_line_end].trim_end() != "---" {
        return Ok(no_front_matter);
    }
    let yaml_start = first_line_end + 1;
    let mut offset = yaml_start;
    for (i, raw) in text[yaml_start..].split_inclusive('\n').enumerate() {
        let trimmed = raw.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_offset = offset + raw.len();
            return Ok(Split {
                yaml: Some(&text[yaml_start..offset]),
                yaml_line: 2,
                body: &text[body_offset..],
                body_line: i + 3,
            });
        }
        offset += raw.len();
    }
    Err(Diagnostic::error(
        file,
        1,
        1,
        "front matter starts with `---` but is never closed",
    )
    .hint("add a line containing only `---` after the last front matter key"))
}

/// One top-level key of the front matter with its value and file line.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The key as written.
    pub key: String,
    /// Its value.
    pub value: serde_yaml::Value,
    /// File line where the key is written (0 when it could not be found).
    pub line: usize,
}

/// Parses front matter YAML into its top-level entries, in file order.
pub(crate) fn parse(yaml: &str, yaml_line: usize, file: &str) -> Result<Vec<Entry>, Diagnostic> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| {
        // An error noticed at the end of the block belongs to its last line.
        let last_line = yaml_line + yaml.lines().count().max(1) - 1;
        let (line, col) = e.location().map_or((yaml_line, 1), |l| (yaml_line + l.line() - 1, l.column()));
        let (line, col) = if line > last_line { (last_line, 1) } else { (line, col) };
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Diagnostic::error(file, line, col, format!("invalid YAML in front matter: {message}"))
            .hint("check indentation and quote values that contain `:` or start with `[`, `{`, `*`, `&`, `!`, `%` or `@`")
    })?;
    let mapping = match value {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Mapping(m) => m,
        other => {
            return Err(Diagnostic::error(
                file,
                yaml_line,
                1,
                format!(
                    "front matter is {}, not a set of `key: value` lines",
                    kind_of(&other)
                ),
            )
            .hint("write front matter as `title: ...` lines between the `---` markers"))
        }
    };
    let key_lines = KeyLines::of(yaml);
    let mut entries = Vec::with_capacity(mapping.len());
    for (k, v) in mapping {
        let key = match k {
            serde_yaml::Value::String(s) => s,
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            other => {
                return Err(Diagnostic::error(
                    file,
                    yaml_line,
                    1,
                    format!("front matter key is {}, not a name", kind_of(&other)),
                )
                .hint("keys must be plain names such as `title`"))
            }
        };
        let line = key_lines.line(&key).map_or(0, |l| yaml_line + l);
        entries.push(Entry {
            key,
            value: v,
            line,
        });
    }
    Ok(entries)
}

/// The 0-based line of each top-level key in the YAML text, found in one
/// reading: the first line that, past any opening quotes, starts with the
/// key, then closing quotes, white space and `:`. Looking each key up line
/// by line made front matter with many keys quadratic.
struct KeyLines<'y> {
    first: rustc_hash::FxHashMap<&'y str, usize>,
}

impl<'y> KeyLines<'y> {
    fn of(yaml: &'y str) -> KeyLines<'y> {
        let mut first = rustc_hash::FxHashMap::default();
        for (n, l) in yaml.lines().enumerate() {
            let l = l.trim_start_matches(['"', '\'']);
            for colon in memchr::memchr_iter(b':', l.as_bytes()) {
                // A key ends anywhere in the quotes, then white space,
                // before the colon. A run longer than `RUN` offers only
                // its ends: a key that stops inside it (a quoted key with
                // trailing spaces) gets line 0, where taking every end
                // made a long run quadratic.
                const RUN: usize = 32;
                let spaced = l[..colon].trim_end().len();
                let quoted = l[..spaced].trim_end_matches(['"', '\'']).len();
                let mut add = |end: usize| {
                    if l.is_char_boundary(end) {
                        first.entry(&l[..end]).or_insert(n);
                    }
                };
                if colon - quoted <= RUN {
                    (quoted..=colon).for_each(&mut add);
                } else {
                    [quoted, spaced, colon].into_iter().for_each(&mut add);
                }
            }
        }
        KeyLines { first }
    }

    fn line(&self, key: &str) -> Option<usize> {
        self.first.get(key).copied()
    }
}

/// "a list", "a mapping", … for messages.
pub(crate) fn kind_of(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "empty",
        serde_yaml::Value::Bool(_) => "a true/false value",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "text",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_error_line_counts_from_top_of_file() {
        let text = "---\ntitle: ok\ntags: [a, b\n---\nbody\n";
        let s = split(text, "x.md").unwrap();
        let err = parse(s.yaml.unwrap(), s.yaml_line, "x.md").unwrap_err();
        assert_eq!(err.file, "x.md");
        assert!(
            err.line >= 3,
            "line {} should point into the YAML, not the block start",
            err.line
        );
    }

    #[test]
    fn key_lines_are_file_lines() {
        let text = "---\ntitle: x\nfixes: [a]\n---\n# Body\n";
        let s = split(text, "x.md").unwrap();
        let entries = parse(s.yaml.unwrap(), s.yaml_line, "x.md").unwrap();
        assert_eq!(entries[1].key, "fixes");
        assert_eq!(entries[1].line, 3);
        assert_eq!(s.body_line, 5);
        assert_eq!(s.body, "# Body\n");
    }

    /// The one-pass key lines answer as reading the lines for each key does.
    #[test]
    fn key_lines_match_a_search_per_key() {
        fn by_search(yaml: &str, key: &str) -> Option<usize> {
            yaml.lines().position(|l| {
                let l = l.trim_start_matches(['"', '\'']);
                l.strip_prefix(key).is_some_and(|rest| {
                    rest.trim_start_matches(['"', '\''])
                        .trim_start()
                        .starts_with(':')
                })
            })
        }
        let texts = crate::test_strings::with_random(
            &[
                "title: x\nfixes: [a]\n",
                "\"a:b\": 1\n'c' : 2\n  d: 3\nd: 4\n",
                "\"\": e\nx\" \" : y\né: 1\n",
            ],
            "ab:\"' \n\té",
            3000,
            30,
            0x6c8e_9cf5,
        );
        let keys = [
            "", "a", "b", "ab", "a:b", "a ", "a\"", "b'", " ", "é", "title", "d",
        ];
        let mut found = 0;
        for yaml in &texts {
            let lines = KeyLines::of(yaml);
            for key in keys {
                assert_eq!(lines.line(key), by_search(yaml, key), "{yaml:?} {key:?}");
                found += usize::from(by_search(yaml, key).is_some());
            }
        }
        assert!(found > 1000, "keys found: {found}");
    }

    /// A long run of spaces or quotes before a colon still gives the keys
    /// at its ends their line.
    #[test]
    fn long_runs_before_a_colon_keep_their_ends() {
        let yaml = format!(
            "a: 1\nkey{}: 2\n\"q{}\": 3\n",
            " ".repeat(100_000),
            "'".repeat(50_000)
        );
        let lines = KeyLines::of(&yaml);
        assert_eq!(lines.line("a"), Some(0));
        assert_eq!(lines.line("key"), Some(1));
        assert_eq!(lines.line("q"), Some(2));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\n", "x.md").is_err());
    }

    #[test]
    fn list_front_matter_is_rejected() {
        let e = parse("- a\n- b\n", 2, "x.md").unwrap_err();
        assert!(e.message.contains("a list"), "{}", e.message);
    }
}
