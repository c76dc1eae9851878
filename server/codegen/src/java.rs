//! The `spring-boot` target: a Maven multi-module project (Spring Boot 3.5, Java 17), a module
//! per bounded context and a Spring Cloud Gateway, from the same service model as the Rust
//! target. The deployment and contract templates are the shared ones ([`crate::shared`]): this
//! module adds what Java needs (class, member and package names, Java types and expressions)
//! under `s.j` beside the target-neutral service context.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;
use squall_model::model::{Board, FieldType, HttpMethod, Id, Source, Then};
use squall_model::semantic::Results;

use crate::model::{Call, Field, Filled, Instance, Name, Service, ServiceModel};
use crate::names::{self, Scope};
use crate::rust::{self, ServiceCtx, event_anywhere, unique_route};
use crate::shared::{self, File, files};
use crate::{GenerateError, Options, Rendered, Target};

/// The target's own templates (server/codegen/templates/spring-boot), beside the shared ones.
const FILES: &[File] = files![
    "spring-boot":
    ("pom.xml.j2", "pom.xml"),
    ("README.md.j2", "README.md"),
    ("github-ci.yml.j2", ".github/workflows/ci.yml"),
    ("dockerignore.j2", ".dockerignore"),
    ("gateway/pom.xml.j2", "gateway/pom.xml"),
    ("gateway/Dockerfile.j2", "gateway/Dockerfile"),
    ("gateway/GatewayApplication.java.j2", "gateway/src/main/java/com/example/gateway/GatewayApplication.java"),
    ("gateway/application.yml.j2", "gateway/src/main/resources/application.yml"),
    ("gateway/GatewayApplicationTest.java.j2", "gateway/src/test/java/com/example/gateway/GatewayApplicationTest.java"),
    ("service/pom.xml.j2", "services/{service}/pom.xml"),
    ("service/Dockerfile.j2", "services/{service}/Dockerfile"),
    ("service/README.md.j2", "services/{service}/README.md"),
    ("service/application.yml.j2", "services/{service}/src/main/resources/application.yml"),
    ("service/V1__schema.sql.j2", "services/{service}/src/main/resources/db/migration/V1__schema.sql"),
    ("service/Application.java.j2", "services/{service}/src/main/java/{package}/Application.java"),
    ("service/Commands.java.j2", "services/{service}/src/main/java/{package}/domain/Commands.java"),
    ("service/Events.java.j2", "services/{service}/src/main/java/{package}/domain/Events.java"),
    ("service/Aggregates.java.j2", "services/{service}/src/main/java/{package}/domain/Aggregates.java"),
    ("service/ReadModels.java.j2", "services/{service}/src/main/java/{package}/domain/ReadModels.java"),
    ("service/Repositories.java.j2", "services/{service}/src/main/java/{package}/domain/Repositories.java"),
    ("service/Policies.java.j2", "services/{service}/src/main/java/{package}/domain/Policies.java"),
    ("service/DomainException.java.j2", "services/{service}/src/main/java/{package}/domain/DomainException.java"),
    ("service/Handler.java.j2", "services/{service}/src/main/java/{package}/app/Handler.java"),
    ("service/Api.java.j2", "services/{service}/src/main/java/{package}/web/Api.java"),
    ("service/Clients.java.j2", "services/{service}/src/main/java/{package}/client/Clients.java"),
    ("service/Messaging.java.j2", "services/{service}/src/main/java/{package}/messaging/Messaging.java"),
    ("service/Json.java.j2", "services/{service}/src/main/java/{package}/domain/Json.java"),
    ("service/DomainTest.java.j2", "services/{service}/src/test/java/{package}/DomainTest.java"),
    ("service/ApplicationTest.java.j2", "services/{service}/src/test/java/{package}/ApplicationTest.java"),
];

/// The Java package every service lives under (`com.example.<context>`).
const GROUP: &str = "com.example";

/// The `spring-boot` target.
pub struct SpringBoot;

impl Target for SpringBoot {
    fn id(&self) -> &'static str {
        "spring-boot"
    }
    fn title(&self) -> &'static str {
        "Java services (Spring Boot, JPA, Kafka)"
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

/// A service's context: the target-neutral one the shared templates read, and `j`.
#[derive(Serialize)]
struct JavaService<'a> {
    #[serde(flatten)]
    base: &'a ServiceCtx,
    j: JavaCtx,
}

