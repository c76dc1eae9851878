//! Undo on a shared board (docs/sync.md, S5): an undo takes back only what is still yours. Each
//! history entry remembers the batch that made the state it would undo (`done`); a property that
//! someone else has changed since no longer holds the value `done` gave it, and its part of the
//! undo is skipped, so nobody's later edit is overwritten by an earlier one.

use crate::model::{Board, Op, Patch};

/// What is left of an undo (or redo) once the properties others changed since are taken out.
#[derive(Debug, Clone, PartialEq)]
pub struct Trimmed {
    /// The ops to apply (empty: nothing of it is still yours).
    pub ops: Vec<Op>,
    /// How many properties were left alone because someone else changed them since.
    pub skipped: usize,
}

/// `undo` as far as it touches only what `done` set and nobody changed since on `board`.
///
/// Taking back a creation (a delete) is skipped too when someone else has changed that sticky
/// since or drawn an arrow to it: deleting it would take their work with it. Other creations,
/// deletions and arrows are kept as they are (an undo of a sticky someone deleted is refused
/// later, by `Board::apply`).
pub fn still_yours(board: &Board, undo: Vec<Op>, done: &[Op]) -> Trimmed {
    let mut skipped = 0;
    let mut ops = Vec::with_capacity(undo.len());
    for op in undo {
        match op {
            // Gone: `apply` refuses it and the editor drops the step.
            op @ Op::UpdateElement { id, .. } if board.element(id).is_none() => ops.push(op),
            Op::UpdateElement {
                id,
                label,
                description,
                fields,
                http_method,
                http_path,
            } => {
                let Some(now) = board.element(id) else {
                    continue; // taken care of above
                };
                let set = set_by(done, id);
                let k = &mut skipped;
                let patch = Patch {
                    label: keep(label, set.label, &now.label, k),
                    description: keep(description, set.description, &now.props.description, k),
                    fields: keep(fields, set.fields, &now.props.fields, k),
                    http_method: keep(http_method, set.http_method, &now.props.http_method, k),
                    http_path: keep(http_path, set.http_path, &now.props.http_path, k),
                };
                if patch != Patch::default() {
                    ops.push(Op::update(id, patch));
                }
            }
            Op::MoveElement { id, x, y } => {
                let did = done.iter().rev().find_map(|op| match op {
                    Op::MoveElement { id: i, x, y } if *i == id => Some((*x, *y)),
                    _ => None,
                });
                match (board.element(id), did) {
                    (Some(now), Some(did)) if (now.x, now.y) != did => skipped += 1,
                    _ => ops.push(Op::MoveElement { id, x, y }),
                }
            }
            Op::ResizeElement { id, width, height } => {
                let did = done.iter().rev().find_map(|op| match op {
                    Op::ResizeElement {
                        id: i,
                        width,
                        height,
                    } if *i == id => Some((*width, *height)),
                    _ => None,
                });
                match (board.element(id), did) {
                    (Some(now), Some(did)) if (now.width, now.height) != did => skipped += 1,
                    _ => ops.push(Op::ResizeElement { id, width, height }),
                }
            }
            Op::SetExamples { id, examples } => {
                let did = done.iter().rev().find_map(|op| match op {
                    Op::SetExamples { id: i, examples } if *i == id => Some(examples),
                    _ => None,
                });
                match (board.element(id), did) {
                    (Some(now), Some(did)) if &now.props.examples != did => skipped += 1,
                    _ => ops.push(Op::SetExamples { id, examples }),
                }
            }
            Op::SetMapping { id, mapping } => {
                let did = done.iter().rev().find_map(|op| match op {
                    Op::SetMapping { id: i, mapping } if *i == id => Some(mapping),
                    _ => None,
                });
                match (board.element(id), did) {
                    (Some(now), Some(did)) if &now.props.mapping != did => skipped += 1,
                    _ => ops.push(Op::SetMapping { id, mapping }),
                }
            }
            Op::DeleteElement { id } if !still_as_created(board, id, done) => skipped += 1,
            Op::RenameBoard { title } => {
                let did = done.iter().rev().find_map(|op| match op {
                    Op::RenameBoard { title } => Some(title.as_str()),
                    _ => None,
                });
                match did {
                    Some(did) if did != board.title() => skipped += 1,
                    _ => ops.push(Op::RenameBoard { title }),
                }
            }
            other => ops.push(other),
        }
    }
    Trimmed { ops, skipped }
}

