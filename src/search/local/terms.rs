//! The local index's term counts for significant terms: the names of the
//! `person`, `place` and `org` fields, read from their postings segment
//! by segment (or, in an index built before those fields lost their fast
//! columns, from the columns by term ordinal), and the `terms` column of
//! word numbers, counted by number across segments and named from the
//! index's vocabulary (`index/vocab.rs`).

use std::path::Path;

use anyhow::Result;
use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, SegmentReader};

use crate::index::schema::names;
use crate::index::vocab::Words;
use crate::search::analytics::terms::TermKind;
use crate::search::first_stage::TermTally;

/// The column of the terms of `kind`.
fn column(kind: TermKind) -> &'static str {
    match kind {
        TermKind::Word => names::TERMS, // counted by count_words
        TermKind::Person => names::PERSON,
        TermKind::Place => names::PLACE,
        TermKind::Org => names::ORG,
    }
}

/// Counts the words (`terms` column) of the index at `dir` the `kept`
/// articles have, and of those the matching articles (`all`) and every
/// live article that have them.
pub(super) fn count_words(
    s: &tantivy::Searcher,
    dir: &Path,
    kept: &[DocAddress],
    all: &[DocAddress],
    tally: &mut TermTally,
) -> Result<()> {
    let words = Words::read(dir)?;
    let [mut k1, mut kall, mut kc] = [0; 3].map(|_| vec![0u32; words.len()]);
    for (ord, seg) in s.segment_readers().iter().enumerate() {
        let Some(col) = seg.fast_fields().column_opt::<u64>(names::TERMS)? else {
            continue;
        };
        add_ids(&col, docs_in(kept, ord), &mut k1);
        add_ids(&col, docs_in(all, ord), &mut kall);
        let alive = seg.alive_bitset();
        let live = (0..seg.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d)));
        add_ids(&col, live, &mut kc);
    }
    for (id, &k) in k1.iter().enumerate() {
        if k == 0 {
            continue;
        }
        if let Some(w) = words.get(id) {
            let e = tally.entry(w.to_string()).or_insert([0; 3]);
            e[0] += u64::from(k);
            e[1] += u64::from(kall[id]);
            e[2] += u64::from(kc[id]);
        }
    }
    Ok(())
}

/// Counts, one per word number, of the articles `docs` (each once).
fn add_ids(col: &Column<u64>, docs: impl IntoIterator<Item = u32>, out: &mut [u32]) {
    for d in docs {
        for id in col.values_for_doc(d) {
            if let Some(slot) = out.get_mut(id as usize) {
                *slot += 1;
            }
        }
    }
}

/// Counts the names of `kind`: first, in each segment, those the `kept`
/// articles have; then, for those terms, the matching articles (`all`)
/// and every live article that have them.
pub(super) fn count_segments(
    s: &tantivy::Searcher,
    kind: TermKind,
    kept: &[DocAddress],
    all: &[DocAddress],
    tally: &mut TermTally,
) -> Result<()> {
    let field = s.schema().get_field(column(kind))?;
    if !s.schema().get_field_entry(field).is_fast() {
        return count_postings(s, field, [kept, all], tally);
    }
    each_column(s, kind, |ord, _, col| {
        let k1 = counts_of(col, kept, ord);
        each_term(col, &k1, |t, k| {
            tally.entry(t.to_string()).or_insert([0; 3])[0] += k
        })
    })?;
    each_column(s, kind, |ord, seg, col| {
        let kall = counts_of(col, all, ord);
        each_term(col, &kall, |t, k| {
            if let Some(e) = tally.get_mut(t) {
                e[1] += k;
            }
        })?;
        let corpus = corpus_counts(seg, col);
        each_term(col, &corpus, |t, k| {
            if let Some(e) = tally.get_mut(t) {
                e[2] += k;
            }
        })
    })
}

