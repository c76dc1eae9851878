use app::model::{Board, Id, Op};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};

use super::{BoardStore, StoreError, StoredBoard, apply_to_doc, encode, parse_doc, parse_op};

/// Boards in PostgreSQL; a batch locks its board's row, so writers to one board queue.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait::async_trait]
impl BoardStore for PgStore {
    async fn create_board(&self, id: Id, board: &Board) -> Result<(), StoreError> {
        let result = sqlx::query("INSERT INTO boards (id, title, doc) VALUES ($1, $2, $3::jsonb)")
            .bind(id)
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
        let row = sqlx::query("SELECT doc::text AS doc, seq FROM boards WHERE id = $1")
            .bind(id)
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
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT doc::text AS doc, seq FROM boards WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let seq: i64 = row.get("seq");
        let applied = apply_to_doc(row.get("doc"), ops)?;
        let last = seq + applied.ops.len() as i64;
        sqlx::query(
            "INSERT INTO board_ops (board_id, seq, op) \
             SELECT $1, $2 + ord, op::jsonb FROM unnest($3::text[]) WITH ORDINALITY AS t(op, ord)",
        )
        .bind(id)
        .bind(seq)
        .bind(&applied.ops)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE boards SET doc = $1::jsonb, title = $2, seq = $3, updated_at = now() WHERE id = $4")
            .bind(&applied.doc)
            .bind(applied.board.title())
            .bind(last)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(last)
    }

    async fn ops_since(&self, id: Id, after_seq: i64) -> Result<Vec<(i64, Op)>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, op::text AS op FROM board_ops WHERE board_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id)
        .bind(after_seq)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.get("seq"), parse_op(row.get("op"))?)))
            .collect()
    }

    async fn delete_board(&self, id: Id) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM boards WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
