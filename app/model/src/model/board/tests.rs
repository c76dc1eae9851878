use super::*;
use crate::model::{FieldType, HttpMethod, Props, new_id};

fn board() -> Board {
    Board::new("Online shop").unwrap()
}

fn create(board: &mut Board, kind: ElementKind, label: &str) -> Id {
    let element = Element::new(kind, label, 10.0, 20.0);
    let id = element.id;
    board.apply(Op::CreateElement { element }).unwrap();
    id
}

fn field(name: &str, ty: &str, key: bool) -> Field {
    Field {
        name: name.into(),
        ty: ty.parse().unwrap(),
        key,
    }
}

fn connect(from: Id, to: Id) -> Op {
    Op::Connect {
        connection: Connection {
            id: new_id(),
            from,
            to,
        },
    }
}

/// Applies `op` expecting `rejection`, and checks that the board did not change.
fn assert_rejected(board: &mut Board, op: Op, rejection: Rejection) {
    let before = board.clone();
    assert_eq!(board.apply(op), Err(rejection));
    assert_eq!(*board, before, "a rejected op must change nothing");
}

#[test]
fn every_kind_can_be_created_moved_resized_relabelled_and_deleted() {
    let mut b = board();
    for kind in ElementKind::ALL {
        let id = create(&mut b, kind, kind.title());
        b.apply(Op::MoveElement {
            id,
            x: -50.5,
            y: 300.0,
        })
        .unwrap();
        b.apply(Op::ResizeElement {
            id,
            width: 300.0,
            height: 90.0,
        })
        .unwrap();
        b.apply(Op::UpdateElement {
            id,
            label: Some(format!("{} renamed", kind.title())),
            description: Some("why it matters".into()),
            fields: None,
            http_method: None,
            http_path: None,
        })
        .unwrap();
        let e = b.element(id).unwrap();
        assert_eq!(
            (e.kind, e.x, e.y, e.width, e.height),
            (kind, -50.5, 300.0, 300.0, 90.0)
        );
        assert_eq!(e.label, format!("{} renamed", kind.title()));
        assert_eq!(e.props.description, "why it matters");
        b.apply(Op::DeleteElement { id }).unwrap();
        assert!(b.element(id).is_none());
    }
    assert_eq!(b.elements().len(), 0);
}

#[test]
fn kinds_with_fields_accept_typed_fields_and_only_aggregates_have_keys() {
    let mut b = board();
    for kind in ElementKind::ALL {
        let id = create(&mut b, kind, "x");
        let fields = vec![
            field("orderId", "UUID", false),
            field("items", "List<OrderLine>", false),
        ];
        let op = Op::UpdateElement {
            id,
            label: None,
            description: None,
            fields: Some(fields.clone()),
            http_method: None,
            http_path: None,
        };
        if kind.has_fields() {
            b.apply(op).unwrap();
            assert_eq!(b.element(id).unwrap().props.fields, fields);
        } else {
            assert_rejected(
                &mut b,
                op,
                Rejection::PropertyNotAllowed {
                    kind: kind.as_str(),
                    property: "fields",
                },
            );
        }
        let keyed = Op::UpdateElement {
            id,
            label: None,
            description: None,
            fields: Some(vec![field("id", "UUID", true)]),
            http_method: None,
            http_path: None,
        };
        match kind {
            ElementKind::Aggregate | ElementKind::ReadModel => b.apply(keyed).unwrap(),
            k if k.has_fields() => assert_rejected(&mut b, keyed, Rejection::KeyOutsideAggregate),
            _ => assert!(b.apply(keyed).is_err()),
        }
    }
}

