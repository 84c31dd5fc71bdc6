//! Walking the paths the user names into the files to read.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::format_of;

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where it is.
    pub path: PathBuf,
    /// How the user sees it (as walked from the named root).
    pub display: String,
}

/// What the walk found: files to read and one line per problem.
#[derive(Debug, Default)]
pub struct Walk {
    /// Readable files in a stable (sorted) order.
    pub files: Vec<Entry>,
    /// Problems (unreadable folders, link loops, missing roots).
    pub errors: Vec<String>,
    /// Files passed over because their type is not one newsidx reads.
    pub ignored: usize,
}

/// Walks `roots`. Folders are walked recursively (links followed, loops
/// reported); hidden entries and anything under `skip` (the index itself)
/// are passed over. A file named explicitly is always read.
pub fn walk(roots: &[PathBuf], skip: Option<&Path>) -> Walk {
    let skip = skip.and_then(|p| p.canonicalize().ok());
    let mut out = Walk::default();
    for root in roots {
        if !root.exists() {
            out.errors
                .push(format!("{}: no such file or folder", root.display()));
            continue;
        }
        if root.is_file() {
            out.files.push(Entry {
                path: root.clone(),
                display: root.display().to_string(),
            });
            continue;
        }
        let it = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let hidden =
                    e.depth() > 0 && e.file_name().to_str().is_some_and(|n| n.starts_with('.'));
                let is_skip = skip
                    .as_ref()
                    .is_some_and(|s| e.path().canonicalize().ok().as_ref() == Some(s));
                !hidden && !is_skip
            });
        for entry in it {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if format_of(e.path()).is_some() {
                        out.files.push(Entry {
                            path: e.path().to_path_buf(),
                            display: e.path().display().to_string(),
                        });
                    } else {
                        out.ignored += 1;
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let p = err
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| root.display().to_string());
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop, skipped".to_string()
                    } else {
                        err.io_error()
                            .map(|e| e.to_string())
                            .unwrap_or_else(|| err.to_string())
                    };
                    out.errors.push(format!("{p}: {reason}"));
                }
            }
        }
    }
    out
}
