//! The browser's copy of a board. It holds the board as the server confirmed it (up to `seq`)
//! with this client's own unconfirmed batches applied on top. A batch from somebody else is
//! slotted in underneath: take the own batches off (their inverses), apply the other batch,
//! put the own batches back. So every copy converges on the server's order.

use std::collections::VecDeque;

use super::protocol::{CatchUp, ClientId, ClientMsg, Resume, ServerMsg};
use crate::model::{Board, Op};

/// An own batch the server has not ordered yet.
#[derive(Debug, Clone)]
struct Pending {
    batch: u64,
    ops: Vec<Op>,
    /// Its inverse on the current board; `None` when it does not apply to the current board
    /// (it stays queued: only the server decides).
    undo: Option<Vec<Op>>,
}

/// An own batch the server ordered but has not yet reported on disk.
#[derive(Debug, Clone)]
struct Unsaved {
    batch: u64,
    seq: i64,
    ops: Vec<Op>,
}

/// What a server message changed, for the editor.
#[derive(Debug, Default)]
pub struct Received {
    /// Operations whose elements may have changed (their signals need a refresh).
    pub touched: Vec<Op>,
    /// The whole board changed (a snapshot): rebuild every view.
    pub reset: bool,
    /// Messages to send now (the queue after a welcome).
    pub send: Vec<ClientMsg>,
    /// Why the server refused something of ours, for the user.
    pub refused: Vec<String>,
    /// The copy no longer matches the server: reconnect and ask for a snapshot.
    pub resync: bool,
}

pub struct Replica {
    board: Board,
    seq: i64,
    epoch: Option<String>,
    next_batch: u64,
    pending: VecDeque<Pending>,
    unsaved: VecDeque<Unsaved>,
    /// Ask for a snapshot at the next hello.
    lost: bool,
}

impl Replica {
    /// A copy of `board` as the store had it at `seq`.
    pub fn new(board: Board, seq: i64) -> Self {
        Self {
            board,
            seq,
            epoch: None,
            next_batch: 1,
            pending: VecDeque::new(),
            unsaved: VecDeque::new(),
            lost: false,
        }
    }

    /// The board as this client sees it: confirmed state plus own pending batches.
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The last sequence number the server confirmed to this copy.
    pub fn seq(&self) -> i64 {
        self.seq
    }

    /// True when every own batch is ordered and on disk.
    pub fn is_saved(&self) -> bool {
        self.pending.is_empty() && self.unsaved.is_empty()
    }

    /// Own batches not yet ordered by the server.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The first message on a new connection.
    pub fn hello(&self, client: ClientId, name: &str, colour: &str) -> ClientMsg {
        ClientMsg::Hello {
            client,
            name: name.to_string(),
            colour: colour.to_string(),
            resume: (!self.lost).then(|| Resume {
                epoch: self.epoch.clone(),
                seq: self.seq,
            }),
        }
    }

    /// Applies a local edit at once and queues it. Returns the message to send (if connected)
    /// and the batch's inverse for undo; a batch the model refuses changes nothing.
    pub fn edit(
        &mut self,
        ops: Vec<Op>,
    ) -> Result<(ClientMsg, Vec<Op>), (usize, crate::model::Rejection)> {
        let undo = self.board.apply_all_with_inverse(ops.iter().cloned())?;
        let batch = self.next_batch;
        self.next_batch += 1;
        self.pending.push_back(Pending {
            batch,
            ops: ops.clone(),
            undo: Some(undo.clone()),
        });
        Ok((ClientMsg::Submit { batch, ops }, undo))
    }

    pub fn receive(&mut self, msg: ServerMsg) -> Received {
        let mut r = Received::default();
        match msg {
            ServerMsg::Welcome {
                epoch,
                last_batch,
                durable,
                catch_up,
                ..
            } => self.welcome(epoch, last_batch, durable, catch_up, &mut r),
            ServerMsg::Ops { seq, ops } => {
                if seq != self.seq + 1 {
                    return self.lost(r);
                }
                self.rewind(&mut r);
                if self.board.apply_all(ops.iter().cloned()).is_err() {
                    return self.lost(r);
                }
                self.seq = seq;
                r.touched.extend(ops);
                self.replay(&mut r);
            }
            ServerMsg::Accepted { batch, seq } => {
                let front = self.pending.front().map(|p| (p.batch, p.undo.is_some()));
                match front {
                    Some((b, _)) if b != batch || seq != self.seq + 1 => return self.lost(r),
                    None => return self.lost(r),
                    Some((_, true)) => {
                        // Already at the bottom of the local stack: it simply becomes confirmed.
                        let p = self.pending.pop_front().expect("front exists");
                        self.confirm(p, seq);
                    }
                    Some((_, false)) => {
                        self.rewind(&mut r);
                        let p = self.pending.pop_front().expect("front exists");
                        if self.board.apply_all(p.ops.iter().cloned()).is_err() {
                            return self.lost(r);
                        }
                        r.touched.extend(p.ops.iter().cloned());
                        self.confirm(p, seq);
                        self.replay(&mut r);
                    }
                }
            }
            ServerMsg::Rejected { batch, message, .. } => {
                if self.pending.front().map(|p| p.batch) != Some(batch) {
                    return self.lost(r);
                }
                self.rewind(&mut r);
                self.pending.pop_front();
                self.replay(&mut r);
                r.refused.push(message);
            }
            ServerMsg::Saved { seq } => self.unsaved.retain(|u| u.seq > seq),
            ServerMsg::Error { message, .. } => r.refused.push(message),
            ServerMsg::Presence { .. } | ServerMsg::Left { .. } => {}
        }
        r
    }

