//! Load benchmark for live collaboration: N WebSocket clients on one board, each moving its own
//! sticky R times a second for D seconds, against a real Squall server (started in this process
//! on a fresh SQLite file, or `--url` for a running one). Prints, per run, the fan-out latency
//! (send → arrival at every other client), the acknowledgement latency (send → "saved", i.e. on
//! disk) and the throughput.
//!
//!     cargo run --release -p server --bin sync-bench -- --clients 50 --rate 20 --duration 10
//!     cargo run --release -p server --bin sync-bench -- --sweep
//!
//! `--postgres ADMIN_URL` runs on a fresh PostgreSQL database instead (made on that server),
//! with `--instances N` server processes' worth of Squall (each its own store, rooms and port,
//! in this process) and the clients spread over them in turn: one board across instances,
//! docs/sync.md S6. `--url A,B` measures servers already running. `--boards B` splits the
//! clients over B boards opened on the instances in turn (many boards spread over instances).
//!
//! `--sweep` raises the rate of 50 clients until the fan-out p99 passes 100 ms and reports the
//! highest total rate one board sustained below that, for the fan-out and for the
//! acknowledgements (the disk falls behind before the fan-out does).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

#[derive(Clone, Copy)]
struct Run {
    clients: usize,
    rate: f64,
    duration: Duration,
}

#[derive(Default)]
struct Samples {
    fan_out: Vec<f64>,
    ack: Vec<f64>,
    sent: usize,
    delivered: usize,
    /// Clients whose socket closed before the end (the server drops a client too slow to
    /// read: 4,096 messages queued).
    dropped: usize,
    /// Batches the server refused (none, unless the benchmark is wrong).
    refused: usize,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let clients: usize = value("--clients").map_or(Ok(50), |v| v.parse())?;
    let rate: f64 = value("--rate").map_or(Ok(20.0), |v| v.parse())?;
    let duration = Duration::from_secs_f64(value("--duration").map_or(Ok(10.0), |v| v.parse())?);
    let urls: Option<Vec<String>> =
        value("--url").map(|v| v.split(',').map(str::to_string).collect());
    let postgres = value("--postgres");
    let instances: usize = value("--instances").map_or(Ok(1), |v| v.parse())?;
    let boards: usize = value("--boards").map_or(Ok(1), |v| v.parse())?;
    let sweep = args.iter().any(|a| a == "--sweep");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (bases, _guard) = match urls {
            Some(urls) => (urls, None),
            None => {
                let (bases, dir) = start_servers(postgres.as_deref(), instances).await?;
                (bases, dir)
            }
        };
        let base = &bases;
        println!("clients  rate/client  batches/s  fan-out p50/p99/max (ms)  ack p50/p99/max (ms)  deliveries/s");
        if sweep {
            const RATES: [f64; 14] = [
                20.0, 40.0, 60.0, 80.0, 100.0, 140.0, 180.0, 240.0, 320.0, 420.0, 560.0, 750.0,
                1000.0, 1330.0,
            ];
            // The highest total rate whose fan-out p99, and whose acknowledgement p99, stayed
            // under 100 ms; the sweep stops when the fan-out passes it.
            let (mut fan_out_best, mut ack_best, mut passed) = (None, None, false);
            let mut acks_kept_up = true;
            for rate in RATES {
                let run = Run { clients, rate, duration };
                let s = bench(base, run).await?;
                report(run, &s);
                let total = rate * clients as f64;
                acks_kept_up &= percentile(&s.ack, 99.0) <= 100.0;
                if acks_kept_up {
                    ack_best = Some(total);
                }
                if percentile(&s.fan_out, 99.0) > 100.0 || s.delivered == 0 {
                    passed = true;
                    break;
                }
                fan_out_best = Some(total);
            }
            let limit = |best: Option<f64>, what: &str| match best {
                Some(total) if passed => println!("highest rate with {what} p99 under 100 ms: {total:.0} batches/s on one board"),
                Some(total) => println!("{what} p99 stayed under 100 ms up to the sweep's highest rate: {total:.0} batches/s on one board"),
                None => println!("even the lowest rate had a {what} p99 over 100 ms"),
            };
            limit(fan_out_best, "fan-out");
            limit(ack_best, "acknowledgement (on disk)");
        } else if boards > 1 {
            // Many boards at once, each opened on the next instance in turn (its first client
            // connects there), their clients spread over all instances.
            let run = Run {
                clients: clients / boards,
                rate,
                duration,
            };
            let runs = (0..boards).map(|b| {
                let mut rotated = base.clone();
                rotated.rotate_left(b % base.len());
                async move { bench(&rotated, run).await }
            });
            let mut total = Samples::default();
            for s in futures_util::future::join_all(runs).await {
                let s = s?;
                total.sent += s.sent;
                total.delivered += s.delivered;
                total.fan_out.extend(s.fan_out);
                total.ack.extend(s.ack);
                total.dropped += s.dropped;
                total.refused += s.refused;
            }
            total.fan_out.sort_by(f64::total_cmp);
            total.ack.sort_by(f64::total_cmp);
            println!("{boards} boards of {} clients each; totals:", run.clients);
            report(
                Run {
                    clients: run.clients * boards,
                    ..run
                },
                &total,
            );
        } else {
            let run = Run { clients, rate, duration };
            let s = bench(base, run).await?;
            report(run, &s);
        }
        anyhow::Ok(())
    })
}

