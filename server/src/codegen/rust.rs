//! The `rust-axum` target: a Cargo workspace with one axum service crate per bounded context.
//! Templates are minijinja files embedded in the binary (server/templates/rust-axum); a directory
//! of files with the same relative names overrides any of them. Output is deterministic: the
//! same board gives the same files, byte for byte.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use app::model::{FieldType, HttpMethod, Id};
use serde::Serialize;

use super::model::{Call, Field, Name, Service, ServiceModel};
use super::names;

/// The embedded templates: (name, source).
const TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.j2",
        include_str!("../../templates/rust-axum/Cargo.toml.j2"),
    ),
    (
        "README.md.j2",
        include_str!("../../templates/rust-axum/README.md.j2"),
    ),
    (
        "service/Cargo.toml.j2",
        include_str!("../../templates/rust-axum/service/Cargo.toml.j2"),
    ),
    (
        "service/src/main.rs.j2",
        include_str!("../../templates/rust-axum/service/src/main.rs.j2"),
    ),
    (
        "service/src/domain.rs.j2",
        include_str!("../../templates/rust-axum/service/src/domain.rs.j2"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("template {name}: {error}")]
    Template { name: String, error: String },
    #[error("reading template overrides: {0}")]
    Overrides(#[from] std::io::Error),
}

/// Renders the workspace for `model`; file paths are relative, `/`-separated.
pub fn generate(
    title: &str,
    model: &ServiceModel,
    overrides: Option<&Path>,
) -> Result<BTreeMap<String, String>, GenerateError> {
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    let mut sources: BTreeMap<String, String> = TEMPLATES
        .iter()
        .map(|(name, source)| (name.to_string(), source.to_string()))
        .collect();
    if let Some(dir) = overrides {
        for name in sources.clone().keys() {
            let path = dir.join(name);
            if path.exists() {
                sources.insert(name.clone(), std::fs::read_to_string(path)?);
            }
        }
    }
    for (name, source) in &sources {
        env.add_template_owned(name.clone(), source.clone())
            .map_err(|e| template_error(name, e))?;
    }
    let render = |name: &str, ctx: minijinja::Value| {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| template_error(name, e))
    };

    let labels: HashMap<Id, &Name> = model
        .services
        .iter()
        .flat_map(|s| {
            s.events
                .iter()
                .map(|e| &e.name)
                .chain(s.commands.iter().map(|c| &c.name))
                .chain(std::iter::once(&s.name))
        })
        .map(|n| (n.id, n))
        .collect();
    let services: Vec<ServiceCtx> = model
        .services
        .iter()
        .map(|s| service_ctx(s, &labels))
        .collect();
    let problems: Vec<String> = model
        .problems
        .iter()
        .map(|p| markdown(&p.message))
        .collect();
    let mut files = BTreeMap::new();
    let top = minijinja::context! {
        board_title_md => markdown(title),
        services => &services,
        problems => &problems,
    };
    files.insert("Cargo.toml".into(), render("Cargo.toml.j2", top.clone())?);
    files.insert("README.md".into(), render("README.md.j2", top)?);
    for s in &services {
        let ctx = minijinja::context! { s => s };
        for (template, file) in [
            ("service/Cargo.toml.j2", "Cargo.toml"),
            ("service/src/main.rs.j2", "src/main.rs"),
            ("service/src/domain.rs.j2", "src/domain.rs"),
        ] {
            files.insert(
                format!("services/{}/{file}", s.dns),
                render(template, ctx.clone())?,
            );
        }
    }
    Ok(files)
}

fn template_error(name: &str, e: minijinja::Error) -> GenerateError {
    GenerateError::Template {
        name: name.to_string(),
        error: format!("{e:#}"),
    }
}

#[derive(Serialize)]
struct ServiceCtx {
    label_md: String,
    label_rs: String,
    dns: String,
    package: String,
    description_toml: String,
    methods: Vec<&'static str>,
    aggregates: Vec<AggregateCtx>,
    commands: Vec<CommandCtx>,
    events: Vec<EventCtx>,
    policies: Vec<PolicyCtx>,
    read_models: Vec<ReadModelCtx>,
}

#[derive(Serialize, Clone)]
struct FieldCtx {
    snake: String,
    rust: String,
    label_rs: String,
    /// In an event built by a command: the command has a field of this name and type.
    from_command: bool,
}

