//! Settings: environment variables, over an optional TOML file (`SQUALL_CONFIG`), over
//! defaults. The README's table lists every one; `docs/operations.md` explains the limits.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use leptos::config::{LeptosOptions, get_configuration};
use serde::Deserialize;

/// Where the SQLite database lives when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/squall.db";

/// How the server writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Lines for people (the default).
    #[default]
    Text,
    /// One JSON object per line, with the request id of the request it belongs to.
    Json,
}

/// The refusal limits (docs/operations.md, "Limits"). Each refusal is counted in
/// `squall_limited_total{limit=…}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Operations a live connection may send per second, sustained (a presence message
    /// counts as one, a batch as its number of operations).
    pub ops_per_second: u32,
    /// Operations a live connection may send at once (a big paste).
    pub ops_burst: u32,
    /// Live connections to one board, on one server process.
    pub connections_per_board: usize,
    /// Live connections from one address, on one server process.
    pub connections_per_address: usize,
    /// Boards one address may create or import per hour, on one server process.
    pub boards_per_address_per_hour: u32,
    /// Bytes of an imported file (board document, SQL schema, OpenAPI document).
    pub import_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            ops_per_second: 200,
            ops_burst: 5_000,
            connections_per_board: 200,
            connections_per_address: 200,
            boards_per_address_per_hour: 600,
            import_bytes: 8 * 1024 * 1024,
        }
    }
}

/// The keys of `Settings`: each is also the variable `SQUALL_<KEY>`.
const KEYS: &[&str] = &[
    "addr",
    "log_format",
    "public_url",
    "trust_proxy",
    "shutdown_seconds",
    "internal_url",
    "lease_seconds",
    "metrics_addr",
    "ops_per_second",
    "ops_burst",
    "connections_per_board",
    "connections_per_address",
    "boards_per_address_per_hour",
    "import_bytes",
];

/// What the file and the `SQUALL_*` variables may say; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    addr: Option<SocketAddr>,
    database_url: Option<String>,
    log_format: LogFormat,
    public_url: Option<String>,
    trust_proxy: bool,
    shutdown_seconds: Option<u64>,
    internal_url: Option<String>,
    lease_seconds: Option<f64>,
    metrics_addr: Option<SocketAddr>,
    ops_per_second: Option<u32>,
    ops_burst: Option<u32>,
    connections_per_board: Option<usize>,
    connections_per_address: Option<usize>,
    boards_per_address_per_hour: Option<u32>,
    import_bytes: Option<usize>,
}

/// Everything the server reads from its environment.
pub struct Config {
    /// `DATABASE_URL`: `sqlite://path` (default) or `postgres://...`.
    pub database_url: String,
    /// Leptos' settings; `site_addr` is the address to serve (`SQUALL_ADDR`, else
    /// `LEPTOS_SITE_ADDR`, else 127.0.0.1:3000).
    pub leptos: LeptosOptions,
    pub log_format: LogFormat,
    pub server: ServerConfig,
    /// Where the other server processes reach this one, and how long a board's lease lasts
    /// (docs/sync.md S6).
    pub rooms: crate::sync::RoomSettings,
}

