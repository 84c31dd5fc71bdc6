//! newsidx: full-text search for folders of Chinese news articles.
//!
//! The library behind the `newsidx` binary: [`corpus`] reads dumps ([`dates`]: the dates in them and in queries),
//! [`analysis`] segments Chinese text (jieba words and CJK bigrams),
//! [`index`] writes a tantivy index, [`search`] ranks articles and picks
//! passages, [`evaluation`] measures the ranking on judged questions,
//! [`output`] prints results for people or scripts, and [`commands`] runs
//! each subcommand. `ARCHITECTURE.md` shows how they fit together.

pub mod analysis;
pub mod chars;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod dates;
pub mod engine;
pub mod evaluation;
pub mod exit;
pub mod export;
pub mod fnv;
pub mod index;
pub mod kept;
pub mod messages;
pub mod output;
pub mod progress;
pub mod search;
pub mod serve;
pub mod threads;
