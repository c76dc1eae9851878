//! The `rust-axum` target: a Cargo workspace with one axum service crate per bounded context.
//! Templates are minijinja files embedded in the binary (server/templates/rust-axum); a directory
//! of files with the same relative names overrides any of them. Output is deterministic: the
//! same board gives the same files, byte for byte.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use squall_model::model::{FieldType, HttpMethod, Id};
use squall_model::semantic::Results;
use serde::Serialize;

use squall_model::model::Board;

use crate::model::{Call, Field, Service, ServiceModel};
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
    ("service/src/main.rs.j2", "services/{service}/src/main.rs"),
    ("service/src/domain.rs.j2", "services/{service}/src/domain.rs"),
    ("service/src/messaging.rs.j2", "services/{service}/src/messaging.rs"),
    ("service/src/repository.rs.j2", "services/{service}/src/repository.rs"),
    ("service/src/client.rs.j2", "services/{service}/src/client.rs"),
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

/// Renders the workspace for `model`; file paths are relative, `/`-separated.
pub fn generate(
    title: &str,
    model: &ServiceModel,
    overrides: Option<&Path>,
) -> Result<BTreeMap<String, String>, GenerateError> {
    let mut services: Vec<ServiceCtx> = model.services.iter().map(service_ctx).collect();
    link_services(model, &mut services);
    for s in &mut services {
        s.native = model.identifiers == names::Identifiers::Native;
        s.probe = s
            .commands
            .iter()
            .position(|c| c.method == "post" && c.params.is_empty() && c.calls.is_empty());
    }
    let problems: Vec<String> = model
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
        .collect();
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
    };
    shared::render(&[shared::FILES, FILES], overrides, top, &values)
}

