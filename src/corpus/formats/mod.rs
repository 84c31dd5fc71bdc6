//! The format readers: one file per format, each turning decoded text (or,
//! for Parquet, a file on disk) into articles sent to a
//! [`Sink`](crate::corpus::Sink). The pipeline that decompresses, decodes, sniffs
//! and calls them is beside this folder (`corpus/read.rs`); a reader
//! reports its problems without the file's name, which the sink adds.

pub mod delimited;
pub mod feed;
pub mod headerless;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mddump;
#[cfg(feature = "parquet")]
pub mod parquet_file;
pub mod scraped;
#[cfg(test)]
pub(crate) mod testing;
pub mod trec;
pub mod tsv;
pub mod warc;
