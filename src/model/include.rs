//! DocFX includes: `[!INCLUDE [title](path.md)]` replaced by the body of the
//! named file, as Microsoft's docs build does, so the included text is shown,
//! searched and keyed like the article's own.
//!
//! [`Includes::gather`] reads every directive of the content once: it keeps
//! the bodies of the files that are included (those files are fragments,
//! not pages) and reports each directive that names nothing, climbs out of
//! the content folder or closes a cycle, once, at its own file and line.
//! [`expand`] then pastes the bodies in, recursively; a line map takes the
//! positions of the expanded text back to the article's lines.

#[cfg(test)]
mod tests;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{front_matter, Source};
use crate::markdown::docfx::find_include;
use crate::urls::join_relative;
use rayon::prelude::*;
use regex::Regex;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// Deeper nesting than this is left out (a cycle is caught before).
const MAX_DEPTH: usize = 16;

/// The included files of a content folder.
#[derive(Debug, Default, Clone)]
pub(crate) struct Includes {
    /// Content path of each included file that exists → its body (front
    /// matter removed).
    found: HashMap<String, String>,
}

/// An expanded body and, for each of its lines, the body line it came from
/// (0-based; every line of an included file maps to its directive's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expanded {
    /// The body with every include that could be read pasted in.
    pub text: String,
    /// Expanded line → original body line.
    pub lines: Vec<usize>,
}

impl Expanded {
    /// The file line of `line`, a file line of the expanded body whose first
    /// line is `body_line`.
    pub(crate) fn file_line(&self, line: usize, body_line: usize) -> usize {
        line.checked_sub(body_line)
            .and_then(|i| self.lines.get(i))
            .map_or(line, |orig| body_line + orig)
    }
}

/// One directive of a file, its target resolved to a content path.
struct Found {
    line: usize,
    written: String,
    target: Option<String>,
}

/// Every include directive of `text` (a file at content path `from`), with
/// its 1-based file line.
fn directives(text: &str, from: &str) -> Vec<Found> {
    if !text.contains("[!INCLUDE") {
        return Vec::new();
    }
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let d = find_include(line)?;
            let target = (!d.target.is_empty())
                .then(|| join_relative(from, strip_anchor(&d.target)))
                .flatten();
            Some(Found {
                line: i + 1,
                written: d.target,
                target,
            })
        })
        .collect()
}

fn strip_anchor(target: &str) -> &str {
    target.split(['#', '?']).next().unwrap_or(target)
}

/// The content paths that some file of `sources` includes: the fragments,
/// which are not pages of their own.
pub(crate) fn targets<S: Borrow<Source>>(sources: &[S]) -> BTreeSet<String> {
    sources
        .iter()
        .flat_map(|s| {
            let s: &Source = s.borrow();
            directives(&s.text, &s.rel_path)
        })
        .filter_map(|f| f.target)
        .collect()
}

impl Includes {
    /// Reads the directives of every source; keeps the bodies of the files
    /// they include and reports those that cannot be expanded.
    pub(crate) fn gather<S: Borrow<Source> + Sync>(
        sources: &[S],
        diags: &mut Diagnostics,
    ) -> Includes {
        let by_path: BTreeMap<&str, &Source> = sources
            .iter()
            .map(|s| {
                let s: &Source = s.borrow();
                (s.rel_path.as_str(), s)
            })
            .collect();
        // Every byte of the content is searched for a directive: side by
        // side, before the rest of the build can start.
        let in_order: Vec<&Source> = by_path.values().copied().collect();
        let written: Vec<Vec<Found>> = in_order
            .par_iter()
            .map(|s| directives(&s.text, &s.rel_path))
            .collect();
        let mut graph: BTreeMap<&str, Vec<(usize, String)>> = BTreeMap::new();
        let mut found = HashMap::new();
        for (s, written) in in_order.iter().zip(written) {
            for d in written {
                let Some(target) = d.target.filter(|t| by_path.contains_key(t.as_str())) else {
                    diags.push(missing(s, &d.written, d.line));
                    continue;
                };
                if !found.contains_key(&target) {
                    found.insert(target.clone(), body_of(by_path[target.as_str()]));
                }
                graph
                    .entry(s.rel_path.as_str())
                    .or_default()
                    .push((d.line, target));
            }
        }
        report_cycles(&graph, &by_path, diags);
        Includes { found }
    }

    /// True when some file includes `rel_path`.
    pub(crate) fn is_fragment(&self, rel_path: &str) -> bool {
        self.found.contains_key(rel_path)
    }

    /// `body` (of the file at content path `from`) with its includes pasted
    /// in; `None` when it has none that can be read.
    pub(crate) fn expand(&self, body: &str, from: &str) -> Option<Expanded> {
        if self.found.is_empty() || !body.contains("[!INCLUDE") {
            return None;
        }
        let mut out = Expanded {
            text: String::with_capacity(body.len() * 2),
            lines: Vec::new(),
        };
        let mut stack = vec![from.to_string()];
        let mut any = false;
        for (i, line) in body.split_inclusive('\n').enumerate() {
            any |= self.paste(line, from, &mut stack, &mut |text| {
                out.text.push_str(text);
                out.lines
                    .extend(std::iter::repeat_n(i, text.matches('\n').count()));
            });
        }
        if !out.text.ends_with('\n') {
            out.lines
                .push(body.split_inclusive('\n').count().saturating_sub(1));
        }
        any.then_some(out)
    }

