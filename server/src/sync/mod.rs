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
use crate::store::{BoardStore, BusEvent, Owner, StoreError};
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
    /// Another process owns the board (S6): send the batch to it, at this address.
    #[error("the board is open on the server process at {0}")]
    Elsewhere(String),
}

/// Where a board's connections and batches go.
#[derive(Debug, Clone)]
pub enum Route {
    /// Its room in this process.
    Here(mpsc::Sender<RoomMsg>),
    /// The process that owns it, at this internal URL (S6).
    Elsewhere(String),
}

/// Tuning of rooms; tests shorten the idle time.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// A room with no connection closes after this long.
    pub idle: Duration,
    /// The snapshot in the store is rewritten every this many batches.
    pub snapshot_every: i64,
    /// Where the other server processes reach this one (`SQUALL_INTERNAL_URL`).
    pub address: String,
    /// How long a board's lease lasts unless renewed (renewed every third of it).
    pub lease: Duration,
}

impl Default for RoomSettings {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(30),
            snapshot_every: 1_000,
            address: "http://127.0.0.1:3000".into(),
            lease: Duration::from_secs(5),
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
    /// The secret the server processes on this database share (S6).
    secret: Option<String>,
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
            secret: store.cluster_secret().await?,
        });
        if store.shared() {
            tokio::spawn(keep_leases(Arc::downgrade(&rooms)));
        }
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
                | BusEvent::Revoked { board, .. }
                | BusEvent::Deleted { board } => open
                    .get(board)
                    .and_then(|s| s.get().cloned())
                    .into_iter()
                    .collect(),
                BusEvent::Lagged => Vec::new(),
            }
        };
        for room in targets {
            let _ = room.send(RoomMsg::Bus(event.clone())).await;
        }
    }

    /// Where board `id`'s connections go: its room here (opened, loaded from the store, if
    /// this process owns the board or may take it), or the process that owns it.
    pub async fn route(self: &Arc<Self>, id: Id) -> Result<Route, StoreError> {
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
        // Callers for the same board wait for the same load; a failed load (or a board owned
        // elsewhere) leaves the slot empty for the next caller to try again.
        let mut elsewhere = None;
        let opened = slot
            .get_or_try_init(|| async {
                let owner = self
                    .store
                    .claim(id, &self.settings.address, self.settings.lease)
                    .await?;
                if let Owner::Other(address) = owner {
                    elsewhere = Some(address);
                    return Err(StoreError::NotFound);
                }
                room::open(
                    id,
                    self.store.clone(),
                    self.settings.clone(),
                    Arc::downgrade(self),
                    self.metrics.clone(),
                )
                .await
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
        match (opened, elsewhere) {
            (_, Some(address)) => Ok(Route::Elsewhere(address)),
            (opened, None) => opened.map(Route::Here),
        }
    }

    /// The room of board `id` in this process; `Elsewhere` as an error.
    async fn room(self: &Arc<Self>, id: Id) -> Result<mpsc::Sender<RoomMsg>, SubmitFailed> {
        match self.route(id).await? {
            Route::Here(room) => Ok(room),
            Route::Elsewhere(address) => Err(SubmitFailed::Elsewhere(address)),
        }
    }

    /// Sends `msg` to the room of `id`, opening it again if it just closed; returns the room
    /// that took it, so a connection can talk to it directly afterwards.
    pub async fn send(
        self: &Arc<Self>,
        id: Id,
        mut msg: RoomMsg,
    ) -> Result<mpsc::Sender<RoomMsg>, SubmitFailed> {
        for _ in 0..3 {
            let room = self.room(id).await?;
            match room.send(msg).await {
                Ok(()) => return Ok(room),
                Err(mpsc::error::SendError(back)) => msg = back,
            }
        }
        Err(SubmitFailed::Closed)
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

    /// The board was deleted: close its room and drop its connections, here and in the process
    /// that owns it.
    pub async fn close(&self, id: Id) {
        let room = self.open.lock().await.remove(&id);
        if let Some(room) = room.as_ref().and_then(|s| s.get()) {
            let _ = room.send(RoomMsg::Deleted).await;
        }
        if let Err(e) = self.store.publish(&BusEvent::Deleted { board: id }).await {
            tracing::error!(error = %e, board = %id, "telling the other servers about a deleted board failed");
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

    /// The secret the server processes on this database share, if there can be several.
    pub fn cluster_secret(&self) -> Option<&str> {
        self.secret.as_deref()
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

/// Renews this process's board leases every third of their length; a room whose lease is gone
/// (taken by a process that found it lapsed) closes (S6).
async fn keep_leases(rooms: std::sync::Weak<Rooms>) {
    loop {
        let Some(every) = rooms.upgrade().map(|r| r.settings.lease / 3) else {
            return;
        };
        tokio::time::sleep(every).await;
        let Some(rooms) = rooms.upgrade() else { return };
        if rooms.draining() {
            return;
        }
        let held = match rooms.store.renew(rooms.settings.lease).await {
            Ok(held) => held,
            Err(e) => {
                tracing::warn!(error = %e, "renewing board leases failed; retrying");
                continue;
            }
        };
        let held: std::collections::HashSet<Id> = held.into_iter().collect();
        let lost: Vec<mpsc::Sender<RoomMsg>> = {
            let open = rooms.open.lock().await;
            open.iter()
                .filter(|(id, _)| !held.contains(id))
                .filter_map(|(_, slot)| slot.get().cloned())
                .collect()
        };
        for room in lost {
            let _ = room.send(RoomMsg::LeaseLost).await;
        }
    }
}
