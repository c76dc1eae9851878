use std::collections::HashSet;

use squall_model::model::{Connection, Element, ElementKind, Field as BoardField, Op, new_id};

use super::*;

struct Sketch {
    board: Board,
}

impl Sketch {
    fn new() -> Self {
        Self {
            board: Board::new("Order flow").unwrap(),
        }
    }

    fn add(&mut self, kind: ElementKind, label: &str, x: f64, y: f64) -> Id {
        let element = Element::new(kind, label, x, y);
        let id = element.id;
        self.board.apply(Op::CreateElement { element }).unwrap();
        id
    }

    fn frame(&mut self, label: &str, x: f64) -> Id {
        let mut element = Element::new(ElementKind::BoundedContext, label, x, 0.0);
        (element.width, element.height) = (1000.0, 800.0);
        let id = element.id;
        self.board.apply(Op::CreateElement { element }).unwrap();
        id
    }

    fn fields(&mut self, id: Id, fields: &[(&str, &str, bool)]) {
        let fields = fields
            .iter()
            .map(|(name, ty, key)| BoardField {
                name: name.to_string(),
                ty: ty.parse().unwrap(),
                key: *key,
            })
            .collect();
        self.board
            .apply(Op::update(
                id,
                squall_model::model::Patch {
                    fields: Some(fields),
                    ..Default::default()
                },
            ))
            .unwrap();
    }

    fn arrow(&mut self, from: Id, to: Id) {
        self.board
            .apply(Op::Connect {
                connection: Connection {
                    id: new_id(),
                    from,
                    to,
                },
            })
            .unwrap();
    }
}

#[test]
fn the_sample_flow_becomes_two_services_with_their_links() {
    let mut s = Sketch::new();
    let ordering = s.frame("Ordering", 0.0);
    let payment = s.frame("Payment", 1200.0);
    let customer = s.add(ElementKind::Actor, "Customer", 20.0, 100.0);
    let place = s.add(ElementKind::Command, "Place order", 150.0, 100.0);
    s.fields(
        place,
        &[
            ("customerId", "UUID", false),
            ("items", "List<String>", false),
        ],
    );
    let order = s.add(ElementKind::Aggregate, "Order", 300.0, 100.0);
    s.fields(order, &[("id", "UUID", true), ("total", "Money", false)]);
    let placed = s.add(ElementKind::DomainEvent, "Order placed", 550.0, 100.0);
    let history = s.add(ElementKind::ReadModel, "Order history", 700.0, 100.0);
    let ship_when_paid = s.add(ElementKind::Policy, "Ship when paid", 550.0, 400.0);
    let ship = s.add(ElementKind::Command, "Ship order", 150.0, 400.0);
    let charge_on_order = s.add(ElementKind::Policy, "Charge on order", 1250.0, 100.0);
    let charge = s.add(ElementKind::Command, "Charge card", 1400.0, 100.0);
    let payment_agg = s.add(ElementKind::Aggregate, "Payment", 1550.0, 100.0);
    let received = s.add(ElementKind::DomainEvent, "Payment received", 1800.0, 100.0);
    let stripe = s.add(ElementKind::ExternalSystem, "Stripe", 1400.0, 400.0);
    for (from, to) in [
        (customer, place),
        (place, order),
        (order, placed),
        (placed, history),
        (placed, charge_on_order),
        (charge_on_order, charge),
        (charge, payment_agg),
        (payment_agg, received),
        (charge, stripe),
        (received, ship_when_paid),
        (ship_when_paid, ship),
        (ship, order),
    ] {
        s.arrow(from, to);
    }

    let model = ServiceModel::from_board(&s.board);
    assert_eq!(model.services.len(), 2);
    let o = model.service(ordering).unwrap();
    let p = model.service(payment).unwrap();
    assert_eq!(
        (o.name.dns.as_str(), p.name.dns.as_str()),
        ("ordering", "payment")
    );

    let place_cmd = o.commands.iter().find(|c| c.name.id == place).unwrap();
    assert_eq!(place_cmd.name.type_name, "PlaceOrder");
    assert_eq!(place_cmd.aggregate, Some(order));
    assert_eq!(place_cmd.emits, vec![placed], "the events of its aggregate");
    assert_eq!(place_cmd.path, "/place-order");
    assert_eq!(
        place_cmd
            .fields
            .iter()
            .map(|f| f.snake.as_str())
            .collect::<Vec<_>>(),
        ["customer_id", "items"]
    );
    let order_agg = &o.aggregates[0];
    assert_eq!(order_agg.key, Some(0));

    let event = o.events.iter().find(|e| e.name.id == placed).unwrap();
    assert_eq!(
        (event.aggregate, event.topic.as_str()),
        (Some(order), "ordering-order"),
        "an aggregate's events share its topic: one instance's events stay in order"
    );
    let read = &o.read_models[0];
    assert_eq!(
        read.sources,
        vec![Trigger {
            service: ordering,
            event: placed
        }]
    );

    // Publish/subscribe across contexts: Payment's policy listens to Ordering's event.
    let charge_policy = &p.policies[0];
    assert_eq!(
        charge_policy.triggers,
        vec![Trigger {
            service: ordering,
            event: placed
        }]
    );
    assert_eq!(
        charge_policy.issues,
        vec![Call::Command {
            service: payment,
            command: charge
        }]
    );
    let ship_policy = &o.policies[0];
    assert_eq!(
        ship_policy.triggers,
        vec![Trigger {
            service: payment,
            event: received
        }]
    );
    let charge_cmd = &p.commands[0];
    assert_eq!(charge_cmd.calls, vec![Call::ExternalSystem(stripe)]);

    // The problems are the numbered rules' (docs/model-rules.md): the Payment aggregate and
    // the read model mark no key.
    let mut found: Vec<(Id, rules::Rule)> =
        model.problems.iter().map(|p| (p.element, p.rule)).collect();
    found.sort();
    let mut expected = vec![(payment_agg, rules::Rule::R9), (history, rules::Rule::R15)];
    expected.sort();
    assert_eq!(found, expected, "{:?}", model.problems);
}