    /// Emits `line` (of the file at `from`), its include expanded; true
    /// when an include was pasted.
    fn paste(
        &self,
        line: &str,
        from: &str,
        stack: &mut Vec<String>,
        emit: &mut dyn FnMut(&str),
    ) -> bool {
        let Some(d) = find_include(line) else {
            // Links in included text are relative to the included file.
            emit(&rebase_links(line, from, &stack[0]));
            return false;
        };
        let target = (!d.target.is_empty())
            .then(|| join_relative(from, strip_anchor(&d.target)))
            .flatten();
        let body = target.as_ref().and_then(|t| self.found.get(t));
        let (Some(target), Some(body)) = (target, body) else {
            emit(line);
            return false;
        };
        if stack.contains(&target) || stack.len() > MAX_DEPTH {
            // Reported by `gather`; the directive stays, shown as not available.
            emit(line);
            return false;
        }
        let prefix = &line[..d.start];
        let rest = line[d.end..].trim_end();
        if !prefix.chars().all(|c| c.is_whitespace() || c == '>') {
            // Inline: the included text joins the sentence.
            let inline = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let inline = rebase_links(&inline, &target, &stack[0]);
            emit(&format!("{prefix}{inline}{rest}\n"));
            return true;
        }
        stack.push(target.clone());
        for inner in body.split_inclusive('\n') {
            let inner = format!("{prefix}{}", inner.trim_end_matches('\n'));
            let inner = format!("{}\n", inner.trim_end());
            self.paste(&inner, &target, stack, emit);
        }
        stack.pop();
        if !rest.is_empty() {
            emit(&format!("{prefix}{rest}\n"));
        }
        true
    }
}

fn body_of(s: &Source) -> String {
    match front_matter::split(&s.text, &s.display_path) {
        Ok(split) => split.body.trim_matches('\n').to_string(),
        Err(_) => s.text.clone(),
    }
}

fn missing(s: &Source, written: &str, line: usize) -> Diagnostic {
    let (message, hint) = if written.is_empty() {
        (
            "`[!INCLUDE]` names no file, so nothing is included here".to_string(),
            "write `[!INCLUDE [title](path/to/file.md)]`, the path relative to this file",
        )
    } else {
        (
            format!(
                "`[!INCLUDE]` of `{written}`: no such file in the content folder; it was left out"
            ),
            "fix the path (it is relative to this file), or add the file under the content folder",
        )
    };
    Diagnostic::warning(&s.display_path, line, 1, message).hint(hint)
}

/// Reports every directive that closes a cycle of includes, at its line.
fn report_cycles(
    graph: &BTreeMap<&str, Vec<(usize, String)>>,
    by_path: &BTreeMap<&str, &Source>,
    diags: &mut Diagnostics,
) {
    let mut done: BTreeSet<&str> = BTreeSet::new();
    // From the files nobody includes first, so the directive reported is
    // the one that leads back up.
    let included: BTreeSet<&str> = graph.values().flatten().map(|(_, t)| t.as_str()).collect();
    let mut starts: Vec<&str> = graph.keys().copied().collect();
    starts.sort_by_key(|s| included.contains(s));
    for start in starts {
        let mut stack: Vec<&str> = Vec::new();
        visit(start, graph, by_path, &mut stack, &mut done, diags);
    }
}

fn visit<'a>(
    node: &'a str,
    graph: &'a BTreeMap<&str, Vec<(usize, String)>>,
    by_path: &BTreeMap<&str, &Source>,
    stack: &mut Vec<&'a str>,
    done: &mut BTreeSet<&'a str>,
    diags: &mut Diagnostics,
) {
    if done.contains(node) {
        return;
    }
    stack.push(node);
    for (line, target) in graph.get(node).into_iter().flatten() {
        if let Some(at) = stack.iter().position(|n| n == target) {
            let mut chain: Vec<&str> = stack[at..].to_vec();
            chain.push(target);
            diags.push(
                Diagnostic::error(
                    &by_path[node].display_path,
                    *line,
                    1,
                    format!("`[!INCLUDE]` cycle: {}", chain.join(" → ")),
                )
                .hint("remove one of these includes; a file cannot include itself, even through others"),
            );
        } else {
            visit(target, graph, by_path, stack, done, diags);
        }
    }
    stack.pop();
    done.insert(node);
}

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(\s*<?([^)\s>]+)").expect("valid regex"));

/// The relative links of `body` (a file at `fragment`) rewritten to point at
/// the same files from `article`, the file the text is pasted into.
fn rebase_links(body: &str, fragment: &str, article: &str) -> String {
    if !body.contains("](") || dir_of(fragment) == dir_of(article) {
        return body.to_string();
    }
    LINK.replace_all(body, |c: &regex::Captures<'_>| {
        let url = &c[1];
        let is_relative = !url.starts_with(['#', '/', '\\']) && !has_scheme(url);
        match join_relative(fragment, url).filter(|_| is_relative) {
            Some(abs) => c[0].replace(url, &relative_to(article, &abs)),
            None => c[0].to_string(),
        }
    })
    .into_owned()
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && !s.contains('/')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The link from the file at content path `from` to content path `to`.
fn relative_to(from: &str, to: &str) -> String {
    let from: Vec<&str> = dir_of(from).split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}
