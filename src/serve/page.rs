//! The search page: one HTML file, its script and its style sheet,
//! compiled into the binary (`assets/`), so the binary is the whole
//! product. The page is plain JavaScript over the JSON API; it puts
//! article text into the document only as text nodes, and the
//! Content-Security-Policy lets no script run but its own.

use std::sync::Arc;

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::state::AppState;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const KWIC_JS: &str = include_str!("assets/kwic.js");
const KWIC_CSS: &str = include_str!("assets/kwic.css");
const TIMELINE_JS: &str = include_str!("assets/timeline.js");
const TIMELINE_CSS: &str = include_str!("assets/timeline.css");
const TERMS_JS: &str = include_str!("assets/terms.js");

/// No script but the page's own, no inline script, no plugins, no
/// framing, requests only to this server.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn asset(body: &'static str, content_type: &'static str) -> Response {
    with_headers(
        body,
        &[
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
    )
}

/// `body` as a response with `headers` set, in order.
pub(super) fn with_headers(
    body: impl IntoResponse,
    headers: &[(HeaderName, &'static str)],
) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    for (name, value) in headers {
        h.insert(name.clone(), HeaderValue::from_static(value));
    }
    r
}

/// Every asset: its path, its text and its content type.
const ASSETS: &[(&str, &str, &str)] = &[
    ("/", INDEX_HTML, "text/html; charset=utf-8"),
    ("/assets/app.js", APP_JS, "text/javascript; charset=utf-8"),
    (
        "/assets/terms.js",
        TERMS_JS,
        "text/javascript; charset=utf-8",
    ),
    ("/assets/app.css", APP_CSS, "text/css; charset=utf-8"),
    ("/assets/kwic.js", KWIC_JS, "text/javascript; charset=utf-8"),
    ("/assets/kwic.css", KWIC_CSS, "text/css; charset=utf-8"),
    (
        "/assets/timeline.js",
        TIMELINE_JS,
        "text/javascript; charset=utf-8",
    ),
    (
        "/assets/timeline.css",
        TIMELINE_CSS,
        "text/css; charset=utf-8",
    ),
];

/// `/`, `/assets/app.js`, `/assets/app.css`, `/assets/kwic.js`,
/// `/assets/kwic.css`, `/assets/timeline.js`, `/assets/timeline.css`,
/// `/assets/terms.js`.
pub fn routes() -> Router<Arc<AppState>> {
    ASSETS
        .iter()
        .fold(Router::new(), |router, &(path, body, content_type)| {
            router.route(path, get(move || async move { asset(body, content_type) }))
        })
}
