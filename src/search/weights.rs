//! The ranking weights: first-stage BM25 weights of each view, the
//! coordination bonus, and the re-ranking weights of the top candidates.

use crate::analysis::query::reading::Reading;

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
    /// Width of the proximity window, in characters.
    pub window: usize,
    /// Width in characters of the passage whose BM25 an article's is
    /// compared with ([`Rerank::best_passage`]): the length at which
    /// BM25 starts to discount an article's words in that feature, about
    /// the length of an answer passage.
    pub best_passage_chars: usize,
    /// How many top candidates are re-ranked (0 turns the re-ranking
    /// off).
    pub rerank_depth: usize,
    /// Re-ranking weights of keywords (see [`super::rerank`]).
    pub rerank: Rerank,
    /// Re-ranking weights of questions ([`Reading::Question`]): those of
    /// keywords but for the best passage ([`Rerank::QUESTION`]).
    pub question: Rerank,
    /// Re-ranking weights of descriptions: a headline, a summary or a
    /// sentence pasted whole ([`Reading::Description`]). Its words stand in
    /// the article in the order typed and near its start, more often than
    /// a question's words stand near their answer.
    pub description: Rerank,
    /// Effective BM25 `b` (length normalisation) of the body's jieba
    /// words (see [`super::local::lengthnorm`]; 0.75 is tantivy's own).
    pub b_body_words: f32,
    /// Effective BM25 `b` of the body's bigrams.
    pub b_body_bigrams: f32,
    /// Effective BM25 `b` of the title's jieba words.
    pub b_title_words: f32,
    /// Effective BM25 `b` of the title's bigrams.
    pub b_title_bigrams: f32,
}

/// Re-ranking weights: the top candidates gain the sum of each feature
/// (see [`super::rerank::features::Features`]) times its weight, in units
/// of the best candidate's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rerank {
    /// Share of the query's weight in the best window of
    /// [`Weights::window`] characters (proximity); 0 drops this feature.
    pub proximity: f32,
    /// For a title the query's words cover (see
    /// [`super::rerank::features::Terms::title_cover`]).
    pub title_cover: f32,
    /// Share of the query's weight within 64 characters.
    pub wide: f32,
    /// Share of the query's weight anywhere.
    pub coverage: f32,
    /// Share of the query's weight in the title.
    pub title_words_share: f32,
    /// Per unit of ln(1 + body characters / 100) (negative: a penalty for
    /// length; 0 by default).
    pub length: f32,
    /// Consecutive query words found in order.
    pub pairs: f32,
    /// An answer of the kind the question asks for next to a query word
    /// (see [`super::rerank::answer`]).
    pub answer: f32,
    /// Share of the query's weight in the best 256-character passage.
    pub passage: f32,
    /// Share of the query's weight in the lead (the body's first 200
    /// characters).
    pub lead: f32,
    /// Share of the query's Chinese characters the article holds, each
    /// weighted by its rarity among the candidates (see
    /// [`super::rerank::characters`]).
    pub characters: f32,
    /// BM25 of the body's best passage of [`Weights::best_passage_chars`]
    /// characters beyond that of the whole body, as a share of the query's
    /// weight (see [`super::rerank::best_passage`]): gives a long article
    /// whose one section answers the query back what length
    /// normalisation took; 0 for any article no longer than a passage.
    pub best_passage: f32,
}

impl Rerank {
    /// Keywords and questions (fitted on the question sets and the
    /// news-search families together; see [`Weights::default`]).
    pub const KEYWORDS: Rerank = Rerank {
        proximity: 0.2,
        title_cover: 0.4,
        wide: 0.8,
        coverage: 0.0,
        title_words_share: 0.2,
        length: 0.0,
        pairs: 0.15,
        answer: 0.15,
        passage: 0.2,
        lead: 0.15,
        characters: 0.0,
        best_passage: 0.0,
    };

