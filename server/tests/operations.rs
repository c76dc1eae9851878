//! Running Squall in production (docs/operations.md): metrics, health, limits, security
//! headers, logs, shutdown and restarts, boards that do not wait on each other's loads.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use app::model::{Element, ElementKind, Id, Op};
use app::sync::{ClientMsg, ServerMsg};
use common::ws::WsClient;
use common::{ServerProcess, TestApp};
use serde_json::json;
use server::config::{Limits, ServerConfig};
use server::store::BoardStore;

fn sticky(label: &str) -> (Id, Op) {
    let mut element = Element::new(ElementKind::DomainEvent, label, 0.0, 0.0);
    element.id = app::model::new_id();
    (element.id, Op::CreateElement { element })
}

/// The value of the sample `series` (name and labels exactly as exposed), if present.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        value.split(' ').next()?.parse().ok()
    })
}

async fn metrics(app: &TestApp) -> String {
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    res.text().await.unwrap()
}

async fn sqlite_app(config: ServerConfig) -> TestApp {
    let (store, dir) = common::sqlite_store().await;
    common::spawn_configured(store, Some(dir), config).await
}

/// Waits until `metrics` shows `series` at `want` (what a socket's end or a room's close
/// updates happens just after the client sees it).
async fn settles(app: &TestApp, series: &str, want: f64) {
    for _ in 0..100 {
        if sample(&metrics(app).await, series) == Some(want) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let text = metrics(app).await;
    panic!("{series} never became {want}:\n{text}");
}

/// O1: `/metrics` has every family, and counts what happened (exactly, where it is known).
#[tokio::test]
async fn metrics_count_requests_sockets_batches_stores_and_exports() {
    let app = sqlite_app(ServerConfig::default()).await;
    let board = app.create_board("Order flow").await;
    let (_, op) = sticky("Order placed");
    let (status, _) = app
        .post(&format!("/api/boards/{board}/ops"), json!({ "ops": [op] }))
        .await;
    assert_eq!(status, 200);
    let unknown = app::model::new_id();
    let (status, _) = app
        .post(
            &format!("/api/boards/{board}/ops"),
            json!({ "ops": [{ "type": "delete_element", "id": unknown }] }),
        )
        .await;
    assert_eq!(status, 422);
    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let (_, op) = sticky("Payment taken");
    ada.submit(vec![op]).await;
    ada.expect(|m| matches!(m, ServerMsg::Saved { .. })).await;
    let (status, _) = app
        .get(&format!(
            "/api/boards/{board}/export/preview?target=rust-axum"
        ))
        .await;
    assert_eq!(status, 200);

    let text = metrics(&app).await;
    let exact = [
        (
            r#"squall_http_requests_total{method="POST",route="/api/boards",status="201"}"#,
            1.0,
        ),
        (
            r#"squall_http_requests_total{method="POST",route="/api/boards/{id}/ops",status="200"}"#,
            1.0,
        ),
        (
            r#"squall_http_requests_total{method="POST",route="/api/boards/{id}/ops",status="422"}"#,
            1.0,
        ),
        (
            r#"squall_http_request_duration_seconds_count{method="POST",route="/api/boards/{id}/ops"}"#,
            2.0,
        ),
        ("squall_websockets_open", 1.0),
        ("squall_rooms_open", 1.0),
        ("squall_batches_applied_total", 2.0),
        (
            r#"squall_batches_rejected_total{code="unknown_element"}"#,
            1.0,
        ),
        ("squall_fanout_seconds_count", 2.0),
        ("squall_ack_seconds_count", 2.0),
        (r#"squall_store_seconds_count{op="load"}"#, 1.0),
        (r#"squall_export_seconds_count{target="rust-axum"}"#, 1.0),
    ];
    for (series, want) in exact {
        assert_eq!(sample(&text, series), Some(want), "{series} in\n{text}");
    }
    // Group commit: two batches take one or two appends.
    let appends = sample(&text, r#"squall_store_seconds_count{op="append"}"#).unwrap();
    assert!((1.0..=2.0).contains(&appends), "{text}");
    for limit in server::metrics::LIMITS {
        let series = format!(r#"squall_limited_total{{limit="{limit}"}}"#);
        assert_eq!(sample(&text, &series), Some(0.0), "{series}");
    }

    ada.close().await;
    settles(&app, "squall_websockets_open", 0.0).await;
}

/// O1: with a metrics address of its own, `/metrics` is not on the public port.
#[tokio::test]
async fn metrics_can_live_on_a_port_of_their_own() {
    let app = sqlite_app(ServerConfig {
        metrics_addr: Some("127.0.0.1:0".parse().unwrap()),
        ..ServerConfig::default()
    })
    .await;
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let metrics = server::metrics_app(&app.rooms);
    tokio::spawn(async move { axum::serve(listener, metrics).await });
    app.create_board("Counted").await;
    let text = app
        .client
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        sample(
            &text,
            r#"squall_http_requests_total{method="POST",route="/api/boards",status="201"}"#
        ),
        Some(1.0)
    );
}

/// O2: liveness does not depend on the database; readiness does, and ends with a shutdown,
/// after which no board opens and HTTP writes get a 503 to retry elsewhere.
#[tokio::test]
async fn readiness_ends_when_the_server_shuts_down() {
    let app = sqlite_app(ServerConfig::default()).await;
    let board = app.create_board("Order flow").await;
    for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.text().await.unwrap(), body);
    }
    app.rooms.shut_down().await;
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.text().await.unwrap(), "shutting down");
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);

    let (_, op) = sticky("Too late");
    let (status, body) = app
        .post(&format!("/api/boards/{board}/ops"), json!({ "ops": [op] }))
        .await;
    assert_eq!((status, body["code"].as_str()), (503, Some("unavailable")));
    let url = format!(
        "{}/api/boards/{board}/ws?key={}",
        app.base.replace("http://", "ws://"),
        app.key(&board, "edit")
    );
    let refused = tokio_tungstenite::connect_async(url).await.unwrap_err();
    assert!(refused.to_string().contains("503"), "{refused}");
}

