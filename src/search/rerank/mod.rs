//! Re-ranking: the top candidates of the first stage (BM25 over both
//! views) gain a bonus from features that BM25 cannot see.
//!
//! [`features`] measures each candidate (where the query's words stand,
//! what its title covers, its length, an answer of the kind asked for:
//! [`answer`]); [`bonus`] weighs the features with the [`Weights`] of the
//! plan; [`rerank`] adds the bonus to the top
//! [`Weights::rerank_depth`] candidates and sorts them again.
//! [`candidates`] gives the same features out for fitting the
//! weights (`newsidx eval --features`, `bench/fit_rerank.py`).

pub mod answer;
pub mod best_passage;
pub mod characters;
pub mod features;

use std::collections::HashMap;

use anyhow::Result;

use super::first_stage::{DocRef, FirstStage, Scored, Stored, TextField};
use super::plan::Plan;
use super::weights::Rerank;
use crate::analysis::bigram::{is_word_token, query_terms};
use answer::AnswerKind;
use features::{Features, Folded, Terms};

/// The re-ranking bonus of an article with features `x`, in units of the
/// best candidate's score.
pub fn bonus(w: &Rerank, x: &Features) -> f32 {
    w.proximity * x.window
        + w.wide * x.wide
        + w.coverage * x.coverage
        + w.title_cover * x.title_cover
        + w.title_words_share * x.title_words
        + w.length * x.length
        + w.pairs * x.pairs
        + w.answer * x.answer
        + w.passage * x.passage
        + w.lead * x.lead
        + w.characters * x.characters
        + w.best_passage * x.best_passage
}

/// One re-ranking candidate as `newsidx eval --features` writes it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Article id.
    pub id: String,
    /// First-stage score.
    pub score: f32,
    /// Its features.
    pub features: Features,
}

/// Re-ranks the top candidates by their features (see [`bonus`]).
/// The documents it reads go into `loaded`.
pub fn rerank(
    first: &dyn FirstStage,
    plan: &Plan,
    ranked: &mut [Scored],
    loaded: &mut HashMap<DocRef, Stored>,
) -> Result<()> {
    let w = plan.weights();
    let depth = ranked.len().min(w.rerank_depth);
    if depth < 2 {
        return Ok(());
    }
    let weights = w.rerank_of(plan.reading);
    // The characters are only scanned when they weigh.
    let with_characters = weights.characters != 0.0;
    let Some(features) = features(first, plan, &ranked[..depth], with_characters, loaded)? else {
        return Ok(());
    };
    let top = ranked[..depth]
        .iter()
        .filter_map(|r| r.score)
        .fold(0.0f32, f32::max);
    for (r, (doc, x)) in ranked[..depth].iter_mut().zip(features) {
        if let Some(s) = &mut r.score {
            *s += bonus(weights, &x) * top;
        }
        loaded.insert(r.doc, doc);
    }
    ranked[..depth].sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
    // A negative weight (`eval --set length=-0.1`) may lower scores:
    // lift the re-ranked scores as a block so that none falls below the first one not re-ranked (nor
    // below 0), and scores still fall with the rank.
    let floor = ranked
        .get(depth)
        .and_then(|r| r.score)
        .unwrap_or(0.0)
        .max(0.0);
    let lowest = ranked[depth - 1].score.unwrap_or(0.0);
    if lowest < floor {
        for r in ranked[..depth].iter_mut() {
            if let Some(s) = &mut r.score {
                *s += floor - lowest;
            }
        }
    }
    Ok(())
}

/// The re-ranking features of `candidates`, with their documents (taken
/// out of `loaded` when read before, else read); none when the query has
/// no word to weigh. `Features::characters` is left 0 unless
/// `with_characters`.
fn features(
    first: &dyn FirstStage,
    plan: &Plan,
    candidates: &[Scored],
    with_characters: bool,
    loaded: &mut HashMap<DocRef, Stored>,
) -> Result<Option<Vec<(Stored, Features)>>> {
    if plan.words.is_empty() {
        return Ok(None);
    }
    let docs = first.num_docs();
    let word_df = |word: &str| -> u64 {
        let df = first.doc_freq(TextField::BodyWords, word);
        if df > 0 {
            return df;
        }
        // Not a word of the index: its rarest bigram bounds how rare it is.
        query_terms(word)
            .iter()
            .filter(|t| is_word_token(t))
            .map(|t| first.doc_freq(TextField::BodyBigrams, t))
            .min()
            .unwrap_or(0)
    };
    let terms = Terms::new(&plan.words, word_df, docs);
    if terms.is_empty() {
        return Ok(None);
    }
    let kind = AnswerKind::of(&plan.question);
    let (window, passage) = (plan.weights().window, plan.weights().best_passage_chars);
    let chars = characters::query_characters(&plan.question);
    let mut out = Vec::with_capacity(candidates.len());
    let mut held = Vec::with_capacity(candidates.len());
    for c in candidates {
        let doc = match loaded.remove(&c.doc) {
            Some(d) => d,
            None => first.stored(c.doc)?,
        };
        // One word: the body is not looked at.
        let x = if terms.len() > 1 {
            let folded = Folded::new(&doc.title, &doc.body);
            if with_characters {
                held.push(characters::held_normalised(&chars, folded.text()));
            }
            terms.features_folded(&folded, kind, window, passage)
        } else {
            terms.features(&doc.title, "", kind, window, passage)
        };
        out.push((doc, x));
    }
    if !held.is_empty() {
        for ((_, x), share) in out.iter_mut().zip(characters::shares(&held)) {
            x.characters = share;
        }
    }
    Ok(Some(out))
}

/// The re-ranking candidates among `ranked` (the top `rerank_depth`
/// by the first-stage score), with their ids, scores and features.
pub fn candidates(
    first: &dyn FirstStage,
    plan: &Plan,
    ranked: &[Scored],
) -> Result<Vec<Candidate>> {
    let depth = ranked.len().min(plan.weights().rerank_depth);
    // Every feature, whether its weight is 0 or not: this is for fitting.
    let features = features(first, plan, &ranked[..depth], true, &mut HashMap::new())?;
    let mut out = Vec::new();
    for (i, r) in ranked[..depth].iter().enumerate() {
        let (id, x) = match &features {
            Some(v) => (v[i].0.id.clone(), v[i].1),
            None => (first.stored(r.doc)?.id, Features::default()),
        };
        out.push(Candidate {
            id,
            score: r.score.unwrap_or(0.0),
            features: x,
        });
    }
    Ok(out)
}
