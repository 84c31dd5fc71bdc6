//! The vocabulary of the `terms` column (`index --entities`): the
//! countable words of the index, each given a number the first time an
//! article has it. The `terms` column holds, per article, the numbers of
//! its distinct words (a multi-valued `u64` fast field); this file
//! (`terms.vocab`) holds the words, in number order.
//!
//! Why not a text column: tantivy's columnar dictionary of a text fast
//! field looked every word of every article up in a per-segment hash
//! dictionary, sorted and remapped it when the segment was written and
//! again at every merge, about half of what `--entities` added to
//! indexing. The numbers here are the index's, not a segment's, so a
//! merge copies them as they are, and counting at query time is an array
//! indexed by number across all segments.
//!
//! The file only grows: words are appended in number order (each as its
//! length, four bytes little-endian, then its UTF-8 bytes) and made
//! durable before the commit whose articles use them, so every number a
//! committed article holds is in it. A tail left by a run that stopped
//! before its commit is cut off when the next run opens it for writing;
//! numbers no live article holds (their articles deleted, or never
//! committed) are harmless.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use hashbrown::HashTable;

use crate::analysis::tagged::{word_hash, Kind};

/// Name of the vocabulary file inside an index directory.
pub const VOCAB_FILE: &str = "terms.vocab";

/// The vocabulary an indexing run numbers words with, shared by the
/// parse workers.
pub struct Vocab {
    path: PathBuf,
    inner: Mutex<Inner>,
}

/// The words numbered: a table looked up with the hash each word already
/// carries ([`Found::words`](crate::analysis::tagged::Found)), the words
/// themselves end to end in one string.
#[derive(Default)]
struct Inner {
    table: HashTable<Entry>,
    text: String,
    /// Where word `n` ends in `text` (it starts where `n - 1` ends).
    ends: Vec<usize>,
    /// How many words the file holds.
    written: usize,
}

/// A word of the table: its hash and number, the kind of name its tag
/// makes it (once asked, see [`Known`]), and the word itself when it is
/// short (most are: up to five ideographs), so that a look-up reads one
/// slot of the table and not also the word's place in the string.
#[derive(Clone, Copy)]
struct Entry {
    hash: u64,
    id: u32,
    len: u32,
    kind: u8,
    inline: [u8; INLINE],
}

/// The longest word held in its entry.
const INLINE: usize = 15;

/// What the vocabulary knows of a word's part-of-speech tag: the kind of
/// name it makes the word, if any (a word's tag is the same wherever
/// jieba cuts it, see `analysis/tagged.rs`), or nothing yet (a word
/// numbered by an earlier run, or by another thread just now). Not kept
/// in the file: asked again in each run, once per word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Not asked yet.
    Unknown,
    /// The kind of name, or none.
    Kind(Option<Kind>),
}

impl Known {
    fn code(self) -> u8 {
        match self {
            Known::Unknown => 0,
            Known::Kind(None) => 1,
            Known::Kind(Some(Kind::Person)) => 2,
            Known::Kind(Some(Kind::Place)) => 3,
            Known::Kind(Some(Kind::Org)) => 4,
        }
    }

    fn of_code(code: u8) -> Known {
        match code {
            1 => Known::Kind(None),
            2 => Known::Kind(Some(Kind::Person)),
            3 => Known::Kind(Some(Kind::Place)),
            4 => Known::Kind(Some(Kind::Org)),
            _ => Known::Unknown,
        }
    }
}

impl Entry {
    fn new(hash: u64, id: u32, word: &str) -> Entry {
        let mut inline = [0u8; INLINE];
        if word.len() <= INLINE {
            inline[..word.len()].copy_from_slice(word.as_bytes());
        }
        Entry {
            hash,
            id,
            len: word.len() as u32,
            kind: Known::Unknown.code(),
            inline,
        }
    }
}

impl Inner {
    fn word(&self, id: usize) -> &str {
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
    }

    /// The number of `word` (hash `h`), a new one when it has none, and
    /// what is known of its tag.
    fn number(&mut self, h: u64, word: &str) -> (u32, Known) {
        let Inner {
            table, text, ends, ..
        } = self;
        if let Some(e) = table.find(h, |e| is(e, h, word, text, ends)) {
            return (e.id, Known::of_code(e.kind));
        }
        let id = ends.len() as u32;
        text.push_str(word);
        ends.push(text.len());
        table.insert_unique(h, Entry::new(h, id, word), |e| e.hash);
        (id, Known::Unknown)
    }

    /// Records what `word`'s tag makes it.
    fn set_kind(&mut self, h: u64, word: &str, kind: Option<Kind>) {
        let Inner {
            table, text, ends, ..
        } = self;
        if let Some(e) = table.find_mut(h, |e| is(e, h, word, text, ends)) {
            e.kind = Known::Kind(kind).code();
        }
    }
}

/// True when entry `e` is `word` (hash `h`).
fn is(e: &Entry, h: u64, word: &str, text: &str, ends: &[usize]) -> bool {
    e.hash == h
        && e.len as usize == word.len()
        && match word.len() <= INLINE {
            true => &e.inline[..word.len()] == word.as_bytes(),
            false => {
                let id = e.id as usize;
                let start = if id == 0 { 0 } else { ends[id - 1] };
                &text[start..ends[id]] == word
            }
        }
}

