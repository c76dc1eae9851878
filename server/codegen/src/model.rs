//! The service model: the board's meaning ([`Semantic`], shared with the browser's live check)
//! given the names code needs, by one pure function, [`ServiceModel::from_board`]. Each
//! bounded-context frame is a service. It reads the semantic model and adds nothing to its
//! interpretation: what a command results in is `Semantic::results` (never every event of its
//! aggregate), and the problems are the numbered rules' (`rules::check`, docs/model-rules.md).

use squall_model::model::{
    Board, Element, ElementKind, Example, FieldType, HttpMethod, Id, Source,
};
use squall_model::semantic::fills::{names_key_of, plain};
use squall_model::semantic::rules::{self, Problem};
use squall_model::semantic::{Results, Semantic, path_parameters};

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
    /// What each event it emits sets in its state.
    pub folds: Vec<Fold>,
}

/// How an aggregate folds one of its events into its state: `(state field, event field)` by
/// snake name, for fields of the same name and type, and the event's field named after the
/// key (`orderId` sets an Order's `id`).
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    pub event: Id,
    pub sets: Vec<(String, String)>,
}

/// Which instance of its aggregate a command acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Instance {
    /// The route parameter of this name on the board's path (`id` in `/orders/{id}/cancel`,
    /// whatever the key field is called).
    Route(String),
    /// The command's field of this snake name (the key's name and type).
    Field(String),
    /// A new instance: its key is generated (a UUID, or its text for a text key).
    New,
    /// The command has no aggregate.
    Nothing,
}

/// One event a command may result in, and what fills each of its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub event: Id,
    /// `(event field snake, source)`, in the event's field order.
    pub fields: Vec<(String, Filled)>,
}

/// Where a field of an event a command results in comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Filled {
    /// The instance key (a field named after the aggregate's key: `orderId`).
    Key,
    /// The command's field of this snake name (same name and type).
    Command(String),
    /// The aggregate's state field of this snake name (same name and type).
    State(String),
    /// Nothing on the board fills it: its default until the handler sets it.
    Nothing,
}

/// What a policy does with one of its trigger events for one command it issues.
#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    pub event: Id,
    pub command: Id,
    /// `(command field label, source)` from the semantic model's field mapping.
    pub fields: Vec<(String, Option<Source>)>,
    /// How the instance the command acts on is found: `None` for a command that makes a new
    /// instance or has no aggregate; `Some(None)` when nothing on the board says (R30).
    pub instance: Option<Option<Source>>,
}