#[derive(Serialize)]
struct ServiceCtx {
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
    /// Every synchronous call this service makes, by generated function name.
    calls: Vec<CallCtx>,
    /// Routes in order, with the commands and read models on each (indices).
    paths: Vec<PathCtx>,
    /// Identifiers keep the team's script (the crate allows non-ASCII identifiers' lints).
    native: bool,
    /// A command the generated HTTP test posts to: POST, no route parameters, no calls.
    probe: Option<usize>,
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
    /// In an event built by a command: the command has a field of this name and type.
    from_command: bool,
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
    /// The command field that names the aggregate instance (same name and type as its key).
    aggregate_key: Option<String>,
    /// Else the route parameter that does (`/orders/{id}/cancel`).
    aggregate_param: Option<String>,
    emits: Vec<EmitCtx>,
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
struct EmitCtx {
    type_name: String,
    fields: Vec<FieldCtx>,
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
    local_sources: Vec<EventCtx>,
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

#[derive(Serialize, Clone)]
struct CallCtx {
    /// `call_payments_take_payment`
    function: String,
    label_rs: String,
    /// The called service's environment prefix (`PAYMENTS` → `PAYMENTS_URL`).
    env: String,
    method: &'static str,
    route: String,
    /// The called command's fields: what is sent of the caller's payload.
    fields: Vec<String>,
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

fn service_ctx(s: &Service) -> ServiceCtx {
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
            let route = unique_route(&mut routes, method, route(&c.path));
            let own = fields(&c.fields);
            let route_params = route_params(&route);
            let params = route_params
                .iter()
                .cloned()
                .map(|name| ParamCtx {
                    field: own
                        .iter()
                        .find(|f| f.snake == name && f.scalar)
                        .map(|f| f.snake.clone()),
                    name,
                })
                .collect();
            let emits = c
                .emits
                .iter()
                .filter_map(|id| event_by_id.get(id))
                .map(|e| EmitCtx {
                    type_name: e.type_name.clone(),
                    fields: e
                        .fields
                        .iter()
                        .map(|g| FieldCtx {
                            from_command: own
                                .iter()
                                .any(|f| f.snake == g.snake && f.rust == g.rust),
                            ..g.clone()
                        })
                        .collect(),
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
            let aggregate = c.aggregate.and_then(|a| aggregate_by_id.get(&a));
            let aggregate_key = aggregate.and_then(|a| {
                let key = a.fields.iter().find(|f| f.snake == a.key);
                own.iter()
                    .find(|f| f.snake == a.key && key.is_none_or(|k| k.rust == f.rust))
                    .filter(|f| key.is_some() || f.rust == "uuid::Uuid")
                    .map(|f| f.snake.clone())
            });
            let aggregate_param = aggregate
                .filter(|a| aggregate_key.is_none() && route_params.contains(&a.key))
                .map(|a| a.key.clone());
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
                aggregate_key,
                aggregate_param,
                emits,
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
                format!("/views/{}", names::dns_name(&r.name.label, "view")),
            ),
            fields: fields(&r.fields),
            local_sources: r
                .sources
                .iter()
                .filter(|t| t.service == s.name.id)
                .filter_map(|t| event_by_id.get(&t.event).map(|e| (*e).clone()))
                .collect(),
        })
        .collect();
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
            fields: c.fields.iter().map(|f| f.snake.clone()).collect(),
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
                    if !subscriptions.iter().any(|x| x.topic == sub.topic) {
                        subscriptions.push(sub);
                    }
                }
            }
            let issued: Vec<CallCtx> = services[si].policies[pi]
                .remote_issue_ids
                .iter()
                .filter_map(|(service, command)| call(services, *service, *command))
                .collect();
            let policy = &mut services[si].policies[pi];
            policy.remote_triggers = remote;
            policy.calls = issued.iter().map(|c| c.function.clone()).collect();
            calls.extend(issued.into_iter().map(|c| (c.function.clone(), c)));
        }
        for (ci, c) in s.commands.iter().enumerate() {
            let made: Vec<CallCtx> = c
                .calls
                .iter()
                .filter_map(|call_| match call_ {
                    Call::Command { service, command } => call(services, *service, *command),
                    Call::ExternalSystem(_) => None,
                })
                .collect();
            services[si].commands[ci].calls = made.iter().map(|c| c.function.clone()).collect();
            calls.extend(made.into_iter().map(|c| (c.function.clone(), c)));
        }
        subscriptions.sort_by(|a, b| a.topic.cmp(&b.topic));
        let target = &mut services[si];
        target.subscriptions = subscriptions;
        target.calls_services = calls
            .values()
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
            from_command: false,
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

/// The `{param}` names of an axum route.
fn route_params(route: &str) -> Vec<String> {
    route
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_string)
        .collect()
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

/// An axum route from a board's HTTP path: `{param}` segments keep a clean parameter name, every
/// other segment becomes a DNS-style word, so no label can produce an invalid route.
fn route(path: &str) -> String {
    let mut params = names::Scope::default();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => format!("{{{}}}", params.unique(names::snake_name(param, "param"))),
                None => names::dns_name(segment, "part"),
            },
        )
        .collect();
    format!("/{}", segments.join("/"))
}

/// Two commands on one method and path would make axum panic at start: number the second.
fn unique_route(taken: &mut BTreeSet<(String, String)>, method: &str, route: String) -> String {
    let mut candidate = route.clone();
    let mut n = 2;
    while !taken.insert((method.to_string(), candidate.clone())) {
        candidate = format!("{route}-{n}");
        n += 1;
    }
    candidate
}

/// A JSON string, also a valid YAML double-quoted scalar.
fn json_str(s: &str) -> String {
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
fn markdown(s: &str) -> String {
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
    fn routes_are_always_valid() {
        assert_eq!(route("/orders/{id}/cancel"), "/orders/{id}/cancel");
        assert_eq!(
            route("/orders/{Order Id}/{order id}"),
            "/orders/{order_id}/{order_id2}"
        );
        assert_eq!(route("/주문/{x"), "/jumun/x");
        assert_eq!(route("/"), "/");
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
