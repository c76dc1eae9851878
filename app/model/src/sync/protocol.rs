//! The WebSocket protocol: one JSON object per text frame, tagged by `type`. See docs/sync.md.

use serde::{Deserialize, Serialize};

use crate::model::{Board, Id, Op};

/// Chosen by the browser, fresh for every page load; names the author of batches for dedupe.
pub type ClientId = uuid::Uuid;
/// Chosen by the server for one connection; what other people see (never the client id).
pub type PeerId = u64;

/// The most elements one presence message may list as selected.
pub const MAX_SELECTION: usize = 1_000;
/// The longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// Browser to server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// The first message on a connection.
    Hello {
        client: ClientId,
        name: String,
        colour: String,
        /// Where the browser's copy stands; `None` asks for a snapshot.
        resume: Option<Resume>,
    },
    /// A batch of operations, applied all or nothing. `batch` increases with every batch a
    /// client sends, so the server can tell a retry from a new batch.
    Submit { batch: u64, ops: Vec<Op> },
    /// What this person is doing now: pointer, selection, the sticky they type in.
    Presence(Presence),
}

/// What one person is doing on the board, as the others see it: sent by their browser, checked
/// by the hub ([`Presence::check`]) and relayed inside their [`Peer`]. Something new to show
/// ("who is editing" was the last) is a field here and a line in `check`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presence {
    /// The pointer, in board coordinates; `None` when it left the board.
    pub cursor: Option<Point>,
    #[serde(default)]
    pub selection: Vec<Id>,
    /// The sticky whose text they are typing (others see their colour on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing: Option<Id>,
}

impl Presence {
    /// Why the server refuses this presence, if it does.
    pub fn check(&self) -> Result<(), String> {
        let finite = self.cursor.is_none_or(|p| {
            p.x.is_finite()
                && p.y.is_finite()
                && p.x.abs() <= crate::model::Limits::MAX_COORDINATE
                && p.y.abs() <= crate::model::Limits::MAX_COORDINATE
        });
        if !finite || self.selection.len() > MAX_SELECTION {
            return Err(format!(
                "a cursor must be finite and a selection at most {MAX_SELECTION} ids"
            ));
        }
        Ok(())
    }
}

/// The state a reconnecting browser already has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    /// The epoch of the server that sent `seq`; `None` when `seq` was read from the store (the
    /// page's first render), which only ever holds durable operations.
    pub epoch: Option<String>,
    pub seq: i64,
}

/// Server to browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// The answer to `hello`.
    Welcome {
        /// Changes whenever the server's in-memory board is rebuilt from the store.
        epoch: String,
        you: PeerId,
        /// The last batch of this client the server has ordered (0: none).
        last_batch: u64,
        /// Every sequence number up to this one is on disk.
        durable: i64,
        catch_up: CatchUp,
        peers: Vec<Peer>,
    },
    /// Somebody else's batch, in the server's order.
    Ops { seq: i64, ops: Vec<Op> },
    /// Your batch got this sequence number (it is applied, not yet necessarily on disk).
    Accepted { batch: u64, seq: i64 },
    /// Everything up to `seq` is on disk: your batches up to there are safe.
    Saved { seq: i64 },
    /// Your batch was refused, nothing of it applied.
    Rejected {
        batch: u64,
        op_index: usize,
        code: String,
        message: String,
    },
    /// Somebody joined, moved their pointer or changed their selection.
    Presence { peer: Peer },
    /// Somebody left.
    Left { peer: PeerId },
    /// A message the server could not use; nothing changed.
    Error { code: String, message: String },
}

/// How a welcome brings the browser up to date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CatchUp {
    /// The batches after the browser's `seq`, in order.
    Ops { entries: Vec<LogEntry> },
    /// The whole board at `seq` (the browser was far behind, or the epoch changed).
    Snapshot { seq: i64, board: Board },
}

/// One ordered batch as a catch-up sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub seq: i64,
    pub ops: Vec<Op>,
    /// Set when the batch is the receiving client's own (its batch number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    pub id: PeerId,
    pub name: String,
    pub colour: String,
    /// What they are doing now.
    #[serde(flatten)]
    pub now: Presence,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl ServerMsg {
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self::Error {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// A display name as shown to others: trimmed, control characters removed, at most
/// [`MAX_NAME_CHARS`] characters, "Anonymous" when nothing is left.
pub fn clean_name(name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let name = name.trim();
    if name.is_empty() {
        "Anonymous".to_string()
    } else {
        name.to_string()
    }
}

/// A colour as `#rrggbb`, or a grey when the client sent anything else.
pub fn clean_colour(colour: &str) -> String {
    let ok = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        colour.to_ascii_lowercase()
    } else {
        "#6b7280".to_string()
    }
}
