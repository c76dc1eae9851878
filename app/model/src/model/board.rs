use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize, Serializer, ser::SerializeStruct};

use super::{Connection, Element, ElementKind, Field, Id, Op, Rejection};

/// The size limits every board obeys, whoever edits it.
#[derive(Debug, Clone, Copy)]
pub struct Limits;

impl Limits {
    pub const MAX_ELEMENTS: usize = 20_000;
    pub const MAX_CONNECTIONS: usize = 40_000;
    pub const MAX_LABEL_CHARS: usize = 2_000;
    pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
    pub const MAX_TITLE_CHARS: usize = 200;
    pub const MAX_FIELDS: usize = 200;
    pub const MAX_FIELD_NAME_CHARS: usize = 200;
    pub const MAX_HTTP_PATH_CHARS: usize = 500;
    /// Coordinates live within ±this on the canvas.
    pub const MAX_COORDINATE: f64 = 10_000_000.0;
    pub const MIN_SIZE: f64 = 1.0;
    pub const MAX_SIZE: f64 = 100_000.0;
    /// Examples (Given / When / Then) per command or policy.
    pub const MAX_EXAMPLES: usize = 50;
    /// Events given, and events or commands expected, per example.
    pub const MAX_EXAMPLE_STEPS: usize = 50;
    /// Field values per step, and the characters of one value as JSON.
    pub const MAX_EXAMPLE_VALUES: usize = 200;
    pub const MAX_EXAMPLE_VALUE_CHARS: usize = 2_000;
    pub const MAX_EXAMPLE_REFUSAL_CHARS: usize = 500;
}

/// A board: its title, its elements and the arrows between them.
///
/// Elements and connections are kept by id (UUID v7, so in creation order); on the wire they are
/// arrays. A `Board` only ever holds a valid document: it is built and changed through `apply`.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    title: String,
    elements: BTreeMap<Id, Element>,
    connections: BTreeMap<Id, Connection>,
    /// (from, to) of every connection, so a duplicate arrow is found without a scan.
    arrows: HashSet<(Id, Id)>,
}

