//! One test per rule (docs/model-rules.md): a board that breaks it and one that does not.

use super::*;
use crate::model::{Field, Op};

use crate::semantic::sketch::Sketch;

/// What only the rules' tests ask of a sketch.
impl Sketch {
    fn fields(mut self, name: &str, fields: &[(&str, &str, bool)]) -> Self {
        let fields = fields
            .iter()
            .map(|(n, t, key)| Field {
                name: n.to_string(),
                ty: t.parse().unwrap(),
                key: *key,
            })
            .collect();
        self.board
            .apply(Op::update(
                self.ids[name],
                crate::model::Patch {
                    fields: Some(fields),
                    ..Default::default()
                },
            ))
            .unwrap();
        self
    }

    fn route(mut self, name: &str, method: HttpMethod, path: &str) -> Self {
        self.board
            .apply(Op::update(
                self.ids[name],
                crate::model::Patch {
                    http_method: Some(Some(method)),
                    http_path: Some(Some(path.to_string())),
                    ..Default::default()
                },
            ))
            .unwrap();
        self
    }

    /// The rules `name` breaks.
    fn broken(&self, name: &str) -> Vec<Rule> {
        let id = self.ids[name];
        check(&self.board)
            .into_iter()
            .filter(|p| p.element == id)
            .map(|p| p.rule)
            .collect()
    }