/// Whether the sticky `id` that `done` created is still exactly as `done` left it, with no arrow
/// but those `done` drew: only then is deleting it taking back nothing but one's own work.
fn still_as_created(board: &Board, id: crate::model::Id, done: &[Op]) -> bool {
    let Some(now) = board.element(id) else {
        return true; // gone already: `apply` decides
    };
    let mine = |op: &&Op| match op {
        Op::CreateElement { element } => element.id == id,
        Op::UpdateElement { id: i, .. }
        | Op::SetExamples { id: i, .. }
        | Op::SetMapping { id: i, .. }
        | Op::MoveElement { id: i, .. }
        | Op::ResizeElement { id: i, .. } => *i == id,
        _ => false,
    };
    let Ok(mut left) = Board::new("scratch") else {
        return true;
    };
    if !done
        .iter()
        .any(|op| matches!(op, Op::CreateElement { element } if element.id == id))
    {
        return true; // not a creation of this batch: nothing to compare
    }
    if left.apply_all(done.iter().filter(mine).cloned()).is_err() {
        return true;
    }
    let drawn_by_done = |arrow: crate::model::Id| {
        done.iter()
            .any(|op| matches!(op, Op::Connect { connection } if connection.id == arrow))
    };
    left.element(id) == Some(now)
        && board
            .connections()
            .filter(|c| c.from == id || c.to == id)
            .all(|c| drawn_by_done(c.id))
}

/// One property of an undo: kept when the board still holds what `did` set (or `did` did not
/// set it), skipped and counted when someone changed it since.
fn keep<T: PartialEq>(undo: Option<T>, did: Option<T>, now: &T, skipped: &mut usize) -> Option<T> {
    match (undo, did) {
        (Some(value), Some(did)) if did == *now => Some(value),
        (Some(value), None) => Some(value),
        (Some(_), Some(_)) => {
            *skipped += 1;
            None
        }
        (None, _) => None,
    }
}

