//! The storage interface and its two implementations. Architecture Invariant: this is the only
//! module that writes SQL; everything above it sees boards and batches, never rows.
//!
//! A board is stored as a snapshot (`boards.doc` at `boards.seq`) plus the ordered batches after
//! it (`board_log`). Appending a batch writes one small row; the snapshot is rewritten now and
//! then by the caller (the sync room), so a write does not cost the size of the board.

/// PostgreSQL, used when `DATABASE_URL` starts with `postgres://`.
mod postgres;
/// SQLite, the embedded default (a file under ./data/).
mod sqlite;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use app::access::Role;
use app::model::{Board, Id, Op};
use app::sync::{ClientId, Entry};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// A board as stored: the document and the sequence number of the last batch in it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBoard {
    pub board: Board,
    pub seq: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such board")]
    NotFound,
    #[error("a board with this id already exists")]
    AlreadyExists,
    /// Another writer (another server process) stored a batch with this sequence number first.
    #[error("sequence number {0} is already taken")]
    SeqTaken(i64),
    /// A stored document or batch that no longer passes the model's validation.
    #[error("stored board is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The server is shutting down and opens no more boards.
    #[error("the server is shutting down")]
    ShuttingDown,
}

/// Who orders a board's batches (docs/sync.md S6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// This process: it opens the board's room.
    Me,
    /// Another process, reached at this internal URL (`http://10.0.0.7:3000`).
    Other(String),
}

/// A capability link as stored: never the token, only its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLink {
    pub role: Role,
    pub generation: i64,
    pub token_hash: String,
}

/// What server processes sharing one database tell each other (PostgreSQL LISTEN/NOTIFY).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BusEvent {
    /// Batches up to `seq` of `board` are stored: read them from the log.
    Stored { board: Id, seq: i64 },
    /// A link was rotated: sockets opened with it lose access.
    Revoked { board: Id, role: Role },
    /// The board was deleted: its owner closes the room and drops its sockets.
    Deleted { board: Id },
    /// The listener lost its connection and may have missed events: re-read everything.
    Lagged,
}

/// Where boards live. One contract test suite (server/tests/store_contract.rs) runs against
/// every implementation.
#[async_trait::async_trait]
pub trait BoardStore: Send + Sync + 'static {
    /// Stores a new board under `id` with sequence number 0, and its links.
    async fn create_board(
        &self,
        id: Id,
        board: &Board,
        links: &[StoredLink],
    ) -> Result<(), StoreError>;
    /// The board and role whose link has this token hash.
    async fn find_link(&self, token_hash: &str) -> Result<Option<(Id, Role)>, StoreError>;
    /// The links of a board.
    async fn links(&self, board: Id) -> Result<Vec<StoredLink>, StoreError>;
    /// Replaces the board's link for `link.role`.
    async fn replace_link(&self, board: Id, link: &StoredLink) -> Result<(), StoreError>;
    /// The snapshot with every logged batch after it applied.
    async fn load_board(&self, id: Id) -> Result<Option<StoredBoard>, StoreError>;
    /// Appends batches numbered from the log's next sequence number on, atomically, and
    /// optionally replaces the snapshot. `SeqTaken` when another writer got there first.
    async fn append(
        &self,
        id: Id,
        entries: &[Entry],
        snapshot: Option<&StoredBoard>,
    ) -> Result<(), StoreError>;
    /// The batches after `after_seq`, in order.
    async fn log_since(&self, id: Id, after_seq: i64) -> Result<Vec<Entry>, StoreError>;
    /// The last batch number of every client that wrote to the board.
    async fn client_batches(&self, id: Id) -> Result<HashMap<ClientId, u64>, StoreError>;
    /// Returns false when there was no such board.
    async fn delete_board(&self, id: Id) -> Result<bool, StoreError>;
    /// Checks that the database answers and has every migration this build knows.
    async fn ping(&self) -> Result<(), StoreError>;
    /// True when other server processes may write to the same boards (PostgreSQL): a batch
    /// must then be stored before it is shown to anyone, to get a sequence number all agree on.
    fn shared(&self) -> bool {
        false
    }
    /// Events from the other server processes; `None` when there can be none.
    async fn subscribe(&self) -> Result<Option<mpsc::Receiver<BusEvent>>, StoreError> {
        Ok(None)
    }
    /// Tells the other server processes (best effort; `Stored` is sent by `append` itself).
    async fn publish(&self, _event: &BusEvent) -> Result<(), StoreError> {
        Ok(())
    }
    /// Takes or renews the lease on `board` for this process, reachable at `address`, for
    /// `lease`; or names the process that holds it. A lease held by a process at `address`
    /// itself is taken over (that process is gone: this one has its address now).
    async fn claim(
        &self,
        _board: Id,
        _address: &str,
        _lease: Duration,
    ) -> Result<Owner, StoreError> {
        Ok(Owner::Me)
    }
    /// Renews every lease of this process; returns the boards it still holds.
    async fn renew(&self, _lease: Duration) -> Result<Vec<Id>, StoreError> {
        Ok(Vec::new())
    }
    /// Gives up the lease on `board` (the room closed), so another process may take it at once.
    async fn release(&self, _board: Id) -> Result<(), StoreError> {
        Ok(())
    }
    /// The secret the processes on this database share (`None` when there is only one).
    async fn cluster_secret(&self) -> Result<Option<String>, StoreError> {
        Ok(None)
    }
}

