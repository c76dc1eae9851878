//! The defaults and choices of the field mapping (docs/model-rules.md, "Field mapping").

use std::collections::HashMap;

use super::*;
use crate::model::{Board, Connection, Field, HttpMethod, Id, Mapped, Op, Patch, new_id};

struct Sketch {
    board: Board,
    ids: HashMap<&'static str, Id>,
}

impl Sketch {
    fn new() -> Self {
        let mut s = Self {
            board: Board::new("Fills").unwrap(),
            ids: HashMap::new(),
        };
        let mut frame = Element::new(ElementKind::BoundedContext, "Shop", 0.0, 0.0);
        (frame.width, frame.height) = (5000.0, 5000.0);
        s.board.apply(Op::CreateElement { element: frame }).unwrap();
        s
    }

    fn sticky(
        mut self,
        kind: ElementKind,
        name: &'static str,
        fields: &[(&str, &str, bool)],
    ) -> Self {
        let mut e = Element::new(kind, name, 40.0 + 150.0 * self.ids.len() as f64, 40.0);
        e.props.fields = fields
            .iter()
            .map(|(n, t, key)| Field {
                name: n.to_string(),
                ty: t.parse().unwrap(),
                key: *key,
            })
            .collect();
        self.ids.insert(name, e.id);
        self.board.apply(Op::CreateElement { element: e }).unwrap();
        self
    }

    fn arrow(mut self, from: &str, to: &str) -> Self {
        let connection = Connection {
            id: new_id(),
            from: self.ids[from],
            to: self.ids[to],
        };
        self.board.apply(Op::Connect { connection }).unwrap();
        self
    }

    fn path(mut self, command: &str, path: &str) -> Self {
        self.board
            .apply(Op::update(
                self.ids[command],
                Patch {
                    http_method: Some(Some(HttpMethod::Put)),
                    http_path: Some(Some(path.into())),
                    ..Default::default()
                },
            ))
            .unwrap();
        self
    }

    /// (field, what fills it, explicit) of every fill of `owner`.
    fn fills(&self, owner: &str) -> Vec<(String, Option<Source>, bool)> {
        let model = Semantic::of(&self.board);
        let owner = self.board.element(self.ids[owner]).unwrap();
        model
            .fills(owner)
            .into_iter()
            .map(|f| (f.field.to_string(), f.from, f.explicit))
            .collect()
    }
}

use ElementKind::*;

fn field(name: &str) -> Option<Source> {
    Some(Source::Field(name.into()))
}

/// Ordering and Payment as on the sample board (../shared/examples/order-flow.yaml).
fn shop() -> Sketch {
    Sketch::new()
        .sticky(Command, "Place Order", &[])
        .sticky(
            Aggregate,
            "Order",
            &[("id", "UUID", true), ("total", "Money", false)],
        )
        .sticky(
            DomainEvent,
            "Order Placed",
            &[
                ("orderId", "UUID", false),
                ("customerId", "UUID", false),
                ("total", "Money", false),
            ],
        )
        .sticky(
            DomainEvent,
            "Order Cancelled",
            &[("order_id", "UUID", false)],
        )
        .sticky(Policy, "Request payment", &[])
        .sticky(Policy, "Refund", &[])
        .sticky(
            Command,
            "Request Payment",
            &[("orderId", "UUID", false), ("amount", "Money", false)],
        )
        .sticky(Command, "Refund Payment", &[])
        .sticky(
            Aggregate,
            "Payment",
            &[("id", "UUID", true), ("orderId", "UUID", false)],
        )
        .sticky(
            ReadModel,
            "My Orders",
            &[
                ("orderId", "UUID", true),
                ("Total", "Money", false),
                ("status", "String", false),
            ],
        )
        .arrow("Place Order", "Order")
        .arrow("Order", "Order Placed")
        .arrow("Order", "Order Cancelled")
        .arrow("Order Placed", "Request payment")
        .arrow("Request payment", "Request Payment")
        .arrow("Order Cancelled", "Refund")
        .arrow("Refund", "Refund Payment")
        .arrow("Request Payment", "Payment")
        .arrow("Refund Payment", "Payment")
        .arrow("Order Placed", "My Orders")
        .arrow("Order Cancelled", "My Orders")
        .path("Refund Payment", "/payments/{id}/refund")
}

#[test]
fn fields_are_filled_by_equal_names_and_the_rest_is_left_unfilled() {
    let s = shop();
    assert_eq!(
        s.fills("Request payment"),
        vec![
            ("orderId".into(), field("orderId"), false),
            ("amount".into(), None, false),
        ]
    );
}