#[derive(Serialize)]
struct AggregateCtx {
    type_name: String,
    label_rs: String,
    fields: Vec<FieldCtx>,
    has_key: bool,
}

#[derive(Serialize)]
struct CommandCtx {
    type_name: String,
    label_rs: String,
    handler: String,
    method: &'static str,
    route: String,
    fields: Vec<FieldCtx>,
    aggregate_type: Option<String>,
    emits: Vec<EmitCtx>,
}

#[derive(Serialize)]
struct EmitCtx {
    type_name: String,
    fields: Vec<FieldCtx>,
}

#[derive(Serialize, Clone)]
struct EventCtx {
    type_name: String,
    label_rs: String,
    topic: String,
    fields: Vec<FieldCtx>,
}

#[derive(Serialize)]
struct PolicyCtx {
    snake: String,
    label_rs: String,
    local_triggers: Vec<String>,
    local_issues: Vec<String>,
    remote: Vec<String>,
}

#[derive(Serialize)]
struct ReadModelCtx {
    type_name: String,
    snake: String,
    label_rs: String,
    route: String,
    fields: Vec<FieldCtx>,
    local_sources: Vec<EventCtx>,
}

fn service_ctx(s: &Service, names_by_id: &HashMap<Id, &Name>) -> ServiceCtx {
    let events: Vec<EventCtx> = s
        .events
        .iter()
        .map(|e| EventCtx {
            type_name: e.name.type_name.clone(),
            label_rs: rust_str(&e.name.label),
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
    let aggregate_type: HashMap<Id, String> = s
        .aggregates
        .iter()
        .map(|a| (a.name.id, a.name.type_name.clone()))
        .collect();
    let mut routes = BTreeSet::new();
    let mut methods = BTreeSet::new();
    let commands = s
        .commands
        .iter()
        .map(|c| {
            let method = match c.method {
                HttpMethod::Get => "get",
                HttpMethod::Post => "post",
                HttpMethod::Put => "put",
                HttpMethod::Patch => "patch",
                HttpMethod::Delete => "delete",
            };
            if method != "get" {
                methods.insert(method);
            }
            let route = unique_route(&mut routes, method, route(&c.path));
            let own = fields(&c.fields);
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
            CommandCtx {
                type_name: c.name.type_name.clone(),
                label_rs: rust_str(&c.name.label),
                handler: format!("handle_{}", c.name.snake.trim_end_matches('_')),
                method,
                route,
                fields: own,
                aggregate_type: c.aggregate.and_then(|a| aggregate_type.get(&a).cloned()),
                emits,
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
                .filter_map(|t| event_by_id.get(&t.event).map(|e| e.type_name.clone()))
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
            remote: p
                .triggers
                .iter()
                .filter(|t| t.service != s.name.id)
                .filter_map(|t| names_by_id.get(&t.event).map(|n| rust_str(&n.label)))
                .collect(),
        })
        .collect();
    let read_models = s
        .read_models
        .iter()
        .map(|r| ReadModelCtx {
            type_name: r.name.type_name.clone(),
            snake: r.name.snake.trim_end_matches('_').to_string(),
            label_rs: rust_str(&r.name.label),
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
    ServiceCtx {
        label_md: markdown(&s.name.label),
        label_rs: rust_str(&s.name.label),
        dns: s.name.dns.clone(),
        package: format!("{}-service", s.name.dns),
        description_toml: toml_str(&format!(
            "The {} bounded context, generated by Squall",
            s.name.label
        )),
        methods: methods.into_iter().collect(),
        aggregates: s
            .aggregates
            .iter()
            .map(|a| AggregateCtx {
                type_name: a.name.type_name.clone(),
                label_rs: rust_str(&a.name.label),
                fields: fields(&a.fields),
                has_key: a.key.is_some(),
            })
            .collect(),
        commands,
        events,
        policies,
        read_models,
    }
}

fn fields(fields: &[Field]) -> Vec<FieldCtx> {
    fields
        .iter()
        .map(|f| FieldCtx {
            snake: f.snake.clone(),
            rust: rust_type(&f.ty),
            label_rs: rust_str(&f.label),
            from_command: false,
        })
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