/// O3: every limit refuses with its code and words, counts the refusal, and changes nothing.
#[tokio::test]
async fn every_limit_refuses_with_its_message_and_a_metric() {
    let app = sqlite_app(ServerConfig {
        limits: Limits {
            ops_per_second: 1,
            ops_burst: 5,
            connections_per_board: 2,
            connections_per_address: 3,
            boards_per_address_per_hour: 3,
            import_bytes: 1_000,
        },
        ..ServerConfig::default()
    })
    .await;
    let board = app.create_board("One").await;
    let other = app.create_board("Two").await;

    // Connections per board, then per address.
    let key = app.key(&board, "edit");
    let (mut ada, _) = WsClient::join(&app.base, &board, &key, "Ada").await;
    let (_bob, _) = WsClient::join(&app.base, &board, &key, "Bob").await;
    let ws = |board: &str, key: &str| {
        format!(
            "{}/api/boards/{board}/ws?key={key}",
            app.base.replace("http://", "ws://")
        )
    };
    let refused = tokio_tungstenite::connect_async(ws(&board, &key))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("429"), "{refused}");
    let other_key = app.key(&other, "edit");
    let (_cy, _) = WsClient::join(&app.base, &other, &other_key, "Cy").await;
    let res = app
        .client
        .get(ws(&other, &other_key).replace("ws://", "http://"))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "connections_per_address");
    assert_eq!(
        body["message"],
        "this address already has 3 live connections here, the most it may"
    );

    // Operations per second: a batch over the burst, then the pace.
    let big: Vec<Op> = (0..6).map(|i| sticky(&format!("E{i}")).1).collect();
    ada.submit(big).await;
    let refusal = ada.expect(|m| matches!(m, ServerMsg::Error { .. })).await;
    assert_eq!(
        refusal,
        ServerMsg::error(
            "rate_limited",
            "a batch of 6 operations is more than the 5 a connection may send at once"
        )
    );
    assert!(ada.next().await.is_none(), "the socket closes");
    let (mut ada, _) = WsClient::join(&app.base, &board, &key, "Ada").await;
    let five: Vec<Op> = (0..5).map(|i| sticky(&format!("F{i}")).1).collect();
    ada.submit(five).await;
    ada.expect(|m| matches!(m, ServerMsg::Accepted { .. }))
        .await;
    ada.submit(vec![sticky("G").1]).await;
    let refusal = ada.expect(|m| matches!(m, ServerMsg::Error { .. })).await;
    assert_eq!(
        refusal,
        ServerMsg::error(
            "rate_limited",
            "more than 1 operations per second; reconnecting"
        )
    );

    // Boards per address per hour (two created above, one more allowed).
    let (status, _) = app.post("/api/boards", json!({ "title": "Three" })).await;
    assert_eq!(status, 201);
    let (status, body) = app.post("/api/boards", json!({ "title": "Four" })).await;
    assert_eq!(status, 429);
    assert_eq!(body["code"], "boards_per_address_per_hour");
    assert_eq!(
        body["message"],
        "this address created 3 boards in the last hour, the most it may; try again later"
    );

    // Import size, for each kind of import.
    let big_sql = format!(
        "CREATE TABLE orders (id int primary key, note text DEFAULT '{}');",
        "x".repeat(2_000)
    );
    let res = app
        .client
        .post(app.url("/api/boards/import/sql"))
        .body(big_sql)
        .send()
        .await
        .unwrap();
    let (status, body) = common::split(res).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large"))
    );
    assert_eq!(
        body["message"],
        "this file is 2.0 KB; an imported file may be at most 1000 bytes"
    );
    let document = json!({ "format": "squall-board", "version": 1, "title": "x".repeat(2_000) });
    let (status, _) = app.post("/api/boards/import", document).await;
    assert_eq!(status, 413);

    let text = metrics(&app).await;
    for (limit, want) in [
        ("connections_per_board", 1.0),
        ("connections_per_address", 1.0),
        ("ops_burst", 1.0),
        ("ops_per_second", 1.0),
        ("boards_per_address_per_hour", 1.0),
        ("import_bytes", 2.0),
    ] {
        let series = format!(r#"squall_limited_total{{limit="{limit}"}}"#);
        assert_eq!(sample(&text, &series), Some(want), "{series}\n{text}");
    }
    // Nothing refused was applied: the five stickies only.
    let (_, body) = app.get(&format!("/api/boards/{board}")).await;
    assert_eq!(body["elements"].as_array().unwrap().len(), 5);
}

