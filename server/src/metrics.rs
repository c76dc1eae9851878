//! What the server counts, for Prometheus at `GET /metrics` (docs/operations.md lists every
//! family). One `Metrics` per server (the rooms own it), not a process-wide recorder, so each
//! test server counts only its own traffic.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The media type of the text `Metrics::render` writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    /// The route's pattern (`/api/boards/{id}`), never the concrete path, so ids do not make
    /// new series.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LatencyLabels {
    pub method: String,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CodeLabels {
    /// A rejection's stable code (`Rejection::code`), or `read_only`.
    pub code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OpLabels {
    pub op: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TargetLabels {
    pub target: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LimitLabels {
    /// The limit's name in docs/operations.md (`ops_per_connection`, …).
    pub limit: &'static str,
}

/// The names of the limits (docs/operations.md, "Limits").
pub const LIMITS: [&str; 6] = [
    "ops_per_second",
    "ops_burst",
    "connections_per_board",
    "connections_per_address",
    "boards_per_address_per_hour",
    "import_bytes",
];

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Latencies from 0.1 ms to about 13 s.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.000_1, 2.0, 18))
}

/// Every metric family of the server.
pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<RouteLabels, Counter>,
    pub http_duration: Histograms<LatencyLabels>,
    pub sockets_open: Gauge,
    pub rooms_open: Gauge,
    pub batches_applied: Counter,
    pub batches_rejected: Family<CodeLabels, Counter>,
    /// From a batch reaching its room to its copies queued for every other socket.
    pub fanout: Histogram,
    /// From a batch reaching its room to its author hearing it is stored.
    pub ack: Histogram,
    pub store: Histograms<OpLabels>,
    pub exports: Histograms<TargetLabels>,
    pub limited: Family<LimitLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("squall");
        let http_requests = Family::<RouteLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route and status",
            http_requests.clone(),
        );
        let http_duration = Histograms::<LatencyLabels>::new_with_constructor(latency);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (to the response's head), by method and route",
            http_duration.clone(),
        );
        let sockets_open = Gauge::default();
        registry.register(
            "websockets_open",
            "Live WebSocket connections",
            sockets_open.clone(),
        );
        let rooms_open = Gauge::default();
        registry.register(
            "rooms_open",
            "Boards open in this process (one room each)",
            rooms_open.clone(),
        );
        let batches_applied = Counter::default();
        registry.register(
            "batches_applied",
            "Batches of operations ordered and applied to a board",
            batches_applied.clone(),
        );
        let batches_rejected = Family::<CodeLabels, Counter>::default();
        registry.register(
            "batches_rejected",
            "Batches refused, by rejection code",
            batches_rejected.clone(),
        );
        let fanout = latency();
        registry.register(
            "fanout_seconds",
            "From a batch reaching its board's room to its copies queued for every other socket",
            fanout.clone(),
        );
        let ack = latency();
        registry.register(
            "ack_seconds",
            "From a batch reaching its board's room to its author being told it is stored",
            ack.clone(),
        );
        let store = Histograms::<OpLabels>::new_with_constructor(latency);
        // Series a dashboard reads exist from the start (no "no data" before the first call).
        for op in ["append", "load"] {
            let _ = store.get_or_create(&OpLabels { op });
        }
        registry.register(
            "store_seconds",
            "Database calls of the rooms, by operation (append, load, log)",
            store.clone(),
        );
        let exports = Histograms::<TargetLabels>::new_with_constructor(latency);
        for target in squall_codegen::TARGETS {
            let _ = exports.get_or_create(&TargetLabels {
                target: target.id().to_string(),
            });
        }
        registry.register(
            "export_seconds",
            "Code and design exports, by target",
            exports.clone(),
        );
        let limited = Family::<LimitLabels, Counter>::default();
        // Every limit from the start, at 0: a dashboard's rate() needs the series before the
        // first refusal.
        for limit in LIMITS {
            let _ = limited.get_or_create(&LimitLabels { limit });
        }
        registry.register(
            "limited",
            "Requests, connections and messages refused by a limit, by limit",
            limited.clone(),
        );
        Self {
            registry,
            http_requests,
            http_duration,
            sockets_open,
            rooms_open,
            batches_applied,
            batches_rejected,
            fanout,
            ack,
            store,
            exports,
            limited,
        }
    }
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The OpenMetrics text of every family.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }

    pub fn store_call(&self, op: &'static str, took: Duration) {
        self.store
            .get_or_create(&OpLabels { op })
            .observe(took.as_secs_f64());
    }

    pub fn rejected(&self, code: &str) {
        self.batches_rejected
            .get_or_create(&CodeLabels { code: code.into() })
            .inc();
    }

    pub fn limited(&self, limit: &'static str) {
        self.limited.get_or_create(&LimitLabels { limit }).inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_family_with_its_prefix() {
        let metrics = Metrics::default();
        metrics.rejected("unknown_element");
        metrics.limited("ops_per_connection");
        metrics.store_call("append", Duration::from_millis(3));
        let text = metrics.render();
        assert!(
            text.contains("squall_batches_rejected_total{code=\"unknown_element\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("squall_limited_total{limit=\"ops_per_connection\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("squall_store_seconds_count{op=\"append\"} 1"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
    }
}
