//! The ranking weights: first-stage BM25 weights of each view, the
//! coordination bonus, and the re-ranking weights of the top candidates.

/// Ranking weights (tuned on the tuning sets; see BENCHMARKS.md).
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    /// Title, jieba words.
    pub title_words: f32,
    /// Body, jieba words.
    pub body_words: f32,
    /// Title, bigram substring.
    pub title_bigrams: f32,
    /// Body, bigram substring.
    pub body_bigrams: f32,
    /// Bonus per matched unit: articles with more of the query's words
    /// rank first, BM25 orders those with as many.
    pub coord: f32,
    /// Weight of the whole unquoted text occurring verbatim (a proximity
    /// signal: 巴布什金 cut as 巴/布什/金 still ranks the name first).
    pub chunk: f32,
    /// Weight of each bigram of the query words on its own (scored, never
    /// required): partial credit when a word as a whole is missing, e.g. a
    /// name jieba glued to its neighbour (魏舒史 for 魏舒 + 史称).
    pub bigram_bag: f32,
    /// Proximity re-ranking: the top candidates gain this share of the
    /// best candidate's score times the share of the query's weight their
    /// best window holds (see [`super::rerank`]); 0 drops this feature
    /// (`rerank_depth = 0` turns the whole re-ranking off).
    pub proximity: f32,
    /// Width of that window, in characters.
    pub window: usize,
    /// Re-ranking bonus (times the best candidate's score) for a title
    /// the query's words cover (see [`super::rerank::features::Terms::title_cover`]).
    pub title_cover: f32,
    /// How many top candidates are re-ranked.
    pub rerank_depth: usize,
    /// Re-ranking bonus for the share of the query's weight within 64
    /// characters (see [`super::rerank::features::Features`]).
    pub wide: f32,
    /// Re-ranking bonus for the share of the query's weight anywhere.
    pub coverage: f32,
    /// Re-ranking bonus for the share of the query's weight in the title.
    pub title_words_share: f32,
    /// Re-ranking bonus per unit of ln(1 + body characters / 100)
    /// (negative: a penalty for length; 0 by default).
    pub length: f32,
    /// Re-ranking bonus for consecutive query words found in order.
    pub pairs: f32,
    /// Re-ranking bonus for an answer of the kind the question asks for
    /// next to a query word (see [`super::rerank::answer`]).
    pub answer: f32,
    /// Re-ranking bonus for the share of the query's weight in the best
    /// 256-character passage (see [`super::rerank::features::Features`]).
    pub passage: f32,
    /// Re-ranking bonus for the share of the query's weight in the lead
    /// (the body's first 200 characters).
    pub lead: f32,
    /// Effective BM25 `b` (length normalisation) of the body's jieba
    /// words (see [`super::lengthnorm`]; 0.75 is tantivy's own).
    pub b_body_words: f32,
    /// Effective BM25 `b` of the body's bigrams.
    pub b_body_bigrams: f32,
    /// Effective BM25 `b` of the title's jieba words.
    pub b_title_words: f32,
    /// Effective BM25 `b` of the title's bigrams.
    pub b_title_bigrams: f32,
}

impl Default for Weights {
    /// The first-stage weights were tuned on the pooled question sets
    /// (BENCHMARKS.md, "Search quality"): a small title weight (news
    /// titles otherwise outrank answer passages), a coverage bonus large
    /// enough to put articles with every word first, a half-weight bag of
    /// bigrams. The titles' length normalisation and the re-ranking
    /// weights of the top 30 were chosen by `bench/fit_rerank.py` on the
    /// question sets and the fit folds of the news-search families
    /// together (BENCHMARKS.md, "News-search families"): no length prior
    /// (it only paid where short answer passages were pooled among long
    /// news), the best passage and the lead instead.
    fn default() -> Self {
        Weights {
            title_words: 0.2,
            body_words: 1.0,
            title_bigrams: 0.2,
            body_bigrams: 1.0,
            coord: 4.0,
            chunk: 1.0,
            bigram_bag: 0.5,
            proximity: 0.2,
            window: 16,
            title_cover: 0.4,
            rerank_depth: 30,
            wide: 0.8,
            coverage: 0.0,
            title_words_share: 0.2,
            length: 0.0,
            pairs: 0.15,
            answer: 0.15,
            passage: 0.2,
            lead: 0.15,
            b_body_words: 0.75,
            b_body_bigrams: 0.75,
            b_title_words: 0.1,
            b_title_bigrams: 0.1,
        }
    }
}

/// How a setting of [`Weights::set`] stores its value.
type Setter = fn(&mut Weights, f32);

/// Every weight by the name `newsidx eval --set NAME=VALUE` gives it, in
/// the order the help text lists them.
const SETTINGS: &[(&str, Setter)] = &[
    ("title_words", |w, v| w.title_words = v),
    ("body_words", |w, v| w.body_words = v),
    ("title_bigrams", |w, v| w.title_bigrams = v),
    ("body_bigrams", |w, v| w.body_bigrams = v),
    ("coord", |w, v| w.coord = v),
    ("chunk", |w, v| w.chunk = v),
    ("bigram_bag", |w, v| w.bigram_bag = v),
    ("proximity", |w, v| w.proximity = v),
    ("window", |w, v| w.window = v.max(1.0) as usize),
    ("title_cover", |w, v| w.title_cover = v),
    ("rerank_depth", |w, v| w.rerank_depth = v.max(0.0) as usize),
    ("wide", |w, v| w.wide = v),
    ("coverage", |w, v| w.coverage = v),
    ("title_words_share", |w, v| w.title_words_share = v),
    ("length", |w, v| w.length = v),
    ("pairs", |w, v| w.pairs = v),
    ("answer", |w, v| w.answer = v),
    ("passage", |w, v| w.passage = v),
    ("lead", |w, v| w.lead = v),
    ("b_body_words", |w, v| w.b_body_words = v),
    ("b_body_bigrams", |w, v| w.b_body_bigrams = v),
    ("b_title_words", |w, v| w.b_title_words = v),
    ("b_title_bigrams", |w, v| w.b_title_bigrams = v),
];

impl Weights {
    /// Sets the weight called `name` to `value` (a width or a depth is
    /// rounded down, at least 1 and 0); false when no weight has that name.
    pub fn set(&mut self, name: &str, value: f32) -> bool {
        match SETTINGS.iter().find(|(n, _)| *n == name) {
            Some((_, setter)) => {
                setter(self, value);
                true
            }
            None => false,
        }
    }

    /// The names [`Weights::set`] knows, in their documented order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        SETTINGS.iter().map(|(n, _)| *n)
    }
}
