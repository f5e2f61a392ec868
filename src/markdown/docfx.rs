//! DocFX extensions used by Microsoft's articles, rewritten to plain Markdown
//! before parsing. Every rewrite keeps the number of lines, so positions in
//! diagnostics still match the file.

/// An `[!INCLUDE]` found in the text (not resolved: the included file is not
/// part of the content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Include {
    /// 1-based line in the body.
    pub line: usize,
    /// The include's target as written.
    pub target: String,
}

/// Rewrites `:::image … :::`, `:::no-loc text="…":::` and `[!INCLUDE …]`.
pub(crate) fn preprocess(body: &str) -> (String, Vec<Include>) {
    if !body.contains(":::") && !body.contains("[!INCLUDE") {
        return (body.to_string(), Vec::new());
    }
    let mut includes = Vec::new();
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split_inclusive('\n').enumerate() {
        // Most lines have no directive: copied as they are, without a
        // string of their own and four searches for what is not there
        // (a byte search first: most lines have neither `:` nor `[`).
        let directive = (line.contains(':') && line.contains(":::"))
            || (line.contains('[') && line.contains("[!INCLUDE"));
        if !directive {
            out.push_str(line);
            continue;
        }
        let mut line = line.to_string();
        while let Some(start) = line.find(":::no-loc text=\"") {
            let Some(len) = line[start + 16..].find("\":::") else {
                break;
            };
            let text = line[start + 16..start + 16 + len].replace("\\\\", "\\");
            line.replace_range(start..start + 16 + len + 4, &text);
        }
        if let Some(start) = line.find(":::image ") {
            if let Some(end) = line[start + 9..].find(":::").map(|e| start + 9 + e + 3) {
                let tag = &line[start..end];
                let src = attr(tag, "source").unwrap_or_default();
                let alt = attr(tag, "alt-text")
                    .unwrap_or_default()
                    .replace(['[', ']'], "");
                line.replace_range(start..end, &format!("![{alt}]({src})"));
            }
        }
        line = line.replace(":::image-end:::", "");
        if let Some(d) = find_include(&line) {
            line.replace_range(
                d.start..d.end,
                &format!("*(Included content not available: {})*", d.title),
            );
            includes.push(Include {
                line: i + 1,
                target: d.target,
            });
        }
        out.push_str(&line);
    }
    (out, includes)
}

/// An `[!INCLUDE [title](target)]` on a line: where it is and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Directive {
    /// Byte range of the directive in the line.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// The title as written.
    pub title: String,
    /// The target as written (empty when there is none).
    pub target: String,
}

/// The first `[!INCLUDE …]` of `line`, if any.
pub(crate) fn find_include(line: &str) -> Option<Directive> {
    let start = line.find("[!INCLUDE")?;
    let rest = &line[start..];
    let target = rest
        .split_once("](")
        .and_then(|(_, r)| r.split_once(')'))
        .map(|(t, _)| t.trim().to_string())
        .unwrap_or_default();
    let title = rest
        .split_once('[')
        .and_then(|(_, r)| r.split_once('['))
        .and_then(|(_, r)| r.split_once(']'))
        .map(|(t, _)| t.to_string())
        .unwrap_or_default();
    let end = rest
        .find(")]")
        .map_or(line.trim_end().len(), |e| start + e + 2);
    Some(Directive {
        start,
        end,
        title,
        target,
    })
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_and_noloc_become_markdown() {
        let (out, _) = preprocess(":::image type=\"content\" source=\"media/a.png\" alt-text=\"The dialog\":::\nPath *:::no-loc text=\"C:\\\\x\":::* ok\n");
        assert_eq!(out, "![The dialog](media/a.png)\nPath *C:\\x* ok\n");
    }

    #[test]
    fn includes_are_reported_and_lines_kept() {
        let (out, inc) =
            preprocess("a\n[!INCLUDE [Third-party disclaimer](../../includes/x.md)]\nb\n");
        assert_eq!(out.lines().count(), 3);
        assert!(out.contains("Included content not available: Third-party disclaimer"));
        assert_eq!(
            inc,
            vec![Include {
                line: 2,
                target: "../../includes/x.md".into()
            }]
        );
    }
}
