use std::str::FromStr;
use std::time::Duration;

use app::model::{Board, Id, Op};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use super::{BoardStore, StoreError, StoredBoard, apply_to_doc, encode, parse_doc, parse_op};

/// Boards in one SQLite file, in WAL mode with full sync: a committed batch survives a crash.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| sqlx::Error::Io(e))?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait::async_trait]
impl BoardStore for SqliteStore {
    async fn create_board(&self, id: Id, board: &Board) -> Result<(), StoreError> {
        let result = sqlx::query("INSERT INTO boards (id, title, doc) VALUES (?, ?, ?)")
            .bind(id.to_string())
            .bind(board.title())
            .bind(encode(board))
            .execute(&self.pool)
            .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::AlreadyExists)
            }
            other => other.map(drop).map_err(Into::into),
        }
    }

    async fn load_board(&self, id: Id) -> Result<Option<StoredBoard>, StoreError> {
        let row = sqlx::query("SELECT doc, seq FROM boards WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(StoredBoard {
                board: parse_doc(row.get("doc"))?,
                seq: row.get("seq"),
            })
        })
        .transpose()
    }

    async fn apply_ops(&self, id: Id, ops: Vec<Op>) -> Result<i64, StoreError> {
        // IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row = sqlx::query("SELECT doc, seq FROM boards WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let seq: i64 = row.get("seq");
        let applied = apply_to_doc(row.get("doc"), ops)?;
        let last = seq + applied.ops.len() as i64;
        for (i, op) in applied.ops.iter().enumerate() {
            sqlx::query("INSERT INTO board_ops (board_id, seq, op) VALUES (?, ?, ?)")
                .bind(id.to_string())
                .bind(seq + 1 + i as i64)
                .bind(op)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE boards SET doc = ?, title = ?, seq = ?, \
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        )
        .bind(&applied.doc)
        .bind(applied.board.title())
        .bind(last)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(last)
    }

    async fn ops_since(&self, id: Id, after_seq: i64) -> Result<Vec<(i64, Op)>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, op FROM board_ops WHERE board_id = ? AND seq > ? ORDER BY seq",
        )
        .bind(id.to_string())
        .bind(after_seq)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.get("seq"), parse_op(row.get("op"))?)))
            .collect()
    }

    async fn delete_board(&self, id: Id) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM board_ops WHERE board_id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query("DELETE FROM boards WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
