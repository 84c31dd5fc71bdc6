//! Command-line definition (clap derive). Parsing only validates.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod export;
mod kwic;
mod prepare;
pub use kwic::{KwicArgs, KwicSortArg};
pub use prepare::{prepare_args, usage_error};

/// Full-text search for folders of Chinese news articles.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, about, long_about = None)]
pub struct Cli {
    /// Index directory (every command; the NEWSIDX_INDEX environment
    /// variable sets it when the option is not given).
    #[arg(
        short,
        long,
        global = true,
        default_value = "index",
        env = "NEWSIDX_INDEX",
        value_name = "DIR"
    )]
    pub index: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from files and folders.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Count the articles that match a query as written (what `search`
    /// counts in total_hits), overall or by day, week, month, year or
    /// source; several queries side by side; shares of the whole index.
    #[command(after_help = COUNT_EXAMPLES)]
    Count(CountArgs),
    /// The words, people, places or organisations unusually frequent in
    /// the articles a query matches, against the whole index (G²).
    #[command(after_help = TERMS_HELP)]
    Terms(TermsArgs),
    /// Describe the index.
    Stats(StatsArgs),
    /// Show what indexing would read (format, encoding, articles), without touching the index.
    Inspect(InspectArgs),
    /// Measure ranking quality on queries with relevance judgements.
    Eval(EvalArgs),
    /// Show how text is normalised and segmented.
    Analyze(AnalyzeArgs),
    /// Serve the index over HTTP: a search page and a JSON API.
    Serve(ServeArgs),
    /// Concordance: every occurrence of a query in every matching
    /// article, one line each with its left and right context.
    Kwic(KwicArgs),
    /// Show the synonym groups stored with the index (`index --synonyms`).
    Synonyms(SynonymsArgs),
    /// Write the articles for a distributed engine (Sphinx / Manticore
    /// shards with their cluster, or OpenSearch bulk files), tokenised by
    /// newsidx's own analysis.
    Export(export::ExportArgs),
    /// Print a shell completion script on stdout.
    #[command(after_help = "Examples:\n  \
        source <(newsidx completions bash)\n  \
        newsidx completions zsh > ~/.zfunc/_newsidx\n  \
        newsidx completions fish > ~/.config/fish/completions/newsidx.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout.
    #[command(after_help = "Example:\n  newsidx man | man -l -")]
    Man,
}

