use serde::{Deserialize, Deserializer, Serialize};

use super::{Connection, Element, Field, HttpMethod, Id};

/// One edit of a board. Every change, from the API, the canvas or an import, is one of these.
///
/// On the wire an op is a JSON object tagged by `type` (see ARCHITECTURE.md, "Operations").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    CreateElement {
        element: Element,
    },
    /// Changes only the properties present; absent ones keep their value, so concurrent edits
    /// of different properties of one sticky both survive.
    UpdateElement {
        id: Id,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fields: Option<Vec<Field>>,
        /// `null` clears the method; absent leaves it.
        #[serde(
            default,
            deserialize_with = "present",
            skip_serializing_if = "Option::is_none"
        )]
        http_method: Option<Option<HttpMethod>>,
        /// `null` clears the path; absent leaves it.
        #[serde(
            default,
            deserialize_with = "present",
            skip_serializing_if = "Option::is_none"
        )]
        http_path: Option<Option<String>>,
    },
    MoveElement {
        id: Id,
        x: f64,
        y: f64,
    },
    ResizeElement {
        id: Id,
        width: f64,
        height: f64,
    },
    /// Deletes the element and every connection that touches it.
    DeleteElement {
        id: Id,
    },
    Connect {
        connection: Connection,
    },
    Disconnect {
        id: Id,
    },
    RenameBoard {
        title: String,
    },
    /// Replaces a command's or a policy's examples (Given / When / Then). Every event and
    /// command they name must exist, and every field they give a value must be one of its.
    SetExamples {
        id: Id,
        examples: Vec<super::Example>,
    },
    /// Replaces a policy's or a read model's field mapping (the choices made where names
    /// differ). Every event, command and field it names must exist.
    SetMapping {
        id: Id,
        mapping: Vec<super::Mapped>,
    },
}

/// The properties an `update_element` changes; `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    pub label: Option<String>,
    pub description: Option<String>,
    pub fields: Option<Vec<Field>>,
    pub http_method: Option<Option<HttpMethod>>,
    pub http_path: Option<Option<String>>,
}

impl Op {
    /// An `update_element` of `id` that changes what `patch` sets.
    pub fn update(id: Id, patch: Patch) -> Self {
        let Patch {
            label,
            description,
            fields,
            http_method,
            http_path,
        } = patch;
        Op::UpdateElement {
            id,
            label,
            description,
            fields,
            http_method,
            http_path,
        }
    }
}

/// Tells a present `null` (Some(None)) from an absent key (None).
pub(crate) fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Why `Board::apply` refused an operation. The board is unchanged when one is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejection {
    #[error("no element with id {0} on this board")]
    UnknownElement(Id),
    #[error("no connection with id {0} on this board")]
    UnknownConnection(Id),
    #[error("id {0} is already used on this board")]
    DuplicateId(Id),
    #[error("a label is at most {max} characters")]
    LabelTooLong { max: usize },
    #[error("a description is at most {max} characters")]
    DescriptionTooLong { max: usize },
    #[error("text may not contain control characters other than newline and tab")]
    ControlCharacter,
    #[error("a board title cannot be empty")]
    TitleEmpty,
    #[error("a board title is at most {max} characters")]
    TitleTooLong { max: usize },
    #[error("coordinates must be finite numbers within ±{max}")]
    BadCoordinate { max: f64 },
    #[error("width and height must be finite numbers between {min} and {max}")]
    BadSize { min: f64, max: f64 },
    #[error("a board holds at most {max} elements")]
    TooManyElements { max: usize },
    #[error("a board holds at most {max} connections")]
    TooManyConnections { max: usize },
    #[error("an element has at most {max} fields")]
    TooManyFields { max: usize },
    #[error("field name {0:?} is empty, too long or contains control characters")]
    BadFieldName(String),
    #[error("field name {0:?} appears twice")]
    DuplicateFieldName(String),
    #[error("only the fields of an aggregate or a read model can be keys")]
    KeyOutsideAggregate,
    #[error("a {kind} has no {property}")]
    PropertyNotAllowed {
        kind: &'static str,
        property: &'static str,
    },
    #[error("an HTTP path starts with `/` and has no spaces or control characters")]
    BadHttpPath,
    #[error("an element cannot be connected to itself")]
    SelfConnection,
    #[error("these two elements are already connected")]
    DuplicateConnection,
    #[error("{0}")]
    BadExample(String),
    #[error("{0}")]
    BadMapping(String),
}

impl Rejection {
    /// A stable, machine-readable code for clients and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownElement(_) => "unknown_element",
            Self::UnknownConnection(_) => "unknown_connection",
            Self::DuplicateId(_) => "duplicate_id",
            Self::LabelTooLong { .. } => "label_too_long",
            Self::DescriptionTooLong { .. } => "description_too_long",
            Self::ControlCharacter => "control_character",
            Self::TitleEmpty => "title_empty",
            Self::TitleTooLong { .. } => "title_too_long",
            Self::BadCoordinate { .. } => "bad_coordinate",
            Self::BadSize { .. } => "bad_size",
            Self::TooManyElements { .. } => "too_many_elements",
            Self::TooManyConnections { .. } => "too_many_connections",
            Self::TooManyFields { .. } => "too_many_fields",
            Self::BadFieldName(_) => "bad_field_name",
            Self::DuplicateFieldName(_) => "duplicate_field_name",
            Self::KeyOutsideAggregate => "key_outside_aggregate",
            Self::PropertyNotAllowed { .. } => "property_not_allowed",
            Self::BadHttpPath => "bad_http_path",
            Self::SelfConnection => "self_connection",
            Self::DuplicateConnection => "duplicate_connection",
            Self::BadExample(_) => "bad_example",
            Self::BadMapping(_) => "bad_mapping",
        }
    }
}