#[test]
fn an_explicit_choice_fills_a_field_whose_name_differs() {
    let mut s = shop();
    s.board
        .apply(Op::SetMapping {
            id: s.ids["Request payment"],
            mapping: vec![Mapped {
                event: s.ids["Order Placed"],
                command: Some(s.ids["Request Payment"]),
                field: "amount".into(),
                from: Source::Field("total".into()),
            }],
        })
        .unwrap();
    assert_eq!(
        s.fills("Request payment")[1],
        ("amount".into(), field("total"), true)
    );
}

#[test]
fn a_read_model_takes_each_column_from_each_source_event_and_its_key_from_the_event_key() {
    let s = shop();
    // Order Placed has `orderId` and `total` (any case); Order Cancelled has `order_id`
    // (named alike once `_` and case are set aside).
    assert_eq!(
        s.fills("My Orders"),
        vec![
            ("orderId".into(), field("orderId"), false),
            ("Total".into(), field("total"), false),
            ("status".into(), None, false),
            ("orderId".into(), field("order_id"), false),
            ("Total".into(), None, false),
            ("status".into(), None, false),
        ]
    );
    // An event without an `orderId` field still carries its aggregate's key.
    let s = Sketch::new()
        .sticky(Aggregate, "Order", &[("id", "UUID", true)])
        .sticky(DomainEvent, "Order Paid", &[])
        .sticky(ReadModel, "My Orders", &[("orderId", "UUID", true)])
        .arrow("Order", "Order Paid")
        .arrow("Order Paid", "My Orders");
    assert_eq!(
        s.fills("My Orders"),
        vec![("orderId".into(), Some(Source::Key), false)]
    );
}

#[test]
fn the_instance_a_policy_s_command_acts_on_is_found_by_key_name_own_key_or_lookup() {
    // Refund Payment acts on `/payments/{id}`: Order Cancelled has no `paymentId`, but Payment
    // has the `order_id`-like UUID field `orderId`… named differently from the event's `order_id`:
    // a lookup needs equal names, so nothing fills it.
    let s = shop();
    assert_eq!(s.fills("Refund"), vec![("id".into(), None, false)]);
    let model = Semantic::of(&s.board);
    let refund = s.board.element(s.ids["Refund"]).unwrap();
    let fill = &model.fills(refund)[0];
    assert!(fill.key);
    assert_eq!(fill.acts_on.map(|a| a.label.as_str()), Some("Payment"));

    // With the same name, the payment whose `orderId` is the order's.
    let s = Sketch::new()
        .sticky(Aggregate, "Order", &[("id", "UUID", true)])
        .sticky(
            DomainEvent,
            "Order Cancelled",
            &[("orderId", "UUID", false)],
        )
        .sticky(Policy, "Refund", &[])
        .sticky(Command, "Refund Payment", &[])
        .sticky(
            Aggregate,
            "Payment",
            &[("id", "UUID", true), ("orderId", "UUID", false)],
        )
        .arrow("Order", "Order Cancelled")
        .arrow("Order Cancelled", "Refund")
        .arrow("Refund", "Refund Payment")
        .arrow("Refund Payment", "Payment")
        .path("Refund Payment", "/payments/{id}/refund");
    assert_eq!(
        s.fills("Refund"),
        vec![("id".into(), Some(Source::Lookup("orderId".into())), false)]
    );

    // An event named after the key (`paymentId`) says it directly.
    let s = s
        .sticky(
            DomainEvent,
            "Payment Disputed",
            &[("paymentId", "UUID", false)],
        )
        .arrow("Payment Disputed", "Refund");
    assert_eq!(
        s.fills("Refund")[1],
        ("id".into(), field("paymentId"), false)
    );

    // The aggregate's own event: its key.
    let s = s
        .sticky(DomainEvent, "Payment Overdue", &[])
        .arrow("Payment", "Payment Overdue")
        .arrow("Payment Overdue", "Refund");
    assert_eq!(
        s.fills("Refund")[2],
        ("id".into(), Some(Source::Key), false)
    );
}

#[test]
fn korean_names_follow_the_same_defaults() {
    // `주문번호` is named after the key `번호` of `주문`.
    let s = Sketch::new()
        .sticky(Aggregate, "주문", &[("번호", "UUID", true)])
        .sticky(DomainEvent, "주문됨", &[("수량", "Integer", false)])
        .sticky(
            ReadModel,
            "내 주문",
            &[("주문번호", "UUID", true), ("수량", "Integer", false)],
        )
        .arrow("주문", "주문됨")
        .arrow("주문됨", "내 주문");
    assert_eq!(
        s.fills("내 주문"),
        vec![
            ("주문번호".into(), Some(Source::Key), false),
            ("수량".into(), field("수량"), false),
        ]
    );
}
