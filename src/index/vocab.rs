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

use crate::analysis::tagged::word_hash;

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

/// A word of the table: its hash and number, and the word itself when
/// it is short (most are: up to five ideographs), so that a look-up reads
/// one slot of the table and not also the word's place in the string.
#[derive(Clone, Copy)]
struct Entry {
    hash: u64,
    id: u32,
    len: u32,
    inline: [u8; INLINE],
}

/// The longest word held in its entry.
const INLINE: usize = 16;

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
            inline,
        }
    }
}

impl Inner {
    fn word(&self, id: usize) -> &str {
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
    }

    /// The number of `word` (hash `h`), a new one when it has none.
    fn number(&mut self, h: u64, word: &str) -> u32 {
        let Inner {
            table, text, ends, ..
        } = self;
        let found = table.find(h, |e| {
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
        });
        if let Some(e) = found {
            return e.id;
        }
        let id = ends.len() as u32;
        text.push_str(word);
        ends.push(text.len());
        table.insert_unique(h, Entry::new(h, id, word), |e| e.hash);
        id
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
                inner.number(word_hash(word), word);
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
    /// [`word_hash`]), numbering the ones never seen.
    pub fn number(&self, words: &[(u64, &str)], out: &mut Vec<u64>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        out.extend(words.iter().map(|&(h, w)| u64::from(inner.number(h, w))));
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
        let mut ids = Vec::new();
        v.number(&hashed(&["经济", "合作"]), &mut ids);
        v.number(&hashed(&["合作", "北京"]), &mut ids);
        assert_eq!(ids, [0, 1, 1, 2]);
        v.write().expect("write");
        // A run that numbered a word but stopped before writing it whole.
        let path = dir.path().join(VOCAB_FILE);
        let mut f = OpenOptions::new().append(true).open(&path).expect("open");
        f.write_all(&[9, 0, 0, 0, b'x']).expect("append");
        let v = Vocab::open(dir.path()).expect("reopen");
        ids.clear();
        v.number(&hashed(&["北京", "中华人民共和国国务院", "上海"]), &mut ids);
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
        again.number(&hashed(&["中华人民共和国国务院", "合作"]), &mut ids);
        assert_eq!(ids, [3, 1]);
    }
}