    fn confirm(&mut self, p: Pending, seq: i64) {
        self.seq = seq;
        self.unsaved.push_back(Unsaved {
            batch: p.batch,
            seq,
            ops: p.ops,
        });
    }

    fn welcome(
        &mut self,
        epoch: String,
        last_batch: u64,
        durable: i64,
        catch_up: CatchUp,
        r: &mut Received,
    ) {
        self.rewind(r);
        match catch_up {
            CatchUp::Ops { entries } => {
                // An own batch the server counted but that is not among the entries was refused
                // while we were away (its answer was lost with the connection).
                let ordered: Vec<u64> = entries.iter().filter_map(|e| e.mine).collect();
                self.pending
                    .retain(|p| p.batch > last_batch || ordered.contains(&p.batch));
                for entry in entries {
                    if entry.seq != self.seq + 1 {
                        self.lost = true;
                        r.resync = true;
                        return;
                    }
                    let own = entry
                        .mine
                        .filter(|b| self.pending.front().is_some_and(|p| p.batch == *b));
                    let ops = match own {
                        Some(_) => self.pending.pop_front().expect("front exists").ops,
                        None => entry.ops,
                    };
                    if self.board.apply_all(ops.iter().cloned()).is_err() {
                        self.lost = true;
                        r.resync = true;
                        return;
                    }
                    r.touched.extend(ops.iter().cloned());
                    self.seq = entry.seq;
                    if let Some(batch) = own {
                        self.unsaved.push_back(Unsaved {
                            batch,
                            seq: entry.seq,
                            ops,
                        });
                    }
                }
            }
            CatchUp::Snapshot { seq, board } => {
                self.board = board;
                self.seq = seq;
                r.reset = true;
                // Own batches the server has ordered are in the snapshot; the rest go again, in
                // their original order (a crash may have lost ordered but unsaved ones).
                let mut again = VecDeque::new();
                let mut kept = VecDeque::new();
                let unsaved = self.unsaved.drain(..).map(|u| (u.batch, u.ops));
                let pending = self.pending.drain(..).map(|p| (p.batch, p.ops));
                for (batch, ops) in unsaved.chain(pending) {
                    if batch <= last_batch {
                        kept.push_back(Unsaved { batch, seq, ops });
                    } else {
                        again.push_back(Pending {
                            batch,
                            ops,
                            undo: None,
                        });
                    }
                }
                self.unsaved = kept;
                self.pending = again;
            }
        }
        self.lost = false;
        self.epoch = Some(epoch);
        self.unsaved.retain(|u| u.seq > durable);
        self.replay(r);
        r.send = self
            .pending
            .iter()
            .map(|p| ClientMsg::Submit {
                batch: p.batch,
                ops: p.ops.clone(),
            })
            .collect();
    }

    /// Takes the own pending batches off the board, newest first.
    fn rewind(&mut self, r: &mut Received) {
        for p in self.pending.iter_mut().rev() {
            if let Some(undo) = p.undo.take() {
                r.touched.extend(p.ops.iter().cloned());
                self.board.undo_all(undo);
            }
        }
    }

    /// Puts the own pending batches back on, oldest first; one that no longer applies waits
    /// for the server's verdict without showing.
    fn replay(&mut self, r: &mut Received) {
        for p in self.pending.iter_mut() {
            p.undo = self
                .board
                .apply_all_with_inverse(p.ops.iter().cloned())
                .ok();
            if p.undo.is_some() {
                r.touched.extend(p.ops.iter().cloned());
            }
        }
    }

    fn lost(&mut self, mut r: Received) -> Received {
        self.lost = true;
        r.resync = true;
        r
    }
}
