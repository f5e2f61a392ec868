//! Where a link or image written in an article goes, and whether kbgen
//! may emit it at all.
//!
//! Receives a URL as written, the article's content path, the site's pages
//! and content files, and the settings; gives a [`LinkTarget`] and records
//! which content files the article links (only those are published). It
//! refuses what would hurt a reader: URLs that run script, links to active
//! content or secrets, and URLs that make a browser contact another host by
//! themselves (`//host/…`, `\\host\…`, `file:`, which under `file://` become
//! SMB requests that can carry the reader's Windows credentials, and remote
//! images unless `https_images` is on).

use crate::config::Settings;
use crate::markdown::LinkTarget;
use crate::urls::join_relative;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Resolves the links of one article and remembers the files it links.
pub(crate) struct Resolver<'a> {
    /// Content path of the article.
    pub(crate) from: &'a str,
    /// Path from its page to the site root.
    pub(crate) root: &'a str,
    /// Content path → page file, for every document.
    pub(crate) pages: &'a BTreeMap<String, String>,
    /// Every non-Markdown file of the content folder.
    pub(crate) assets: &'a BTreeSet<&'a str>,
    /// The attachment policy and the remote image switch.
    pub(crate) settings: &'a Settings,
    /// Content files linked so far.
    pub(crate) linked: RefCell<BTreeSet<String>>,
}

impl Resolver<'_> {
    /// The target of `url`, written as an image when `image`.
    pub(crate) fn resolve(&self, url: &str, image: bool) -> LinkTarget {
        if let Some(refused) = remote_refusal(url, image, self.settings.https_images) {
            return refused;
        }
        match locate(url, self.from, self.pages, self.assets) {
            Located::Asset(target, fragment) => {
                if let Some(reason) = self.settings.attachments.refusal(&target) {
                    return LinkTarget::Refused {
                        reason,
                        help: crate::load::attachments::HELP.into(),
                    };
                }
                let url = format!("{}{target}{fragment}", self.root);
                self.linked.borrow_mut().insert(target);
                LinkTarget::Rewritten(url)
            }
            Located::Page(page, fragment) => {
                LinkTarget::Rewritten(format!("{}{page}{fragment}", self.root))
            }
            Located::Other(t) => t,
        }
    }

    /// The content files linked, sorted.
    pub(crate) fn into_linked(self) -> Vec<String> {
        self.linked.into_inner().into_iter().collect()
    }
}

/// Refuses URLs that reach another host by themselves: `//host`,
/// `\\host`, `file:` always; `http:` images always and `https:` images
/// unless allowed.
fn remote_refusal(url: &str, image: bool, https_images: bool) -> Option<LinkTarget> {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let what = if image { "an image" } else { "a link" };
    let host_relative = compact.len() >= 2 && compact[..2].chars().all(|c| c == '/' || c == '\\');
    if host_relative || compact.starts_with("file:") {
        return Some(LinkTarget::Refused {
            reason: format!(
                "{what} to another machine's files: opened from `file://`, a browser asks for it \
                 over SMB, which can send the reader's Windows credentials"
            ),
            help: "copy the file into kb/ beside the article and link it by a relative path".into(),
        });
    }
    let http = compact.starts_with("http:");
    if image && (http || (compact.starts_with("https:") && !https_images)) {
        return Some(LinkTarget::Refused {
            reason: "a remote image: its host learns who reads the article, and it breaks offline"
                .into(),
            help: "copy the image into kb/ beside the article and link it by a relative path, \
                   or set `https_images = true` in kb.toml to allow https images"
                .into(),
        });
    }
    None
}

/// What a URL names before the policies are applied.
enum Located {
    /// A document's page (page file, `#fragment` or `?query` kept).
    Page(String, String),
    /// A content file (content path, fragment).
    Asset(String, String),
    /// Left as is, or broken.
    Other(LinkTarget),
}

/// Where a link written in `from` (a content path) goes, with no policy but
/// the script-scheme check. For the fuzz target, which has no settings.
#[cfg(feature = "fuzzing")]
pub(crate) fn resolve_link(
    url: &str,
    from: &str,
    root: &str,
    pages: &BTreeMap<String, String>,
    assets: &BTreeSet<&str>,
) -> LinkTarget {
    match locate(url, from, pages, assets) {
        Located::Page(page, fragment) => LinkTarget::Rewritten(format!("{root}{page}{fragment}")),
        Located::Asset(target, fragment) => {
            LinkTarget::Rewritten(format!("{root}{target}{fragment}"))
        }
        Located::Other(t) => t,
    }
}

fn locate(
    url: &str,
    from: &str,
    pages: &BTreeMap<String, String>,
    assets: &BTreeSet<&str>,
) -> Located {
    let is_external = url.is_empty()
        || url.starts_with('#')
        || url.starts_with('/')
        || url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if is_external {
        return Located::Other(match unsafe_scheme(url) {
            Some(scheme) => LinkTarget::Broken(format!(
                "a `{scheme}:` link can run code in readers' browsers, so kbgen leaves it out"
            )),
            None => LinkTarget::Unchanged,
        });
    }
    let (path, fragment) = match url.find(['#', '?']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let path = percent_decode(path);
    let Some(target) = join_relative(from, &path) else {
        return Located::Other(LinkTarget::Broken(
            "it points above the content folder".into(),
        ));
    };
    if let Some(page) = pages.get(&target) {
        return Located::Page(page.clone(), fragment.into());
    }
    if assets.contains(target.as_str()) {
        return Located::Asset(target, fragment.into());
    }
    let is_doc = target.ends_with(".md") || target.ends_with(".markdown");
    Located::Other(LinkTarget::Broken(if is_doc {
        format!("no article `{target}` in the content folder")
    } else {
        format!("no file `{target}` in the content folder")
    }))
}

/// The scheme of `url` when a reader's browser would run it as script
/// (`javascript:`, `vbscript:`, `data:` other than a raster image). Other
/// schemes (`ms-settings:`, `ssh:`) only hand the link to another program.
/// Browsers ignore whitespace and control characters inside a scheme, so
/// we do too.
pub(crate) fn unsafe_scheme(url: &str) -> Option<String> {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let (scheme, rest) = compact.split_once(':')?;
    if scheme.is_empty() || scheme.contains(['/', '#', '?']) {
        return None;
    }
    let raster_image = rest.starts_with("image/") && !rest.starts_with("image/svg");
    let runs_script = matches!(scheme, "javascript" | "vbscript" | "livescript")
        || (scheme == "data" && !raster_image);
    runs_script.then(|| scheme.to_string())
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .map_or(Err(()), |h| u8::from_str_radix(h, 16).map_err(|_| ()))
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::remote_refusal;

    #[test]
    fn unc_host_relative_and_file_urls_are_refused_for_links_and_images() {
        for url in [
            "//host/share/a.png",
            "\\\\host\\share\\b.png",
            "/\\host/x",
            " file:///C:/x.png",
            "FILE://host/x",
        ] {
            assert!(remote_refusal(url, true, true).is_some(), "{url}");
            assert!(remote_refusal(url, false, true).is_some(), "{url}");
        }
    }

    #[test]
    fn remote_images_need_the_switch_and_https() {
        assert!(remote_refusal("https://x.example/a.png", true, false).is_some());
        assert!(remote_refusal("https://x.example/a.png", true, true).is_none());
        assert!(remote_refusal("http://x.example/a.png", true, true).is_some());
        assert!(remote_refusal("https://x.example/", false, false).is_none());
        assert!(remote_refusal("img/a.png", true, false).is_none());
    }
}
