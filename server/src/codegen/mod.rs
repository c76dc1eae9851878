//! Code generation from a board (issue 7, in progress): names for any label (`names`) and the
//! service model derived from stickies and arrows (`model`). Templates and targets come next.

/// Identifiers and infrastructure names from labels in any script.
pub mod names;
