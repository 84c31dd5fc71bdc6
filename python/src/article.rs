//! One article by id, whole: the library's
//! [`Searcher::article`](newsidx::search::Searcher::article), the same the
//! server's `/api/articles/{id}` answers, with this package's errors.

use newsidx::search::article::Article;
use newsidx::search::{SearchOptions, Searcher};

use crate::errors::{Failure, Kind, Outcome};

/// The article with this id (the first, if two records share one); with a
/// non-empty `q`, every match of the query highlighted.
pub fn find(searcher: &Searcher, id: &str, q: &str) -> Outcome<Article> {
    let highlights = if q.trim().is_empty() {
        Vec::new()
    } else {
        searcher
            .plan_text(q, &SearchOptions::default())
            .map_err(|e| Failure::new(Kind::Query, format!("{e:#}")))?
            .highlights
    };
    searcher.article(id, &highlights)?.ok_or_else(|| {
        Failure::new(
            Kind::ArticleNotFound,
            format!("article {id:?}: no such id in the index"),
        )
    })
}
