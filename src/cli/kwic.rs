//! The options of `newsidx kwic` (part of `cli`).

use clap::{Args, ValueEnum};

use super::{ColorWhen, DateArgs};

/// The order of concordance lines.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KwicSortArg {
    /// By the left context read backwards from the match (nearest
    /// character first), as concordancers sort.
    Left,
    /// By the right context.
    Right,
    /// Newest article first, undated last.
    Date,
}

/// `newsidx kwic`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  newsidx kwic 马斯克 --width 15 --sort left --all --csv > 马斯克.csv\n\n\
Without --sort, lines come article by article as found and are written at once \
(memory stays flat with --all); with --sort, every line is collected first."
)]
pub struct KwicArgs {
    /// The query, as for `search`: every article it matches as written
    /// (what `search` counts in total_hits), every occurrence of its
    /// words or phrases in them.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Characters of context on each side of the match (1–500).
    #[arg(short, long, default_value_t = 20, value_name = "CHARS")]
    pub width: usize,
    /// Order of the lines (default: as found, article by article).
    #[arg(long, value_enum)]
    pub sort: Option<KwicSortArg>,
    /// Lines to show.
    #[arg(short = 'n', long, default_value_t = 100, value_name = "N")]
    pub limit: usize,
    /// Every line (no --limit).
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    /// `--since` and `--until`.
    #[command(flatten)]
    pub dates: DateArgs,
    /// JSON Lines: one `kwic` line per occurrence, then a `summary`.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV with a header row: id,date,source,left,match,right.
    #[arg(long)]
    pub csv: bool,
    /// When to colour the match.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}
