//! The editor's live connection: a WebSocket to the board's room. It says hello (with where the
//! replica stands), sends batches and presence once welcomed, hands every server message to the
//! replica, and reconnects with backoff when the socket drops; edits made meanwhile wait in the
//! replica and go out after the next welcome. On the server this module does nothing.

use leptos::prelude::*;

use super::Editor;
use crate::model::Id;
use crate::sync::{ClientId, ClientMsg, Peer, Point, Presence};

/// Who this tab is to the others.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// Fresh for every page load: it names this tab's batches.
    pub client: ClientId,
    pub name: String,
    pub colour: String,
}

/// Another person on the board, as the server last described them.
pub type PeerView = Peer;

/// How often at most a moving pointer is sent to the others.
const PRESENCE_INTERVAL_MS: f64 = 40.0;
/// The longest wait between two reconnection attempts.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const MAX_BACKOFF_MS: f64 = 10_000.0;

/// The socket: browser-only (a `web_sys::WebSocket` must stay on its thread). On the server no
/// socket ever exists, and thread-local storage would panic when the page is rendered and
/// dropped on different worker threads.
#[cfg(feature = "hydrate")]
type SocketSlot = StoredValue<Option<web_sys::WebSocket>, LocalStorage>;
#[cfg(not(feature = "hydrate"))]
type SocketSlot = StoredValue<Option<std::convert::Infallible>>;

#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct Live {
    socket: SocketSlot,
    /// Welcomed on the current socket: batches and presence may go out.
    ready: RwSignal<bool>,
    attempts: StoredValue<u32>,
    stopped: StoredValue<bool>,
    pub(super) cursor: StoredValue<Option<Point>>,
    last_presence: StoredValue<f64>,
    presence_queued: StoredValue<bool>,
}

impl Live {
    pub fn new() -> Self {
        Self {
            #[cfg(feature = "hydrate")]
            socket: StoredValue::new_local(None),
            #[cfg(not(feature = "hydrate"))]
            socket: StoredValue::new(None),
            ready: RwSignal::new(false),
            attempts: StoredValue::new(0),
            stopped: StoredValue::new(false),
            cursor: StoredValue::new(None),
            last_presence: StoredValue::new(f64::NEG_INFINITY),
            presence_queued: StoredValue::new(false),
        }
    }

    pub fn is_ready(&self) -> bool {
        self.ready.get_untracked()
    }

    /// Sends `msg` if the connection is welcomed; otherwise the replica keeps the batch and the
    /// next welcome sends it.
    pub fn send(&self, msg: &ClientMsg) {
        if self.is_ready() {
            self.send_now(msg);
        }
    }

    fn send_now(&self, msg: &ClientMsg) {
        #[cfg(feature = "hydrate")]
        {
            let text = serde_json::to_string(msg).expect("protocol messages serialize");
            self.socket.with_value(|s| {
                if let Some(socket) = s {
                    let _ = socket.send_with_str(&text);
                }
            });
        }
        let _ = msg;
    }

    /// Closes the connection for good (the page goes away).
    pub fn stop(&self) {
        self.stopped.set_value(true);
        #[cfg(feature = "hydrate")]
        self.socket.update_value(|s| {
            if let Some(socket) = s.take() {
                let _ = socket.close();
            }
        });
    }
}

impl Editor {
    /// The pointer moved over the board (board coordinates), or left it (`None`).
    pub fn pointer_moved(&self, at: Option<(f64, f64)>) {
        self.live.cursor.set_value(at.map(|(x, y)| Point { x, y }));
        self.send_presence();
    }

