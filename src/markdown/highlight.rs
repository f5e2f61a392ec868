//! Code highlighting at build time, for the languages troubleshooting
//! articles use (PowerShell, cmd/batch, bash, SQL, XML, JSON, INI and
//! registry files, C#): a fenced block tagged with one of them becomes
//! `<span class="hl-…">` runs named after the grammar's scopes, coloured
//! by kb.css for light, dark and print. No script runs in the reader's
//! browser. Grammars: syntect, with the extra grammars of `two-face`
//! (PowerShell and INI are not in syntect's own set). Its regexes run on
//! Oniguruma: two-face leaves PowerShell out with the pure-Rust engine,
//! and PowerShell is the language these articles use most.
//! Other blocks (`console`, `output`, untagged) stay plain.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::sync::LazyLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Longer blocks are left plain: highlighting cost grows with the text,
/// and a log pasted whole gains nothing from colour.
const MAX_BYTES: usize = 64 * 1024;

/// The grammar for a fence's language tag, among those highlighted.
fn syntax(tag: &str) -> Option<&'static SyntaxReference> {
    let lang = tag.split([' ', ',', '{']).next()?.to_ascii_lowercase();
    let token = match lang.as_str() {
        "powershell" | "ps" | "ps1" | "pwsh" | "azurepowershell" => "ps1",
        "cmd" | "bat" | "batch" | "dos" => "bat",
        "bash" | "sh" | "shell" | "zsh" => "sh",
        "sql" | "tsql" | "t-sql" | "mysql" | "postgresql" | "plsql" => "sql",
        "xml" | "config" | "xaml" | "csproj" => "xml",
        "json" | "jsonc" => "json",
        "ini" | "reg" | "registry" | "inf" => "ini",
        "csharp" | "cs" | "c#" => "cs",
        _ => return None,
    };
    SYNTAXES.find_syntax_by_extension(token)
}

/// `code` as highlighted HTML (inside `<pre><code>`), or `None` when the
/// grammar fails on it.
fn to_html(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, style);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(gen.finalize())
}

/// Replaces each highlightable fenced block of `events` by its HTML.
pub(crate) fn highlight(events: Vec<(Event<'_>, usize)>) -> Vec<(Event<'_>, usize)> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some((event, at)) = iter.next() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info))) = event else {
            out.push((event, at));
            continue;
        };
        let Some(syntax) = syntax(info) else {
            out.push((event, at));
            continue;
        };
        let lang = info
            .split([' ', ',', '{'])
            .next()
            .unwrap_or_default()
            .to_string();
        let mut inner = Vec::new();
        let mut code = String::new();
        for (e, pos) in iter.by_ref() {
            if matches!(e, Event::End(TagEnd::CodeBlock)) {
                inner.push((e, pos));
                break;
            }
            if let Event::Text(t) = &e {
                code.push_str(t);
            }
            inner.push((e, pos));
        }
        match (code.len() <= MAX_BYTES)
            .then(|| to_html(&code, syntax))
            .flatten()
        {
            Some(html) => {
                let lang: String = lang
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                let block = format!(
                    "<pre class=\"hl\"><code class=\"language-{lang}\">{html}</code></pre>\n"
                );
                out.push((Event::Html(CowStr::from(block)), at));
            }
            None => {
                out.push((event, at));
                out.extend(inner);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_language_has_a_grammar() {
        for tag in [
            "powershell",
            "cmd",
            "bash",
            "sql",
            "xml",
            "json",
            "ini",
            "reg",
            "csharp",
        ] {
            assert!(syntax(tag).is_some(), "{tag}");
        }
        assert!(syntax("console").is_none());
    }

    #[test]
    fn powershell_is_highlighted_and_escaped() {
        let html = to_html(
            "Get-Service -Name \"W3SVC\" # <check>\n",
            syntax("powershell").unwrap(),
        )
        .unwrap();
        assert!(html.contains("hl-comment"), "{html}");
        assert!(html.contains("hl-string"), "{html}");
        assert!(html.contains("&lt;check&gt;"), "{html}");
    }
}
