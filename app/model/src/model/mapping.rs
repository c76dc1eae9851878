//! Field mapping of policies and read models: which field of a source event fills each field of
//! the command a policy issues, or of a read model. Only what a team sets explicitly is stored
//! (`props.mapping`, set by the `set_mapping` op); the defaults (equal names, a field named after
//! an aggregate's key) are worked out by the semantic model (`semantic::Semantic::fills`), so a
//! stored entry is always a decision somebody made where names differ (`amount` ← `total`).

use serde::{Deserialize, Serialize};

use super::{Element, ElementKind, Id, Limits, Rejection};

/// One explicit choice: field `field` of `command` (a policy's) or of the read model itself is
/// filled, when `event` arrives, from `from`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Mapped {
    /// The source event (a policy's trigger, a read model's source).
    pub event: Id,
    /// The command the policy issues; absent for a read model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Id>,
    /// The field filled: a field of the command or of the read model, or the key of the
    /// aggregate the command acts on (`id` in `PUT /orders/{id}/paid`).
    pub field: String,
    pub from: Source,
}

/// What fills a field: `{"field": "total"}`, `"key"` or `{"lookup": "orderId"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// This field of the event.
    Field(String),
    /// The key of the aggregate that emitted the event (every event carries it).
    Key,
    /// For the key of the aggregate a command acts on: the instance whose field of this name
    /// equals the event's field of the same name (the payment whose `orderId` is the order's).
    Lookup(String),
}

/// How many explicit choices one policy or read model holds.
pub const MAX_MAPPED: usize = Limits::MAX_FIELDS * 4;

/// The checks that need nothing but the mapping and its element: which kinds have one, how many
/// entries, a command named exactly for a policy, no field twice.
pub fn check_shape(owner: &Element, mapping: &[Mapped]) -> Result<(), Rejection> {
    let bad = |why: String| Err(Rejection::BadMapping(why));
    if mapping.is_empty() {
        return Ok(());
    }
    let policy = match owner.kind {
        ElementKind::Policy => true,
        ElementKind::ReadModel => false,
        kind => {
            return Err(Rejection::PropertyNotAllowed {
                kind: kind.as_str(),
                property: "mapping",
            });
        }
    };
    if mapping.len() > MAX_MAPPED {
        return bad(format!("a field mapping has at most {MAX_MAPPED} entries"));
    }
    let mut seen = std::collections::HashSet::new();
    for m in mapping {
        match (policy, m.command) {
            (true, None) => {
                return bad(format!(
                    "a policy's mapping names the command whose field {:?} it fills",
                    m.field
                ));
            }
            (false, Some(_)) => {
                return bad(
                    "a read model's mapping fills its own fields: it names no command".into(),
                );
            }
            _ => {}
        }
        let names = [m.field.as_str()].into_iter().chain(match &m.from {
            Source::Field(name) | Source::Lookup(name) => Some(name.as_str()),
            Source::Key => None,
        });
        for name in names {
            if name.trim().is_empty()
                || name.chars().count() > Limits::MAX_FIELD_NAME_CHARS
                || name.chars().any(char::is_control)
            {
                return bad(format!("{name:?} is not a field name"));
            }
        }
        if !seen.insert((m.event, m.command, m.field.as_str())) {
            return bad(format!(
                "the mapping fills field {:?} twice from one event",
                m.field
            ));
        }
    }
    Ok(())
}

/// The checks against the board: every event and command the mapping names exists and is of
/// that kind, the field it fills belongs to the command (or to the aggregate it has an arrow to,
/// for its key) or to the read model, and the source is a field of the event (or of the
/// aggregate, for a lookup). `element` finds a sticky, `handlers` the aggregates a command has
/// arrows to.
pub fn check_references<'a>(
    owner: &'a Element,
    mapping: &[Mapped],
    element: impl Fn(Id) -> Option<&'a Element>,
    handlers: impl Fn(Id) -> Vec<&'a Element>,
) -> Result<(), Rejection> {
    let has = |e: &Element, name: &str| e.props.fields.iter().any(|f| f.name == name);
    let named = |e: &Element| format!("{} {:?}", e.kind.title().to_lowercase(), e.label);
    let find = |id: Id, kind: ElementKind| match element(id) {
        Some(e) if e.kind == kind => Ok(e),
        Some(e) => Err(Rejection::BadMapping(format!(
            "the mapping names {} where a {} belongs",
            named(e),
            kind.title().to_lowercase()
        ))),
        None => Err(Rejection::BadMapping(format!(
            "the mapping names a {} that is not on this board (deleted?): {id}",
            kind.title().to_lowercase()
        ))),
    };
    for m in mapping {
        let event = find(m.event, ElementKind::DomainEvent)?;
        let (target, keys) = match m.command {
            Some(command) => {
                let command = find(command, ElementKind::Command)?;
                let keys: Vec<&Element> = handlers(command.id)
                    .into_iter()
                    .filter(|a| a.props.fields.iter().any(|f| f.key && f.name == m.field))
                    .collect();
                (command, keys)
            }
            None => (owner, Vec::new()),
        };
        if !has(target, &m.field) && keys.is_empty() {
            return Err(Rejection::BadMapping(format!(
                "{} has no field {:?} to fill",
                named(target),
                m.field
            )));
        }
        match &m.from {
            Source::Field(name) if !has(event, name) => {
                return Err(Rejection::BadMapping(format!(
                    "{} has no field {name:?}",
                    named(event)
                )));
            }
            Source::Lookup(name) if !keys.iter().any(|a| has(a, name)) || !has(event, name) => {
                return Err(Rejection::BadMapping(format!(
                    "a lookup by {name:?} needs that field on {} and on the aggregate whose key {:?} is",
                    named(event),
                    m.field
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
