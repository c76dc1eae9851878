//! Workshop moments, step by step, through the very `Hub` and `Replica` the server and the
//! browser run (docs/sync.md, "Model"): who sends what, in which order the server takes it, and
//! what everyone's board shows afterwards. The property test (tests.rs) covers random histories;
//! these pin down the promises a facilitator relies on.

use std::collections::{HashMap, VecDeque};

use super::*;
use crate::model::{Board, Element, ElementKind, Id, Op, Patch};

/// One board's hub and the replicas of the people on it, with a mailbox per person: nothing
/// arrives until `deliver` says so, as on a real network.
struct Room {
    hub: Hub,
    people: Vec<Person>,
}

struct Person {
    peer: PeerId,
    replica: Replica,
    inbox: VecDeque<ServerMsg>,
}

impl Room {
    /// `n` people who have all opened `board` and been welcomed.
    fn new(board: Board, n: usize) -> Self {
        let mut room = Room {
            hub: Hub::new(board.clone(), 0, HashMap::new(), "epoch".into()),
            people: Vec::new(),
        };
        for p in 0..n {
            let peer = p as PeerId + 1;
            let replica = Replica::new(board.clone(), 0);
            let ClientMsg::Hello {
                client,
                name,
                colour,
                resume,
            } = replica.hello(Id::now_v7(), &format!("Person {p}"), "#3366ff")
            else {
                unreachable!("hello is a hello");
            };
            room.people.push(Person {
                peer,
                replica,
                inbox: VecDeque::new(),
            });
            let out = room.hub.join(peer, client, &name, &colour, resume);
            room.route(out);
            room.deliver(p);
        }
        room.deliver_all();
        room
    }

    /// `p` edits: the change shows on their own board at once; the returned message is what
    /// their browser sends, and the ops are the edit's undo.
    fn edit(&mut self, p: usize, ops: Vec<Op>) -> (ClientMsg, Vec<Op>) {
        self.people[p]
            .replica
            .edit(ops)
            .expect("the edit applies locally")
    }

    /// The server takes `p`'s message now.
    fn send(&mut self, p: usize, msg: ClientMsg) {
        let ClientMsg::Submit { batch, ops } = msg else {
            panic!("only batches are sent here");
        };
        let (_, out) = self.hub.submit(self.people[p].peer, batch, ops);
        self.route(out);
    }

    fn route(&mut self, out: Vec<Out>) {
        for o in out {
            match o {
                Out::To(peer, msg) => self.person(peer).inbox.push_back(msg),
                Out::Others { except, msg } => {
                    for person in &mut self.people {
                        if Some(person.peer) != except {
                            person.inbox.push_back(msg.clone());
                        }
                    }
                }
                Out::Close(peer) => panic!("nobody reconnects here, yet {peer} was closed"),
            }
        }
    }

    fn person(&mut self, peer: PeerId) -> &mut Person {
        self.people
            .iter_mut()
            .find(|p| p.peer == peer)
            .expect("a person in the room")
    }

    /// Everything the server sent `p` arrives.
    fn deliver(&mut self, p: usize) {
        while let Some(msg) = self.people[p].inbox.pop_front() {
            self.people[p].replica.receive(msg);
        }
    }

    fn deliver_all(&mut self) {
        for p in 0..self.people.len() {
            self.deliver(p);
        }
    }

    /// `p`'s edit, sent and delivered to everyone; returns its undo.
    fn edit_and_settle(&mut self, p: usize, ops: Vec<Op>) -> Vec<Op> {
        let (msg, undo) = self.edit(p, ops);
        self.send(p, msg);
        self.deliver_all();
        undo
    }

    /// Every board in the room (the server's first), as JSON to compare.
    fn boards(&self) -> Vec<serde_json::Value> {
        std::iter::once(self.hub.board())
            .chain(self.people.iter().map(|p| p.replica.board()))
            .map(|b| serde_json::to_value(b).unwrap())
            .collect()
    }

    fn assert_everyone_agrees(&self) {
        let boards = self.boards();
        for (i, board) in boards.iter().enumerate().skip(1) {
            assert_eq!(
                board,
                &boards[0],
                "person {} differs from the server",
                i - 1
            );
        }
        for (p, person) in self.people.iter().enumerate() {
            assert_eq!(
                person.replica.pending(),
                0,
                "person {p} still waits on a batch"
            );
        }
    }
}

fn board_with(element: &Element) -> Board {
    let mut board = Board::new("Order flow").unwrap();
    board
        .apply(Op::CreateElement {
            element: element.clone(),
        })
        .unwrap();
    board
}

fn move_to(id: Id, x: f64, y: f64) -> Op {
    Op::MoveElement { id, x, y }
}

fn relabel(id: Id, label: &str) -> Op {
    Op::update(
        id,
        Patch {
            label: Some(label.into()),
            ..Default::default()
        },
    )
}

