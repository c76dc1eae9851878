//! Generated code must compile: the rust-axum workspaces for a realistic two-context board, the
//! sample board, a board made of every hostile label and a Korean board are written to disk,
//! built and tested with `cargo test` (their repositories against the PostgreSQL of
//! `TEST_DATABASE_URL`), starting from the lockfile this test suite already resolved (only the
//! Kafka client, behind a feature, comes from crates.io on top). The ecosystems' own validators
//! check the Kubernetes, OpenAPI, AsyncAPI, Dockerfile, CI and compose files.

mod common;

use common::workspace_root;

use std::path::{Path, PathBuf};
use std::process::Command;

use app::model::{Board, Connection, Element, ElementKind, Field, Op, Patch, new_id};
use squall_codegen::model::ServiceModel;
use squall_codegen::names::Identifiers;
use squall_codegen::rust::generate;

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

/// A Korean team's board: two contexts, a cross-context policy and a synchronous call.
fn korean() -> Board {
    let mut s = Sketch(Board::new("주문 흐름").unwrap());
    s.add(ElementKind::BoundedContext, "주문", 0.0, 0.0);
    s.add(ElementKind::BoundedContext, "결제", 5_000.0, 0.0);
    let place = s.add(ElementKind::Command, "주문하기", 100.0, 100.0);
    s.fields(
        place,
        &[("고객번호", "UUID", false), ("금액", "Money", false)],
    );
    let order = s.add(ElementKind::Aggregate, "주문서", 400.0, 100.0);
    s.fields(
        order,
        &[("주문번호", "UUID", true), ("금액", "Money", false)],
    );
    let placed = s.add(ElementKind::DomainEvent, "주문됨", 700.0, 100.0);
    s.fields(
        placed,
        &[("고객번호", "UUID", false), ("금액", "Money", false)],
    );
    let history = s.add(ElementKind::ReadModel, "결제이력", 1_000.0, 100.0);
    s.fields(history, &[("금액", "Money", false)]);
    let on_order = s.add(ElementKind::Policy, "주문되면 결제", 5_100.0, 100.0);
    let pay = s.add(ElementKind::Command, "결제하기", 5_400.0, 100.0);
    s.fields(pay, &[("금액", "Money", false)]);
    let payment = s.add(ElementKind::Aggregate, "결제", 5_700.0, 100.0);
    let paid = s.add(ElementKind::DomainEvent, "결제됨", 6_000.0, 100.0);
    let refund = s.add(ElementKind::Command, "1차 환불", 100.0, 400.0);
    // A card company the payment calls, which later reports the settlement (a webhook).
    let card = s.add(ElementKind::ExternalSystem, "카드사", 5_400.0, 400.0);
    let settled = s.add(ElementKind::DomainEvent, "정산됨", 5_700.0, 400.0);
    s.fields(settled, &[("금액", "Money", false)]);
    for (a, b) in [
        (pay, card),
        (card, settled),
        (place, order),
        (order, placed),
        (placed, history),
        (placed, on_order),
        (on_order, pay),
        (pay, payment),
        (payment, paid),
        (refund, order),
        (refund, pay),
    ] {
        s.arrow(a, b);
    }
    s.0
}

