//! Security headers on every response (docs/operations.md, "Security headers"). The pages'
//! Content-Security-Policy carries a per-response nonce, so the app's shell sets it
//! (`app::content_security_policy`); these are the rest, added where a handler set none.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

use crate::config::ServerConfig;

/// The headers every response gets unless its handler set them.
#[derive(Clone)]
pub struct Headers(Arc<Vec<(HeaderName, HeaderValue)>>);

impl Headers {
    pub fn new(config: &ServerConfig) -> Self {
        let mut fixed = vec![
            // Board links carry their key in the URL: never send it to another site.
            (header::REFERRER_POLICY, "no-referrer"),
            // Pages and API answers carry keys and live data: no cache keeps them (static
            // files set their own).
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin",
            ),
        ];
        if config
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
        {
            fixed.push((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"));
        }
        Self(Arc::new(
            fixed
                .into_iter()
                .map(|(name, value)| (name, HeaderValue::from_static(value)))
                .collect(),
        ))
    }
}

pub async fn add(State(headers): State<Headers>, mut response: Response) -> Response {
    for (name, value) in headers.0.iter() {
        if !response.headers().contains_key(name) {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
}
