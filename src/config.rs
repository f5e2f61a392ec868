//! `kb.toml` as written by the user ([`KbConfig`]) and the resolved
//! [`Settings`] that the pipeline stages actually see.
//!
//! Every key has a default, so a missing or empty `kb.toml` still builds.
//! Command-line flags override the file; paths in the file are relative to
//! the folder that holds it.

use crate::diag::{line_col, Diagnostic};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to do with links that point at nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    /// A broken link is an error and stops the build.
    #[default]
    Error,
    /// A broken link is reported as a warning; the link text stays, without a target.
    Warn,
}

impl std::str::FromStr for LinkPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "error" => Ok(LinkPolicy::Error),
            "warn" | "warning" => Ok(LinkPolicy::Warn),
            other => Err(format!("expected `error` or `warn`, found `{other}`")),
        }
    }
}

/// The contents of `kb.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KbConfig {
    /// Site title, shown in the header and the feed.
    pub title: String,
    /// One-line description for the home page and the feed.
    pub description: String,
    /// Language of the content, as an HTML `lang` value.
    pub language: String,
    /// Absolute URL the site is published at; only used for sitemap and feed
    /// entries, which must be absolute. Page links stay relative.
    pub base_url: Option<String>,
    /// Theme name: templates in `themes/<name>/templates` override the built-in ones.
    pub theme: String,
    /// Content folder, relative to this file.
    pub source_dir: String,
    /// Output folder, relative to this file.
    pub output_dir: String,
    /// Whether broken links are errors or warnings.
    pub broken_links: LinkPolicy,
    /// Build articles marked `draft: true` too.
    pub drafts: bool,
    /// Largest Markdown file read, in bytes; larger files are reported and skipped.
    pub max_file_bytes: u64,
    /// Extra event source aliases: alias → canonical source name.
    pub source_aliases: BTreeMap<String, String>,
    /// Keep raw HTML in articles as written, scripts included. Off by
    /// default: raw HTML is sanitised, because anyone who can edit an
    /// article could otherwise run script in every reader's browser.
    pub trusted_html: bool,
    /// File extensions (without the dot, any case) that articles may link
    /// or show as attachments. Active content (`html`, `js`, `xhtml`, …)
    /// is refused even when listed; `svg` is left out by default because
    /// an SVG can hold script.
    pub attachment_types: Vec<String>,
    /// Let articles show images from `https://` hosts. Off by default: a
    /// remote image tells its host who reads which article.
    pub https_images: bool,
    /// How often an article must be verified (`12 months`), when its front
    /// matter gives no `review_every`. None: articles are never overdue.
    pub review_every: Option<String>,
    /// "Edit this page" link: a URL with `{path}`, the file's path under
    /// the content folder.
    pub edit_url: Option<String>,
    /// The `[search]` table.
    pub search: SearchConfig,
}

/// `[search]` in kb.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// An OpenSearch/Elasticsearch `_search` URL the search page queries
    /// instead of the static index (see `kbgen export --format opensearch`).
    pub endpoint: Option<String>,
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig {
            title: "Knowledge base".into(),
            description: String::new(),
            language: "en".into(),
            base_url: None,
            theme: "default".into(),
            source_dir: "kb".into(),
            output_dir: "public".into(),
            broken_links: LinkPolicy::Error,
            drafts: false,
            max_file_bytes: 8 * 1024 * 1024,
            source_aliases: BTreeMap::new(),
            trusted_html: false,
            attachment_types: crate::load::attachments::DEFAULT_TYPES
                .iter()
                .map(|t| t.to_string())
                .collect(),
            https_images: false,
            review_every: None,
            edit_url: None,
            search: SearchConfig::default(),
        }
    }
}

impl KbConfig {
    /// Parses and validates the text of a `kb.toml`; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<KbConfig, Diagnostic> {
        let cfg: KbConfig = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
            Diagnostic::error(file, line, col, format!("invalid kb.toml: {}", e.message()))
                .hint("see the kb.toml reference in README.md")
        })?;
        if let Some(url) = &cfg.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                let (line, col) = find_key(text, "base_url");
                return Err(Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("base_url `{url}` is not an absolute http(s) URL"),
                )
                .hint("write base_url = \"https://kb.example.com/\" or leave it out"));
            }
        }
        if let Some(every) = &cfg.review_every {
            if crate::model::freshness::Interval::parse(every).is_none() {
                let (line, col) = find_key(text, "review_every");
                return Err(Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("review_every `{every}` is not a period"),
                )
                .hint("write a number and a unit: review_every = \"12 months\" (days, weeks, months or years)"));
            }
        }
        for (key, url) in [
            ("edit_url", &cfg.edit_url),
            ("endpoint", &cfg.search.endpoint),
        ] {
            if url
                .as_ref()
                .is_some_and(|u| !(u.starts_with("http://") || u.starts_with("https://")))
            {
                let (line, col) = find_key(text, key);
                return Err(Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("{key} is not an absolute http(s) URL"),
                )
                .hint(format!("write {key} = \"https://…\" or leave it out")));
            }
        }
        Ok(cfg)
    }
}

fn find_key(text: &str, key: &str) -> (usize, usize) {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or((0, 0), |i| (i + 1, 1))
}