/// Renders the Maven project for `model`; file paths are relative, `/`-separated.
pub fn generate(
    title: &str,
    model: &ServiceModel,
    overrides: Option<&Path>,
) -> Result<BTreeMap<String, String>, GenerateError> {
    let mut bases = rust::contexts(model);
    for base in &mut bases {
        base.use_actuator();
    }
    let calls = all_calls(model);
    let services: Vec<JavaService> = bases
        .iter()
        .zip(&model.services)
        .map(|(base, s)| JavaService {
            base,
            j: java_ctx(model, s, &calls),
        })
        .collect();
    let values: Vec<(String, minijinja::Value)> = services
        .iter()
        .map(|s| {
            (
                s.base.dns().to_string(),
                minijinja::Value::from_serialize(s),
            )
        })
        .collect();
    let top = minijinja::context! {
        board_title_md => rust::markdown(title),
        board_title_yaml => rust::json_str(title),
        services => values.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
        problems => rust::problem_lines(model),
        metrics_path => "/actuator/prometheus",
    };
    let mut out = shared::render(&[shared::FILES, FILES], overrides, top, &values)?;
    // `{package}` in a path: the service's package as directories.
    let packages: HashMap<String, String> = services
        .iter()
        .map(|s| {
            (
                format!("services/{}/", s.base.dns()),
                s.j.package.replace('.', "/"),
            )
        })
        .collect();
    let renamed: Vec<(String, String)> = out
        .keys()
        .filter(|k| k.contains("{package}"))
        .map(|k| {
            let package = packages
                .iter()
                .find(|(prefix, _)| k.starts_with(prefix.as_str()))
                .map(|(_, p)| p.as_str())
                .unwrap_or("app");
            (k.clone(), k.replace("{package}", package))
        })
        .collect();
    for (from, to) in renamed {
        if let Some(text) = out.remove(&from) {
            out.insert(to, text);
        }
    }
    Ok(out)
}

#[derive(Serialize)]
struct JavaCtx {
    /// `com.example.ordering`
    package: String,
    /// `ordering-service`
    artifact: String,
    aggregates: Vec<JAggregate>,
    commands: Vec<JCommand>,
    events: Vec<JEvent>,
    policies: Vec<JPolicy>,
    read_models: Vec<JReadModel>,
    calls: Vec<JCall>,
    inbound: Vec<JInbound>,
    /// Topics its consumer reads (other contexts' and its own).
    consumes: Vec<String>,
    /// Other contexts' event types it handles (`OrderPlaced.v1`): its policies and read models.
    handles: Vec<String>,
    /// A command the application test posts, with the topic and type of its one event.
    probe: Option<JProbe>,
}

#[derive(Serialize)]
struct JProbe {
    route_lit: String,
    topic: String,
    wire: String,
    /// A read model of this context its event feeds (its route as a Java literal): the test
    /// sees the row appear through the consumer.
    read_model: Option<String>,
}

#[derive(Serialize, Clone)]
struct JField {
    /// The Java member name (`customerId`).
    name: String,
    /// Its Java type (`java.util.UUID`).
    ty: String,
    /// The board's name as a Java string literal (the JSON property).
    wire: String,
    /// The column (ASCII, quoted in SQL).
    column: String,
    /// Its SQL type (PostgreSQL, also H2).
    sql: String,
    /// Stored as JSON text (lists and value objects).
    json: bool,
    key: bool,
}

/// `(state member, event member, stored as JSON)`.
type FoldSet = (String, String, bool);
/// `(member, Java type, JsonNode expression)`.
type Column = (String, String, String);

#[derive(Serialize)]
struct JAggregate {
    class: String,
    table: String,
    fields: Vec<JField>,
    /// The key field's member name and Java type (`id`/`java.util.UUID` when generated).
    key: String,
    key_ty: String,
    /// No key field on the board: an `id` is generated.
    key_generated: bool,
    /// `(event record, [(state member, event member, stored as JSON)])`.
    folds: Vec<(String, Vec<FoldSet>)>,
}

#[derive(Serialize)]
struct JCommand {
    record: String,
    /// `placeOrder`
    method: String,
    label: String,
    http: &'static str,
    /// The Spring path pattern, and as a Java literal.
    route: String,
    route_lit: String,
    /// The record's constructor arguments in the controller: path variables, the body's
    /// fields, or null.
    args: Vec<String>,
    /// A key value for tests, in the key's Java type.
    sample_key: String,
    /// `(path variable, the member it fills if any, its Java type)`.
    params: Vec<(String, Option<String>, String)>,
    fields: Vec<JField>,
    /// Its aggregate's class, key member and key type, and the Handler's field holding its
    /// repository.
    aggregate: Option<String>,
    repository: Option<String>,
    key: Option<String>,
    key_ty: Option<String>,
    /// `route` (`instance_param`), `field` (`instance_field`), `new` or `none`.
    instance: &'static str,
    instance_param: Option<String>,
    instance_field: Option<String>,
    /// `PlaceOrderOutcome`
    outcome_enum: String,
    outcomes: Vec<JOutcome>,
    unresolved: Option<&'static str>,
    candidates: Vec<String>,
    /// Client methods it calls first.
    calls: Vec<String>,
    examples: Vec<JExample>,
    /// A command the generated application test can post: POST, no path variables, no calls,
    /// an event it results in (the default decision's).
    probe: bool,
}

#[derive(Serialize)]
struct JOutcome {
    /// The event record (also the outcome's constant, upper-cased by the template).
    record: String,
    constant: String,
    /// Java expressions in the record's component order.
    args: Vec<String>,
    /// The event's member that carries the key, if any.
    key_field: Option<String>,
}

#[derive(Serialize)]
struct JEvent {
    record: String,
    /// `OrderPlaced.v1`
    wire: String,
    label: String,
    topic: String,
    fields: Vec<JField>,
    /// The member that carries its aggregate's key.
    key_field: Option<String>,
}

#[derive(Serialize)]
struct JPolicy {
    /// `whenPaymentApprovedMarkOrderPaid`
    method: String,
    label: String,
    /// `(message type, reactions)`
    groups: Vec<(String, Vec<JReaction>)>,
    examples: Vec<JExample>,
}