/// What a read model takes from one source event.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub event: Id,
    /// `(column label, source)`; the key column first.
    pub columns: Vec<(String, Option<Source>)>,
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
    /// The instance it acts on.
    pub instance: Instance,
    /// Every event it may result in (`emits`, then `alternatives`), with its payload.
    pub outcomes: Vec<Outcome>,
    /// The board's Given / When / Then examples, and each as the board writes it.
    pub examples: Vec<Example>,
    pub examples_text: Vec<String>,
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
    /// The Kafka topic, ASCII and stable: its aggregate's (`ordering-order`: one topic per
    /// aggregate, keyed by instance, so a consumer sees an instance's events in order), else
    /// its own (`notification-email-sent`).
    pub topic: String,
    /// Its field that carries the emitting aggregate's key (`orderId`), by label.
    pub key_field: Option<String>,
    /// The external systems that send it (an arrow external system → event): the service
    /// receives it on an inbound endpoint.
    pub sent_by: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: Name,
    /// `when` these events (of any service: another service's events arrive from its topic).
    pub triggers: Vec<Trigger>,
    /// `then` these commands (another service's command is a synchronous call).
    pub issues: Vec<Call>,
    /// Per trigger event and issued command: the field mapping and the instance.
    pub reactions: Vec<Reaction>,
    /// The board's Given / Then examples, and each as the board writes it.
    pub examples: Vec<Example>,
    pub examples_text: Vec<String>,
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
    /// Its key field (the row a source event updates).
    pub key: Option<usize>,
    /// What each source event writes into which row.
    pub projections: Vec<Projection>,
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
            let folds = self
                .model
                .members(id, ElementKind::DomainEvent)
                .into_iter()
                .filter(|ev| self.model.emitter(ev).is_some_and(|a| a.id == e.id))
                .map(|ev| fold(e, &fields, ev, identifiers))
                .collect();
            aggregates.push(Aggregate {
                name: name(e, "aggregate", &mut self.dns),
                fields,
                key,
                folds,
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
            let handler = self.model.handler(e.id);
            let outcomes = results
                .events()
                .iter()
                .filter_map(|ev| self.model.board.element(*ev))
                .map(|ev| outcome(e, handler, ev, identifiers))
                .collect();
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
                instance: instance(&self.model, e, handler, identifiers),
                outcomes,
                examples: e.props.examples.clone(),
                examples_text: examples_text(e, self.model.board),
            });
        }

        let mut events = Vec::new();
        for e in self.model.members(id, ElementKind::DomainEvent) {
            let aggregate = self
                .model
                .sources(e.id, ElementKind::Aggregate)
                .first()
                .map(|a| a.id);
            let emitter = self.model.emitter(e);
            let aggregate = emitter.map(|a| a.id).or(aggregate);
            let key_field = emitter.and_then(|a| {
                e.props
                    .fields
                    .iter()
                    .find(|f| carries_key(&f.name, &f.ty, a))
                    .map(|f| f.name.clone())
            });
            let n = name(e, "event", &mut self.dns);
            let topic = aggregate
                .and_then(|a| aggregates.iter().find(|x: &&Aggregate| x.name.id == a))
                .map_or_else(|| n.dns.clone(), |a| a.name.dns.clone());
            let sent_by = self
                .model
                .sources(e.id, ElementKind::ExternalSystem)
                .into_iter()
                .map(|x| x.id)
                .collect();
            events.push(Event {
                key_field,
                sent_by,
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
                reactions: self.reactions(e),
                examples: e.props.examples.clone(),
                examples_text: examples_text(e, self.model.board),
            });
        }

        let mut read_models = Vec::new();
        for e in self.model.members(id, ElementKind::ReadModel) {
            let sources = self.triggers(e.id);
            let fields = fields(e, identifiers);
            read_models.push(ReadModel {
                key: fields.iter().position(|f| f.key),
                fields,
                name: name(e, "read-model", &mut self.dns),
                sources,
                projections: self.projections(e),
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

    /// What a policy's commands take from each trigger event (the semantic model's field
    /// mapping), and how each finds the instance it acts on.
    fn reactions(&self, policy: &'a Element) -> Vec<Reaction> {
        let fills = self.model.fills(policy);
        let mut out: Vec<Reaction> = Vec::new();
        for f in &fills {
            let Some(command) = f.command else { continue };
            let at = match out
                .iter()
                .position(|r| r.event == f.event.id && r.command == command.id)
            {
                Some(at) => at,
                None => {
                    out.push(Reaction {
                        event: f.event.id,
                        command: command.id,
                        fields: Vec::new(),
                        instance: self.instance_of(f.event, command),
                    });
                    out.len() - 1
                }
            };
            if f.acts_on.is_some() {
                out[at].instance = Some(f.from.clone());
            } else {
                out[at].fields.push((f.field.to_string(), f.from.clone()));
            }
        }
        // A policy whose command has no fields and acts on nothing still reacts.
        for event in self.model.sources(policy.id, ElementKind::DomainEvent) {
            for command in self.model.targets(policy.id, ElementKind::Command) {
                if !out
                    .iter()
                    .any(|r| r.event == event.id && r.command == command.id)
                {
                    out.push(Reaction {
                        event: event.id,
                        command: command.id,
                        fields: Vec::new(),
                        instance: self.instance_of(event, command),
                    });
                }
            }
        }
        out
    }

    /// How a command issued in reaction to `event` finds its instance when the semantic
    /// model's `acts_on` does not name it (a route parameter not named after the key: `{id}` for
    /// a key `주문번호`): by the key's name, as the field mapping would.
    fn instance_of(&self, event: &Element, command: &Element) -> Option<Option<Source>> {
        let aggregate = self.model.handler(command.id);
        match instance(&self.model, command, aggregate, Identifiers::Ascii) {
            Instance::Route(_) => {
                let aggregate = aggregate?;
                let key = aggregate.props.fields.iter().find(|f| f.key)?;
                Some(self.model.by_name(event, &key.name, Some(aggregate)))
            }
            _ => None,
        }
    }

    /// What a read model takes from each of its source events (the field mapping), key first.
    fn projections(&self, read_model: &'a Element) -> Vec<Projection> {
        let mut out: Vec<Projection> = Vec::new();
        for f in self.model.fills(read_model) {
            let at = match out.iter().position(|p| p.event == f.event.id) {
                Some(at) => at,
                None => {
                    out.push(Projection {
                        event: f.event.id,
                        columns: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let column = (f.field.to_string(), f.from.clone());
            if f.key {
                out[at].columns.insert(0, column);
            } else {
                out[at].columns.push(column);
            }
        }
        out
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

/// Each example of `e` as text, the way the properties panel shows it.
fn examples_text(e: &Element, board: &Board) -> Vec<String> {
    e.props
        .examples
        .iter()
        .map(|x| squall_model::model::example::text::to_text(x, board))
        .collect()
}

/// The aggregate's key field on the board, or the `id: UUID` generated when it marks none.
fn key_of(aggregate: &Element) -> (String, FieldType) {
    aggregate
        .props
        .fields
        .iter()
        .find(|f| f.key)
        .map_or(("id".into(), FieldType::Uuid), |f| {
            (f.name.clone(), f.ty.clone())
        })
}

/// Whether a field of this name and type carries `aggregate`'s key: the key's own name, or named
/// after it (`orderId` for an `Order` keyed by `id`).
fn carries_key(name: &str, ty: &FieldType, aggregate: &Element) -> bool {
    let (key, key_ty) = key_of(aggregate);
    let marked = aggregate.props.fields.iter().any(|f| f.key);
    *ty == key_ty
        && (plain(name) == plain(&key)
            || names_key_of(name, aggregate)
            || (!marked && plain(name) == format!("{}id", plain(&aggregate.label))))
}

/// The snake name of the field of `e` called `label` (as `fields` names it).
fn snake_of(e: &Element, label: &str, identifiers: Identifiers) -> Option<String> {
    let i = e.props.fields.iter().position(|f| f.name == label)?;
    Some(fields(e, identifiers)[i].snake.clone())
}

/// Which instance `command` acts on: the route parameter that names it
/// (`Semantic::instance_parameter`, the answer R25 reads too), else the parameter named after
/// the key that also fills a field of the command, else its own field named after the key, else
/// a new instance.
fn instance(
    model: &Semantic,
    command: &Element,
    aggregate: Option<&Element>,
    identifiers: Identifiers,
) -> Instance {
    let Some(aggregate) = aggregate else {
        return Instance::Nothing;
    };
    if let Some(p) = model.instance_parameter(command) {
        return Instance::Route(p.to_string());
    }
    let (key, _) = key_of(aggregate);
    let params = command
        .props
        .http_path
        .as_deref()
        .map(path_parameters)
        .unwrap_or_default();
    if let Some(p) = params.iter().find(|p| plain(p) == plain(&key)) {
        return Instance::Route(p.to_string());
    }
    match command
        .props
        .fields
        .iter()
        .find(|f| plain(&f.name) == plain(&key))
    {
        Some(f) => Instance::Field(snake_of(command, &f.name, identifiers).unwrap_or_default()),
        None => Instance::New,
    }
}

/// What fills each field of `event` when `command` results in it.
fn outcome(
    command: &Element,
    aggregate: Option<&Element>,
    event: &Element,
    identifiers: Identifiers,
) -> Outcome {
    let event_fields = fields(event, identifiers);
    let command_fields = fields(command, identifiers);
    let state_fields = aggregate
        .map(|a| fields(a, identifiers))
        .unwrap_or_default();
    let same = |f: &Field, g: &Field| plain(&f.label) == plain(&g.label) && f.ty == g.ty;
    let filled = event_fields
        .iter()
        .map(|f| {
            let from = if aggregate.is_some_and(|a| carries_key(&f.label, &f.ty, a)) {
                Filled::Key
            } else if let Some(g) = command_fields.iter().find(|g| same(f, g)) {
                Filled::Command(g.snake.clone())
            } else if let Some(g) = state_fields.iter().find(|g| !g.key && same(f, g)) {
                Filled::State(g.snake.clone())
            } else {
                Filled::Nothing
            };
            (f.snake.clone(), from)
        })
        .collect();
    Outcome {
        event: event.id,
        fields: filled,
    }
}

/// What `event` sets in `aggregate`'s state (`state` its fields as named for code).
fn fold(aggregate: &Element, state: &[Field], event: &Element, identifiers: Identifiers) -> Fold {
    let event_fields = fields(event, identifiers);
    let key = state
        .iter()
        .find(|f| f.key)
        .map_or("id".to_string(), |f| f.snake.clone());
    let mut sets = Vec::new();
    for g in &event_fields {
        if carries_key(&g.label, &g.ty, aggregate) {
            sets.push((key.clone(), g.snake.clone()));
        } else if let Some(f) = state
            .iter()
            .find(|f| !f.key && plain(&f.label) == plain(&g.label) && f.ty == g.ty)
        {
            sets.push((f.snake.clone(), g.snake.clone()));
        }
    }
    Fold {
        event: event.id,
        sets,
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