impl Vocab {
    /// The vocabulary of the index at `dir` (empty when it has none), a
    /// tail not written whole cut off the file.
    pub fn open(dir: &Path) -> Result<Vocab> {
        let path = dir.join(VOCAB_FILE);
        let mut inner = Inner::default();
        if path.is_file() {
            let bytes =
                std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
            let mut whole = 0;
            for (word, end) in Records::new(&bytes) {
                let _ = inner.number(word_hash(word), word);
                whole = end;
            }
            inner.written = inner.ends.len();
            if whole < bytes.len() {
                OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .and_then(|f| f.set_len(whole as u64))
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
        }
        Ok(Vocab {
            path,
            inner: Mutex::new(inner),
        })
    }

    /// Appends to `out` the numbers of `words` (distinct, each with its
    /// [`word_hash`]), numbering the ones never seen, and to `known` what
    /// is known of each one's tag.
    pub fn number(&self, words: &[(u64, &str)], out: &mut Vec<u64>, known: &mut Vec<Known>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        for &(h, w) in words {
            let (id, k) = inner.number(h, w);
            out.push(u64::from(id));
            known.push(k);
        }
    }

    /// Records the kind of name `word`'s tag makes it (none: `None`), for
    /// the next article that has the word.
    pub fn set_kinds<'w>(&self, words: impl IntoIterator<Item = (u64, &'w str, Option<Kind>)>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        for (h, w, kind) in words {
            inner.set_kind(h, w, kind);
        }
    }

    /// Appends the words numbered since the last call to the file and
    /// makes them durable (before a commit whose articles may use them).
    pub fn write(&self) -> Result<()> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.written == inner.ends.len() {
            return Ok(());
        }
        let mut buf = Vec::new();
        for id in inner.written..inner.ends.len() {
            let w = inner.word(id);
            buf.extend_from_slice(&(w.len() as u32).to_le_bytes());
            buf.extend_from_slice(w.as_bytes());
        }
        let write = || -> std::io::Result<()> {
            let mut f: File = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
            f.write_all(&buf)?;
            f.sync_data()
        };
        write().with_context(|| format!("{}: cannot write", self.path.display()))?;
        inner.written = inner.ends.len();
        Ok(())
    }
}

/// The words of an index's vocabulary file, by number (read for `terms`).
pub struct Words {
    bytes: Vec<u8>,
    /// Where each word ends in `bytes` (it starts 4 bytes after the
    /// previous end).
    ends: Vec<u32>,
}

impl Words {
    /// Reads the vocabulary of the index at `dir` (empty when it has none).
    pub fn read(dir: &Path) -> Result<Words> {
        let path = dir.join(VOCAB_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
        };
        let ends = Records::new(&bytes).map(|(_, end)| end as u32).collect();
        Ok(Words { bytes, ends })
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Word number `id`, if there is one.
    pub fn get(&self, id: usize) -> Option<&str> {
        let end = *self.ends.get(id)? as usize;
        let start = match id {
            0 => 4,
            _ => self.ends[id - 1] as usize + 4,
        };
        std::str::from_utf8(self.bytes.get(start..end)?).ok()
    }
}

/// The whole records of a vocabulary file: each word and where it ends.
struct Records<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Records<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Records { bytes, at: 0 }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let head = self.bytes.get(self.at..self.at + 4)?;
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let end = self.at + 4 + len;
        let word = std::str::from_utf8(self.bytes.get(self.at + 4..end)?).ok()?;
        self.at = end;
        Some((word, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_persist_and_a_torn_tail_is_cut() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vocab::open(dir.path()).expect("open");
        let hashed = |ws: &[&'static str]| -> Vec<(u64, &'static str)> {
            ws.iter().map(|w| (word_hash(w), *w)).collect()
        };
        let (mut ids, mut known) = (Vec::new(), Vec::new());
        v.number(&hashed(&["经济", "合作"]), &mut ids, &mut known);
        v.set_kinds([(word_hash("合作"), "合作", None)]);
        v.set_kinds([(word_hash("北京"), "北京", Some(Kind::Place))]);
        v.number(&hashed(&["合作", "北京"]), &mut ids, &mut known);
        v.set_kinds([(word_hash("北京"), "北京", Some(Kind::Place))]);
        v.number(&hashed(&["北京"]), &mut ids, &mut known);
        assert_eq!(ids, [0, 1, 1, 2, 2]);
        let place = Known::Kind(Some(Kind::Place));
        let none = Known::Kind(None);
        let unknown = Known::Unknown;
        assert_eq!(known, [unknown, unknown, none, unknown, place]);
        v.write().expect("write");
        // A run that numbered a word but stopped before writing it whole.
        let path = dir.path().join(VOCAB_FILE);
        let mut f = OpenOptions::new().append(true).open(&path).expect("open");
        f.write_all(&[9, 0, 0, 0, b'x']).expect("append");
        let v = Vocab::open(dir.path()).expect("reopen");
        ids.clear();
        v.number(
            &hashed(&["北京", "中华人民共和国国务院", "上海"]),
            &mut ids,
            &mut known,
        );
        assert_eq!(ids, [2, 3, 4]);
        v.write().expect("write");
        let words = Words::read(dir.path()).expect("read");
        let all: Vec<_> = (0..words.len()).filter_map(|i| words.get(i)).collect();
        assert_eq!(
            all,
            ["经济", "合作", "北京", "中华人民共和国国务院", "上海"]
        );
        assert_eq!(words.get(5), None);
        let again = Vocab::open(dir.path()).expect("reopen");
        ids.clear();
        again.number(
            &hashed(&["中华人民共和国国务院", "合作"]),
            &mut ids,
            &mut known,
        );
        assert_eq!(ids, [3, 1]);
    }
}
