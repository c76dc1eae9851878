//! One board's live state on the server, as a pure state machine: the server's room task feeds it
//! messages and delivers what it returns; the property test feeds it a simulated network.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::protocol::{
    CatchUp, ClientId, LogEntry, Peer, PeerId, Presence, Resume, ServerMsg, clean_colour,
    clean_name,
};
use crate::model::{Board, Op, Rejection};

/// How many recent batches a hub keeps to catch a reconnecting browser up without a snapshot.
pub const RECENT_ENTRIES: usize = 4_096;

/// An ordered batch, as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub seq: i64,
    /// The client that sent it and its batch number; `None` for a batch from the HTTP API.
    pub client: Option<(ClientId, u64)>,
    pub ops: Vec<Op>,
}

/// A message for connections.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    To(PeerId, ServerMsg),
    /// To every connection but `except`.
    Others {
        except: Option<PeerId>,
        msg: ServerMsg,
    },
    /// Close this connection (its client connected again elsewhere).
    Close(PeerId),
}

/// A batch the hub ordered, with what it takes to take it back (see [`Hub::rewind`]).
#[derive(Debug, Clone)]
pub struct Accepted {
    pub entry: Entry,
    undo: Vec<Op>,
    previous_batch: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubmitError {
    #[error("operation {index} was rejected: {rejection}")]
    Rejected { index: usize, rejection: Rejection },
    #[error("batch {batch} is not newer than batch {last}, the last one this client sent")]
    Duplicate { batch: u64, last: u64 },
    #[error("send hello first")]
    NotJoined,
}

struct Conn {
    client: ClientId,
    peer: Peer,
    /// The newest sequence number of this connection's batches that is not on disk yet.
    awaiting: Option<i64>,
}

pub struct Hub {
    board: Board,
    seq: i64,
    durable: i64,
    epoch: String,
    /// The last batch number of every client that ever sent one.
    clients: HashMap<ClientId, u64>,
    /// The newest batches, oldest first, ending at `seq`.
    recent: VecDeque<Entry>,
    conns: BTreeMap<PeerId, Conn>,
    /// People connected to other server processes (PostgreSQL fan-out).
    remote_peers: BTreeMap<PeerId, Peer>,
}

impl Hub {
    /// A hub for a board loaded from the store at `seq` (so durable up to `seq`).
    pub fn new(board: Board, seq: i64, clients: HashMap<ClientId, u64>, epoch: String) -> Self {
        Self {
            board,
            seq,
            durable: seq,
            epoch,
            clients,
            recent: VecDeque::new(),
            conns: BTreeMap::new(),
            remote_peers: BTreeMap::new(),
        }
    }

    pub fn board(&self) -> &Board {
        &self.board
    }

    pub fn seq(&self) -> i64 {
        self.seq
    }

    pub fn durable(&self) -> i64 {
        self.durable
    }

    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    pub fn connections(&self) -> usize {
        self.conns.len()
    }

    pub fn peers(&self) -> impl Iterator<Item = &Peer> {
        self.conns.values().map(|c| &c.peer)
    }

    /// A browser says hello on connection `id`: welcome it, and tell the others.
    pub fn join(
        &mut self,
        id: PeerId,
        client: ClientId,
        name: &str,
        colour: &str,
        resume: Option<Resume>,
    ) -> Vec<Out> {
        let mut out = Vec::new();
        let replaced: Vec<PeerId> = self
            .conns
            .iter()
            .filter(|(peer, c)| c.client == client && **peer != id)
            .map(|(peer, _)| *peer)
            .collect();
        for old in replaced {
            out.push(Out::To(
                old,
                ServerMsg::error("replaced", "this client connected again"),
            ));
            out.push(Out::Close(old));
            out.extend(self.leave(old));
        }
        let peer = Peer {
            id,
            name: clean_name(name),
            colour: clean_colour(colour),
            now: Presence::default(),
        };
        let peers = self
            .conns
            .values()
            .filter(|c| c.peer.id != id)
            .map(|c| c.peer.clone())
            .chain(self.remote_peers.values().cloned())
            .collect();
        out.push(Out::To(
            id,
            ServerMsg::Welcome {
                epoch: self.epoch.clone(),
                you: id,
                last_batch: self.clients.get(&client).copied().unwrap_or(0),
                durable: self.durable,
                catch_up: self.catch_up(client, resume),
                peers,
            },
        ));
        out.push(Out::Others {
            except: Some(id),
            msg: ServerMsg::Presence { peer: peer.clone() },
        });
        self.conns.insert(
            id,
            Conn {
                client,
                peer,
                // Batches this client sent on an earlier connection may still be on their way
                // to disk: it hears when they land.
                awaiting: (self.seq > self.durable).then_some(self.seq),
            },
        );
        out
    }