/// O4: pages carry a Content-Security-Policy whose nonce is the one on their inline scripts;
/// every answer keeps keys out of referrers and caches.
#[tokio::test]
async fn pages_carry_a_nonce_policy_and_answers_keep_keys_private() {
    let app = sqlite_app(ServerConfig::default()).await;
    let board = app.create_board("Order flow").await;
    let page = format!("/b/{board}?key={}", app.key(&board, "view"));
    for path in ["/", page.as_str()] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let headers = res.headers().clone();
        let policy = headers["content-security-policy"].to_str().unwrap();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce in the policy");
        assert!(nonce.len() >= 20, "{nonce}");
        assert_eq!(policy, app::content_security_policy(nonce));
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let html = res.text().await.unwrap();
        // (leptos_i18n writes an empty <script></script>, which a browser never runs, so
        // CSP never checks it.)
        let scripts: Vec<&str> = html
            .split("<script")
            .skip(1)
            .filter(|rest| !rest.starts_with("></script>"))
            .map(|rest| rest.split('>').next().unwrap())
            .collect();
        assert!(!scripts.is_empty());
        for tag in scripts {
            assert!(
                tag.contains(&format!(" nonce=\"{nonce}\"")),
                "every inline script carries the nonce: <script{tag}>"
            );
        }
    }
    let second = app.client.get(app.url("/")).send().await.unwrap();
    let first = app.client.get(app.url("/")).send().await.unwrap();
    assert_ne!(
        first.headers()["content-security-policy"],
        second.headers()["content-security-policy"],
        "a nonce per response"
    );
    let res = app
        .client
        .post(app.url("/api/boards"))
        .json(&json!({ "title": "Keys" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
}

/// O5: a request id comes back (the caller's, or a new one) and is in every JSON log line of
/// its request.
#[tokio::test]
async fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("squall.db").display());
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let server = ServerProcess::start_with(
        &db,
        &[("SQUALL_LOG_FORMAT", "json"), ("RUST_LOG", "info")],
        log,
    )
    .await;
    let client = reqwest::Client::new();
    let unknown = app::model::new_id();
    let res = client
        .get(format!("{}/api/boards/{unknown}", server.base))
        .header("x-request-id", "workshop-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["x-request-id"], "workshop-42");
    let res = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    let made = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&made).is_ok(), "{made}");
    // An id that is not a plain token is replaced, never written to the log as it came.
    let forged = "x\" level=ERROR msg=\"forged";
    let res = client
        .get(format!("{}/healthz", server.base))
        .header("x-request-id", forged)
        .send()
        .await
        .unwrap();
    let replaced = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&replaced).is_ok(), "{replaced}");

    let (status, _) = server.terminate();
    assert!(status.success(), "{status}");
    let text = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let ours: Vec<_> = lines
        .iter()
        .filter(|l| l["span"]["request_id"] == "workshop-42")
        .collect();
    assert_eq!(ours.len(), 1, "{text}");
    assert_eq!(ours[0]["status"], 404);
    assert_eq!(ours[0]["span"]["path"], format!("/api/boards/{unknown}"));
}

