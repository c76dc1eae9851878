//! The site's static files under `/pkg` (the WebAssembly, its JavaScript glue, the CSS).
//!
//! A release build is precompressed by cargo-leptos (`--precompress`: `.br` and `.gz` beside each
//! file), and those are served as they are; a file without them (a debug build) is compressed on
//! the fly. With `hash-files`, cargo-leptos names them `squall.<hash>.wasm`: a hashed name never
//! changes content, so the browser keeps it a year without asking; anything else is revalidated
//! (`no-cache` with `Last-Modified`), so a new build is seen on the next visit.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// How long a browser may keep a file whose name carries its content hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else: keep it, but ask (a cheap 304) before using it again.
const REVALIDATE: &str = "no-cache";

/// Serves the files in `dir` (the site's `pkg` directory), to be nested at `/pkg`.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &str) -> Router<S> {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let policy = if has_content_hash(request.uri().path()) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        // The same URL answers brotli, gzip or plain: caches must keep them apart.
        headers
            .entry(header::VARY)
            .or_insert(HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// `squall.3f9a0c1b2d4e5f60.wasm` or `squall.-S56R8VDcspRh38ihr79ug.wasm`: a name, a content
/// hash, an extension.
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    let [_, .., hash, _] = parts.as_slice() else {
        return false;
    };
    let base64url = hash
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    // cargo-leptos 0.3 writes 22 characters of base64url (which may hold no digit at all); a
    // shorter word is taken for a hash only if it is hexadecimal with a digit in it.
    base64url
        && (hash.len() >= 16
            || (hash.len() >= 8
                && hash.chars().all(|c| c.is_ascii_hexdigit())
                && hash.chars().any(|c| c.is_ascii_digit())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    /// A `pkg` directory like a release build's: hashed names, with brotli and gzip copies.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let wasm = vec![b'w'; 4096];
        std::fs::write(dir.path().join("squall.0a1b2c3d4e5f6071.wasm"), &wasm).unwrap();
        std::fs::write(
            dir.path().join("squall.0a1b2c3d4e5f6071.wasm.br"),
            b"brotli bytes",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("squall.0a1b2c3d4e5f6071.wasm.gz"),
            b"gzip bytes",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("squall.css"),
            "body { margin: 0 }\n".repeat(100),
        )
        .unwrap();
        dir
    }

    async fn get(dir: &std::path::Path, path: &str, headers: &[(&str, &str)]) -> Response {
        let app: Router = router(dir.to_str().unwrap());
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        app.oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    fn header(response: &Response, name: header::HeaderName) -> Option<&str> {
        response.headers().get(name).and_then(|v| v.to_str().ok())
    }

    #[tokio::test]
    async fn a_hashed_file_is_sent_precompressed_and_kept_for_a_year() {
        let dir = site();
        let wasm = "/squall.0a1b2c3d4e5f6071.wasm";
        let br = get(
            dir.path(),
            wasm,
            &[("accept-encoding", "gzip, deflate, br")],
        )
        .await;
        assert_eq!(br.status(), StatusCode::OK);
        assert_eq!(header(&br, header::CONTENT_ENCODING), Some("br"));
        assert_eq!(header(&br, header::CONTENT_TYPE), Some("application/wasm"));
        assert_eq!(header(&br, header::CACHE_CONTROL), Some(IMMUTABLE));
        assert_eq!(header(&br, header::VARY), Some("accept-encoding"));
        let body = axum::body::to_bytes(br.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(&body[..], b"brotli bytes");

        let gz = get(dir.path(), wasm, &[("accept-encoding", "gzip")]).await;
        assert_eq!(header(&gz, header::CONTENT_ENCODING), Some("gzip"));
        let plain = get(dir.path(), wasm, &[]).await;
        assert_eq!(header(&plain, header::CONTENT_ENCODING), None);
        let body = axum::body::to_bytes(plain.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(body.len(), 4096);
    }

    #[tokio::test]
    async fn a_file_without_a_hash_is_compressed_on_the_fly_and_revalidated() {
        let dir = site();
        let css = get(dir.path(), "/squall.css", &[("accept-encoding", "br")]).await;
        assert_eq!(css.status(), StatusCode::OK);
        assert_eq!(header(&css, header::CONTENT_ENCODING), Some("br"));
        assert_eq!(header(&css, header::CACHE_CONTROL), Some(REVALIDATE));
        let modified = header(&css, header::LAST_MODIFIED).unwrap().to_string();
        let again = get(
            dir.path(),
            "/squall.css",
            &[("if-modified-since", &modified)],
        )
        .await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(&again, header::CACHE_CONTROL), Some(REVALIDATE));
        let missing = get(dir.path(), "/nothing.js", &[]).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(header(&missing, header::CACHE_CONTROL), None);
    }

    #[test]
    fn only_names_that_carry_a_hash_are_kept_for_a_year() {
        assert!(has_content_hash("/squall.3f9a0c1b2d4e5f60.wasm"));
        assert!(has_content_hash("/squall.-S56R8VDcspRh38ihr79ug.wasm"));
        assert!(has_content_hash("/squall.agytcuoGhEsHvmltZqYoAQ.css"));
        assert!(!has_content_hash("/squall.wasm"));
        assert!(!has_content_hash("/squall.css"));
        assert!(!has_content_hash("/squall_bg.wasm"));
        assert!(!has_content_hash("/snippets/app-1234/inline0.js"));
        assert!(!has_content_hash("/vendor.min.js"));
        assert!(!has_content_hash("/squall.bootstrap.js"));
    }
}
