//! The refusal limits of docs/operations.md ("Limits"): live connections per board and per
//! address, boards created per address per hour, operations per second per connection, import
//! size. Each refusal is an `ApiError::Limited` (429, or 413 for size) or a socket `error`,
//! and a count in `squall_limited_total{limit=…}`.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use app::model::Id;
use app::sync::ClientMsg;
use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::ApiError;
use crate::config::{Limits, ServerConfig};
use crate::metrics::Metrics;

/// The limits and what they count, one per server.
pub struct Guard {
    pub config: ServerConfig,
    /// The server processes' shared secret: a request carrying it was forwarded by one.
    pub secret: Option<String>,
    metrics: Arc<Metrics>,
    boards: DefaultKeyedRateLimiter<IpAddr>,
    open: Arc<Mutex<Open>>,
}

/// Live connections by board and by address.
#[derive(Default)]
struct Open {
    boards: HashMap<Id, usize>,
    addresses: HashMap<IpAddr, usize>,
}

/// A live connection's place in the counts; given back when dropped.
pub struct Slot {
    open: Arc<Mutex<Open>>,
    board: Id,
    address: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        release(&mut open.boards, &self.board);
        release(&mut open.addresses, &self.address);
    }
}

fn release<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

impl Guard {
    pub fn new(config: ServerConfig, metrics: Arc<Metrics>, secret: Option<String>) -> Self {
        let hourly =
            NonZeroU32::new(config.limits.boards_per_address_per_hour).unwrap_or(NonZeroU32::MIN);
        Self {
            boards: RateLimiter::keyed(Quota::per_hour(hourly)),
            config,
            secret,
            metrics,
            open: Arc::default(),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.config.limits
    }

    fn refuse(&self, limit: &'static str, message: String) -> ApiError {
        self.metrics.limited(limit);
        ApiError::Limited { limit, message }
    }

    /// One more board from `address` (created or imported), or 429.
    pub fn new_board(&self, address: IpAddr) -> Result<(), ApiError> {
        if self.boards.len() > 100_000 {
            self.boards.retain_recent();
        }
        self.boards.check_key(&address).map_err(|_| {
            self.refuse(
                "boards_per_address_per_hour",
                format!(
                    "this address created {} boards in the last hour, the most it may; try again later",
                    self.limits().boards_per_address_per_hour
                ),
            )
        })
    }

    /// An imported file of `bytes`, or 413.
    pub fn import(&self, bytes: usize) -> Result<(), ApiError> {
        let max_bytes = self.limits().import_bytes;
        if bytes > max_bytes {
            self.metrics.limited("import_bytes");
            return Err(ApiError::FileTooLarge { bytes, max_bytes });
        }
        Ok(())
    }

    /// A place for a new live connection to `board` from `address`, or 429.
    pub fn connection(&self, board: Id, address: IpAddr) -> Result<Slot, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let limits = self.limits();
        if open.boards.get(&board).copied().unwrap_or(0) >= limits.connections_per_board {
            return Err(self.refuse(
                "connections_per_board",
                format!(
                    "this board already has {} live connections here, the most it may",
                    limits.connections_per_board
                ),
            ));
        }
        if open.addresses.get(&address).copied().unwrap_or(0) >= limits.connections_per_address {
            return Err(self.refuse(
                "connections_per_address",
                format!(
                    "this address already has {} live connections here, the most it may",
                    limits.connections_per_address
                ),
            ));
        }
        *open.boards.entry(board).or_default() += 1;
        *open.addresses.entry(address).or_default() += 1;
        Ok(Slot {
            open: self.open.clone(),
            board,
            address,
        })
    }

    /// The operations budget of one live connection.
    pub fn pace(&self) -> Pace {
        let limits = self.limits();
        let rate = NonZeroU32::new(limits.ops_per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(limits.ops_burst).unwrap_or(NonZeroU32::MIN);
        Pace {
            limiter: RateLimiter::direct(Quota::per_second(rate).allow_burst(burst)),
            metrics: self.metrics.clone(),
            limits: limits.clone(),
        }
    }

    /// The address a request comes from (`X-Forwarded-For`'s last entry behind a trusted
    /// proxy, else the TCP peer).
    pub fn client(&self, parts: &Parts) -> IpAddr {
        let peer = super::forward::from_peer(&parts.headers, self.secret.as_deref());
        client_address(parts, self.config.trust_proxy || peer)
    }

    /// True when the request was forwarded by another Squall process (S6).
    pub fn from_peer(&self, parts: &Parts) -> bool {
        super::forward::from_peer(&parts.headers, self.secret.as_deref())
    }
}

/// What a live connection may still send.
pub struct Pace {
    limiter: DefaultDirectRateLimiter,
    metrics: Arc<Metrics>,
    limits: Limits,
}

impl Pace {
    /// Takes what a message a connection sent costs: a batch its operations, anything else
    /// (presence, a frame that is not a message) one.
    pub fn take_message(&self, msg: Option<&ClientMsg>) -> Result<(), String> {
        match msg {
            Some(ClientMsg::Submit { ops, .. }) => self.take(ops.len()),
            _ => self.take(1),
        }
    }

