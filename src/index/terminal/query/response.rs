//! The answer of `kbgen search`, in the JSON shape tools rely on
//! (`kbgen search --json`, `/api/search`).

use crate::search::rank::Matched;
use serde::Serialize;

/// One result, in the JSON shape tools rely on.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Article path relative to the content root.
    pub source: String,
    /// Page path from the site root.
    pub url: String,
    /// Title.
    pub title: String,
    /// Score: term weights plus signature bonuses, in the browser's units.
    pub score: f64,
    /// Why it matched.
    pub matched: Vec<Matched>,
    /// Products the article applies to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// Versions, each as `Product Version`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

/// A whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// Best first.
    pub results: Vec<Hit>,
    /// Parts of the query ignored as noise.
    pub ignored: Vec<String>,
    /// What of a long query was not searched, in words (see `analysis::bounds`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cut: Option<String>,
}
