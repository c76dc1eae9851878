//! What fills each field of the command a policy issues, and of a read model, from each source
//! event (docs/model-rules.md, "Field mapping"). The board stores only the choices a team made
//! where names differ (`props.mapping`); everything else follows from names:
//!
//! 1. an explicit choice, while what it names is still there;
//! 2. the event's field of the same name (case, `_`, `-` and spaces aside: `order_id` = `orderId`);
//! 3. a field named after the key of the aggregate that emitted the event (`orderId` for an
//!    `Order` whose key is `id`) takes that key, which every event carries;
//! 4. for the key of the aggregate a policy's command acts on (`id` in `PUT /orders/{id}/paid`):
//!    the event's field named after that key (`orderId`), the event's own key when that aggregate
//!    emitted it, or else a lookup: the instance whose UUID field the event also has (the payment
//!    whose `orderId` is the cancelled order's).

use super::{Semantic, path_parameters};
use crate::model::{Element, ElementKind, FieldType, Mapped, Source};

/// One field a policy's command or a read model needs from one source event, and what fills it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fill<'a> {
    /// The source event: a policy's trigger, a read model's source.
    pub event: &'a Element,
    /// The command a policy issues; `None` for a read model.
    pub command: Option<&'a Element>,
    /// The field filled.
    pub field: &'a str,
    /// The aggregate whose key `field` is, when it names the instance a policy's command acts on.
    pub acts_on: Option<&'a Element>,
    /// Whether a row or an instance is found by it: a read model's key, or `acts_on`.
    pub key: bool,
    /// What fills it; `None`: nothing does.
    pub from: Option<Source>,
    /// Chosen in the properties panel (`props.mapping`), not by name.
    pub explicit: bool,
}

impl Fill<'_> {
    /// Whether nothing fills it, as the model check counts it (R29, R30): a policy's command
    /// field or a key per source event, a read model's column only when no source event fills
    /// it (`all`: every fill of the same owner).
    pub fn is_unfilled(&self, all: &[Fill]) -> bool {
        self.from.is_none()
            && (self.key
                || self.command.is_some()
                || !all
                    .iter()
                    .any(|g| g.field == self.field && g.from.is_some()))
    }
}

