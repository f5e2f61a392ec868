//! The text of new files: what `kbgen new` writes for an article or a fix,
//! and the starter knowledge base of `kbgen init`.
//!
//! It receives a title (and the date) and returns relative paths and file
//! texts; the commands decide where to write them and refuse to overwrite.
//! Every scaffold builds as written: placeholders are empty lists, comments
//! and italic prose lines, never invented codes or events. `kbgen check`
//! warns about each italic placeholder line still there ([`placeholders`]),
//! so a stub is not published as it stands.

use crate::model::date::Date;
use crate::urls::{slug_segment, SlugRule};

/// The italic placeholder lines of the article and fix templates (a
/// `{{…}}` in them matches any text), as `kbgen check` looks for them.
pub(crate) fn placeholders() -> &'static [regex::Regex] {
    static LINES: std::sync::OnceLock<Vec<regex::Regex>> = std::sync::OnceLock::new();
    LINES.get_or_init(|| {
        let hole = regex::Regex::new(r"\{\{[a-z]+\}\}").unwrap();
        ARTICLE
            .lines()
            .chain(FIX.lines())
            .map(str::trim)
            .filter(|l| l.trim_start_matches("1. ").starts_with('*') && l.ends_with('*'))
            .map(|l| {
                let parts: Vec<String> = hole.split(l).map(regex::escape).collect();
                regex::Regex::new(&format!("^{}$", parts.join(".+"))).unwrap()
            })
            .collect()
    })
}

/// Longest slug made from a title, in characters (cut at a word boundary).
pub const MAX_SLUG: usize = 60;

const ARTICLE: &str = include_str!("scaffold/article.md");
const FIX: &str = include_str!("scaffold/fix.md");

/// The file name (without `.md`) for a title: lower-case ASCII words joined
/// by `-`, non-ASCII letters transliterated (`Überprüfung` → `uberprufung`,
/// `Ошибка` → `oshibka`), at most [`MAX_SLUG`] characters. `None` when
/// nothing usable is left.
pub fn slug(title: &str) -> Option<String> {
    let mut out = crate::urls::slug(title, SlugRule::Title);
    if out.len() > MAX_SLUG {
        let cut = out[..=MAX_SLUG]
            .rfind('-')
            .filter(|&i| i > MAX_SLUG / 2)
            .unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    // Windows device names (`con`, `aux`…) get a suffix, as page paths do.
    (!out.is_empty()).then(|| slug_segment(&out))
}

/// A title as typed on a command line, with runs of white space (newlines
/// included) made one space; `None` when empty.
pub fn clean_title(title: &str) -> Option<String> {
    let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// Where a new article goes, relative to the content folder:
/// `[dir/]slug.md`. `dir` must be a plain relative folder that is not
/// `fixes/` (that is where fixes go) nor a folder of kbgen's own pages.
pub fn article_path(dir: Option<&str>, slug: &str) -> Result<String, String> {
    let Some(dir) = dir.filter(|d| !d.trim_matches('/').is_empty()) else {
        return Ok(format!("{slug}.md"));
    };
    let parts: Vec<&str> = dir.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    if dir.starts_with(['/', '\\']) || dir.contains(':') || parts.iter().any(|p| p.starts_with('.'))
    {
        return Err(format!(
            "--dir `{dir}` must be a folder inside the content folder, like `iis` or `windows/setup`"
        ));
    }
    let top = parts[0].to_ascii_lowercase();
    if top == "fixes" {
        return Err(
            "articles cannot go under fixes/: write `kbgen new fix \"<title>\"` for a fix".into(),
        );
    }
    if crate::model::RESERVED.contains(&top.as_str()) {
        return Err(format!(
            "--dir `{dir}` would collide with kbgen's own `{top}/` pages; choose another folder"
        ));
    }
    Ok(format!("{}/{slug}.md", parts.join("/")))
}

/// The files of a new knowledge base, relative to its folder: `kb.toml`
/// with every key documented, `.gitignore`, and under `kb/` one example
/// article and the fix it links to. Together they build with no warning.
pub const STARTER: &[(&str, &str)] = &[
    ("kb.toml", include_str!("scaffold/init/kb.toml")),
    (".gitignore", include_str!("scaffold/init/gitignore")),
    (
        "kb/windows/service-logon-failure-7000.md",
        include_str!("scaffold/init/kb/windows/service-logon-failure-7000.md"),
    ),
    (
        "kb/fixes/update-service-account-password.md",
        include_str!("scaffold/init/kb/fixes/update-service-account-password.md"),
    ),
];

/// Where a new fix goes, relative to the content folder.
pub fn fix_path(id: &str) -> String {
    format!("fixes/{id}.md")
}

/// The scaffold of an article.
pub fn article(title: &str, date: Date) -> String {
    ARTICLE
        .replace("{{title}}", &yaml_string(title))
        .replace("{{date}}", &date.to_string())
        .replace("{{heading}}", &markdown_text(title))
}

/// The scaffold of a fix whose id is `id`.
pub fn fix(id: &str, title: &str) -> String {
    FIX.replace("{{id}}", id)
        .replace("{{title}}", &yaml_string(title))
        .replace("{{heading}}", &markdown_text(title))
}

/// A YAML double-quoted scalar.
fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text that Markdown shows as written (`<`, `*`, `_`… escaped).
fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Today's date in UTC (the standard library has no time zones).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_unix_days((secs / 86_400) as i64)
}

#[cfg(test)]
mod tests;
