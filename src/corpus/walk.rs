//! Walking the paths the user names into the files to read.
//!
//! In folders, files whose extension names a format are read; files with
//! other or no extensions are sniffed by content ([`super::sniff::looks_readable`]:
//! a `.dat` Sogou dump, an extension-less JSON Lines file, a `.gz` of
//! anything readable), and media, archives, binaries and code are passed
//! over, each one counted by type for the run's summary. A file the user
//! names explicitly is always read, and any problem with it reported. Folders with several text pages get their
//! boilerplate learned here ([`super::boilerplate`]) for the readers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use super::boilerplate::{self, SiteLines};
use super::format::{format_of, Format};
use super::{paths, sniff};

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where it is.
    pub path: PathBuf,
    /// How the user sees it (as walked from the named root).
    pub display: String,
    /// Boilerplate lines learned from the file's folder, if any.
    pub site: Option<Arc<SiteLines>>,
}

/// What the walk found: files to read and one line per problem.
#[derive(Debug, Default)]
pub struct Walk {
    /// Readable files in a stable (sorted) order.
    pub files: Vec<Entry>,
    /// Problems (unreadable folders, link loops, missing roots).
    pub errors: Vec<String>,
    /// Files passed over because their type is not one newsidx reads, as
    /// shown to the user.
    pub passed_over: Vec<String>,
}

impl Walk {
    /// `passed over 3 files of types it does not read: .xlsx ×2, .png ×1`,
    /// or `None` when nothing was passed over.
    pub fn passed_over_summary(&self) -> Option<String> {
        passed_over_summary(&self.passed_over)
    }
}

/// The type of a passed-over file as the summary names it: its extension
/// (`.xlsx`, `.csv.7z` → `.7z`), or `no extension`.
pub fn type_name(path: &str) -> String {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| format!(".{}", e.to_lowercase()))
        .unwrap_or_else(|| "no extension".to_string())
}

/// See [`Walk::passed_over_summary`].
pub fn passed_over_summary(files: &[String]) -> Option<String> {
    if files.is_empty() {
        return None;
    }
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for f in files {
        *by_type.entry(type_name(f)).or_default() += 1;
    }
    let mut types: Vec<(String, usize)> = by_type.into_iter().collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let list: Vec<String> = types.iter().map(|(t, n)| format!("{t} ×{n}")).collect();
    let n = files.len();
    Some(format!(
        "passed over {n} file{} of types it does not read: {}",
        if n == 1 { "" } else { "s" },
        list.join(", ")
    ))
}

/// Why a pipe, socket or device is passed over: reading it could block or
/// never end.
const NOT_A_FILE: &str = "not a regular file or folder, skipped";

/// Walks `roots`. Folders are walked recursively (links followed, loops
/// reported); hidden entries and anything under `skip` (the index itself)
/// are passed over. A file named explicitly is always read.
pub fn walk(roots: &[PathBuf], skip: Option<&Path>) -> Walk {
    let skip = skip.and_then(|p| p.canonicalize().ok());
    let mut out = Walk::default();
    for root in roots {
        if !root.exists() {
            out.errors
                .push(format!("{}: no such file or folder", paths::escape(root)));
            continue;
        }
        if root.is_file() {
            out.files.push(Entry {
                path: root.clone(),
                display: paths::escape(root),
                site: None,
            });
            continue;
        }
        if !root.is_dir() {
            out.errors
                .push(format!("{}: {NOT_A_FILE}", paths::escape(root)));
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
                    if format_of(e.path()).is_some() || sniff::looks_readable(e.path()) {
                        out.files.push(Entry {
                            path: e.path().to_path_buf(),
                            display: paths::escape(e.path()),
                            site: None,
                        });
                    } else {
                        out.passed_over.push(e.path().display().to_string());
                    }
                }
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => out
                    .errors
                    .push(format!("{}: {NOT_A_FILE}", paths::escape(e.path()))),
                Err(err) => {
                    let p = err
                        .path()
                        .map(paths::escape)
                        .unwrap_or_else(|| paths::escape(root));
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
    learn_sites(&mut out.files);
    out
}

/// Learns the boilerplate of each folder holding several plain-text pages
/// and attaches it to those pages.
fn learn_sites(files: &mut [Entry]) {
    let mut by_dir: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, e) in files.iter().enumerate() {
        let plain = e
            .path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "txt" | "text"))
            && format_of(&e.path) == Some(Format::Text);
        if plain {
            if let Some(dir) = e.path.parent() {
                by_dir.entry(dir.to_path_buf()).or_default().push(i);
            }
        }
    }
    for idx in by_dir.values() {
        if idx.len() < boilerplate::MIN_FILES {
            continue;
        }
        let paths: Vec<&Path> = idx.iter().map(|&i| files[i].path.as_path()).collect();
        if let Some(site) = boilerplate::learn(&paths) {
            let site = Arc::new(site);
            for &i in idx {
                files[i].site = Some(site.clone());
            }
        }
    }
}
