//! Token parity of `newsidx export`: splitting an exported field on
//! U+200B gives, term for term, the tokens newsidx's own tokenizers (the
//! ones registered on every index) give for the same text — for arbitrary
//! text of Chinese (Simplified and Traditional), Latin, digits, full-width
//! forms, punctuation, white space, and U+200B and the engine's private-use
//! markers already in the source (escaped, so they never split or merge a
//! term). Every term is one the engine keeps whole: non-empty, at most
//! `MAX_TERM_BYTES`, and made only of characters of its `charset_table`.

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use newsidx::analysis::bigram::BigramTokenizer;
use newsidx::analysis::segmenter::{Mode, Segmenter};
use newsidx::analysis::tokens::TokenBuf;
use newsidx::analysis::words::WordTokenizer;
use newsidx::export::terms::{
    bigram_field, decode, engine_term, is_plain, words_field, View, END, MAX_TERM_BYTES, SEP, START,
};

fn seg() -> Arc<Segmenter> {
    static SEG: OnceLock<Arc<Segmenter>> = OnceLock::new();
    SEG.get_or_init(Segmenter::new).clone()
}

fn tokens(mut t: impl Tokenizer, text: &str) -> Vec<String> {
    let mut s = t.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        out.push(s.token().text.clone());
    }
    out
}

/// Checks that `field` is the terms of `expected`, one for one.
fn same_terms(field: &str, expected: &[String], view: View) -> Result<(), TestCaseError> {
    let pieces: Vec<&str> = if field.is_empty() {
        Vec::new()
    } else {
        field.split(SEP).collect()
    };
    prop_assert_eq!(
        pieces.len(),
        expected.len(),
        "{:?} vs {:?}",
        pieces,
        expected
    );
    for (piece, token) in pieces.iter().zip(expected) {
        prop_assert!(
            !piece.is_empty() && piece.len() <= MAX_TERM_BYTES,
            "{:?}",
            piece
        );
        prop_assert!(
            piece
                .chars()
                .all(|c| is_plain(c) || c == '_' || c == START || c == END),
            "{:?} holds a character the engine splits at",
            piece
        );
        match decode(piece) {
            Some(t) => prop_assert_eq!(&t, token),
            None => {
                let term = engine_term(token, view).into_owned();
                prop_assert_eq!(term.as_str(), *piece);
            }
        }
    }
    Ok(())
}

fn text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "长江",
        "黄河",
        "中华人民共和国",
        "北京",
        "会见",
        "的",
        "了",
        "長江",
        "黃河",
        "國務院",
        "門",
        "ＡＩ",
        "ｇｐｔ",
        "２０２４",
        "，",
        "。",
        "、",
        "“",
        "”",
        "（",
        "）",
        "iPhone15",
        "GPT-4",
        "v1.2_beta",
        "22.20",
        "3.5%",
        "a",
        "Z",
        "0",
        "9",
        " ",
        "  ",
        "\n",
        "\t",
        "\u{200B}",
        "\u{E000}",
        "\u{E001}",
        "_",
        "-",
        ".",
        "😀",
        "Москва",
        "é",
        "ß",
        "ｶﾀｶﾅ",
        "カタカナ",
        "한국어",
        "𠀀",
        "\u{3000}",
        "#",
        "&",
        "+",
        "%",
        "@",
        "*",
        "\"",
        "'",
    ]);
    let any = any::<char>().prop_map(|c| c.to_string());
    prop::collection::vec(
        prop_oneof![4 => pieces.prop_map(str::to_string), 1 => any],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn words_field_splits_into_the_word_views_tokens(t in text()) {
        let expected = tokens(WordTokenizer::new(seg(), Mode::Index), &t);
        let field = words_field(&seg(), &t, &mut TokenBuf::default());
        same_terms(&field, &expected, View::Words)?;
    }

    #[test]
    fn bigram_field_splits_into_the_bigram_views_tokens(t in text()) {
        let expected = tokens(BigramTokenizer::default(), &t);
        let field = bigram_field(&t, &mut TokenBuf::default());
        same_terms(&field, &expected, View::Bigrams)?;
    }
}

#[test]
fn a_zero_width_space_in_the_source_is_a_term_of_its_own_not_a_split() {
    let t = "长江\u{200B}黄河";
    let field = bigram_field(t, &mut TokenBuf::default());
    let pieces: Vec<&str> = field.split(SEP).collect();
    assert_eq!(pieces.len(), 3, "{field:?}");
    assert_eq!(pieces[1], "_200b_");
    let long = "中".repeat(15);
    let w = engine_term(&long, View::Words);
    assert!(w.starts_with("__") && w.len() <= MAX_TERM_BYTES, "{w}");
}