/// R5: a command whose aggregate emits several events results in the one its arrow names, and
/// without an arrow in none of them (never all: placing an order must not cancel it).
#[test]
fn a_command_emits_what_its_arrow_says_and_never_every_event_of_its_aggregate() {
    let mut s = Sketch::new();
    s.frame("Ordering", 0.0);
    let place = s.add(ElementKind::Command, "Place Order", 100.0, 100.0);
    let cancel = s.add(ElementKind::Command, "Cancel Order", 100.0, 300.0);
    let order = s.add(ElementKind::Aggregate, "Order", 300.0, 100.0);
    let placed = s.add(ElementKind::DomainEvent, "Order Placed", 500.0, 100.0);
    let paid = s.add(ElementKind::DomainEvent, "Order Paid", 500.0, 300.0);
    let cancelled = s.add(ElementKind::DomainEvent, "Order Cancelled", 500.0, 500.0);
    for (from, to) in [
        (place, order),
        (cancel, order),
        (order, placed),
        (order, paid),
        (order, cancelled),
        (place, placed),
    ] {
        s.arrow(from, to);
    }
    let model = ServiceModel::from_board(&s.board);
    let command = |id| {
        model.services[0]
            .commands
            .iter()
            .find(|c| c.name.id == id)
            .unwrap()
    };
    assert_eq!(command(place).emits, vec![placed]);
    assert_eq!(command(cancel).emits, Vec::<Id>::new());
    assert_eq!(
        command(cancel).results,
        Results::Ambiguous(vec![placed, paid, cancelled])
    );
    assert!(
        model
            .problems
            .iter()
            .any(|p| p.element == cancel && p.rule == rules::Rule::R5)
    );
}

