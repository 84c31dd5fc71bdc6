//! The records of `inspect --json`: a `file` per file read (with the
//! articles shown), an `error` per file skipped, a `passed-over` per file
//! of a type newsidx does not read, then a `summary`.

use serde::Serialize;

use crate::corpus::FileInfo;

/// One article as `inspect` shows it.
#[derive(Debug, Serialize)]
pub struct Sample {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD` or null.
    pub date: Option<String>,
    /// Characters of the body.
    pub body_chars: usize,
    /// Author or null.
    pub author: Option<String>,
    /// Source or null.
    pub source: Option<String>,
    /// The body (`--body` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// One file as `inspect --json` reports it: its path, what reading it
/// found ([`FileInfo`] as it serialises itself), the articles shown.
#[derive(Debug, Serialize)]
pub struct FileReport<'a> {
    /// The file, as walked.
    pub path: &'a str,
    /// What reading it found.
    #[serde(flatten)]
    pub info: &'a FileInfo,
    /// The articles listed.
    pub shown: &'a [Sample],
}

/// The totals line.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Files read.
    pub files_read: usize,
    /// Files that could not be read.
    pub files_skipped: usize,
    /// Files of types newsidx does not read, in walked folders.
    pub files_passed_over: usize,
    /// Articles found.
    pub articles: usize,
    /// Warnings.
    pub warnings: usize,
}

/// One JSON Lines record of `inspect --json`: a flat object whose `type`
/// says which.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message<'a> {
    /// A file read.
    File(FileReport<'a>),
    /// A file that could not be read.
    Error {
        /// The file.
        path: &'a str,
        /// Why, one line.
        reason: String,
    },
    /// A file of a type newsidx does not read, in a walked folder.
    #[serde(rename = "passed-over")]
    PassedOver {
        /// The file.
        path: &'a str,
        /// Its type, as people name it.
        kind: String,
    },
    /// The totals.
    Summary(&'a Summary),
}
