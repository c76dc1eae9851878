#![recursion_limit = "256"]
use anyhow::Context;
use server::config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = <server::cli::Cli as clap::Parser>::parse();
    if let Some(server::cli::Command::Export(args)) = cli.command {
        logs(LogFormat::Text);
        return server::cli::export(args).await;
    }
    let config = Config::from_env()?;
    logs(config.log_format);
    let store = server::store::connect(&config.database_url)
        .await
        .with_context(|| format!("opening the database at {}", redact(&config.database_url)))?;
    let addr = config.leptos.site_addr;
    if store.shared() && addr.ip().is_unspecified() && config.rooms.address.contains("127.0.0.1") {
        tracing::warn!(
            address = %config.rooms.address,
            "other server processes reach this one at a loopback address; set SQUALL_INTERNAL_URL when they run on other hosts"
        );
    }
    let rooms = server::sync::Rooms::start(store, config.rooms)
        .await
        .context("listening for other server processes")?;
    let grace = config.server.shutdown;
    if let Some(metrics_addr) = config.server.metrics_addr {
        let listener = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .with_context(|| format!("binding {metrics_addr} for /metrics"))?;
        tracing::info!("metrics on http://{metrics_addr}/metrics");
        let metrics = server::metrics_app(&rooms);
        tokio::spawn(async move { axum::serve(listener, metrics).await });
    }
    let app = server::app_with(rooms.clone(), config.leptos, config.server);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    tracing::info!("Squall is listening on http://{addr}");

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut serving = tokio::spawn(server::serve(listener, app, async {
        let _ = stopped.await;
    }));
    tokio::select! {
        () = shutdown_signal() => {}
        result = &mut serving => return Ok(result??),
    }
    // docs/operations.md, "Shutdown": not ready, rooms store what they hold and send their
    // sockets elsewhere, then no new connections and in-flight requests finish; all bounded.
    tracing::info!("shutting down");
    if tokio::time::timeout(grace, rooms.shut_down())
        .await
        .is_err()
    {
        tracing::warn!("rooms did not close within {grace:?}");
    }
    let _ = stop.send(());
    match tokio::time::timeout(grace, serving).await {
        Ok(result) => result??,
        Err(_) => tracing::warn!("connections still open after {grace:?}; exiting"),
    }
    tracing::info!("stopped");
    Ok(())
}

/// The log: lines for people, or one JSON object per line (with the request's span, so its
/// `request_id`) for a log collector. `RUST_LOG` filters (default `info,sqlx=warn`).
fn logs(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Colours only for a terminal, never in a file or a collector.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(terminal);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
