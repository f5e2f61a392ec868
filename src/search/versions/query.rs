//! The product versions a pasted text names ([`mentions`]) and what each
//! result gains or loses for them ([`version_bonus`]).

use super::{is_qualifier, is_version, same_release, version_key, words, Applies, Known, BUILDS};
use crate::analysis::{Analysis, TermKind};
use crate::search::docs::Record;
use crate::search::rank::{Boost, Matched};

/// A product version the query names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The product's key.
    pub product: String,
    /// The version's key.
    pub version: String,
    /// Named by a build number, not by words.
    pub by_build: bool,
    /// Mentions of one group are alternatives, judged together: the
    /// product's key, or the build that names several releases (Windows
    /// Server 2019 or Windows 10), which an article gains for once.
    pub group: String,
}

/// The product versions `text` names: a version word (and its qualifier)
/// after the first words of a known product's name (`Exchange 2016` for
/// `Exchange Server`), the longest such start winning, when the product
/// has a release of that version; and every well-known build ([`BUILDS`]).
pub fn mentions(text: &str, known: &Known) -> Vec<Mention> {
    let w = words(text);
    let mut out: Vec<Mention> = Vec::new();
    let mut push = |m: Mention| {
        if !out
            .iter()
            .any(|o| o.product == m.product && o.version == m.version)
        {
            out.push(m);
        }
    };
    for (i, word) in w.iter().enumerate() {
        for (build, releases) in BUILDS {
            if word == build || word.starts_with(&format!("{build}.")) {
                for (product, version) in *releases {
                    push(Mention {
                        product: (*product).to_string(),
                        version: (*version).to_string(),
                        by_build: true,
                        group: (*build).to_string(),
                    });
                }
            }
        }
        if i == 0 || !is_version(word) {
            continue;
        }
        let mut version = word.clone();
        if w.get(i + 1).is_some_and(|q| is_qualifier(q)) {
            version = format!("{version} {}", w[i + 1]);
        }
        let mut best: (usize, Vec<&String>) = (0, Vec::new());
        for (product, (_, versions)) in known {
            let name: Vec<&str> = product.split(' ').collect();
            let Some(j) = (1..=name.len().min(i))
                .rev()
                .find(|&j| w[i - j..i].iter().zip(&name[..j]).all(|(a, b)| a == b))
            else {
                continue;
            };
            if j < best.0 || !versions.iter().any(|v| same_release(v, &version)) {
                continue;
            }
            if j > best.0 {
                best = (j, Vec::new());
            }
            best.1.push(product);
        }
        for product in best.1 {
            push(Mention {
                product: product.clone(),
                version: version.clone(),
                by_build: false,
                group: product.clone(),
            });
        }
    }
    out
}

/// Drops the event keys a recognised version number made (`Exchange 2016`
/// reads as source `Exchange`, event 2016) unless the query also keys that
/// number as an event (`event 2016`): the version counts through
/// [`version_bonus`] only.
pub fn drop_version_events(analysis: &mut Analysis, mentions: &[Mention]) {
    for m in mentions.iter().filter(|m| !m.by_build) {
        let number = m.version.split(' ').next().unwrap_or_default();
        let Ok(id) = number.parse::<u32>() else {
            continue;
        };
        if !(1..=65535).contains(&id) || analysis.terms.contains(&TermKind::BareEvent.term(number))
        {
            continue;
        }
        let tail = format!("/{number}");
        analysis
            .terms
            .retain(|t| !(TermKind::Event.is(t) && t.ends_with(&tail)));
    }
}

/// The product versions a query names, and the table they were
/// recognised against .
pub struct QueryVersions<'a> {
    /// What the query names.
    pub mentions: &'a [Mention],
    /// The site's product versions.
    pub known: &'a Known,
}

/// What `doc` gains or loses for the product versions the query names,
/// group by group ([`Mention::group`]) in the order first named:
/// `boost.version` when it declares one of the group's versions, minus
/// `boost.other_version` when it declares only other versions of those
/// products; nothing when it declares none. Each adds a `version` match
/// saying why.
pub fn version_bonus(
    mentions: &[Mention],
    doc: &Record,
    known: &Known,
    boost: &Boost,
    matched: &mut Vec<Matched>,
) -> f64 {
    let mut groups: Vec<&str> = Vec::new();
    for m in mentions {
        if !groups.contains(&m.group.as_str()) {
            groups.push(&m.group);
        }
    }
    let name = |product: &str| {
        known
            .get(product)
            .map_or(product.to_string(), |(n, _)| n.clone())
    };
    let mut score = 0.0;
    for group in groups {
        let wanted: Vec<&Mention> = mentions.iter().filter(|m| m.group == group).collect();
        let declared = |m: &Mention| -> Vec<&Applies> {
            doc.applies
                .iter()
                .filter(|a| a.product == m.product)
                .collect()
        };
        let hit = wanted.iter().find_map(|m| {
            declared(m)
                .into_iter()
                .find(|a| same_release(&version_key(&a.version), &m.version))
                .map(|a| (m, a))
        });
        let other = wanted.iter().find(|m| !declared(m).is_empty());
        let (delta, key, detail) = match (hit, other) {
            (Some((m, a)), _) => (
                boost.version,
                format!("{} {}", m.product, m.version),
                format!("applies to {} {}", name(&m.product), a.version),
            ),
            (None, Some(m)) => {
                let mut versions: Vec<&str> =
                    declared(m).iter().map(|a| a.version.as_str()).collect();
                versions.dedup();
                (
                    -boost.other_version,
                    format!("{} {}", m.product, m.version),
                    format!(
                        "for {} {}, not {}",
                        name(&m.product),
                        versions.join(", "),
                        m.version
                    ),
                )
            }
            (None, None) => continue,
        };
        score += delta;
        matched.push(Matched {
            kind: "version",
            key,
            detail,
        });
    }
    score
}
