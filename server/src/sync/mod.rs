//! Live collaboration on the server: one room (a task around `app::sync::Hub`) per open board,
//! WebSocket connections feeding it, a writer storing what it orders, and the PostgreSQL bus
//! that links server processes. The protocol is in docs/sync.md.

/// The room task: ordering, fan-out, storage, and the other server processes.
mod room;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use app::model::{Id, Op};
use app::sync::SubmitError;
use tokio::sync::{Mutex, OnceCell, mpsc, oneshot};

use crate::metrics::Metrics;
use crate::store::{BoardStore, BusEvent, StoreError};
pub use room::{CONNECTION_BUFFER, RoomMsg};

/// Why a batch sent over HTTP was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SubmitFailed {
    #[error(transparent)]
    Refused(#[from] SubmitError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The room closed while the batch waited (board deleted, storage failure, shutdown).
    #[error("the board closed before the batch was stored")]
    Closed,
}

/// Tuning of rooms; tests shorten the idle time.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// A room with no connection closes after this long.
    pub idle: Duration,
    /// The snapshot in the store is rewritten every this many batches.
    pub snapshot_every: i64,
}

impl Default for RoomSettings {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(30),
            snapshot_every: 1_000,
        }
    }
}

/// A board's place in the registry: empty while the board loads, then its room.
type Slot = Arc<OnceCell<mpsc::Sender<RoomMsg>>>;

/// Every open room of this process.
pub struct Rooms {
    store: Arc<dyn BoardStore>,
    settings: RoomSettings,
    /// Held only to find or make a slot, never while a board loads (boards do not wait on
    /// each other's loads).
    open: Mutex<HashMap<Id, Slot>>,
    metrics: Arc<Metrics>,
    /// Set by `shut_down`: the server is going away (`/readyz` says 503, no new rooms).
    draining: AtomicBool,
}

impl Rooms {
    /// Starts the registry and, when the store links server processes, the task that hands
    /// their events to the rooms.
    pub async fn start(
        store: Arc<dyn BoardStore>,
        settings: RoomSettings,
    ) -> Result<Arc<Self>, StoreError> {
        let rooms = Arc::new(Self {
            store: store.clone(),
            settings,
            open: Mutex::new(HashMap::new()),
            metrics: Metrics::new(),
            draining: AtomicBool::new(false),
        });
        if let Some(mut events) = store.subscribe().await? {
            let weak = Arc::downgrade(&rooms);
            tokio::spawn(async move {
                while let Some(event) = events.recv().await {
                    let Some(rooms) = weak.upgrade() else { return };
                    rooms.dispatch(event).await;
                }
            });
        }
        Ok(rooms)
    }

    async fn dispatch(&self, event: BusEvent) {
        let targets: Vec<mpsc::Sender<RoomMsg>> = {
            let open = self.open.lock().await;
            match &event {
                BusEvent::Stored { board, .. }
                | BusEvent::Presence { board, .. }
                | BusEvent::Left { board, .. }
                | BusEvent::Revoked { board, .. } => open
                    .get(board)
                    .and_then(|s| s.get().cloned())
                    .into_iter()
                    .collect(),
                BusEvent::Lagged => open.values().filter_map(|s| s.get().cloned()).collect(),
            }
        };
        for room in targets {
            let _ = room.send(RoomMsg::Bus(event.clone())).await;
        }
    }

    /// The room of board `id`, opened (loaded from the store) if needed.
    pub(crate) async fn room(
        self: &Arc<Self>,
        id: Id,
    ) -> Result<mpsc::Sender<RoomMsg>, StoreError> {
        if self.draining() {
            return Err(StoreError::ShuttingDown);
        }
        let slot = {
            let mut open = self.open.lock().await;
            let slot = open.entry(id).or_default();
            if slot.get().is_some_and(|room| room.is_closed()) {
                *slot = Slot::default();
            }
            slot.clone()
        };
        // Callers for the same board wait for the same load; a failed load leaves the slot
        // empty for the next caller to try again.
        let opened = slot
            .get_or_try_init(|| {
                room::open(
                    id,
                    self.store.clone(),
                    self.settings.clone(),
                    Arc::downgrade(self),
                    self.metrics.clone(),
                )
            })
            .await
            .cloned();
        if opened.is_err() {
            let mut open = self.open.lock().await;
            if open
                .get(&id)
                .is_some_and(|s| Arc::ptr_eq(s, &slot) && s.get().is_none())
            {
                open.remove(&id);
            }
        }
        opened
    }