/// [`count_segments`] over the postings of the names' `field` (one
/// posting per article and name): first, in each segment, the names the
/// `kept` articles have; then, for those names, the matching articles
/// (`all`) and every live article that have them.
fn count_postings(
    s: &tantivy::Searcher,
    field: tantivy::schema::Field,
    [kept, all]: [&[DocAddress]; 2],
    tally: &mut TermTally,
) -> Result<()> {
    for first in [true, false] {
        for (ord, seg) in s.segment_readers().iter().enumerate() {
            let inv = seg.inverted_index(field)?;
            let alive = seg.alive_bitset();
            // How many times each article of the segment is in the list
            // counted in this pass.
            let mut times = vec![0u32; seg.max_doc() as usize];
            for d in docs_in(if first { kept } else { all }, ord) {
                if let Some(slot) = times.get_mut(d as usize) {
                    *slot += 1;
                }
            }
            let mut stream = inv.terms().stream()?;
            while stream.advance() {
                let Ok(t) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !first && !tally.contains_key(t) {
                    continue;
                }
                let mut postings = inv
                    .read_block_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
                // In the list, and live.
                let (mut listed, mut live) = (0u64, 0u64);
                loop {
                    let docs = postings.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for &d in docs {
                        listed += u64::from(times.get(d as usize).copied().unwrap_or(0));
                        live += u64::from(alive.is_none_or(|b| b.is_alive(d)));
                    }
                    postings.advance();
                }
                if first {
                    if listed > 0 {
                        tally.entry(t.to_string()).or_insert([0; 3])[0] += listed;
                    }
                } else if let Some(e) = tally.get_mut(t) {
                    e[1] += listed;
                    e[2] += live;
                }
            }
        }
    }
    Ok(())
}

/// Calls `f` with the ordinal, the reader and the column of `kind` of
/// every segment that has the column, in order.
fn each_column(
    s: &tantivy::Searcher,
    kind: TermKind,
    mut f: impl FnMut(usize, &SegmentReader, &StrColumn) -> Result<()>,
) -> Result<()> {
    for (ord, seg) in s.segment_readers().iter().enumerate() {
        if let Some(col) = seg.fast_fields().str(column(kind))? {
            f(ord, seg, &col)?;
        }
    }
    Ok(())
}

/// Counts, one per term ordinal of `col`, of the articles of segment `ord`
/// among `list`.
fn counts_of(col: &StrColumn, list: &[DocAddress], ord: usize) -> Vec<u32> {
    let mut counts = vec![0u32; col.num_terms()];
    let docs: Vec<u32> = docs_in(list, ord).collect();
    add_ords(col, &docs, &mut counts);
    counts
}

/// The documents of segment `ord` among `list`.
fn docs_in(list: &[DocAddress], ord: usize) -> impl Iterator<Item = u32> + '_ {
    list.iter()
        .filter(move |a| a.segment_ord as usize == ord)
        .map(|a| a.doc_id)
}

/// Calls `f` with the text and count of every term of `col` whose count
/// in `counts` (by ordinal) is not 0.
fn each_term(col: &StrColumn, counts: &[u32], mut f: impl FnMut(&str, u64)) -> Result<()> {
    let mut stream = col.dictionary().stream()?;
    while stream.advance() {
        let k = counts.get(stream.term_ord() as usize).copied().unwrap_or(0);
        if k == 0 {
            continue;
        }
        if let Ok(t) = std::str::from_utf8(stream.key()) {
            f(t, u64::from(k));
        }
    }
    Ok(())
}

/// Counts, one per term ordinal, of the articles `docs` (each once).
fn add_ords(col: &StrColumn, docs: &[u32], out: &mut [u32]) {
    for &d in docs {
        for o in col.ords().values_for_doc(d) {
            if let Some(slot) = out.get_mut(o as usize) {
                *slot += 1;
            }
        }
    }
}

/// The live articles of `seg` having each term ordinal of `col`.
fn corpus_counts(seg: &SegmentReader, col: &StrColumn) -> Vec<u32> {
    let mut out = vec![0u32; col.num_terms()];
    let alive = seg.alive_bitset();
    for d in 0..seg.max_doc() {
        if alive.is_some_and(|a| !a.is_alive(d)) {
            continue;
        }
        for o in col.ords().values_for_doc(d) {
            if let Some(slot) = out.get_mut(o as usize) {
                *slot += 1;
            }
        }
    }
    out
}
