use std::collections::HashMap;

use app::access::Role;
use app::model::{Board, Id};
use app::sync::{ClientId, Entry};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use tokio::sync::mpsc;

use super::{
    BoardStore, BusEvent, StoreError, StoredBoard, StoredLink, encode, entry, first_seq,
    parse_role, replay, split_client,
};

/// The schema, run at start-up.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Boards in PostgreSQL; a batch locks its board's row, so writers to one board queue.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Names this process in notifications.
    instance: uuid::Uuid,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            instance: uuid::Uuid::now_v7(),
        })
    }
}

#[async_trait::async_trait]
impl BoardStore for PgStore {
    async fn create_board(
        &self,
        id: Id,
        board: &Board,
        links: &[StoredLink],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let result = sqlx::query("INSERT INTO boards (id, title, doc) VALUES ($1, $2, $3::jsonb)")
            .bind(id)
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
                "INSERT INTO board_links (board_id, role, generation, token_hash) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
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
        let row = sqlx::query("SELECT board_id, role FROM board_links WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((row.get("board_id"), parse_role(row.get("role"))?)))
            .transpose()
    }

    async fn links(&self, board: Id) -> Result<Vec<StoredLink>, StoreError> {
        let rows =
            sqlx::query("SELECT role, generation, token_hash FROM board_links WHERE board_id = $1")
                .bind(board)
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
            "UPDATE board_links SET generation = $1, token_hash = $2 WHERE board_id = $3 AND role = $4",
        )
        .bind(link.generation)
        .bind(&link.token_hash)
        .bind(board)
        .bind(link.role.as_str())
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn load_board(&self, id: Id) -> Result<Option<StoredBoard>, StoreError> {
        let row = sqlx::query("SELECT doc::text AS doc, seq FROM boards WHERE id = $1")
            .bind(id)
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
        let mut tx = self.pool.begin().await?;
        // Locking the board row queues the writers of one board (one per server process). The
        // end of the log is read by a second statement: under READ COMMITTED it then sees what
        // the writer we waited for committed.
        let snapshot_seq: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM boards WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let snapshot_seq = snapshot_seq.ok_or(StoreError::NotFound)?;
        let logged: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM board_log WHERE board_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let last = logged.unwrap_or(0).max(snapshot_seq);
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
                "INSERT INTO board_log (board_id, seq, client_id, batch, ops) \
                 VALUES ($1, $2, $3, $4, $5::jsonb)",
            )
            .bind(id)
            .bind(e.seq)
            .bind(client)
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
                    "INSERT INTO board_clients (board_id, client_id, batch) VALUES ($1, $2, $3) \
                     ON CONFLICT (board_id, client_id) DO UPDATE SET batch = excluded.batch",
                )
                .bind(id)
                .bind(client)
                .bind(batch)
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(snapshot) = snapshot {
            sqlx::query(
                "UPDATE boards SET doc = $1::jsonb, title = $2, seq = $3, updated_at = now() \
                 WHERE id = $4 AND seq < $3",
            )
            .bind(encode(&snapshot.board))
            .bind(snapshot.board.title())
            .bind(snapshot.seq)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(last) = entries.last() {
            // Delivered to the other processes when (and only if) this transaction commits.
            let event = BusEvent::Stored {
                board: id,
                seq: last.seq,
            };
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(self.envelope(&event))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn log_since(&self, id: Id, after_seq: i64) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, client_id, batch, ops::text AS ops FROM board_log \
             WHERE board_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id)
        .bind(after_seq)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                entry(
                    row.get("seq"),
                    row.get("client_id"),
                    row.get("batch"),
                    row.get("ops"),
                )
            })
            .collect()
    }

    async fn client_batches(&self, id: Id) -> Result<HashMap<ClientId, u64>, StoreError> {
        let rows = sqlx::query("SELECT client_id, batch FROM board_clients WHERE board_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|row| (row.get("client_id"), row.get::<i64, _>("batch") as u64))
            .collect())
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
        let applied: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&self.pool)
        .await?;
        super::migrated(&MIGRATOR, applied)
    }

    fn shared(&self) -> bool {
        true
    }

    async fn subscribe(&self) -> Result<Option<mpsc::Receiver<BusEvent>>, StoreError> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        let (tx, rx) = mpsc::channel(4_096);
        let me = self.instance;
        tokio::spawn(async move {
            loop {
                // `try_recv` reconnects by itself and answers `None` when it had to: events may
                // have been missed then.
                let event = match listener.try_recv().await {
                    Ok(Some(n)) => match serde_json::from_str::<Envelope>(n.payload()) {
                        Ok(envelope) if envelope.from == me => continue,
                        Ok(envelope) => envelope.event,
                        Err(e) => {
                            tracing::warn!(error = %e, "unreadable notification");
                            continue;
                        }
                    },
                    Ok(None) => BusEvent::Lagged,
                    Err(e) => {
                        tracing::warn!(error = %e, "listening for other servers failed; retrying");
                        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                        BusEvent::Lagged
                    }
                };
                if tx.send(event).await.is_err() {
                    return;
                }
            }
        });
        Ok(Some(rx))
    }

    async fn publish(&self, event: &BusEvent) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(self.envelope(event))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The LISTEN/NOTIFY channel all Squall processes on one database share.
const CHANNEL: &str = "squall";

/// A notification: the event and the process that sent it (which ignores its own).
#[derive(Serialize, Deserialize)]
struct Envelope {
    from: uuid::Uuid,
    event: BusEvent,
}

impl PgStore {
    fn envelope(&self, event: &BusEvent) -> String {
        encode(&Envelope {
            from: self.instance,
            event: event.clone(),
        })
    }
}