    fn catch_up(&self, client: ClientId, resume: Option<Resume>) -> CatchUp {
        let snapshot = || CatchUp::Snapshot {
            seq: self.seq,
            board: self.board.clone(),
        };
        let Some(resume) = resume else {
            return snapshot();
        };
        // A seq read from the store is durable, so it is in this hub's history whatever the
        // epoch; a seq from another epoch may name batches a crash lost.
        let same_history = match &resume.epoch {
            None => resume.seq <= self.durable,
            Some(epoch) => *epoch == self.epoch,
        };
        let oldest_known = self.recent.front().map_or(self.seq, |e| e.seq - 1);
        if !same_history || resume.seq > self.seq || resume.seq < oldest_known {
            return snapshot();
        }
        let entries = self
            .recent
            .iter()
            .filter(|e| e.seq > resume.seq)
            .map(|e| LogEntry {
                seq: e.seq,
                ops: e.ops.clone(),
                mine: e.client.filter(|(c, _)| *c == client).map(|(_, b)| b),
            })
            .collect();
        CatchUp::Ops { entries }
    }

    /// A batch from connection `id`. On success the caller stores the returned entry; the
    /// messages tell the sender and the others.
    pub fn submit(&mut self, id: PeerId, batch: u64, ops: Vec<Op>) -> (Option<Accepted>, Vec<Out>) {
        let Some(client) = self.conns.get(&id).map(|c| c.client) else {
            let err = SubmitError::NotJoined;
            return (
                None,
                vec![Out::To(id, ServerMsg::error("not_joined", err.to_string()))],
            );
        };
        match self.sequence(Some((client, batch)), ops) {
            Ok(accepted) => {
                let out = self.fan_out(&accepted.entry);
                (Some(accepted), out)
            }
            Err(SubmitError::Rejected { index, rejection }) => (
                None,
                vec![Out::To(
                    id,
                    ServerMsg::Rejected {
                        batch,
                        op_index: index,
                        code: rejection.code().to_string(),
                        message: rejection.to_string(),
                    },
                )],
            ),
            Err(err) => (
                None,
                vec![Out::To(
                    id,
                    ServerMsg::error("duplicate_batch", err.to_string()),
                )],
            ),
        }
    }

    /// A batch from the HTTP API (no client, no retry).
    pub fn submit_anonymous(&mut self, ops: Vec<Op>) -> Result<(Accepted, Vec<Out>), SubmitError> {
        let accepted = self.sequence(None, ops)?;
        let out = self.fan_out(&accepted.entry);
        Ok((accepted, out))
    }

    fn sequence(
        &mut self,
        client: Option<(ClientId, u64)>,
        ops: Vec<Op>,
    ) -> Result<Accepted, SubmitError> {
        let previous_batch = match client {
            Some((client, batch)) => {
                let last = self.clients.get(&client).copied();
                if let Some(last) = last.filter(|last| batch <= *last) {
                    return Err(SubmitError::Duplicate { batch, last });
                }
                last
            }
            None => None,
        };
        let undo = self
            .board
            .apply_all_with_inverse(ops.iter().cloned())
            .map_err(|(index, rejection)| SubmitError::Rejected { index, rejection })?;
        if let Some((client, batch)) = client {
            self.clients.insert(client, batch);
        }
        self.seq += 1;
        let entry = Entry {
            seq: self.seq,
            client,
            ops,
        };
        self.remember(entry.clone());
        Ok(Accepted {
            entry,
            undo,
            previous_batch,
        })
    }

    fn remember(&mut self, entry: Entry) {
        if self.recent.len() == RECENT_ENTRIES {
            self.recent.pop_front();
        }
        self.recent.push_back(entry);
    }

