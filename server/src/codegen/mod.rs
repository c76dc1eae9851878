//! Code generation from a board (issue 7, in progress): names for any label (`names`) and the
//! service model derived from stickies and arrows (`model`). Templates and targets come next.

/// The service model: bounded contexts, aggregates, commands, events, policies, read models.
pub mod model;
/// Identifiers and infrastructure names from labels in any script.
pub mod names;
/// The rust-axum target: a workspace of service crates from the service model.
pub mod rust;
