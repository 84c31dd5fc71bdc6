//! Integration tests: the real binary on real text.

mod core;
mod indexing;
mod quality;
mod readers;
mod shared;
mod util;
