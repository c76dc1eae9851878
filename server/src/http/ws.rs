//! `GET /api/boards/{id}/ws`: the live connection of one browser tab. A reader task parses what
//! the browser sends and hands it to the room; a writer task sends what the room says. Nothing a
//! browser sends can panic the server: a bad frame gets an `error` message and changes nothing.

use std::sync::Arc;
use std::time::Duration;

use app::access::Role;
use app::sync::{ClientMsg, PeerId, ServerMsg};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::IntoResponse;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use super::auth::Authorized;
use super::limits::{ClientAddress, Pace};
use super::{ApiError, AppState, MAX_BODY_BYTES};
use crate::sync::{CONNECTION_BUFFER, RoomMsg, Rooms, Route};

/// Protocol messages are small; bigger frames still arrive, over several reads.
const READ_BUFFER_BYTES: usize = 8 * 1024;

/// How long a new connection may take to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Unknown boards and invalid links are refused before the upgrade, with the API's 404
/// (`Authorized`); the socket keeps the role its link gave, and the room checks it on every batch.
pub async fn upgrade(
    State(state): State<AppState>,
    Authorized { id, role, token }: Authorized,
    ClientAddress(address, from_peer): ClientAddress,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let slot = state.guard.connection(id, address)?;
    let route = state.rooms.route(id).await?;
    // A connection forwarded once is never forwarded again (the lease moved: it reconnects).
    if from_peer && matches!(route, Route::Elsewhere(_)) {
        return Err(ApiError::Unavailable);
    }
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    let rooms = state.rooms.clone();
    let open = Open::new(state.metrics.sockets_open.clone());
    let pace = state.guard.pace();
    let secret = rooms.cluster_secret().map(str::to_string);
    Ok(ws
        .max_message_size(MAX_BODY_BYTES)
        // tungstenite zeroes its whole read buffer before each read: the 128 KiB default costs
        // more CPU than everything else a live edit does (found with perf).
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            let _counted = (open, slot);
            match route {
                Route::Here(_) => connection(socket, id, role, rooms, pace).await,
                Route::Elsewhere(owner) => {
                    super::forward::socket(socket, owner, id, token, address, secret, pace).await
                }
            }
        }))
}

/// Counts an open socket in `squall_websockets_open` while it lives.
struct Open(prometheus_client::metrics::gauge::Gauge);

impl Open {
    fn new(gauge: prometheus_client::metrics::gauge::Gauge) -> Self {
        gauge.inc();
        Self(gauge)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.dec();
    }
}

async fn connection(
    socket: WebSocket,
    id: app::model::Id,
    role: Role,
    rooms: Arc<Rooms>,
    pace: Pace,
) {
    let (mut sink, mut stream) = socket.split();
    // The room's messages, and this reader's answers to bad frames. When the room drops its
    // sender (board deleted, connection too slow), the socket closes.
    let (room_tx, mut room_rx) = mpsc::channel::<Utf8Bytes>(CONNECTION_BUFFER);
    let (local_tx, mut local_rx) = mpsc::channel::<Utf8Bytes>(64);
    let peer: PeerId = uuid::Uuid::now_v7().as_u64_pair().1 & ((1 << 53) - 1);
    let mut writer = tokio::spawn(async move {
        loop {
            let text = tokio::select! {
                text = room_rx.recv() => text,
                Some(text) = local_rx.recv() => Some(text),
            };
            let Some(text) = text else { break };
            // Everything already queued goes out in one write: under load, one syscall for
            // many frames instead of one each.
            let mut burst = Some(text);
            while let Some(text) = burst.take().or_else(|| room_rx.try_recv().ok()) {
                if sink.feed(Message::Text(text)).await.is_err() {
                    return;
                }
            }
            if sink.flush().await.is_err() {
                return;
            }
        }
        let _ = sink.close().await;
    });
    let reply = |msg: ServerMsg| {
        let text = serde_json::to_string(&msg).expect("protocol messages serialize");
        let _ = local_tx.try_send(text.into());
    };

    // The first message must be a hello.
    let join = match tokio::time::timeout(HELLO_TIMEOUT, next_message(&mut stream)).await {
        Ok(Some(Ok(ClientMsg::Hello {
            client,
            name,
            colour,
            resume,
        }))) => Some(RoomMsg::Join {
            peer,
            client,
            name,
            colour,
            resume,
            role,
            tx: room_tx,
        }),
        Ok(Some(Ok(_))) => {
            reply(ServerMsg::error(
                "hello_first",
                "the first message must be a hello",
            ));
            None
        }
        Ok(Some(Err(error))) => {
            reply(error);
            None
        }
        Ok(None) => None,
        Err(_) => {
            reply(ServerMsg::error(
                "hello_timeout",
                "no hello within 10 seconds",
            ));
            None
        }
    };
    // The room that welcomed this connection: it stays open while the connection is in it, so
    // later messages go to it directly, without the registry.
    let room = match join {
        Some(join) => rooms.send(id, join).await.ok(),
        None => None,
    };
    let mut writer_done = false;
    if let Some(room) = room {
        loop {
            let next = tokio::select! {
                next = next_message(&mut stream) => next,
                // The room closed the connection.
                _ = &mut writer => {
                    writer_done = true;
                    break;
                }
            };
            let Some(next) = next else { break };
            if let Err(message) = pace.take_message(next.as_ref().ok()) {
                // The browser reconnects after a pause and sends its unsaved batches again.
                reply(ServerMsg::error("rate_limited", message));
                break;
            }
            let msg = match next {
                Ok(ClientMsg::Submit { batch, ops }) => {
                    if batch == 0 || batch > i64::MAX as u64 {
                        reply(ServerMsg::error(
                            "bad_batch",
                            "a batch number is between 1 and 2^63-1",
                        ));
                        continue;
                    }
                    RoomMsg::Submit { peer, batch, ops }
                }
                Ok(ClientMsg::Presence(mut now)) => {
                    // Only someone who may edit is shown typing in a sticky.
                    if role < Role::Edit {
                        now.editing = None;
                    }
                    RoomMsg::Presence { peer, now }
                }
                Ok(ClientMsg::Hello { .. }) => {
                    reply(ServerMsg::error(
                        "already_joined",
                        "hello is sent once per connection",
                    ));
                    continue;
                }
                Err(error) => {
                    reply(error);
                    continue;
                }
            };
            if room.send(msg).await.is_err() {
                break;
            }
        }
        let _ = room.send(RoomMsg::Leave { peer }).await;
    }
    drop(local_tx);
    // Give the writer a moment to send what is queued (an error message, say).
    if !writer_done {
        let _ = tokio::time::timeout(Duration::from_secs(5), writer).await;
    }
}

/// The next protocol message, an error to send back for a frame that is not one, or `None`
/// when the socket closed.
async fn next_message(
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
) -> Option<Result<ClientMsg, ServerMsg>> {
    loop {
        let frame = match stream.next().await? {
            Ok(frame) => frame,
            Err(_) => return None,
        };
        return Some(match frame {
            Message::Text(text) => serde_json::from_str(text.as_str()).map_err(|e| {
                ServerMsg::error("bad_message", format!("not a protocol message: {e}"))
            }),
            Message::Binary(_) => Err(ServerMsg::error("bad_message", "frames are JSON text")),
            Message::Close(_) => return None,
            Message::Ping(_) | Message::Pong(_) => continue,
        });
    }
}
