//! The storage interface and its two implementations. Architecture Invariant: this is the only
//! module that writes SQL; everything above it sees boards and operations, never rows.

/// PostgreSQL, used when `DATABASE_URL` starts with `postgres://`.
mod postgres;
/// SQLite, the embedded default (a file under ./data/).
mod sqlite;

use std::sync::Arc;

use app::model::{Board, Id, Op, Rejection};

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// A board as stored: the document and the sequence number of the last operation applied to it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBoard {
    pub board: Board,
    pub seq: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such board")]
    NotFound,
    #[error("operation {index} was rejected: {rejection}")]
    Rejected { index: usize, rejection: Rejection },
    #[error("a board with this id already exists")]
    AlreadyExists,
    /// A stored document that no longer passes the model's validation.
    #[error("stored board is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Where boards live. One contract test suite (server/tests/store_contract.rs) runs against
/// every implementation.
#[async_trait::async_trait]
pub trait BoardStore: Send + Sync + 'static {
    /// Stores a new board under `id` with sequence number 0.
    async fn create_board(&self, id: Id, board: &Board) -> Result<(), StoreError>;
    async fn load_board(&self, id: Id) -> Result<Option<StoredBoard>, StoreError>;
    /// Applies a batch of operations atomically, logs them, and returns the new sequence number.
    /// On any rejection nothing is stored.
    async fn apply_ops(&self, id: Id, ops: Vec<Op>) -> Result<i64, StoreError>;
    /// The operations applied after `after_seq`, in order.
    async fn ops_since(&self, id: Id, after_seq: i64) -> Result<Vec<(i64, Op)>, StoreError>;
    /// Returns false when there was no such board.
    async fn delete_board(&self, id: Id) -> Result<bool, StoreError>;
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
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

/// The work both implementations share inside their transaction: parse the stored document,
/// apply the batch through the model, and serialize the results.
struct Applied {
    board: Board,
    doc: String,
    ops: Vec<String>,
}

fn apply_to_doc(doc: &str, ops: Vec<Op>) -> Result<Applied, StoreError> {
    let mut board = parse_doc(doc)?;
    let encoded = ops.iter().map(encode).collect();
    board
        .apply_all(ops)
        .map_err(|(index, rejection)| StoreError::Rejected { index, rejection })?;
    Ok(Applied {
        doc: encode(&board),
        board,
        ops: encoded,
    })
}

fn parse_doc(doc: &str) -> Result<Board, StoreError> {
    serde_json::from_str(doc).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse_op(op: &str) -> Result<Op, StoreError> {
    serde_json::from_str(op).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn encode<T: serde::Serialize>(value: &T) -> String {
    // Boards and operations are plain data with string keys: serializing them cannot fail.
    serde_json::to_string(value).expect("board data serializes to JSON")
}
