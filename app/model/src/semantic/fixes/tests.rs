//! Each quick fix, applied to a board that breaks its rule, leaves a board that does not.

use super::*;
use crate::model::{Board, new_id};
use crate::semantic::rules::check;

struct Sketch {
    board: Board,
}

impl Sketch {
    fn new() -> Self {
        let mut board = Board::new("Fixes").unwrap();
        let mut frame = Element::new(ElementKind::BoundedContext, "Ordering", 0.0, 0.0);
        (frame.width, frame.height) = (1000.0, 800.0);
        board.apply(Op::CreateElement { element: frame }).unwrap();
        Self { board }
    }

    fn add(&mut self, kind: ElementKind, label: &str, x: f64, y: f64) -> Id {
        let element = Element::new(kind, label, x, y);
        let id = element.id;
        self.board.apply(Op::CreateElement { element }).unwrap();
        id
    }

    fn arrow(&mut self, from: Id, to: Id) -> Id {
        let id = new_id();
        self.board
            .apply(Op::Connect {
                connection: Connection { id, from, to },
            })
            .unwrap();
        id
    }

    fn problem(&self, id: Id, rule: Rule) -> Option<Problem> {
        check(&self.board)
            .into_iter()
            .find(|p| p.element == id && p.rule == rule)
    }

    /// Applies the fix of `rule`'s problem on `id` and answers what it was.
    fn fix(&mut self, id: Id, rule: Rule) -> FixKind {
        let problem = self
            .problem(id, rule)
            .unwrap_or_else(|| panic!("{rule:?} is not broken"));
        let fix = fix(&Semantic::of(&self.board), &problem, new_id).expect("a quick fix");
        self.board.apply_all(fix.ops).unwrap();
        assert_eq!(self.problem(id, rule), None, "{rule:?} still broken");
        fix.kind
    }

    /// An aggregate with three events and `commands` handled by it.
    fn order(&mut self, commands: &[&str], events: &[&str]) -> Vec<Id> {
        let order = self.add(ElementKind::Aggregate, "Order", 300.0, 20.0);
        let mut ids = Vec::new();
        for (i, c) in commands.iter().enumerate() {
            let id = self.add(ElementKind::Command, c, 100.0, 20.0 + 150.0 * i as f64);
            self.arrow(id, order);
            ids.push(id);
        }
        for (i, e) in events.iter().enumerate() {
            let id = self.add(ElementKind::DomainEvent, e, 500.0, 20.0 + 150.0 * i as f64);
            self.arrow(order, id);
            ids.push(id);
        }
        ids
    }
}

#[test]
fn r5_connects_the_event_the_command_name_implies() {
    let mut s = Sketch::new();
    let ids = s.order(
        &["Place Order", "Cancel Order"],
        &["Order Placed", "Order Paid", "Order Cancelled"],
    );
    let kind = s.fix(ids[1], Rule::R5);
    assert_eq!(
        kind,
        FixKind::Connect {
            event: "Order Cancelled".into()
        }
    );
    assert_eq!(
        Semantic::of(&s.board).results(ids[1]),
        Results::Drawn(vec![ids[4]])
    );
    let kind = s.fix(ids[0], Rule::R5);
    assert_eq!(
        kind,
        FixKind::Connect {
            event: "Order Placed".into()
        }
    );
}

#[test]
fn r5_in_korean() {
    let mut s = Sketch::new();
    let ids = s.order(
        &["주문", "주문취소"],
        &["주문됨", "주문취소됨", "결제승인됨"],
    );
    assert_eq!(
        s.fix(ids[0], Rule::R5),
        FixKind::Connect {
            event: "주문됨".into()
        }
    );
    assert_eq!(
        s.fix(ids[1], Rule::R5),
        FixKind::Connect {
            event: "주문취소됨".into()
        }
    );
}

#[test]
fn no_fix_when_the_name_implies_nothing() {
    let mut s = Sketch::new();
    let ids = s.order(&["Archive"], &["Order Placed", "Order Paid"]);
    let problem = s.problem(ids[0], Rule::R5).unwrap();
    assert_eq!(fix(&Semantic::of(&s.board), &problem, new_id), None);
}

#[test]
fn r4_connects_an_event_of_its_context_that_nothing_emits() {
    let mut s = Sketch::new();
    let order = s.add(ElementKind::Aggregate, "Order", 300.0, 20.0);
    let place = s.add(ElementKind::Command, "Place Order", 100.0, 20.0);
    s.arrow(place, order);
    let placed = s.add(ElementKind::DomainEvent, "Order Placed", 500.0, 20.0);
    s.fix(place, Rule::R4);
    assert_eq!(
        Semantic::of(&s.board).results(place),
        Results::Drawn(vec![placed])
    );
}

#[test]
fn r9_adds_a_key_or_marks_the_id_field() {
    let mut s = Sketch::new();
    let order = s.add(ElementKind::Aggregate, "Order", 300.0, 20.0);
    assert_eq!(s.fix(order, Rule::R9), FixKind::AddKey);
    let fields = s.board.element(order).unwrap().props.fields.clone();
    assert_eq!(
        fields,
        vec![Field {
            name: "id".into(),
            ty: FieldType::Uuid,
            key: true
        }]
    );
}

#[test]
fn r17_moves_a_sticky_into_the_frame_it_overlaps_most() {
    let mut s = Sketch::new();
    let event = s.add(ElementKind::DomainEvent, "Order Placed", 900.0, 300.0);
    let kind = s.fix(event, Rule::R17);
    assert_eq!(
        kind,
        FixKind::MoveInto {
            context: "Ordering".into()
        }
    );
    let e = s.board.element(event).unwrap();
    assert_eq!((e.x + e.width, e.y), (1000.0 - MARGIN, 300.0));
}

#[test]
fn r16_a_sticky_outside_but_overlapping_is_moved_in() {
    let mut s = Sketch::new();
    // Its centre lies outside the frame (R16), a corner inside.
    let event = s.add(ElementKind::DomainEvent, "Order Placed", 990.0, 790.0);
    s.fix(event, Rule::R16);
    assert!(Semantic::of(&s.board).context_of(event).is_some());
    // Far away from every frame: no clear fix.
    let far = s.add(ElementKind::DomainEvent, "Order Paid", 5000.0, 5000.0);
    let problem = s.problem(far, Rule::R16).unwrap();
    assert_eq!(fix(&Semantic::of(&s.board), &problem, new_id), None);
}

#[test]
fn r1_removes_the_forbidden_arrow() {
    let mut s = Sketch::new();
    let event = s.add(ElementKind::DomainEvent, "Order Placed", 100.0, 20.0);
    let actor = s.add(ElementKind::Actor, "Customer", 300.0, 20.0);
    let arrow = s.arrow(event, actor);
    assert_eq!(s.fix(event, Rule::R1), FixKind::RemoveArrow);
    assert!(s.board.connections().all(|c| c.id != arrow));
}

#[test]
fn r32_uses_the_suggested_ascii_path() {
    let mut s = Sketch::new();
    let command = s.add(ElementKind::Command, "결제 이력 조회", 100.0, 20.0);
    s.board
        .apply(Op::update(
            command,
            Patch {
                http_path: Some(Some("/결제이력s/{id}".into())),
                ..Patch::default()
            },
        ))
        .unwrap();
    let kind = s.fix(command, Rule::R32);
    let path = s.board.element(command).unwrap().props.http_path.clone();
    assert_eq!(path.as_deref(), Some("/gyeoljeiryeoks/{id}"));
    assert_eq!(
        kind,
        FixKind::UsePath {
            path: "/gyeoljeiryeoks/{id}".into()
        }
    );
}
