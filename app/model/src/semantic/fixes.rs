//! Quick fixes: for a problem whose fix is clear, the batch of ops that fixes it. A fix is an
//! ordinary batch (`Editor::commit`): undoable, and live for everyone on the board.

use super::rules::{Problem, Rule};
use super::{Results, Semantic, phrasing};
use crate::model::{Connection, Element, ElementKind, Field, FieldType, Id, Op, Patch};

/// What a fix does, for its button ("Connect to “Order Placed”").
#[derive(Debug, Clone, PartialEq)]
pub enum FixKind {
    /// Draw an arrow from the command to the event its name implies (R4, R5).
    Connect { event: String },
    /// Add a key field `id: UUID`, or mark an existing `id` field as the key (R9, R15).
    AddKey,
    /// Move the sticky into the bounded context it overlaps most (R16, R17).
    MoveInto { context: String },
    /// Remove an arrow the grammar forbids (R1).
    RemoveArrow,
    /// Use the suggested plain ASCII path instead of one with other characters (R32).
    UsePath { path: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub kind: FixKind,
    pub ops: Vec<Op>,
}

/// Space kept between a moved sticky and its frame's edge.
const MARGIN: f64 = 20.0;

/// The quick fix for `problem`, if its fix is clear. `new_id` names a new arrow.
pub fn fix(model: &Semantic, problem: &Problem, new_id: impl FnOnce() -> Id) -> Option<Fix> {
    let board = model.board;
    let e = board.element(problem.element)?;
    match problem.rule {
        Rule::R4 | Rule::R5 => {
            let event = implied_event(model, e)?;
            Some(Fix {
                kind: FixKind::Connect {
                    event: event.label.clone(),
                },
                ops: vec![Op::Connect {
                    connection: Connection {
                        id: new_id(),
                        from: e.id,
                        to: event.id,
                    },
                }],
            })
        }
        Rule::R9 | Rule::R15 => {
            let mut fields = e.props.fields.clone();
            match fields
                .iter_mut()
                .find(|f| f.name.eq_ignore_ascii_case("id"))
            {
                Some(id) => id.key = true,
                None => fields.insert(
                    0,
                    Field {
                        name: "id".into(),
                        ty: FieldType::Uuid,
                        key: true,
                    },
                ),
            }
            Some(Fix {
                kind: FixKind::AddKey,
                ops: vec![Op::update(
                    e.id,
                    Patch {
                        fields: Some(fields),
                        ..Patch::default()
                    },
                )],
            })
        }
        Rule::R16 | Rule::R17 => {
            let frame = board
                .elements()
                .filter(|f| f.kind == ElementKind::BoundedContext)
                .map(|f| (overlap(e, f), f))
                .filter(|(area, f)| {
                    *area > 0.0
                        && f.width >= e.width + 2.0 * MARGIN
                        && f.height >= e.height + 2.0 * MARGIN
                })
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, f)| f)?;
            let x =
                e.x.clamp(frame.x + MARGIN, frame.x + frame.width - e.width - MARGIN);
            let y =
                e.y.clamp(frame.y + MARGIN, frame.y + frame.height - e.height - MARGIN);
            Some(Fix {
                kind: FixKind::MoveInto {
                    context: frame.label.clone(),
                },
                ops: vec![Op::MoveElement { id: e.id, x, y }],
            })
        }
        Rule::R1 => Some(Fix {
            kind: FixKind::RemoveArrow,
            ops: vec![Op::Disconnect { id: problem.arrow? }],
        }),
        Rule::R32 => {
            let path = phrasing::ascii_path(e.props.http_path.as_deref()?);
            Some(Fix {
                kind: FixKind::UsePath { path: path.clone() },
                ops: vec![Op::update(
                    e.id,
                    Patch {
                        http_path: Some(Some(path)),
                        ..Patch::default()
                    },
                )],
            })
        }
        _ => None,
    }
}

/// The event `command`'s name implies: among the events its aggregate emits (R5), or else the
/// events of its bounded context that nothing emits yet and then all of them (R4).
fn implied_event<'a>(model: &Semantic<'a>, command: &Element) -> Option<&'a Element> {
    let board = model.board;
    let candidates: Vec<&Element> = match model.results(command.id) {
        Results::Ambiguous(ids) => ids.iter().filter_map(|id| board.element(*id)).collect(),
        _ => {
            let context = model.context_of(command.id)?;
            let events = model.members(context, ElementKind::DomainEvent);
            let unclaimed: Vec<&Element> = events
                .iter()
                .copied()
                .filter(|e| !model.is_emitted(e.id))
                .collect();
            let named: Vec<(&Element, &str)> =
                unclaimed.iter().map(|e| (*e, e.label.as_str())).collect();
            if let Some(event) = phrasing::implied_event(&command.label, &named) {
                return Some(event);
            }
            events
        }
    };
    let named: Vec<(&Element, &str)> = candidates.iter().map(|e| (*e, e.label.as_str())).collect();
    phrasing::implied_event(&command.label, &named)
}

/// The area two elements' rectangles share.
fn overlap(a: &Element, b: &Element) -> f64 {
    let w = (a.x + a.width).min(b.x + b.width) - a.x.max(b.x);
    let h = (a.y + a.height).min(b.y + b.height) - a.y.max(b.y);
    w.max(0.0) * h.max(0.0)
}

#[cfg(test)]
mod tests;
