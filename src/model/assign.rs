//! Page folders checked for clashes before any document renders.
//!
//! Receives the parsed documents; drops those whose page folder is taken
//! (by another document or by kbgen's own pages) with a diagnostic at the
//! `slug:`/`id:` line, and gives the map from content path to page file
//! that links are resolved against.

use super::{DocKind, Parsed, RESERVED};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Source;
use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// Checks page folders for clashes; returns source path → page file.
pub(super) fn assign_pages<S: Borrow<Source>>(
    parsed: &mut Vec<Parsed<S>>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    // Only looked up, its keys and values borrowed.
    let mut owner: FxHashMap<&str, &str> = FxHashMap::default();
    let mut keep = vec![true; parsed.len()];
    for (i, p) in parsed.iter().enumerate() {
        let file = &p.source.borrow().display_path;
        let line = p
            .meta
            .slug
            .as_ref()
            .or(p.meta.id.as_ref())
            .map_or(1, |l| l.line);
        let top = p.dir.split('/').next().unwrap_or("");
        if p.kind == DocKind::Article && (RESERVED.contains(&top) || top == "fixes") {
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    1,
                    format!(
                        "article page `{}/` would collide with kbgen's `{top}/` pages",
                        p.dir
                    ),
                )
                .hint("move the file out of that folder or set another `slug:`"),
            );
            keep[i] = false;
        } else if let Some(first) = owner.get(p.dir.as_str()) {
            let what = if p.kind == DocKind::Fix {
                "fix id"
            } else {
                "page path (slug)"
            };
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    1,
                    format!("duplicate {what} `{}`: {first} already uses it", p.dir),
                )
                .hint("give one of them another `slug:` (or `id:` for fixes)"),
            );
            keep[i] = false;
        } else {
            owner.insert(&p.dir, file);
        }
    }
    let mut it = keep.into_iter();
    parsed.retain(|_| it.next().unwrap_or(false));
    parsed
        .iter()
        .map(|p| {
            let rel_path = p.source.borrow().rel_path.clone();
            (rel_path, format!("{}/index.html", p.dir))
        })
        .collect()
}