/// Squall on a fresh SQLite file in a temporary directory (one instance), or on a fresh
/// PostgreSQL database (`instances` of them), each on a free port.
async fn start_servers(
    postgres: Option<&str>,
    instances: usize,
) -> anyhow::Result<(Vec<String>, Option<tempfile_dir::Dir>)> {
    let (url, dir) = match postgres {
        Some(admin) => (fresh_database(admin).await?, None),
        None => {
            anyhow::ensure!(instances == 1, "several instances need --postgres");
            let dir = tempfile_dir::Dir::new()?;
            (format!("sqlite://{}/bench.db", dir.path()), Some(dir))
        }
    };
    // The benchmark measures the sync path, not the limits a public server keeps.
    let config = server::config::ServerConfig {
        limits: server::config::Limits {
            ops_per_second: 1_000_000,
            ops_burst: 1_000_000,
            connections_per_board: 100_000,
            connections_per_address: 100_000,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut bases = Vec::new();
    for _ in 0..instances {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let store = server::store::connect(&url).await?;
        let settings = server::sync::RoomSettings {
            address: base.clone(),
            ..Default::default()
        };
        let rooms = server::sync::Rooms::start(store, settings).await?;
        let options = leptos::config::LeptosOptions::builder()
            .output_name("squall")
            .site_root("target/site")
            .build();
        let app = server::app_with(rooms, options, config.clone());
        tokio::spawn(server::serve(listener, app, std::future::pending()));
        bases.push(base);
    }
    Ok((bases, dir))
}

/// A new, empty database on the PostgreSQL server `admin` names; its URL.
async fn fresh_database(admin: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    let name = format!("squall_bench_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await?;
    let (base, _) = admin
        .rsplit_once('/')
        .context("a PostgreSQL URL ends with /database")?;
    Ok(format!("{base}/{name}"))
}

async fn bench(bases: &[String], run: Run) -> anyhow::Result<Samples> {
    let base = bases[0].as_str();
    let http = reqwest_lite(base);
    // One board with one sticky per client.
    let (board, key) = http.create_board().await?;
    let ids: Vec<String> = (0..run.clients)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let ops: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({ "type": "create_element", "element": {
            "id": id, "kind": "domain_event", "label": format!("Client {i}"),
            "x": (i % 10) as f64 * 150.0, "y": (i / 10) as f64 * 150.0, "width": 120, "height": 120 } }))
        .collect();
    http.apply(&board, &key, json!({ "ops": ops })).await?;

    let mut sockets = Vec::new();
    for c in 0..run.clients {
        // Client c on instance c mod n: the first one opens the board on the first instance.
        let ws_url = format!(
            "{}/api/boards/{board}/ws?key={key}",
            bases[c % bases.len()].replace("http://", "ws://")
        );
        let (mut socket, _) = tokio_tungstenite::connect_async_with_config(
            &ws_url,
            Some(WebSocketConfig::default().read_buffer_size(8 * 1024)),
            true,
        )
        .await
        .context("connecting a client")?;
        let hello = json!({ "type": "hello", "client": uuid::Uuid::now_v7(), "name": "bench",
            "colour": "#336699", "resume": null });
        socket.send(Message::Text(hello.to_string().into())).await?;
        // Wait for the welcome before counting.
        while let Some(Ok(msg)) = socket.next().await {
            if let Message::Text(t) = msg
                && t.contains("\"welcome\"")
            {
                break;
            }
        }
        sockets.push(socket);
    }
    let start = Instant::now();
    let deadline = start + run.duration;
    let mut tasks = Vec::new();
    for (i, socket) in sockets.into_iter().enumerate() {
        let (mut tx, mut rx) = socket.split();
        let id = ids[i].clone();
        let own: Arc<Mutex<HashMap<u64, Instant>>> = Arc::default();
        let own_w = own.clone();
        let writer = tokio::spawn(async move {
            // Clients send on evenly spread phases, as people do; all of them in lockstep would
            // measure the queue behind a 50-batch burst instead.
            let period = Duration::from_secs_f64(1.0 / run.rate);
            let phase = period.mul_f64(i as f64 / run.clients as f64);
            let mut tick =
                tokio::time::interval_at(tokio::time::Instant::from_std(start + phase), period);
            let mut n: u64 = 0;
            while Instant::now() < deadline {
                tick.tick().await;
                n += 1;
                // y carries the send time (ms since the start, to the µs): receivers need no
                // shared map. Milliseconds keep it inside the board's ±10^7 for 2.7 hours.
                let now = Instant::now();
                let millis = now.duration_since(start).as_micros() as f64 / 1_000.0;
                let msg = json!({ "type": "submit", "batch": n,
                    "ops": [{ "type": "move_element", "id": id, "x": i as f64, "y": millis }] });
                own_w.lock().unwrap().insert(n, now);
                if tx
                    .send(Message::Text(msg.to_string().into()))
                    .await
                    .is_err()
                {
                    break;
                }
            }
            n
        });
        let reader = tokio::spawn({
            async move {
                let mut fan_out = Vec::new();
                let mut ack = Vec::new();
                let mut seq_batch: Vec<(i64, u64)> = Vec::new();
                let mut dropped = false;
                let mut refused = 0;
                // One timer for the whole run: a timeout per message costs more than the message.
                let stop = tokio::time::sleep_until(tokio::time::Instant::from_std(
                    deadline + Duration::from_secs(2),
                ));
                tokio::pin!(stop);
                loop {
                    let next = tokio::select! {
                        next = rx.next() => next,
                        () = &mut stop => break,
                    };
                    let Some(Ok(Message::Text(text))) = next else {
                        dropped = Instant::now() < deadline;
                        break;
                    };
                    let now = Instant::now();
                    let text = text.as_str();
                    if text.starts_with("{\"type\":\"ops\"") {
                        if let Some(millis) = number_after(text, "\"y\":") {
                            let sent = start + Duration::from_secs_f64(millis / 1_000.0);
                            fan_out.push(now.duration_since(sent).as_secs_f64() * 1e3);
                        }
                    } else if text.starts_with("{\"type\":\"accepted\"") {
                        if let (Some(b), Some(s)) = (
                            number_after(text, "\"batch\":"),
                            number_after(text, "\"seq\":"),
                        ) {
                            seq_batch.push((s as i64, b as u64));
                        }
                    } else if text.starts_with("{\"type\":\"rejected\"") {
                        refused += 1;
                    } else if text.starts_with("{\"type\":\"saved\"")
                        && let Some(d) = number_after(text, "\"seq\":")
                    {
                        let own = own.lock().unwrap();
                        seq_batch.retain(|(s, b)| {
                            if *s <= d as i64 {
                                if let Some(t) = own.get(b) {
                                    ack.push(now.duration_since(*t).as_secs_f64() * 1e3);
                                }
                                false
                            } else {
                                true
                            }
                        });
                    }
                }
                (fan_out, ack, dropped, refused)
            }
        });
        tasks.push((writer, reader));
    }
    let mut total = Samples::default();
    for (writer, reader) in tasks {
        total.sent += writer.await? as usize;
        let (fan_out, ack, dropped, refused) = reader.await?;
        total.dropped += usize::from(dropped);
        total.refused += refused;
        total.delivered += fan_out.len();
        total.fan_out.extend(fan_out);
        total.ack.extend(ack);
    }
    total.fan_out.sort_by(f64::total_cmp);
    total.ack.sort_by(f64::total_cmp);
    Ok(total)
}

fn number_after(text: &str, key: &str) -> Option<f64> {
    let rest = &text[text.find(key)? + key.len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == '+'))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::INFINITY;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i]
}