/// What the HTTP side needs besides the rooms.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub limits: Limits,
    /// The address people reach Squall at (`https://squall.example.com`): the API's board
    /// links are full URLs under it. Without it they are paths.
    pub public_url: Option<String>,
    /// Take the client's address from `X-Forwarded-For` (behind a proxy that sets it);
    /// otherwise the peer address of the TCP connection.
    pub trust_proxy: bool,
    /// How long a shutdown waits for rooms to store what they hold.
    pub shutdown: Duration,
    /// Serve `/metrics` on this address only, not with the app (`SQUALL_METRICS_ADDR`).
    pub metrics_addr: Option<SocketAddr>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            public_url: None,
            trust_proxy: false,
            shutdown: Duration::from_secs(10),
            metrics_addr: None,
        }
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_sources(std::env::var("SQUALL_CONFIG").ok().as_deref())
    }

    fn from_sources(file: Option<&str>) -> anyhow::Result<Self> {
        let mut sources = config::Config::builder();
        if let Some(file) = file.filter(|f| !f.is_empty()) {
            sources = sources
                .add_source(config::File::new(file, config::FileFormat::Toml).required(true));
        }
        // Only the variables named in the table: other SQUALL_* variables (the test scripts'
        // ports, say) are not settings.
        for key in KEYS {
            let name = format!("SQUALL_{}", key.to_uppercase());
            if let Ok(value) = std::env::var(&name) {
                sources = sources.set_override(*key, value)?;
            }
        }
        let settings: Settings = sources
            .build()
            .and_then(config::Config::try_deserialize)
            .context("reading the settings (SQUALL_CONFIG's file and SQUALL_* variables)")?;
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .or(settings.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let mut leptos = get_configuration(None)?.leptos_options;
        if let Some(addr) = settings.addr {
            leptos.site_addr = addr;
        }
        let defaults = Limits::default();
        let limits = Limits {
            ops_per_second: settings.ops_per_second.unwrap_or(defaults.ops_per_second),
            ops_burst: settings.ops_burst.unwrap_or(defaults.ops_burst),
            connections_per_board: settings
                .connections_per_board
                .unwrap_or(defaults.connections_per_board),
            connections_per_address: settings
                .connections_per_address
                .unwrap_or(defaults.connections_per_address),
            boards_per_address_per_hour: settings
                .boards_per_address_per_hour
                .unwrap_or(defaults.boards_per_address_per_hour),
            import_bytes: settings.import_bytes.unwrap_or(defaults.import_bytes),
        };
        anyhow::ensure!(
            limits.ops_per_second > 0 && limits.ops_burst > 0,
            "SQUALL_OPS_PER_SECOND and SQUALL_OPS_BURST must be above 0"
        );
        anyhow::ensure!(
            limits.boards_per_address_per_hour > 0,
            "SQUALL_BOARDS_PER_ADDRESS_PER_HOUR must be above 0"
        );
        let public_url = settings
            .public_url
            .map(|url| url.trim_end_matches('/').to_string())
            .filter(|url| !url.is_empty());
        if let Some(url) = &public_url {
            anyhow::ensure!(
                url.starts_with("https://") || url.starts_with("http://"),
                "SQUALL_PUBLIC_URL must start with https:// or http://, not {url:?}"
            );
        }
        let lease = settings.lease_seconds.unwrap_or(5.0);
        anyhow::ensure!(
            (0.3..=3600.0).contains(&lease),
            "SQUALL_LEASE_SECONDS must be between 0.3 and 3600, not {lease}"
        );
        // Another process must reach this one at its own address, not at "every address".
        let internal_url = settings
            .internal_url
            .map(|url| url.trim_end_matches('/').to_string())
            .unwrap_or_else(|| {
                let addr = leptos.site_addr;
                if addr.ip().is_unspecified() {
                    format!("http://127.0.0.1:{}", addr.port())
                } else {
                    format!("http://{addr}")
                }
            });
        // Forwarding speaks plain HTTP and WebSocket inside the cluster (docs/operations.md).
        anyhow::ensure!(
            internal_url.starts_with("http://"),
            "SQUALL_INTERNAL_URL must start with http:// (forwarding between processes is plain HTTP inside the cluster), not {internal_url:?}"
        );
        let rooms = crate::sync::RoomSettings {
            address: internal_url,
            lease: Duration::from_secs_f64(lease),
            ..Default::default()
        };
        Ok(Self {
            database_url,
            leptos,
            rooms,
            log_format: settings.log_format,
            server: ServerConfig {
                limits,
                public_url,
                trust_proxy: settings.trust_proxy,
                shutdown: Duration::from_secs(settings.shutdown_seconds.unwrap_or(10)),
                metrics_addr: settings.metrics_addr,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_sets_limits_and_unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("squall.toml");
        std::fs::write(
            &file,
            "ops_per_second = 50\nlog_format = \"json\"\npublic_url = \"https://squall.example.com/\"\n",
        )
        .unwrap();
        let config = Config::from_sources(file.to_str()).unwrap();
        assert_eq!(config.server.limits.ops_per_second, 50);
        assert_eq!(config.server.limits.ops_burst, Limits::default().ops_burst);
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(
            config.server.public_url.as_deref(),
            Some("https://squall.example.com")
        );

        std::fs::write(&file, "ops_per_secnd = 50\n").unwrap();
        let refused = Config::from_sources(file.to_str()).err().unwrap();
        assert!(
            format!("{refused:#}").contains("ops_per_secnd"),
            "{refused:#}"
        );

        std::fs::write(&file, "log_format = \"xml\"\n").unwrap();
        assert!(Config::from_sources(file.to_str()).is_err());
    }
}
