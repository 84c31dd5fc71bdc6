//! `newsidx stats`.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::StatsArgs;
use crate::exit::Exit;
use crate::index::Store;
use crate::output::json::write_record;

/// Prints the stats of the index at `dir`.
pub fn run(dir: &Path, args: StatsArgs) -> Result<Exit> {
    let store = Store::open(dir)?;
    let st = store.stats()?;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    if args.json {
        write_record(&mut w, "stats", &st)?;
    } else {
        writeln!(w, "index        {}", dir.display())?;
        writeln!(w, "articles     {}", st.articles)?;
        writeln!(w, "files        {}", st.files)?;
        writeln!(w, "sources      {}", st.sources)?;
        match (&st.date_min, &st.date_max) {
            (Some(a), Some(b)) => {
                writeln!(w, "dates        {a} … {b} ({} dated)", st.dated_articles)
            }
            _ => writeln!(w, "dates        none"),
        }?;
        writeln!(w, "size         {:.1} MB", st.index_bytes as f64 / 1e6)?;
        writeln!(w, "segments     {}", st.segments)?;
        writeln!(w, "schema       v{}", st.schema_version)?;
        writeln!(w, "dictionary   {}", st.dictionary)?;
    }
    Ok(Exit::Success)
}
