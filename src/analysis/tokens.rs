//! A reusable token buffer: token texts keep their allocations from one
//! document to the next, which saves a malloc/free pair per token.

use tantivy::tokenizer::TokenStream;

/// One token: its text and byte offsets in the original (the tokenizers'
/// own type, so callers above need not name the index library).
pub use tantivy::tokenizer::Token;

/// Tokens of the current text; storage is reused across texts.
#[derive(Debug, Clone, Default)]
pub struct TokenBuf {
    toks: Vec<Token>,
    len: usize,
}

impl TokenBuf {
    /// Forgets the tokens but keeps their storage.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Appends a token with the next position.
    #[inline]
    pub fn push(&mut self, offset_from: usize, offset_to: usize, text: &str) {
        let position = self.len;
        if let Some(t) = self.toks.get_mut(position) {
            t.offset_from = offset_from;
            t.offset_to = offset_to;
            t.position = position;
            t.position_length = 1;
            t.text.clear();
            t.text.push_str(text);
        } else {
            self.toks.push(Token {
                offset_from,
                offset_to,
                position,
                text: text.to_string(),
                position_length: 1,
            });
        }
        self.len += 1;
    }

    /// The tokens.
    pub fn as_slice(&self) -> &[Token] {
        &self.toks[..self.len]
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no token.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The token texts.
    pub fn texts(&self) -> Vec<String> {
        self.as_slice().iter().map(|t| t.text.clone()).collect()
    }

    /// A token stream over the buffer.
    pub fn stream(&mut self) -> BufTokenStream<'_> {
        BufTokenStream {
            toks: &mut self.toks[..self.len],
            index: usize::MAX,
        }
    }
}

/// A token stream over a [`TokenBuf`].
pub struct BufTokenStream<'a> {
    toks: &'a mut [Token],
    index: usize,
}

impl TokenStream for BufTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.toks.len()
    }

    fn token(&self) -> &Token {
        &self.toks[self.index]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.toks[self.index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_is_reused_and_positions_restart() {
        let mut b = TokenBuf::default();
        b.push(0, 3, "长江");
        b.push(3, 6, "黄河");
        b.clear();
        b.push(0, 1, "a");
        assert_eq!(b.len(), 1);
        assert_eq!(b.as_slice()[0].text, "a");
        assert_eq!(b.as_slice()[0].position, 0);
        let mut s = b.stream();
        assert!(s.advance());
        assert_eq!(s.token().text, "a");
        assert!(!s.advance());
    }
}
