//! The board model: what a board is and the one function that changes it.
//!
//! Pure Rust, no IO, no Leptos: the server's storage, the browser's optimistic store, import and
//! code generation all change a board only through [`Board::apply`].

/// The board document and `Board::apply`.
mod board;
/// The versioned board file format (export, import).
mod document;
/// Element kinds, elements, connections and their kind-specific properties.
mod element;
/// Given / When / Then examples of commands and policies.
pub mod example;
/// Field types an aggregate, event, command or read model field can have.
mod field_type;
/// Field mapping of policies and read models (what fills each field).
pub mod mapping;
/// Operations on a board and why one can be rejected.
mod op;

pub use board::{Board, Limits};
pub use document::{BoardDocument, DocumentError};
pub use element::{Connection, Element, ElementKind, Field, HttpMethod, Props};
pub use example::{Example, Happened, Issued, Named, Then, Values, check_references};
pub use field_type::FieldType;
pub use mapping::{Mapped, Source};
pub(crate) use op::present;
pub use op::{Op, Patch, Rejection};

/// Identifier of an element, a connection or a board: a UUID v7, so ids sort by creation time.
pub type Id = uuid::Uuid;

/// A new random v7 id.
pub fn new_id() -> Id {
    uuid::Uuid::now_v7()
}