impl Board {
    /// An empty board, or the reason the title is not acceptable.
    pub fn new(title: &str) -> Result<Self, Rejection> {
        Ok(Self {
            title: check_title(title)?,
            elements: BTreeMap::new(),
            connections: BTreeMap::new(),
            arrows: HashSet::new(),
        })
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn elements(&self) -> impl ExactSizeIterator<Item = &Element> {
        self.elements.values()
    }

    pub fn element(&self, id: Id) -> Option<&Element> {
        self.elements.get(&id)
    }

    pub fn connections(&self) -> impl ExactSizeIterator<Item = &Connection> {
        self.connections.values()
    }

    /// The aggregates each of `commands` has an arrow to, in one pass over the arrows.
    fn handlers_of(&self, commands: impl Iterator<Item = Id>) -> HashMap<Id, Vec<&Element>> {
        let mut handlers: HashMap<Id, Vec<&Element>> = commands.map(|c| (c, Vec::new())).collect();
        if handlers.is_empty() {
            return handlers;
        }
        for c in self.connections.values() {
            if let (Some(list), Some(to)) = (handlers.get_mut(&c.from), self.elements.get(&c.to))
                && to.kind == ElementKind::Aggregate
            {
                list.push(to);
            }
        }
        handlers
    }

    /// Applies one operation, or leaves the board untouched and says why not.
    pub fn apply(&mut self, op: Op) -> Result<(), Rejection> {
        match op {
            Op::CreateElement { element } => {
                if self.id_in_use(element.id) {
                    return Err(Rejection::DuplicateId(element.id));
                }
                if self.elements.len() >= Limits::MAX_ELEMENTS {
                    return Err(Rejection::TooManyElements {
                        max: Limits::MAX_ELEMENTS,
                    });
                }
                check_element(&element)?;
                self.elements.insert(element.id, element);
            }
            Op::UpdateElement {
                id,
                label,
                description,
                fields,
                http_method,
                http_path,
            } => {
                let current = self
                    .elements
                    .get(&id)
                    .ok_or(Rejection::UnknownElement(id))?;
                let mut next = current.clone();
                if let Some(label) = label {
                    next.label = label;
                }
                if let Some(description) = description {
                    next.props.description = description;
                }
                if let Some(fields) = fields {
                    next.props.fields = fields;
                }
                if let Some(method) = http_method {
                    next.props.http_method = method;
                }
                if let Some(path) = http_path {
                    next.props.http_path = path;
                }
                check_element(&next)?;
                self.elements.insert(id, next);
            }
            Op::SetExamples { id, examples } => {
                let owner = self
                    .elements
                    .get(&id)
                    .ok_or(Rejection::UnknownElement(id))?;
                super::example::check_shape(owner, &examples)?;
                super::example::check_references(owner, &examples, |id| self.elements.get(&id))?;
                self.element_mut(id)?.props.examples = examples;
            }
            Op::SetMapping { id, mapping } => {
                let owner = self
                    .elements
                    .get(&id)
                    .ok_or(Rejection::UnknownElement(id))?;
                super::mapping::check_shape(owner, &mapping)?;
                let handlers = self.handlers_of(mapping.iter().filter_map(|m| m.command));
                super::mapping::check_references(
                    owner,
                    &mapping,
                    |id| self.elements.get(&id),
                    |command| handlers.get(&command).cloned().unwrap_or_default(),
                )?;
                self.element_mut(id)?.props.mapping = mapping;
            }
            Op::MoveElement { id, x, y } => {
                check_coordinate(x)?;
                check_coordinate(y)?;
                let element = self.element_mut(id)?;
                element.x = x;
                element.y = y;
            }
            Op::ResizeElement { id, width, height } => {
                check_size(width)?;
                check_size(height)?;
                let element = self.element_mut(id)?;
                element.width = width;
                element.height = height;
            }
            Op::DeleteElement { id } => {
                self.elements
                    .remove(&id)
                    .ok_or(Rejection::UnknownElement(id))?;
                let arrows = &mut self.arrows;
                self.connections.retain(|_, c| {
                    let keep = c.from != id && c.to != id;
                    if !keep {
                        arrows.remove(&(c.from, c.to));
                    }
                    keep
                });
            }
            Op::Connect { connection } => {
                if self.id_in_use(connection.id) {
                    return Err(Rejection::DuplicateId(connection.id));
                }
                for end in [connection.from, connection.to] {
                    if !self.elements.contains_key(&end) {
                        return Err(Rejection::UnknownElement(end));
                    }
                }
                if connection.from == connection.to {
                    return Err(Rejection::SelfConnection);
                }
                if self.arrows.contains(&(connection.from, connection.to)) {
                    return Err(Rejection::DuplicateConnection);
                }
                if self.connections.len() >= Limits::MAX_CONNECTIONS {
                    return Err(Rejection::TooManyConnections {
                        max: Limits::MAX_CONNECTIONS,
                    });
                }
                self.arrows.insert((connection.from, connection.to));
                self.connections.insert(connection.id, connection);
            }
            Op::Disconnect { id } => {
                let removed = self
                    .connections
                    .remove(&id)
                    .ok_or(Rejection::UnknownConnection(id))?;
                self.arrows.remove(&(removed.from, removed.to));
            }
            Op::RenameBoard { title } => {
                self.title = check_title(&title)?;
            }
        }
        Ok(())
    }

    /// Applies every operation or none: on a rejection the board is unchanged and the error
    /// carries the index of the operation that failed.
    pub fn apply_all(
        &mut self,
        ops: impl IntoIterator<Item = Op>,
    ) -> Result<(), (usize, Rejection)> {
        self.apply_all_with_inverse(ops).map(drop)
    }

    /// Like `apply_all`, and also returns the operations that undo the whole batch.
    ///
    /// Works in place: a failed batch is rolled back with the inverses of the operations that
    /// went through, so a one-operation edit on a 5,000-sticky board costs no copy of the board.
    pub fn apply_all_with_inverse(
        &mut self,
        ops: impl IntoIterator<Item = Op>,
    ) -> Result<Vec<Op>, (usize, Rejection)> {
        let mut undo: Vec<Vec<Op>> = Vec::new();
        for (index, op) in ops.into_iter().enumerate() {
            // Each op's inverse is in the order to apply it; the batch's inverses run last first.
            let step = self
                .inverse(&op)
                .and_then(|inverse| self.apply(op).map(|()| inverse));
            match step {
                Ok(inverse) => undo.push(inverse),
                Err(rejection) => {
                    self.undo_all(undo.into_iter().rev().flatten());
                    return Err((index, rejection));
                }
            }
        }
        Ok(undo.into_iter().rev().flatten().collect())
    }

    /// Applies inverses made by [`Board::inverse`] for this very board state. They cannot be
    /// refused (each restores what an operation just changed), so a refusal is a bug in `inverse`.
    pub fn undo_all(&mut self, inverses: impl IntoIterator<Item = Op>) {
        for op in inverses {
            let undone = self.apply(op);
            debug_assert!(undone.is_ok(), "an inverse was refused: {undone:?}");
        }
    }

    /// The operations that undo `op` if it is applied to the board as it is now.
    pub fn inverse(&self, op: &Op) -> Result<Vec<Op>, Rejection> {
        let element = |id: &Id| self.elements.get(id).ok_or(Rejection::UnknownElement(*id));
        Ok(match op {
            Op::CreateElement { element } => vec![Op::DeleteElement { id: element.id }],
            Op::UpdateElement {
                id,
                label,
                description,
                fields,
                http_method,
                http_path,
            } => {
                let old = element(id)?;
                vec![Op::UpdateElement {
                    id: *id,
                    label: label.as_ref().map(|_| old.label.clone()),
                    description: description.as_ref().map(|_| old.props.description.clone()),
                    fields: fields.as_ref().map(|_| old.props.fields.clone()),
                    http_method: http_method.as_ref().map(|_| old.props.http_method),
                    http_path: http_path.as_ref().map(|_| old.props.http_path.clone()),
                }]
            }
            Op::SetExamples { id, .. } => vec![Op::SetExamples {
                id: *id,
                examples: element(id)?.props.examples.clone(),
            }],
            Op::SetMapping { id, .. } => vec![Op::SetMapping {
                id: *id,
                mapping: element(id)?.props.mapping.clone(),
            }],
            Op::MoveElement { id, .. } => {
                let old = element(id)?;
                vec![Op::MoveElement {
                    id: *id,
                    x: old.x,
                    y: old.y,
                }]
            }
            Op::ResizeElement { id, .. } => {
                let old = element(id)?;
                vec![Op::ResizeElement {
                    id: *id,
                    width: old.width,
                    height: old.height,
                }]
            }
            Op::DeleteElement { id } => {
                let old = element(id)?;
                let mut ops = vec![Op::CreateElement {
                    element: old.clone(),
                }];
                ops.extend(
                    self.connections
                        .values()
                        .filter(|c| c.from == *id || c.to == *id)
                        .map(|c| Op::Connect {
                            connection: c.clone(),
                        }),
                );
                ops
            }
            Op::Connect { connection } => vec![Op::Disconnect { id: connection.id }],
            Op::Disconnect { id } => {
                let old = self
                    .connections
                    .get(id)
                    .ok_or(Rejection::UnknownConnection(*id))?;
                vec![Op::Connect {
                    connection: old.clone(),
                }]
            }
            Op::RenameBoard { .. } => vec![Op::RenameBoard {
                title: self.title.clone(),
            }],
        })
    }

    /// The operations that build this board from an empty one.
    pub fn to_ops(&self) -> Vec<Op> {
        let elements = self
            .elements
            .values()
            .map(|e| Op::CreateElement { element: e.clone() });
        let connections = self.connections.values().map(|c| Op::Connect {
            connection: c.clone(),
        });
        elements.chain(connections).collect()
    }

    fn id_in_use(&self, id: Id) -> bool {
        self.elements.contains_key(&id) || self.connections.contains_key(&id)
    }

    fn element_mut(&mut self, id: Id) -> Result<&mut Element, Rejection> {
        self.elements
            .get_mut(&id)
            .ok_or(Rejection::UnknownElement(id))
    }
}

fn check_title(title: &str) -> Result<String, Rejection> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Rejection::TitleEmpty);
    }
    if title.chars().count() > Limits::MAX_TITLE_CHARS {
        return Err(Rejection::TitleTooLong {
            max: Limits::MAX_TITLE_CHARS,
        });
    }
    check_text(title)?;
    Ok(title.to_string())
}

