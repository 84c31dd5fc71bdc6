//! ARCHITECTURE.md stays the map of `src/`: every file and folder of `src/`
//! is named there, and every file its module tables name exists.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// Every `.rs` file and every folder under `dir`, as paths relative to
/// `root` with `/` separators (folders end with `/`).
fn walk(root: &Path, dir: &Path, files: &mut BTreeSet<String>, dirs: &mut BTreeSet<String>) {
    let entries = fs::read_dir(dir).expect("src/ is readable");
    for e in entries {
        let path = e.expect("a directory entry").path();
        let rel = path
            .strip_prefix(root)
            .expect("under src/")
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            dirs.insert(format!("{rel}/"));
            walk(root, &path, files, dirs);
        } else if rel.ends_with(".rs") {
            files.insert(rel);
        }
    }
}

/// The files the module tables name, as paths relative to `src/`: a row
/// ``| `name.rs` | …`` under a heading naming ``` `src/folder/` ```.
fn tabled(doc: &str) -> BTreeSet<String> {
    let mut folder: Option<String> = None;
    let mut named = BTreeSet::new();
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            folder = h
                .split('`')
                .find(|p| p.starts_with("src/"))
                .map(|p| p.trim_start_matches("src/").to_string());
            continue;
        }
        let (Some(dir), Some(row)) = (&folder, line.strip_prefix("| `")) else {
            continue;
        };
        if let Some((name, _)) = row.split_once('`') {
            if name.ends_with(".rs") {
                named.insert(format!("{dir}{name}"));
            }
        }
    }
    named
}

#[test]
fn architecture_md_names_every_file_and_folder_of_src() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let src = root.join("src");
    let (mut files, mut dirs) = (BTreeSet::new(), BTreeSet::new());
    walk(&src, &src, &mut files, &mut dirs);
    assert!(files.len() > 50, "src/ walked: {files:?}");
    let named = tabled(&doc);
    let missing: Vec<&String> = files.difference(&named).collect();
    assert!(
        missing.is_empty(),
        "files of src/ without a row in ARCHITECTURE.md: {missing:?}"
    );
    let gone: Vec<&String> = named.difference(&files).collect();
    assert!(
        gone.is_empty(),
        "rows of ARCHITECTURE.md naming no file of src/: {gone:?}"
    );
    let unnamed: Vec<&String> = dirs
        .iter()
        .filter(|d| !doc.contains(&format!("`src/{d}`")))
        .collect();
    assert!(
        unnamed.is_empty(),
        "folders of src/ that ARCHITECTURE.md does not name: {unnamed:?}"
    );
}
