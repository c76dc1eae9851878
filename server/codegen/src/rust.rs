//! The `rust-axum` target: a Cargo workspace with one axum service crate per bounded context.
//! Templates are minijinja files embedded in the binary (server/templates/rust-axum); a directory
//! of files with the same relative names overrides any of them. Output is deterministic: the
//! same board gives the same files, byte for byte.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;
use squall_model::model::{FieldType, HttpMethod, Id};
use squall_model::semantic::Results;

use squall_model::model::Board;

use squall_model::model::{Source, Then};
use squall_model::semantic::fills::plain;

use crate::model::{Call, Field, Filled, Instance, Name, Service, ServiceModel};
use crate::shared::{self, File, files};
use crate::{GenerateError, Options, Rendered, Target, names};

/// The target's own templates (server/codegen/templates/rust-axum), beside the shared ones.
const FILES: &[File] = files![
    "rust-axum":
    ("Cargo.toml.j2", "Cargo.toml"),
    ("README.md.j2", "README.md"),
    ("github-ci.yml.j2", ".github/workflows/ci.yml"),
    ("service/Cargo.toml.j2", "services/{service}/Cargo.toml"),
    ("service/README.md.j2", "services/{service}/README.md"),
    ("service/Dockerfile.j2", "services/{service}/Dockerfile"),
    ("service/migrations/0001_aggregates.sql.j2", "services/{service}/migrations/0001_aggregates.sql"),
    ("service/migrations/0002_read_models.sql.j2", "services/{service}/migrations/0002_read_models.sql"),
    ("service/migrations/0003_outbox.sql.j2", "services/{service}/migrations/0003_outbox.sql"),
    ("service/src/main.rs.j2", "services/{service}/src/main.rs"),
    ("service/src/domain.rs.j2", "services/{service}/src/domain.rs"),
    ("service/src/messaging.rs.j2", "services/{service}/src/messaging.rs"),
    ("service/src/repository.rs.j2", "services/{service}/src/repository.rs"),
    ("service/src/client.rs.j2", "services/{service}/src/client.rs"),
    ("service/src/telemetry.rs.j2", "services/{service}/src/telemetry.rs"),
];

/// The `rust-axum` target.
pub struct RustAxum;

impl Target for RustAxum {
    fn id(&self) -> &'static str {
        "rust-axum"
    }
    fn title(&self) -> &'static str {
        "Rust services (axum, sqlx, Kafka)"
    }
    fn render(&self, board: &Board, options: &Options) -> Result<Rendered, GenerateError> {
        let model = ServiceModel::from_board_with(board, options.identifiers);
        let files = generate(board.title(), &model, options.templates.as_deref())?;
        Ok(Rendered {
            files,
            problems: model.problems,
            messages: model.messages,
        })
    }
}

/// Every service's template context, linked to the others (topics, calls). The shared
/// templates read only its target-neutral part, so other targets reuse it.
pub(crate) fn contexts(model: &ServiceModel) -> Vec<ServiceCtx> {
    let mut services: Vec<ServiceCtx> = model
        .services
        .iter()
        .map(|s| service_ctx(model, s))
        .collect();
    link_services(model, &mut services);
    for s in &mut services {
        s.native = model.identifiers == names::Identifiers::Native;
        s.probe = s
            .commands
            .iter()
            .position(|c| c.method == "post" && c.params.is_empty() && c.calls.is_empty());
    }
    services
}

/// The model's problems as Markdown list items (`R5 (error): …`).
pub(crate) fn problem_lines(model: &ServiceModel) -> Vec<String> {
    model
        .problems
        .iter()
        .zip(&model.messages)
        .map(|(p, message)| {
            markdown(&format!(
                "{} ({}): {message}",
                p.rule.id(),
                p.severity.as_str()
            ))
        })
        .collect()
}

/// Renders the workspace for `model`; file paths are relative, `/`-separated.
pub fn generate(
    title: &str,
    model: &ServiceModel,
    overrides: Option<&Path>,
) -> Result<BTreeMap<String, String>, GenerateError> {
    let services = contexts(model);
    let problems = problem_lines(model);
    // Converted to template values once: each render then shares them instead of serializing
    // the whole model again (that was most of the time on a 20-context board).
    let values: Vec<(String, minijinja::Value)> = services
        .iter()
        .map(|s| (s.dns.clone(), minijinja::Value::from_serialize(s)))
        .collect();
    let top = minijinja::context! {
        board_title_md => markdown(title),
        board_title_yaml => json_str(title),
        services => values.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
        problems => &problems,
        metrics_path => "/metrics",
    };
    shared::render(&[shared::FILES, FILES], overrides, top, &values)
}

#[derive(Serialize)]
pub(crate) struct ServiceCtx {
    #[serde(skip)]
    id: Id,
    label_md: String,
    label_rs: String,
    /// The label as a YAML (JSON) string.
    label_yaml: String,
    dns: String,
    package: String,
    description_toml: String,
    /// `ORDERS`: prefix of the environment variables other services find this one by.
    env: String,
    methods: Vec<&'static str>,
    aggregates: Vec<AggregateCtx>,
    commands: Vec<CommandCtx>,
    events: Vec<EventCtx>,
    policies: Vec<PolicyCtx>,
    read_models: Vec<ReadModelCtx>,
    /// Other services' topics this one consumes (one entry per topic).
    subscriptions: Vec<SubscriptionCtx>,
    /// Services this one calls synchronously (their `<ENV>_URL` is configured).
    calls_services: Vec<String>,
    /// External systems its commands call (`<ENV>_URL`, set by whoever deploys it).
    calls_external: Vec<String>,
    /// Its own topics that its policies or read models react to (its consumer reads them).
    own_topics: Vec<String>,
    /// The topics it publishes on (one per aggregate, and one per event without one).
    topics: Vec<String>,
    /// Every topic it consumes: other contexts' and its own.
    consumes: Vec<String>,
    /// Per topic it publishes on or consumes: its events and the messages it receives there.
    channels: Vec<ChannelCtx>,
    /// Events external systems send it (an inbound endpoint each).
    inbound: Vec<InboundCtx>,
    /// Every synchronous call this service makes, by generated function name.
    calls: Vec<CallCtx>,
    /// Routes in order, with the commands and read models on each (indices).
    paths: Vec<PathCtx>,
    /// Identifiers keep the team's script (the crate allows non-ASCII identifiers' lints).
    native: bool,
    /// A command the generated HTTP test posts to: POST, no route parameters, no calls.
    probe: Option<usize>,
    /// Where probes and Prometheus find the service (Kubernetes, OpenAPI).
    health_path: &'static str,
    readiness_path: &'static str,
    liveness_path: &'static str,
    metrics_path: &'static str,
    /// A JVM service: more memory, a startup probe, a writable /tmp (Kubernetes).
    jvm: bool,
}

