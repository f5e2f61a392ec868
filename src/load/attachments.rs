//! Which files of the content folder may be published beside the pages.
//!
//! Receives a content path (`iis/trace.log`) and the allow-list from
//! `kb.toml`; gives a verdict: published when an article links it, or
//! refused with the reason. It exists because a content folder is written
//! by many people and opened by everyone: an `.html`, `.svg` or `.js` file
//! published with the site runs its script with the site's origin (past the
//! sanitiser and the CSP of the pages), and a private key dropped into the
//! folder must not reach readers.

use std::collections::BTreeSet;

/// Extensions published by default: raster images, PDFs, text, logs and
/// archives. None of them runs script when a browser opens it.
pub(crate) const DEFAULT_TYPES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "pdf", "txt", "log", "csv", "evtx",
    "etl", "cab", "zip", "7z", "gz", "tgz", "tar", "xz", "bz2",
];

/// Extensions a browser runs or renders as a document with script: never
/// published, even when `attachment_types` lists them.
const ACTIVE: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "shtm", "mht", "mhtml", "js", "mjs", "cjs", "xml",
    "xsl", "xslt", "xsd", "hta", "swf", "wasm", "svgz", "php", "asp", "aspx", "jsp",
];

/// The attachment types a site publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    allowed: BTreeSet<String>,
}

impl Policy {
    /// A policy allowing `types` (extensions, with or without a dot, any case).
    pub fn new(types: &[String]) -> Policy {
        let allowed = types
            .iter()
            .map(|t| t.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        Policy { allowed }
    }

    /// `None` when `rel_path` may be published, else why not.
    pub fn refusal(&self, rel_path: &str) -> Option<String> {
        let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
        if let Some(kind) = looks_secret(name) {
            return Some(format!(
                "`{rel_path}` looks like {kind}; kbgen never publishes such files"
            ));
        }
        let ext = extension(name);
        if ACTIVE.contains(&ext.as_str()) || (ext == "svg" && !self.allowed.contains("svg")) {
            return Some(format!(
                "`{rel_path}` is active content (a `.{ext}` file can run script in \
                 readers' browsers with the site's rights); kbgen does not publish it"
            ));
        }
        if !self.allowed.contains(&ext) {
            let shown = if ext.is_empty() {
                "a file without an extension".to_string()
            } else {
                format!("a `.{ext}` file")
            };
            return Some(format!(
                "`{rel_path}` is {shown}, not an attachment type kbgen publishes"
            ));
        }
        None
    }
}

impl Default for Policy {
    fn default() -> Self {
        let types: Vec<String> = DEFAULT_TYPES.iter().map(|t| t.to_string()).collect();
        Policy::new(&types)
    }
}

/// The help line for a refused attachment.
pub(crate) const HELP: &str =
    "link an image, PDF, text file or archive instead (the allow-list is \
     `attachment_types` in kb.toml); active content and secrets are never published";

fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// What a file name suggests it holds, when that is a secret.
pub(crate) fn looks_secret(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let key_names = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "identity"];
    if key_names.contains(&lower.as_str()) {
        return Some("an SSH private key");
    }
    let env = lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env");
    if env
        || matches!(
            lower.as_str(),
            ".netrc" | "_netrc" | ".htpasswd" | ".pgpass"
        )
    {
        return Some("a file of passwords or tokens");
    }
    if lower == "credentials" || lower.starts_with("credentials.") {
        return Some("a file of passwords or tokens");
    }
    match extension(&lower).as_str() {
        "pem" | "key" | "ppk" | "p8" => Some("a private key"),
        "pfx" | "p12" | "jks" | "keystore" => Some("a certificate store with private keys"),
        "kdbx" | "kdb" => Some("a password database"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_pdfs_text_and_archives_pass_by_default() {
        let p = Policy::default();
        for ok in [
            "a.png",
            "x/B.JPG",
            "doc.pdf",
            "trace.log",
            "notes.txt",
            "dump.zip",
        ] {
            assert_eq!(p.refusal(ok), None, "{ok}");
        }
    }

    #[test]
    fn active_content_is_refused_even_when_listed() {
        let p = Policy::new(&["html".into(), ".JS".into(), "png".into()]);
        for bad in ["page.html", "x/a.HTM", "payload.js", "evil.svg", "feed.xml"] {
            let why = p.refusal(bad).unwrap_or_default();
            assert!(why.contains("active content"), "{bad}: {why}");
        }
    }

    #[test]
    fn svg_is_published_only_when_listed() {
        assert!(Policy::default().refusal("d.svg").is_some());
        assert_eq!(Policy::new(&["svg".into()]).refusal("d.svg"), None);
    }

    #[test]
    fn secrets_are_refused_even_when_listed() {
        let p = Policy::new(&["key".into(), "pem".into()]);
        for bad in [
            "id_rsa",
            "a/server.key",
            "cert.PEM",
            "store.pfx",
            "prod.env",
            ".env",
        ] {
            assert!(
                looks_secret(bad.rsplit('/').next().unwrap()).is_some(),
                "{bad}"
            );
            assert!(p.refusal(bad).is_some(), "{bad}");
        }
        assert_eq!(looks_secret("id_rsa.pub"), None);
        assert_eq!(looks_secret("keyboard.png"), None);
    }

    #[test]
    fn unknown_types_and_bare_names_are_not_published() {
        let p = Policy::default();
        assert!(p.refusal("payload.exe").unwrap().contains("`.exe`"));
        assert!(p
            .refusal("README")
            .unwrap()
            .contains("without an extension"));
    }
}