#[test]
fn only_commands_have_an_http_method_and_path() {
    let mut b = board();
    let command = create(&mut b, ElementKind::Command, "Cancel Order");
    b.apply(Op::UpdateElement {
        id: command,
        label: None,
        description: None,
        fields: None,
        http_method: Some(Some(HttpMethod::Put)),
        http_path: Some(Some("/orders/{id}/cancel".into())),
    })
    .unwrap();
    let props = &b.element(command).unwrap().props;
    assert_eq!(props.http_method, Some(HttpMethod::Put));
    assert_eq!(props.http_path.as_deref(), Some("/orders/{id}/cancel"));

    b.apply(Op::UpdateElement {
        id: command,
        label: None,
        description: None,
        fields: None,
        http_method: Some(None),
        http_path: None,
    })
    .unwrap();
    assert_eq!(
        b.element(command).unwrap().props.http_method,
        None,
        "null clears"
    );
    assert!(
        b.element(command).unwrap().props.http_path.is_some(),
        "absent keeps"
    );

    let event = create(&mut b, ElementKind::DomainEvent, "Order Cancelled");
    assert_rejected(
        &mut b,
        Op::UpdateElement {
            id: event,
            label: None,
            description: None,
            fields: None,
            http_method: Some(Some(HttpMethod::Post)),
            http_path: None,
        },
        Rejection::PropertyNotAllowed {
            kind: "domain_event",
            property: "http_method",
        },
    );
    let mut element = Element::new(ElementKind::Policy, "p", 0.0, 0.0);
    element.props.http_path = Some("/p".into());
    assert_rejected(
        &mut b,
        Op::CreateElement { element },
        Rejection::PropertyNotAllowed {
            kind: "policy",
            property: "http_path",
        },
    );
    for path in ["orders", "/orders with space", "/a\u{0}"] {
        assert_rejected(
            &mut b,
            Op::UpdateElement {
                id: command,
                label: None,
                description: None,
                fields: None,
                http_method: None,
                http_path: Some(Some(path.into())),
            },
            Rejection::BadHttpPath,
        );
    }
}

#[test]
fn hostile_labels_are_stored_exactly() {
    let mut b = board();
    for label in [
        "</script><script>alert(1)</script>",
        "\"; DROP TABLE boards; --",
        "주문 접수됨",
        "🚚 Shipped",
        "line one\nline two\twith tab",
        "",
    ] {
        let id = create(&mut b, ElementKind::DomainEvent, label);
        assert_eq!(b.element(id).unwrap().label, label);
    }
}

#[test]
fn unknown_ids_are_rejected_for_every_op_that_names_one() {
    let mut b = board();
    let ghost = new_id();
    let existing = create(&mut b, ElementKind::Command, "Place Order");
    let ops = [
        Op::MoveElement {
            id: ghost,
            x: 0.0,
            y: 0.0,
        },
        Op::ResizeElement {
            id: ghost,
            width: 10.0,
            height: 10.0,
        },
        Op::DeleteElement { id: ghost },
        Op::UpdateElement {
            id: ghost,
            label: Some("x".into()),
            description: None,
            fields: None,
            http_method: None,
            http_path: None,
        },
        connect(existing, ghost),
        connect(ghost, existing),
    ];
    for op in ops {
        assert_rejected(&mut b, op, Rejection::UnknownElement(ghost));
    }
    assert_rejected(
        &mut b,
        Op::Disconnect { id: ghost },
        Rejection::UnknownConnection(ghost),
    );
}

#[test]
fn ids_cannot_be_reused_by_elements_or_connections() {
    let mut b = board();
    let a = create(&mut b, ElementKind::Command, "a");
    let c = create(&mut b, ElementKind::Aggregate, "c");
    let mut dup = Element::new(ElementKind::Policy, "dup", 0.0, 0.0);
    dup.id = a;
    assert_rejected(
        &mut b,
        Op::CreateElement { element: dup },
        Rejection::DuplicateId(a),
    );
    assert_rejected(
        &mut b,
        Op::Connect {
            connection: Connection {
                id: c,
                from: a,
                to: c,
            },
        },
        Rejection::DuplicateId(c),
    );
}

