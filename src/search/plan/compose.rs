//! The tantivy query of a plan: whole ([`Plan::query`], at least so many
//! of its units) or taken apart ([`Plan::disjunction`]) for a first stage
//! that scores the units itself.

use tantivy::query::{BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query};

use super::offset::Offset;
use super::substring::{all_of, any_of};
use super::Plan;

/// A plan's query taken apart ([`Plan::disjunction`]): an article matches
/// when it has enough units, every `gate` and no `excluded`; its score is
/// the sum of its units', the gate's and the bonus clauses' scores.
pub struct Disjunction {
    /// Each unit, its coverage bonus added.
    pub units: Vec<Box<dyn Query>>,
    /// Optional scored clauses.
    pub bonus: Vec<Box<dyn Query>>,
    /// The required clauses (scored), if any.
    pub gate: Option<Box<dyn Query>>,
    /// The filters (they score nothing), if any.
    pub filters: Option<Box<dyn Query>>,
    /// Any of the exclusions, if any.
    pub excluded: Option<Box<dyn Query>>,
}

impl Plan {
    /// A unit as the plan scores it: each matched unit earns `coord`,
    /// added to the unit's own score (the unit is evaluated once; see
    /// `offset.rs`).
    fn scored_unit(&self, u: &dyn Query) -> Box<dyn Query> {
        let coord = self.weights.coord;
        if coord > 0.0 {
            Box::new(Offset::new(u.box_clone(), coord))
        } else {
            u.box_clone()
        }
    }

    /// The parts of [`Plan::query`] below its full match, for a first
    /// stage that scores a relaxed query itself (dynamic pruning): the
    /// units with their coverage bonus, the optional scored clauses, the
    /// required clauses, the filters, the exclusions.
    pub fn disjunction(&self) -> Disjunction {
        let units = self
            .units
            .iter()
            .map(|u| self.scored_unit(u.as_ref()))
            .collect();
        let clone = |qs: &[Box<dyn Query>]| qs.iter().map(|q| q.box_clone()).collect::<Vec<_>>();
        Disjunction {
            units,
            bonus: clone(&self.bonus),
            gate: (!self.required.is_empty()).then(|| all_of(clone(&self.required))),
            filters: (!self.filters.is_empty()).then(|| all_of(clone(&self.filters))),
            excluded: (!self.excluded.is_empty())
                .then(|| any_of(self.excluded.iter().map(|q| q.box_clone()).collect())),
        }
    }

    /// The query requiring at least `min_units` of the units (all of them
    /// when `min_units >= unit_count()`), with filters and exclusions.
    pub fn query(&self, min_units: usize) -> Box<dyn Query> {
        let n = self.units.len();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if n == 0 && self.required.is_empty() && self.filters.is_empty() {
            return Box::new(EmptyQuery);
        }
        if min_units >= n {
            for u in &self.units {
                clauses.push((Occur::Must, self.scored_unit(u.as_ref())));
            }
        } else {
            let shoulds: Vec<(Occur, Box<dyn Query>)> = self
                .units
                .iter()
                .map(|u| (Occur::Should, self.scored_unit(u.as_ref())))
                .collect();
            clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::with_minimum_required_clauses(
                    shoulds,
                    min_units.max(1),
                )),
            ));
        }
        for q in &self.required {
            clauses.push((Occur::Must, q.box_clone()));
        }
        for q in &self.bonus {
            clauses.push((Occur::Should, q.box_clone()));
        }
        for q in &self.filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)),
            ));
        }
        for q in &self.excluded {
            clauses.push((Occur::MustNot, q.box_clone()));
        }
        if clauses.len() == 1 && clauses[0].0 == Occur::Must {
            return clauses
                .pop()
                .map(|c| c.1)
                .unwrap_or_else(|| Box::new(EmptyQuery));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}