    /// Every problem of the board, as (rule, element name).
    fn all(&self) -> Vec<(Rule, &'static str)> {
        let names: HashMap<Id, &'static str> = self.ids.iter().map(|(n, id)| (*id, *n)).collect();
        let mut all: Vec<(Rule, &'static str)> = check(&self.board)
            .into_iter()
            .map(|p| (p.rule, names[&p.element]))
            .collect();
        all.sort();
        all
    }
}

use ElementKind::*;

/// A clean context: an actor issues a command, its aggregate (with a key) handles it and emits
/// the one event the command results in, a policy reacts and a read model is fed.
fn clean() -> Sketch {
    Sketch::new()
        .frame("Ordering", 0.0)
        .sticky(Actor, "Customer", 20.0, 20.0)
        .sticky(Command, "Place Order", 160.0, 20.0)
        .sticky(Aggregate, "Order", 300.0, 20.0)
        .sticky(DomainEvent, "Order Placed", 440.0, 20.0)
        .sticky(Policy, "When order placed reserve stock", 580.0, 20.0)
        .sticky(Command, "Reserve Stock", 720.0, 20.0)
        .sticky(ReadModel, "My Orders", 440.0, 200.0)
        .arrow("Customer", "Place Order")
        .arrow("Place Order", "Order")
        .arrow("Order", "Order Placed")
        .arrow("Order Placed", "When order placed reserve stock")
        .arrow("When order placed reserve stock", "Reserve Stock")
        .arrow("Reserve Stock", "Order")
        .arrow("Order Placed", "My Orders")
        .fields("Order", &[("id", "UUID", true), ("total", "Money", false)])
        .fields("My Orders", &[("orderId", "UUID", true)])
}

#[test]
fn a_clean_model_has_no_problem_but_its_second_command_results_in_nothing_drawn() {
    // Reserve Stock goes to the same aggregate, which emits one event: R4/R5 do not fire, it
    // results in that one event (no arrow needed).
    assert_eq!(clean().all(), vec![]);
}

#[test]
fn r1_an_arrow_the_grammar_does_not_allow() {
    let s = clean()
        .sticky(Actor, "Clerk", 20.0, 400.0)
        .arrow("Order Placed", "Clerk");
    assert_eq!(s.broken("Order Placed"), vec![Rule::R1]);
    // An event may update a read model: allowed.
    assert!(clean().broken("Order Placed").is_empty());
    // A hotspot points anywhere.
    let s = clean()
        .sticky(Hotspot, "Why?", 20.0, 500.0)
        .arrow("Why?", "Order");
    assert_eq!(s.broken("Why?"), vec![Rule::R27]);
}

#[test]
fn r2_a_command_without_an_aggregate() {
    let s = clean().sticky(Command, "Cancel Order", 160.0, 300.0);
    assert_eq!(s.broken("Cancel Order"), vec![Rule::R2]);
}

#[test]
fn r3_a_command_handled_by_another_contexts_aggregate() {
    let s = clean()
        .frame("Shipping", 1200.0)
        .sticky(Command, "Ship Order", 1300.0, 20.0)
        .arrow("Ship Order", "Order");
    assert_eq!(s.broken("Ship Order"), vec![Rule::R3]);
}

#[test]
fn r4_a_command_that_results_in_nothing() {
    let s = Sketch::new()
        .frame("Ordering", 0.0)
        .sticky(Command, "Place Order", 160.0, 20.0)
        .sticky(Aggregate, "Order", 300.0, 20.0)
        .arrow("Place Order", "Order")
        .fields("Order", &[("id", "UUID", true)]);
    assert_eq!(s.broken("Place Order"), vec![Rule::R4]);
    assert!(clean().broken("Place Order").is_empty());
}

#[test]
fn r5_a_command_with_several_candidate_events_and_no_arrow_results_in_none_of_them() {
    let s = clean()
        .sticky(DomainEvent, "Order Cancelled", 440.0, 400.0)
        .arrow("Order", "Order Cancelled");
    assert_eq!(s.broken("Place Order"), vec![Rule::R5]);
    let model = Semantic::of(&s.board);
    assert_eq!(
        model.results(s.ids["Place Order"]).events(),
        &[] as &[Id],
        "never all of them"
    );
    // The arrow says which: that one.
    let s = s.arrow("Place Order", "Order Placed");
    assert!(s.broken("Place Order").is_empty());
    assert_eq!(
        Semantic::of(&s.board).results(s.ids["Place Order"]),
        Results::Drawn(vec![s.ids["Order Placed"]])
    );
}

#[test]
fn r6_an_event_nothing_emits() {
    let s = clean().sticky(DomainEvent, "Order Shipped", 440.0, 500.0);
    assert_eq!(s.broken("Order Shipped"), vec![Rule::R6]);
}

#[test]
fn r7_r8_r9_an_aggregate_without_commands_events_or_key() {
    let s = clean().sticky(Aggregate, "Invoice", 300.0, 500.0);
    assert_eq!(s.broken("Invoice"), vec![Rule::R7, Rule::R8, Rule::R9]);
    assert!(clean().broken("Order").is_empty());
}

#[test]
fn r10_two_fields_of_one_name() {
    let s = clean().fields(
        "Order",
        &[
            ("id", "UUID", true),
            ("Total", "Money", false),
            ("total", "Long", false),
        ],
    );
    assert_eq!(s.broken("Order"), vec![Rule::R10]);
}

#[test]
fn r11_a_field_type_nothing_defines() {
    let s = clean().fields(
        "Order",
        &[("id", "UUID", true), ("address", "Address", false)],
    );
    assert_eq!(s.broken("Order"), vec![Rule::R11]);
    // A type named after an aggregate of the board is defined.
    let s = clean().fields(
        "My Orders",
        &[("orderId", "UUID", true), ("order", "List<Order>", false)],
    );
    assert!(!s.broken("My Orders").contains(&Rule::R11));
}

#[test]
fn r12_r13_a_policy_without_trigger_or_command() {
    let s = clean().sticky(Policy, "Lonely policy", 580.0, 400.0);
    assert_eq!(s.broken("Lonely policy"), vec![Rule::R12, Rule::R13]);
}

#[test]
fn r14_r15_a_read_model_without_sources_or_key() {
    let s = clean().sticky(ReadModel, "Stock Levels", 580.0, 400.0);
    assert_eq!(s.broken("Stock Levels"), vec![Rule::R14, Rule::R15]);
}

#[test]
fn r16_a_sticky_outside_every_context() {
    let s = clean().sticky(Command, "Orphan Command", 3000.0, 3000.0);
    assert_eq!(s.broken("Orphan Command"), vec![Rule::R2, Rule::R16]);
}

#[test]
fn r17_a_sticky_across_a_frames_edge() {
    // Its centre (960) is inside the frame, its right edge (1020) outside.
    let s = clean()
        .sticky(ReadModel, "Edge Orders", 900.0, 400.0)
        .arrow("Order Placed", "Edge Orders")
        .fields("Edge Orders", &[("orderId", "UUID", true)]);
    assert_eq!(s.broken("Edge Orders"), vec![Rule::R17]);
}

#[test]
fn r18_a_sticky_without_a_name() {
    let s = clean().sticky(ReadModel, "", 580.0, 400.0);
    let unnamed = s.ids[""];
    let rules: Vec<Rule> = check(&s.board)
        .into_iter()
        .filter(|p| p.element == unnamed)
        .map(|p| p.rule)
        .collect();
    assert_eq!(rules, vec![Rule::R14, Rule::R15, Rule::R18]);
}

#[test]
fn r19_two_stickies_of_one_kind_and_name_in_one_context() {
    let s = clean()
        .sticky(DomainEvent, "order  placed", 440.0, 600.0)
        .arrow("Order", "order  placed");
    assert_eq!(s.broken("order  placed"), vec![Rule::R19]);
    assert_eq!(s.broken("Order Placed"), vec![Rule::R19]);
    // In another context the same name is another event.
    let s = clean()
        .frame("Shipping", 1200.0)
        .sticky(DomainEvent, "Order Placed ", 1300.0, 20.0);
    assert_eq!(s.broken("Order Placed "), vec![Rule::R6]);
}

#[test]
fn r20_an_event_not_phrased_as_something_that_happened() {
    let s = clean()
        .sticky(DomainEvent, "Ship", 440.0, 600.0)
        .arrow("Order", "Ship");
    assert_eq!(s.broken("Ship"), vec![Rule::R20]);
    let s = clean()
        .sticky(DomainEvent, "주문됨", 440.0, 600.0)
        .arrow("Order", "주문됨");
    assert!(s.broken("주문됨").is_empty());
}

#[test]
fn r21_a_command_phrased_as_an_event() {
    let s = clean()
        .sticky(Command, "Order Cancelled", 160.0, 400.0)
        .arrow("Order Cancelled", "Order");
    assert_eq!(s.broken("Order Cancelled"), vec![Rule::R21]);
}

#[test]
fn r22_a_policy_issuing_another_contexts_command_and_r23_a_cycle_of_calls() {
    let s = clean()
        .frame("Shipping", 1200.0)
        .sticky(Command, "Ship Order", 1300.0, 20.0)
        .sticky(Aggregate, "Shipment", 1440.0, 20.0)
        .sticky(DomainEvent, "Order Shipped", 1580.0, 20.0)
        .arrow("Ship Order", "Shipment")
        .arrow("Shipment", "Order Shipped")
        .fields("Shipment", &[("id", "UUID", true)])
        .arrow("When order placed reserve stock", "Ship Order");
    assert_eq!(s.broken("When order placed reserve stock"), vec![Rule::R22]);
    // Shipping calls back into Ordering synchronously: a cycle.
    let s = s.arrow("Ship Order", "Place Order");
    assert_eq!(
        s.broken("When order placed reserve stock"),
        vec![Rule::R22, Rule::R23]
    );
    assert_eq!(s.broken("Ship Order"), vec![Rule::R23]);
}

#[test]
fn r24_r25_r26_routes_of_commands() {
    let s = clean()
        .route("Place Order", HttpMethod::Post, "/orders")
        .route("Reserve Stock", HttpMethod::Post, "/orders/");
    assert_eq!(s.broken("Place Order"), vec![Rule::R24]);
    assert_eq!(s.broken("Reserve Stock"), vec![Rule::R24]);
    let s = clean()
        .fields("Place Order", &[("orderId", "UUID", false)])
        .route(
            "Place Order",
            HttpMethod::Put,
            "/orders/{orderId}/lines/{lineId}",
        );
    assert_eq!(s.broken("Place Order"), vec![Rule::R25]);
    // The handling aggregate's key names the instance: no field needed.
    let s = clean().route("Place Order", HttpMethod::Put, "/orders/{id}/confirm");
    assert_eq!(s.broken("Place Order"), vec![]);
    // A key named otherwise: `{id}` (or `{orderId}`) still names the instance, as the generated
    // handler reads it; another name does not.
    let keyed = clean().fields("Order", &[("주문번호", "UUID", true)]);
    for (path, broken) in [
        ("/orders/{id}/confirm", vec![]),
        ("/orders/{orderId}/confirm", vec![]),
        // The key by name: no R25, but not plain ASCII (R32).
        ("/orders/{주문번호}/confirm", vec![Rule::R32]),
        ("/orders/{lineId}/confirm", vec![Rule::R25]),
        ("/orders/{id}/lines/{lineId}", vec![Rule::R25]),
    ] {
        let s = keyed.clone().route("Place Order", HttpMethod::Put, path);
        assert_eq!(s.broken("Place Order"), broken, "{path}");
    }
    let s = clean().route("Place Order", HttpMethod::Get, "/orders");
    assert_eq!(s.broken("Place Order"), vec![Rule::R26]);
}

#[test]
fn r32_a_path_that_is_not_plain_ascii() {
    let s = clean().route("Place Order", HttpMethod::Post, "/결제이력s");
    assert_eq!(s.broken("Place Order"), vec![Rule::R32]);
    let problem = check(&s.board)
        .into_iter()
        .find(|p| p.rule == Rule::R32)
        .unwrap();
    assert_eq!(
        problem.words,
        vec!["/결제이력s".to_string(), "/gyeoljeiryeoks".to_string()]
    );
    assert_eq!(
        problem.message(&s.board),
        "command \"Place Order\"'s path /결제이력s is not plain ASCII: clients, gateways and logs may encode it differently; use an ASCII path such as /gyeoljeiryeoks"
    );
    let s = clean().route("Place Order", HttpMethod::Post, "/payment-history");
    assert_eq!(s.broken("Place Order"), vec![]);
}

#[test]
fn r27_an_open_hotspot() {
    let s = clean().sticky(Hotspot, "Timeout?", 20.0, 600.0);
    assert_eq!(s.broken("Timeout?"), vec![Rule::R27]);
}

#[test]
fn r28_an_example_naming_what_the_board_does_not_have_any_more() {
    use crate::model::{Example, Happened, Then};
    let mut s = clean().fields("Order Placed", &[("orderId", "UUID", false)]);
    let example = Example {
        given: vec![],
        when: Default::default(),
        then: Then::Events(vec![Happened {
            event: s.ids["Order Placed"],
            fields: [("orderId".to_string(), serde_json::json!("o-1"))].into(),
        }]),
    };
    s.board
        .apply(Op::SetExamples {
            id: s.ids["Place Order"],
            examples: vec![example],
        })
        .unwrap();
    assert!(s.broken("Place Order").is_empty());
    // The event loses the field the example gives a value to.
    let s = s.fields("Order Placed", &[("id", "UUID", false)]);
    assert_eq!(s.broken("Place Order"), vec![Rule::R28]);
}

#[test]
fn r29_a_field_nothing_fills() {
    // The policy's command needs `sku`; the trigger has `orderId` only.
    let s = clean()
        .fields(
            "Reserve Stock",
            &[("orderId", "UUID", false), ("sku", "String", false)],
        )
        .fields("Order Placed", &[("orderId", "UUID", false)]);
    assert_eq!(
        s.all(),
        vec![(Rule::R29, "When order placed reserve stock")]
    );
    let p = check(&s.board)
        .into_iter()
        .find(|p| p.rule == Rule::R29)
        .unwrap();
    assert_eq!(
        p.message(&s.board),
        "policy \"When order placed reserve stock\": nothing in event \"Order Placed\" fills field \"sku\" of command \"Reserve Stock\": map one in the properties panel"
    );
    // A read model's column that no source event fills.
    let s = clean().fields(
        "My Orders",
        &[("orderId", "UUID", true), ("status", "String", false)],
    );
    assert_eq!(s.all(), vec![(Rule::R29, "My Orders")]);
    // Filled by name (any case, `_` aside) once the event has it.
    let s = s.fields("Order Placed", &[("Status", "String", false)]);
    assert_eq!(s.all(), vec![]);
}

#[test]
fn r30_a_key_nothing_fills() {
    // The read model is keyed by `customerId`: Order Placed does not say which customer.
    let s = clean().fields("My Orders", &[("customerId", "UUID", true)]);
    assert_eq!(s.all(), vec![(Rule::R30, "My Orders")]);
    assert_eq!(Rule::R30.severity(), Severity::Warning);
    let s = s.fields("Order Placed", &[("customerId", "UUID", false)]);
    assert_eq!(s.all(), vec![]);
    // A policy's command acting on another aggregate's instance (`PUT /stock/{id}`): the
    // trigger must say which one.
    let s = Sketch::new()
        .frame("Shop", 0.0)
        .sticky(Command, "Place Order", 20.0, 20.0)
        .sticky(Aggregate, "Order", 160.0, 20.0)
        .sticky(DomainEvent, "Order Placed", 300.0, 20.0)
        .sticky(Policy, "Reserve on order", 440.0, 20.0)
        .sticky(Command, "Reserve Stock", 580.0, 20.0)
        .sticky(Aggregate, "Stock", 720.0, 20.0)
        .sticky(DomainEvent, "Stock Reserved", 860.0, 20.0)
        .arrow("Place Order", "Order")
        .arrow("Order", "Order Placed")
        .arrow("Order Placed", "Reserve on order")
        .arrow("Reserve on order", "Reserve Stock")
        .arrow("Reserve Stock", "Stock")
        .arrow("Stock", "Stock Reserved")
        .fields("Order", &[("id", "UUID", true)])
        .fields("Stock", &[("id", "UUID", true), ("sku", "String", false)])
        .route("Reserve Stock", HttpMethod::Put, "/stock/{id}/reserve");
    assert_eq!(s.all(), vec![(Rule::R30, "Reserve on order")]);
    let p = check(&s.board).into_iter().next().unwrap();
    assert_eq!(
        p.message(&s.board),
        "policy \"Reserve on order\" cannot tell which \"Stock\" command \"Reserve Stock\" acts on when event \"Order Placed\" arrives: nothing in it fills the key \"id\""
    );
    // The event names the stock (`stockId`: named after Stock's key).
    let filled = s.fields("Order Placed", &[("stockId", "UUID", false)]);
    assert_eq!(filled.all(), vec![]);
}

#[test]
fn r31_a_field_mapping_naming_what_the_board_does_not_have_any_more() {
    use crate::model::{Mapped, Source};
    let mut s = clean()
        .fields("Reserve Stock", &[("quantity", "Integer", false)])
        .fields("Order Placed", &[("count", "Integer", false)]);
    assert_eq!(s.broken("When order placed reserve stock"), vec![Rule::R29]);
    s.board
        .apply(Op::SetMapping {
            id: s.ids["When order placed reserve stock"],
            mapping: vec![Mapped {
                event: s.ids["Order Placed"],
                command: Some(s.ids["Reserve Stock"]),
                field: "quantity".into(),
                from: Source::Field("count".into()),
            }],
        })
        .unwrap();
    assert_eq!(s.all(), vec![]);
    // The event's field is renamed: the choice names what is gone.
    let s = s.fields("Order Placed", &[("amount", "Integer", false)]);
    assert_eq!(
        s.broken("When order placed reserve stock"),
        vec![Rule::R29, Rule::R31]
    );
}

/// Not a test: `cargo test --release -p squall-model --lib check_time -- --ignored
/// --nocapture` prints how long a check of the canvas benchmark's 5,000-sticky board takes
/// natively (the browser's figure is in BENCHMARKS.md).
#[test]
#[ignore]
fn check_time() {
    // The canvas benchmark's kinds: every sticky kind, frames and text notes aside.
    const KINDS: [ElementKind; 8] = {
        let all = ElementKind::ALL;
        [
            all[0], all[1], all[2], all[3], all[4], all[5], all[6], all[7],
        ]
    };
    let mut board = Board::new("Benchmark").unwrap();
    for i in 0..5000 {
        let mut e = Element::new(
            KINDS[i % 8],
            format!("Sticky {i}"),
            (i % 100) as f64 * 160.0,
            (i / 100) as f64 * 160.0,
        );
        (e.width, e.height) = (120.0, 120.0);
        board.apply(Op::CreateElement { element: e }).unwrap();
    }
    let time = |f: &dyn Fn()| {
        let mut runs: Vec<f64> = (0..21)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        runs.sort_by(f64::total_cmp);
        runs[10]
    };
    println!(
        "semantic model: {:.2} ms",
        time(&|| drop(Semantic::of(&board)))
    );
    println!(
        "check: {:.2} ms, {} problems",
        time(&|| drop(check(&board))),
        check(&board).len()
    );
    let model = Semantic::of(&board);
    type Pass = fn(&mut Checks<'_, '_>);
    let passes: [(&str, Pass); 9] = [
        ("arrows", |c| c.arrows()),
        ("elements", |c| c.elements()),
        ("commands", |c| c.commands()),
        ("events", |c| c.events()),
        ("aggregates", |c| c.aggregates()),
        ("policies", |c| c.policies_and_read_models()),
        ("names", |c| c.names()),
        ("routes", |c| c.routes()),
        ("cycles", |c| c.call_cycles()),
    ];
    for (name, pass) in passes {
        let ms = time(&|| {
            let mut c = Checks {
                model: &model,
                problems: Vec::new(),
            };
            pass(&mut c);
        });
        println!("  {name}: {ms:.2} ms");
    }
    let problems = check(&board);
    println!(
        "  sort: {:.2} ms",
        time(&|| {
            let mut p = problems.clone();
            p.reverse();
            p.sort();
        })
    );
}

#[test]
fn every_rule_speaks_korean_too() {
    let s = clean();
    let id = s.ids["Place Order"];
    for rule in Rule::ALL {
        let p = Problem {
            element: id,
            rule,
            severity: rule.severity(),
            arrow: None,
            others: vec![s.ids["Order"], s.ids["Order Placed"]],
            words: vec!["total".into(), "Money".into()],
        };
        let ko = p.message_ko(&s.board);
        assert!(
            ko.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)),
            "{rule:?}: {ko}"
        );
        assert_ne!(ko, p.message(&s.board), "{rule:?}");
        assert_eq!(p.message_in(&s.board, Language::Korean), ko);
    }
}