#[derive(Serialize)]
struct JReaction {
    /// A command of this context (its record) …
    command: Option<String>,
    /// … or a call to another context (the client method).
    call: Option<String>,
    /// `(wire literal, Java type, JsonNode expression)` per command field, in order.
    fields: Vec<(String, String, String)>,
    /// The `Locate` expression.
    locate: String,
}

#[derive(Serialize)]
struct JReadModel {
    class: String,
    table: String,
    route: String,
    route_lit: String,
    label: String,
    fields: Vec<JField>,
    key: String,
    key_ty: String,
    key_generated: bool,
    /// `(message type, key expression, [(member, Java type, JsonNode expression)])`.
    projections: Vec<(String, String, Vec<Column>)>,
}

#[derive(Serialize, Clone)]
struct JCall {
    method: String,
    label: String,
    /// `PAYMENT_URL`
    env: String,
    http: &'static str,
    route: String,
    /// The called command's fields (wire literals).
    fields: Vec<String>,
    system: Option<String>,
}

#[derive(Serialize)]
struct JInbound {
    repository: Option<String>,
    record: String,
    method: String,
    route: String,
    route_lit: String,
    label: String,
    aggregate: Option<String>,
    key: Option<String>,
    key_ty: Option<String>,
    key_field: Option<String>,
}

#[derive(Serialize)]
struct JExample {
    method: String,
    summary: Vec<String>,
    /// `(event record, JSON literal)` folded first.
    given: Vec<(String, String)>,
    /// The trigger of a policy example: `(type, JSON literal, key literal)`.
    trigger: Option<(String, String, String)>,
    when: String,
    /// `(type, JSON literal)` expected, each with the values it names.
    events: Vec<(String, String)>,
    /// `(command record, JSON literal)` a policy issues.
    issues: Vec<(String, String)>,
    refused: Option<String>,
    disabled: Option<String>,
}