impl ServiceCtx {
    /// The service's DNS name (`ordering`).
    pub(crate) fn dns(&self) -> &str {
        &self.dns
    }

    /// Health and metrics where Spring Boot's Actuator answers them.
    pub(crate) fn use_actuator(&mut self) {
        self.health_path = "/actuator/health";
        self.readiness_path = "/actuator/health/readiness";
        self.liveness_path = "/actuator/health/liveness";
        self.metrics_path = "/actuator/prometheus";
        self.jvm = true;
    }
}

#[derive(Serialize)]
struct PathCtx {
    route: String,
    commands: Vec<usize>,
    read_models: Vec<usize>,
}

#[derive(Serialize, Clone)]
struct FieldCtx {
    snake: String,
    rust: String,
    label_rs: String,
    /// The JSON Schema of the field (JSON, also valid YAML).
    schema: String,
    /// Parsable from a URL path segment (`FromStr`).
    scalar: bool,
    /// The board's name, as the wire carries it (a YAML/JSON string).
    wire_yaml: String,
}

#[derive(Serialize)]
struct AggregateCtx {
    type_name: String,
    label_rs: String,
    /// The table (ASCII).
    table: String,
    /// The table and repository name.
    snake: String,
    fields: Vec<FieldCtx>,
    has_key: bool,
    /// The key field (`id` when generated).
    key: String,
    /// Its Rust type.
    key_rust: String,
    /// What each of its events sets: `(event type, [(state field, event field)])`.
    folds: Vec<(String, Vec<(String, String)>)>,
}

#[derive(Serialize)]
struct CommandCtx {
    #[serde(skip)]
    id: Id,
    type_name: String,
    /// The OpenAPI schema name (ASCII).
    schema: String,
    label_rs: String,
    label_yaml: String,
    handler: String,
    method: &'static str,
    route: String,
    /// `{param}` segments of the route; `field` is the command field it fills, if any.
    params: Vec<ParamCtx>,
    fields: Vec<FieldCtx>,
    aggregate_type: Option<String>,
    /// The repository of its aggregate (the aggregate's snake name).
    aggregate_snake: Option<String>,
    /// Its aggregate's key field and type.
    key: Option<String>,
    key_rust: Option<String>,
    /// How the instance is found: `route` (`instance_param`), `field` (`instance_field`), `new`
    /// or `none` (no aggregate).
    instance: &'static str,
    instance_param: Option<String>,
    instance_field: Option<String>,
    /// `RequestPaymentOutcome`, `decide_request_payment`: the one place the outcome is decided.
    outcome_type: String,
    decide: String,
    /// Every event it may result in (the first is the default decision), with its payload.
    outcomes: Vec<OutcomeCtx>,
    /// The board's examples, as tests.
    examples: Vec<ExampleCtx>,
    /// Why it emits nothing when the board does not say what it results in: `"R4"` (no event)
    /// or `"R5"` (several candidates, `candidates`), docs/model-rules.md.
    unresolved: Option<&'static str>,
    /// The events it may result in when `unresolved` is `"R5"` (type names).
    candidates: Vec<String>,
    /// The other outcomes its arrows name (type names): the handler decides.
    alternatives: Vec<String>,
    /// Synchronous calls to other services after the command succeeds.
    calls: Vec<String>,
}

#[derive(Serialize)]
struct ParamCtx {
    name: String,
    field: Option<String>,
}

#[derive(Serialize)]
struct OutcomeCtx {
    /// The event's type (also the outcome's variant).
    type_name: String,
    wire: String,
    label_rs: String,
    /// `(field, Rust expression)` for each of its fields.
    fields: Vec<(String, String)>,
    /// The event's field that carries the key, if any.
    key_field: Option<String>,
}

/// A Given / When / Then example as a test: JSON texts as Rust string literals.
#[derive(Serialize)]
struct ExampleCtx {
    /// The test's name.
    test: String,
    /// The example as the board says it (comment lines).
    summary: Vec<String>,
    /// Earlier events: `(event type, its JSON)`; only this context's events can be folded.
    given: Vec<(String, String)>,
    /// For a policy: the trigger (versioned wire type, JSON, its instance key).
    trigger: Option<(String, String, String)>,
    when: String,
    /// Expected events: `(versioned wire type, the fields it names as JSON)`.
    events: Vec<(String, String)>,
    /// Expected commands of a policy: `(command type, the fields it names as JSON)`.
    issues: Vec<(String, String)>,
    refused: Option<String>,
    /// Why it does not pass on the generated default (a decision or refusal to write).
    ignored: Option<String>,
}

#[derive(Serialize, Clone)]
struct EventCtx {
    type_name: String,
    /// The versioned wire type is `<wire>.v1`; also the schema and message name (ASCII).
    wire: String,
    label_rs: String,
    label_yaml: String,
    topic: String,
    fields: Vec<FieldCtx>,
}

#[derive(Serialize)]
struct PolicyCtx {
    snake: String,
    label_rs: String,
    local_triggers: Vec<String>,
    local_issues: Vec<String>,
    /// `(topic, versioned type)` of other services' events that trigger it.
    remote_triggers: Vec<(String, String)>,
    /// Synchronous calls it makes (commands of other services).
    calls: Vec<String>,
    #[serde(skip)]
    remote_issue_ids: Vec<(Id, Id)>,
    /// Per trigger and issued command: what it issues.
    reactions: Vec<ReactionCtx>,
    /// The reactions by trigger: `(versioned wire type, indices into reactions)`.
    groups: Vec<(String, Vec<usize>)>,
    examples: Vec<ExampleCtx>,
}

