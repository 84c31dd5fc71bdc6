//! Integration tests: the real binary on real text.

mod architecture;
mod browser;
mod core;
mod disk_faults;
mod formats;
mod http;
mod indexing;
mod keyword;
mod news_corpus;
mod props;
mod quality;
mod readers;
mod records;
mod robust;
mod serve;
mod terms;
mod util;