fn java_ctx(model: &ServiceModel, s: &Service, calls: &CallIndex) -> JavaCtx {
    let package = format!("{GROUP}.{}", names::java_package(&s.name.dns));
    let mut types = Scope::default();
    let mut class = |n: &Name, kind: &str| types.unique(names::java_type_name(&n.type_name, kind));
    let events: Vec<JEvent> = s
        .events
        .iter()
        .map(|e| {
            let fields = java_fields(&e.fields);
            JEvent {
                record: class(&e.name, "event"),
                wire: format!("{}.v1", e.name.ascii_type),
                label: java_str(&e.name.label),
                topic: e.topic.clone(),
                key_field: e
                    .key_field
                    .as_ref()
                    .and_then(|l| member_by_label(&e.fields, &fields, l)),
                fields,
            }
        })
        .collect();
    let event_record: HashMap<Id, &JEvent> = s
        .events
        .iter()
        .zip(&events)
        .map(|(e, j)| (e.name.id, j))
        .collect();
    let aggregates: Vec<JAggregate> = s
        .aggregates
        .iter()
        .map(|a| {
            let key_generated = a.key.is_none();
            let mut fields = java_fields_beside(&a.fields, key_generated.then_some("id"));
            if key_generated {
                fields.insert(0, generated_key());
            }
            let key = fields
                .iter()
                .find(|f| f.key)
                .cloned()
                .unwrap_or_else(generated_key);
            let folds = a
                .folds
                .iter()
                .filter_map(|f| {
                    let e = s.events.iter().find(|e| e.name.id == f.event)?;
                    let ej = event_record.get(&f.event)?;
                    let own = fields_without_generated(&fields, key_generated);
                    let sets = f
                        .sets
                        .iter()
                        .filter_map(|(state, from)| {
                            let target = a.fields.iter().position(|x| &x.snake == state);
                            let member = match target {
                                Some(i) => own.get(i)?.name.clone(),
                                None if key_generated && state == "id" => "id".to_string(),
                                None => return None,
                            };
                            let json = target.is_some_and(|i| own[i].json);
                            Some((member, member_by_snake(&e.fields, &ej.fields, from)?, json))
                        })
                        .collect();
                    Some((ej.record.clone(), sets))
                })
                .collect();
            JAggregate {
                class: class(&a.name, "aggregate"),
                table: names::sql_name(a.name.ascii_snake.trim_end_matches('_')),
                key: key.name.clone(),
                key_ty: key.ty.clone(),
                key_generated,
                fields,
                folds,
            }
        })
        .collect();
    let aggregate_by_id: HashMap<Id, &JAggregate> = s
        .aggregates
        .iter()
        .zip(&aggregates)
        .map(|(a, j)| (a.name.id, j))
        .collect();
    let repository_of = |id: Option<Id>| {
        let i = s.aggregates.iter().position(|a| Some(a.name.id) == id)?;
        Some(format!("aggregate{}", i + 1))
    };
    let mut routes = BTreeSet::new();
    let commands: Vec<JCommand> = s
        .commands
        .iter()
        .map(|c| {
            let fields = java_fields(&c.fields);
            let (route, params_map) = spring_route(&c.path);
            let route = unique_route(&mut routes, http(c.method), route);
            let params: Vec<(String, Option<String>, String)> = params_map
                .iter()
                .map(|(board, var)| {
                    let filled = c
                        .fields
                        .iter()
                        .zip(&fields)
                        .find(|(f, j)| squall_model::semantic::fills::plain(&f.label) == squall_model::semantic::fills::plain(board) && !j.json);
                    (
                        var.clone(),
                        filled.map(|(_, j)| j.name.clone()),
                        filled.map_or("String".to_string(), |(_, j)| j.ty.clone()),
                    )
                })
                .collect();
            let aggregate = c.aggregate.and_then(|a| aggregate_by_id.get(&a));
            // The parameter naming the instance is typed as its key: a malformed one is a 400.
            let params: Vec<(String, Option<String>, String)> = params
                .into_iter()
                .map(|(var, filled, ty)| {
                    let names_instance = matches!(&c.instance, Instance::Route(p)
                        if params_map.iter().any(|(b, v)| b == p && *v == var));
                    match (filled, aggregate) {
                        (None, Some(a)) if names_instance => (var, None, a.key_ty.clone()),
                        (filled, _) => (var, filled, ty),
                    }
                })
                .collect();
            let outcomes: Vec<JOutcome> = c
                .outcomes
                .iter()
                .filter_map(|o| {
                    let ej = event_record.get(&o.event)?;
                    let args = o
                        .fields
                        .iter()
                        .zip(&ej.fields)
                        .map(|((_, from), target)| match from {
                            Filled::Key => "key".to_string(),
                            Filled::Command(f) => member_by_snake(&c.fields, &fields, f)
                                .map_or("null".into(), |m| format!("command.{m}()")),
                            Filled::State(f) => aggregate
                                .and_then(|a| {
                                    let model_a = s.aggregates.iter().find(|x| Some(x.name.id) == c.aggregate)?;
                                    let own = fields_without_generated(&a.fields, a.key_generated);
                                    let i = model_a.fields.iter().position(|x| &x.snake == f)?;
                                    let state = own.get(i)?;
                                    Some(if state.json {
                                        format!(
                                            "Json.as(this.{}, new com.fasterxml.jackson.core.type.TypeReference<{}>() {{ }})",
                                            state.name, target.ty
                                        )
                                    } else {
                                        format!("this.{}", state.name)
                                    })
                                })
                                .unwrap_or_else(|| "null".into()),
                            // Java records have no other default.
                            Filled::Nothing => "null".to_string(),
                        })
                        .collect();
                    Some(JOutcome {
                        record: ej.record.clone(),
                        constant: constant(&ej.record),
                        args,
                        key_field: ej.key_field.clone(),
                    })
                })
                .collect();
            let (unresolved, candidates) = match &c.results {
                Results::Ambiguous(ids) => (
                    Some("R5"),
                    ids.iter()
                        .filter_map(|id| event_record.get(id))
                        .map(|e| e.record.clone())
                        .collect(),
                ),
                Results::Nothing => (Some("R4"), Vec::new()),
                Results::Drawn(_) | Results::Only(_) => (None, Vec::new()),
            };
            let (instance, instance_param, instance_field) = match &c.instance {
                Instance::Route(p) => (
                    "route",
                    params_map.iter().find(|(b, _)| b == p).map(|(_, v)| v.clone()),
                    None,
                ),
                Instance::Field(f) => ("field", None, member_by_snake(&c.fields, &fields, f)),
                Instance::New => ("new", None, None),
                Instance::Nothing => ("none", None, None),
            };
            let instance = match (instance, &instance_param, &instance_field) {
                ("route", None, _) | ("field", _, None) => "new",
                (i, _, _) => i,
            };
            let method = names::java_member_name(c.name.snake.trim_end_matches('_'));
            let made: Vec<String> = c
                .calls
                .iter()
                .filter_map(|call| calls.method_for(c.name.id, call))
                .collect();
            let examples = command_examples(model, s, c, &event_record, &outcomes, unresolved.is_some());
            let args = c
                .fields
                .iter()
                .zip(&fields)
                .map(|(_, j)| {
                    let from_path = params
                        .iter()
                        .find(|(_, filled, _): &&(String, Option<String>, String)| filled.as_deref() == Some(j.name.as_str()))
                        .map(|(var, _, _)| var.clone());
                    from_path.unwrap_or_else(|| {
                        if matches!(c.method, HttpMethod::Get | HttpMethod::Delete) {
                            "null".into()
                        } else {
                            // A command without fields may come without a body.
                            format!("body == null ? null : body.{}()", j.name)
                        }
                    })
                })
                .collect();
            let sample_key = aggregate.map_or("null".into(), |a| sample_value(&a.key_ty));
            JCommand {
                route_lit: java_str(&route),
                args,
                sample_key,
                record: class(&c.name, "command"),
                label: java_str(&c.name.label),
                http: http(c.method),
                probe: http(c.method) == "POST"
                    && params_map.is_empty()
                    && made.is_empty()
                    && !outcomes.is_empty()
                    && unresolved.is_none(),
                route,
                params,
                aggregate: aggregate.map(|a| a.class.clone()),
                repository: aggregate.and_then(|_| repository_of(c.aggregate)),
                key: aggregate.map(|a| a.key.clone()),
                key_ty: aggregate.map(|a| a.key_ty.clone()),
                instance,
                instance_param,
                instance_field,
                outcome_enum: format!("{}Outcome", names::java_type_name(&c.name.type_name, "command")),
                outcomes,
                unresolved,
                candidates,
                calls: made,
                examples,
                fields,
                method,
            }
        })
        .collect();
    let command_record: HashMap<Id, (&JCommand, &crate::model::Command)> = s
        .commands
        .iter()
        .zip(&commands)
        .map(|(c, j)| (c.name.id, (j, c)))
        .collect();
    let mut handles = BTreeSet::new();
    let mut policy_methods = Scope::default();
    policy_methods.unique("react".into());
    let policies = s
        .policies
        .iter()
        .map(|p| {
            let mut groups: Vec<(String, Vec<JReaction>)> = Vec::new();
            for r in &p.reactions {
                let Some((wire, _)) = event_anywhere(model, r.event) else {
                    continue;
                };
                let message = format!("{wire}.v1");
                handles.insert(message.clone());
                let (command, call, command_fields) = match command_record.get(&r.command) {
                    Some((j, c)) => (Some(j.record.clone()), None, Some((&c.fields, &j.fields))),
                    None => (None, calls.remote_method(r.command), None),
                };
                if command.is_none() && call.is_none() {
                    continue;
                }
                // A local command's record takes every field in its order.
                let fields = match command_fields {
                    Some((m, j)) => m
                        .iter()
                        .zip(j.iter())
                        .map(|(f, j)| {
                            let from = r
                                .fields
                                .iter()
                                .find(|(label, _)| *label == f.label)
                                .and_then(|(_, from)| from.clone());
                            (java_str(&f.label), j.ty.clone(), source_expr(&from))
                        })
                        .collect(),
                    None => r
                        .fields
                        .iter()
                        .map(|(label, from)| {
                            (
                                java_str(label),
                                "com.fasterxml.jackson.databind.JsonNode".to_string(),
                                source_expr(from),
                            )
                        })
                        .collect(),
                };
                let reaction = JReaction {
                    command,
                    call,
                    fields,
                    locate: locate_expr(&r.instance),
                };
                match groups.iter_mut().find(|(m, _)| *m == message) {
                    Some((_, list)) => list.push(reaction),
                    None => groups.push((message, vec![reaction])),
                }
            }
            JPolicy {
                method: policy_methods
                    .unique(names::java_member_name(p.name.snake.trim_end_matches('_'))),
                label: java_str(&p.name.label),
                groups,
                examples: policy_examples(model, p, &command_record),
            }
        })
        .collect();
    let read_models: Vec<JReadModel> = s
        .read_models
        .iter()
        .map(|r| {
            let key_generated = r.key.is_none();
            let mut fields = java_fields_beside(&r.fields, key_generated.then_some("key"));
            if key_generated {
                fields.insert(
                    0,
                    JField {
                        name: "key".into(),
                        ty: "String".into(),
                        wire: java_str("key"),
                        column: "key".into(),
                        sql: "VARCHAR".into(),
                        json: false,
                        key: true,
                    },
                );
            }
            let key = fields.iter().find(|f| f.key).cloned().expect("a key");
            let projections = r
                .projections
                .iter()
                .filter_map(|p| {
                    let (wire, _) = event_anywhere(model, p.event)?;
                    handles.insert(format!("{wire}.v1"));
                    let mut key_expr = source_expr(&Some(Source::Key));
                    let mut columns = Vec::new();
                    for (label, from) in &p.columns {
                        let Some(j) = r
                            .fields
                            .iter()
                            .position(|f| &f.label == label)
                            .map(|i| &fields[i + usize::from(key_generated)])
                        else {
                            continue;
                        };
                        if from.is_none() {
                            continue;
                        }
                        if j.key {
                            key_expr = source_expr(from);
                        } else {
                            let ty = if j.json {
                                "com.fasterxml.jackson.databind.JsonNode".to_string()
                            } else {
                                j.ty.clone()
                            };
                            columns.push((j.name.clone(), ty, source_expr(from)));
                        }
                    }
                    Some((format!("{wire}.v1"), key_expr, columns))
                })
                .collect();
            let route = unique_route(
                &mut routes,
                "GET",
                format!("/{}", names::dns_name(&r.name.label, "view")),
            );
            JReadModel {
                class: class(&r.name, "view"),
                table: names::sql_name(r.name.ascii_snake.trim_end_matches('_')),
                route_lit: java_str(&route),
                route,
                label: java_str(&r.name.label),
                key: key.name.clone(),
                key_ty: key.ty.clone(),
                key_generated,
                fields,
                projections,
            }
        })
        .collect();
    let inbound = s
        .events
        .iter()
        .zip(&events)
        .filter(|(e, _)| !e.sent_by.is_empty())
        .map(|(e, j)| {
            let aggregate = e.aggregate.and_then(|a| aggregate_by_id.get(&a));
            let route = unique_route(
                &mut routes,
                "POST",
                format!("/inbound/{}", names::dns_name(&e.name.label, "event")),
            );
            JInbound {
                repository: aggregate.and_then(|_| repository_of(e.aggregate)),
                record: j.record.clone(),
                method: format!("receive{}", j.record),
                route_lit: java_str(&route),
                route,
                label: j.label.clone(),
                aggregate: aggregate.map(|a| a.class.clone()),
                key: aggregate.map(|a| a.key.clone()),
                key_ty: aggregate.map(|a| a.key_ty.clone()),
                key_field: j.key_field.clone(),
            }
        })
        .collect();
    let consumes = calls.consumes.get(&s.name.id).cloned().unwrap_or_default();
    let probe = commands.iter().find(|c| c.probe).and_then(|c| {
        let o = c.outcomes.first()?;
        let e = events.iter().find(|e| e.record == o.record)?;
        let read_model = read_models
            .iter()
            .find(|r: &&JReadModel| r.projections.iter().any(|(t, _, _)| *t == e.wire))
            .map(|r| r.route_lit.clone());
        Some(JProbe {
            route_lit: c.route_lit.clone(),
            topic: e.topic.clone(),
            wire: e.wire.clone(),
            read_model,
        })
    });
    JavaCtx {
        probe,
        artifact: format!("{}-service", s.name.dns),
        calls: calls.of_service(s.name.id),
        package,
        aggregates,
        commands,
        events,
        policies,
        read_models,
        inbound,
        consumes,
        handles: handles.into_iter().collect(),
    }
}

