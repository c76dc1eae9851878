#![recursion_limit = "256"]
//! Squall's server: configuration, storage, HTTP API and server-side rendering.

/// Capability links: tokens, hashes, roles.
pub mod access;
/// `server export …`: code generation from the command line.
pub mod cli;
/// Settings read from the environment.
pub mod config;
/// Routes, handlers and the API's error type.
pub mod http;
/// Prometheus metrics: one registry per server.
pub mod metrics;
/// The storage interface and its SQLite and PostgreSQL implementations.
pub mod store;
/// Live collaboration: rooms, WebSocket connections, the bus between server processes.
pub mod sync;

pub use http::{app, app_with, metrics_app, serve};
