use super::*;
use crate::model::{Board, Connection, Field, FieldType, Op, new_id};

struct Flow {
    board: Board,
    placed: Id,
    policy: Id,
    request: Id,
    payment: Id,
    orders: Id,
}

fn field(name: &str, key: bool) -> Field {
    Field {
        name: name.into(),
        ty: FieldType::Uuid,
        key,
    }
}

fn flow() -> Flow {
    let mut board = Board::new("Mapping").unwrap();
    let mut add = |kind, label: &str, fields: Vec<Field>| {
        let mut e = Element::new(kind, label, 0.0, 0.0);
        e.props.fields = fields;
        let id = e.id;
        board.apply(Op::CreateElement { element: e }).unwrap();
        id
    };
    let placed = add(
        ElementKind::DomainEvent,
        "Order Placed",
        vec![field("orderId", false), field("total", false)],
    );
    let policy = add(ElementKind::Policy, "Request payment", vec![]);
    let request = add(
        ElementKind::Command,
        "Request Payment",
        vec![field("orderId", false), field("amount", false)],
    );
    let payment = add(
        ElementKind::Aggregate,
        "Payment",
        vec![field("id", true), field("orderId", false)],
    );
    let orders = add(
        ElementKind::ReadModel,
        "My Orders",
        vec![field("orderId", true), field("sum", false)],
    );
    board
        .apply(Op::Connect {
            connection: Connection {
                id: new_id(),
                from: request,
                to: payment,
            },
        })
        .unwrap();
    Flow {
        board,
        placed,
        policy,
        request,
        payment,
        orders,
    }
}

fn amount_from_total(f: &Flow) -> Mapped {
    Mapped {
        event: f.placed,
        command: Some(f.request),
        field: "amount".into(),
        from: Source::Field("total".into()),
    }
}

fn set(board: &mut Board, id: Id, mapping: Vec<Mapped>) -> Result<(), Rejection> {
    board.apply(Op::SetMapping { id, mapping })
}

#[test]
fn a_mapping_is_stored_as_json_and_undone_by_its_inverse() {
    let mut f = flow();
    let op = Op::SetMapping {
        id: f.policy,
        mapping: vec![amount_from_total(&f)],
    };
    let wire = serde_json::to_value(&op).unwrap();
    assert_eq!(wire["type"], "set_mapping");
    assert_eq!(wire["mapping"][0]["field"], "amount");
    assert_eq!(
        wire["mapping"][0]["from"],
        serde_json::json!({"field": "total"})
    );
    let back: Op = serde_json::from_value(wire).unwrap();
    assert_eq!(back, op);
    let inverse = f.board.inverse(&op).unwrap();
    f.board.apply(op).unwrap();
    assert_eq!(
        f.board.element(f.policy).unwrap().props.mapping,
        vec![amount_from_total(&f)]
    );
    for undo in inverse {
        f.board.apply(undo).unwrap();
    }
    assert!(f.board.element(f.policy).unwrap().props.mapping.is_empty());
}

#[test]
fn the_sources_serialize_as_the_board_format_says() {
    for (source, json) in [
        (
            Source::Field("total".into()),
            serde_json::json!({"field": "total"}),
        ),
        (Source::Key, serde_json::json!("key")),
        (
            Source::Lookup("orderId".into()),
            serde_json::json!({"lookup": "orderId"}),
        ),
    ] {
        assert_eq!(serde_json::to_value(&source).unwrap(), json);
        assert_eq!(serde_json::from_value::<Source>(json).unwrap(), source);
    }
}

#[test]
fn a_read_model_maps_its_own_columns_and_a_policy_the_key_of_what_its_command_acts_on() {
    let mut f = flow();
    let column = Mapped {
        event: f.placed,
        command: None,
        field: "sum".into(),
        from: Source::Field("total".into()),
    };
    set(&mut f.board, f.orders, vec![column]).unwrap();
    // `id` is no field of Request Payment, but the key of Payment, which handles it.
    let instance = Mapped {
        event: f.placed,
        command: Some(f.request),
        field: "id".into(),
        from: Source::Lookup("orderId".into()),
    };
    set(&mut f.board, f.policy, vec![instance]).unwrap();
    assert_eq!(f.board.element(f.payment).unwrap().props.fields.len(), 2);
}

#[test]
fn mappings_naming_what_the_board_does_not_have_are_refused_and_change_nothing() {
    let f = flow();
    let before = f.board.clone();
    let ghost = new_id();
    let cases: Vec<(Id, Mapped, &str)> = vec![
        (
            f.policy,
            Mapped {
                event: ghost,
                ..amount_from_total(&f)
            },
            "the mapping names a domain event that is not on this board (deleted?)",
        ),
        (
            f.policy,
            Mapped {
                event: f.request,
                ..amount_from_total(&f)
            },
            "the mapping names command \"Request Payment\" where a domain event belongs",
        ),
        (
            f.policy,
            Mapped {
                field: "price".into(),
                ..amount_from_total(&f)
            },
            "command \"Request Payment\" has no field \"price\" to fill",
        ),
        (
            f.policy,
            Mapped {
                from: Source::Field("cost".into()),
                ..amount_from_total(&f)
            },
            "domain event \"Order Placed\" has no field \"cost\"",
        ),
        (
            f.policy,
            Mapped {
                field: "id".into(),
                from: Source::Lookup("total".into()),
                ..amount_from_total(&f)
            },
            "a lookup by \"total\" needs that field",
        ),
        (
            f.policy,
            Mapped {
                command: None,
                ..amount_from_total(&f)
            },
            "a policy's mapping names the command whose field \"amount\" it fills",
        ),
        (
            f.orders,
            amount_from_total(&f),
            "a read model's mapping fills its own fields: it names no command",
        ),
        (
            f.policy,
            Mapped {
                field: "am\u{0}ount".into(),
                ..amount_from_total(&f)
            },
            "is not a field name",
        ),
    ];
    for (owner, mapped, why) in cases {
        let mut board = f.board.clone();
        let refused = set(&mut board, owner, vec![mapped]).unwrap_err();
        assert_eq!(refused.code(), "bad_mapping", "{refused}");
        assert!(refused.to_string().contains(why), "{refused} ≠ {why}");
        assert_eq!(board, before);
    }
    // Twice the same field from one event.
    let mut board = f.board.clone();
    let refused = set(
        &mut board,
        f.policy,
        vec![amount_from_total(&f), amount_from_total(&f)],
    )
    .unwrap_err();
    assert!(refused.to_string().contains("twice"), "{refused}");
    // Only policies and read models have a mapping.
    let refused = set(&mut board, f.request, vec![amount_from_total(&f)]).unwrap_err();
    assert_eq!(refused.code(), "property_not_allowed");
    assert_eq!(board, before);
}
