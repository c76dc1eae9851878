//! Live collaboration, pure: the wire protocol, the server's per-board hub and the browser's
//! replica. No IO here; the server wraps [`Hub`] in a task with sockets and a store, the editor
//! wraps [`Replica`] around a WebSocket, and the property test (tests.rs) drives both through a
//! simulated network. The protocol is written up in docs/sync.md.

/// The server's per-board state machine: ordering, dedupe, fan-out, catch-up, presence.
mod hub;
/// Messages between browser and server, as JSON.
pub mod protocol;
/// The browser's copy of a board: confirmed state plus its own unconfirmed batches.
mod replica;
/// Undo on a shared board: only what is still yours (S5).
mod undo;
/// Reading the server's messages tag first, without serde's buffering (S7).
mod wire;

pub use hub::{Accepted, Entry, Hub, Out, SubmitError};
pub use protocol::{
    CatchUp, ClientId, ClientMsg, LogEntry, Peer, PeerId, Point, Presence, Resume, ServerMsg,
};
pub use replica::{Received, Replica};
pub use undo::{Trimmed, still_yours};

/// Workshop moments step by step: delete during a drag, undo, concurrent edits.
#[cfg(test)]
mod scenarios;
/// The 1,000-case convergence property test.
#[cfg(test)]
mod tests;
