//! ARCHITECTURE.md stays the map of `src/`: every file and folder of `src/`
//! is named there, and every file its module tables name exists; every
//! module imports only what its row's "may import" column allows, and only
//! from the layers below its own (the Layers diagram).

mod imports;

use std::collections::{BTreeMap, BTreeSet};
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

/// One row of a module table: its file (relative to `src/`), the module
/// of its table's folder, and its "may import" cell.
struct Row {
    file: String,
    folder: Vec<String>,
    cell: String,
}

/// The rows of the module tables: ``| `name.rs` | … | … |`` under a
/// heading naming ``` `src/folder/` ```.
fn rows(doc: &str) -> Vec<Row> {
    let mut folder: Option<String> = None;
    let mut out = Vec::new();
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
        let Some((name, _)) = row.split_once('`') else {
            continue;
        };
        if name.ends_with(".rs") {
            let cell = line.trim().trim_end_matches('|');
            let cell = cell.rsplit_once('|').map_or("", |(_, c)| c).trim();
            out.push(Row {
                file: format!("{dir}{name}"),
                folder: dir
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                cell: cell.to_string(),
            });
        }
    }
    out
}

/// The files the module tables name, as paths relative to `src/`.
fn tabled(doc: &str) -> BTreeSet<String> {
    rows(doc).into_iter().map(|r| r.file).collect()
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

/// The module a file of `src/` is (`search/plan/units.rs` →
/// `search::plan::units`, `search/mod.rs` → `search`); `None` for the
/// crate's root and the binary.
fn module_of(file: &str) -> Option<Vec<String>> {
    let stem = file.strip_suffix(".rs")?;
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    if matches!(stem, "lib" | "main") {
        return None;
    }
    Some(stem.split('/').map(String::from).collect())
}

/// What a "may import" entry allows.
#[derive(Debug)]
enum Allow {
    /// A module and everything in it.
    Subtree(Vec<String>),
    /// A module itself (`mod.rs`: the folder's own items), not its children.
    Exact(Vec<String>),
    /// Every module of a lower layer (`everything below`).
    Below,
    /// The modules of the bottom layer (`leaves`).
    Leaves,
}

/// The module `name` names in a row of the table of `folder`: a
/// top-level module of the crate (`search`, `output::json`), else one of
/// the folder (`plan/units`) or of a folder enclosing it; `mod.rs` is the
/// folder's own module.
fn entry(name: &str, folder: &[String], modules: &BTreeSet<Vec<String>>) -> Result<Allow, String> {
    if name == "mod.rs" {
        return Ok(Allow::Exact(folder.to_vec()));
    }
    let name = name.trim_end_matches("/*");
    let segs: Vec<String> = name
        .replace('/', "::")
        .split("::")
        .map(String::from)
        .collect();
    if modules.contains(&segs[..1].to_vec()) && modules.contains(&segs) {
        return Ok(Allow::Subtree(segs));
    }
    // Else a module of the folder, or of a folder enclosing it (the
    // readers of `corpus/formats/` name `sink` for `corpus::sink`).
    (1..=folder.len())
        .rev()
        .map(|n| [&folder[..n], &segs[..]].concat())
        .find(|inner| modules.contains(inner))
        .map(Allow::Subtree)
        .ok_or_else(|| format!("`{name}` names no module"))
}

/// The entries of a "may import" cell (see ARCHITECTURE.md's legend):
/// backquoted module names, `its children`, `everything below`, `leaves`
/// (the bottom layer), or `leaf` / `—` (nothing of the crate), separated
/// by commas; text in parentheses is a comment.
fn allowances(
    cell: &str,
    folder: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> Result<Vec<Allow>, String> {
    let mut plain = String::new();
    let mut depth = 0;
    for c in cell.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for part in plain.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "leaf" | "—" | "its children" | "the library" => {}
            "everything below" => out.push(Allow::Below),
            "leaves" => out.push(Allow::Leaves),
            _ => {
                let name = part
                    .strip_prefix('`')
                    .and_then(|p| p.strip_suffix('`'))
                    .filter(|p| !p.contains('`'))
                    .ok_or_else(|| format!("{part:?} is not a module name in backquotes"))?;
                out.push(entry(name, folder, modules)?);
            }
        }
    }
    Ok(out)
}

/// The layer of each top-level module: its line in the Layers diagram,
/// 0 at the top.
fn layers(doc: &str, tops: &BTreeSet<String>) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let section = doc.split("## Layers").nth(1).unwrap_or("");
    let diagram = section.split("```").nth(1).unwrap_or("");
    let mut layer = 0;
    for line in diagram.lines() {
        let names: Vec<&str> = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .take_while(|w| tops.contains(*w))
            .collect();
        if !names.is_empty() {
            for n in names {
                out.insert(n.to_string(), layer);
            }
            layer += 1;
        }
    }
    out
}

/// True when `x` is `m` or inside it.
fn within(x: &[String], m: &[String]) -> bool {
    x.starts_with(m)
}