    /// Sends `msg` to the room of `id`, opening it again if it just closed; returns the room
    /// that took it, so a connection can talk to it directly afterwards.
    pub async fn send(
        self: &Arc<Self>,
        id: Id,
        mut msg: RoomMsg,
    ) -> Result<mpsc::Sender<RoomMsg>, StoreError> {
        for _ in 0..3 {
            let room = self.room(id).await?;
            match room.send(msg).await {
                Ok(()) => return Ok(room),
                Err(mpsc::error::SendError(back)) => msg = back,
            }
        }
        Err(StoreError::Corrupt("the board's room keeps closing".into()))
    }

    /// Applies a batch from the HTTP API; answers once it is stored.
    pub async fn submit(self: &Arc<Self>, id: Id, ops: Vec<Op>) -> Result<i64, SubmitFailed> {
        for _ in 0..3 {
            let room = self.room(id).await?;
            let (reply, answer) = oneshot::channel();
            let msg = RoomMsg::Http {
                ops: ops.clone(),
                reply,
            };
            if room.send(msg).await.is_err() {
                continue;
            }
            return answer.await.map_err(|_| SubmitFailed::Closed)?;
        }
        Err(SubmitFailed::Closed)
    }

    /// A link of board `id` was rotated: drop the sockets opened with it, here and in the other
    /// server processes.
    pub async fn revoke(&self, id: Id, role: app::access::Role) {
        let room = self
            .open
            .lock()
            .await
            .get(&id)
            .and_then(|s| s.get().cloned());
        if let Some(room) = room {
            let _ = room.send(RoomMsg::Revoke { role }).await;
        }
        if let Err(e) = self
            .store
            .publish(&BusEvent::Revoked { board: id, role })
            .await
        {
            tracing::error!(error = %e, board = %id, "telling the other servers about a rotated link failed");
        }
    }

    /// The board was deleted: close its room and drop its connections.
    pub async fn close(&self, id: Id) {
        let room = self.open.lock().await.remove(&id);
        if let Some(room) = room.as_ref().and_then(|s| s.get()) {
            let _ = room.send(RoomMsg::Deleted).await;
        }
    }

    /// Called by a closing room, holding nothing: forgets `room` if it is still the one
    /// registered for `id`. Returns false when a message arrived meanwhile (stay open).
    async fn forget(&self, id: Id, room: &mpsc::Sender<RoomMsg>, idle: impl Fn() -> bool) -> bool {
        let mut open = self.open.lock().await;
        if !idle() {
            return false;
        }
        if open
            .get(&id)
            .is_some_and(|s| s.get().is_some_and(|r| r.same_channel(room)))
        {
            open.remove(&id);
        }
        true
    }

    pub fn store(&self) -> &Arc<dyn BoardStore> {
        &self.store
    }

    /// Shutting down: `/readyz` answers 503 and no board opens any more; every room stores
    /// what it holds, tells its sockets to reconnect (to another instance, or to this one
    /// restarted) and closes. Returns when all have.
    pub async fn shut_down(&self) {
        self.draining.store(true, Ordering::Relaxed);
        let rooms: Vec<mpsc::Sender<RoomMsg>> = {
            let open = self.open.lock().await;
            open.values().filter_map(|s| s.get().cloned()).collect()
        };
        let mut closed = Vec::new();
        for room in rooms {
            let (done, waiting) = oneshot::channel();
            if room.send(RoomMsg::Shutdown { done }).await.is_ok() {
                closed.push(waiting);
            }
        }
        for waiting in closed {
            let _ = waiting.await;
        }
    }

    /// True once `shut_down` began.
    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// What this server counts (`GET /metrics`).
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }
}
