use std::collections::HashMap;
use std::time::Duration;

use app::access::Role;
use app::model::{Board, Id};
use app::sync::{ClientId, Entry};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use tokio::sync::mpsc;

use super::{
    BoardStore, BusEvent, Owner, StoreError, StoredBoard, StoredLink, encode, entry, first_seq,
    parse_role, replay, split_client,
};

/// The schema, run at start-up.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Boards in PostgreSQL; a batch locks its board's row, so writers to one board queue.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Names this process in notifications and board leases.
    instance: uuid::Uuid,
    /// Shared by the processes on this database (`cluster`).
    secret: String,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        // The first process on a database makes the secret; the others read it.
        let mine = crate::access::new_owner_token();
        sqlx::query("INSERT INTO cluster (secret) VALUES ($1) ON CONFLICT (id) DO NOTHING")
            .bind(&mine)
            .execute(&pool)
            .await?;
        let secret = sqlx::query_scalar("SELECT secret FROM cluster")
            .fetch_one(&pool)
            .await?;
        Ok(Self {
            pool,
            instance: uuid::Uuid::now_v7(),
            secret,
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
        if !entries.is_empty() {
            // One statement for the whole group, however many batches it holds.
            let mut seqs = Vec::with_capacity(entries.len());
            let mut clients = Vec::with_capacity(entries.len());
            let mut batches = Vec::with_capacity(entries.len());
            let mut ops = Vec::with_capacity(entries.len());
            let mut last_batch: HashMap<ClientId, i64> = HashMap::new();
            for e in entries {
                let (client, batch) = split_client(e);
                seqs.push(e.seq);
                clients.push(client);
                batches.push(batch);
                ops.push(encode(&e.ops));
                if let (Some(client), Some(batch)) = (client, batch) {
                    let last = last_batch.entry(client).or_insert(batch);
                    *last = (*last).max(batch);
                }
            }
            sqlx::query(
                "INSERT INTO board_log (board_id, seq, client_id, batch, ops) \
                 SELECT $1, s, c, b, o::jsonb \
                 FROM UNNEST($2::bigint[], $3::uuid[], $4::bigint[], $5::text[]) AS t(s, c, b, o)",
            )
            .bind(id)
            .bind(&seqs)
            .bind(&clients)
            .bind(&batches)
            .bind(&ops)
            .execute(&mut *tx)
            .await
            .map_err(|err| match err {
                sqlx::Error::Database(d) if d.is_unique_violation() => {
                    StoreError::SeqTaken(seqs[0])
                }
                other => other.into(),
            })?;
            if !last_batch.is_empty() {
                let (clients, batches): (Vec<ClientId>, Vec<i64>) = last_batch.into_iter().unzip();
                sqlx::query(
                    "INSERT INTO board_clients (board_id, client_id, batch) \
                     SELECT $1, c, b FROM UNNEST($2::uuid[], $3::bigint[]) AS t(c, b) \
                     ON CONFLICT (board_id, client_id) DO UPDATE SET batch = excluded.batch",
                )
                .bind(id)
                .bind(&clients)
                .bind(&batches)
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

    async fn claim(&self, board: Id, address: &str, lease: Duration) -> Result<Owner, StoreError> {
        // Taken when free, lapsed, already ours, or held by a process at our own address
        // (which is gone); otherwise the holder's address comes back.
        let row = sqlx::query(
            "INSERT INTO board_owners (board_id, instance, address, expires_at) \
             VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4)) \
             ON CONFLICT (board_id) DO UPDATE \
                SET instance = EXCLUDED.instance, address = EXCLUDED.address, \
                    expires_at = EXCLUDED.expires_at \
                WHERE board_owners.expires_at < clock_timestamp() \
                   OR board_owners.instance = EXCLUDED.instance \
                   OR board_owners.address = EXCLUDED.address \
             RETURNING instance",
        )
        .bind(board)
        .bind(self.instance)
        .bind(address)
        .bind(lease.as_secs_f64())
        .fetch_optional(&self.pool)
        .await;
        match row {
            Ok(Some(_)) => return Ok(Owner::Me),
            Ok(None) => {}
            // No such board (any more).
            Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
                return Err(StoreError::NotFound);
            }
            Err(e) => return Err(e.into()),
        }
        let holder: Option<String> =
            sqlx::query_scalar("SELECT address FROM board_owners WHERE board_id = $1")
                .bind(board)
                .fetch_optional(&self.pool)
                .await?;
        match holder {
            Some(address) => Ok(Owner::Other(address)),
            // Released in between: try once more.
            None => Box::pin(self.claim(board, address, lease)).await,
        }
    }

    async fn renew(&self, lease: Duration) -> Result<Vec<Id>, StoreError> {
        Ok(sqlx::query_scalar(
            "UPDATE board_owners SET expires_at = clock_timestamp() + make_interval(secs => $2) \
             WHERE instance = $1 RETURNING board_id",
        )
        .bind(self.instance)
        .bind(lease.as_secs_f64())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn release(&self, board: Id) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM board_owners WHERE board_id = $1 AND instance = $2")
            .bind(board)
            .bind(self.instance)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn cluster_secret(&self) -> Result<Option<String>, StoreError> {
        Ok(Some(self.secret.clone()))
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