#[test]
fn what_cannot_be_generated_is_reported_not_dropped() {
    let mut s = Sketch::new();
    s.frame("Ordering", 0.0);
    let cancel = s.add(ElementKind::Command, "Cancel order", 100.0, 100.0);
    let archived = s.add(ElementKind::DomainEvent, "Order archived", 300.0, 100.0);
    let lonely = s.add(ElementKind::Policy, "Notify someone", 500.0, 100.0);
    let outside = s.add(ElementKind::DomainEvent, "Loose idea", 5_000.0, 5_000.0);
    let hotspot = s.add(ElementKind::Hotspot, "Who pays shipping?", 600.0, 600.0);
    let model = ServiceModel::from_board(&s.board);
    let about = |id: Id| {
        model
            .problems
            .iter()
            .filter(|p| p.element == id)
            .map(|p| p.message(&s.board))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(
        about(cancel).contains("has no aggregate"),
        "{}",
        about(cancel)
    );
    assert!(about(archived).contains("emitted by nothing"));
    assert!(
        about(lonely).contains("no triggering event")
            && about(lonely).contains("issues no command")
    );
    assert!(about(outside).contains("outside every bounded context"));
    assert!(about(hotspot).contains("still open"));
    // They are still in the model where they can be: the command and event are generated.
    assert_eq!(model.services[0].commands.len(), 1);
    assert_eq!(model.services[0].events.len(), 1);
}

#[test]
fn hostile_labels_give_unique_valid_names_everywhere() {
    let labels: Vec<&str> = include_str!("../../../../fixtures/hostile-labels.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let mut s = Sketch::new();
    let mut frame = Element::new(
        ElementKind::BoundedContext,
        "주문 관리 (Ordering)",
        0.0,
        0.0,
    );
    (frame.width, frame.height) = (100_000.0, 100_000.0);
    s.board.apply(Op::CreateElement { element: frame }).unwrap();
    let mut aggregate_ids = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let y = i as f64 * 200.0;
        let agg = s.add(ElementKind::Aggregate, label, 100.0, y);
        s.add(ElementKind::Command, label, 400.0, y);
        s.add(ElementKind::DomainEvent, label, 700.0, y);
        aggregate_ids.push(agg);
    }
    // Every hostile label as a field name too (duplicates after cleaning included).
    let field_names: Vec<(&str, &str, bool)> = labels
        .iter()
        .filter(|l| {
            l.chars().count() <= 200 && !l.trim().is_empty() && !l.chars().any(char::is_control)
        })
        .map(|l| (*l, "String", false))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    s.fields(aggregate_ids[0], &field_names);

    let model = ServiceModel::from_board(&s.board);
    let service = &model.services[0];
    assert!(
        service
            .name
            .dns
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    );
    let mut types = HashSet::new();
    let mut dns = HashSet::new();
    let names = service
        .aggregates
        .iter()
        .map(|a| &a.name)
        .chain(service.commands.iter().map(|c| &c.name))
        .chain(service.events.iter().map(|e| &e.name));
    for n in names {
        assert!(
            types.insert(n.type_name.clone()),
            "duplicate type {}",
            n.type_name
        );
        assert!(dns.insert(n.dns.clone()), "duplicate dns name {}", n.dns);
        assert!(n.dns.len() <= 63 && n.dns.is_ascii(), "{}", n.dns);
        assert!(
            n.type_name.is_ascii() && n.type_name.starts_with(|c: char| c.is_ascii_uppercase()),
            "{}",
            n.type_name
        );
    }
    let fields = &service
        .aggregates
        .iter()
        .find(|a| a.name.id == aggregate_ids[0])
        .unwrap()
        .fields;
    let snakes: HashSet<&str> = fields.iter().map(|f| f.snake.as_str()).collect();
    assert_eq!(snakes.len(), fields.len(), "field names are unique");
}