#[derive(Serialize)]
struct ReactionCtx {
    /// `OrderPlaced.v1`
    message: String,
    /// A command of this context (its type) …
    command: Option<String>,
    /// … or a call to another context (the client function).
    call: Option<String>,
    /// `(wire name as a Rust literal, expression giving an Option<serde_json::Value>)`.
    fields: Vec<(String, String)>,
    /// The `Locate` expression: which instance the command acts on.
    locate: String,
    #[serde(skip)]
    remote: Option<(Id, Id)>,
}

#[derive(Serialize)]
struct ReadModelCtx {
    type_name: String,
    /// The OpenAPI schema name (ASCII).
    schema: String,
    snake: String,
    label_rs: String,
    label_yaml: String,
    route: String,
    fields: Vec<FieldCtx>,
    /// The table of its rows (ASCII), keyed by `key_wire`.
    table: String,
    key_wire: Option<String>,
    key_rust: String,
    /// `(versioned wire type, [(column wire as a Rust literal, expression)])`, key first.
    projections: Vec<(String, Vec<(String, String)>)>,
}

/// A topic as AsyncAPI describes it: indices into the service's `events` (it sends them) and
/// `subscriptions` (it receives them).
#[derive(Serialize)]
struct ChannelCtx {
    topic: String,
    events: Vec<usize>,
    received: Vec<usize>,
}

#[derive(Serialize, Clone)]
struct SubscriptionCtx {
    topic: String,
    /// `OrderPlaced.v1`
    message: String,
    /// The AsyncAPI message id (`OrderPlaced` of the other service).
    type_name: String,
    fields: Vec<FieldCtx>,
}

/// An event an external system sends: `POST /inbound/<event>` records and publishes it.
#[derive(Serialize)]
struct InboundCtx {
    /// The event's type (a variant of `Event`).
    type_name: String,
    /// The OpenAPI schema name (ASCII).
    schema: String,
    label_rs: String,
    label_yaml: String,
    /// `receive_payment_settled`
    function: String,
    route: String,
    /// The external systems that send it (Rust string literals).
    systems: Vec<String>,
    /// The event's field that names the aggregate instance it belongs to (snake), if any.
    key_field: Option<String>,
    /// The aggregate it is folded into (repository name, key field and type), if any.
    aggregate_snake: Option<String>,
    aggregate_key: Option<String>,
    aggregate_key_rust: Option<String>,
}

#[derive(Serialize, Clone)]
struct CallCtx {
    /// `call_payments_take_payment`
    function: String,
    /// The called route as a Rust literal: literal segments percent-encoded, `{param}`s named
    /// as the board names them (the payload's field names).
    route_lit: String,
    label_rs: String,
    /// The called service's environment prefix (`PAYMENTS` → `PAYMENTS_URL`).
    env: String,
    method: &'static str,
    route: String,
    /// The called command's fields (the board's names as Rust literals): what is sent of the
    /// caller's payload.
    fields: Vec<String>,
    /// The external system called (a Rust string literal), when it is not a context.
    system: Option<String>,
}

fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Patch => "patch",
        HttpMethod::Delete => "delete",
    }
}

