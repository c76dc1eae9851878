//! The assessment on the sample board and on a board built to be tangled (docs/assessment.md:
//! each test names the rules it checks).

use std::collections::HashMap;

use super::cut::Score;
use super::plan::{Reason, Risk};
use super::*;
use crate::model::{BoardDocument, Connection, Op, new_id};

fn sample() -> Board {
    BoardDocument::read(include_str!(
        "../../../../../fixtures/order-flow.board.json"
    ))
    .unwrap()
}

/// Elements by label.
fn ids(board: &Board) -> HashMap<String, Id> {
    board.elements().map(|e| (e.label.clone(), e.id)).collect()
}

fn labels(board: &Board, list: &[Id]) -> Vec<String> {
    list.iter()
        .map(|id| board.element(*id).unwrap().label.clone())
        .collect()
}

use crate::semantic::sketch::Sketch;

/// Sales and Billing, with Invoice misplaced in Sales: Billing calls Issue Invoice
/// synchronously, its policy issues it, its ledger reads Invoice Issued, and one accountant
/// issues both Billing's and Invoice's commands.
fn tangled() -> Board {
    use ElementKind::*;
    Sketch::new()
        .frame("Sales", 0.0)
        .sticky(Actor, "Customer", 20.0, 60.0)
        .sticky(Command, "Place Order", 150.0, 60.0)
        .sticky(Command, "Confirm Order", 150.0, 220.0)
        .sticky(Aggregate, "Order", 300.0, 60.0)
        .sticky(DomainEvent, "Order Placed", 500.0, 60.0)
        .sticky(DomainEvent, "Order Confirmed", 500.0, 220.0)
        .sticky(Policy, "Confirm paid order", 700.0, 220.0)
        .sticky(Command, "Issue Invoice", 150.0, 500.0)
        .sticky(Aggregate, "Invoice", 300.0, 500.0)
        .sticky(DomainEvent, "Invoice Issued", 500.0, 500.0)
        .frame("Billing", 1100.0)
        .sticky(Actor, "Accountant", 1120.0, 60.0)
        .sticky(Command, "Capture Payment", 1250.0, 60.0)
        .sticky(Aggregate, "Payment", 1400.0, 60.0)
        .sticky(DomainEvent, "Payment Captured", 1600.0, 60.0)
        .sticky(Policy, "Bill placed order", 1800.0, 60.0)
        .sticky(Policy, "Invoice on capture", 1800.0, 300.0)
        .sticky(ReadModel, "Billing Ledger", 1800.0, 500.0)
        .arrows(&[
            ("Customer", "Place Order"),
            ("Place Order", "Order"),
            ("Confirm Order", "Order"),
            ("Order", "Order Placed"),
            ("Order", "Order Confirmed"),
            ("Payment Captured", "Confirm paid order"),
            ("Confirm paid order", "Confirm Order"),
            ("Issue Invoice", "Invoice"),
            ("Invoice", "Invoice Issued"),
            ("Accountant", "Capture Payment"),
            ("Accountant", "Issue Invoice"),
            ("Capture Payment", "Payment"),
            ("Capture Payment", "Issue Invoice"),
            ("Payment", "Payment Captured"),
            ("Order Placed", "Bill placed order"),
            ("Bill placed order", "Capture Payment"),
            ("Payment Captured", "Invoice on capture"),
            ("Invoice on capture", "Issue Invoice"),
            ("Payment Captured", "Billing Ledger"),
            ("Invoice Issued", "Billing Ledger"),
        ])
        .board
}

