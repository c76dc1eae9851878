//! Generated code must compile: the rust-axum workspace for a realistic two-context board and
//! for a board made of every hostile label is written to disk and built and tested with
//! `cargo test --offline` against the lockfile this test suite already resolved.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use app::model::{Board, Connection, Element, ElementKind, Field, Op, Patch, new_id};
use server::codegen::model::ServiceModel;
use server::codegen::rust::generate;

struct Sketch(Board);

impl Sketch {
    fn add(&mut self, kind: ElementKind, label: &str, x: f64, y: f64) -> uuid::Uuid {
        let mut element = Element::new(kind, label, x, y);
        if kind == ElementKind::BoundedContext {
            (element.width, element.height) = (3_000.0, 100_000.0);
        }
        let id = element.id;
        self.0.apply(Op::CreateElement { element }).unwrap();
        id
    }

    fn fields(&mut self, id: uuid::Uuid, fields: &[(&str, &str, bool)]) {
        let fields = fields
            .iter()
            .map(|(name, ty, key)| Field {
                name: name.to_string(),
                ty: ty.parse().unwrap(),
                key: *key,
            })
            .collect();
        self.0
            .apply(Op::update(
                id,
                Patch {
                    fields: Some(fields),
                    ..Default::default()
                },
            ))
            .unwrap();
    }

    fn arrow(&mut self, from: uuid::Uuid, to: uuid::Uuid) {
        let connection = Connection {
            id: new_id(),
            from,
            to,
        };
        self.0.apply(Op::Connect { connection }).unwrap();
    }
}

/// Two contexts with commands, aggregates, events, a cross-context policy, a read model and
/// every field type.
fn order_flow() -> Board {
    let mut s = Sketch(Board::new("Order flow").unwrap());
    s.add(ElementKind::BoundedContext, "Ordering", 0.0, 0.0);
    s.add(ElementKind::BoundedContext, "Payment", 5_000.0, 0.0);
    let place = s.add(ElementKind::Command, "Place order", 100.0, 100.0);
    s.fields(
        place,
        &[
            ("customerId", "UUID", false),
            ("items", "List<String>", false),
            ("total", "Money", false),
        ],
    );
    let order = s.add(ElementKind::Aggregate, "Order", 400.0, 100.0);
    s.fields(
        order,
        &[
            ("id", "UUID", true),
            ("total", "Money", false),
            ("status", "enum(Open, Paid)", false),
            ("placedAt", "DateTime", false),
        ],
    );
    let placed = s.add(ElementKind::DomainEvent, "Order placed", 700.0, 100.0);
    s.fields(
        placed,
        &[
            ("customerId", "UUID", false),
            ("total", "Money", false),
            ("address", "Address", false),
        ],
    );
    let history = s.add(ElementKind::ReadModel, "Order history", 1_000.0, 100.0);
    s.fields(
        history,
        &[
            ("total", "Money", false),
            ("count", "Integer", false),
            ("ratio", "Double", false),
            ("open", "Boolean", false),
            ("day", "Date", false),
            ("big", "Long", false),
        ],
    );
    let charge_on_order = s.add(ElementKind::Policy, "Charge on order", 5_100.0, 100.0);
    let charge = s.add(ElementKind::Command, "Charge card", 5_400.0, 100.0);
    let payment = s.add(ElementKind::Aggregate, "Payment", 5_700.0, 100.0);
    let received = s.add(ElementKind::DomainEvent, "Payment received", 6_000.0, 100.0);
    let ship_when_paid = s.add(ElementKind::Policy, "Ship when paid", 100.0, 400.0);
    let ship = s.add(ElementKind::Command, "Ship order", 400.0, 400.0);
    for (a, b) in [
        (place, order),
        (order, placed),
        (placed, history),
        (placed, charge_on_order),
        (charge_on_order, charge),
        (charge, payment),
        (payment, received),
        (received, ship_when_paid),
        (ship_when_paid, ship),
        (ship, order),
    ] {
        s.arrow(a, b);
    }
    s.0
}