/// Text may hold anything a person types (any script, emoji, markup shown as text) but not
/// control characters, which no one types and which PostgreSQL refuses (NUL).
fn check_text(text: &str) -> Result<(), Rejection> {
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Rejection::ControlCharacter);
    }
    Ok(())
}

fn check_coordinate(v: f64) -> Result<(), Rejection> {
    if v.is_finite() && v.abs() <= Limits::MAX_COORDINATE {
        Ok(())
    } else {
        Err(Rejection::BadCoordinate {
            max: Limits::MAX_COORDINATE,
        })
    }
}

fn check_size(v: f64) -> Result<(), Rejection> {
    if v.is_finite() && (Limits::MIN_SIZE..=Limits::MAX_SIZE).contains(&v) {
        Ok(())
    } else {
        Err(Rejection::BadSize {
            min: Limits::MIN_SIZE,
            max: Limits::MAX_SIZE,
        })
    }
}

fn check_element(e: &Element) -> Result<(), Rejection> {
    check_coordinate(e.x)?;
    check_coordinate(e.y)?;
    check_size(e.width)?;
    check_size(e.height)?;
    if e.label.chars().count() > Limits::MAX_LABEL_CHARS {
        return Err(Rejection::LabelTooLong {
            max: Limits::MAX_LABEL_CHARS,
        });
    }
    check_text(&e.label)?;
    let props = &e.props;
    if props.description.chars().count() > Limits::MAX_DESCRIPTION_CHARS {
        return Err(Rejection::DescriptionTooLong {
            max: Limits::MAX_DESCRIPTION_CHARS,
        });
    }
    check_text(&props.description)?;
    let not_allowed = |property| Rejection::PropertyNotAllowed {
        kind: e.kind.as_str(),
        property,
    };
    if !props.fields.is_empty() {
        if !e.kind.has_fields() {
            return Err(not_allowed("fields"));
        }
        check_fields(e.kind, &props.fields)?;
    }
    if e.kind != ElementKind::Command {
        if props.http_method.is_some() {
            return Err(not_allowed("http_method"));
        }
        if props.http_path.is_some() {
            return Err(not_allowed("http_path"));
        }
    }
    if let Some(path) = &props.http_path {
        check_http_path(path)?;
    }
    // What the examples name is checked by `set_examples` and on import; an element created
    // with examples (an undone delete, a paste) may name stickies that are gone (R28).
    super::example::check_shape(e, &props.examples)?;
    super::mapping::check_shape(e, &props.mapping)?;
    Ok(())
}