fn service_ctx(model: &ServiceModel, s: &Service) -> ServiceCtx {
    let events: Vec<EventCtx> = s
        .events
        .iter()
        .map(|e| EventCtx {
            type_name: e.name.type_name.clone(),
            wire: e.name.ascii_type.clone(),
            label_rs: rust_str(&e.name.label),
            label_yaml: json_str(&e.name.label),
            topic: e.topic.clone(),
            fields: fields(&e.fields),
        })
        .collect();
    let event_by_id: HashMap<Id, &EventCtx> = s
        .events
        .iter()
        .zip(&events)
        .map(|(e, ctx)| (e.name.id, ctx))
        .collect();
    let aggregates: Vec<AggregateCtx> = s
        .aggregates
        .iter()
        .map(|a| {
            let fields = fields(&a.fields);
            AggregateCtx {
                type_name: a.name.type_name.clone(),
                label_rs: rust_str(&a.name.label),
                snake: a.name.snake.trim_end_matches('_').to_string(),
                table: a.name.ascii_snake.trim_end_matches('_').to_string(),
                key: a
                    .key
                    .map(|k| fields[k].snake.clone())
                    .unwrap_or_else(|| "id".into()),
                has_key: a.key.is_some(),
                key_rust: a
                    .key
                    .map(|k| fields[k].rust.clone())
                    .unwrap_or_else(|| "uuid::Uuid".into()),
                folds: a
                    .folds
                    .iter()
                    .filter_map(|f| {
                        Some((event_by_id.get(&f.event)?.type_name.clone(), f.sets.clone()))
                    })
                    .collect(),
                fields,
            }
        })
        .collect();
    let aggregate_by_id: HashMap<Id, &AggregateCtx> = s
        .aggregates
        .iter()
        .zip(&aggregates)
        .map(|(a, ctx)| (a.name.id, ctx))
        .collect();
    let mut routes = BTreeSet::new();
    let mut methods = BTreeSet::new();
    let commands: Vec<CommandCtx> = s
        .commands
        .iter()
        .map(|c| {
            let method = method_name(c.method);
            if method != "get" {
                methods.insert(method);
            }
            let (route, params_map) = route(&c.path);
            let route = unique_route(&mut routes, method, route);
            let own = fields(&c.fields);
            let params = params_map
                .iter()
                .map(|(board, name)| ParamCtx {
                    field: c
                        .fields
                        .iter()
                        .zip(&own)
                        .find(|(f, g)| plain(&f.label) == plain(board) && g.scalar)
                        .map(|(_, g)| g.snake.clone()),
                    name: name.clone(),
                })
                .collect();
            let aggregate = c.aggregate.and_then(|a| aggregate_by_id.get(&a));
            let outcomes: Vec<OutcomeCtx> = c
                .outcomes
                .iter()
                .filter_map(|o| {
                    let e = event_by_id.get(&o.event)?;
                    let model_event = s.events.iter().find(|x| x.name.id == o.event)?;
                    Some(OutcomeCtx {
                        type_name: e.type_name.clone(),
                        wire: e.wire.clone(),
                        label_rs: e.label_rs.clone(),
                        fields: o
                            .fields
                            .iter()
                            .map(|(snake, from)| {
                                let expr = match from {
                                    Filled::Key => "key.clone()".to_string(),
                                    Filled::Command(f) => format!("command.{f}.clone()"),
                                    Filled::State(f) => format!("state.{f}.clone()"),
                                    Filled::Nothing => "Default::default()".to_string(),
                                };
                                (snake.clone(), expr)
                            })
                            .collect(),
                        key_field: model_event.key_field.as_ref().and_then(|label| {
                            model_event
                                .fields
                                .iter()
                                .find(|f| &f.label == label)
                                .map(|f| f.snake.clone())
                        }),
                    })
                })
                .collect();
            let (unresolved, candidates) = match &c.results {
                Results::Ambiguous(ids) => (
                    Some("R5"),
                    ids.iter()
                        .filter_map(|id| event_by_id.get(id))
                        .map(|e| e.type_name.clone())
                        .collect(),
                ),
                Results::Nothing => (Some("R4"), Vec::new()),
                Results::Drawn(_) | Results::Only(_) => (None, Vec::new()),
            };
            let (instance, instance_param, instance_field) = match &c.instance {
                Instance::Route(p) => (
                    "route",
                    params_map
                        .iter()
                        .find(|(b, _)| b == p)
                        .map(|(_, g)| g.clone()),
                    None,
                ),
                Instance::Field(f) => ("field", None, Some(f.clone())),
                Instance::New => ("new", None, None),
                Instance::Nothing => ("none", None, None),
            };
            // A route parameter that names no instance and no field is refused at start by
            // nothing: it is simply unused.
            let instance = if instance == "route" && instance_param.is_none() {
                "new"
            } else {
                instance
            };
            let snake = c.name.snake.trim_end_matches('_');
            let examples = command_examples(model, s, c, &outcomes, unresolved.is_some());
            CommandCtx {
                id: c.name.id,
                type_name: c.name.type_name.clone(),
                schema: c.name.ascii_type.clone(),
                label_rs: rust_str(&c.name.label),
                label_yaml: json_str(&c.name.label),
                handler: format!("handle_{}", c.name.snake.trim_end_matches('_')),
                method,
                route,
                params,
                fields: own,
                aggregate_type: aggregate.map(|a| a.type_name.clone()),
                aggregate_snake: aggregate.map(|a| a.snake.clone()),
                key: aggregate.map(|a| a.key.clone()),
                key_rust: aggregate.map(|a| a.key_rust.clone()),
                instance,
                instance_param,
                instance_field,
                outcome_type: format!("{}Outcome", c.name.type_name),
                decide: format!("decide_{snake}"),
                outcomes,
                examples,
                unresolved,
                candidates,
                alternatives: c
                    .alternatives
                    .iter()
                    .filter_map(|id| event_by_id.get(id))
                    .map(|e| e.type_name.clone())
                    .collect(),
                calls: Vec::new(),
            }
        })
        .collect();
    let command_type: HashMap<Id, String> = s
        .commands
        .iter()
        .map(|c| (c.name.id, c.name.type_name.clone()))
        .collect();
    let policies = s
        .policies
        .iter()
        .map(|p| PolicyCtx {
            snake: p.name.snake.trim_end_matches('_').to_string(),
            label_rs: rust_str(&p.name.label),
            local_triggers: p
                .triggers
                .iter()
                .filter(|t| t.service == s.name.id)
                .filter_map(|t| event_by_id.get(&t.event).map(|e| e.wire.clone()))
                .collect(),
            local_issues: p
                .issues
                .iter()
                .filter_map(|c| match c {
                    Call::Command { service, command } if *service == s.name.id => {
                        command_type.get(command).cloned()
                    }
                    _ => None,
                })
                .collect(),
            remote_triggers: Vec::new(),
            calls: Vec::new(),
            reactions: p
                .reactions
                .iter()
                .filter_map(|r| {
                    let (wire, _) = event_anywhere(model, r.event)?;
                    let local = command_type.get(&r.command).cloned();
                    let remote = match local {
                        Some(_) => None,
                        None => Some((model_service_of(model, r.command)?, r.command)),
                    };
                    Some(ReactionCtx {
                        message: format!("{wire}.v1"),
                        command: local,
                        call: None,
                        fields: r
                            .fields
                            .iter()
                            .map(|(label, from)| (rust_str(label), source_expr(from)))
                            .collect(),
                        locate: locate_expr(&r.instance),
                        remote,
                    })
                })
                .collect(),
            groups: Vec::new(),
            examples: policy_examples(model, s, p),
            remote_issue_ids: p
                .issues
                .iter()
                .filter_map(|c| match c {
                    Call::Command { service, command } if *service != s.name.id => {
                        Some((*service, *command))
                    }
                    _ => None,
                })
                .collect(),
        })
        .collect::<Vec<PolicyCtx>>()
        .into_iter()
        .map(|mut p| {
            for (i, r) in p.reactions.iter().enumerate() {
                match p.groups.iter_mut().find(|(m, _)| *m == r.message) {
                    Some((_, items)) => items.push(i),
                    None => p.groups.push((r.message.clone(), vec![i])),
                }
            }
            p
        })
        .collect();
    let read_models: Vec<ReadModelCtx> = s
        .read_models
        .iter()
        .map(|r| ReadModelCtx {
            type_name: r.name.type_name.clone(),
            schema: r.name.ascii_type.clone(),
            snake: r.name.snake.trim_end_matches('_').to_string(),
            label_rs: rust_str(&r.name.label),
            label_yaml: json_str(&r.name.label),
            route: unique_route(
                &mut routes,
                "get",
                format!("/{}", names::dns_name(&r.name.label, "view")),
            ),
            fields: fields(&r.fields),
            table: r.name.ascii_snake.trim_end_matches('_').to_string(),
            key_wire: r.key.map(|k| rust_str(&r.fields[k].label)),
            key_rust: r
                .key
                .map_or("String".into(), |k| rust_type(&r.fields[k].ty)),
            projections: r
                .projections
                .iter()
                .filter_map(|p| {
                    let (wire, _) = event_anywhere(model, p.event)?;
                    let mut columns: Vec<(String, String)> = p
                        .columns
                        .iter()
                        .filter(|(_, from)| from.is_some())
                        .map(|(label, from)| (rust_str(label), source_expr(from)))
                        .collect();
                    if r.key.is_none() {
                        // No key column: a row per instance of the event's aggregate.
                        columns.insert(0, ("\"key\"".into(), source_expr(&Some(Source::Key))));
                    }
                    Some((format!("{wire}.v1"), columns))
                })
                .collect(),
        })
        .collect();
    let inbound = s
        .events
        .iter()
        .zip(&events)
        .filter(|(e, _)| !e.sent_by.is_empty())
        .map(|(e, ctx)| {
            let aggregate = e.aggregate.and_then(|a| aggregate_by_id.get(&a));
            InboundCtx {
                type_name: ctx.type_name.clone(),
                schema: ctx.wire.clone(),
                label_rs: ctx.label_rs.clone(),
                label_yaml: ctx.label_yaml.clone(),
                function: format!("receive_{}", e.name.snake.trim_end_matches('_')),
                route: unique_route(
                    &mut routes,
                    "post",
                    format!("/inbound/{}", names::dns_name(&e.name.label, "event")),
                ),
                systems: e
                    .sent_by
                    .iter()
                    .filter_map(|id| external_name(model, *id))
                    .map(|n| rust_str(&n.label))
                    .collect(),
                key_field: e.key_field.as_ref().and_then(|label| {
                    e.fields
                        .iter()
                        .find(|f| &f.label == label)
                        .map(|f| f.snake.clone())
                }),
                aggregate_snake: aggregate.map(|a| a.snake.clone()),
                aggregate_key: aggregate.map(|a| a.key.clone()),
                aggregate_key_rust: aggregate.map(|a| a.key_rust.clone()),
            }
        })
        .collect::<Vec<_>>();
    if !inbound.is_empty() {
        methods.insert("post");
    }
    let mut paths: Vec<PathCtx> = Vec::new();
    let mut path = |route: &str| {
        paths
            .iter()
            .position(|p| p.route == route)
            .unwrap_or_else(|| {
                paths.push(PathCtx {
                    route: route.to_string(),
                    commands: Vec::new(),
                    read_models: Vec::new(),
                });
                paths.len() - 1
            })
    };
    let mut on_paths: Vec<(usize, bool, usize)> = Vec::new();
    for (i, c) in commands.iter().enumerate() {
        on_paths.push((path(&c.route), true, i));
    }
    for (i, r) in read_models.iter().enumerate() {
        on_paths.push((path(&r.route), false, i));
    }
    for (p, command, i) in on_paths {
        if command {
            paths[p].commands.push(i);
        } else {
            paths[p].read_models.push(i);
        }
    }
    ServiceCtx {
        id: s.name.id,
        paths,
        native: false,
        probe: None,
        health_path: "/health",
        readiness_path: "/health",
        liveness_path: "/health",
        metrics_path: "/metrics",
        jvm: false,
        label_md: markdown(&s.name.label),
        label_rs: rust_str(&s.name.label),
        label_yaml: json_str(&s.name.label),
        dns: s.name.dns.clone(),
        package: format!("{}-service", s.name.dns),
        description_toml: toml_str(&format!(
            "The {} bounded context, generated by Squall",
            s.name.label
        )),
        env: s.name.dns.replace('-', "_").to_uppercase(),
        methods: methods.into_iter().collect(),
        aggregates,
        commands,
        events,
        policies,
        read_models,
        subscriptions: Vec::new(),
        calls_services: Vec::new(),
        calls_external: Vec::new(),
        own_topics: Vec::new(),
        topics: Vec::new(),
        consumes: Vec::new(),
        channels: Vec::new(),
        inbound,
        calls: Vec::new(),
    }
}

