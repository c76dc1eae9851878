//! A room: the task that owns one open board's [`Hub`], its connections and its writer.
//!
//! The room orders a batch, shows it to everyone at once and hands it to the writer task, which
//! stores batches in group commits and then lets their authors know they are safe. Only one
//! process has a board's room at a time (on PostgreSQL, the holder of the board's lease,
//! docs/sync.md S6; the others forward their clients to it), so the order it gives is the
//! order. A room that learns another process stored batches of its board, or lost its lease,
//! closes its sockets: they reconnect, reach the board's owner, and catch up.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Weak};
use std::time::Instant;

use app::access::Role;
use app::model::{Id, Op};
use app::sync::{Accepted, ClientId, Hub, Out, PeerId, Presence, Resume, ServerMsg};
use axum::extract::ws::Utf8Bytes;
use tokio::sync::{mpsc, oneshot};

use super::{RoomSettings, Rooms, SubmitFailed};
use crate::metrics::Metrics;
use crate::store::{BoardStore, BusEvent, StoreError, StoredBoard};

/// How many messages may wait for one connection before it counts as too slow and is dropped
/// (it reconnects and catches up).
pub const CONNECTION_BUFFER: usize = 4_096;

/// What a connection's writer sends on the socket.
pub type ConnTx = mpsc::Sender<Utf8Bytes>;

pub enum RoomMsg {
    Join {
        peer: PeerId,
        client: ClientId,
        name: String,
        colour: String,
        resume: Option<Resume>,
        /// What the connection's link allows; checked on every message.
        role: Role,
        tx: ConnTx,
    },
    Submit {
        peer: PeerId,
        batch: u64,
        ops: Vec<Op>,
    },
    Presence {
        peer: PeerId,
        now: Presence,
    },
    Leave {
        peer: PeerId,
    },
    Http {
        ops: Vec<Op>,
        reply: oneshot::Sender<Result<i64, SubmitFailed>>,
    },
    Bus(BusEvent),
    /// From the writer: everything up to `seq` is stored.
    Stored {
        seq: i64,
    },
    /// From the writer: storing failed; what is not stored is lost with this room.
    StoreFailed(String),
    Deleted,
    /// The server is shutting down: store everything, tell the sockets, close.
    Shutdown {
        done: oneshot::Sender<()>,
    },
    /// A link was rotated: connections opened with it lose access.
    Revoke {
        role: Role,
    },
    /// The board's lease went to another process (S6): close, so the sockets go there.
    LeaseLost,
}

/// Loads board `id` and starts its room.
pub async fn open(
    id: Id,
    store: Arc<dyn BoardStore>,
    settings: RoomSettings,
    rooms: Weak<Rooms>,
    metrics: Arc<Metrics>,
) -> Result<mpsc::Sender<RoomMsg>, StoreError> {
    let started = Instant::now();
    let stored = store.load_board(id).await?.ok_or(StoreError::NotFound)?;
    let clients = store.client_batches(id).await?;
    metrics.store_call("load", started.elapsed());
    let epoch = app::model::new_id().simple().to_string();
    let hub = Hub::new(stored.board, stored.seq, clients, epoch);
    let (tx, rx) = mpsc::channel(8_192);
    let writer = Writer::start(id, store.clone(), tx.downgrade(), metrics.clone());
    metrics.rooms_open.inc();
    let room = Room {
        id,
        hub,
        conns: HashMap::new(),
        roles: HashMap::new(),
        store,
        settings,
        writer,
        waiting: Vec::new(),
        snapshot_seq: stored.seq,
        me: tx.clone(),
        rooms,
        metrics,
        unacked: VecDeque::new(),
    };
    tokio::spawn(room.run(rx));
    Ok(tx)
}

struct Room {
    id: Id,
    hub: Hub,
    conns: HashMap<PeerId, ConnTx>,
    roles: HashMap<PeerId, Role>,
    store: Arc<dyn BoardStore>,
    settings: RoomSettings,
    writer: Writer,
    /// HTTP batches waiting to be stored: (seq, reply).
    waiting: Vec<(i64, oneshot::Sender<Result<i64, SubmitFailed>>)>,
    snapshot_seq: i64,
    me: mpsc::Sender<RoomMsg>,
    rooms: Weak<Rooms>,
    metrics: Arc<Metrics>,
    /// When each batch handed to the writer reached the room, oldest first: (seq, arrival).
    unacked: VecDeque<(i64, Instant)>,
}