/// Site-wide values that templates show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SiteInfo {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// HTML `lang`.
    pub language: String,
    /// Absolute base URL with a trailing slash, when configured.
    pub base_url: Option<String>,
    /// "Edit this page" URL with `{path}`, when configured.
    pub edit_url: Option<String>,
    /// OpenSearch `_search` URL the search page queries, when configured.
    pub search_endpoint: Option<String>,
}

/// Resolved settings: what the stages use. Built from `kb.toml` and flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Content folder.
    pub source: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Folder searched for `themes/<name>/` (the folder of `kb.toml`).
    pub project_dir: PathBuf,
    /// Theme name.
    pub theme: String,
    /// Site-wide values.
    pub site: SiteInfo,
    /// Broken link policy.
    pub broken_links: LinkPolicy,
    /// Build drafts too.
    pub drafts: bool,
    /// Largest Markdown file read.
    pub max_file_bytes: u64,
    /// Extra event source aliases from kb.toml.
    pub source_aliases: BTreeMap<String, String>,
    /// Raw HTML in articles is kept as written (not sanitised).
    pub trusted_html: bool,
    /// Which content files may be published as attachments.
    pub attachments: crate::load::attachments::Policy,
    /// Images from `https://` hosts are allowed.
    pub https_images: bool,
    /// The build date and the default review interval.
    pub freshness: FreshnessSettings,
    /// `kbgen check --deny stale`: articles due for review are errors.
    pub deny_stale: bool,
}

/// What freshness is judged against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreshnessSettings {
    /// The build date, in days since 1970-01-01 (`SOURCE_DATE_EPOCH` when set).
    pub today: i64,
    /// `review_every` of kb.toml (checked when read).
    pub review_every: Option<String>,
}

/// Command-line values that override `kb.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--source DIR`.
    pub source: Option<PathBuf>,
    /// `--output DIR`.
    pub output: Option<PathBuf>,
    /// `--base-url URL`.
    pub base_url: Option<String>,
    /// `--broken-links error|warn`.
    pub broken_links: Option<LinkPolicy>,
    /// `--drafts`.
    pub drafts: bool,
    /// `--deny stale`.
    pub deny_stale: bool,
}

impl Settings {
    /// Reads `kb.toml` (the one named by `--config`, else `./kb.toml` when it
    /// exists) and applies the command-line overrides.
    pub fn resolve(o: &Overrides) -> Result<Settings, Diagnostic> {
        let (cfg, project_dir) = match &o.config {
            Some(path) => (read_config(path)?, parent_dir(path)),
            None => {
                let path = Path::new("kb.toml");
                if path.is_file() {
                    (read_config(path)?, PathBuf::from("."))
                } else {
                    (KbConfig::default(), PathBuf::from("."))
                }
            }
        };
        Ok(Settings::from_config(cfg, project_dir, o))
    }

    /// Settings from an already parsed config.
    pub fn from_config(cfg: KbConfig, project_dir: PathBuf, o: &Overrides) -> Settings {
        let rel = |p: &str| {
            // `~` is the home folder, as in a shell, not a folder named `~`.
            let home = std::env::var_os("HOME").map(PathBuf::from);
            match (p.strip_prefix('~'), home) {
                (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
                    return home.join(rest.trim_start_matches('/'));
                }
                _ => {}
            }
            if project_dir == Path::new(".") {
                PathBuf::from(p)
            } else {
                project_dir.join(p)
            }
        };
        let base_url = o.base_url.clone().or(cfg.base_url).map(|u| {
            if u.ends_with('/') {
                u
            } else {
                format!("{u}/")
            }
        });
        Settings {
            source: o.source.clone().unwrap_or_else(|| rel(&cfg.source_dir)),
            output: o.output.clone().unwrap_or_else(|| rel(&cfg.output_dir)),
            project_dir,
            theme: cfg.theme,
            site: SiteInfo {
                title: cfg.title,
                description: cfg.description,
                language: cfg.language,
                base_url,
                edit_url: cfg.edit_url,
                search_endpoint: cfg.search.endpoint,
            },
            broken_links: o.broken_links.unwrap_or(cfg.broken_links),
            drafts: o.drafts || cfg.drafts,
            max_file_bytes: cfg.max_file_bytes,
            source_aliases: cfg.source_aliases,
            trusted_html: cfg.trusted_html,
            attachments: crate::load::attachments::Policy::new(&cfg.attachment_types),
            https_images: cfg.https_images,
            freshness: FreshnessSettings {
                today: crate::model::freshness::today_unix_days(),
                review_every: cfg.review_every,
            },
            deny_stale: o.deny_stale,
        }
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn read_config(path: &Path) -> Result<KbConfig, Diagnostic> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(&file, 0, 0, format!("cannot read config: {e}"))
            .hint("check the path given to --config")
    })?;
    KbConfig::parse(&text, &file)
}

impl Settings {
    /// Severity of a broken link under the configured policy.
    pub fn broken_links_severity(&self) -> crate::diag::Severity {
        match self.broken_links {
            LinkPolicy::Error => crate::diag::Severity::Error,
            LinkPolicy::Warn => crate::diag::Severity::Warning,
        }
    }
}