/// A store whose first load of one board waits until the test lets it go.
struct SlowLoads {
    inner: Arc<dyn BoardStore>,
    slow: Id,
    gate: tokio::sync::Semaphore,
}

#[async_trait::async_trait]
impl BoardStore for SlowLoads {
    async fn create_board(
        &self,
        id: Id,
        board: &app::model::Board,
        links: &[server::store::StoredLink],
    ) -> Result<(), server::store::StoreError> {
        self.inner.create_board(id, board, links).await
    }
    async fn find_link(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Id, app::access::Role)>, server::store::StoreError> {
        self.inner.find_link(token_hash).await
    }
    async fn links(
        &self,
        board: Id,
    ) -> Result<Vec<server::store::StoredLink>, server::store::StoreError> {
        self.inner.links(board).await
    }
    async fn replace_link(
        &self,
        board: Id,
        link: &server::store::StoredLink,
    ) -> Result<(), server::store::StoreError> {
        self.inner.replace_link(board, link).await
    }
    async fn load_board(
        &self,
        id: Id,
    ) -> Result<Option<server::store::StoredBoard>, server::store::StoreError> {
        if id == self.slow {
            let _ = self.gate.acquire().await.unwrap();
        }
        self.inner.load_board(id).await
    }
    async fn append(
        &self,
        id: Id,
        entries: &[app::sync::Entry],
        snapshot: Option<&server::store::StoredBoard>,
    ) -> Result<(), server::store::StoreError> {
        self.inner.append(id, entries, snapshot).await
    }
    async fn log_since(
        &self,
        id: Id,
        after_seq: i64,
    ) -> Result<Vec<app::sync::Entry>, server::store::StoreError> {
        self.inner.log_since(id, after_seq).await
    }
    async fn client_batches(
        &self,
        id: Id,
    ) -> Result<HashMap<app::sync::ClientId, u64>, server::store::StoreError> {
        self.inner.client_batches(id).await
    }
    async fn delete_board(&self, id: Id) -> Result<bool, server::store::StoreError> {
        self.inner.delete_board(id).await
    }
    async fn ping(&self) -> Result<(), server::store::StoreError> {
        self.inner.ping().await
    }
}