#[test]
fn connections_join_two_distinct_elements_once_and_die_with_them() {
    let mut b = board();
    let command = create(&mut b, ElementKind::Command, "Place Order");
    let aggregate = create(&mut b, ElementKind::Aggregate, "Order");
    let event = create(&mut b, ElementKind::DomainEvent, "Order Placed");
    b.apply(connect(command, aggregate)).unwrap();
    b.apply(connect(aggregate, event)).unwrap();
    assert_rejected(
        &mut b,
        connect(command, aggregate),
        Rejection::DuplicateConnection,
    );
    assert_rejected(&mut b, connect(event, event), Rejection::SelfConnection);
    b.apply(connect(aggregate, command)).unwrap();
    assert_eq!(b.connections().len(), 3);

    b.apply(Op::DeleteElement { id: aggregate }).unwrap();
    assert_eq!(
        b.connections().len(),
        0,
        "arrows to a deleted sticky go with it"
    );

    let arrow = new_id();
    b.apply(Op::Connect {
        connection: Connection {
            id: arrow,
            from: command,
            to: event,
        },
    })
    .unwrap();
    b.apply(Op::Disconnect { id: arrow }).unwrap();
    assert_eq!(b.connections().len(), 0);
}

#[test]
fn coordinates_and_sizes_must_be_finite_and_in_range() {
    let mut b = board();
    let id = create(&mut b, ElementKind::DomainEvent, "e");
    let bad_coordinate = Rejection::BadCoordinate {
        max: Limits::MAX_COORDINATE,
    };
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e8, -1e8] {
        assert_rejected(
            &mut b,
            Op::MoveElement { id, x: v, y: 0.0 },
            bad_coordinate.clone(),
        );
        assert_rejected(
            &mut b,
            Op::MoveElement { id, x: 0.0, y: v },
            bad_coordinate.clone(),
        );
    }
    let bad_size = Rejection::BadSize {
        min: Limits::MIN_SIZE,
        max: Limits::MAX_SIZE,
    };
    for v in [f64::NAN, 0.0, -5.0, 1e6] {
        assert_rejected(
            &mut b,
            Op::ResizeElement {
                id,
                width: v,
                height: 10.0,
            },
            bad_size.clone(),
        );
        assert_rejected(
            &mut b,
            Op::ResizeElement {
                id,
                width: 10.0,
                height: v,
            },
            bad_size.clone(),
        );
    }
    let mut element = Element::new(ElementKind::Actor, "a", f64::NAN, 0.0);
    assert_rejected(
        &mut b,
        Op::CreateElement {
            element: element.clone(),
        },
        bad_coordinate,
    );
    element.x = 0.0;
    element.width = 0.0;
    assert_rejected(&mut b, Op::CreateElement { element }, bad_size);
}

#[test]
fn text_limits_are_enforced() {
    let mut b = board();
    let long = "a".repeat(Limits::MAX_LABEL_CHARS + 1);
    let e = Element::new(ElementKind::DomainEvent, long, 0.0, 0.0);
    assert_rejected(
        &mut b,
        Op::CreateElement { element: e },
        Rejection::LabelTooLong {
            max: Limits::MAX_LABEL_CHARS,
        },
    );
    // The limit counts characters, not bytes: 2,000 Hangul syllables fit.
    let ok = Element::new(
        ElementKind::DomainEvent,
        "주".repeat(Limits::MAX_LABEL_CHARS),
        0.0,
        0.0,
    );
    b.apply(Op::CreateElement { element: ok }).unwrap();

    let mut e = Element::new(ElementKind::DomainEvent, "x", 0.0, 0.0);
    e.props.description = "d".repeat(Limits::MAX_DESCRIPTION_CHARS + 1);
    assert_rejected(
        &mut b,
        Op::CreateElement { element: e },
        Rejection::DescriptionTooLong {
            max: Limits::MAX_DESCRIPTION_CHARS,
        },
    );
    let e = Element::new(ElementKind::DomainEvent, "nul\u{0}byte", 0.0, 0.0);
    assert_rejected(
        &mut b,
        Op::CreateElement { element: e },
        Rejection::ControlCharacter,
    );
}

