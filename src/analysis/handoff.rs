//! Word-view tokens made by the parse workers, handed to the word
//! tokenizer so that tantivy does not segment the same text again.
//!
//! An article is tagged once ([`tagged::tag`](super::tagged::tag)): that
//! pass gives the people, places and words of the article and also every
//! token the word view indexes. tantivy tokenises a text field with the
//! field's tokenizer and no side input, so the tokens wait here, under the
//! address and length of the text as the document holds it; the
//! tokenizer, given exactly that text, takes them instead of running
//! jieba. tantivy's pre-tokenized strings would carry them in the
//! document, but tantivy's document serialises them (as JSON) and copies
//! them on every read: more than the segmentation they save.
//!
//! A [`Handoff`] lives in the document it was made for and withdraws what
//! is left of its tokens when dropped, before the document's text is
//! freed, so an address is never looked up after its text is gone. A text
//! whose tokens are not here (any text not added by the index writer) is
//! segmented as always.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use super::tokens::TokenBuf;

type Key = (usize, usize);

/// One word-view token of a text: its range in the original text
/// (`from..to`, the token's offsets) and its text's range in the
/// normalised text (`start..end`). Byte offsets as `u32`, as the
/// normalised text's map holds them: 16 bytes a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Start in the original text.
    pub from: u32,
    /// End in the original text.
    pub to: u32,
    /// Start of the token's text in the normalised text.
    pub start: u32,
    /// End of the token's text in the normalised text.
    pub end: u32,
}

/// The word-view tokens of one text, as ranges (no string per token), and
/// the normalised text when normalising changed the text.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    spans: Vec<Span>,
    normalized: Option<String>,
}

impl Spans {
    /// No token yet, room for `n`.
    pub fn with_capacity(n: usize) -> Spans {
        Spans {
            spans: Vec::with_capacity(n),
            normalized: None,
        }
    }

    /// Appends a token.
    pub fn push(&mut self, span: Span) {
        self.spans.push(span);
    }

    /// The tokens' ranges.
    pub fn as_slice(&self) -> &[Span] {
        &self.spans
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there is no token.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Keeps `normalized`, the normalised text the ranges point into, when
    /// it is not the text itself.
    pub fn set_normalized(&mut self, normalized: String) {
        self.normalized = Some(normalized);
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.spans.capacity() * std::mem::size_of::<Span>()
            + self.normalized.as_ref().map_or(0, String::capacity)
    }

    /// Appends the tokens to `out`, `text` being the text they were made
    /// for (the normalised text when none was kept).
    pub fn write_to(&self, text: &str, out: &mut TokenBuf) {
        let src = self.normalized.as_deref().unwrap_or(text);
        for s in &self.spans {
            let text = src.get(s.start as usize..s.end as usize);
            out.push(s.from as usize, s.to as usize, text.unwrap_or_default());
        }
    }
}

fn table() -> &'static Mutex<HashMap<Key, Spans>> {
    static TABLE: OnceLock<Mutex<HashMap<Key, Spans>>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Entries in the table: while it is 0 (every index built without
/// `--entities`, and every query) a lookup takes no lock. An offer is made
/// before its document is sent to the writer thread, so that thread sees
/// the count the offer raised.
static LIVE: AtomicUsize = AtomicUsize::new(0);

fn key(text: &str) -> Key {
    (text.as_ptr() as usize, text.len())
}

/// Tokens offered for the texts of one document; withdrawn when dropped.
#[derive(Debug, Default)]
pub struct Handoff {
    keys: Vec<Key>,
}

impl Handoff {
    /// Offers `tokens` for `text`, which must be the text as the document
    /// that holds this handoff stores it (same address), and must stay
    /// there unchanged while the handoff lives. Empty texts are skipped.
    pub fn offer(&mut self, text: &str, tokens: Spans) {
        if text.is_empty() {
            return;
        }
        let k = key(text);
        let old = table()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(k, tokens);
        if old.is_none() {
            LIVE.fetch_add(1, Ordering::SeqCst);
        }
        self.keys.push(k);
    }
}

impl Drop for Handoff {
    fn drop(&mut self) {
        if self.keys.is_empty() {
            return;
        }
        let mut t = table().lock().unwrap_or_else(|e| e.into_inner());
        for k in &self.keys {
            if t.remove(k).is_some() {
                LIVE.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// The tokens offered for exactly this `text` (same address and length),
/// taken out; `None` when none were.
pub fn take(text: &str) -> Option<Spans> {
    if text.is_empty() || LIVE.load(Ordering::SeqCst) == 0 {
        return None;
    }
    let taken = table()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&key(text));
    if taken.is_some() {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_taken_once_and_withdrawn_on_drop() {
        let text = String::from("长江流域");
        let copy = text.clone();
        let mut tok = Spans::default();
        tok.push(Span {
            from: 0,
            to: 6,
            start: 0,
            end: 6,
        });
        let mut h = Handoff::default();
        h.offer(&text, tok.clone());
        assert!(take(&copy).is_none(), "another text with the same content");
        let taken = take(&text);
        assert_eq!(taken.as_ref().map(Spans::len), Some(1));
        let mut buf = TokenBuf::default();
        if let Some(t) = taken {
            t.write_to(&text, &mut buf);
        }
        assert_eq!(buf.texts(), ["长江"]);
        assert!(take(&text).is_none());
        h.offer(&text, tok);
        drop(h);
        assert!(take(&text).is_none());
    }
}