/// Every synchronous call of every service (other contexts' commands, external systems), by
/// a method name unique within the calling service.
struct CallIndex {
    /// `(caller service, call)` → method.
    by_call: HashMap<(Id, Id, Option<Id>), String>,
    /// A policy's call of a remote command: command → method.
    remote: HashMap<Id, String>,
    per_service: HashMap<Id, Vec<JCall>>,
    consumes: HashMap<Id, Vec<String>>,
}

impl CallIndex {
    fn method_for(&self, command: Id, call: &Call) -> Option<String> {
        let key = match call {
            Call::Command {
                command: target, ..
            } => (command, *target, None),
            Call::ExternalSystem(system) => (command, *system, Some(*system)),
        };
        self.by_call.get(&key).cloned()
    }
    fn remote_method(&self, command: Id) -> Option<String> {
        self.remote.get(&command).cloned()
    }
    fn of_service(&self, service: Id) -> Vec<JCall> {
        self.per_service.get(&service).cloned().unwrap_or_default()
    }
}

fn all_calls(model: &ServiceModel) -> CallIndex {
    let mut index = CallIndex {
        by_call: HashMap::new(),
        remote: HashMap::new(),
        per_service: HashMap::new(),
        consumes: HashMap::new(),
    };
    let remote_call = |service: Id, command: Id| -> Option<JCall> {
        let s = model.services.iter().find(|s| s.name.id == service)?;
        let c = s.commands.iter().find(|c| c.name.id == command)?;
        let route = java_str(&c.path);
        Some(JCall {
            method: format!(
                "call{}{}",
                pascal(&s.name.dns),
                names::java_type_name(&c.name.type_name, "command")
            ),
            label: java_str(&c.name.label),
            env: format!("{}_URL", s.name.dns.replace('-', "_").to_uppercase()),
            http: http(c.method),
            route,
            fields: c.fields.iter().map(|f| java_str(&f.label)).collect(),
            system: None,
        })
    };
    for s in &model.services {
        let mut made: BTreeMap<String, JCall> = BTreeMap::new();
        for c in &s.commands {
            for call in &c.calls {
                let (target, j) = match call {
                    Call::Command { service, command } => {
                        (*command, remote_call(*service, *command))
                    }
                    Call::ExternalSystem(system) => {
                        let name = model
                            .services
                            .iter()
                            .flat_map(|s| &s.external_systems)
                            .find(|n| n.id == *system);
                        (
                            *system,
                            name.map(|n| JCall {
                                method: format!(
                                    "{}{}",
                                    names::java_member_name(n.snake.trim_end_matches('_')),
                                    names::java_type_name(&c.name.type_name, "command")
                                ),
                                label: java_str(&c.name.label),
                                env: format!("{}_URL", n.dns.replace('-', "_").to_uppercase()),
                                http: "POST",
                                route: java_str(&format!(
                                    "/{}",
                                    names::dns_name(&c.name.label, "command")
                                )),
                                fields: c.fields.iter().map(|f| java_str(&f.label)).collect(),
                                system: Some(java_str(&n.label)),
                            }),
                        )
                    }
                };
                if let Some(j) = j {
                    let system = matches!(call, Call::ExternalSystem(_)).then_some(target);
                    index
                        .by_call
                        .insert((c.name.id, target, system), j.method.clone());
                    made.insert(j.method.clone(), j);
                }
            }
        }
        for p in &s.policies {
            for call in &p.issues {
                if let Call::Command { service, command } = call
                    && *service != s.name.id
                    && let Some(j) = remote_call(*service, *command)
                {
                    index.remote.insert(*command, j.method.clone());
                    made.insert(j.method.clone(), j);
                }
            }
        }
        index
            .per_service
            .insert(s.name.id, made.into_values().collect());
        // What its consumer reads: the topics of the events its policies and read models use.
        let mut topics = BTreeSet::new();
        for t in s
            .policies
            .iter()
            .flat_map(|p| &p.triggers)
            .chain(s.read_models.iter().flat_map(|r| &r.sources))
        {
            if let Some(e) = model
                .services
                .iter()
                .flat_map(|s| &s.events)
                .find(|e| e.name.id == t.event)
            {
                topics.insert(e.topic.clone());
            }
        }
        index
            .consumes
            .insert(s.name.id, topics.into_iter().collect());
    }
    index
}

