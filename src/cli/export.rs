//! The options of `newsidx export` (part of `cli.rs`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{DateArgs, SortArg};

/// The engine to export for.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EngineArg {
    /// Sphinx 2.2 / Manticore Search: shards, a head, cluster.json, start.sh, stop.sh.
    Sphinx,
    /// OpenSearch / Elasticsearch: index.json and `_bulk` NDJSON files.
    Opensearch,
}

/// `newsidx export`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
newsidx export --to sphinx --out cluster --shards 3 --port-base 9400 -i index\n  \
newsidx export --to sphinx --out part2 --shards 2 --shard 2/8 --nodes h1:9312,h2:9312 --head h0:9312 dumps/\n  \
(cd cluster && ./start.sh)   # … ./stop.sh\n  \
newsidx export --to opensearch --out os -i index\n  \
newsidx export --to opensearch --query '长江 -黄河 source:新华' --sort date\n\n\
Without PATHS the articles of the index (-i) are exported; with PATHS the files are read \
as `index` reads them, no index needed. See docs/scale-out.md.")]
pub struct ExportArgs {
    /// Files and folders to read instead of the index (walked as `index` walks them).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The engine.
    #[arg(long, value_enum)]
    pub to: EngineArg,
    /// The folder to write (new, empty, or an earlier export).
    #[arg(long, value_name = "DIR", required_unless_present = "query")]
    pub out: Option<PathBuf>,
    /// Shards to split the articles into (OpenSearch: number_of_shards).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub shards: usize,
    /// Export only part K of N (0-based), by a stable hash of the article id,
    /// so that N machines can each export their part.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// The shards' hosts, `HOST:PORT,...` (agent port; SphinxQL on PORT+1).
    #[arg(long, value_name = "HOST:PORT,...", conflicts_with = "port_base")]
    pub nodes: Option<String>,
    /// With --nodes: the head's address (agent port; SphinxQL on PORT+1).
    #[arg(long, value_name = "HOST:PORT", requires = "nodes")]
    pub head: Option<String>,
    /// A trial on 127.0.0.1: shard K on ports P+2K (agent) and P+2K+1
    /// (SphinxQL), the head after the shards.
    #[arg(long, value_name = "P", default_value_t = 9400)]
    pub port_base: u16,
    /// With PATHS: the jieba user dictionary to segment with (as `index --user-dict`).
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// OpenSearch: print the `_search` body newsidx would send for QUERY, and nothing else.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// With --query: order of results.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// With --query: hits.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// With --query: hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// With --query: `--since` and `--until`.
    #[command(flatten)]
    pub dates: DateArgs,
    /// Threads preparing articles (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No summary line.
    #[arg(short, long)]
    pub quiet: bool,
}