#[test]
fn field_lists_are_checked() {
    let mut b = board();
    let id = create(&mut b, ElementKind::Aggregate, "Order");
    let update = |fields| Op::UpdateElement {
        id,
        label: None,
        description: None,
        fields: Some(fields),
        http_method: None,
        http_path: None,
    };
    assert_rejected(
        &mut b,
        update(vec![
            field("id", "UUID", true),
            field("id", "String", false),
        ]),
        Rejection::DuplicateFieldName("id".into()),
    );
    for name in ["", " padded", "tab\tname"] {
        assert_rejected(
            &mut b,
            update(vec![Field {
                name: name.into(),
                ty: FieldType::String,
                key: false,
            }]),
            Rejection::BadFieldName(name.into()),
        );
    }
    let many = (0..=Limits::MAX_FIELDS)
        .map(|i| field(&format!("f{i}"), "String", false))
        .collect();
    assert_rejected(
        &mut b,
        update(many),
        Rejection::TooManyFields {
            max: Limits::MAX_FIELDS,
        },
    );
}

#[test]
fn titles_are_trimmed_and_checked() {
    assert_eq!(Board::new("  Online shop ").unwrap().title(), "Online shop");
    assert_eq!(Board::new("   "), Err(Rejection::TitleEmpty));
    let long = "t".repeat(Limits::MAX_TITLE_CHARS + 1);
    assert_eq!(
        Board::new(&long),
        Err(Rejection::TitleTooLong {
            max: Limits::MAX_TITLE_CHARS
        })
    );
    let mut b = board();
    b.apply(Op::RenameBoard {
        title: "Shop v2".into(),
    })
    .unwrap();
    assert_eq!(b.title(), "Shop v2");
    assert_rejected(
        &mut b,
        Op::RenameBoard { title: "".into() },
        Rejection::TitleEmpty,
    );
}

#[test]
fn a_board_is_full_at_the_element_limit() {
    let mut b = board();
    let ops = (0..Limits::MAX_ELEMENTS).map(|i| Op::CreateElement {
        element: Element::new(ElementKind::DomainEvent, "e", (i % 100) as f64 * 130.0, 0.0),
    });
    b.apply_all(ops).unwrap();
    assert_rejected(
        &mut b,
        Op::CreateElement {
            element: Element::new(ElementKind::DomainEvent, "one more", 0.0, 0.0),
        },
        Rejection::TooManyElements {
            max: Limits::MAX_ELEMENTS,
        },
    );
}

#[test]
fn a_board_is_full_at_the_connection_limit() {
    let mut b = board();
    let hubs: Vec<Id> = (0..4)
        .map(|_| create(&mut b, ElementKind::Policy, "hub"))
        .collect();
    let ops: Vec<Op> = (0..Limits::MAX_CONNECTIONS / 4)
        .map(|_| Op::CreateElement {
            element: Element::new(ElementKind::DomainEvent, "e", 0.0, 0.0),
        })
        .collect();
    let ids: Vec<Id> = ops
        .iter()
        .map(|op| match op {
            Op::CreateElement { element } => element.id,
            _ => unreachable!(),
        })
        .collect();
    b.apply_all(ops).unwrap();
    let arrows = ids
        .iter()
        .flat_map(|&e| hubs.iter().map(move |&h| connect(h, e)));
    b.apply_all(arrows).unwrap();
    assert_rejected(
        &mut b,
        connect(ids[0], hubs[0]),
        Rejection::TooManyConnections {
            max: Limits::MAX_CONNECTIONS,
        },
    );
}

#[test]
fn a_batch_is_applied_whole_or_not_at_all() {
    let mut b = board();
    let good = Element::new(ElementKind::DomainEvent, "Order Placed", 0.0, 0.0);
    let ghost = new_id();
    let before = b.clone();
    let result = b.apply_all([
        Op::CreateElement { element: good },
        Op::MoveElement {
            id: ghost,
            x: 1.0,
            y: 1.0,
        },
    ]);
    assert_eq!(result, Err((1, Rejection::UnknownElement(ghost))));
    assert_eq!(b, before);
}