#[test]
fn a1_the_sample_context_map_has_an_edge_per_upstream_downstream_and_style() {
    let board = sample();
    let a = Assessment::of(&board);
    let names: Vec<&str> = a.contexts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Ordering", "Payment", "Shipping", "Notification"]);
    let edges: Vec<(usize, usize, Style, Vec<String>, bool)> = a
        .relations
        .iter()
        .map(|r| {
            (
                r.upstream,
                r.downstream,
                r.style,
                labels(&board, &r.through),
                r.in_cycle,
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        edges,
        [
            (
                0,
                1,
                Style::Events,
                s(&["Order Placed", "Order Cancelled"]),
                true
            ),
            (0, 2, Style::Events, s(&["Order Paid"]), true),
            (1, 0, Style::Events, s(&["Payment Approved"]), true),
            (2, 0, Style::Events, s(&["Delivery Completed"]), true),
            (2, 3, Style::Events, s(&["Delivery Completed"]), false),
        ]
    );
}

#[test]
fn a2_metrics_of_the_sample_contexts() {
    let board = sample();
    let a = Assessment::of(&board);
    let ordering = &a.contexts[0];
    assert_eq!(
        ordering.counts,
        Counts {
            aggregates: 1,
            commands: 3,
            events: 3,
            policies: 1,
            read_models: 1
        }
    );
    assert_eq!((ordering.afferent, ordering.efferent), (2, 2));
    assert_eq!(ordering.instability, Some(0.5));
    assert_eq!(ordering.sync_fan_out, 0);
    assert_eq!(
        labels(&board, &ordering.published),
        ["Order Placed", "Order Cancelled", "Order Paid"]
    );
    assert_eq!(
        labels(&board, &ordering.consumed),
        ["Payment Approved", "Delivery Completed"]
    );
    assert_eq!(labels(&board, &ordering.owns), ["Order"]);
    assert_eq!(
        labels(&board, &ordering.hotspots),
        ["Can a paid order still be cancelled?"]
    );
    let per_context: Vec<(usize, usize, Option<f64>)> = a
        .contexts
        .iter()
        .map(|c| (c.afferent, c.efferent, c.instability))
        .collect();
    assert_eq!(
        per_context,
        [
            (2, 2, Some(0.5)),
            (1, 1, Some(0.5)),
            (2, 1, Some(1.0 / 3.0)),
            (0, 1, Some(1.0)),
        ]
    );
    assert_eq!(
        labels(&board, &a.contexts[1].external_calls),
        Vec::<String>::new()
    );
    assert_eq!(
        labels(&board, &a.contexts[3].external_calls),
        ["Email Service"]
    );
    // Every problem of the board is in the context of its element (or of none).
    let problems: usize = a.contexts.iter().map(|c| c.problems.len()).sum();
    let model = Semantic::of(&board);
    let in_frames = rules::check(&board)
        .iter()
        .filter(|p| model.context_of(p.element).is_some())
        .count();
    assert_eq!(problems, in_frames);
}

#[test]
fn a3_cycles_and_synchronous_chains() {
    let a = Assessment::of(&sample());
    assert_eq!(a.cycles, vec![vec![0, 1, 2]]);
    assert!(a.sync_chains.is_empty());

    // A calls B, B calls C: a chain A → B → C.
    use ElementKind::*;
    let board = Sketch::new()
        .frame("A", 0.0)
        .sticky(Command, "Do A", 100.0, 100.0)
        .frame("B", 1100.0)
        .sticky(Command, "Do B", 1200.0, 100.0)
        .frame("C", 2200.0)
        .sticky(Command, "Do C", 2300.0, 100.0)
        .arrows(&[("Do A", "Do B"), ("Do B", "Do C")])
        .board;
    let a = Assessment::of(&board);
    assert_eq!(a.sync_chains, vec![vec![0, 1, 2]]);
    assert_eq!(a.contexts[0].sync_fan_out, 1);
    assert_eq!(a.relations.len(), 2);
    assert!(a.relations.iter().all(|r| r.style == Style::Calls));
    assert!(a.cycles.is_empty());
}

#[test]
fn a6_the_sample_cut_is_its_frames() {
    let board = sample();
    let cut = Assessment::of(&board).cut;
    assert!(cut.is_current(), "{:?}", cut.moves);
    let groups: Vec<&str> = cut.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["Ordering", "Payment", "Shipping", "Notification"]);
    let score = Score {
        contexts: 4,
        sync_calls: 0,
        shared_read_models: 1,
        cycles: 1,
        event_links: 6,
    };
    assert_eq!((cut.current, cut.suggested), (score, score));
    // A4: what goes with each unit.
    let notification = &cut.units[cut.groups[3].units[0]];
    assert_eq!(
        labels(&board, &notification.members),
        [
            "Send Email",
            "Tell customer about delivery",
            "Email Service"
        ]
    );
}

#[test]
fn a6_a7_the_tangled_cut_moves_the_misplaced_aggregate() {
    let board = tangled();
    let cut = Assessment::of(&board).cut;
    let names: Vec<(&str, Vec<String>)> = cut
        .groups
        .iter()
        .map(|g| {
            let units: Vec<Id> = g.units.iter().map(|u| cut.units[*u].id).collect();
            (g.name.as_str(), labels(&board, &units))
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Sales", vec!["Order".to_string()]),
            (
                "Billing",
                vec!["Invoice".to_string(), "Payment".to_string()]
            ),
        ]
    );
    let moved: Vec<Id> = cut.moves.iter().map(|(u, _)| cut.units[*u].id).collect();
    assert_eq!(labels(&board, &moved), ["Invoice"]);
    // A8: two synchronous calls and a shared read model gone; the event cycle stays.
    assert_eq!(
        cut.current,
        Score {
            contexts: 2,
            sync_calls: 2,
            shared_read_models: 1,
            cycles: 1,
            event_links: 3
        }
    );
    assert_eq!(
        cut.suggested,
        Score {
            contexts: 2,
            sync_calls: 0,
            shared_read_models: 0,
            cycles: 1,
            event_links: 2
        }
    );
}

#[test]
fn a6_the_same_board_always_gives_the_same_cut() {
    let board = tangled();
    let first = Assessment::of(&board);
    assert_eq!(first, Assessment::of(&board));
    // Built again, with other ids and in another order: the same cut by labels.
    let mut other = tangled();
    let mut shuffled = Board::new("Again").unwrap();
    let mut ops = other.to_ops();
    ops.reverse();
    let (creates, connects): (Vec<Op>, Vec<Op>) = ops
        .into_iter()
        .partition(|op| matches!(op, Op::CreateElement { .. }));
    for op in creates.into_iter().chain(connects) {
        shuffled.apply(op).unwrap();
    }
    other = shuffled;
    let describe = |board: &Board| {
        let cut = Assessment::of(board).cut;
        cut.groups
            .iter()
            .map(|g| {
                let units: Vec<Id> = g.units.iter().map(|u| cut.units[*u].id).collect();
                (g.name.clone(), labels(board, &units))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(describe(&board), describe(&other));
}

#[test]
fn a7_applying_the_cut_moves_the_unit_and_the_cut_is_then_current() {
    let mut board = tangled();
    let cut = Assessment::of(&board).cut;
    let ops = cut.ops(&board, new_id);
    board.apply_all(ops).unwrap();
    let id = ids(&board);
    let model = Semantic::of(&board);
    for label in [
        "Invoice",
        "Issue Invoice",
        "Invoice Issued",
        "Invoice on capture",
    ] {
        assert_eq!(model.context_of(id[label]), Some(id["Billing"]), "{label}");
    }
    for label in ["Order", "Place Order", "Confirm paid order", "Customer"] {
        assert_eq!(model.context_of(id[label]), Some(id["Sales"]), "{label}");
    }
    let again = Assessment::of(&board).cut;
    assert!(again.is_current(), "{:?}", again.moves);
}

#[test]
fn a7_a_cluster_of_no_frame_gets_a_new_frame() {
    use ElementKind::*;
    // Two aggregates in one monolith frame with nothing between them: two contexts.
    let board = Sketch::new()
        .frame("Monolith", 0.0)
        .sticky(Command, "Add Book", 50.0, 50.0)
        .sticky(Aggregate, "Book", 200.0, 50.0)
        .sticky(DomainEvent, "Book Added", 400.0, 50.0)
        .sticky(Command, "Join Club", 50.0, 400.0)
        .sticky(Aggregate, "Member", 200.0, 400.0)
        .sticky(DomainEvent, "Member Joined", 400.0, 400.0)
        .sticky(Command, "Renew Card", 50.0, 550.0)
        .arrows(&[
            ("Add Book", "Book"),
            ("Book", "Book Added"),
            ("Join Club", "Member"),
            ("Renew Card", "Member"),
            ("Member", "Member Joined"),
        ])
        .board;
    let cut = Assessment::of(&board).cut;
    let names: Vec<(&str, bool)> = cut
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.frame.is_some()))
        .collect();
    assert_eq!(names, [("Monolith", true), ("Book", false)]);
    let mut applied = board.clone();
    applied.apply_all(cut.ops(&board, new_id)).unwrap();
    let frames: Vec<String> = Semantic::of(&applied)
        .contexts()
        .iter()
        .map(|f| f.label.clone())
        .collect();
    assert_eq!(frames, ["Monolith", "Book"]);
    assert!(Assessment::of(&applied).cut.is_current());
}

#[test]
fn a9_the_sample_plan_extracts_what_nothing_depends_on_first() {
    let board = sample();
    let a = Assessment::of(&board);
    let plan = &a.plan;
    assert_eq!(plan.monolith, None);
    let waves: Vec<Vec<usize>> = plan
        .waves
        .iter()
        .map(|w| w.iter().map(|s| s.part).collect())
        .collect();
    assert_eq!(waves, vec![vec![3], vec![0, 1, 2]]);
    assert_eq!(plan.waves[0][0].reason, Reason::NothingDependsOn);
    let shipping = &plan.waves[1][2];
    assert_eq!(
        shipping.reason,
        Reason::Cycle {
            with: vec![0, 1],
            earlier: vec![3]
        }
    );
    assert_eq!(shipping.risks[0], Risk::Cycle { with: vec![0, 1] });
    let ordering = &plan.waves[1][0];
    let id = ids(&board);
    assert!(ordering.risks.contains(&Risk::SharedData {
        read_model: id["My Orders"],
        event: id["Delivery Completed"],
        from: 2
    }));
}

#[test]
fn a9_a10_a_monolith_plan_follows_the_cut_and_names_the_calls_to_replace() {
    use ElementKind::*;
    // The library monolith: Loan calls Member synchronously; Book is on its own.
    let board = Sketch::new()
        .frame("Library monolith", 0.0)
        .sticky(Command, "Add Book", 50.0, 50.0)
        .sticky(Aggregate, "Book", 200.0, 50.0)
        .sticky(Command, "Lend Book", 50.0, 250.0)
        .sticky(Aggregate, "Loan", 200.0, 250.0)
        .sticky(Command, "Check Member", 50.0, 450.0)
        .sticky(Aggregate, "Member", 200.0, 450.0)
        .sticky(Command, "Join Club", 50.0, 600.0)
        .arrows(&[
            ("Add Book", "Book"),
            ("Lend Book", "Loan"),
            ("Check Member", "Member"),
            ("Join Club", "Member"),
        ])
        .board;
    let a = Assessment::of(&board);
    let parts: Vec<&str> = a.plan.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(parts, ["Library monolith", "Book", "Loan"]);
    assert_eq!(a.plan.monolith, Some(0));
    let waves: Vec<Vec<usize>> = a
        .plan
        .waves
        .iter()
        .map(|w| w.iter().map(|s| s.part).collect())
        .collect();
    assert_eq!(waves, vec![vec![1, 2]]);
    assert!(a.plan.waves[0][1].risks.is_empty());

    // Now Loan calls Check Member: Loan's extraction names the call to replace.
    let mut board = board;
    let id = ids(&board);
    board
        .apply(Op::Connect {
            connection: Connection {
                id: new_id(),
                from: id["Lend Book"],
                to: id["Check Member"],
            },
        })
        .unwrap();
    let a = Assessment::of(&board);
    let groups: Vec<&str> = a.cut.groups.iter().map(|g| g.name.as_str()).collect();
    // The call binds Loan to Member (A5): they stay together in the monolith.
    assert_eq!(groups, ["Library monolith", "Book"]);
}

#[test]
fn a9_a10_a_monolith_plan_names_a_synchronous_call_to_replace() {
    use ElementKind::*;
    // Loan and Member have much of their own; one call does not bind them.
    let board = Sketch::new()
        .frame("Monolith", 0.0)
        .sticky(Command, "Lend Book", 50.0, 50.0)
        .sticky(Command, "Return Book", 50.0, 200.0)
        .sticky(Command, "Extend Loan", 50.0, 350.0)
        .sticky(Aggregate, "Loan", 200.0, 50.0)
        .sticky(DomainEvent, "Book Lent", 400.0, 50.0)
        .sticky(DomainEvent, "Book Returned", 400.0, 200.0)
        .sticky(DomainEvent, "Loan Extended", 400.0, 350.0)
        .sticky(Command, "Join Club", 50.0, 500.0)
        .sticky(Command, "Renew Card", 50.0, 650.0)
        .sticky(Command, "Leave Club", 50.0, 800.0)
        .sticky(Aggregate, "Member", 200.0, 500.0)
        .sticky(DomainEvent, "Member Joined", 400.0, 500.0)
        .sticky(DomainEvent, "Card Renewed", 400.0, 650.0)
        .sticky(DomainEvent, "Member Left", 400.0, 800.0)
        .arrows(&[
            ("Lend Book", "Loan"),
            ("Return Book", "Loan"),
            ("Extend Loan", "Loan"),
            ("Loan", "Book Lent"),
            ("Loan", "Book Returned"),
            ("Loan", "Loan Extended"),
            ("Join Club", "Member"),
            ("Renew Card", "Member"),
            ("Leave Club", "Member"),
            ("Member", "Member Joined"),
            ("Member", "Card Renewed"),
            ("Member", "Member Left"),
            ("Lend Book", "Renew Card"),
        ])
        .board;
    let a = Assessment::of(&board);
    let parts: Vec<&str> = a.plan.parts.iter().map(|p| p.name.as_str()).collect();
    // Loan and Member weigh the same: the first in reading order keeps the monolith's frame.
    assert_eq!(parts, ["Monolith", "Member"]);
    assert_eq!(a.plan.monolith, Some(0));
    let id = ids(&board);
    let member = &a.plan.waves[0][0];
    assert_eq!(member.part, 1);
    assert_eq!(
        member.risks,
        [Risk::CalledBy {
            by: id["Lend Book"],
            command: id["Renew Card"],
            part: 0
        }]
    );
    assert_eq!(a.cut.suggested.sync_calls, 1);
}

#[test]
fn an_empty_board_and_a_board_without_frames_are_assessed() {
    let a = Assessment::of(&Board::new("Empty").unwrap());
    assert!(a.contexts.is_empty() && a.cut.groups.is_empty() && a.plan.waves.is_empty());
    let mut board = Board::new("Loose").unwrap();
    board
        .apply(Op::CreateElement {
            element: Element::new(ElementKind::Aggregate, "Order", 0.0, 0.0),
        })
        .unwrap();
    let a = Assessment::of(&board);
    assert!(a.contexts.is_empty());
    assert_eq!(a.cut.groups.len(), 1);
    assert_eq!(a.cut.groups[0].frame, None);
    let mut applied = board.clone();
    applied.apply_all(a.cut.ops(&board, new_id)).unwrap();
    assert!(Assessment::of(&applied).cut.is_current());
}

#[test]
fn a7_a_command_dragged_into_another_frame_comes_back_with_the_cut() {
    let mut board = sample();
    let id = ids(&board);
    let refund = board.element(id["Refund Payment"]).unwrap().clone();
    board
        .apply(Op::MoveElement {
            id: refund.id,
            x: 210.0,
            y: 620.0,
        })
        .unwrap();
    let cut = Assessment::of(&board).cut;
    let moved: Vec<Id> = cut.moves.iter().map(|(u, _)| cut.units[*u].id).collect();
    assert_eq!(labels(&board, &moved), ["Payment"]);
    let ops = cut.ops(&board, new_id);
    // Only the stray command moves, and the Payment frame grows to hold it.
    let moves: Vec<Id> = ops
        .iter()
        .filter_map(|op| match op {
            Op::MoveElement { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(moves, [refund.id]);
    board.apply_all(ops).unwrap();
    let model = Semantic::of(&board);
    let payment = model.contexts()[1];
    assert_eq!(payment.label, "Payment");
    assert_eq!(model.context_of(refund.id), Some(payment.id));
    assert!(Assessment::of(&board).cut.is_current());
}

#[test]
fn a4_a_read_model_fed_by_no_event_goes_with_the_aggregate_it_is_named_after() {
    use ElementKind::*;
    let board = Sketch::new()
        .frame("Monolith", 0.0)
        .sticky(Command, "Add Pet", 50.0, 50.0)
        .sticky(Aggregate, "Pet", 200.0, 50.0)
        .sticky(ReadModel, "Pet view", 400.0, 50.0)
        .sticky(Command, "Place Order", 50.0, 400.0)
        .sticky(Aggregate, "Order", 200.0, 400.0)
        .sticky(ReadModel, "Order view", 400.0, 400.0)
        .sticky(ReadModel, "Orderly list", 400.0, 600.0)
        .arrows(&[("Add Pet", "Pet"), ("Place Order", "Order")])
        .board;
    let cut = Assessment::of(&board).cut;
    let members = |label: &str| {
        let unit = cut
            .units
            .iter()
            .find(|u| board.element(u.id).unwrap().label == label)
            .unwrap();
        labels(&board, &unit.members)
    };
    assert_eq!(members("Pet"), ["Pet", "Add Pet", "Pet view"]);
    assert_eq!(members("Order"), ["Order", "Place Order", "Order view"]);
}