/// The fields of a record or entity: unique Java member names and columns, Java and SQL types.
fn java_fields(fields: &[Field]) -> Vec<JField> {
    java_fields_beside(fields, None)
}

/// The fields of an entity beside a generated key of this name (`id`, `key`): members and
/// columns never take its name.
fn java_fields_beside(fields: &[Field], generated: Option<&str>) -> Vec<JField> {
    let mut members = Scope::default();
    let mut columns = Scope::default();
    // The entities' and records' own members and columns.
    for own in ["version", "eventType", "eventTopic"]
        .into_iter()
        .chain(generated)
    {
        members.unique(own.into());
    }
    for own in ["version"].into_iter().chain(generated) {
        columns.unique(own.into());
    }
    fields
        .iter()
        .map(|f| JField {
            name: members.unique(names::java_member_name(&f.snake)),
            ty: java_type(&f.ty),
            wire: java_str(&f.label),
            column: columns.unique(names::sql_name(
                names::snake_name(&f.label, "field").trim_end_matches('_'),
            )),
            sql: sql_type(&f.ty).to_string(),
            json: matches!(f.ty, FieldType::List(_) | FieldType::Value(_)),
            key: f.key,
        })
        .collect()
}

fn generated_key() -> JField {
    JField {
        name: "id".into(),
        ty: "java.util.UUID".into(),
        wire: java_str("id"),
        column: "id".into(),
        sql: "UUID".into(),
        json: false,
        key: true,
    }
}