/// The properties of `id` that `done` set, each at the last value it gave.
fn set_by(done: &[Op], id: crate::model::Id) -> Patch {
    let mut set = Patch::default();
    for op in done {
        if let Op::UpdateElement {
            id: i,
            label,
            description,
            fields,
            http_method,
            http_path,
        } = op
            && *i == id
        {
            set.label = label.clone().or(set.label);
            set.description = description.clone().or(set.description);
            set.fields = fields.clone().or(set.fields);
            set.http_method = (*http_method).or(set.http_method);
            set.http_path = http_path.clone().or(set.http_path);
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Element, ElementKind};

    fn relabel(id: crate::model::Id, label: &str) -> Op {
        Op::update(
            id,
            Patch {
                label: Some(label.into()),
                ..Patch::default()
            },
        )
    }

    fn board_with(e: &Element) -> Board {
        let mut board = Board::new("t").unwrap();
        board
            .apply(Op::CreateElement { element: e.clone() })
            .unwrap();
        board
    }

    /// S5: Ada renames, Bob renames after her: Ada's undo leaves Bob's text.
    #[test]
    fn s5_an_undo_skips_a_label_someone_else_changed_since() {
        let sticky = Element::new(ElementKind::DomainEvent, "Order placed", 0.0, 0.0);
        let mut board = board_with(&sticky);
        let done = vec![relabel(sticky.id, "Order submitted")];
        let undo = board.apply_all_with_inverse(done.clone()).unwrap();
        board.apply(relabel(sticky.id, "Order received")).unwrap();
        assert_eq!(
            still_yours(&board, undo, &done),
            Trimmed {
                ops: vec![],
                skipped: 1
            }
        );
    }

    /// S5: what nobody touched since is undone; a property someone else changed is not.
    #[test]
    fn s5_an_undo_keeps_what_is_still_yours_and_skips_the_rest() {
        let sticky = Element::new(ElementKind::Command, "Place order", 0.0, 0.0);
        let mut board = board_with(&sticky);
        let done = vec![
            Op::update(
                sticky.id,
                Patch {
                    label: Some("Submit order".into()),
                    description: Some("From the cart".into()),
                    ..Patch::default()
                },
            ),
            Op::MoveElement {
                id: sticky.id,
                x: 40.0,
                y: 40.0,
            },
        ];
        let undo = board.apply_all_with_inverse(done.clone()).unwrap();
        board.apply(relabel(sticky.id, "Checkout")).unwrap();
        let trimmed = still_yours(&board, undo, &done);
        assert_eq!(trimmed.skipped, 1);
        board.apply_all(trimmed.ops).unwrap();
        let now = board.element(sticky.id).unwrap();
        assert_eq!(
            (
                now.label.as_str(),
                now.props.description.as_str(),
                now.x,
                now.y
            ),
            ("Checkout", "", 0.0, 0.0)
        );
    }

    /// S5: a move or a resize by someone else since is not moved back.
    #[test]
    fn s5_an_undo_does_not_move_back_what_someone_else_moved_since() {
        let sticky = Element::new(ElementKind::Command, "Place order", 0.0, 0.0);
        let mut board = board_with(&sticky);
        let done = vec![
            Op::MoveElement {
                id: sticky.id,
                x: 40.0,
                y: 40.0,
            },
            Op::ResizeElement {
                id: sticky.id,
                width: 300.0,
                height: 200.0,
            },
        ];
        let undo = board.apply_all_with_inverse(done.clone()).unwrap();
        board
            .apply(Op::MoveElement {
                id: sticky.id,
                x: 500.0,
                y: 500.0,
            })
            .unwrap();
        let trimmed = still_yours(&board, undo, &done);
        assert_eq!(trimmed.skipped, 1);
        board.apply_all(trimmed.ops).unwrap();
        let now = board.element(sticky.id).unwrap();
        assert_eq!(
            (now.x, now.y, now.width, now.height),
            (500.0, 500.0, sticky.width, sticky.height)
        );
    }

    /// S5: a sticky someone else renamed since is not deleted by undoing its creation.
    #[test]
    fn s5_undoing_a_creation_keeps_a_sticky_someone_else_changed_since() {
        let mut board = Board::new("t").unwrap();
        let sticky = Element::new(ElementKind::DomainEvent, "Order placed", 0.0, 0.0);
        let done = vec![Op::CreateElement {
            element: sticky.clone(),
        }];
        let undo = board.apply_all_with_inverse(done.clone()).unwrap();
        assert_eq!(
            still_yours(&board, undo.clone(), &done).ops,
            undo,
            "untouched: deleted"
        );
        board.apply(relabel(sticky.id, "Order submitted")).unwrap();
        assert_eq!(
            still_yours(&board, undo, &done),
            Trimmed {
                ops: vec![],
                skipped: 1
            }
        );
    }

    /// S5: with nobody else in between, an undo is the plain inverse.
    #[test]
    fn s5_alone_an_undo_is_untouched() {
        let sticky = Element::new(ElementKind::Command, "Place order", 0.0, 0.0);
        let mut board = board_with(&sticky);
        let done = vec![
            relabel(sticky.id, "Submit order"),
            Op::RenameBoard {
                title: "Shop".into(),
            },
        ];
        let undo = board.apply_all_with_inverse(done.clone()).unwrap();
        assert_eq!(
            still_yours(&board, undo.clone(), &done),
            Trimmed {
                ops: undo,
                skipped: 0
            }
        );
    }
}
