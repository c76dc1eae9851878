use std::str::FromStr;
use std::time::Duration;

use std::collections::HashMap;

use app::access::Role;
use app::model::{Board, Id};
use app::sync::{ClientId, Entry};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use super::{
    BoardStore, StoreError, StoredBoard, StoredLink, encode, entry, first_seq, parse_role, replay,
    split_client,
};

/// The schema, run at start-up.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

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
        if let Some(dir) = options.get_filename().parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait::async_trait]
impl BoardStore for SqliteStore {
    async fn create_board(
        &self,
        id: Id,
        board: &Board,
        links: &[StoredLink],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let result = sqlx::query("INSERT INTO boards (id, title, doc) VALUES (?, ?, ?)")
            .bind(id.to_string())
            .bind(board.title())
            .bind(encode(board))
            .execute(&mut *tx)
            .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::AlreadyExists);
            }
            other => other?,
        };
        for link in links {
            sqlx::query(
                "INSERT INTO board_links (board_id, role, generation, token_hash) VALUES (?, ?, ?, ?)",
            )
            .bind(id.to_string())
            .bind(link.role.as_str())
            .bind(link.generation)
            .bind(&link.token_hash)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn find_link(&self, token_hash: &str) -> Result<Option<(Id, Role)>, StoreError> {
        let row = sqlx::query("SELECT board_id, role FROM board_links WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let board: String = row.get("board_id");
            let board = board
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("board id {board}")))?;
            Ok((board, parse_role(row.get("role"))?))
        })
        .transpose()
    }

    async fn links(&self, board: Id) -> Result<Vec<StoredLink>, StoreError> {
        let rows =
            sqlx::query("SELECT role, generation, token_hash FROM board_links WHERE board_id = ?")
                .bind(board.to_string())
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredLink {
                    role: parse_role(row.get("role"))?,
                    generation: row.get("generation"),
                    token_hash: row.get("token_hash"),
                })
            })
            .collect()
    }

    async fn replace_link(&self, board: Id, link: &StoredLink) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE board_links SET generation = ?, token_hash = ? WHERE board_id = ? AND role = ?",
        )
        .bind(link.generation)
        .bind(&link.token_hash)
        .bind(board.to_string())
        .bind(link.role.as_str())
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn load_board(&self, id: Id) -> Result<Option<StoredBoard>, StoreError> {
        let row = sqlx::query("SELECT doc, seq FROM boards WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let seq: i64 = row.get("seq");
        let log = self.log_since(id, seq).await?;
        replay(row.get("doc"), seq, log).map(Some)
    }

    async fn append(
        &self,
        id: Id,
        entries: &[Entry],
        snapshot: Option<&StoredBoard>,
    ) -> Result<(), StoreError> {
        // IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let board = id.to_string();
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(COALESCE((SELECT MAX(seq) FROM board_log WHERE board_id = ?1), 0), seq) \
             FROM boards WHERE id = ?1",
        )
        .bind(&board)
        .fetch_optional(&mut *tx)
        .await?;
        let last = last.ok_or(StoreError::NotFound)?;
        if let Some(first) = first_seq(entries) {
            if first <= last {
                return Err(StoreError::SeqTaken(first));
            }
            if first != last + 1 {
                return Err(StoreError::Corrupt(format!(
                    "batch {first} would follow {last}"
                )));
            }
        }
        for e in entries {
            let (client, batch) = split_client(e);
            sqlx::query(
                "INSERT INTO board_log (board_id, seq, client_id, batch, ops) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&board)
            .bind(e.seq)
            .bind(client.map(|c| c.to_string()))
            .bind(batch)
            .bind(encode(&e.ops))
            .execute(&mut *tx)
            .await
            .map_err(|err| match err {
                sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::SeqTaken(e.seq),
                other => other.into(),
            })?;
            if let (Some(client), Some(batch)) = (client, batch) {
                sqlx::query(
                    "INSERT INTO board_clients (board_id, client_id, batch) VALUES (?, ?, ?) \
                     ON CONFLICT (board_id, client_id) DO UPDATE SET batch = excluded.batch",
                )
                .bind(&board)
                .bind(client.to_string())
                .bind(batch)
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(snapshot) = snapshot {
            sqlx::query(
                "UPDATE boards SET doc = ?, title = ?, seq = ?, \
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND seq < ?",
            )
            .bind(encode(&snapshot.board))
            .bind(snapshot.board.title())
            .bind(snapshot.seq)
            .bind(&board)
            .bind(snapshot.seq)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn log_since(&self, id: Id, after_seq: i64) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, client_id, batch, ops FROM board_log \
             WHERE board_id = ? AND seq > ? ORDER BY seq",
        )
        .bind(id.to_string())
        .bind(after_seq)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let client: Option<String> = row.get("client_id");
                let client = client
                    .map(|c| {
                        c.parse()
                            .map_err(|_| StoreError::Corrupt(format!("client id {c}")))
                    })
                    .transpose()?;
                entry(row.get("seq"), client, row.get("batch"), row.get("ops"))
            })
            .collect()
    }

    async fn client_batches(&self, id: Id) -> Result<HashMap<ClientId, u64>, StoreError> {
        let rows = sqlx::query("SELECT client_id, batch FROM board_clients WHERE board_id = ?")
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let client: String = row.get("client_id");
                let batch: i64 = row.get("batch");
                let client = client
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("client id {client}")))?;
                Ok((client, batch as u64))
            })
            .collect()
    }

    async fn delete_board(&self, id: Id) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        for table in ["board_log", "board_clients", "board_links"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE board_id = ?"
            )))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        }
        let deleted = sqlx::query("DELETE FROM boards WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let applied: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&self.pool)
        .await?;
        super::migrated(&MIGRATOR, applied)
    }
}