/// What a service needs to know of the others: the topics it consumes (events of other services
/// that trigger its policies) and the routes of the commands it calls.
fn link_services(model: &ServiceModel, services: &mut [ServiceCtx]) {
    let index: HashMap<Id, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let event = |services: &[ServiceCtx], service: Id, event: Id| {
        let (m, ctx) = (model.service(service)?, &services[*index.get(&service)?]);
        let i = m.events.iter().position(|e| e.name.id == event)?;
        Some(ctx.events[i].clone())
    };
    let call = |services: &[ServiceCtx], service: Id, command: Id| {
        let ctx = &services[*index.get(&service)?];
        let c = ctx.commands.iter().find(|c| c.id == command)?;
        Some(CallCtx {
            function: format!("call_{}_{}", ctx.dns.replace('-', "_"), &c.handler[7..]),
            label_rs: c.label_rs.clone(),
            env: ctx.env.clone(),
            method: c.method,
            route: c.route.clone(),
            route_lit: rust_str(&call_route(
                &model
                    .services
                    .iter()
                    .flat_map(|s| &s.commands)
                    .find(|x| x.name.id == command)?
                    .path,
            )),
            fields: c.fields.iter().map(|f| f.label_rs.clone()).collect(),
            system: None,
        })
    };
    // The board names no API of an external system: a path per command, to adapt.
    let external = |c: &CommandCtx, system: Id| {
        let name = external_name(model, system)?;
        let command = model
            .services
            .iter()
            .flat_map(|s| &s.commands)
            .find(|x| x.name.id == c.id)?;
        Some(CallCtx {
            function: format!("{}_{}", name.snake.trim_end_matches('_'), &c.handler[7..]),
            label_rs: c.label_rs.clone(),
            env: name.dns.replace('-', "_").to_uppercase(),
            method: "post",
            route: format!("/{}", names::dns_name(&command.name.label, "command")),
            route_lit: rust_str(&format!(
                "/{}",
                names::dns_name(&command.name.label, "command")
            )),
            fields: c.fields.iter().map(|f| f.label_rs.clone()).collect(),
            system: Some(rust_str(&name.label)),
        })
    };
    for (si, s) in model.services.iter().enumerate() {
        let mut subscriptions: Vec<SubscriptionCtx> = Vec::new();
        let mut calls: BTreeMap<String, CallCtx> = BTreeMap::new();
        for (pi, p) in s.policies.iter().enumerate() {
            let mut remote = Vec::new();
            for t in p.triggers.iter().filter(|t| t.service != s.name.id) {
                if let Some(e) = event(services, t.service, t.event) {
                    let message = format!("{}.v1", e.wire);
                    remote.push((e.topic.clone(), message.clone()));
                    let sub = SubscriptionCtx {
                        topic: e.topic,
                        message,
                        type_name: e.wire,
                        fields: e.fields,
                    };
                    if !subscriptions
                        .iter()
                        .any(|x| x.message == sub.message && x.topic == sub.topic)
                    {
                        subscriptions.push(sub);
                    }
                }
            }
            let issued: Vec<CallCtx> = services[si].policies[pi]
                .remote_issue_ids
                .iter()
                .filter_map(|(service, command)| call(services, *service, *command))
                .collect();
            let reaction_calls: Vec<Option<String>> = services[si].policies[pi]
                .reactions
                .iter()
                .map(|r| {
                    let (service, command) = r.remote?;
                    Some(call(services, service, command)?.function)
                })
                .collect();
            let policy = &mut services[si].policies[pi];
            for (r, function) in policy.reactions.iter_mut().zip(reaction_calls) {
                r.call = function;
            }
            policy.remote_triggers = remote;
            policy.calls = issued.iter().map(|c| c.function.clone()).collect();
            calls.extend(issued.into_iter().map(|c| (c.function.clone(), c)));
        }
        // Other services' events a read model here is built from.
        for r in &s.read_models {
            for t in r.sources.iter().filter(|t| t.service != s.name.id) {
                if let Some(e) = event(services, t.service, t.event) {
                    let sub = SubscriptionCtx {
                        message: format!("{}.v1", e.wire),
                        topic: e.topic,
                        type_name: e.wire,
                        fields: e.fields,
                    };
                    if !subscriptions
                        .iter()
                        .any(|x| x.message == sub.message && x.topic == sub.topic)
                    {
                        subscriptions.push(sub);
                    }
                }
            }
        }
        for (ci, c) in s.commands.iter().enumerate() {
            let made: Vec<CallCtx> = c
                .calls
                .iter()
                .filter_map(|call_| match call_ {
                    Call::Command { service, command } => call(services, *service, *command),
                    Call::ExternalSystem(system) => external(&services[si].commands[ci], *system),
                })
                .collect();
            services[si].commands[ci].calls = made.iter().map(|c| c.function.clone()).collect();
            calls.extend(made.into_iter().map(|c| (c.function.clone(), c)));
        }
        subscriptions.sort_by(|a, b| (&a.topic, &a.message).cmp(&(&b.topic, &b.message)));
        // Its own events its policies and read models react to: with Kafka, its consumer
        // reads them too (in its group, at least once), not the relay.
        let own_topics: BTreeSet<String> = s
            .policies
            .iter()
            .flat_map(|p| &p.triggers)
            .chain(s.read_models.iter().flat_map(|r| &r.sources))
            .filter(|t| t.service == s.name.id)
            .filter_map(|t| s.events.iter().find(|e| e.name.id == t.event))
            .map(|e| e.topic.clone())
            .collect();
        let target = &mut services[si];
        let mut channels: Vec<ChannelCtx> = Vec::new();
        for (i, e) in target.events.iter().enumerate() {
            channel(&mut channels, &e.topic).events.push(i);
        }
        for (i, t) in subscriptions.iter().enumerate() {
            channel(&mut channels, &t.topic).received.push(i);
        }
        target.topics = channels
            .iter()
            .filter(|c| !c.events.is_empty())
            .map(|c| c.topic.clone())
            .collect();
        target.consumes = channels
            .iter()
            .filter(|c| !c.received.is_empty())
            .map(|c| c.topic.clone())
            .chain(own_topics.iter().cloned())
            .collect();
        target.channels = channels;
        target.own_topics = own_topics.into_iter().collect();
        target.subscriptions = subscriptions;
        target.calls_services = calls
            .values()
            .filter(|c| c.system.is_none())
            .map(|c| c.env.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        target.calls_external = calls
            .values()
            .filter(|c| c.system.is_some())
            .map(|c| c.env.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        target.calls = calls.into_values().collect();
    }
}

fn fields(fields: &[Field]) -> Vec<FieldCtx> {
    fields
        .iter()
        .map(|f| FieldCtx {
            snake: f.snake.clone(),
            rust: rust_type(&f.ty),
            label_rs: rust_str(&f.label),
            schema: schema(&f.ty, &f.label).to_string(),
            scalar: !matches!(f.ty, FieldType::List(_) | FieldType::Value(_)),
            wire_yaml: json_str(&f.label),
        })
        .collect()
}

/// The JSON Schema of a field type (OpenAPI 3.0 and AsyncAPI dialect).
fn schema(ty: &FieldType, label: &str) -> serde_json::Value {
    use serde_json::json;
    let mut schema = match ty {
        FieldType::String => json!({ "type": "string" }),
        FieldType::Integer => json!({ "type": "integer", "format": "int32" }),
        FieldType::Long => json!({ "type": "integer", "format": "int64" }),
        FieldType::Money => {
            json!({ "type": "integer", "format": "int64", "description": "minor units" })
        }
        FieldType::Double => json!({ "type": "number", "format": "double" }),
        FieldType::Boolean => json!({ "type": "boolean" }),
        FieldType::Date => json!({ "type": "string", "format": "date" }),
        FieldType::DateTime => json!({ "type": "string", "format": "date-time" }),
        FieldType::Uuid => json!({ "type": "string", "format": "uuid" }),
        FieldType::Enum(values) => json!({ "type": "string", "enum": values }),
        FieldType::List(inner) => json!({ "type": "array", "items": schema(inner, "") }),
        FieldType::Value(name) => json!({ "type": "object", "description": name }),
    };
    if !label.is_empty() {
        schema["title"] = json!(label);
    }
    schema
}

/// The Rust type of a board field type. Dates travel as ISO 8601 strings and money as minor
/// units, so the generated crates need nothing beyond axum, serde, tokio and uuid.
fn rust_type(ty: &FieldType) -> String {
    match ty {
        FieldType::String | FieldType::Date | FieldType::DateTime | FieldType::Enum(_) => {
            "String".into()
        }
        FieldType::Integer => "i32".into(),
        FieldType::Long | FieldType::Money => "i64".into(),
        FieldType::Double => "f64".into(),
        FieldType::Boolean => "bool".into(),
        FieldType::Uuid => "uuid::Uuid".into(),
        FieldType::List(inner) => format!("Vec<{}>", rust_type(inner)),
        FieldType::Value(_) => "serde_json::Value".into(),
    }
}

/// An axum route from a board's HTTP path, which it keeps: literal segments as written,
/// percent-encoded where a URL needs it (`/결제이력s` is `/%EA%B2%B0…s`, the same path on the
/// wire; R32 suggests an ASCII one), `{param}` segments with a clean parameter name. Also the
/// `(board parameter, route parameter)` pairs.
fn route(path: &str) -> (String, Vec<(String, String)>) {
    let mut params = names::Scope::default();
    let mut pairs = Vec::new();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => {
                    let name = params.unique(names::snake_name(param, "param"));
                    pairs.push((param.trim().to_string(), name.clone()));
                    format!("{{{name}}}")
                }
                None => percent_encode(segment),
            },
        )
        .collect();
    (format!("/{}", segments.join("/")), pairs)
}

