//! Which shard an article goes to, and its engine document id: both from
//! a stable hash (64-bit FNV-1a), so every export of the same articles
//! splits them the same way, on any machine.

use std::collections::HashSet;

use anyhow::{bail, Result};

use crate::corpus::Article;

/// `--shard K/N`: this export takes the articles whose hash is K modulo N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// K, from 0.
    pub k: u64,
    /// N.
    pub n: u64,
}

impl Part {
    /// The whole corpus (0/1).
    pub const ALL: Part = Part { k: 0, n: 1 };

    /// Parses `K/N` (0 ≤ K < N).
    pub fn parse(s: &str) -> Result<Part> {
        let parsed = s
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((k, n)) if n > 0 && k < n => Ok(Part { k, n }),
            _ => bail!("--shard {s}: expected K/N with 0 <= K < N (e.g. 0/4)"),
        }
    }
}

/// The stable hash of an article id.
pub fn id_hash(id: &str) -> u64 {
    crate::fnv::hash(id.as_bytes())
}

/// The local shard (0..shards) of an article of `part`, or `None` when the
/// article belongs to another part.
pub fn shard_of(id: &str, part: Part, shards: usize) -> Option<usize> {
    let h = id_hash(id);
    if h % part.n != part.k {
        return None;
    }
    Some(((h / part.n) % shards.max(1) as u64) as usize)
}

/// Engine document ids: positive 63-bit numbers from the hash of the
/// article's id and path, the next free one on a collision (so two copies
/// of one id from two files stay two documents, as in the index).
#[derive(Debug, Default)]
pub struct DocIds {
    used: HashSet<u64>,
}

impl DocIds {
    /// The id of `a`.
    pub fn next(&mut self, a: &Article) -> u64 {
        let mut h = crate::fnv::Fnv::default();
        h.update(a.id.as_bytes());
        h.update(&[0]);
        h.update(a.path.as_bytes());
        let mut id = (h.value() & 0x7FFF_FFFF_FFFF_FFFF).max(1);
        while !self.used.insert(id) {
            id = (id % 0x7FFF_FFFF_FFFF_FFFF) + 1;
        }
        id
    }
}
