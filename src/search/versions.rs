//! Versions in a query: a product and version named in pasted text
//! (`Exchange 2016 CU23`, `Windows Server 2019`, a build `10.0.17763`)
//! favour the articles that apply to it. Receives the articles' `products`
//! and the query text; returns what each article applies to, the site's
//! known product versions, the query's mentions and each result's bonus.
//! `themes/default/static/kbgen-search.js` does the same (docs/search.md,
//! "Versions"), with the known versions and builds from the manifest.

use super::docs::Record;
use crate::model::meta::ProductRef;
use crate::signature::fold_text;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Well-known Windows builds (`major.minor.build`, the way `winver`,
/// `systeminfo` and event logs print them) and the releases they are.
/// A token equal to one, or one followed by `.` and a revision, names
/// those product versions without any product word.
pub const BUILDS: &[(&str, &[(&str, &str)])] = &[
    (
        "6.1.7600",
        &[("windows server", "2008 r2"), ("windows", "7")],
    ),
    (
        "6.1.7601",
        &[("windows server", "2008 r2"), ("windows", "7")],
    ),
    ("6.2.9200", &[("windows server", "2012"), ("windows", "8")]),
    (
        "6.3.9600",
        &[("windows server", "2012 r2"), ("windows", "8.1")],
    ),
    (
        "10.0.14393",
        &[("windows server", "2016"), ("windows", "10")],
    ),
    (
        "10.0.17763",
        &[("windows server", "2019"), ("windows", "10")],
    ),
    ("10.0.19044", &[("windows", "10")]),
    ("10.0.19045", &[("windows", "10")]),
    ("10.0.20348", &[("windows server", "2022")]),
    ("10.0.22621", &[("windows", "11")]),
    ("10.0.22631", &[("windows", "11")]),
    (
        "10.0.26100",
        &[("windows server", "2025"), ("windows", "11")],
    ),
];

/// A product version an article applies to: the product's key and the
/// version as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applies {
    /// [`product_key`] of the product's name.
    pub product: String,
    /// The version as written (`2012 R2`).
    pub version: String,
    /// The product's name as written, without the version a DocFX name
    /// carries (`Exchange Server`), for saying what matched.
    #[serde(default)]
    pub name: String,
}

/// Product key → (name as first written, version keys): what a query's
/// product words and version are recognised against.
pub type Known = BTreeMap<String, (String, BTreeSet<String>)>;

/// The lower-case words of `text`: runs of letters, digits and dots, dots
/// trimmed from their ends (`10.0.17763.` → `10.0.17763`).
pub fn words(text: &str) -> Vec<String> {
    fold_text(text)
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a word can be a version: 1–2 digits (`Windows 10`), a year
/// (`2016`), a dotted number (`10.0`, `1.18`) or a half-year (`22h2`).
pub fn is_version(w: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let b = w.as_bytes();
    (digits(w) && (w.len() <= 2 || (w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))))
        || (w.contains('.') && w.split('.').all(digits))
        || (b.len() == 4
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[2] == b'h'
            && b[3].is_ascii_digit())
}

/// A word that qualifies the version before it: `R2` is part of the
/// release; a service pack or update (`SP1`, `CU23`, `RU5`) a level of it.
fn is_qualifier(w: &str) -> bool {
    w == "r2" || is_level(w)
}

