//! What every request leaves behind: a request id (`x-request-id`, taken from the caller or
//! made here, and sent back), a log span carrying it, and the request's count and latency in
//! the metrics. `GET /metrics`, `/healthz` and `/readyz` live here too.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::request_id::RequestId;

use super::AppState;
use crate::metrics::{LatencyLabels, Metrics, RouteLabels};

/// Counts the request under its route's pattern and times it to the response's head.
pub async fn count(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_string();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str(),
        // Static files are served by a nested service, which sets no pattern.
        None if request.uri().path().starts_with("/pkg/") => "/pkg/{file}",
        None => "unmatched",
    }
    .to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics
        .http_duration
        .get_or_create(&LatencyLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    metrics
        .http_requests
        .get_or_create(&RouteLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// Drops an `X-Request-Id` that is not a plain token (at most 128 letters, digits, `-`, `_`,
/// `.`), so a caller cannot write what it likes into the logs; a new id replaces it.
pub async fn sanitize_request_id(mut request: Request, next: Next) -> Response {
    let plain = |value: &HeaderValue| {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 128
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if request
        .headers()
        .get("x-request-id")
        .is_some_and(|v| !plain(v))
    {
        request.headers_mut().remove("x-request-id");
    }
    next.run(request).await
}

/// The span of one request: method, path (never the query, which may carry a board's key) and
/// request id.
pub fn span(request: &Request) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// `GET /metrics`: every family in the OpenMetrics text format.
pub async fn metrics(State(metrics): State<Arc<Metrics>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(crate::metrics::CONTENT_TYPE),
        )],
        metrics.render(),
    )
        .into_response()
}

/// `GET /healthz`: the process is alive and serving (a liveness probe; the database is
/// `/readyz`'s business, so a database outage does not get every instance restarted).
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: 200 when the database answers with every migration this build needs and the
/// server is not shutting down; 503 otherwise (a readiness probe: no new traffic).
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.rooms.draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