/// The Java fields that stand for the model's fields (without a generated key).
fn fields_without_generated(fields: &[JField], generated: bool) -> Vec<JField> {
    fields[usize::from(generated)..].to_vec()
}

fn member_by_snake(model: &[Field], java: &[JField], snake: &str) -> Option<String> {
    let i = model.iter().position(|f| f.snake == snake)?;
    java.get(i).map(|j| j.name.clone())
}

fn member_by_label(model: &[Field], java: &[JField], label: &str) -> Option<String> {
    let i = model.iter().position(|f| f.label == label)?;
    java.get(i).map(|j| j.name.clone())
}

fn java_type(ty: &FieldType) -> String {
    match ty {
        FieldType::String | FieldType::Enum(_) => "String".into(),
        FieldType::Integer => "Integer".into(),
        FieldType::Long | FieldType::Money => "Long".into(),
        FieldType::Double => "Double".into(),
        FieldType::Boolean => "Boolean".into(),
        FieldType::Date => "java.time.LocalDate".into(),
        FieldType::DateTime => "java.time.Instant".into(),
        FieldType::Uuid => "java.util.UUID".into(),
        FieldType::List(inner) => format!("java.util.List<{}>", java_type(inner)),
        FieldType::Value(_) => "com.fasterxml.jackson.databind.JsonNode".into(),
    }
}

fn sql_type(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::String | FieldType::Enum(_) => "VARCHAR",
        FieldType::Integer => "INTEGER",
        FieldType::Long | FieldType::Money => "BIGINT",
        FieldType::Double => "DOUBLE PRECISION",
        FieldType::Boolean => "BOOLEAN",
        FieldType::Date => "DATE",
        FieldType::DateTime => "TIMESTAMP WITH TIME ZONE",
        FieldType::Uuid => "UUID",
        FieldType::List(_) | FieldType::Value(_) => "VARCHAR",
    }
}

/// A value of a key type for tests.
fn sample_value(ty: &str) -> String {
    match ty {
        "java.util.UUID" => {
            "java.util.UUID.fromString(\"00000000-0000-4000-8000-000000000001\")".into()
        }
        "String" => "\"k-1\"".into(),
        "Long" => "1L".into(),
        "Integer" => "1".into(),
        "Double" => "1.0".into(),
        "Boolean" => "true".into(),
        "java.time.LocalDate" => "java.time.LocalDate.of(2026, 1, 1)".into(),
        "java.time.Instant" => "java.time.Instant.EPOCH".into(),
        _ => "null".into(),
    }
}

/// `ORDER_PLACED` from `OrderPlaced` (an enum constant; any script).
fn constant(record: &str) -> String {
    let mut out = String::new();
    for (i, c) in record.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

fn pascal(dns: &str) -> String {
    dns.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn http(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    }
}

/// The board's path as a Spring pattern: literal segments as written (Spring matches decoded
/// paths), `{param}`s renamed to identifiers; `(board name, variable)` per parameter.
fn spring_route(path: &str) -> (String, Vec<(String, String)>) {
    let mut params = Scope::default();
    // The controller method's other parameters.
    for own in ["body", "idempotencyKey", "command", "locate"] {
        params.unique(own.into());
    }
    let mut pairs = Vec::new();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => {
                    let name =
                        params.unique(names::java_member_name(&names::snake_name(param, "param")));
                    pairs.push((param.trim().to_string(), name.clone()));
                    format!("{{{name}}}")
                }
                None => segment.to_string(),
            },
        )
        .collect();
    (format!("/{}", segments.join("/")), pairs)
}

/// A Java expression giving the `JsonNode` (or `null`) that fills a field from a message
/// (`data`, and `key`: the instance key it was published with).
fn source_expr(from: &Option<Source>) -> String {
    match from {
        Some(Source::Field(label)) => format!("data.get({})", java_str(label)),
        Some(Source::Key) => "Json.text(key)".into(),
        Some(Source::Lookup(_)) | None => "null".into(),
    }
}

