use serde::{Deserialize, Serialize};

use super::{FieldType, Id};

/// What a sticky on the board stands for. The names follow Alberto Brandolini's event storming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    DomainEvent,
    Command,
    Aggregate,
    Policy,
    ReadModel,
    Actor,
    ExternalSystem,
    Hotspot,
    /// A named frame; the stickies inside it belong to that bounded context.
    BoundedContext,
    TextNote,
}

impl ElementKind {
    pub const ALL: [ElementKind; 10] = [
        Self::DomainEvent,
        Self::Command,
        Self::Aggregate,
        Self::Policy,
        Self::ReadModel,
        Self::Actor,
        Self::ExternalSystem,
        Self::Hotspot,
        Self::BoundedContext,
        Self::TextNote,
    ];

    /// The wire name, also used as a CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DomainEvent => "domain_event",
            Self::Command => "command",
            Self::Aggregate => "aggregate",
            Self::Policy => "policy",
            Self::ReadModel => "read_model",
            Self::Actor => "actor",
            Self::ExternalSystem => "external_system",
            Self::Hotspot => "hotspot",
            Self::BoundedContext => "bounded_context",
            Self::TextNote => "text_note",
        }
    }

    /// The name a person reads in the palette.
    pub fn title(self) -> &'static str {
        match self {
            Self::DomainEvent => "Domain event",
            Self::Command => "Command",
            Self::Aggregate => "Aggregate",
            Self::Policy => "Policy",
            Self::ReadModel => "Read model",
            Self::Actor => "Actor",
            Self::ExternalSystem => "External system",
            Self::Hotspot => "Hotspot",
            Self::BoundedContext => "Bounded context",
            Self::TextNote => "Text",
        }
    }

    /// The standard sticky colour of the kind.
    pub fn colour(self) -> &'static str {
        match self {
            Self::DomainEvent => "#ff9f43",
            Self::Command => "#54a0ff",
            Self::Aggregate => "#fff3a3",
            Self::Policy => "#c8a2ff",
            Self::ReadModel => "#7bd389",
            Self::Actor => "#ffe14d",
            Self::ExternalSystem => "#ff9ecf",
            Self::Hotspot => "#ff2e7e",
            Self::BoundedContext => "transparent",
            Self::TextNote => "transparent",
        }
    }

    /// Width and height a new element of this kind gets.
    pub fn default_size(self) -> (f64, f64) {
        match self {
            Self::Aggregate => (200.0, 200.0),
            Self::Actor => (80.0, 80.0),
            Self::BoundedContext => (800.0, 600.0),
            Self::TextNote => (200.0, 40.0),
            _ => (120.0, 120.0),
        }
    }

    /// What an arrow from this kind to `to` means in event-storming grammar, or `None` when the
    /// pair has no standard meaning (the arrow is still allowed, as on paper).
    pub fn arrow_meaning(self, to: ElementKind) -> Option<&'static str> {
        use ElementKind::*;
        Some(match (self, to) {
            (Actor, Command) => "issues",
            (Command, Aggregate) => "is handled by",
            (Aggregate, DomainEvent) => "emits",
            (Command, DomainEvent) => "results in",
            (DomainEvent, Policy) => "triggers",
            (Policy, Command) => "issues",
            (DomainEvent, ReadModel) => "updates",
            (ReadModel, Actor) => "informs",
            (Command, ExternalSystem) => "calls",
            // Another context's command, synchronously (docs/model-rules.md R23).
            (Command, Command) => "calls",
            // A reference by id (an imported foreign key): the assessment binds the two.
            (Aggregate, Aggregate) => "refers to",
            (ExternalSystem, Command) => "calls back",
            (ExternalSystem, DomainEvent) => "emits",
            _ => return None,
        })
    }

    /// Whether elements of this kind carry a list of typed fields.
    pub fn has_fields(self) -> bool {
        matches!(
            self,
            Self::Aggregate | Self::DomainEvent | Self::Command | Self::ReadModel
        )
    }
}

/// One sticky, frame or text note on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Element {
    pub id: Id,
    pub kind: ElementKind,
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    #[serde(default, skip_serializing_if = "Props::is_empty")]
    pub props: Props,
}

impl Element {
    /// A new element of `kind` at (x, y) with the kind's default size.
    pub fn new(kind: ElementKind, label: impl Into<String>, x: f64, y: f64) -> Self {
        let (width, height) = kind.default_size();
        Self {
            id: super::new_id(),
            kind,
            label: label.into(),
            x,
            y,
            width,
            height,
            props: Props::default(),
        }
    }
}

/// Kind-specific properties; which of them a kind may carry is checked by `Board::apply`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Props {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Attributes of an aggregate, payload of an event or a command, columns of a read model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// A command's HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<HttpMethod>,
    /// A command's HTTP path, such as `/orders/{id}/cancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_path: Option<String>,
    /// A command's or a policy's examples (Given / When / Then), set by `set_examples`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<super::Example>,
    /// A policy's or a read model's field mapping where names differ, set by `set_mapping`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mapping: Vec<super::Mapped>,
}

impl Props {
    pub fn is_empty(&self) -> bool {
        self == &Props::default()
    }
}

/// A named, typed field. `key` marks the identity of an aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub key: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// An arrow from one element to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub id: Id,
    pub from: Id,
    pub to: Id,
}

#[cfg(test)]
mod tests {
    use super::ElementKind::*;

    #[test]
    fn arrows_take_their_meaning_from_the_two_kinds() {
        assert_eq!(Actor.arrow_meaning(Command), Some("issues"));
        assert_eq!(Command.arrow_meaning(Aggregate), Some("is handled by"));
        assert_eq!(Aggregate.arrow_meaning(DomainEvent), Some("emits"));
        assert_eq!(DomainEvent.arrow_meaning(Policy), Some("triggers"));
        assert_eq!(Policy.arrow_meaning(Command), Some("issues"));
        assert_eq!(DomainEvent.arrow_meaning(ReadModel), Some("updates"));
        assert_eq!(Command.arrow_meaning(ExternalSystem), Some("calls"));
        assert_eq!(ExternalSystem.arrow_meaning(Command), Some("calls back"));
        assert_eq!(Hotspot.arrow_meaning(TextNote), None);
    }
}
