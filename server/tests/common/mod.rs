//! What the integration tests share: fresh databases and a real server on port 0.
#![allow(dead_code)]

pub mod ws;

use std::sync::Arc;

use leptos::config::LeptosOptions;
use server::store::{BoardStore, PgStore, SqliteStore};
use sqlx::Connection;

/// A SQLite store in a fresh temporary file, removed when the returned guard drops.
pub async fn sqlite_store() -> (Arc<dyn BoardStore>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("squall.db").display());
    let store = SqliteStore::connect(&url).await.expect("open SQLite");
    (Arc::new(store), dir)
}

/// A PostgreSQL store in a fresh database on the server `TEST_DATABASE_URL` names.
/// Never skips: without a server the test fails and says how to get one.
pub async fn pg_store() -> Arc<dyn BoardStore> {
    let url = pg_database().await;
    Arc::new(PgStore::connect(&url).await.expect("open PostgreSQL"))
}

/// A fresh, empty database on the server `TEST_DATABASE_URL` names; returns its URL.
pub async fn pg_database() -> String {
    let admin_url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "TEST_DATABASE_URL is not set. `make test` starts a throwaway PostgreSQL and sets it; \
             or point it at a server where this user may CREATE DATABASE."
        )
    });
    let name = format!("squall_test_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at TEST_DATABASE_URL: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create a fresh test database");

    match admin_url.rfind('/') {
        Some(slash) if admin_url[..slash].contains("://") && admin_url[slash..].len() > 1 => {
            let (base, rest) = admin_url.split_at(slash);
            let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
            format!("{base}/{name}{query}")
        }
        _ => format!("{}/{name}", admin_url.trim_end_matches('/')),
    }
}

/// The repository's root (fixtures/, target/).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ lies in the workspace")
        .to_path_buf()
}

/// Leptos settings for an in-process server (no site files are needed for the API and SSR).
pub fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("squall")
        .site_root("target/site")
        .build()
}

/// A running server.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    /// The links of the boards this helper created: board id → role → token.
    links: std::sync::Mutex<std::collections::HashMap<String, serde_json::Value>>,
    /// The server's rooms (to shut it down as a signal would).
    pub rooms: Arc<server::sync::Rooms>,
    _db: Option<tempfile::TempDir>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The owner token of a board created by `create_board` whose id appears in `path`; `get`
    /// and `post` send it, as a bearer token, unless the path carries its own `key=`.
    fn owner_key_for(&self, path: &str) -> Option<String> {
        if path.contains("key=") {
            return None;
        }
        let links = self.links.lock().unwrap();
        links
            .iter()
            .find(|(id, _)| path.contains(id.as_str()))
            .map(|(_, l)| l["owner"].as_str().unwrap().to_string())
    }

    /// The SQLite file of an app started by `spawn_app`.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self._db.as_ref().map(|d| d.path().join("squall.db"))
    }

    /// A board's token for `role` ("owner", "edit", "view").
    pub fn key(&self, board: &str, role: &str) -> String {
        self.links.lock().unwrap()[board][role]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn authorized(&self, request: reqwest::RequestBuilder, path: &str) -> reqwest::RequestBuilder {
        match self.owner_key_for(path) {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }

    /// POSTs JSON and returns the status and the JSON answer (Null when empty).
    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let request = self.authorized(self.client.post(self.url(path)), path);
        split(request.json(&body).send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let request = self.authorized(self.client.get(self.url(path)), path);
        split(request.send().await.unwrap()).await
    }

    /// Creates a board through the API and returns its id (its links are kept for `key`).
    pub async fn create_board(&self, title: &str) -> String {
        let (status, body) = self
            .post("/api/boards", serde_json::json!({ "title": title }))
            .await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_str().unwrap().to_string();
        self.links
            .lock()
            .unwrap()
            .insert(id.clone(), body["links"].clone());
        id
    }
}

pub async fn split(res: reqwest::Response) -> (u16, serde_json::Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    let body = if text.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
    };
    (status, body)
}

/// Starts the whole app on port 0 with a fresh SQLite database.
pub async fn spawn_app() -> TestApp {
    let (store, dir) = sqlite_store().await;
    spawn_with(store, Some(dir)).await
}

pub async fn spawn_with(store: Arc<dyn BoardStore>, db: Option<tempfile::TempDir>) -> TestApp {
    spawn_configured(store, db, Default::default()).await
}

/// Starts the whole app on port 0 with `config` (limits, public URL).
pub async fn spawn_configured(
    store: Arc<dyn BoardStore>,
    db: Option<tempfile::TempDir>,
    config: server::config::ServerConfig,
) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt().with_env_filter("info").try_init();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let rooms = server::sync::Rooms::start(store, Default::default())
        .await
        .expect("start the rooms");
    let app = server::app_with(rooms.clone(), leptos_options(), config);
    tokio::spawn(async move {
        server::serve(listener, app, std::future::pending())
            .await
            .unwrap()
    });
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        links: Default::default(),
        rooms,
        _db: db,
    }
}

/// Creates a board through the API of the server at `base`; returns the answer (id, links).
pub async fn create_board_at(base: &str, title: &str) -> serde_json::Value {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/boards"))
        .json(&serde_json::json!({ "title": title }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

/// The ids of the board's elements and its sequence number, as the server at `base` has
/// stored them; polled (up to `tries` × 100 ms) until the ids are `want`.
pub async fn stored_when(
    base: &str,
    board: &str,
    key: &str,
    want: &std::collections::HashSet<String>,
    tries: usize,
) -> (std::collections::HashSet<String>, i64) {
    let api = reqwest::Client::new();
    let mut found = (std::collections::HashSet::new(), 0);
    for _ in 0..tries {
        let body: serde_json::Value = api
            .get(format!("{base}/api/boards/{board}?key={key}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        found = (
            body["elements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect(),
            body["seq"].as_i64().unwrap(),
        );
        if &found.0 == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    found
}

/// The sticky labels that must never break anything (fixtures/hostile-labels.txt).
pub fn hostile_labels() -> Vec<String> {
    include_str!("../../../fixtures/hostile-labels.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The real server binary, started on a free port against `database_url`.
pub struct ServerProcess {
    pub base: String,
    child: std::process::Child,
}

impl ServerProcess {
    pub async fn start(database_url: &str) -> Self {
        Self::start_with(database_url, &[], std::process::Stdio::inherit()).await
    }

    /// Started with more environment variables, its log going to `log`.
    pub async fn start_with(
        database_url: &str,
        env: &[(&str, &str)],
        log: impl Into<std::process::Stdio>,
    ) -> Self {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_OUTPUT_NAME", "squall")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(log)
            .spawn()
            .expect("start the server binary");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(res) = client.get(format!("{base}/healthz")).send().await
                && res.status().is_success()
            {
                return Self { base, child };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let mut child = child;
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not come up on {base}");
    }

    /// SIGTERM, as an orchestrator stops an instance; waits for the process to exit and
    /// returns how long that took.
    pub fn terminate(mut self) -> (std::process::ExitStatus, std::time::Duration) {
        let started = std::time::Instant::now();
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(killed.success());
        let status = self.child.wait().expect("wait for the server");
        (status, started.elapsed())
    }

    /// kill -9: no shutdown, no flush.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
