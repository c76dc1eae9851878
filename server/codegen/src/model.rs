//! The service model: the board's meaning ([`Semantic`], shared with the browser's live check)
//! given the names code needs, by one pure function, [`ServiceModel::from_board`]. Each
//! bounded-context frame is a service. It reads the semantic model and adds nothing to its
//! interpretation: what a command results in is `Semantic::results` (never every event of its
//! aggregate), and the problems are the numbered rules' (`rules::check`, docs/model-rules.md).

use squall_model::model::{Board, Element, ElementKind, FieldType, HttpMethod, Id};
use squall_model::semantic::rules::{self, Problem};
use squall_model::semantic::{Results, Semantic};

use crate::names::{self, Identifiers, Scope};

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceModel {
    pub services: Vec<Service>,
    pub problems: Vec<Problem>,
    /// Each problem's message (`Problem::message`), in the same order.
    pub messages: Vec<String>,
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
    /// The event it results in: its command → event arrow, or its aggregate's only event; none
    /// when the board does not say (`results`). With several arrows, the first in reading order.
    pub emits: Vec<Id>,
    /// The other outcomes its arrows name: the handler decides between them and `emits`.
    pub alternatives: Vec<Id>,
    /// What the board says it results in (`Results::Ambiguous` and `Nothing` emit nothing).
    pub results: Results,
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
    model: Semantic<'a>,
    dns: Scope,
    identifiers: Identifiers,
}

impl<'a> Builder<'a> {
    fn new(board: &'a Board) -> Self {
        Self {
            model: Semantic::of(board),
            dns: Scope::default(),
            identifiers: Identifiers::Ascii,
        }
    }

    fn build(mut self) -> ServiceModel {
        let frames = self.model.contexts();
        let services = frames.iter().map(|f| self.service(f)).collect();
        let problems = rules::check_model(&self.model);
        ServiceModel {
            services,
            messages: problems
                .iter()
                .map(|p| p.message(self.model.board))
                .collect(),
            problems,
            identifiers: self.identifiers,
        }
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
        for e in self.model.members(id, ElementKind::Aggregate) {
            let fields = fields(e, identifiers);
            // None: the sticky marks no key (R9) and the target generates an `id: UUID`.
            let key = fields.iter().position(|f| f.key);
            aggregates.push(Aggregate {
                name: name(e, "aggregate", &mut self.dns),
                fields,
                key,
            });
        }

        let mut commands = Vec::new();
        for e in self.model.members(id, ElementKind::Command) {
            let aggregate = self.model.handler(e.id).map(|a| a.id);
            let results = self.model.results(e.id);
            let mut calls: Vec<Call> = self
                .model
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
                emits: results.events().iter().take(1).copied().collect(),
                alternatives: results.events().iter().skip(1).copied().collect(),
                results,
                calls,
            });
        }

        let mut events = Vec::new();
        for e in self.model.members(id, ElementKind::DomainEvent) {
            let aggregate = self
                .model
                .sources(e.id, ElementKind::Aggregate)
                .first()
                .map(|a| a.id);
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
        for e in self.model.members(id, ElementKind::Policy) {
            let triggers = self.triggers(e.id);
            let issues = self
                .model
                .targets(e.id, ElementKind::Command)
                .into_iter()
                .map(|c| Call::Command {
                    service: self.model.context_of(c.id).unwrap_or(id),
                    command: c.id,
                })
                .collect();
            policies.push(Policy {
                name: name(e, "policy", &mut self.dns),
                triggers,
                issues,
            });
        }

        let mut read_models = Vec::new();
        for e in self.model.members(id, ElementKind::ReadModel) {
            let sources = self.triggers(e.id);
            read_models.push(ReadModel {
                fields: fields(e, identifiers),
                name: name(e, "read-model", &mut self.dns),
                sources,
            });
        }
        let external_systems = self
            .model
            .members(id, ElementKind::ExternalSystem)
            .into_iter()
            .map(|e| name(e, "external", &mut self.dns))
            .collect();
        let actors = self
            .model
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
    /// In reading order (left to right, top to bottom), not in the order the arrows were drawn.
    fn triggers(&self, id: Id) -> Vec<Trigger> {
        let mut events = self.model.sources(id, ElementKind::DomainEvent);
        events.sort_by(|a, b| {
            (a.x, a.y, a.id)
                .partial_cmp(&(b.x, b.y, b.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        events
            .iter()
            .filter_map(|ev| {
                self.model.context_of(ev.id).map(|service| Trigger {
                    service,
                    event: ev.id,
                })
            })
            .collect()
    }

    /// Commands of other services that `id` (a command) points at: synchronous calls.
    fn remote_commands(&self, id: Id, service: Id) -> Vec<Call> {
        self.model
            .targets(id, ElementKind::Command)
            .iter()
            .filter_map(|c| {
                let other = self.model.context_of(c.id)?;
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