/// Why `module` may not import `target` (the module an import names),
/// or `None` when it may. Test code (`mod tests`) keeps to the layers
/// only.
fn refused(
    module: &[String],
    target: &[String],
    allows: &[Allow],
    layer: &BTreeMap<String, usize>,
    in_tests: bool,
) -> Option<String> {
    if target.is_empty() || within(target, module) {
        return None;
    }
    let (from, to) = (layer.get(&module[0]), layer.get(&target[0]));
    let below = matches!((from, to), (Some(f), Some(t)) if t > f);
    if module[0] != target[0] && !below {
        return Some(format!(
            "`{}` is not in a layer below `{}`",
            target[0], module[0]
        ));
    }
    let bottom = layer.values().max();
    let ok = in_tests
        || allows.iter().any(|a| match a {
            Allow::Subtree(m) => within(target, m),
            Allow::Exact(m) => target == m.as_slice(),
            Allow::Below => below,
            Allow::Leaves => below && to == bottom,
        });
    (!ok).then(|| "not in its row's \"may import\" column".to_string())
}

#[test]
fn every_module_imports_only_what_its_row_allows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let src = root.join("src");
    let (mut files, mut dirs) = (BTreeSet::new(), BTreeSet::new());
    walk(&src, &src, &mut files, &mut dirs);
    let modules: BTreeSet<Vec<String>> = files.iter().filter_map(|f| module_of(f)).collect();
    let tops: BTreeSet<String> = modules.iter().map(|m| m[0].clone()).collect();
    let layer = layers(&doc, &tops);
    let unlayered: Vec<&String> = tops.iter().filter(|t| !layer.contains_key(*t)).collect();
    assert!(
        unlayered.is_empty(),
        "modules missing from the Layers diagram: {unlayered:?}"
    );
    let mut wrong = Vec::new();
    let mut checked = 0;
    for row in rows(&doc) {
        let Some(module) = module_of(&row.file) else {
            continue;
        };
        let allows = match allowances(&row.cell, &row.folder, &modules) {
            Ok(a) => a,
            Err(e) => {
                wrong.push(format!("ARCHITECTURE.md, row `{}`: {e}", row.file));
                continue;
            }
        };
        let text = fs::read_to_string(src.join(&row.file)).unwrap_or_default();
        let is_module = |p: &[String]| modules.contains(p);
        for import in imports::imports(&text, &module, &is_module) {
            checked += 1;
            let target: Vec<String> = (0..=import.path.len())
                .rev()
                .map(|n| import.path[..n].to_vec())
                .find(|p| p.is_empty() || modules.contains(p))
                .unwrap_or_default();
            if let Some(why) = refused(&module, &target, &allows, &layer, import.in_tests) {
                wrong.push(format!(
                    "src/{}:{}: `{}` ({}): {why}",
                    row.file,
                    import.line,
                    import.written,
                    target.join("::")
                ));
            }
        }
    }
    assert!(checked > 300, "imports read: {checked}");
    assert!(
        wrong.is_empty(),
        "{} imports refused:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn imports_are_read_from_groups_inline_paths_and_inline_modules() {
    let src = r##"
        use crate::search::{self, facets::{By, Bucket as B}, Hit};
        use super::json::write_record;
        // use crate::serve::not_an_import;
        fn f() { let s = "crate::serve::neither"; crate::messages::error(s); let c = '"'; }
        mod tests {
            use super::*;
            use crate::corpus::testing::read_as;
        }
        pub(crate) fn g<'a>(x: &'a str) -> &'a str { x }
        const R: &str = r#"use crate::cli::Cli;"#;
    "##;
    let here = ["output".to_string(), "kwic".to_string()];
    let found: Vec<String> = imports::imports(src, &here, &|_| false)
        .into_iter()
        .map(|i| format!("{}:{}", i.line, i.path.join("::")))
        .collect();
    assert_eq!(
        found,
        [
            "2:search",
            "2:search::facets::By",
            "2:search::facets::Bucket",
            "2:search::Hit",
            "3:output::json::write_record",
            "5:messages::error",
            "7:output::kwic",
            "8:corpus::testing::read_as",
        ]
    );
    let modules: BTreeSet<Vec<String>> = [vec!["output".into()], vec!["search".into()]].into();
    let layer: BTreeMap<String, usize> = [("output".into(), 0), ("search".into(), 1)].into();
    let allows = allowances("`search` (hits)", &[], &modules).unwrap_or_default();
    let out = ["output".to_string()];
    let search = ["search".to_string()];
    assert!(refused(&out, &search, &allows, &layer, false).is_none());
    assert!(refused(&search, &out, &[Allow::Below], &layer, false).is_some());
    assert!(refused(&search, &out, &[Allow::Below], &layer, true).is_some());
    assert!(refused(&out, &search, &[], &layer, false).is_some());
    assert!(refused(&out, &search, &[], &layer, true).is_none());
    assert!(allowances("`nowhere`", &[], &modules).is_err());
    assert!(allowances("search", &[], &modules).is_err());
}
