//! The date of the last commit that changed each file of the content
//! folder, read from the git repository that holds it with `git2` (no `git`
//! process): one walk of the history from HEAD, newest first, diffing each
//! commit against its first parent, stopping once every file of the folder
//! as HEAD has it has been seen.
//!
//! Without a repository (or with a broken one) there are no dates, and
//! freshness says so; it is never an error.

use super::date::Date;
use git2::{Repository, Sort, TreeWalkMode, TreeWalkResult};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Content path (relative to `source`, `/`-separated) → date of the last
/// commit that changed it; `None` when `source` is not in a git work tree.
pub(super) fn last_commits(source: &Path) -> Option<HashMap<String, Date>> {
    let repo = Repository::discover(source).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let source = source.canonicalize().ok()?;
    let prefix = source.strip_prefix(&workdir).ok()?;
    let prefix = prefix
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    let tree = head.tree().ok()?;
    // Only the content folder's files are looked for.
    let mut wanted = match prefix.trim_end_matches('/') {
        "" => files_of(&tree),
        dir => files_of(
            &repo
                .find_tree(tree.get_path(Path::new(dir)).ok()?.id())
                .ok()?,
        ),
    };
    let mut dates = HashMap::new();
    let mut walk = repo.revwalk().ok()?;
    walk.set_sorting(Sort::TIME).ok()?;
    walk.push(head.id()).ok()?;
    walk.simplify_first_parent().ok()?;
    for oid in walk {
        if wanted.is_empty() {
            break;
        }
        let Ok(commit) = oid.and_then(|o| repo.find_commit(o)) else {
            break;
        };
        let tree = commit.tree().ok()?;
        let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
        let mut opts = git2::DiffOptions::new();
        if !prefix.is_empty() {
            opts.pathspec(&prefix);
        }
        let Ok(diff) = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts)) else {
            continue;
        };
        let when = Date::from_unix_days(commit.time().seconds().div_euclid(86_400));
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path().and_then(|p| p.to_str()) else {
                continue;
            };
            if let Some(rel) = path.strip_prefix(prefix.as_str()) {
                if wanted.remove(rel) {
                    dates.insert(rel.to_string(), when);
                }
            }
        }
    }
    Some(dates)
}

/// Paths of the files of `tree`, relative to it.
fn files_of(tree: &git2::Tree<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    let _ = tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            out.insert(format!("{dir}{}", entry.name().unwrap_or_default()));
        }
        TreeWalkResult::Ok
    });
    out
}
