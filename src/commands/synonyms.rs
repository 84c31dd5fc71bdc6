//! `newsidx synonyms`: the synonym groups stored with the index (given
//! with `newsidx index --synonyms FILE`), one group per line as the file
//! wrote it, or with `--json` one `{"type":"synonyms","members":[…]}` line
//! per group. Where they came from goes to stderr.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use crate::cli::SynonymsArgs;
use crate::exit::Exit;
use crate::index::{self, Store};
use crate::messages;
use crate::output::json::write_record;
use crate::output::wire::Group;

/// Runs `newsidx synonyms`.
pub fn run(dir: &Path, args: SynonymsArgs) -> Result<Exit> {
    // The stored file is read without opening the whole index; only an
    // index folder has one.
    if !index::is_index_dir(dir) {
        Store::open(dir)?;
    }
    let syn = index::synonyms_at(dir)?;
    let mut w = io::BufWriter::new(io::stdout().lock());
    for g in syn.groups() {
        if args.json {
            write_record(&mut w, "synonyms", &Group { members: g })?;
        } else if g.iter().any(|m| m.contains(char::is_whitespace)) {
            writeln!(w, "{}", g.join(", "))?;
        } else {
            writeln!(w, "{}", g.join(" "))?;
        }
    }
    w.flush()?;
    if syn.is_empty() {
        messages::status(&format!(
            "{}: no synonym groups (add them with `newsidx index --synonyms FILE`)",
            dir.display()
        ));
    } else if !args.json {
        messages::status(&format!("{} groups", syn.groups().len()));
    }
    Ok(Exit::Success)
}
