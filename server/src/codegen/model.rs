//! The service model: what a board means for code, derived from stickies and arrows by one pure
//! function, [`ServiceModel::from_board`]. Each bounded-context frame is a service; a sticky
//! belongs to the smallest frame its centre lies in. What cannot be generated (a command no
//! aggregate handles, an event nobody emits, a sticky outside every context, …) becomes a
//! [`Problem`], never a silent omission.

use std::collections::HashMap;

use app::model::{Board, Element, ElementKind, FieldType, HttpMethod, Id};
use app::semantic::{centre, smallest_frame_around};

use super::names::{self, Identifiers, Scope};

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceModel {
    pub services: Vec<Service>,
    pub problems: Vec<Problem>,
    /// The script of code identifiers (`type_name`, `snake`).
    pub identifiers: Identifiers,
}

/// One bounded context: one generated service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: Name,
    pub aggregates: Vec<Aggregate>,
    pub commands: Vec<Command>,
    pub events: Vec<Event>,
    pub policies: Vec<Policy>,
    pub read_models: Vec<ReadModel>,
    pub external_systems: Vec<Name>,
    pub actors: Vec<Name>,
}

/// A sticky's names in every convention generated code needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub id: Id,
    pub label: String,
    /// `OrderPlaced`: unique among the service's types (in the team's script with
    /// `Identifiers::Native`).
    pub type_name: String,
    /// `OrderPlaced` in ASCII whatever the option: wire type names, schema and table names.
    pub ascii_type: String,
    /// `order_placed` in ASCII whatever the option.
    pub ascii_snake: String,
    /// `order_placed`: unique among the service's functions and modules.
    pub snake: String,
    /// `order-placed`: unique across the whole export (crates, topics, Kubernetes objects).
    pub dns: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: String,
    /// `customer_id`: unique within its struct.
    pub snake: String,
    pub ty: FieldType,
    pub key: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub name: Name,
    pub fields: Vec<Field>,
    /// The identity field; `None` when the sticky marks none (a UUID `id` is generated).
    pub key: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub name: Name,
    pub fields: Vec<Field>,
    pub method: HttpMethod,
    pub path: String,
    /// The aggregate that handles it (same service).
    pub aggregate: Option<Id>,
    /// The events it results in.
    pub emits: Vec<Id>,
    /// Synchronous calls: commands of other services and external systems it calls.
    pub calls: Vec<Call>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// A command of another service, over HTTP (timeout, retries, circuit breaker, fallback).
    Command {
        service: Id,
        command: Id,
    },
    ExternalSystem(Id),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub name: Name,
    pub fields: Vec<Field>,
    /// The aggregate that emits it, if any.
    pub aggregate: Option<Id>,
    /// The Kafka topic (`<service>.<event>`), ASCII and stable.
    pub topic: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: Name,
    /// `when` these events (of any service: another service's events arrive from its topic).
    pub triggers: Vec<Trigger>,
    /// `then` these commands (another service's command is a synchronous call).
    pub issues: Vec<Call>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub service: Id,
    pub event: Id,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReadModel {
    pub name: Name,
    pub fields: Vec<Field>,
    /// The events that update it (of any service).
    pub sources: Vec<Trigger>,
}

/// Something on the board the generator cannot turn into code, with the sticky it is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub element: Id,
    pub message: String,
}

impl ServiceModel {
    pub fn from_board(board: &Board) -> Self {
        Self::from_board_with(board, Identifiers::Ascii)
    }

    /// The model with code identifiers in `identifiers`' script.
    pub fn from_board_with(board: &Board, identifiers: Identifiers) -> Self {
        let mut builder = Builder::new(board);
        builder.identifiers = identifiers;
        builder.build()
    }

    pub fn service(&self, id: Id) -> Option<&Service> {
        self.services.iter().find(|s| s.name.id == id)
    }
}

struct Builder<'a> {
    board: &'a Board,
    /// Service (frame) of every element inside one.
    owner: HashMap<Id, Id>,
    /// Arrows by source.
    outgoing: HashMap<Id, Vec<&'a Element>>,
    problems: Vec<Problem>,
    dns: Scope,
    identifiers: Identifiers,
}

impl<'a> Builder<'a> {
    fn new(board: &'a Board) -> Self {
        let frames: Vec<&Element> = board
            .elements()
            .filter(|e| e.kind == ElementKind::BoundedContext)
            .collect();
        let mut owner = HashMap::new();
        for e in board
            .elements()
            .filter(|e| e.kind != ElementKind::BoundedContext)
        {
            // The one membership rule, shared with the checks and a frame's drag.
            if let Some(frame) = smallest_frame_around(&frames, centre(e)) {
                owner.insert(e.id, frame.id);
            }
        }
        let mut outgoing: HashMap<Id, Vec<&Element>> = HashMap::new();
        for c in board.connections() {
            if let Some(to) = board.element(c.to) {
                outgoing.entry(c.from).or_default().push(to);
            }
        }
        Self {
            board,
            owner,
            outgoing,
            problems: Vec::new(),
            dns: Scope::default(),
            identifiers: Identifiers::Ascii,
        }
    }