/// A name as the defaults compare names: lower case letters and digits only.
pub fn plain(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `name` is named after the key of `aggregate`: `orderId` for `Order` keyed by `id`,
/// `orderId` for `Order` keyed by `orderId`, `주문번호` for `주문` keyed by `번호`.
pub fn names_key_of(name: &str, aggregate: &Element) -> bool {
    let Some(key) = aggregate.props.fields.iter().find(|f| f.key) else {
        return false;
    };
    let (name, label, key) = (plain(name), plain(&aggregate.label), plain(&key.name));
    !label.is_empty()
        && (name == format!("{label}{key}") || (key.starts_with(&label) && name == key))
}

impl<'a> Semantic<'a> {
    /// The aggregate that emits `event`: the one with an arrow to it, or the handler of a
    /// command with an arrow to it.
    pub fn emitter(&self, event: &Element) -> Option<&'a Element> {
        self.sources(event.id, ElementKind::Aggregate)
            .into_iter()
            .next()
            .or_else(|| {
                self.sources(event.id, ElementKind::Command)
                    .into_iter()
                    .find_map(|c| self.handler(c.id))
            })
    }

    /// The aggregate `command` acts on by its key (a key field it marks), when its path names
    /// the instance ([`Semantic::instance_parameter`]).
    pub fn acts_on(&self, command: &Element) -> Option<(&'a Element, &'a str)> {
        let aggregate = self.handler(command.id)?;
        let key = aggregate.props.fields.iter().find(|f| f.key)?;
        self.instance_parameter(command)?;
        Some((aggregate, key.name.as_str()))
    }

    /// The route parameter that names the instance of its aggregate `command` acts on, when the
    /// key (`id` when the aggregate marks none) is none of the command's own fields: the
    /// parameter named after the key (`PUT /orders/{id}/paid`), else the one parameter none of
    /// its fields fills when it is `{id}` or named after the aggregate (`{id}` or `{orderId}` for
    /// a key called `주문번호`). R25 and code generation read this
    /// one answer (docs/model-rules.md).
    pub fn instance_parameter<'c>(&self, command: &'c Element) -> Option<&'c str> {
        let aggregate = self.handler(command.id)?;
        let key = aggregate
            .props
            .fields
            .iter()
            .find(|f| f.key)
            .map_or("id", |f| f.name.as_str());
        let own = |name: &str| {
            command
                .props
                .fields
                .iter()
                .any(|f| plain(&f.name) == plain(name))
        };
        if own(key) {
            return None;
        }
        let params = path_parameters(command.props.http_path.as_deref()?);
        if let Some(p) = params.iter().find(|p| plain(p) == plain(key)) {
            return Some(p);
        }
        // The one parameter no field fills that has a generic name (`{id}`) or is named after
        // the aggregate (`{orderId}`): `{lineId}` in `/orders/{id}/lines/{lineId}` is not it.
        let label = plain(&aggregate.label);
        match params
            .iter()
            .filter(|p| !own(p))
            .filter(|p| {
                let p = plain(p);
                p == "id" || p == format!("{label}id") || names_key_of(&p, aggregate)
            })
            .collect::<Vec<_>>()
            .as_slice()
        {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Every field `owner` (a policy or a read model) needs, per source event (and per issued
    /// command), with what fills it; empty for other kinds. In reading order of the events.
    pub fn fills(&self, owner: &'a Element) -> Vec<Fill<'a>> {
        let mut out = Vec::new();
        let events = self.sorted(self.sources(owner.id, ElementKind::DomainEvent));
        match owner.kind {
            ElementKind::Policy => {
                for command in self.sorted(self.targets(owner.id, ElementKind::Command)) {
                    let acts_on = self.acts_on(command);
                    for &event in &events {
                        if let Some((aggregate, key)) = acts_on {
                            out.push(self.fill(owner, event, Some(command), key, Some(aggregate)));
                        }
                        for f in &command.props.fields {
                            out.push(self.fill(owner, event, Some(command), &f.name, None));
                        }
                    }
                }
            }
            ElementKind::ReadModel => {
                for &event in &events {
                    for f in &owner.props.fields {
                        let mut fill = self.fill(owner, event, None, &f.name, None);
                        fill.key = f.key;
                        out.push(fill);
                    }
                }
            }
            _ => {}
        }
        out
    }

    fn sorted(&self, mut elements: Vec<&'a Element>) -> Vec<&'a Element> {
        elements.sort_by(|a, b| {
            (a.y, a.x, a.id)
                .partial_cmp(&(b.y, b.x, b.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        elements.dedup_by_key(|e| e.id);
        elements
    }

    fn fill(
        &self,
        owner: &'a Element,
        event: &'a Element,
        command: Option<&'a Element>,
        field: &'a str,
        acts_on: Option<&'a Element>,
    ) -> Fill<'a> {
        let chosen = owner.props.mapping.iter().find(|m| {
            m.event == event.id && m.command == command.map(|c| c.id) && m.field == field
        });
        let valid = chosen.filter(|m| self.still_holds(m, event, acts_on));
        let (from, explicit) = match valid {
            Some(m) => (Some(m.from.clone()), true),
            None => (self.by_name(event, field, acts_on), false),
        };
        Fill {
            event,
            command,
            field,
            acts_on,
            key: acts_on.is_some(),
            from,
            explicit,
        }
    }

    /// Whether an explicit choice still names what the board has.
    fn still_holds(&self, m: &Mapped, event: &Element, acts_on: Option<&Element>) -> bool {
        let has = |e: &Element, name: &str| e.props.fields.iter().any(|f| f.name == name);
        match &m.from {
            Source::Field(name) => has(event, name),
            Source::Key => self
                .emitter(event)
                .is_some_and(|a| a.props.fields.iter().any(|f| f.key)),
            Source::Lookup(name) => acts_on.is_some_and(|a| has(a, name)) && has(event, name),
        }
    }

    /// What fills `field` by name alone, whatever was chosen (the module's rules 2 to 4).
    pub fn by_name(
        &self,
        event: &Element,
        field: &str,
        acts_on: Option<&Element>,
    ) -> Option<Source> {
        let emitter = self.emitter(event);
        if let Some(aggregate) = acts_on {
            if let Some(f) = event
                .props
                .fields
                .iter()
                .find(|f| names_key_of(&f.name, aggregate))
            {
                return Some(Source::Field(f.name.clone()));
            }
            if emitter.is_some_and(|e| e.id == aggregate.id) {
                return Some(Source::Key);
            }
            return aggregate
                .props
                .fields
                .iter()
                .filter(|g| !g.key && g.ty == FieldType::Uuid)
                .find(|g| event.props.fields.iter().any(|f| f.name == g.name))
                .map(|g| Source::Lookup(g.name.clone()));
        }
        let wanted = plain(field);
        if let Some(f) = event.props.fields.iter().find(|f| plain(&f.name) == wanted) {
            return Some(Source::Field(f.name.clone()));
        }
        emitter
            .filter(|a| names_key_of(field, a))
            .map(|_| Source::Key)
    }

    /// What is wrong with an explicit choice of `owner`'s mapping, if anything: what it names
    /// is gone, or is no longer a source, an issued command or a field it needs.
    /// `fills`: [`Semantic::fills`] of `owner`, already made.
    pub fn stale_mapping(&self, owner: &'a Element, fills: &[Fill<'a>]) -> Option<String> {
        let board = self.board;
        if let Err(why) = crate::model::mapping::check_references(
            owner,
            &owner.props.mapping,
            |id| board.element(id),
            |command| self.targets(command, ElementKind::Aggregate),
        ) {
            return Some(why.to_string());
        }
        for m in &owner.props.mapping {
            let used = fills.iter().any(|f| {
                f.event.id == m.event && f.command.map(|c| c.id) == m.command && f.field == m.field
            });
            let label = |id| {
                board
                    .element(id)
                    .map(|e| e.label.clone())
                    .unwrap_or_default()
            };
            if !used {
                return Some(match m.command {
                    Some(c) => format!(
                        "the field mapping fills {:?} of {:?} from {:?}, which does not trigger it to issue that command",
                        m.field,
                        label(c),
                        label(m.event)
                    ),
                    None => format!(
                        "the field mapping fills {:?} from {:?}, which is not one of its source events",
                        m.field,
                        label(m.event)
                    ),
                });
            }
            if fills.iter().any(|f| {
                f.event.id == m.event
                    && f.command.map(|c| c.id) == m.command
                    && f.field == m.field
                    && !f.explicit
            }) {
                return Some(format!(
                    "the field mapping fills {:?} from {:?} with what the event no longer has",
                    m.field,
                    label(m.event)
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
