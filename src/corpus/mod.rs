//! Reading article dumps: formats, encodings, compression and the folder walk.
//!
//! [`read_file`] turns one file into [`Article`]s, handed one at a time to a
//! sink. Reading is a pipeline over a stream, so memory stays bounded:
//!
//! 1. [`compress`]: gzip, zstd or bzip2 is recognised by magic bytes and
//!    decompressed on the fly;
//! 2. [`decode`]: the encoding is detected from the first 64 KiB (BOM,
//!    UTF-8, else `chardetng`: GBK/GB18030, Big5, …) and the stream decoded
//!    to UTF-8, undecodable bytes becoming U+FFFD (one warning per file);
//! 3. [`sniff`]: the format is decided from the decoded head and the name;
//! 4. one reader per format, in [`formats`]: record formats
//!    ([`formats::json`] Lines, [`formats::tsv`], [`formats::trec`] `<doc>`
//!    dumps) are streamed record by record with a size cap per record;
//!    one-document formats ([`formats::scraped`] text pages, Markdown
//!    ([`formats::markdown`], [`formats::mddump`] daily dumps),
//!    [`formats::json`], [`formats::html`]) are read whole up to
//!    [`stream::MAX_DOCUMENT`].
//!
//! Problems that cost part of a file (a malformed JSON line, an unparseable
//! date, damaged bytes, a file cut short after some records) are returned
//! as warnings in [`FileInfo`]; problems that cost the whole file are errors,
//! one line each, naming the file. Readers say what went wrong without the
//! file's name; the [`Sink`] (warnings) and [`read_file`] (errors) put it in
//! front once. `docs/formats.md` is the user-facing
//! description of all of this.

mod article;
pub mod boilerplate;
pub mod compress;
pub mod decode;
pub mod fields;
mod format;
pub mod formats;
pub mod guard;
pub mod paths;
mod read;
mod sink;
pub mod sniff;
pub mod stream;
pub mod walk;

pub use article::Article;
pub use format::{format_of, Format};
pub use read::{read_file, read_file_hashed, read_file_with, read_stream, FileInfo};
pub use sink::{Sink, MAX_WARNINGS};