fn report(run: Run, s: &Samples) {
    let secs = run.duration.as_secs_f64();
    println!(
        "{:>7}  {:>11.0}  {:>9.0}  {:>7.2} / {:>6.2} / {:>7.2}  {:>7.2} / {:>6.2} / {:>7.2}  {:>12.0}",
        run.clients,
        run.rate,
        s.sent as f64 / secs,
        percentile(&s.fan_out, 50.0),
        percentile(&s.fan_out, 99.0),
        s.fan_out.last().copied().unwrap_or(f64::NAN),
        percentile(&s.ack, 50.0),
        percentile(&s.ack, 99.0),
        s.ack.last().copied().unwrap_or(f64::NAN),
        s.delivered as f64 / secs,
    );
    if s.refused > 0 {
        println!("         {} batches refused", s.refused);
    }
    if s.dropped > 0 {
        println!(
            "         {} clients lost their connection before the end",
            s.dropped
        );
    }
}

/// The two HTTP calls the benchmark needs, over a plain TCP connection (no HTTP client crate).
fn reqwest_lite(base: &str) -> Http {
    Http(base.trim_start_matches("http://").to_string())
}

struct Http(String);

impl Http {
    async fn post(&self, path: &str, body: serde_json::Value) -> anyhow::Result<serde_json::Value> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(&self.0).await?;
        let body = body.to_string();
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.0,
            body.len()
        );
        stream.write_all(request.as_bytes()).await?;
        let mut response = String::new();
        stream.read_to_string(&mut response).await?;
        let (head, body) = response
            .split_once("\r\n\r\n")
            .context("an HTTP response")?;
        anyhow::ensure!(head.starts_with("HTTP/1.1 20"), "{head}");
        Ok(serde_json::from_str(body)?)
    }

    /// A new board's id and its edit token.
    async fn create_board(&self) -> anyhow::Result<(String, String)> {
        let created = self
            .post("/api/boards", json!({ "title": "Load test" }))
            .await?;
        Ok((
            created["id"].as_str().context("an id")?.to_string(),
            created["links"]["edit"]
                .as_str()
                .context("an edit link")?
                .to_string(),
        ))
    }

    async fn apply(&self, board: &str, key: &str, ops: serde_json::Value) -> anyhow::Result<()> {
        self.post(&format!("/api/boards/{board}/ops?key={key}"), ops)
            .await?;
        Ok(())
    }
}

/// A temporary directory removed on drop (keeps tempfile a dev-only dependency).
mod tempfile_dir {
    pub struct Dir(std::path::PathBuf);

    impl Dir {
        pub fn new() -> std::io::Result<Self> {
            let path = std::env::temp_dir().join(format!("squall-bench-{}", uuid::Uuid::now_v7()));
            std::fs::create_dir_all(&path)?;
            Ok(Self(path))
        }

        pub fn path(&self) -> String {
            self.0.display().to_string()
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