    fn problem(&mut self, e: &Element, message: String) {
        self.problems.push(Problem {
            element: e.id,
            message,
        });
    }

    fn targets(&self, id: Id, kind: ElementKind) -> Vec<&'a Element> {
        self.outgoing
            .get(&id)
            .map(|to| to.iter().copied().filter(|e| e.kind == kind).collect())
            .unwrap_or_default()
    }

    fn sources(&self, id: Id, kind: ElementKind) -> Vec<&'a Element> {
        self.board
            .connections()
            .filter(|c| c.to == id)
            .filter_map(|c| self.board.element(c.from))
            .filter(|e| e.kind == kind)
            .collect()
    }

    fn build(mut self) -> ServiceModel {
        let mut frames: Vec<&Element> = self
            .board
            .elements()
            .filter(|e| e.kind == ElementKind::BoundedContext)
            .collect();
        // Left to right, top to bottom: the order a team reads the board.
        frames.sort_by(|a, b| {
            (a.x, a.y)
                .partial_cmp(&(b.x, b.y))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for e in self.board.elements() {
            let generated = !matches!(
                e.kind,
                ElementKind::BoundedContext | ElementKind::Hotspot | ElementKind::TextNote
            );
            if generated && !self.owner.contains_key(&e.id) {
                self.problem(
                    e,
                    format!(
                        "{} {:?} is outside every bounded context",
                        e.kind.title(),
                        e.label
                    ),
                );
            }
            if e.kind == ElementKind::Hotspot {
                self.problem(e, format!("hotspot {:?} is still open", e.label));
            }
        }
        let services = frames.iter().map(|f| self.service(f)).collect();
        let mut problems = self.problems;
        problems.sort();
        ServiceModel {
            services,
            problems,
            identifiers: self.identifiers,
        }
    }

    fn members(&self, frame: Id, kind: ElementKind) -> Vec<&'a Element> {
        let mut members: Vec<&Element> = self
            .board
            .elements()
            .filter(|e| e.kind == kind && self.owner.get(&e.id) == Some(&frame))
            .collect();
        members.sort_by(|a, b| {
            (a.x, a.y, a.id)
                .partial_cmp(&(b.x, b.y, b.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        members
    }

    fn service(&mut self, frame: &Element) -> Service {
        let native = self.identifiers == Identifiers::Native;
        let (mut types, mut snakes) = (Scope::default(), Scope::default());
        let (mut ascii_types, mut ascii_snakes) = (Scope::default(), Scope::default());
        let dns = self
            .dns
            .unique_dns(names::dns_name(&frame.label, "service"));
        let service_name = Name {
            id: frame.id,
            label: frame.label.clone(),
            type_name: names::type_name(&frame.label, "service"),
            snake: names::snake_name(&frame.label, "service"),
            ascii_type: names::type_name(&frame.label, "service"),
            ascii_snake: names::snake_name(&frame.label, "service"),
            dns: dns.clone(),
        };
        let mut name = |e: &Element, kind: &str, dns_scope: &mut Scope| {
            let ascii_type = ascii_types.unique(names::type_name(&e.label, kind));
            let ascii_snake = ascii_snakes.unique(names::snake_name(&e.label, kind));
            Name {
                id: e.id,
                label: e.label.clone(),
                type_name: types.unique(if native {
                    names::native_type_name(&e.label, kind)
                } else {
                    ascii_type.clone()
                }),
                snake: snakes.unique(if native {
                    names::native_snake_name(&e.label, kind)
                } else {
                    ascii_snake.clone()
                }),
                ascii_type,
                ascii_snake,
                dns: dns_scope.unique_dns(names::dns_join(&dns, &names::dns_name(&e.label, kind))),
            }
        };
        let identifiers = self.identifiers;
        let id = frame.id;

        let mut aggregates = Vec::new();
        for e in self.members(id, ElementKind::Aggregate) {
            let fields = fields(e, identifiers);
            let key = fields.iter().position(|f| f.key);
            if key.is_none() {
                self.problem(
                    e,
                    format!(
                        "aggregate {:?} has no key field: an `id: UUID` key is generated",
                        e.label
                    ),
                );
            }
            aggregates.push(Aggregate {
                name: name(e, "aggregate", &mut self.dns),
                fields,
                key,
            });
        }

        let mut commands = Vec::new();
        for e in self.members(id, ElementKind::Command) {
            let handlers = self.targets(e.id, ElementKind::Aggregate);
            let aggregate = handlers
                .iter()
                .find(|a| self.owner.get(&a.id) == Some(&id))
                .map(|a| a.id);
            if aggregate.is_none() {
                let message = if handlers.is_empty() {
                    format!(
                        "command {:?} has no aggregate (draw an arrow to the aggregate that handles it)",
                        e.label
                    )
                } else {
                    format!(
                        "command {:?} is handled by an aggregate of another bounded context",
                        e.label
                    )
                };
                self.problem(e, message);
            }
            let mut emits: Vec<Id> = self
                .targets(e.id, ElementKind::DomainEvent)
                .iter()
                .map(|ev| ev.id)
                .collect();
            if emits.is_empty()
                && let Some(agg) = aggregate
            {
                emits = self
                    .targets(agg, ElementKind::DomainEvent)
                    .iter()
                    .map(|ev| ev.id)
                    .collect();
            }
            let mut calls: Vec<Call> = self
                .targets(e.id, ElementKind::ExternalSystem)
                .iter()
                .map(|x| Call::ExternalSystem(x.id))
                .collect();
            calls.extend(self.remote_commands(e.id, id));
            let n = name(e, "command", &mut self.dns);
            let path = e
                .props
                .http_path
                .clone()
                .unwrap_or_else(|| format!("/{}", names::dns_name(&e.label, "command")));
            commands.push(Command {
                method: e.props.http_method.unwrap_or(HttpMethod::Post),
                path,
                fields: fields(e, identifiers),
                name: n,
                aggregate,
                emits,
                calls,
            });
        }

        let mut events = Vec::new();
        for e in self.members(id, ElementKind::DomainEvent) {
            let aggregate = self
                .sources(e.id, ElementKind::Aggregate)
                .first()
                .map(|a| a.id);
            let emitted = aggregate.is_some()
                || !self.sources(e.id, ElementKind::Command).is_empty()
                || !self.sources(e.id, ElementKind::ExternalSystem).is_empty();
            if !emitted {
                self.problem(
                    e,
                    format!(
                        "event {:?} is emitted by nothing (draw an arrow from its aggregate)",
                        e.label
                    ),
                );
            }
            let n = name(e, "event", &mut self.dns);
            let topic = n.dns.clone();
            events.push(Event {
                fields: fields(e, identifiers),
                name: n,
                aggregate,
                topic,
            });
        }

        let mut policies = Vec::new();
        for e in self.members(id, ElementKind::Policy) {
            let triggers = self.triggers(e.id);
            let mut issues: Vec<Call> = Vec::new();
            for c in self.targets(e.id, ElementKind::Command) {
                let service = self.owner.get(&c.id).copied();
                issues.push(Call::Command {
                    service: service.unwrap_or(id),
                    command: c.id,
                });
            }
            if triggers.is_empty() {
                self.problem(
                    e,
                    format!(
                        "policy {:?} has no triggering event (draw an arrow from an event)",
                        e.label
                    ),
                );
            }
            if issues.is_empty() {
                self.problem(
                    e,
                    format!(
                        "policy {:?} issues no command (draw an arrow to a command)",
                        e.label
                    ),
                );
            }
            policies.push(Policy {
                name: name(e, "policy", &mut self.dns),
                triggers,
                issues,
            });
        }

        let mut read_models = Vec::new();
        for e in self.members(id, ElementKind::ReadModel) {
            let sources = self.triggers(e.id);
            if sources.is_empty() {
                self.problem(e, format!("read model {:?} has no source events", e.label));
            }
            read_models.push(ReadModel {
                fields: fields(e, identifiers),
                name: name(e, "read-model", &mut self.dns),
                sources,
            });
        }
        let external_systems = self
            .members(id, ElementKind::ExternalSystem)
            .into_iter()
            .map(|e| name(e, "external", &mut self.dns))
            .collect();
        let actors = self
            .members(id, ElementKind::Actor)
            .into_iter()
            .map(|e| name(e, "actor", &mut self.dns))
            .collect();
        Service {
            name: service_name,
            aggregates,
            commands,
            events,
            policies,
            read_models,
            external_systems,
            actors,
        }
    }

    /// The events with an arrow to `id`, wherever they live.
    fn triggers(&self, id: Id) -> Vec<Trigger> {
        self.sources(id, ElementKind::DomainEvent)
            .iter()
            .filter_map(|ev| {
                self.owner.get(&ev.id).map(|service| Trigger {
                    service: *service,
                    event: ev.id,
                })
            })
            .collect()
    }

    /// Commands of other services that `id` (a command) points at: synchronous calls.
    fn remote_commands(&self, id: Id, service: Id) -> Vec<Call> {
        self.targets(id, ElementKind::Command)
            .iter()
            .filter_map(|c| {
                let other = *self.owner.get(&c.id)?;
                (other != service).then_some(Call::Command {
                    service: other,
                    command: c.id,
                })
            })
            .collect()
    }
}

/// The typed fields of a sticky, with unique snake-case names.
fn fields(e: &Element, identifiers: Identifiers) -> Vec<Field> {
    let mut scope = Scope::default();
    e.props
        .fields
        .iter()
        .map(|f| Field {
            label: f.name.clone(),
            snake: scope.unique(match identifiers {
                Identifiers::Ascii => names::snake_name(&f.name, "field"),
                Identifiers::Native => names::native_snake_name(&f.name, "field"),
            }),
            ty: f.ty.clone(),
            key: f.key,
        })
        .collect()
}

#[cfg(test)]
mod tests;