#[test]
fn a_board_survives_a_json_round_trip_and_stored_json_is_validated() {
    let mut b = board();
    let command = create(&mut b, ElementKind::Command, "Place Order");
    let aggregate = create(&mut b, ElementKind::Aggregate, "Order");
    b.apply(connect(command, aggregate)).unwrap();
    b.apply(Op::UpdateElement {
        id: aggregate,
        label: None,
        description: None,
        fields: Some(vec![
            field("id", "UUID", true),
            field("total", "Money", false),
        ]),
        http_method: None,
        http_path: None,
    })
    .unwrap();
    let json = serde_json::to_string(&b).unwrap();
    let back: Board = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
    assert_eq!(back.to_ops().len(), 3);

    let dangling = format!(
        r#"{{"title":"t","elements":[],"connections":[{{"id":"{}","from":"{}","to":"{}"}}]}}"#,
        new_id(),
        command,
        aggregate
    );
    assert!(serde_json::from_str::<Board>(&dangling).is_err());
}

#[test]
fn ops_use_the_documented_wire_format() {
    let id = new_id();
    let op: Op = serde_json::from_str(&format!(
        r#"{{"type":"update_element","id":"{id}","http_method":null,"label":"Place Order"}}"#
    ))
    .unwrap();
    assert_eq!(
        op,
        Op::UpdateElement {
            id,
            label: Some("Place Order".into()),
            description: None,
            fields: None,
            http_method: Some(None),
            http_path: None,
        }
    );
    let unknown = format!(r#"{{"type":"move_element","id":"{id}","x":1,"y":2,"z":3}}"#);
    assert!(
        serde_json::from_str::<Op>(&unknown).is_err(),
        "unknown keys are refused"
    );
    assert!(serde_json::from_str::<Op>(r#"{"type":"explode"}"#).is_err());
    let element: Element = serde_json::from_str(&format!(
        r#"{{"id":"{id}","kind":"read_model","label":"My Orders","x":0,"y":0,"width":120,"height":120}}"#
    ))
    .unwrap();
    assert_eq!(element.props, Props::default());
}

#[test]
fn applying_a_batch_and_then_its_inverse_restores_the_board() {
    let mut b = board();
    let command = create(&mut b, ElementKind::Command, "Place Order");
    let aggregate = create(&mut b, ElementKind::Aggregate, "Order");
    let event = create(&mut b, ElementKind::DomainEvent, "Order Placed");
    b.apply(connect(command, aggregate)).unwrap();
    b.apply(connect(aggregate, event)).unwrap();
    let arrow = b.connections().next().unwrap().id;
    let before = b.clone();
    let (new_id_, new_op) = {
        let e = Element::new(ElementKind::Policy, "Ship paid orders", 5.0, 5.0);
        (e.id, Op::CreateElement { element: e })
    };
    let batch = vec![
        new_op,
        connect(event, new_id_),
        Op::MoveElement {
            id: command,
            x: 400.0,
            y: -30.0,
        },
        Op::ResizeElement {
            id: aggregate,
            width: 220.0,
            height: 260.0,
        },
        Op::UpdateElement {
            id: command,
            label: Some("Place order now".into()),
            description: Some("from the web shop".into()),
            fields: Some(vec![field("customerId", "UUID", false)]),
            http_method: Some(Some(HttpMethod::Post)),
            http_path: Some(Some("/orders".into())),
        },
        Op::Disconnect { id: arrow },
        Op::DeleteElement { id: aggregate },
        Op::RenameBoard {
            title: "Shop v2".into(),
        },
    ];
    let undo = b.apply_all_with_inverse(batch).unwrap();
    assert_ne!(b, before);
    let redo = b.apply_all_with_inverse(undo).unwrap();
    assert_eq!(
        b, before,
        "the inverse restores every element, arrow and the title"
    );
    b.apply_all(redo).unwrap();
    assert_eq!(b.title(), "Shop v2");
    assert!(b.element(aggregate).is_none());
}

#[test]
fn the_inverse_of_an_op_on_an_unknown_id_is_a_rejection() {
    let b = board();
    let ghost = new_id();
    assert_eq!(
        b.inverse(&Op::MoveElement {
            id: ghost,
            x: 0.0,
            y: 0.0
        }),
        Err(Rejection::UnknownElement(ghost))
    );
    assert_eq!(
        b.inverse(&Op::Disconnect { id: ghost }),
        Err(Rejection::UnknownConnection(ghost))
    );
}