impl Room {
    async fn run(mut self, mut rx: mpsc::Receiver<RoomMsg>) {
        loop {
            let msg = tokio::select! {
                msg = rx.recv() => msg,
                () = tokio::time::sleep(self.settings.idle), if self.conns.is_empty() => {
                    if self.close_if_idle(&rx).await {
                        break;
                    }
                    continue;
                }
            };
            let Some(msg) = msg else { break };
            if !self.handle(msg).await {
                break;
            }
        }
        rx.close();
        // Whatever raced in after the room decided to close: connections see their socket
        // close and reconnect; HTTP callers get an error they can retry.
        while let Ok(msg) = rx.try_recv() {
            if let RoomMsg::Http { reply, .. } = msg {
                let _ = reply.send(Err(SubmitFailed::Closed));
            }
        }
        for (_, reply) in self.waiting.drain(..) {
            let _ = reply.send(Err(SubmitFailed::Closed));
        }
        self.metrics.rooms_open.dec();
    }

    /// Returns false when the room must close.
    async fn handle(&mut self, msg: RoomMsg) -> bool {
        match msg {
            RoomMsg::Join {
                peer,
                client,
                name,
                colour,
                resume,
                role,
                tx,
            } => {
                self.conns.insert(peer, tx);
                self.roles.insert(peer, role);
                let out = self.hub.join(peer, client, &name, &colour, resume);
                self.route(out);
            }
            RoomMsg::Submit { peer, batch, ops } => {
                let arrived = Instant::now();
                if !self.roles.get(&peer).is_some_and(|r| r.can_edit()) {
                    self.metrics.rejected("read_only");
                    let refusal = ServerMsg::Rejected {
                        batch,
                        op_index: 0,
                        code: "read_only".into(),
                        message: "this link may only view the board".into(),
                    };
                    self.route(vec![Out::To(peer, refusal)]);
                } else {
                    let (accepted, out) = self.hub.submit(peer, batch, ops);
                    self.count(accepted.is_some(), &out);
                    self.route(out);
                    if accepted.is_some() {
                        self.metrics.fanout.observe(arrived.elapsed().as_secs_f64());
                    }
                    self.write(accepted, arrived);
                }
            }
            RoomMsg::Http { ops, reply } => {
                let arrived = Instant::now();
                match self.hub.submit_anonymous(ops) {
                    Ok((accepted, out)) => {
                        self.metrics.batches_applied.inc();
                        self.route(out);
                        self.metrics.fanout.observe(arrived.elapsed().as_secs_f64());
                        self.waiting.push((accepted.entry.seq, reply));
                        self.write(Some(accepted), arrived);
                    }
                    Err(e) => {
                        self.metrics.rejected(submit_code(&e));
                        let _ = reply.send(Err(e.into()));
                    }
                }
            }
            RoomMsg::Presence { peer, now } => {
                let out = self.hub.presence(peer, now);
                self.route(out);
            }
            RoomMsg::Leave { peer } => self.leave(peer),
            RoomMsg::Bus(event) => return self.bus(event),
            RoomMsg::Stored { seq } => {
                let out = self.hub.durable_up_to(seq);
                self.route(out);
                while let Some((_, arrived)) = self.unacked.front().filter(|(s, _)| *s <= seq) {
                    self.metrics.ack.observe(arrived.elapsed().as_secs_f64());
                    self.unacked.pop_front();
                }
                let (done, still): (Vec<_>, Vec<_>) =
                    self.waiting.drain(..).partition(|(s, _)| *s <= seq);
                self.waiting = still;
                for (s, reply) in done {
                    let _ = reply.send(Ok(s));
                }
            }
            RoomMsg::StoreFailed(error) => {
                tracing::error!(board = %self.id, %error, "storing batches failed; closing the board's room");
                self.drop_everyone(
                    "storage_failed",
                    "the server could not store the last changes",
                );
                self.release();
                return false;
            }
            RoomMsg::LeaseLost => {
                tracing::warn!(board = %self.id, "another server process owns this board now; closing its room here");
                self.drop_everyone(
                    "owner_moved",
                    "the board moved to another server; reconnecting",
                );
                return false;
            }
            RoomMsg::Deleted => {
                self.drop_everyone("board_deleted", "this board was deleted");
                return false;
            }
            RoomMsg::Revoke { role } => self.revoke(role),
            RoomMsg::Shutdown { done } => {
                self.shut_down().await;
                let _ = done.send(());
                return false;
            }
        }
        true
    }