    /// Sends the pointer and the selection, at most every 40 ms; the latest one always goes.
    pub fn send_presence(&self) {
        let live = self.live;
        if !live.is_ready() || live.presence_queued.get_value() {
            return;
        }
        let now = now_ms();
        let wait = live.last_presence.get_value() + PRESENCE_INTERVAL_MS - now;
        if wait > 0.0 {
            live.presence_queued.set_value(true);
            let this = *self;
            set_timeout(
                move || {
                    this.live.presence_queued.set_value(false);
                    this.send_presence();
                },
                std::time::Duration::from_millis(wait.ceil() as u64),
            );
            return;
        }
        live.last_presence.set_value(now);
        let selection: Vec<Id> = self.selection.with_untracked(|s| {
            s.iter()
                .copied()
                .take(crate::sync::protocol::MAX_SELECTION)
                .collect()
        });
        live.send_now(&ClientMsg::Presence(Presence {
            cursor: live.cursor.get_value(),
            selection,
            editing: self.editing.get_untracked(),
        }));
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn peer_changed(&self, peer: Peer) {
        self.peers
            .update(|peers| match peers.iter_mut().find(|p| p.id == peer.id) {
                Some(p) => *p = peer,
                None => peers.push(peer),
            });
    }
}

pub(super) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

#[cfg(not(feature = "hydrate"))]
pub fn connect(_editor: Editor, _identity: Identity) {}

#[cfg(feature = "hydrate")]
pub fn connect(editor: Editor, identity: Identity) {
    use crate::sync::ServerMsg;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let live = editor.live;
    if live.stopped.get_value() {
        return;
    }
    let Some(url) = socket_url(&editor.board_id(), &editor.board_key()) else {
        return;
    };
    let socket = match web_sys::WebSocket::new(&url) {
        Ok(socket) => socket,
        Err(_) => {
            reconnect_later(editor, identity);
            return;
        }
    };

    let hello = {
        let identity = identity.clone();
        Closure::<dyn FnMut()>::new(move || {
            live.send_now(&editor.hello(&identity));
        })
    };
    let message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            // Tag first, as the server writes it (docs/sync.md S7).
            let Ok(msg) = ServerMsg::decode(&text) else {
                leptos::logging::warn!("unreadable message from the server");
                return;
            };
            match msg {
                ServerMsg::Presence { peer } => editor.peer_changed(peer),
                ServerMsg::Left { peer } => editor.peers.update(|p| p.retain(|x| x.id != peer)),
                ServerMsg::Error { ref code, .. }
                    if code == "access_revoked" || code == "board_deleted" =>
                {
                    // Reconnecting cannot help: this page's link or board is gone.
                    live.stopped.set_value(true);
                    editor.save.set(super::SaveState::Closed(code.clone()));
                }
                ServerMsg::Welcome { ref peers, .. } => {
                    editor.peers.set(peers.clone());
                    live.ready.set(true);
                    live.attempts.set_value(0);
                    let received = editor.receive(msg);
                    for msg in &received.send {
                        live.send_now(msg);
                    }
                    editor.update_save_state();
                    editor.send_presence();
                }
                other => {
                    let received = editor.receive(other);
                    if received.resync {
                        // Closing makes the reconnect ask for a snapshot.
                        live.socket.with_value(|s| s.as_ref().map(|s| s.close()));
                    }
                }
            }
        });
    let closed = {
        let socket = socket.clone();
        Closure::<dyn FnMut()>::new(move || {
            // Only the current socket's close counts (an old one may close late).
            let current = live
                .socket
                .with_value(|s| s.as_ref().is_some_and(|s| s == &socket));
            if !current {
                return;
            }
            live.socket.set_value(None);
            live.ready.set(false);
            editor.peers.set(Vec::new());
            editor.update_save_state();
            reconnect_later(editor, identity.clone());
        })
    };
    socket.set_onopen(Some(hello.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(closed.as_ref().unchecked_ref()));
    // The socket owns its handlers for the life of the page.
    hello.forget();
    message.forget();
    closed.forget();
    live.socket.set_value(Some(socket));
}

#[cfg(feature = "hydrate")]
fn reconnect_later(editor: Editor, identity: Identity) {
    let live = editor.live;
    if live.stopped.get_value() {
        return;
    }
    let attempt = live.attempts.get_value();
    live.attempts.set_value(attempt.saturating_add(1));
    let base = (250.0 * 2f64.powi(attempt.min(10) as i32)).min(MAX_BACKOFF_MS);
    // Jitter, so fifty laptops coming back from one Wi-Fi drop do not all knock at once.
    let delay = base * (0.5 + js_sys_random() * 0.5);
    if !matches!(editor.save.get_untracked(), super::SaveState::Error(_)) {
        editor.update_save_state();
    }
    set_timeout(
        move || connect(editor, identity),
        std::time::Duration::from_millis(delay as u64),
    );
}

#[cfg(feature = "hydrate")]
fn js_sys_random() -> f64 {
    // Math.random without pulling in js-sys: a v4-like random from uuid's JS source.
    (uuid::Uuid::now_v7().as_u64_pair().1 % 1_000) as f64 / 1_000.0
}

/// ws(s)://host/api/boards/{id}/ws?key=… for the page's own host.
#[cfg(feature = "hydrate")]
fn socket_url(board: &str, key: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!(
        "{scheme}://{}/api/boards/{board}/ws?key={key}",
        location.host().ok()?
    ))
}
