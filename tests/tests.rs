//! Integration tests: the real binary on real text.

mod core;
mod formats;
mod indexing;
mod keyword;
mod props;
mod quality;
mod readers;
mod robust;
mod shared;
mod util;