/// A route as a client calls it: literal segments percent-encoded, `{param}`s as the board
/// names them (the client fills them from the payload's fields of those names).
fn call_route(path: &str) -> String {
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => format!("{{{}}}", param.trim()),
                None => percent_encode(segment),
            },
        )
        .collect();
    format!("/{}", segments.join("/"))
}

/// Every byte outside RFC 3986's unreserved characters (letters, digits, `-._~`).
const NOT_UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment with every byte outside the unreserved characters percent-encoded.
fn percent_encode(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, NOT_UNRESERVED).to_string()
}

/// Two commands on one method and path would make axum panic at start: number the second.
pub(crate) fn unique_route(
    taken: &mut BTreeSet<(String, String)>,
    method: &str,
    route: String,
) -> String {
    let mut candidate = route.clone();
    let mut n = 2;
    while !taken.insert((method.to_string(), candidate.clone())) {
        candidate = format!("{route}-{n}");
        n += 1;
    }
    candidate
}

/// An event of any service: its wire type name and fields.
pub(crate) fn event_anywhere(model: &ServiceModel, id: Id) -> Option<(String, &[Field])> {
    model
        .services
        .iter()
        .flat_map(|s| &s.events)
        .find(|e| e.name.id == id)
        .map(|e| (e.name.ascii_type.clone(), e.fields.as_slice()))
}