/// Opens the database `url` names (`sqlite:` or `postgres://`), creating it if it is a SQLite
/// file that does not exist yet, and runs the migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn BoardStore>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    }
}

/// Rebuilds a board from its snapshot and the batches after it.
fn replay(doc: &str, seq: i64, log: Vec<Entry>) -> Result<StoredBoard, StoreError> {
    let mut board = parse_doc(doc)?;
    let mut at = seq;
    for entry in log {
        if entry.seq != at + 1 {
            return Err(StoreError::Corrupt(format!(
                "batch {} follows {at} in the log",
                entry.seq
            )));
        }
        board
            .apply_all(entry.ops)
            .map_err(|(i, r)| StoreError::Corrupt(format!("batch {} op {i}: {r}", entry.seq)))?;
        at = entry.seq;
    }
    Ok(StoredBoard { board, seq: at })
}

/// A row of the log: batch number stored as a signed integer (the hub refuses larger ones).
fn entry(
    seq: i64,
    client: Option<ClientId>,
    batch: Option<i64>,
    ops: &str,
) -> Result<Entry, StoreError> {
    let ops: Vec<Op> = serde_json::from_str(ops).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(Entry {
        seq,
        client: client.zip(batch.map(|b| b as u64)),
        ops,
    })
}

/// The author of a batch as two columns.
fn split_client(entry: &Entry) -> (Option<ClientId>, Option<i64>) {
    match entry.client {
        Some((client, batch)) => (Some(client), Some(batch as i64)),
        None => (None, None),
    }
}

/// Checks that `entries` follow each other, and returns the first sequence number.
fn first_seq(entries: &[Entry]) -> Option<i64> {
    debug_assert!(
        entries.windows(2).all(|w| w[1].seq == w[0].seq + 1),
        "entries are appended in order"
    );
    entries.first().map(|e| e.seq)
}

fn parse_role(role: &str) -> Result<Role, StoreError> {
    Role::parse(role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))
}

fn parse_doc(doc: &str) -> Result<Board, StoreError> {
    serde_json::from_str(doc).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn encode<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Boards and operations are plain data with string keys: serializing them cannot fail.
    serde_json::to_string(value).expect("board data serializes to JSON")
}

/// Ready when the database has every migration of `migrator` (another process may have
/// applied newer ones; an older schema is not ready).
fn migrated(migrator: &sqlx::migrate::Migrator, applied: i64) -> Result<(), StoreError> {
    let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    if applied < latest {
        return Err(StoreError::Corrupt(format!(
            "the database's schema is at migration {applied}, this build needs {latest}"
        )));
    }
    Ok(())
}