/// O6: a board that is slow to load holds up nobody else: another board opens, takes a batch
/// and answers while the first is still loading; then the first opens too.
#[tokio::test]
async fn a_board_loading_does_not_hold_up_the_others() {
    let (inner, dir) = common::sqlite_store().await;
    let board = app::model::Board::new("Slow").unwrap();
    let (slow, fast) = (app::model::new_id(), app::model::new_id());
    for id in [slow, fast] {
        inner.create_board(id, &board, &[]).await.unwrap();
    }
    let store = Arc::new(SlowLoads {
        inner,
        slow,
        gate: tokio::sync::Semaphore::new(0),
    });
    let rooms = server::sync::Rooms::start(store.clone(), Default::default())
        .await
        .unwrap();
    let loading = tokio::spawn({
        let rooms = rooms.clone();
        async move { rooms.submit(slow, vec![sticky("Late").1]).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let seq = tokio::time::timeout(
        Duration::from_secs(10),
        rooms.submit(fast, vec![sticky("Quick").1]),
    )
    .await
    .expect("the other board answers while the slow one loads")
    .unwrap();
    assert_eq!(seq, 1);
    assert!(!loading.is_finished());
    store.gate.add_permits(1);
    assert_eq!(loading.await.unwrap().unwrap(), 1);
    drop(dir);
}

/// O7 (docs/operations.md, "Shutdown"): a shutdown stores every batch it showed, tells their
/// authors they are saved, then asks the sockets to reconnect.
#[tokio::test]
async fn a_shutdown_stores_everything_shown_and_sends_the_sockets_away() {
    let app = common::spawn_app().await;
    let board = app.create_board("Order flow").await;
    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let mut ids = HashMap::new();
    for i in 0..2_000 {
        let (id, op) = sticky(&format!("Event {i}"));
        ids.insert(ada.submit(vec![op]).await, id);
    }
    // Some are ordered (shown), most are still on their way when the server stops.
    let mut accepted = HashMap::new();
    while accepted.len() < 50 {
        if let Some(ServerMsg::Accepted { batch, seq }) = ada.next().await {
            accepted.insert(seq, batch);
        }
    }
    app.rooms.shut_down().await;
    let mut saved = 0;
    let mut told = None;
    while let Some(msg) = ada.next().await {
        match msg {
            ServerMsg::Accepted { batch, seq } => {
                accepted.insert(seq, batch);
            }
            ServerMsg::Saved { seq } => saved = seq,
            ServerMsg::Error { code, .. } => told = Some(code),
            _ => {}
        }
    }
    assert_eq!(told.as_deref(), Some("server_restarting"));
    let shown = *accepted.keys().max().unwrap();
    assert_eq!(saved, shown, "every batch shown is reported saved");
    let stored = app
        .rooms
        .store()
        .load_board(board.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.seq, shown);
    let stored_ids: HashSet<Id> = stored.board.elements().map(|e| e.id).collect();
    for batch in accepted.values() {
        assert!(stored_ids.contains(&ids[batch]));
    }
    assert_eq!(stored_ids.len(), accepted.len());
}

/// O8: a rolling restart of two instances on PostgreSQL (each stopped with SIGTERM, as an
/// orchestrator does, and started again) loses no acknowledged batch; clients move to the other
/// instance and send what was not acknowledged again, and every batch is stored exactly once.
#[tokio::test]
async fn a_rolling_restart_on_postgresql_loses_no_acknowledged_batch() {
    let url = common::pg_database().await;
    let mut instances = vec![
        ServerProcess::start(&url).await,
        ServerProcess::start(&url).await,
    ];
    let created = common::create_board_at(&instances[0].base, "Rolling").await;
    let board = created["id"].as_str().unwrap().to_string();
    let key = created["links"]["edit"].as_str().unwrap().to_string();

    /// A writer that keeps its unacknowledged batches to send again after a reconnect.
    struct Writer {
        socket: WsClient,
        ops: HashMap<u64, Op>,
        acked: HashSet<u64>,
        ids: Vec<Id>,
    }
    let mut writers = Vec::new();
    for (i, name) in ["Ada", "Bob"].into_iter().enumerate() {
        let (socket, _) = WsClient::join(&instances[i].base, &board, &key, name).await;
        writers.push(Writer {
            socket,
            ops: HashMap::new(),
            acked: HashSet::new(),
            ids: Vec::new(),
        });
    }

    for round in 0..2 {
        // Both write; the instance of writer `round` stops in the middle of it.
        for w in &mut writers {
            for i in 0..100 {
                let (id, op) = sticky(&format!("Round {round} {i}"));
                let batch = w.socket.submit(vec![op.clone()]).await;
                w.ops.insert(batch, op);
                w.ids.push(id);
            }
        }
        let stopping = instances.remove(round);
        let (status, took) = stopping.terminate();
        assert!(status.success(), "{status}");
        assert!(took < Duration::from_secs(15), "{took:?}");
        let survivor = instances[0].base.clone();
        instances.insert(round, ServerProcess::start(&url).await);
        for (n, w) in writers.iter_mut().enumerate() {
            // Read what came until the socket closed or went quiet.
            let closed = loop {
                match tokio::time::timeout(Duration::from_millis(500), w.socket.next()).await {
                    Ok(Some(ServerMsg::Accepted { batch, .. })) => {
                        w.acked.insert(batch);
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => break true,
                    Err(_) => break false,
                }
            };
            if !closed {
                continue;
            }
            // A writer of the stopped instance reconnects to the other one and sends again
            // what was not acknowledged, under the same batch numbers.
            let mut socket = WsClient::open(&survivor, &board, &key).await;
            socket.client = w.socket.client;
            socket.hello(["Ada", "Bob"][n], None).await;
            let mut again: Vec<u64> = w
                .ops
                .keys()
                .filter(|b| !w.acked.contains(b))
                .copied()
                .collect();
            again.sort();
            for batch in again {
                socket
                    .send(&ClientMsg::Submit {
                        batch,
                        ops: vec![w.ops[&batch].clone()],
                    })
                    .await;
            }
            socket.next_batch = w.ops.keys().max().unwrap() + 1;
            w.socket = socket;
        }
    }
    // Every batch sent ends up stored once (a batch stored just before its instance stopped
    // is refused as a duplicate when sent again).
    let sent: HashSet<String> = writers
        .iter()
        .flat_map(|w| w.ids.iter().map(Id::to_string))
        .collect();
    assert_eq!(sent.len(), 400);
    let (stored, seq) = common::stored_when(&instances[1].base, &board, &key, &sent, 100).await;
    assert_eq!(stored, sent, "every batch stored, once");
    assert_eq!(seq, 400);
    // And what was acknowledged is among them (the promise the test is about).
    for w in &writers {
        for (k, id) in w.ids.iter().enumerate() {
            if w.acked.contains(&(k as u64 + 1)) {
                assert!(stored.contains(&id.to_string()));
            }
        }
    }
}

/// Joins `board` at `base` as client `client`, retrying while the board's owner cannot be
/// reached (its lease has not lapsed yet) or the server refuses for now.
async fn join_when_reachable(base: &str, board: &str, key: &str, client: uuid::Uuid) -> WsClient {
    for _ in 0..100 {
        let url = format!(
            "{}/api/boards/{board}/ws?key={key}",
            base.replace("http://", "ws://")
        );
        if tokio_tungstenite::connect_async(url).await.is_ok() {
            let mut socket = WsClient::open(base, board, key).await;
            socket.client = client;
            socket
                .send(&ClientMsg::Hello {
                    client,
                    name: "Writer".into(),
                    colour: "#3366ff".into(),
                    resume: None,
                })
                .await;
            let first = tokio::time::timeout(Duration::from_secs(5), socket.next()).await;
            if let Ok(Some(ServerMsg::Welcome { .. })) = first {
                return socket;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not join {board} at {base}");
}

/// O9 (docs/sync.md S6): the process that owns a board dies (kill -9) while people on two
/// processes write to it. The other process takes the board over when the lease lapses; the
/// clients reconnect there and send what was not acknowledged again; no acknowledged batch is
/// lost and every batch is stored once.
#[tokio::test]
async fn the_owner_of_a_board_dies_and_another_process_takes_it_over() {
    let url = common::pg_database().await;
    let env = [("SQUALL_LEASE_SECONDS", "1")];
    let inherit = || std::process::Stdio::inherit();
    let owner = ServerProcess::start_with(&url, &env, inherit()).await;
    let other = ServerProcess::start_with(&url, &env, inherit()).await;
    let created = common::create_board_at(&owner.base, "Failover").await;
    let board = created["id"].as_str().unwrap().to_string();
    let key = created["links"]["edit"].as_str().unwrap().to_string();
    // Ada opens the board first, so her process owns it; Bob's process forwards him there.
    let (ada, _) = WsClient::join(&owner.base, &board, &key, "Ada").await;
    let (bob, _) = WsClient::join(&other.base, &board, &key, "Bob").await;

    struct Writer {
        socket: WsClient,
        ops: Vec<(Id, Op)>,
        seq_of: HashMap<u64, i64>,
        saved: i64,
    }
    let mut writers = vec![
        Writer {
            socket: ada,
            ops: Vec::new(),
            seq_of: HashMap::new(),
            saved: 0,
        },
        Writer {
            socket: bob,
            ops: Vec::new(),
            seq_of: HashMap::new(),
            saved: 0,
        },
    ];
    for w in &mut writers {
        for i in 0..300 {
            let (id, op) = sticky(&format!("Event {i}"));
            w.socket.submit(vec![op.clone()]).await;
            w.ops.push((id, op));
        }
    }
    // Some of each writer's batches are acknowledged before the owner dies.
    for w in &mut writers {
        while w.saved < 20 {
            match w.socket.next().await.unwrap() {
                ServerMsg::Accepted { batch, seq } => {
                    w.seq_of.insert(batch, seq);
                }
                ServerMsg::Saved { seq } => w.saved = seq,
                _ => {}
            }
        }
    }
    owner.kill();
    for w in &mut writers {
        // What arrived before the sockets closed.
        while let Ok(Some(msg)) =
            tokio::time::timeout(Duration::from_secs(3), w.socket.next()).await
        {
            match msg {
                ServerMsg::Accepted { batch, seq } => {
                    w.seq_of.insert(batch, seq);
                }
                ServerMsg::Saved { seq } => w.saved = w.saved.max(seq),
                _ => {}
            }
        }
    }
    let acknowledged: Vec<Id> = writers
        .iter()
        .flat_map(|w| {
            w.ops.iter().enumerate().filter_map(|(k, (id, _))| {
                let seq = w.seq_of.get(&(k as u64 + 1))?;
                (*seq <= w.saved).then_some(*id)
            })
        })
        .collect();
    assert!(acknowledged.len() >= 40, "{}", acknowledged.len());

    // Both reconnect to the surviving process, which takes the board over once the lease
    // lapses, and send again everything not acknowledged, under the same numbers.
    for w in &mut writers {
        let client = w.socket.client;
        let mut socket = join_when_reachable(&other.base, &board, &key, client).await;
        for (k, (_, op)) in w.ops.iter().enumerate() {
            let batch = k as u64 + 1;
            let acked = w.seq_of.get(&batch).is_some_and(|seq| *seq <= w.saved);
            if !acked {
                socket
                    .send(&ClientMsg::Submit {
                        batch,
                        ops: vec![op.clone()],
                    })
                    .await;
            }
        }
        w.socket = socket;
    }
    let sent: HashSet<String> = writers
        .iter()
        .flat_map(|w| w.ops.iter().map(|(id, _)| id.to_string()))
        .collect();
    let (stored, seq) = common::stored_when(&other.base, &board, &key, &sent, 150).await;
    for id in &acknowledged {
        assert!(stored.contains(&id.to_string()), "acknowledged batch lost");
    }
    assert_eq!(stored, sent, "every batch stored, once");
    assert_eq!(seq, 600);
}
