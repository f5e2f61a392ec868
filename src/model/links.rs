//! Cross-references in front matter: `fixes:` ids and `related:` articles.
//! Receives the documents; returns, per article, the indexes of its fixes
//! and related articles, reporting references to nothing.

use super::Document;
use crate::config::Settings;
use crate::diag::{Diagnostic, Diagnostics};
use crate::urls::{join_relative, slug_segment};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Resolved references of one article.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    /// Indexes into the fix list.
    pub fixes: Vec<usize>,
    /// Indexes into the article list.
    pub related: Vec<usize>,
}

/// Resolves `fixes:` and `related:` of every article.
pub(crate) fn resolve(
    articles: &[Document],
    fixes: &[Document],
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Vec<Refs> {
    let fix_ids: BTreeMap<&str, usize> = fixes
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    // Only looked up: keys borrowed from the articles, in a hash map. Copies
    // of three keys per article in a sorted map made this the larger half
    // of assembling the 8,104 real articles (a profile of the build).
    let mut by_key: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    by_key.reserve(3 * articles.len());
    for (i, a) in articles.iter().enumerate() {
        by_key.insert(&a.rel_path, Some(i));
        by_key.insert(&a.dir, Some(i));
        let last = a.dir.rsplit('/').next().unwrap_or("");
        // A bare slug is a reference only while it names one article.
        by_key
            .entry(last)
            .and_modify(|v| *v = None)
            .or_insert(Some(i));
    }
    articles
        .iter()
        .map(|a| {
            let mut refs = Refs::default();
            for f in &a.meta.fixes {
                match fix_ids.get(slug_segment(&f.value).as_str()) {
                    Some(&i) => refs.fixes.push(i),
                    None => diags.push(
                        Diagnostic::error(
                            &a.display_path,
                            f.line,
                            1,
                            format!("unknown fix id `{}`", f.value),
                        )
                        .hint(suggest(&f.value, fix_ids.keys().copied())),
                    ),
                }
            }
            for r in &a.meta.related {
                let value = r.value.trim_start_matches("./");
                let hit = by_key
                    .get(value)
                    .copied()
                    .flatten()
                    .or_else(|| {
                        join_relative(&a.rel_path, value)
                            .and_then(|p| by_key.get(p.as_str()).copied().flatten())
                    })
                    .or_else(|| by_key.get(value.trim_end_matches('/')).copied().flatten());
                match hit {
                    Some(i) => refs.related.push(i),
                    None => diags.push(
                        Diagnostic::error(
                            &a.display_path,
                            r.line,
                            1,
                            format!("related article `{}` not found", r.value),
                        )
                        .hint(
                            "name it by its path under the content folder, e.g. `iis/http-503.md`",
                        )
                        .with_severity(settings.broken_links_severity()),
                    ),
                }
            }
            refs
        })
        .collect()
}

fn suggest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> String {
    let wanted = slug_segment(wanted);
    let close = known
        .filter(|k| k.contains(&wanted) || wanted.contains(*k) || edit_distance(k, &wanted) <= 3)
        .collect::<Vec<_>>();
    match close.first() {
        Some(k) => format!("did you mean `{k}`? Fix ids are the `id:` of documents under fixes/"),
        None => "fix ids are the `id:` (or file name) of documents under fixes/; create the fix or remove the id".into(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}
