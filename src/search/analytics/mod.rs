//! What is counted over every article a query matches, not over a page of
//! hits: counts by period or source ([`facets`], [`series`] on the
//! calendar of [`periods`]), concordance lines ([`kwic`]) and significant
//! terms ([`terms`]). Each asks the first stage
//! ([`crate::search::first_stage::FirstStage`]) for the matches and their
//! counts, so it works on any implementation of it.

pub mod facets;
pub mod kwic;
pub mod periods;
pub mod series;
pub mod terms;
