//! The sample board's generated services, built with Kafka and run as processes against a real
//! broker and PostgreSQL (docs/codegen.md, "End to end"): placing an order in Ordering makes
//! Payment request the payment through Kafka, Payment's approval marks the order paid in
//! Ordering (found by `orderId`), Shipping schedules the delivery of the paid order, and
//! Shipping's read model shows it; Ordering's read model shows the order. Then Payment is
//! killed (SIGKILL) while orders stream in and started again: every order is paid and shipped
//! exactly once (its consumer group resumes, redelivered events change nothing twice).
//!
//! Needs TEST_DATABASE_URL and TEST_KAFKA_BROKERS: `make test` starts both (scripts/pg.sh,
//! scripts/kafka.sh). Never skips.

mod common;

use common::workspace_root;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The services' processes, killed when the test ends however it ends.
struct Services(Vec<(String, Child)>);

impl Drop for Services {
    fn drop(&mut self) {
        for (_, child) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Asks until `check` gives a value or `within` passes; the services' logs name what went wrong.
async fn eventually<T, F, Fut>(what: &str, within: Duration, logs: &Path, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if started.elapsed() > within {
            let mut text = String::new();
            for entry in std::fs::read_dir(logs).unwrap() {
                let path = entry.unwrap().path();
                let log = std::fs::read_to_string(&path).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(30).collect();
                text.push_str(&format!(
                    "--- {}\n{}\n",
                    path.display(),
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                ));
            }
            panic!("{what}: not within {within:?}\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sample_boards_services_work_together_through_kafka() {
    let brokers = std::env::var("TEST_KAFKA_BROKERS").expect(
        "TEST_KAFKA_BROKERS is not set: `make test` starts a broker (scripts/kafka.sh start)",
    );
    let root = workspace_root();
    let text = std::fs::read_to_string(root.join("fixtures/order-flow.board.json")).unwrap();
    let board = serde_json::from_str::<app::model::BoardDocument>(&text)
        .unwrap()
        .into_board()
        .unwrap();
    let options = squall_codegen::Options::default();
    let export = squall_codegen::export(&board, Some("rust-axum"), &options).unwrap();
    let dir = root.join("target/codegen/services");
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in &export.files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = root.join("target/codegen-target");
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--features", "kafka", "--bins"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "building the services with Kafka:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let mut services = Services(Vec::new());
    let mut base = std::collections::HashMap::new();
    let mut databases = std::collections::HashMap::new();
    let mut ports = std::collections::HashMap::new();
    // A service's process: its log is appended to, so a restart keeps what came before.
    let spawn = |name: &str, port: u16, database: &str| {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(logs.join(format!("{name}.log")))
            .unwrap();
        Command::new(target.join(format!("debug/{name}-service")))
            .env("PORT", port.to_string())
            .env("DATABASE_URL", database)
            .env("KAFKA_BROKERS", &brokers)
            .env("RUST_LOG", "info")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap()
    };
    for name in ["ordering", "payment", "shipping", "notification"] {
        let port = free_port();
        let database = common::pg_database().await;
        services
            .0
            .push((name.to_string(), spawn(name, port, &database)));
        base.insert(name, format!("http://127.0.0.1:{port}"));
        ports.insert(name, port);
        databases.insert(name, database);
    }
    let http = reqwest::Client::new();
    let up = |name: &'static str| {
        let url = format!("{}/health", base[name]);
        let (http, logs) = (http.clone(), logs.clone());
        async move {
            eventually(
                &format!("{name} is up"),
                Duration::from_secs(60),
                &logs,
                || {
                    let (http, url) = (http.clone(), url.clone());
                    async move {
                        http.get(url)
                            .send()
                            .await
                            .ok()
                            .filter(|r| r.status() == 200)
                    }
                },
            )
            .await;
        }
    };
    for name in ["ordering", "payment", "shipping", "notification"] {
        up(name).await;
    }

    // The customer places an order: Ordering answers with exactly Order Placed, carrying the new
    // order's key and the board's field names.
    let customer = uuid::Uuid::now_v7().to_string();
    let answer = http
        .post(format!("{}/orders", base["ordering"]))
        .json(&json!({ "customerId": customer, "items": [{ "sku": "A1", "qty": 2 }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let events: Vec<Value> = answer.json().await.unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["type"], "OrderPlaced.v1");
    assert_eq!(events[0]["data"]["customerId"], customer.as_str());
    let order = events[0]["data"]["orderId"].as_str().unwrap().to_string();

    // Ordering's read model has the order's row, by its key.
    let row: Value = eventually(
        "My Orders has the order",
        Duration::from_secs(30),
        &logs,
        || {
            let url = format!("{}/my-orders/{order}", base["ordering"]);
            let http = http.clone();
            async move {
                let answer = http.get(url).send().await.ok()?;
                (answer.status() == 200).then_some(())?;
                answer.json::<Value>().await.ok()
            }
        },
    )
    .await;
    assert_eq!(row["orderId"], order.as_str());

    // Payment reacted through Kafka (Request Payment → Payment Approved), Ordering marked the
    // order paid (found by the approval's orderId) and Shipping scheduled its delivery: the
    // Delivery Board shows it.
    let rows: Vec<Value> = eventually(
        "the Delivery Board shows the paid order's delivery",
        Duration::from_secs(60),
        &logs,
        || {
            let url = format!("{}/delivery-board", base["shipping"]);
            let http = http.clone();
            async move {
                let rows: Vec<Value> = http.get(url).send().await.ok()?.json().await.ok()?;
                (!rows.is_empty()).then_some(rows)
            }
        },
    )
    .await;
    assert_eq!(rows.len(), 1, "one delivery for one order: {rows:?}");
    assert!(
        rows[0]["deliveryId"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{rows:?}"
    );
    let metrics = http
        .get(format!("{}/metrics", base["payment"]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("commands_handled_total{service=\"payment\"} 1"),
        "Payment ran Request Payment once: {metrics}"
    );

    // Payment is killed (SIGKILL) and orders arrive while it is down: started again, it
    // resumes where its consumer group stopped. Then it is killed again while it works through
    // more orders: what it handled before the kill is not applied twice. Every order is paid
    // and shipped exactly once.
    let place = |n: usize| {
        let (http, url) = (http.clone(), format!("{}/orders", base["ordering"]));
        let customer = customer.clone();
        async move {
            for _ in 0..n {
                let answer = http
                    .post(&url)
                    .json(&json!({ "customerId": customer, "items": [] }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(answer.status(), 200);
            }
        }
    };
    let kill_payment = |services: &mut Services| {
        let payment = services.0.iter_mut().find(|(n, _)| n == "payment").unwrap();
        payment.1.kill().unwrap();
        payment.1.wait().unwrap();
    };
    let restart_payment = |services: &mut Services| {
        let payment = services.0.iter_mut().find(|(n, _)| n == "payment").unwrap();
        payment.1 = spawn("payment", ports["payment"], &databases["payment"]);
    };
    kill_payment(&mut services);
    place(6).await;
    restart_payment(&mut services);
    up("payment").await;
    place(6).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    kill_payment(&mut services);
    restart_payment(&mut services);
    up("payment").await;
    let more = 12;
    let deliveries = 1 + more;
    let board = format!("{}/delivery-board?size=500", base["shipping"]);
    eventually(
        &format!("{deliveries} deliveries on the Delivery Board"),
        Duration::from_secs(120),
        &logs,
        || {
            let (http, url) = (http.clone(), board.clone());
            async move {
                let rows: Vec<Value> = http.get(url).send().await.ok()?.json().await.ok()?;
                (rows.len() >= deliveries).then_some(())
            }
        },
    )
    .await;
    // Nothing arrives late, twice: the count stays.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rows: Vec<Value> = http.get(&board).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        rows.len(),
        deliveries,
        "each order shipped exactly once: {rows:?}"
    );
    let orders: Vec<Value> = http
        .get(format!("{}/my-orders?size=500", base["ordering"]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(orders.len(), deliveries, "{orders:?}");
}