/// A Java expression giving the `Locate` of the instance a policy's command acts on.
fn locate_expr(instance: &Option<Option<Source>>) -> String {
    match instance {
        None => "Locate.fresh()".into(),
        Some(None) => "Locate.unknown()".into(),
        Some(Some(Source::Field(label))) => format!("Locate.key(data.get({}))", java_str(label)),
        Some(Some(Source::Key)) => "Locate.key(Json.text(key))".into(),
        Some(Some(Source::Lookup(label))) => format!(
            "Locate.lookup({}, data.get({}))",
            java_str(label),
            java_str(label)
        ),
    }
}

/// A Java string literal: `"` and `\` escaped, control characters as `\n`-style or octal
/// escapes, everything else outside printable ASCII as `\uXXXX` (UTF-16 units), so no label
/// can end it early or break the source.
pub(crate) fn java_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            // Never `\u000a`: Java reads unicode escapes before string literals.
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\{:03o}", c as u32)),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// Example values as a JSON literal; words in UUID fields become stable UUIDs.
fn example_json(values: &squall_model::model::Values, fields: &[Field]) -> String {
    java_str(&rust::example_value(values, fields))
}

fn command_examples(
    model: &ServiceModel,
    s: &Service,
    c: &crate::model::Command,
    events: &HashMap<Id, &JEvent>,
    outcomes: &[JOutcome],
    unresolved: bool,
) -> Vec<JExample> {
    let method = names::java_type_name(&c.name.type_name, "command");
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
                        .then(|| Some((events.get(&h.event)?.record.clone(), example_json(&h.fields, &e.fields))))?
                })
                .collect();
            let mut ctx = JExample {
                method: format!("example{}{method}", i + 1),
                summary: c.examples_text.get(i).map_or_else(Vec::new, |t| comment_lines(t)),
                given,
                trigger: None,
                when: example_json(&example.when, &c.fields),
                events: Vec::new(),
                issues: Vec::new(),
                refused: None,
                disabled: None,
            };
            match &example.then {
                Then::Events(expected) => {
                    ctx.events = expected
                        .iter()
                        .filter_map(|h| {
                            let (wire, fields) = event_anywhere(model, h.event)?;
                            Some((format!("{wire}.v1"), example_json(&h.fields, fields)))
                        })
                        .collect();
                    let first = ctx.events.first().map(|(w, _)| w.clone());
                    let default = outcomes.first().and_then(|o| {
                        events
                            .values()
                            .find(|j| j.record == o.record)
                            .map(|j| j.wire.clone())
                    });
                    if unresolved {
                        ctx.disabled = Some(java_str(&format!(
                            "the board does not say what {} results in (docs/model-rules.md R4/R5)",
                            c.name.label
                        )));
                    } else if first != default {
                        ctx.disabled = Some(java_str(
                            "the board expects another of its outcomes here: write that decision in its decide method",
                        ));
                    }
                }
                Then::Refused(why) => {
                    ctx.refused = Some(java_str(why));
                    ctx.disabled = Some(java_str(&format!(
                        "the board expects a refusal ({why}): write that rule in its decide method"
                    )));
                }
                Then::Issues(_) => {}
            }
            ctx
        })
        .collect()
}

fn policy_examples(
    model: &ServiceModel,
    p: &crate::model::Policy,
    commands: &HashMap<Id, (&JCommand, &crate::model::Command)>,
) -> Vec<JExample> {
    let method = names::java_type_name(&p.name.type_name, "policy");
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
                    serde_json::Value::String(t) => rust::uuid_of(t),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| "k-1".into());
            let Then::Issues(issues) = &example.then else {
                return None;
            };
            let issues = issues
                .iter()
                .filter_map(|issued| {
                    let (j, c) = commands.get(&issued.command)?;
                    Some((j.record.clone(), example_json(&issued.fields, &c.fields)))
                })
                .collect();
            Some(JExample {
                method: format!("example{}{method}", i + 1),
                summary: p
                    .examples_text
                    .get(i)
                    .map_or_else(Vec::new, |t| comment_lines(t)),
                given: Vec::new(),
                trigger: Some((
                    format!("{wire}.v1"),
                    example_json(&trigger.fields, fields),
                    java_str(&key),
                )),
                when: String::new(),
                events: Vec::new(),
                issues,
                refused: None,
                disabled: None,
            })
        })
        .collect()
}

/// Text as `//` comment lines; `\u` would be read as an escape even in a comment.
fn comment_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.replace(['\r', '\u{2028}', '\u{2029}'], " ")
                .replace("\\u", "\\ u")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_string_literals_escape_everything_that_could_break_the_source() {
        assert_eq!(java_str("orderId"), "\"orderId\"");
        assert_eq!(java_str("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(java_str("주문"), "\"\\uc8fc\\ubb38\"");
        assert_eq!(java_str("a\nb\u{1b}"), "\"a\\nb\\033\"");
        assert_eq!(java_str("😀"), "\"\\ud83d\\ude00\"");
    }

    #[test]
    fn enum_constants_and_routes() {
        assert_eq!(constant("OrderPlaced"), "ORDER_PLACED");
        assert_eq!(
            spring_route("/orders/{id}/cancel"),
            (
                "/orders/{id}/cancel".to_string(),
                vec![("id".into(), "id".into())]
            )
        );
    }
}
