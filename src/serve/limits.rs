//! The limits of the HTTP API: sizes of a request and of its answer, and
//! how many requests may wait. The handlers (`api.rs`) and the parameter
//! checks (`params.rs`) both read them from here.

/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 1000;
/// Deepest `offset`: past it, narrow the query or the dates instead.
pub const MAX_OFFSET: usize = 10_000;
/// Longest query, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;
/// Largest body of `POST /api/search`.
pub const MAX_BODY: usize = 64 * 1024;
/// Largest body of `POST /api/batch`.
pub const MAX_BATCH_BODY: usize = 4 * 1024 * 1024;
/// Most queries in one batch.
pub const MAX_BATCH_QUERIES: usize = 10_000;
/// Most requests waiting for a search permit; more are answered 503 at once.
pub const MAX_WAITING: usize = 1024;
/// Most source buckets in a response (the rest are summed in `other_sources`).
pub const MAX_SOURCE_BUCKETS: usize = 200;
/// Most concordance lines one page of `/api/kwic` may ask for.
pub const MAX_KWIC_LIMIT: usize = 1000;
/// Widest concordance context, in characters each side.
pub const MAX_KWIC_WIDTH: usize = 100;
/// Most concordance lines the server collects to sort (and the deepest
/// `offset` of `/api/kwic`); past it, narrow the query or do not sort.
pub const MAX_KWIC_SORTED: usize = 200_000;
