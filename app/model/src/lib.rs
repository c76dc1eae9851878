//! The board and what it means, in pure Rust (no IO, no Leptos): the browser, the server and
//! code generation all read this one crate. `app` re-exports its modules, so the UI names them
//! `crate::model`, `crate::semantic` and `crate::sync` as before.

/// The board model: elements, operations, `Board::apply`.
pub mod model;
/// What a board means (contexts, who handles and emits what, the field mapping) and the
/// numbered rules that check it (docs/model-rules.md).
pub mod semantic;
/// Live collaboration: protocol, server hub, browser replica (docs/sync.md).
pub mod sync;