#[test]
fn a_sticky_deleted_while_another_person_drags_it_stays_deleted_for_both() {
    let sticky = Element::new(ElementKind::DomainEvent, "Order placed", 0.0, 0.0);
    // Either order at the server: the delete first, or the drag's move first.
    for delete_first in [true, false] {
        let mut room = Room::new(board_with(&sticky), 2);
        let (delete, _) = room.edit(0, vec![Op::DeleteElement { id: sticky.id }]);
        // Bob lets go of the sticky before he has heard of Ada's delete.
        let (drag, _) = room.edit(1, vec![move_to(sticky.id, 400.0, 250.0)]);
        assert!(room.people[1].replica.board().element(sticky.id).is_some());
        if delete_first {
            room.send(0, delete);
            room.send(1, drag);
        } else {
            room.send(1, drag);
            room.send(0, delete);
        }
        room.deliver_all();
        room.assert_everyone_agrees();
        assert!(
            room.hub.board().element(sticky.id).is_none(),
            "no ghost (delete first: {delete_first})"
        );
    }
}

#[test]
fn undo_takes_back_only_your_own_edit_and_keeps_what_others_did_since() {
    let sticky = Element::new(ElementKind::DomainEvent, "Order placed", 0.0, 0.0);
    let mut room = Room::new(board_with(&sticky), 2);
    let ada_moves = room.edit_and_settle(0, vec![move_to(sticky.id, 300.0, 120.0)]);
    room.edit_and_settle(1, vec![relabel(sticky.id, "Order submitted")]);
    // Ada undoes her move: the sticky goes back, Bob's new label stays.
    room.edit_and_settle(0, ada_moves);
    room.assert_everyone_agrees();
    let shown = room.hub.board().element(sticky.id).unwrap();
    assert_eq!((shown.x, shown.y), (0.0, 0.0));
    assert_eq!(shown.label, "Order submitted");
}

/// S5: Ada renames, then Bob renames the same sticky; Ada's undo (as her editor makes it) takes
/// nothing back, and every copy keeps Bob's text.
#[test]
fn s5_an_undo_leaves_a_label_someone_else_changed_since() {
    let sticky = Element::new(ElementKind::DomainEvent, "Order placed", 0.0, 0.0);
    let mut room = Room::new(board_with(&sticky), 2);
    let done = vec![relabel(sticky.id, "Order submitted")];
    let undo = room.edit_and_settle(0, done.clone());
    room.edit_and_settle(1, vec![relabel(sticky.id, "Order received")]);
    let trimmed = super::still_yours(room.people[0].replica.board(), undo, &done);
    assert_eq!((trimmed.ops.len(), trimmed.skipped), (0, 1));
    room.assert_everyone_agrees();
    assert_eq!(
        room.hub.board().element(sticky.id).unwrap().label,
        "Order received"
    );
}

#[test]
fn an_undo_of_a_sticky_someone_else_deleted_is_refused_and_changes_nothing() {
    let sticky = Element::new(ElementKind::Command, "Place order", 0.0, 0.0);
    let other = Element::new(ElementKind::DomainEvent, "Order placed", 200.0, 0.0);
    let mut board = board_with(&sticky);
    board
        .apply(Op::CreateElement {
            element: other.clone(),
        })
        .unwrap();
    let mut room = Room::new(board, 2);
    let ada_moves = room.edit_and_settle(0, vec![move_to(sticky.id, 50.0, 50.0)]);
    room.edit_and_settle(1, vec![Op::DeleteElement { id: sticky.id }]);
    let before = room.boards();
    // The browser's own check refuses it first (the editor then drops that undo step) ...
    assert!(room.people[0].replica.edit(ada_moves.clone()).is_err());
    // ... and a client that sent it anyway is refused by the server: nothing comes back.
    let (_, out) = room.hub.submit(room.people[0].peer, 1_000, ada_moves);
    assert!(
        out.iter().any(|o| matches!(
            o,
            Out::To(_, ServerMsg::Rejected { code, .. }) if code == "unknown_element"
        )),
        "{out:?}"
    );
    assert_eq!(room.boards(), before);
}

#[test]
fn edits_of_different_fields_both_survive_and_the_same_field_goes_to_the_later_one() {
    let sticky = Element::new(ElementKind::DomainEvent, "Order placed", 0.0, 0.0);
    let mut room = Room::new(board_with(&sticky), 3);
    // All three edit at once, before anyone hears of the others.
    let (ada, _) = room.edit(0, vec![relabel(sticky.id, "Order submitted")]);
    let (bob, _) = room.edit(1, vec![move_to(sticky.id, 80.0, 40.0)]);
    let (cem, _) = room.edit(2, vec![relabel(sticky.id, "Order received")]);
    room.send(0, ada);
    room.send(1, bob);
    room.send(2, cem);
    room.deliver_all();
    room.assert_everyone_agrees();
    let shown = room.hub.board().element(sticky.id).unwrap();
    assert_eq!((shown.x, shown.y), (80.0, 40.0), "Bob's move survives");
    assert_eq!(shown.label, "Order received", "Cem's label came later");
}