/// The channel of `topic`, added when it is new.
fn channel<'a>(channels: &'a mut Vec<ChannelCtx>, topic: &str) -> &'a mut ChannelCtx {
    let i = match channels.iter().position(|c| c.topic == topic) {
        Some(i) => i,
        None => {
            channels.push(ChannelCtx {
                topic: topic.to_string(),
                events: Vec::new(),
                received: Vec::new(),
            });
            channels.len() - 1
        }
    };
    &mut channels[i]
}

/// An external system's names, whichever context's frame it is in.
fn external_name(model: &ServiceModel, id: Id) -> Option<&Name> {
    model
        .services
        .iter()
        .flat_map(|s| &s.external_systems)
        .find(|n| n.id == id)
}

/// The service a command lives in.
fn model_service_of(model: &ServiceModel, command: Id) -> Option<Id> {
    model
        .services
        .iter()
        .find(|s| s.commands.iter().any(|c| c.name.id == command))
        .map(|s| s.name.id)
}

/// A Rust expression giving the `Option<serde_json::Value>` that fills a field from a message
/// (`payload`, and `key`: the instance key it was published with).
fn source_expr(from: &Option<Source>) -> String {
    match from {
        Some(Source::Field(label)) => format!("payload.get({}).cloned()", rust_str(label)),
        Some(Source::Key) => "Some(serde_json::Value::from(key))".into(),
        Some(Source::Lookup(_)) | None => "None".into(),
    }
}

/// A Rust expression giving the `Locate` of the instance a policy's command acts on.
fn locate_expr(instance: &Option<Option<Source>>) -> String {
    match instance {
        None => "Locate::New".into(),
        Some(None) => "Locate::Unknown".into(),
        Some(Some(Source::Field(label))) => {
            format!("Locate::key(payload.get({}))", rust_str(label))
        }
        Some(Some(Source::Key)) => "Locate::Key(key.to_string())".into(),
        Some(Some(Source::Lookup(label))) => {
            format!(
                "Locate::lookup({}, payload.get({}))",
                rust_str(label),
                rust_str(label)
            )
        }
    }
}

/// Example values as a JSON text in a Rust string literal; UUID fields given as words (`"o-1"`)
/// become a UUID derived from the word, the same everywhere it appears.
fn example_json(values: &squall_model::model::Values, fields: &[Field]) -> String {
    rust_str(&example_value(values, fields))
}

/// Example values as a JSON text; UUID fields given as words become stable UUIDs.
pub(crate) fn example_value(values: &squall_model::model::Values, fields: &[Field]) -> String {
    let mut out = serde_json::Map::new();
    for (name, value) in values {
        let uuid = fields
            .iter()
            .any(|f| &f.label == name && f.ty == FieldType::Uuid);
        let value = match value {
            serde_json::Value::String(s) if uuid => serde_json::Value::from(uuid_of(s)),
            other => other.clone(),
        };
        out.insert(name.clone(), value);
    }
    serde_json::Value::Object(out).to_string()
}

/// `text` if it is a UUID, else the name-based UUID (version 5) of it: stable across exports.
pub(crate) fn uuid_of(text: &str) -> String {
    uuid::Uuid::parse_str(text)
        .unwrap_or_else(|_| uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, text.as_bytes()))
        .to_string()
}