#[test]
fn a_korean_board_keeps_its_words_in_code_and_ascii_everywhere_else() {
    let board = korean();
    let model = ServiceModel::from_board_with(&board, Identifiers::Native);
    let files = generate(board.title(), &model, None).unwrap();
    for path in files.keys() {
        assert!(path.is_ascii(), "file names stay ASCII: {path}");
    }
    let (ordering, payment) = (
        model.services[0].name.dns.as_str(),
        model.services[1].name.dns.as_str(),
    );
    assert_eq!((ordering, payment), ("jumun", "gyeolje"));
    let domain = &files["services/jumun/src/domain.rs"];
    assert!(domain.contains("pub struct 주문됨 {"), "{domain}");
    assert!(domain.contains("pub 고객번호: uuid::Uuid,"));
    assert!(
        domain.contains("#[serde(rename = \"Jumundoem.v1\")]"),
        "wire names stay ASCII"
    );
    assert!(domain.contains("pub fn handle_주문하기("));
    assert!(files["services/jumun/migrations/0001_aggregates.sql"].contains("\"jumunseo\""));
    assert!(files["services/jumun/src/client.rs"].contains("pub async fn call_gyeolje_결제하기("));
    assert!(files["deploy/k8s/jumun.yaml"].contains("name: jumun\n"));
    let ascii = generate(board.title(), &ServiceModel::from_board(&board), None).unwrap();
    assert!(ascii["services/jumun/src/domain.rs"].contains("pub struct Jumundoem {"));

    let dir = write_workspace_with("korean", &board, Identifiers::Native);
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    cargo(&dir, &["test", "--quiet"]);
    validate_dir(&dir);
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

/// Writes the generated files under target/codegen/<name>.
fn write_workspace(name: &str, board: &Board) -> PathBuf {
    write_workspace_with(name, board, Identifiers::Ascii)
}

fn write_workspace_with(name: &str, board: &Board, identifiers: Identifiers) -> PathBuf {
    let model = ServiceModel::from_board_with(board, identifiers);
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
    dir
}

/// Runs cargo in a generated workspace, failing the test with cargo's output.
fn cargo(dir: &Path, args: &[&str]) {
    let root = workspace_root();
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root.join("target/codegen-target"))
        // Generated code must not even warn.
        .env("RUSTFLAGS", "-D warnings")
        // The generated repositories' tests run against this PostgreSQL (a schema each).
        .env(
            "TEST_DATABASE_URL",
            std::env::var("TEST_DATABASE_URL").expect(
                "TEST_DATABASE_URL is not set: `make test` starts a throwaway PostgreSQL and sets it",
            ),
        )
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "`cargo {}` fails in the generated {} workspace:\n{}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes the workspace and runs `cargo test` there (`--all-features` adds the Kafka client).
fn build_and_test(name: &str, board: &Board, all_features: bool) {
    let dir = write_workspace(name, board);
    // The versions this repository already resolved and downloaded.
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    cargo(&dir, &["test", "--quiet"]);
    if all_features {
        cargo(
            &dir,
            &["check", "--quiet", "--all-features", "--all-targets"],
        );
    }
}

/// A validator installed by `make test` (`make validators`) into .venv or end2end/node_modules.
fn tool(path: &str) -> PathBuf {
    let tool = workspace_root().join(path);
    assert!(
        tool.exists(),
        "{} is missing: run `make validators` (part of `make test`)",
        tool.display()
    );
    tool
}

fn run_tool(dir: &Path, program: &Path, args: &[String]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} refuses the files generated in {}:\n{}\n{}",
        program.display(),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn files_matching(dir: &Path, sub: &str, suffix: &str) -> Vec<String> {
    let mut found: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .filter(|p| p.starts_with(sub) && p.ends_with(suffix))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no {sub}*{suffix} in {}", dir.display());
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every Kubernetes object name is a DNS-1123 label (Services need it; we hold all to it).
const DNS_CHECK: &str = r#"
import re, sys, yaml
names = [(f, d["kind"], d["metadata"]["name"]) for f in sys.argv[1:]
         for d in yaml.safe_load_all(open(f)) if d]
bad = [n for n in names if not re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", n[2])]
print(f"{len(names)} objects, not DNS-1123 labels: {bad}")
sys.exit(1 if bad or not names else 0)
"#;

fn validate(name: &str, board: &Board) {
    validate_dir(&write_workspace(&format!("validate-{name}"), board));
}

/// Runs every validator on a generated workspace.
fn validate_dir(dir: &Path) {
    let dir = dir.to_path_buf();
    let k8s = files_matching(&dir, "deploy/k8s/", ".yaml");
    let service_k8s: Vec<String> = k8s
        .iter()
        .filter(|f| !f.ends_with("/gateway.yaml"))
        .cloned()
        .collect();
    let args = |first: &[&str], files: &[String]| -> Vec<String> {
        first
            .iter()
            .map(|s| s.to_string())
            .chain(files.iter().cloned())
            .collect()
    };
    // Deployments, Services, HPAs against the Kubernetes schemas; the Gateway API objects are
    // CRDs the validator has no schema for, so they get the name check only.
    run_tool(
        &dir,
        &tool(".venv/bin/kubernetes-validate"),
        &args(&["--strict", "--quiet"], &service_k8s),
    );
    run_tool(
        &dir,
        &tool(".venv/bin/python"),
        &args(&["-c", DNS_CHECK], &k8s),
    );
    run_tool(
        &dir,
        &tool(".venv/bin/openapi-spec-validator"),
        &files_matching(&dir, "services/", "/openapi.yaml"),
    );
    run_tool(
        &dir,
        Path::new("node"),
        &args(
            &[tool("end2end/tools/asyncapi-validate.mjs")
                .to_str()
                .unwrap()],
            &files_matching(&dir, "services/", "/asyncapi.yaml"),
        ),
    );
    run_tool(
        &dir,
        &tool(".venv/bin/hadolint"),
        &args(
            &["--failure-threshold", "warning"],
            &files_matching(&dir, "services/", "/Dockerfile")
                .into_iter()
                // The spring-boot project's gateway module has one too.
                .chain(
                    dir.join("gateway/Dockerfile")
                        .exists()
                        .then(|| "gateway/Dockerfile".into()),
                )
                .collect::<Vec<_>>(),
        ),
    );
    run_tool(
        &dir,
        &tool(".venv/bin/check-jsonschema"),
        &args(
            &["--builtin-schema", "vendor.github-workflows"],
            &[".github/workflows/ci.yml".into()],
        ),
    );
    run_tool(
        &dir,
        &tool(".venv/bin/check-jsonschema"),
        &args(
            &["--builtin-schema", "vendor.compose-spec"],
            &["docker-compose.yml".into()],
        ),
    );
}

#[test]
fn the_sample_boards_files_pass_the_ecosystems_validators() {
    validate("sample", &sample());
}

#[test]
fn the_hostile_boards_files_pass_the_ecosystems_validators() {
    validate("hostile", &hostile());
}

#[test]
fn the_order_flow_generates_a_workspace_that_builds_and_passes_its_tests() {
    let board = order_flow();
    let files = generate(board.title(), &ServiceModel::from_board(&board), None).unwrap();
    let services: std::collections::BTreeSet<&str> = files
        .keys()
        .filter_map(|p| p.strip_prefix("services/")?.split('/').next())
        .collect();
    assert_eq!(
        services.into_iter().collect::<Vec<_>>(),
        ["ordering", "payment"]
    );
    for service in ["ordering", "payment"] {
        for file in [
            "Cargo.toml",
            "Dockerfile",
            "README.md",
            "asyncapi.yaml",
            "openapi.yaml",
            "migrations/0001_aggregates.sql",
            "src/client.rs",
            "src/domain.rs",
            "src/main.rs",
            "src/messaging.rs",
            "src/repository.rs",
        ] {
            assert!(
                files.contains_key(&format!("services/{service}/{file}")),
                "{service}/{file}"
            );
        }
        assert!(files.contains_key(&format!("deploy/k8s/{service}.yaml")));
    }
    for file in [
        "Cargo.toml",
        "README.md",
        "docker-compose.yml",
        ".github/workflows/ci.yml",
        "deploy/k8s/gateway.yaml",
        "deploy/nginx.conf",
        "deploy/prometheus.yml",
    ] {
        assert!(files.contains_key(file), "{file}");
    }
    let domain = &files["services/ordering/src/domain.rs"];
    assert!(domain.contains("pub struct PlaceOrder"));
    assert!(domain.contains("#[serde(rename = \"OrderPlaced.v1\")]"));
    assert!(domain.contains("Event::OrderPlaced(_) => \"ordering-order\""));
    assert!(
        files["services/ordering/src/main.rs"]
            .contains(".route(\"/place-order\", axum::routing::post(handle_place_order))")
    );
    build_and_test("order-flow", &board, false);
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
    // The sample board shows a clean model: no errors (docs/model-rules.md), only what a team
    // leaves open on purpose.
    let problems: Vec<String> = model
        .problems
        .iter()
        .map(|p| {
            format!(
                "{} {}: {}",
                p.rule.id(),
                p.severity.as_str(),
                p.message(&board)
            )
        })
        .collect();
    insta::assert_debug_snapshot!("sample_board_problems", problems);
    assert!(
        !model
            .problems
            .iter()
            .any(|p| p.severity == app::semantic::rules::Severity::Error),
        "{problems:#?}"
    );
}

#[test]
fn the_sample_board_generates_a_workspace_that_builds() {
    build_and_test("sample", &sample(), true);
}

#[test]
fn a_board_of_hostile_labels_generates_code_that_builds() {
    build_and_test("hostile", &hostile(), false);
}

#[test]
fn templates_can_be_overridden_from_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    // Named as under server/codegen/templates: the target's folder, then the template.
    std::fs::create_dir_all(dir.path().join("rust-axum")).unwrap();
    std::fs::write(
        dir.path().join("rust-axum/README.md.j2"),
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
    assert!(String::from_utf8_lossy(&run.stdout).contains("wrote 37 files"));
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
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("invalid value 'cobol' for '--target"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    // A mistyped flag is refused, not ignored.
    let typo = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["export", "--file"])
        .arg(&file)
        .arg("--ouput")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!typo.status.success());
    assert!(String::from_utf8_lossy(&typo.stderr).contains("unexpected argument '--ouput'"));
    let help = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["export", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    for flag in [
        "--target",
        "--board",
        "--file",
        "--out",
        "--templates",
        "--identifiers",
    ] {
        assert!(
            String::from_utf8_lossy(&help.stdout).contains(flag),
            "{flag}"
        );
    }
}

// The spring-boot target: the same boards as a Maven project, built and tested with the real
// Maven (`mvn -B verify`: JUnit tests from the examples, exact events per command, and per
// service a `@SpringBootTest` against H2 and an embedded Kafka broker). Dependencies come from
// Maven Central into the local repository every run shares (~/.m2/repository).

/// Writes the spring-boot project for `board` under target/codegen/java-<name>.
fn write_java(name: &str, board: &Board, identifiers: Identifiers) -> PathBuf {
    let model = ServiceModel::from_board_with(board, identifiers);
    let files = squall_codegen::java::generate(board.title(), &model, None).unwrap();
    assert_eq!(
        files,
        squall_codegen::java::generate(board.title(), &model, None).unwrap(),
        "deterministic"
    );
    let dir = workspace_root()
        .join("target/codegen")
        .join(format!("java-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in &files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Runs `mvn -B verify` in a generated project, failing the test with Maven's output. Maven
/// builds run one at a time (2 cores): a lock file serializes the tests that call this.
fn mvn_verify(dir: &Path) {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let out = Command::new("mvn")
        .args(["-B", "-q", "-Dstyle.color=never", "verify"])
        .current_dir(dir)
        .output()
        .expect("run mvn (Maven is on the machine: README, `make test`)");
    assert!(
        out.status.success(),
        "`mvn verify` fails in the generated {} project:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_sample_board_generates_these_spring_boot_files() {
    let board = sample();
    let model = ServiceModel::from_board(&board);
    let files = squall_codegen::java::generate(board.title(), &model, None).unwrap();
    for (path, content) in &files {
        insta::assert_snapshot!(format!("java__{}", path.replace('/', "__")), content);
    }
    let aggregates =
        &files["services/ordering/src/main/java/com/example/ordering/domain/Aggregates.java"];
    // Place Order results in Order Placed only, carrying the new order's key.
    assert!(
        aggregates.contains("case ORDER_PLACED -> java.util.List.of(new Events.OrderPlaced(key, "),
        "{aggregates}"
    );
    assert!(!aggregates.contains("ORDER_CANCELLED -> java.util.List.of(new Events.OrderPlaced"));
    let payment =
        &files["services/payment/src/main/java/com/example/payment/domain/Aggregates.java"];
    assert!(payment.contains("public enum RequestPaymentOutcome {\n            PAYMENT_APPROVED, PAYMENT_DECLINED\n        }"), "{payment}");
}

#[test]
fn the_sample_board_generates_a_spring_boot_project_that_builds_and_passes_its_tests() {
    let dir = write_java("sample", &sample(), Identifiers::Ascii);
    mvn_verify(&dir);
    validate_dir(&dir);
}

#[test]
fn a_korean_board_generates_a_spring_boot_project_that_builds() {
    let board = korean();
    let dir = write_java("korean", &board, Identifiers::Native);
    let files = squall_codegen::java::generate(
        board.title(),
        &ServiceModel::from_board_with(&board, Identifiers::Native),
        None,
    )
    .unwrap();
    let domain = files
        .iter()
        .find(|(p, _)| p.ends_with("/jumun/domain/Events.java"))
        .map(|(_, c)| c)
        .unwrap();
    assert!(domain.contains("public record 주문됨("), "{domain}");
    assert!(
        domain.contains("@JsonProperty(\"\\uace0\\uac1d\\ubc88\\ud638\") java.util.UUID 고객번호"),
        "{domain}"
    );
    mvn_verify(&dir);
    validate_dir(&dir);
}

#[test]
fn a_board_of_hostile_labels_generates_a_spring_boot_project_that_builds() {
    let dir = write_java("hostile", &hostile(), Identifiers::Ascii);
    mvn_verify(&dir);
    validate_dir(&dir);
}

// The assessment's exports (docs/assessment.md): the context map as Mermaid and CML, the design
// document. Mermaid is rendered by Mermaid itself in the browser tests (end2end/tests/assess).

fn render_one(target: &str, board: &Board) -> String {
    let export =
        squall_codegen::export(board, Some(target), &squall_codegen::Options::default()).unwrap();
    assert_eq!(export.files.len(), 1, "{target} is one file");
    export.files.into_values().next().unwrap()
}

#[test]
fn the_sample_board_exports_its_context_map_and_design_document() {
    let board = sample();
    for target in ["context-map-mermaid", "context-map-cml", "design-doc"] {
        insta::assert_snapshot!(format!("design__{target}"), render_one(target, &board));
    }
    let doc = render_one("design-doc", &board);
    // Per context: API, events with fields, read models, data owned, hotspots; then the map, the
    // metrics, the cut and the plan.
    assert!(doc.contains("| Place Order | POST | `/orders` |"), "{doc}");
    assert!(doc.contains("| Order Placed | orderId: UUID, customerId: UUID, total: Money | yes |"));
    assert!(doc.contains("| My Orders |"));
    assert!(doc.contains("- Can a paid order still be cancelled?"));
    assert!(doc.contains("```mermaid\n%% Context map of"));
    assert!(doc.contains("| Ordering | 2 | 2 | 0.50 | 0 | 3 | 2 |"));
    assert!(doc.contains("The board's frames are the suggested cut"));
    assert!(doc.contains("### Wave 1\n\n- **Notification**: no other part depends on it."));
}

#[test]
fn hostile_labels_stay_text_in_the_design_document_and_the_context_maps() {
    let board = hostile();
    let doc = render_one("design-doc", &board);
    assert!(!doc.contains("<script"), "HTML is escaped");
    let mermaid = render_one("context-map-mermaid", &board);
    for line in mermaid.lines().filter(|l| l.contains("[\"")) {
        let label = line.split_once("[\"").unwrap().1.trim_end_matches("\"]");
        assert!(!label.contains('"'), "a quote ends a Mermaid label: {line}");
    }
}

/// The classpath of Context Mapper's DSL library (scripts/cml/pom.xml), resolved once by Maven.
fn cml_classpath() -> String {
    let root = workspace_root();
    let out_file = root.join("target/cml/classpath.txt");
    if !out_file.exists() {
        let out = Command::new("mvn")
            .args([
                "-B",
                "-q",
                "-f",
                "scripts/cml/pom.xml",
                "dependency:build-classpath",
            ])
            .arg(format!("-Dmdep.outputFile={}", out_file.display()))
            .current_dir(&root)
            .output()
            .expect("run mvn (Maven is on the machine: README, `make test`)");
        assert!(
            out.status.success(),
            "resolving context-mapper-dsl:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    std::fs::read_to_string(out_file).unwrap()
}

#[test]
fn context_maps_in_cml_are_parsed_without_errors_by_context_mappers_own_library() {
    let dir = workspace_root().join("target/codegen/cml");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (name, board) in [
        ("sample", sample()),
        ("two-contexts", order_flow()),
        ("hostile", hostile()),
        ("korean", korean()),
        ("empty", Board::new("Empty").unwrap()),
    ] {
        let path = dir.join(format!("{name}.cml"));
        std::fs::write(&path, render_one("context-map-cml", &board)).unwrap();
        paths.push(path.display().to_string());
    }
    let out = Command::new("java")
        // Context Mapper's Guice defines classes by reflection (Java 17 needs this opened).
        .args([
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "-cp",
            &cml_classpath(),
        ])
        .arg(workspace_root().join("scripts/cml/CmlCheck.java"))
        .args(&paths)
        .output()
        .expect("run java");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Context Mapper refuses the CML:\n{stdout}"
    );
    assert!(stdout.contains("CML ok: 5 files"), "{stdout}");
}