/// Every hostile label as a context, an aggregate, a command and an event, and as field names.
fn hostile() -> Board {
    let labels = common::hostile_labels();
    let mut s = Sketch(Board::new("Hostile").unwrap());
    s.add(ElementKind::BoundedContext, &labels[0], 0.0, 0.0);
    let fields: Vec<(&str, &str, bool)> = labels
        .iter()
        .filter(|l| !l.trim().is_empty() && l.chars().count() <= 200)
        .map(|l| (l.as_str(), "String", false))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for (i, label) in labels.iter().enumerate() {
        let y = i as f64 * 200.0;
        let aggregate = s.add(ElementKind::Aggregate, label, 100.0, y);
        let command = s.add(ElementKind::Command, label, 400.0, y);
        let event = s.add(ElementKind::DomainEvent, label, 700.0, y);
        s.fields(command, &fields);
        s.fields(event, &fields);
        s.arrow(command, aggregate);
        s.arrow(aggregate, event);
    }
    s.0
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Writes the generated files under target/codegen/<name> and runs `cargo test` there.
fn build_and_test(name: &str, board: &Board) {
    let model = ServiceModel::from_board(board);
    let files = generate(board.title(), &model, None).unwrap();
    assert_eq!(
        files,
        generate(board.title(), &model, None).unwrap(),
        "deterministic"
    );
    let root = workspace_root();
    let dir = root.join("target/codegen").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in &files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    // The versions this repository already resolved and downloaded: no network needed.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root.join("target/codegen-target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "the generated {name} workspace does not build or pass its tests:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_order_flow_generates_a_workspace_that_builds_and_passes_its_tests() {
    let board = order_flow();
    let files = generate(board.title(), &ServiceModel::from_board(&board), None).unwrap();
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "Cargo.toml",
            "README.md",
            "services/ordering/Cargo.toml",
            "services/ordering/src/domain.rs",
            "services/ordering/src/main.rs",
            "services/payment/Cargo.toml",
            "services/payment/src/domain.rs",
            "services/payment/src/main.rs",
        ]
    );
    let domain = &files["services/ordering/src/domain.rs"];
    assert!(domain.contains("pub struct PlaceOrder"));
    assert!(domain.contains("#[serde(rename = \"OrderPlaced.v1\")]"));
    assert!(domain.contains("Event::OrderPlaced(_) => \"ordering-order-placed\""));
    assert!(
        files["services/ordering/src/main.rs"]
            .contains(".route(\"/place-order\", post(handle_place_order))")
    );
    build_and_test("order-flow", &board);
}

/// The sample board (fixtures/order-flow.yaml, as fixtures/order-flow.board.json).
fn sample() -> Board {
    let text = include_str!("../../fixtures/order-flow.board.json");
    serde_json::from_str::<app::model::BoardDocument>(text)
        .unwrap()
        .into_board()
        .unwrap()
}

#[test]
fn the_sample_board_generates_these_files() {
    let board = sample();
    let model = ServiceModel::from_board(&board);
    assert_eq!(model.services.len(), 4, "one service per bounded context");
    let files = generate(board.title(), &model, None).unwrap();
    // One snapshot per file (server/tests/snapshots); review changes with `cargo insta review`.
    for (path, content) in &files {
        insta::assert_snapshot!(path.replace('/', "__"), content);
    }
    let problems: Vec<&str> = model.problems.iter().map(|p| p.message.as_str()).collect();
    insta::assert_debug_snapshot!("sample_board_problems", problems);
}

#[test]
fn the_sample_board_generates_a_workspace_that_builds() {
    build_and_test("sample", &sample());
}

#[test]
fn a_board_of_hostile_labels_generates_code_that_builds() {
    build_and_test("hostile", &hostile());
}

#[test]
fn templates_can_be_overridden_from_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md.j2"),
        "# {{ board_title_md }} (our template)\n",
    )
    .unwrap();
    let board = order_flow();
    let files = generate(
        board.title(),
        &ServiceModel::from_board(&board),
        Some(dir.path()),
    )
    .unwrap();
    assert_eq!(files["README.md"], "# Order flow (our template)\n");
    assert!(
        files["Cargo.toml"].contains("[workspace]"),
        "the others stay"
    );
}

#[test]
fn the_server_binary_exports_a_board_document_to_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("board.squall.json");
    let document = app::model::BoardDocument::new(order_flow());
    std::fs::write(&file, serde_json::to_string(&document).unwrap()).unwrap();
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["export", "--target", "rust-axum", "--file"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("wrote 8 files"));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("has no key field"),
        "problems are reported"
    );
    let domain = std::fs::read_to_string(out.join("services/payment/src/domain.rs")).unwrap();
    assert!(domain.contains("pub struct ChargeCard"));
    let bad = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["export", "--target", "cobol", "--file"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown target"));
}