    /// Descriptions (see [`Weights::description`]), fitted by
    /// `bench/fit_rerank.py --reading description` on the descriptions of
    /// the known-item and LCSTS families' fit folds and of pooled
    /// DuReader (BENCHMARKS.md, "News-search families"): words in the
    /// order typed (`pairs`) and in the lead count most, and the query's
    /// characters (`characters`, fitted after the others) where a summary
    /// abbreviates what its article spells out; a 256-character
    /// passage that holds the words only spread out counts against (the
    /// narrow and 64-character windows reward them close together). The
    /// title and answer weights are those of keywords: the families'
    /// articles are indexed without their headlines, so only pooled
    /// DuReader (whose passages have no news titles) would have fitted
    /// them, a quirk of its pooling.
    pub const DESCRIPTION: Rerank = Rerank {
        proximity: 0.15,
        title_cover: 0.4,
        wide: 0.8,
        coverage: -0.02,
        title_words_share: 0.2,
        length: 0.0,
        pairs: 0.6,
        answer: 0.15,
        passage: -0.4,
        lead: 0.4,
        characters: 0.8,
        best_passage: 0.0,
    };
}

impl Rerank {
    /// Questions (see [`Weights::question`]): the keywords' weights, and
    /// more weight on the best passage ([`Rerank::best_passage`],
    /// fitted on the question sets and the fit folds of the news-search
    /// families, long_answer among them; BENCHMARKS.md, "Long articles").
    /// A question asks for a fact that one passage states, so a long
    /// article with that passage is as good an answer as a short one;
    /// keywords name a subject, which the whole article is about or not.
    pub const QUESTION: Rerank = Rerank {
        best_passage: 1.0,
        ..Rerank::KEYWORDS
    };
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
    /// news), the best passage and the lead instead. Descriptions have
    /// their own re-ranking weights ([`Rerank::DESCRIPTION`]), and so do
    /// questions ([`Rerank::QUESTION`]: the best passage of a long
    /// article, BENCHMARKS.md, "Long articles").
    fn default() -> Self {
        Weights {
            title_words: 0.2,
            body_words: 1.0,
            title_bigrams: 0.2,
            body_bigrams: 1.0,
            coord: 4.0,
            chunk: 1.0,
            bigram_bag: 0.5,
            window: 16,
            best_passage_chars: 512,
            rerank_depth: 30,
            rerank: Rerank::KEYWORDS,
            question: Rerank::QUESTION,
            description: Rerank::DESCRIPTION,
            b_body_words: 0.75,
            b_body_bigrams: 0.75,
            b_title_words: 0.1,
            b_title_bigrams: 0.1,
        }
    }
}

/// How a setting of [`Weights::set`] stores its value.
type Setter = fn(&mut Weights, f32);

/// How a re-ranking setting stores its value.
type RerankSetter = fn(&mut Rerank, f32);

/// Prefix of the settings of [`Weights::description`]: `proximity` sets
/// the re-ranking of keywords and questions, `description.proximity` that
/// of descriptions.
pub const DESCRIPTION_PREFIX: &str = "description.";

/// Prefix of the settings of [`Weights::question`] alone: `proximity`
/// sets the re-ranking of keywords and questions, `question.proximity`
/// that of questions only.
pub const QUESTION_PREFIX: &str = "question.";

/// Every re-ranking weight by its setting's name, in the order the help
/// text lists them.
const RERANK_SETTINGS: &[(&str, RerankSetter)] = &[
    ("proximity", |r, v| r.proximity = v),
    ("title_cover", |r, v| r.title_cover = v),
    ("wide", |r, v| r.wide = v),
    ("coverage", |r, v| r.coverage = v),
    ("title_words_share", |r, v| r.title_words_share = v),
    ("length", |r, v| r.length = v),
    ("pairs", |r, v| r.pairs = v),
    ("answer", |r, v| r.answer = v),
    ("passage", |r, v| r.passage = v),
    ("lead", |r, v| r.lead = v),
    ("characters", |r, v| r.characters = v),
    ("best_passage", |r, v| r.best_passage = v),
];

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
    ("window", |w, v| w.window = v.max(1.0) as usize),
    ("best_passage_chars", |w, v| {
        w.best_passage_chars = v.max(0.0) as usize
    }),
    ("rerank_depth", |w, v| w.rerank_depth = v.max(0.0) as usize),
    ("b_body_words", |w, v| w.b_body_words = v),
    ("b_body_bigrams", |w, v| w.b_body_bigrams = v),
    ("b_title_words", |w, v| w.b_title_words = v),
    ("b_title_bigrams", |w, v| w.b_title_bigrams = v),
];

