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

use tantivy::tokenizer::Token;

type Key = (usize, usize);

fn table() -> &'static Mutex<HashMap<Key, Vec<Token>>> {
    static TABLE: OnceLock<Mutex<HashMap<Key, Vec<Token>>>> = OnceLock::new();
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
    pub fn offer(&mut self, text: &str, tokens: Vec<Token>) {
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
pub fn take(text: &str) -> Option<Vec<Token>> {
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
        let tok = Token {
            text: "长江".into(),
            ..Token::default()
        };
        let mut h = Handoff::default();
        h.offer(&text, vec![tok.clone()]);
        assert!(take(&copy).is_none(), "another text with the same content");
        assert_eq!(take(&text).map(|t| t.len()), Some(1));
        assert!(take(&text).is_none());
        h.offer(&text, vec![tok]);
        drop(h);
        assert!(take(&text).is_none());
    }
}