    /// Takes `ops` operations from the budget; the words of the refusal otherwise.
    pub fn take(&self, ops: usize) -> Result<(), String> {
        let n = NonZeroU32::new(u32::try_from(ops.max(1)).unwrap_or(u32::MAX))
            .unwrap_or(NonZeroU32::MIN);
        match self.limiter.check_n(n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => {
                self.metrics.limited("ops_per_second");
                Err(format!(
                    "more than {} operations per second; reconnecting",
                    self.limits.ops_per_second
                ))
            }
            Err(_) => {
                self.metrics.limited("ops_burst");
                Err(format!(
                    "a batch of {ops} operations is more than the {} a connection may send at once",
                    self.limits.ops_burst
                ))
            }
        }
    }
}

/// The client's address: behind a trusted proxy, the last `X-Forwarded-For` entry (the one the
/// proxy added; earlier ones are the client's word); else the TCP peer; else unspecified (a
/// server started without connection info, as some tests do).
pub fn client_address(parts: &Parts, trust_proxy: bool) -> IpAddr {
    if trust_proxy
        && let Some(forwarded) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .next_back()
    {
        return forwarded;
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// The client address as an extractor, and whether another Squall process forwarded the
/// request (S6).
pub struct ClientAddress(pub IpAddr, pub bool);

impl axum::extract::FromRequestParts<super::AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &super::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            state.guard.client(parts),
            state.guard.from_peer(parts),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(forwarded: &[&str], peer: &str) -> Parts {
        let mut request = axum::http::Request::builder();
        for f in forwarded {
            request = request.header("x-forwarded-for", *f);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        parts
    }

    #[test]
    fn the_proxy_added_address_counts_only_behind_a_trusted_proxy() {
        let p = parts(&["6.6.6.6, 10.0.0.7", "203.0.113.9"], "10.1.1.1:5000");
        assert_eq!(
            client_address(&p, true),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            client_address(&p, false),
            "10.1.1.1".parse::<IpAddr>().unwrap()
        );
        let garbage = parts(&["not an address"], "10.1.1.1:5000");
        assert_eq!(
            client_address(&garbage, true),
            "10.1.1.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn connections_are_counted_until_their_slot_drops() {
        let config = ServerConfig {
            limits: Limits {
                connections_per_board: 2,
                connections_per_address: 3,
                ..Limits::default()
            },
            ..ServerConfig::default()
        };
        let guard = Guard::new(config, Metrics::new(), None);
        let (a, b) = (app::model::new_id(), app::model::new_id());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let first = guard.connection(a, ip).unwrap();
        let _second = guard.connection(a, ip).unwrap();
        assert!(matches!(
            guard.connection(a, ip),
            Err(ApiError::Limited {
                limit: "connections_per_board",
                ..
            })
        ));
        let _third = guard.connection(b, ip).unwrap();
        assert!(matches!(
            guard.connection(b, ip),
            Err(ApiError::Limited {
                limit: "connections_per_address",
                ..
            })
        ));
        drop(first);
        assert!(guard.connection(a, "192.0.2.2".parse().unwrap()).is_ok());
    }

    #[test]
    fn a_connection_gets_its_burst_then_is_paced() {
        let config = ServerConfig {
            limits: Limits {
                ops_per_second: 1,
                ops_burst: 10,
                ..Limits::default()
            },
            ..ServerConfig::default()
        };
        let pace = Guard::new(config, Metrics::new(), None).pace();
        assert!(pace.take(11).unwrap_err().contains("more than the 10"));
        assert_eq!(pace.take(10), Ok(()));
        assert!(pace.take(1).unwrap_err().contains("more than 1 operations"));
    }
}