impl Weights {
    /// Sets the weight called `name` to `value` (a width or a depth is
    /// rounded down, at least 1 and 0); false when no weight has that name.
    /// A re-ranking weight's name sets it for keywords and questions, the
    /// same name after `question.` for questions only, after
    /// `description.` for descriptions.
    pub fn set(&mut self, name: &str, value: f32) -> bool {
        if let Some((_, setter)) = SETTINGS.iter().find(|(n, _)| *n == name) {
            setter(self, value);
            return true;
        }
        let (name, targets) = if let Some(rest) = name.strip_prefix(DESCRIPTION_PREFIX) {
            (rest, [Some(&mut self.description), None])
        } else if let Some(rest) = name.strip_prefix(QUESTION_PREFIX) {
            (rest, [Some(&mut self.question), None])
        } else {
            (name, [Some(&mut self.rerank), Some(&mut self.question)])
        };
        match RERANK_SETTINGS.iter().find(|(n, _)| *n == name) {
            Some((_, setter)) => {
                targets.into_iter().flatten().for_each(|r| setter(r, value));
                true
            }
            None => false,
        }
    }

    /// The names [`Weights::set`] knows, in their documented order (each
    /// re-ranking name also after [`DESCRIPTION_PREFIX`]).
    pub fn names() -> impl Iterator<Item = &'static str> {
        SETTINGS
            .iter()
            .map(|(n, _)| *n)
            .chain(RERANK_SETTINGS.iter().map(|(n, _)| *n))
    }

    /// The re-ranking weights of a query that reads as `reading`.
    pub fn rerank_of(&self, reading: Reading) -> &Rerank {
        match reading {
            Reading::Description => &self.description,
            Reading::Question => &self.question,
            Reading::Keywords => &self.rerank,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_re_ranking_setting_names_its_reading() {
        let mut w = Weights::default();
        assert!(w.set("pairs", 0.5));
        assert_eq!(w.rerank.pairs, 0.5);
        assert_eq!(w.description.pairs, Rerank::DESCRIPTION.pairs);
        assert!(w.set("description.pairs", 0.9));
        assert_eq!((w.rerank.pairs, w.description.pairs), (0.5, 0.9));
        assert!(w.set("window", 10.0) && w.window == 10);
        // The prefix names re-ranking weights only.
        assert!(!w.set("description.window", 3.0));
        assert!(!w.set("description.nope", 1.0));
        assert!(!w.set("nope", 1.0));
        assert_eq!(w.rerank_of(Reading::Description).pairs, 0.9);
        assert_eq!(w.rerank_of(Reading::Question).pairs, 0.5);
        assert_eq!(w.rerank_of(Reading::Keywords).pairs, 0.5);
        assert!(Weights::names().any(|n| n == "lead"));
    }

    #[test]
    fn a_question_setting_leaves_keywords_alone() {
        let mut w = Weights::default();
        assert!(w.set("question.best_passage", 0.7));
        assert_eq!(w.rerank_of(Reading::Question).best_passage, 0.7);
        assert_eq!(
            w.rerank_of(Reading::Keywords).best_passage,
            Rerank::KEYWORDS.best_passage
        );
        // A plain name still sets both.
        assert!(w.set("best_passage", 0.3));
        assert_eq!(w.question.best_passage, 0.3);
        assert_eq!(w.rerank.best_passage, 0.3);
        assert!(!w.set("question.window", 3.0));
        assert!(w.set("best_passage_chars", 300.0) && w.best_passage_chars == 300);
    }
}