    /// Stores what the writer holds (and a snapshot), tells the authors their batches are
    /// safe, gives the board's lease up, then asks every socket to reconnect.
    async fn shut_down(&mut self) {
        if self.store_everything().await {
            let out = self.hub.durable_up_to(self.hub.seq());
            self.route(out);
            for (seq, reply) in self.waiting.drain(..) {
                let _ = reply.send(Ok(seq));
            }
        }
        if let Err(e) = self.store.release(self.id).await {
            tracing::warn!(board = %self.id, error = %e, "giving up the board's lease failed; it lapses");
        }
        self.drop_everyone(
            "server_restarting",
            "the server is restarting; reconnecting",
        );
    }

    /// Waits until the writer stored everything handed to it, with a snapshot of the board if
    /// it moved since the last one. False when storing failed.
    async fn store_everything(&mut self) -> bool {
        let seq = self.hub.seq();
        let snapshot = (seq > self.snapshot_seq).then(|| StoredBoard {
            board: self.hub.board().clone(),
            seq,
        });
        let stored = self.writer.flush(snapshot).await;
        if stored {
            self.snapshot_seq = seq;
        }
        stored
    }

    /// Gives up the board's lease in the background (another process may take it at once).
    fn release(&self) {
        let (store, id) = (self.store.clone(), self.id);
        tokio::spawn(async move {
            if let Err(e) = store.release(id).await {
                tracing::warn!(board = %id, error = %e, "giving up the board's lease failed; it lapses");
            }
        });
    }

    /// Counts a batch from a socket: applied, or refused with the code its author is told.
    fn count(&self, applied: bool, out: &[Out]) {
        if applied {
            self.metrics.batches_applied.inc();
            return;
        }
        for o in out {
            if let Out::To(_, ServerMsg::Rejected { code, .. } | ServerMsg::Error { code, .. }) = o
            {
                self.metrics.rejected(code);
            }
        }
    }

    /// Hands an ordered batch to the writer, with a snapshot now and then.
    fn write(&mut self, accepted: Option<Accepted>, arrived: Instant) {
        let Some(accepted) = accepted else {
            return;
        };
        let seq = accepted.entry.seq;
        self.unacked.push_back((seq, arrived));
        let snapshot = (seq - self.snapshot_seq >= self.settings.snapshot_every).then(|| {
            self.snapshot_seq = seq;
            StoredBoard {
                board: self.hub.board().clone(),
                seq,
            }
        });
        self.writer.write(accepted.entry, snapshot);
    }

    /// What another process says about this board. Returns false when the room must close:
    /// that process stored batches of the board, so it owns it now (S6).
    fn bus(&mut self, event: BusEvent) -> bool {
        match event {
            BusEvent::Stored { seq, .. } => {
                tracing::warn!(board = %self.id, seq, "another server process stored batches of this board; closing its room here");
                self.drop_everyone(
                    "owner_moved",
                    "the board moved to another server; reconnecting",
                );
                false
            }
            BusEvent::Revoked { role, .. } => {
                self.revoke(role);
                true
            }
            BusEvent::Deleted { .. } => {
                self.drop_everyone("board_deleted", "this board was deleted");
                false
            }
            BusEvent::Lagged => true,
        }
    }

    /// Drops the connections opened with a link of `role` that was just rotated.
    fn revoke(&mut self, role: Role) {
        let gone: Vec<PeerId> = self
            .roles
            .iter()
            .filter(|(_, r)| **r == role)
            .map(|(peer, _)| *peer)
            .collect();
        let mut out = Vec::new();
        for peer in gone {
            out.push(Out::To(
                peer,
                ServerMsg::error(
                    "access_revoked",
                    "this link was replaced by the board's owner",
                ),
            ));
            out.push(Out::Close(peer));
        }
        self.route(out);
    }

    fn leave(&mut self, peer: PeerId) {
        self.roles.remove(&peer);
        if self.conns.remove(&peer).is_some() {
            let out = self.hub.leave(peer);
            self.route(out);
        }
    }

