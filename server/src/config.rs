use leptos::config::{LeptosOptions, get_configuration};

/// Where the SQLite database lives when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/squall.db";

/// Everything the server reads from its environment.
pub struct Config {
    /// `DATABASE_URL`: `sqlite://path` (default) or `postgres://...`.
    pub database_url: String,
    /// Leptos' settings; `LEPTOS_SITE_ADDR` (default 127.0.0.1:3000) is the address to serve.
    pub leptos: LeptosOptions,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let leptos = get_configuration(None)?.leptos_options;
        Ok(Self {
            database_url,
            leptos,
        })
    }
}
