//! The search page: one HTML file, its script and its style sheet,
//! compiled into the binary (`assets/`), so the binary is the whole
//! product. The page is plain JavaScript over the JSON API; it puts
//! article text into the document only as text nodes, and the
//! Content-Security-Policy lets no script run but its own.

use std::sync::Arc;

use axum::http::{header, HeaderValue};
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
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// `/`, `/assets/app.js`, `/assets/app.css`, `/assets/kwic.js`,
/// `/assets/kwic.css`, `/assets/timeline.js`, `/assets/timeline.css`,
/// `/assets/terms.js`.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/",
            get(|| async { asset(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/terms.js",
            get(|| async { asset(TERMS_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/app.css",
            get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/assets/kwic.js",
            get(|| async { asset(KWIC_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/kwic.css",
            get(|| async { asset(KWIC_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/assets/timeline.js",
            get(|| async { asset(TIMELINE_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/timeline.css",
            get(|| async { asset(TIMELINE_CSS, "text/css; charset=utf-8") }),
        )
}