/// A command's examples as tests of its handler.
fn command_examples(
    model: &ServiceModel,
    s: &Service,
    c: &crate::model::Command,
    outcomes: &[OutcomeCtx],
    unresolved: bool,
) -> Vec<ExampleCtx> {
    let snake = c.name.snake.trim_end_matches('_');
    c.examples
        .iter()
        .enumerate()
        .map(|(i, example)| {
            let given = example
                .given
                .iter()
                .filter_map(|h| {
                    let e = s.events.iter().find(|e| e.name.id == h.event)?;
                    (e.aggregate.is_some() && e.aggregate == c.aggregate)
                        .then(|| (e.name.type_name.clone(), example_json(&h.fields, &e.fields)))
                })
                .collect();
            let mut ctx = ExampleCtx {
                test: format!("example_{}_{snake}", i + 1),
                summary: c.examples_text.get(i).map_or_else(Vec::new, |t| comment_lines(t)),
                given,
                trigger: None,
                when: example_json(&example.when, &c.fields),
                events: Vec::new(),
                issues: Vec::new(),
                refused: None,
                ignored: None,
            };
            match &example.then {
                Then::Events(events) => {
                    ctx.events = events
                        .iter()
                        .filter_map(|h| {
                            let (wire, fields) = event_anywhere(model, h.event)?;
                            Some((format!("{wire}.v1"), example_json(&h.fields, fields)))
                        })
                        .collect();
                    let first = ctx.events.first().map(|(w, _)| w.clone());
                    let default = outcomes.first().map(|o| format!("{}.v1", o.wire));
                    if unresolved {
                        ctx.ignored = Some(rust_str(&format!(
                            "the board does not say what {} results in (docs/model-rules.md R4/R5)",
                            c.name.label
                        )));
                    } else if first != default {
                        ctx.ignored = Some(rust_str(&format!(
                            "the board expects another of its outcomes here: write that decision in decide_{snake}"
                        )));
                    }
                }
                Then::Refused(why) => {
                    ctx.refused = Some(rust_str(why));
                    ctx.ignored = Some(rust_str(&format!(
                        "the board expects a refusal ({why}): write that rule in decide_{snake}"
                    )));
                }
                Then::Issues(_) => {}
            }
            ctx
        })
        .collect()
}

/// A policy's examples as tests of what it issues for its trigger (the last given event).
fn policy_examples(model: &ServiceModel, s: &Service, p: &crate::model::Policy) -> Vec<ExampleCtx> {
    let snake = p.name.snake.trim_end_matches('_');
    p.examples
        .iter()
        .enumerate()
        .filter_map(|(i, example)| {
            let trigger = example.given.last()?;
            let (wire, fields) = event_anywhere(model, trigger.event)?;
            let key_field = model
                .services
                .iter()
                .flat_map(|s| &s.events)
                .find(|e| e.name.id == trigger.event)
                .and_then(|e| e.key_field.clone());
            let key = key_field
                .and_then(|f| trigger.fields.get(&f))
                .map(|v| match v {
                    serde_json::Value::String(t) => uuid_of(t),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| "k-1".into());
            let Then::Issues(issues) = &example.then else {
                return None;
            };
            let issues = issues
                .iter()
                .filter_map(|issued| {
                    let c = s.commands.iter().find(|c| c.name.id == issued.command)?;
                    Some((
                        c.name.type_name.clone(),
                        example_json(&issued.fields, &c.fields),
                    ))
                })
                .collect();
            Some(ExampleCtx {
                test: format!("example_{}_{snake}", i + 1),
                summary: p
                    .examples_text
                    .get(i)
                    .map_or_else(Vec::new, |t| comment_lines(t)),
                given: Vec::new(),
                trigger: Some((
                    format!("{wire}.v1"),
                    example_json(&trigger.fields, fields),
                    rust_str(&key),
                )),
                when: String::new(),
                events: Vec::new(),
                issues,
                refused: None,
                ignored: None,
            })
        })
        .collect()
}

/// Text as `//` comment lines (no line can end the comment early: boards refuse control
/// characters, and each line is its own comment).
fn comment_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.replace(['\r', '\u{2028}', '\u{2029}'], " "))
        .collect()
}

/// A JSON string, also a valid YAML double-quoted scalar.
pub(crate) fn json_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// A Rust string literal (Debug escapes everything that could end it).
fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a Markdown table cell or list item: one line, no table breaks, no HTML.
pub(crate) fn markdown(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_called_route_keeps_the_boards_parameter_names_for_the_payload() {
        assert_eq!(
            call_route("/주문/{orderId}/cancel"),
            "/%EC%A3%BC%EB%AC%B8/{orderId}/cancel"
        );
        // Not the handler's renamed variable (`order_id`): the payload has `orderId`.
        assert_eq!(route("/o/{orderId}").0, "/o/{order_id}");
    }

    #[test]
    fn routes_keep_the_boards_path_and_are_always_valid() {
        assert_eq!(route("/orders/{id}/cancel").0, "/orders/{id}/cancel");
        assert_eq!(
            route("/orders/{Order Id}/{order id}"),
            (
                "/orders/{order_id}/{order_id2}".to_string(),
                vec![
                    ("Order Id".to_string(), "order_id".to_string()),
                    ("order id".to_string(), "order_id2".to_string())
                ]
            )
        );
        // Kept, not transliterated: the same path on the wire.
        assert_eq!(
            route("/결제이력s").0,
            "/%EA%B2%B0%EC%A0%9C%EC%9D%B4%EB%A0%A5s"
        );
        assert_eq!(route("/a b/{x").0, "/a%20b/%7Bx");
        assert_eq!(route("/").0, "/");
        let mut taken = BTreeSet::new();
        assert_eq!(unique_route(&mut taken, "post", "/a".into()), "/a");
        assert_eq!(unique_route(&mut taken, "post", "/a".into()), "/a-2");
        assert_eq!(unique_route(&mut taken, "get", "/a".into()), "/a");
    }

    #[test]
    fn strings_are_escaped_for_each_language() {
        assert_eq!(rust_str("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(toml_str("a\"b\\\n"), "\"a\\\"b\\\\\\u000A\"");
        assert_eq!(markdown("a|b\n<c>"), "a\\|b &lt;c&gt;");
    }
}