/// `newsidx synonyms`.
#[derive(Debug, Args)]
pub struct SynonymsArgs {
    /// One JSON object per group on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsidx completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `newsidx index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to index (folders are walked recursively).
    #[arg(default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Writer memory budget in MB.
    #[arg(long, default_value_t = 192, value_name = "MB")]
    pub heap: usize,
    /// Indexing threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Keep the articles of files that were deleted from the named folders.
    #[arg(long)]
    pub no_prune: bool,
    /// Commit at least every SECS seconds during long runs.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub commit_every: u64,
    /// Delete the index and build it again from scratch.
    #[arg(long)]
    pub rebuild: bool,
    /// Jieba user dictionary (`word [freq] [tag]` per line), stored with the
    /// index so that queries segment the same way. Changing it needs
    /// `--rebuild`.
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// Synonym groups, one per line (`新冠 新型冠状病毒 COVID-19`), stored
    /// with the index: a search for any member finds every member, each
    /// matched exactly as typed. Takes effect at once, without `--rebuild`;
    /// an empty file removes them. See docs/synonyms.md.
    #[arg(long, value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// Also store, per article, the people, places and organisations
    /// jieba's tagger finds and the distinct words `newsidx terms` counts
    /// (about 40 % more indexing CPU). Given when the index is built; an
    /// index with articles needs `--rebuild --entities`. Kept by later runs.
    #[arg(long)]
    pub entities: bool,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Result ordering.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Date,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorWhen {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `newsidx search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (all must match), "exact phrases", OR, -exclusions,
    /// title:…, source:….
    #[arg(required_unless_present = "batch", value_name = "QUERY")]
    pub query: Vec<String>,
    /// Read one query per line from FILE (or stdin when FILE is `-` or
    /// absent) and write JSON Lines, each line carrying its `query`.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// Hits to show.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order of results.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// `--since` and `--until`.
    #[command(flatten)]
    pub dates: DateArgs,
    /// JSON Lines on stdout.
    #[arg(long)]
    pub json: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Show near-duplicate articles separately instead of collapsing them.
    #[arg(long)]
    pub no_collapse: bool,
    /// Never relax a query: show only articles that match it as written
    /// (without it, a question with few matches, or keywords with none,
    /// also shows articles with only some of the words, apart).
    #[arg(long)]
    pub no_relax: bool,
    /// Search members of the index's synonym groups as typed only, without
    /// their synonyms.
    #[arg(long)]
    pub no_synonyms: bool,
    /// Passages per article.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub passages: usize,
    /// `--engine` and `--engine-dir`.
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// The date bounds of `search` and `count`.
#[derive(Debug, Args)]
pub struct DateArgs {
    /// Only articles published on or after this date.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// The examples under `newsidx count --help`.
const COUNT_EXAMPLES: &str = "Examples:
  newsidx count 江豚 --by month
  newsidx count --query 江豚 --query 长江禁渔 --by month --normalize
  newsidx count --query 江豚 --query 长江禁渔 --by week --normalize --csv > attention.csv
  newsidx count --batch queries.txt --by year --normalize --json

With --normalize, --csv, --query, or --by day|week the time buckets form a
series: every period from --since (else the first match of any query) to
--until (else the last) is present, empty ones with count 0, the same for
every query. Weeks are ISO 8601 weeks (2024-W07, Monday to Sunday). Share
is count / of, `of` being the articles of the same bucket in the whole
index (within --since/--until).";

/// What `count` counts by.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ByArg {
    /// The article's day (2024-07-13).
    Day,
    /// ISO 8601 week of the article's date (2024-W07, weeks start on Monday).
    Week,
    /// Calendar year of the article's date.
    Year,
    /// Calendar month of the article's date.
    Month,
    /// The article's source.
    Source,
}

/// `newsidx count`.
#[derive(Debug, Args)]
pub struct CountArgs {
    /// `--engine` and `--engine-dir`.
    #[command(flatten)]
    pub engine: EngineArgs,
    /// The query, as for `search`.
    #[arg(required_unless_present_any = ["batch", "queries"], value_name = "QUERY")]
    pub query: Vec<String>,
    /// Another query to count beside the others, one series each (repeat
    /// for several: `--query 江豚 --query 长江禁渔`).
    #[arg(long = "query", value_name = "Q", conflicts_with = "batch")]
    pub queries: Vec<String>,
    /// Beside each bucket, the articles of that bucket in the whole index
    /// (`of`) and the query's share of them (`share` = count / of).
    #[arg(long)]
    pub normalize: bool,
    /// CSV with a header row (query,key,count[,of,share]) for spreadsheets.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// One line per bucket (articles without a date or source in a bucket
    /// of their own, so the buckets add up to the total).
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    /// `--since` and `--until`.
    #[command(flatten)]
    pub dates: DateArgs,
    /// JSON Lines: one bucket line each, then the total.
    #[arg(long)]
    pub json: bool,
    /// Count members of the index's synonym groups as typed only, without
    /// their synonyms.
    #[arg(long)]
    pub no_synonyms: bool,
    /// Read one query per line from FILE (or stdin when FILE is `-` or
    /// absent) and write JSON Lines, each line carrying its `query`.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
}

/// How `terms` ranks, and an example.
pub const TERMS_HELP: &str = "\
Score: Dunning's log-likelihood ratio G² of the 2×2 table of the matching
articles considered (n1, of which k1 have the term) against the articles the
query does not match (n2, of which k2 have it):
  G² = 2 Σ O·ln(O/E) over the cells k1, n1−k1, k2, n2−k2,
  E  = row total × column total / (n1 + n2).
Only terms more frequent in the matching articles are listed, best first, in
at least 2 of them. Counts are of articles; near-duplicate copies count once;
above 20,000 matching articles an even sample of 20,000 is taken (said in the
summary). Words are jieba words of two characters or more, numbers and stop
words left out; people (nr), places (ns) and organisations (nt) are the names
jieba's tagger found at index time (a user dictionary line `王明 nr` adds one).

Example:
  newsidx terms 江豚 -n 10
  newsidx terms 长江 --kind people --json
  newsidx search 'person:王毅 place:北京'";

/// What `terms` lists.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TermsKindArg {
    /// Words (jieba's cut).
    Words,
    /// People (jieba tag nr).
    People,
    /// Places (ns).
    Places,
    /// Organisations (nt).
    Orgs,
}

/// `newsidx terms`.
#[derive(Debug, Args)]
pub struct TermsArgs {
    /// The query, as for `search` (matched as written, never relaxed).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// How many terms.
    #[arg(short = 'n', long = "limit", default_value_t = 30)]
    pub limit: usize,
    /// What to list.
    #[arg(long, value_enum, default_value_t = TermsKindArg::Words)]
    pub kind: TermsKindArg,
    /// `--since` and `--until`.
    #[command(flatten)]
    pub dates: DateArgs,
    /// JSON Lines: one `term` line each, best first, then a `summary`.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV with a header row: term,kind,count,corpus_count,score.
    #[arg(long)]
    pub csv: bool,
}

/// `newsidx stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsidx inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files and folders to inspect (folders are walked as `index` walks them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Articles to list per file.
    #[arg(short = 'n', long, default_value_t = 5, value_name = "N")]
    pub articles: usize,
    /// List every article.
    #[arg(long)]
    pub all: bool,
    /// Also print each listed article's body text, as it would be indexed.
    #[arg(long)]
    pub body: bool,
    /// JSON Lines on stdout: one `file` (or `error`) message per file, then a `summary`.
    #[arg(long)]
    pub json: bool,
}

/// `newsidx eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Queries, JSON Lines `{"id": …, "text": …}`.
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,
    /// Relevance judgements, `qid<TAB>doc_id<TAB>relevance` per line.
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Also print one JSON line per query (rank of the first relevant
    /// document, top ten ids and scores) before the summary.
    #[arg(long)]
    pub per_query: bool,
    /// Judge near-duplicate articles separately instead of collapsing them
    /// as `search` does (a collapsed hit counts by the article shown).
    #[arg(long)]
    pub no_collapse: bool,
    /// Write each query's re-ranking candidates (first-stage score,
    /// features, relevance) to FILE as JSON Lines, for fitting the
    /// re-ranking weights (bench/fit_rerank.py).
    #[arg(long, value_name = "FILE")]
    pub features: Option<PathBuf>,
    // Override a ranking setting for this run; its help names every
    // setting the ranking knows, so `commands::definition` gives it at run
    // time (`commands::eval::set_help`) and `cli` needs nothing of `search`.
    #[arg(long, value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// `--engine` and `--engine-dir`: run the queries against a Sphinx /
    /// Manticore cluster made by `newsidx export --to sphinx` (the
    /// engine's first stage, then newsidx's re-ranking, as `search
    /// --engine`).
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// What `analyze` shows.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AnalyzeMode {
    /// Jieba's default cut of the normalised text, punctuation included.
    Words,
    /// The tokens of the indexed word view (jieba search mode).
    Index,
    /// The words a search for the text looks for (stop words removed).
    Query,
}

/// `newsidx analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Which analysis to show.
    #[arg(long, value_enum, default_value_t = AnalyzeMode::Words)]
    pub mode: AnalyzeMode,
    /// Text to analyse; without it, every line of standard input is
    /// analysed and printed on one output line.
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,
    /// One JSON object per line, with UTF-8 byte offsets into the line.
    #[arg(long)]
    pub json: bool,
    /// Query mode: leave out the expansion by the index's synonym groups.
    #[arg(long)]
    pub no_synonyms: bool,
}

/// `newsidx serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but a loopback address is reachable
    /// from other machines (a warning says so).
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "HOST:PORT")]
    pub addr: String,
    /// Require `Authorization: Bearer TOKEN` on the API.
    #[arg(
        long,
        env = "NEWSIDX_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Searches run at once; more wait their turn (default: twice the cores).
    #[arg(long, value_name = "N")]
    pub max_searches: Option<usize>,
    /// Longest a search may take (waiting included) before it is answered
    /// with an error.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub time_limit: f64,
    /// How often to look for a new commit of the index.
    #[arg(long, default_value_t = 1.0, value_name = "SECS")]
    pub reload_every: f64,
    /// `--engine` and `--engine-dir`: serve the searches of a Sphinx /
    /// Manticore cluster instead of the local index (search, count and
    /// articles; the concordance, significant terms and the index's
    /// statistics answer 400).
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Where `search` and `count` find their first stage when it is not the
/// local index.
#[derive(Debug, Args, Default, Clone)]
pub struct EngineArgs {
    /// Search a Sphinx / Manticore cluster made by `newsidx export --to
    /// sphinx` instead of the local index: the export folder or its
    /// cluster.json (e.g. `--engine exp/cluster.json`), or the engine URL
    /// with --engine-dir (e.g. `--engine sphinx://127.0.0.1:9306/news
    /// --engine-dir exp`). No -i index is needed.
    #[arg(long, value_name = "DIR|URL")]
    pub engine: Option<String>,
    /// The export folder of an --engine URL (its query lexicon, user
    /// dictionary and synonyms plan the queries).
    #[arg(long, value_name = "DIR", requires = "engine")]
    pub engine_dir: Option<PathBuf>,
}
