//! Integration tests: the real binary on real text.

mod architecture;
mod attention;
mod browser;
mod core;
mod disk_faults;
mod engine_search;
mod export_opensearch;
mod export_parity;
mod export_sphinx;
mod formats;
mod http;
mod indexing;
mod keyword;
mod kwic;
mod long_articles;
mod news_corpus;
mod props;
mod quality;
mod readers;
mod records;
mod relaxed_cap;
mod robust;
mod serve;
mod synonyms;
mod terms;
mod util;
