//! Integration tests: the real binary on real text.

mod browser;
mod core;
mod formats;
mod http;
mod indexing;
mod keyword;
mod props;
mod quality;
mod readers;
mod robust;
mod serve;
mod shared;
mod util;