    /// Tells the author (if connected here) that its batch is accepted and everyone else what
    /// it changed.
    fn fan_out(&mut self, entry: &Entry) -> Vec<Out> {
        let author = entry.client.and_then(|(client, batch)| {
            self.conns
                .iter_mut()
                .find(|(_, c)| c.client == client)
                .map(|(id, c)| (*id, c, batch))
        });
        let mut out = Vec::with_capacity(2);
        let except = match author {
            Some((id, conn, batch)) => {
                if entry.seq > self.durable {
                    conn.awaiting = Some(entry.seq);
                }
                out.push(Out::To(
                    id,
                    ServerMsg::Accepted {
                        batch,
                        seq: entry.seq,
                    },
                ));
                Some(id)
            }
            None => None,
        };
        out.push(Out::Others {
            except,
            msg: ServerMsg::Ops {
                seq: entry.seq,
                ops: entry.ops.clone(),
            },
        });
        out
    }

    /// Takes back batches this hub ordered but could not store (newest last in `accepted`).
    /// Only valid before their messages went out.
    pub fn rewind(&mut self, accepted: Vec<Accepted>) {
        for a in accepted.into_iter().rev() {
            debug_assert_eq!(a.entry.seq, self.seq, "rewind newest first");
            self.board.undo_all(a.undo);
            if let Some((client, _)) = a.entry.client {
                match a.previous_batch {
                    Some(batch) => self.clients.insert(client, batch),
                    None => self.clients.remove(&client),
                };
            }
            self.recent.pop_back();
            self.seq -= 1;
            for conn in self.conns.values_mut() {
                if conn.awaiting.is_some_and(|s| s > self.seq) {
                    conn.awaiting = None;
                }
            }
        }
    }

    /// Batches another server process stored (they are durable), in order after `seq`.
    pub fn apply_stored(&mut self, entries: Vec<Entry>) -> Result<Vec<Out>, String> {
        let mut out = Vec::new();
        for entry in entries {
            if entry.seq <= self.seq {
                continue;
            }
            if entry.seq != self.seq + 1 {
                return Err(format!("stored batch {} follows {}", entry.seq, self.seq));
            }
            self.board
                .apply_all(entry.ops.iter().cloned())
                .map_err(|(i, r)| format!("stored batch {} op {i}: {r}", entry.seq))?;
            if let Some((client, batch)) = entry.client {
                self.clients.insert(client, batch);
            }
            self.seq = entry.seq;
            out.extend(self.fan_out(&entry));
            self.remember(entry);
        }
        out.extend(self.durable_up_to(self.seq));
        Ok(out)
    }

    /// Everything up to `seq` is on disk: tell the authors waiting for it.
    pub fn durable_up_to(&mut self, seq: i64) -> Vec<Out> {
        self.durable = self.durable.max(seq);
        let mut out = Vec::new();
        for (id, conn) in &mut self.conns {
            if conn.awaiting.is_some_and(|s| s <= seq) {
                conn.awaiting = None;
                out.push(Out::To(*id, ServerMsg::Saved { seq }));
            }
        }
        out
    }

    /// Connection `id` moved its pointer, changed its selection or opened a sticky's text.
    pub fn presence(&mut self, id: PeerId, now: Presence) -> Vec<Out> {
        if let Err(message) = now.check() {
            return vec![Out::To(id, ServerMsg::error("bad_presence", message))];
        }
        let Some(conn) = self.conns.get_mut(&id) else {
            return vec![Out::To(
                id,
                ServerMsg::error("not_joined", SubmitError::NotJoined.to_string()),
            )];
        };
        conn.peer.now = now;
        vec![Out::Others {
            except: Some(id),
            msg: ServerMsg::Presence {
                peer: conn.peer.clone(),
            },
        }]
    }

    /// The presence of somebody connected to another server process.
    pub fn remote_presence(&mut self, peer: Peer) -> Vec<Out> {
        self.remote_peers.insert(peer.id, peer.clone());
        vec![Out::Others {
            except: None,
            msg: ServerMsg::Presence { peer },
        }]
    }

    /// Connection `id` closed (here or, for a remote peer, on another server process).
    pub fn leave(&mut self, id: PeerId) -> Vec<Out> {
        let known = self.conns.remove(&id).is_some() | self.remote_peers.remove(&id).is_some();
        if known {
            vec![Out::Others {
                except: None,
                msg: ServerMsg::Left { peer: id },
            }]
        } else {
            Vec::new()
        }
    }

    /// The peer on connection `id`, for telling other server processes.
    pub fn peer(&self, id: PeerId) -> Option<&Peer> {
        self.conns.get(&id).map(|c| &c.peer)
    }
}
