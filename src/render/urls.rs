//! Page paths and relative URLs. Every link kbgen writes is relative and
//! names `index.html` explicitly, so the same output works from `file://`
//! (where folders have no index page), from a web root and under a sub-path.

/// `../` repeated once per folder of `page_dir` (`a/b` → `../../`).
pub fn path_to_root(page_dir: &str) -> String {
    if page_dir.is_empty() {
        return String::new();
    }
    "../".repeat(page_dir.split('/').count())
}

/// One path segment made safe for every file system and URL: lower-case
/// letters, digits, `.`, `_` and `-`; Windows device names get a suffix.
pub fn slug_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
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
pub fn slug_name(s: &str) -> String {
    let spelled = s.trim().replace('+', "-plus").replace('#', "-sharp");
    let spelled = match spelled.strip_prefix('.') {
        Some(rest) => format!("dot-{rest}"),
        None => spelled,
    };
    slug_segment(&spelled.replace('.', "-"))
}

/// Joins `rel` (a relative link in a file at `from_file`) onto that file's
/// folder, resolving `.` and `..`; `None` when it climbs above the root.
pub fn join_relative(from_file: &str, rel: &str) -> Option<String> {
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
    }
}
