//! Code highlighting at build time, for the languages troubleshooting
//! articles use (PowerShell, cmd/batch, bash, SQL, XML, JSON, INI and
//! registry files, C#): a fenced block tagged with one of them becomes
//! `<span class="hl-…">` runs of nine kinds (comment, string, number,
//! keyword, variable, function, parameter, tag, attribute), coloured by
//! kb.css for light, dark and print. No script runs in the reader's
//! browser. Other blocks (`console`, `output`, untagged) stay plain.
//!
//! A lexer of our own rather than a grammar engine: syntect's TextMate
//! grammars searched every pattern at every position, 12% of a real
//! corpus's build (docs/profile.md), and wrote ten bytes of nested scope
//! spans per byte of PowerShell, for the same nine colours. These lexers
//! make one pass over the bytes ([`code`], [`markup`]).

mod code;
mod langs;
mod markup;
mod out;

use out::Out;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

/// Longer blocks are left plain: a log pasted whole gains nothing from
/// colour, and its page stays small.
const MAX_BYTES: usize = 64 * 1024;

/// How a language is highlighted.
#[derive(Clone, Copy)]
enum Lexer {
    Code(&'static code::Rules),
    Xml,
    Ini,
}

/// The lexer for a fence's language tag, among those highlighted.
fn lexer(tag: &str) -> Option<Lexer> {
    let lang = tag.split([' ', ',', '{']).next()?.to_ascii_lowercase();
    Some(match lang.as_str() {
        "powershell" | "ps" | "ps1" | "pwsh" | "azurepowershell" => Lexer::Code(&langs::POWERSHELL),
        "cmd" | "bat" | "batch" | "dos" => Lexer::Code(&langs::BATCH),
        "bash" | "sh" | "shell" | "zsh" => Lexer::Code(&langs::BASH),
        "sql" | "tsql" | "t-sql" | "mysql" | "postgresql" | "plsql" => Lexer::Code(&langs::SQL),
        "csharp" | "cs" | "c#" => Lexer::Code(&langs::CSHARP),
        "json" | "jsonc" => Lexer::Code(&langs::JSON),
        "xml" | "config" | "xaml" | "csproj" => Lexer::Xml,
        "ini" | "reg" | "registry" | "inf" => Lexer::Ini,
        _ => return None,
    })
}

/// `code` as highlighted HTML (inside `<pre><code>`).
fn to_html(code: &str, lexer: Lexer) -> String {
    let mut out = Out::with_capacity(code.len());
    match lexer {
        Lexer::Code(rules) => code::lex(code, rules, &mut out),
        Lexer::Xml => markup::xml(code, &mut out),
        Lexer::Ini => markup::ini(code, &mut out),
    }
    out.finish()
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
        let Some(lexer) = lexer(info) else {
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
        match (code.len() <= MAX_BYTES).then(|| to_html(&code, lexer)) {
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
mod tests;
