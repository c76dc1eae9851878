//! A board owned by another server process (docs/sync.md S6): this process passes its
//! clients' socket frames and HTTP batches to the owner and the owner's answers back. The
//! forwarded request names the client's address and carries the processes' shared secret, so
//! the owner applies the limits to the client, not to this process; a forwarded request is
//! never forwarded again.

use std::net::IpAddr;

use app::model::{Id, Op};
use app::sync::{ClientMsg, ServerMsg};
use axum::extract::ws::{Message, WebSocket};
use axum::http::HeaderMap;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::ApiError;
use super::limits::Pace;

/// The header carrying the processes' shared secret on a forwarded request.
pub const PEER_HEADER: &str = "x-squall-peer";

/// True when `headers` come from another Squall process that knows `secret`.
pub fn from_peer(headers: &HeaderMap, secret: Option<&str>) -> bool {
    use sha2::{Digest, Sha256};
    let (Some(secret), Some(sent)) = (secret, headers.get(PEER_HEADER)) else {
        return false;
    };
    // Compared as digests: how long the comparison takes says nothing about the secret.
    Sha256::digest(secret.as_bytes()) == Sha256::digest(sent.as_bytes())
}

/// The owner's URL for `path`, as a WebSocket URL when `ws`.
fn url(owner: &str, path: &str, ws: bool) -> String {
    let base = owner.trim_end_matches('/');
    match (
        ws,
        base.strip_prefix("https://"),
        base.strip_prefix("http://"),
    ) {
        (true, Some(rest), _) => format!("wss://{rest}{path}"),
        (true, None, Some(rest)) => format!("ws://{rest}{path}"),
        _ => format!("{base}{path}"),
    }
}

/// Relays a client's socket to the owner's until either side closes. Frames are checked
/// against the client's pace here (the edge); everything else is the owner's business.
pub async fn socket(
    mut client: WebSocket,
    owner: String,
    board: Id,
    token: String,
    address: IpAddr,
    secret: Option<String>,
    pace: Pace,
) {
    let mut request = match url(&owner, &format!("/api/boards/{board}/ws?key={token}"), true)
        .into_client_request()
    {
        Ok(request) => request,
        Err(e) => {
            tracing::error!(%owner, error = %e, "the owner's address is not a URL");
            return;
        }
    };
    if let Some(secret) = secret.as_deref().and_then(|s| s.parse().ok()) {
        request.headers_mut().insert(PEER_HEADER, secret);
    }
    if let Ok(value) = address.to_string().parse() {
        request.headers_mut().insert("x-forwarded-for", value);
    }
    let upstream = match tokio_tungstenite::connect_async_with_config(request, None, true).await {
        Ok((upstream, _)) => upstream,
        Err(e) => {
            // The owner is gone (its lease lapses soon) or unreachable: the browser retries.
            tracing::warn!(%owner, %board, error = %e, "cannot reach the board's owner");
            let error = ServerMsg::error(
                "owner_unreachable",
                "the server process that has this board does not answer; reconnecting",
            );
            let text = serde_json::to_string(&error).expect("protocol messages serialize");
            let _ = client.send(Message::Text(text.into())).await;
            let _ = client.close().await;
            return;
        }
    };
    let (mut up_tx, mut up_rx) = upstream.split();
    let (mut down_tx, mut down_rx) = client.split();
    loop {
        tokio::select! {
            frame = down_rx.next() => {
                let Some(Ok(frame)) = frame else { break };
                let out = match frame {
                    Message::Text(text) => {
                        let msg = serde_json::from_str::<ClientMsg>(text.as_str()).ok();
                        if let Err(message) = pace.take_message(msg.as_ref()) {
                            let error = ServerMsg::error("rate_limited", message);
                            let text = serde_json::to_string(&error).expect("protocol messages serialize");
                            let _ = down_tx.send(Message::Text(text.into())).await;
                            break;
                        }
                        tungstenite::Message::Text(text.as_str().into())
                    }
                    Message::Binary(bytes) => tungstenite::Message::Binary(bytes),
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => continue,
                };
                if up_tx.send(out).await.is_err() {
                    break;
                }
            }
            frame = up_rx.next() => {
                let Some(Ok(frame)) = frame else { break };
                let text = match frame {
                    tungstenite::Message::Text(text) => text,
                    tungstenite::Message::Close(_) => break,
                    _ => continue,
                };
                // Everything the owner already sent goes out in one write.
                if down_tx.feed(Message::Text(text.as_str().into())).await.is_err() {
                    break;
                }
                let mut closed = false;
                while let Some(Some(next)) = futures_util::FutureExt::now_or_never(up_rx.next()) {
                    match next {
                        Ok(tungstenite::Message::Text(text)) => {
                            if down_tx.feed(Message::Text(text.as_str().into())).await.is_err() {
                                closed = true;
                                break;
                            }
                        }
                        Ok(tungstenite::Message::Close(_)) | Err(_) => {
                            closed = true;
                            break;
                        }
                        Ok(_) => {}
                    }
                }
                if down_tx.flush().await.is_err() || closed {
                    break;
                }
            }
        }
    }
    let _ = up_tx.close().await;
    let _ = down_tx.close().await;
}

/// Sends an HTTP batch to the owner and answers with what it answered.
pub async fn ops(
    owner: &str,
    board: Id,
    token: &str,
    ops: &[Op],
    address: IpAddr,
    secret: Option<&str>,
) -> Result<(axum::http::StatusCode, serde_json::Value), ApiError> {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let client = CLIENT.get_or_init(reqwest::Client::new);
    let mut request = client
        .post(url(owner, &format!("/api/boards/{board}/ops"), false))
        .bearer_auth(token)
        .header("x-forwarded-for", address.to_string())
        .json(&serde_json::json!({ "ops": ops }));
    if let Some(secret) = secret {
        request = request.header(PEER_HEADER, secret);
    }
    let answer = request.send().await.map_err(|e| {
        tracing::warn!(%owner, %board, error = %e, "cannot reach the board's owner");
        ApiError::Unavailable
    })?;
    let status = axum::http::StatusCode::from_u16(answer.status().as_u16())
        .unwrap_or(axum::http::StatusCode::BAD_GATEWAY);
    let body = answer.json().await.map_err(|_| ApiError::Unavailable)?;
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_urls() {
        assert_eq!(
            url("http://10.0.0.7:3000/", "/api/boards/x/ws?key=k", true),
            "ws://10.0.0.7:3000/api/boards/x/ws?key=k"
        );
        assert_eq!(url("https://a.example", "/p", true), "wss://a.example/p");
        assert_eq!(url("http://a:1", "/p", false), "http://a:1/p");
    }

    #[test]
    fn only_the_shared_secret_makes_a_peer() {
        let mut headers = HeaderMap::new();
        assert!(!from_peer(&headers, Some("s3cret")));
        headers.insert(PEER_HEADER, "guess".parse().unwrap());
        assert!(!from_peer(&headers, Some("s3cret")));
        assert!(!from_peer(&headers, None));
        headers.insert(PEER_HEADER, "s3cret".parse().unwrap());
        assert!(from_peer(&headers, Some("s3cret")));
    }
}