    /// Delivers the hub's messages; a connection too slow to take them is dropped.
    fn route(&mut self, out: Vec<Out>) {
        let mut slow = Vec::new();
        for o in out {
            match o {
                Out::To(peer, msg) => {
                    if let Some(tx) = self.conns.get(&peer)
                        && tx.try_send(encode(&msg)).is_err()
                    {
                        slow.push(peer);
                    }
                }
                Out::Others { except, msg } => {
                    let text = encode(&msg);
                    for (peer, tx) in &self.conns {
                        if Some(*peer) != except && tx.try_send(text.clone()).is_err() {
                            slow.push(*peer);
                        }
                    }
                }
                Out::Close(peer) => slow.push(peer),
            }
        }
        for peer in slow {
            // Dropping the sender ends the connection's writer, which closes the socket.
            self.leave(peer);
        }
    }

    fn drop_everyone(&mut self, code: &str, message: &str) {
        let text = encode(&ServerMsg::error(code, message));
        for (_, tx) in self.conns.drain() {
            let _ = tx.try_send(text.clone());
        }
    }

    /// Closes the room when nobody is connected and nothing is queued: waits for the writer,
    /// stores a snapshot, and leaves the registry.
    async fn close_if_idle(&mut self, rx: &mpsc::Receiver<RoomMsg>) -> bool {
        if !self.store_everything().await {
            return false;
        }
        let Some(rooms) = self.rooms.upgrade() else {
            return true;
        };
        let me = self.me.clone();
        let closing = rooms
            .forget(self.id, &me, || rx.is_empty() && self.conns.is_empty())
            .await;
        if closing {
            self.release();
        }
        closing
    }
}

fn submit_code(e: &app::sync::SubmitError) -> &str {
    match e {
        app::sync::SubmitError::Rejected { rejection, .. } => rejection.code(),
        app::sync::SubmitError::Duplicate { .. } => "duplicate",
        app::sync::SubmitError::NotJoined => "not_joined",
    }
}

fn encode(msg: &ServerMsg) -> Utf8Bytes {
    serde_json::to_string(msg)
        .expect("protocol messages serialize")
        .into()
}

/// The writer task of a SQLite room: stores batches in group commits, in order.
struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
}

enum Job {
    Write(app::sync::Entry, Option<StoredBoard>),
    Flush(Option<StoredBoard>, oneshot::Sender<bool>),
}

impl Writer {
    fn start(
        id: Id,
        store: Arc<dyn BoardStore>,
        room: mpsc::WeakSender<RoomMsg>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let (jobs, mut rx) = mpsc::unbounded_channel::<Job>();
        tokio::spawn(async move {
            let mut failed = false;
            while let Some(first) = rx.recv().await {
                let mut entries = Vec::new();
                let mut snapshot = None;
                let mut flushes = Vec::new();
                let mut next = Some(first);
                // Everything queued goes into one transaction: one fsync for many batches.
                while let Some(job) = next.take().or_else(|| rx.try_recv().ok()) {
                    match job {
                        Job::Write(entry, snap) => {
                            entries.push(entry);
                            snapshot = snap.or(snapshot);
                        }
                        Job::Flush(snap, done) => {
                            snapshot = snap.or(snapshot);
                            flushes.push(done);
                        }
                    }
                    if entries.len() >= 1_000 {
                        break;
                    }
                }
                let result = if failed {
                    Err(StoreError::Corrupt("an earlier write failed".into()))
                } else {
                    let started = Instant::now();
                    let result = store.append(id, &entries, snapshot.as_ref()).await;
                    metrics.store_call("append", started.elapsed());
                    result
                };
                let ok = result.is_ok();
                let msg = match (result, entries.last()) {
                    (Ok(()), Some(last)) => Some(RoomMsg::Stored { seq: last.seq }),
                    (Ok(()), None) => None,
                    (Err(e), _) => {
                        failed = true;
                        Some(RoomMsg::StoreFailed(e.to_string()))
                    }
                };
                if let (Some(msg), Some(room)) = (msg, room.upgrade()) {
                    let _ = room.send(msg).await;
                }
                for done in flushes {
                    let _ = done.send(ok);
                }
            }
        });
        Self { jobs }
    }

    fn write(&self, entry: app::sync::Entry, snapshot: Option<StoredBoard>) {
        let _ = self.jobs.send(Job::Write(entry, snapshot));
    }

    /// Waits until everything handed over so far is stored.
    async fn flush(&self, snapshot: Option<StoredBoard>) -> bool {
        let (done, stored) = oneshot::channel();
        if self.jobs.send(Job::Flush(snapshot, done)).is_err() {
            return false;
        }
        stored.await.unwrap_or(false)
    }
}