fn check_fields(kind: ElementKind, fields: &[Field]) -> Result<(), Rejection> {
    if fields.len() > Limits::MAX_FIELDS {
        return Err(Rejection::TooManyFields {
            max: Limits::MAX_FIELDS,
        });
    }
    let mut seen = HashSet::new();
    for field in fields {
        let name = field.name.trim();
        let bad = name.is_empty()
            || name.chars().count() > Limits::MAX_FIELD_NAME_CHARS
            || name.chars().any(char::is_control);
        if bad || name != field.name {
            return Err(Rejection::BadFieldName(field.name.clone()));
        }
        if !seen.insert(name) {
            return Err(Rejection::DuplicateFieldName(field.name.clone()));
        }
        // An aggregate is found by its key, and so is a read model's row (docs/model-rules.md).
        if field.key && !matches!(kind, ElementKind::Aggregate | ElementKind::ReadModel) {
            return Err(Rejection::KeyOutsideAggregate);
        }
    }
    Ok(())
}

fn check_http_path(path: &str) -> Result<(), Rejection> {
    let ok = path.starts_with('/')
        && path.len() <= Limits::MAX_HTTP_PATH_CHARS
        && !path.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Rejection::BadHttpPath)
    }
}

impl Serialize for Board {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Seq<'a, T>(&'a BTreeMap<Id, T>);
        impl<T: Serialize> Serialize for Seq<'_, T> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.values())
            }
        }
        let mut s = serializer.serialize_struct("Board", 3)?;
        s.serialize_field("title", &self.title)?;
        s.serialize_field("elements", &Seq(&self.elements))?;
        s.serialize_field("connections", &Seq(&self.connections))?;
        s.end()
    }
}

/// The wire form of a board; turned into a [`Board`] only through `apply` ([`BoardDoc::build`]),
/// so a stored or imported document is validated exactly like live edits.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BoardDoc {
    pub title: String,
    #[serde(default)]
    pub elements: Vec<Element>,
    #[serde(default)]
    pub connections: Vec<Connection>,
}

/// Where in a board document a rejection was found, for messages that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DocPlace {
    Title,
    /// The element at this index of `elements`.
    Element(usize),
    /// The connection at this index of `connections`.
    Connection(usize),
}

impl BoardDoc {
    /// The board these parts describe: elements first, then connections, each through `apply`.
    pub fn build(self) -> Result<Board, (DocPlace, Rejection)> {
        let mut board = Board::new(&self.title).map_err(|r| (DocPlace::Title, r))?;
        for (i, element) in self.elements.into_iter().enumerate() {
            board
                .apply(Op::CreateElement { element })
                .map_err(|r| (DocPlace::Element(i), r))?;
        }
        for (i, connection) in self.connections.into_iter().enumerate() {
            board
                .apply(Op::Connect { connection })
                .map_err(|r| (DocPlace::Connection(i), r))?;
        }
        Ok(board)
    }
}

impl<'de> Deserialize<'de> for Board {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BoardDoc::deserialize(deserializer)?
            .build()
            .map_err(|(_, rejection)| serde::de::Error::custom(rejection))
    }
}

#[cfg(test)]
mod tests;
