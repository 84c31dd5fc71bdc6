//! `newsidx export`: options → `export::Options`, the report on stderr;
//! `--query` prints an OpenSearch `_search` body on stdout.

use std::path::Path;

use anyhow::{bail, Result};

use crate::cli::export::{EngineArg, ExportArgs};
use crate::cli::SortArg;
use crate::dates::parse_bound;
use crate::exit::Exit;
use crate::export::os_query::{search_body, Request};
use crate::export::shard::Part;
use crate::export::source::Source;
use crate::export::sphinx::Layout;
use crate::export::{self, Options, Target};
use crate::messages;

/// Runs `newsidx export` (`index`: the `-i` folder).
pub fn run(index: &Path, args: ExportArgs) -> Result<Exit> {
    if let Some(q) = &args.query {
        return print_query(index, &args, q);
    }
    let Some(out) = args.out.clone() else {
        bail!("export: --out DIR is needed");
    };
    if args.shards == 0 {
        bail!("--shards 0: at least one shard");
    }
    let target = match args.to {
        EngineArg::Opensearch => Target::OpenSearch,
        EngineArg::Sphinx => Target::Sphinx(match &args.nodes {
            Some(nodes) => Layout::hosts(
                nodes,
                args.head.as_deref().unwrap_or("127.0.0.1:9312"),
                args.shards,
            )?,
            None => Layout::loopback(args.port_base, args.shards)?,
        }),
    };
    let source = if args.paths.is_empty() {
        Source::Index(index.to_path_buf())
    } else {
        Source::Paths(args.paths.clone(), args.user_dict.clone())
    };
    let opts = Options {
        source,
        out: out.clone(),
        shards: args.shards,
        part: match &args.shard {
            Some(s) => Part::parse(s)?,
            None => Part::ALL,
        },
        target,
        threads: crate::threads::writer_threads(args.threads),
    };
    let report = export::run(&opts, &mut |w| messages::warning(w))?;
    if !args.quiet {
        let per: Vec<String> = report.per_shard.iter().map(u64::to_string).collect();
        messages::status(&format!(
            "exported {} articles to {} ({} shards: {}) in {:.2}s; {} left to other parts, {} files skipped",
            report.articles(),
            out.display(),
            report.per_shard.len(),
            per.join(" "),
            report.seconds,
            report.other_parts,
            report.files_skipped
        ));
    }
    Ok(if report.files_skipped > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}

fn print_query(index: &Path, args: &ExportArgs, q: &str) -> Result<Exit> {
    if args.to != EngineArg::Opensearch {
        bail!("--query: only with --to opensearch");
    }
    let seg = crate::index::segmenter_at(index)?;
    let req = Request {
        query: q.to_string(),
        since: args
            .dates
            .since
            .as_deref()
            .map(|s| parse_bound("--since", s, false))
            .transpose()?,
        until: args
            .dates
            .until
            .as_deref()
            .map(|s| parse_bound("--until", s, true))
            .transpose()?,
        by_date: args.sort == SortArg::Date,
        limit: args.limit,
        offset: args.offset,
    };
    let body = search_body(&seg, &req)?;
    println!("{}", serde_json::to_string_pretty(&body)?);
    Ok(Exit::Success)
}