fn is_level(w: &str) -> bool {
    ["sp", "cu", "ru"].iter().any(|p| {
        w.strip_prefix(p)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The key of a product name: its words without a leading `Microsoft` or
/// `Office` that has a product word after it (`Microsoft Office Outlook`
/// → `outlook`; `Office 2016` stays `office`).
pub fn product_key(name: &str) -> String {
    strip_vendor(words(name)).join(" ")
}

fn strip_vendor(mut w: Vec<String>) -> Vec<String> {
    while w.len() > 1 && (w[0] == "microsoft" || w[0] == "office") && !is_version(&w[1]) {
        w.remove(0);
    }
    w
}

/// The key of a version as written: its words, space-separated.
pub fn version_key(version: &str) -> String {
    words(version).join(" ")
}

/// What an article applies to: each declared version of each product,
/// and, for a product declared without versions, the version its name
/// carries (DocFX `appliesto: [Exchange Server 2016 Enterprise Edition]`
/// → `exchange server`, `2016`).
pub(crate) fn applies_of(products: &[ProductRef]) -> Vec<Applies> {
    let mut out: Vec<Applies> = Vec::new();
    for p in products {
        let shown = if p.versions.is_empty() {
            name_before_version(&p.name)
        } else {
            p.name.trim().to_string()
        };
        let name = strip_vendor(words(&p.name));
        let found: Vec<(String, String)> = if p.versions.is_empty() {
            name.iter()
                .position(|w| is_version(w))
                .filter(|&i| i > 0)
                .map(|i| {
                    let mut v = name[i].clone();
                    if name.get(i + 1).is_some_and(|q| is_qualifier(q)) {
                        v = format!("{v} {}", name[i + 1]);
                    }
                    (name[..i].join(" "), v)
                })
                .into_iter()
                .collect()
        } else {
            let key = name.join(" ");
            p.versions
                .iter()
                .map(|v| (key.clone(), v.clone()))
                .collect()
        };
        for (product, version) in found {
            let a = Applies {
                product,
                version,
                name: shown.clone(),
            };
            if !a.product.is_empty() && !version_key(&a.version).is_empty() && !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// A DocFX product name as written, without a leading vendor word and
/// from its version on (`Microsoft Office Outlook 2007` → `Outlook`).
fn name_before_version(name: &str) -> String {
    let word = |p: &str| words(p).join(" ");
    let mut parts: Vec<&str> = name.split_whitespace().collect();
    while parts.len() > 1
        && matches!(word(parts[0]).as_str(), "microsoft" | "office")
        && !is_version(&word(parts[1]))
    {
        parts.remove(0);
    }
    let end = parts.iter().position(|p| is_version(&word(p)));
    parts[..end.unwrap_or(parts.len())].join(" ")
}

/// The product versions of every record, with each product's name as
/// first written: the table queries are recognised against.
pub fn known<'a>(records: impl IntoIterator<Item = &'a Record>) -> Known {
    let mut out = Known::new();
    for r in records {
        add_known(&mut out, r);
    }
    out
}

/// The first word of each known product's key: a query names no product
/// version unless one of them comes before a version word, so the page
/// loads the table (`versions.js`) only then.
pub fn heads(known: &Known) -> BTreeSet<&str> {
    known.keys().filter_map(|k| k.split(' ').next()).collect()
}

/// Adds the product versions of `r` to `known`.
pub fn add_known(known: &mut Known, r: &Record) {
    for a in &r.applies {
        let entry = known.entry(a.product.clone()).or_insert_with(|| {
            let name = if a.name.is_empty() {
                &a.product
            } else {
                &a.name
            };
            (name.clone(), BTreeSet::new())
        });
        entry.1.insert(version_key(&a.version));
    }
}

/// Whether two version keys name the same release: the same version with
/// the same level or one without a level (`2016` and `2016 cu23`), or two
/// dotted numbers one of which extends the other (`10` and `10.0.17763`).
pub fn same_release(a: &str, b: &str) -> bool {
    let split = |v: &str| -> (String, Option<String>) {
        let w: Vec<&str> = v.split(' ').collect();
        match w.split_last() {
            Some((last, rest)) if !rest.is_empty() && is_level(last) => {
                (rest.join(" "), Some((*last).to_string()))
            }
            _ => (v.to_string(), None),
        }
    };
    let ((base_a, level_a), (base_b, level_b)) = (split(a), split(b));
    if base_a == base_b {
        return level_a.is_none() || level_b.is_none() || level_a == level_b;
    }
    let dotted = |s: &str| !s.contains(' ') && s.bytes().all(|c| c.is_ascii_digit() || c == b'.');
    let extends = |long: &str, short: &str| long.starts_with(&format!("{short}."));
    dotted(&base_a) && dotted(&base_b) && (extends(&base_a, &base_b) || extends(&base_b, &base_a))
}

mod query;
pub use query::{drop_version_events, mentions, version_bonus, Mention, QueryVersions};

#[cfg(test)]
mod tests;
