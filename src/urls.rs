//! Slugs, page paths and relative URLs: a leaf that every stage may use.
//!
//! Every link kbgen writes is relative and names `index.html` explicitly, so
//! the same output works from `file://` (where folders have no index page),
//! from a web root and under a sub-path.
//!
//! There is one slug rule, [`slug`]: lower-case ASCII letters and digits,
//! every other run of characters one `-`, none at either end. A
//! [`SlugRule`] says only which marks a kind of slug keeps and whether
//! other letters are transliterated (`café` → `cafe`).

/// The variants of the one slug rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlugRule {
    /// A path segment from a file name or a name: keeps `.` and `_`,
    /// transliterates other letters and digits.
    Path,
    /// A file name from a title (`kbgen new`): transliterates, keeps no marks.
    Title,
    /// A key of the search contract (event sources, codes without a
    /// table): ASCII letters and digits only, every other character a
    /// separator, because the browser's analyser (`kbgen-analyze.js`)
    /// computes the same key without a transliteration table.
    Key,
}

/// `text` as a slug under `rule`: ASCII letters and digits lower-cased,
/// the marks `rule` keeps kept, other letters and digits transliterated
/// when `rule` says so (one that has no transliteration is dropped), and
/// every other run of characters one `-`, none at either end.
pub(crate) fn slug(text: &str, rule: SlugRule) -> String {
    let keep: &[char] = match rule {
        SlugRule::Path => &['.', '_'],
        SlugRule::Title | SlugRule::Key => &[],
    };
    let mut out = String::with_capacity(text.len());
    let push = |a: char, out: &mut String| {
        if a.is_ascii_alphanumeric() {
            out.push(a.to_ascii_lowercase());
        } else if keep.contains(&a) {
            out.push(a);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in text.chars() {
        if c.is_ascii() || rule == SlugRule::Key || !c.is_alphanumeric() {
            // A non-ASCII character here is a separator (`push` makes it `-`).
            push(if c.is_ascii() { c } else { ' ' }, &mut out);
        } else if let Some(ascii) = deunicode::deunicode_char(c) {
            // Letters and digits are transliterated; symbols (`☕`, `→`)
            // are separators rather than spelled out as words.
            for a in ascii.chars() {
                push(a, &mut out);
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `../` repeated once per folder of `page_dir` (`a/b` → `../../`).
pub(crate) fn path_to_root(page_dir: &str) -> String {
    if page_dir.is_empty() {
        return String::new();
    }
    "../".repeat(page_dir.split('/').count())
}

/// The path of an absolute URL, ending in `/`
/// (`https://kb.example.com/docs` → `/docs/`, `https://x/` → `/`).
pub(crate) fn url_path(base: &str) -> String {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// One path segment made safe for every file system and URL: the
/// [`SlugRule::Path`] slug (lower-case letters, digits, `.`, `_` and `-`)
/// without a `.` at either end; Windows device names get a suffix.
pub(crate) fn slug_segment(s: &str) -> String {
    let out = slug(s, SlugRule::Path);
    let out = out.trim_matches(|c| c == '-' || c == '.').to_string();
    let out = if out.is_empty() {
        "untitled".to_string()
    } else {
        shorten(out)
    };
    let stem = out.split('.').next().unwrap_or("");
    let reserved = matches!(stem, "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        format!("{out}-page")
    } else {
        out
    }
}

/// Longest folder name kept whole: file systems stop at 255 bytes, and
/// kbgen's staging folders and `index.html` need room beside it.
const MAX_SEGMENT: usize = 80;

/// A segment longer than [`MAX_SEGMENT`] as its first 64 bytes and a hash
/// of the whole, so two long names stay apart and a name always gives the
/// same folder. `segment` is ASCII (a slug).
fn shorten(segment: String) -> String {
    if segment.len() <= MAX_SEGMENT {
        return segment;
    }
    // FNV-1a: stable across versions and platforms, unlike std's hasher.
    let hash = segment.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let head = segment[..64].trim_end_matches(['-', '.']);
    format!("{head}-{hash:08x}")
}

/// A free-form name (product, tag) as one URL segment. The symbols that
/// tell names apart (`C`, `C++`, `C#`; `.NET`, `NET`) are spelled out, so
/// distinct names get distinct pages.
pub(crate) fn slug_name(s: &str) -> String {
    let spelled = s.trim().replace('+', "-plus").replace('#', "-sharp");
    let spelled = match spelled.strip_prefix('.') {
        Some(rest) => format!("dot-{rest}"),
        None => spelled,
    };
    slug_segment(&spelled.replace('.', "-"))
}

/// Joins `rel` (a relative link in a file at `from_file`) onto that file's
/// folder, resolving `.` and `..`; `None` when it climbs above the root.
pub(crate) fn join_relative(from_file: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(path_to_root(""), "");
        assert_eq!(path_to_root("events/w3svc/1011"), "../../../");
        assert_eq!(
            join_relative("iis/a.md", "../linux/b.md"),
            Some("linux/b.md".into())
        );
        assert_eq!(join_relative("a.md", "../b.md"), None);
    }

    #[test]
    fn url_paths_end_in_a_slash() {
        assert_eq!(url_path("https://kb.example.com"), "/");
        assert_eq!(url_path("https://kb.example.com/"), "/");
        assert_eq!(url_path("https://kb.example.com/docs/kb"), "/docs/kb/");
        assert_eq!(url_path("http://127.0.0.1:8000/kb/?x=1"), "/kb/");
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slug_segment("My Article (2)"), "my-article-2");
        assert_eq!(slug_segment("CON"), "con-page");
        assert_eq!(slug_segment("../.."), "untitled");
        assert_eq!(
            slug_segment("resolver.adr.recipnotfound"),
            "resolver.adr.recipnotfound"
        );
        assert_eq!(slug_name("Windows Server 2019"), "windows-server-2019");
        assert_eq!(slug_name("IIS 8.5"), "iis-8-5");
        assert_eq!(slug_segment("-.a_b-"), "a_b");
    }

    #[test]
    fn one_slug_rule_transliterates_except_search_keys() {
        assert_eq!(slug_segment("Café Crème"), "cafe-creme");
        assert_eq!(slug_name("Überprüfung 2.0"), "uberprufung-2-0");
        assert_eq!(slug("Café → menu", SlugRule::Title), "cafe-menu");
        assert_eq!(slug("a_b.c", SlugRule::Title), "a-b-c");
        assert_eq!(slug("Café_Service", SlugRule::Key), "caf-service");
        assert_eq!(
            slug("  MSSQL$SQLEXPRESS ", SlugRule::Key),
            "mssql-sqlexpress"
        );
    }
}
