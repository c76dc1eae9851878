//! What every service target renders the same way, and the machinery to render templates.
//! The deployment and contract templates (server/codegen/templates/shared): Kubernetes
//! Deployment/Service/HPA, Gateway API routes, nginx, compose, Prometheus, OpenAPI and AsyncAPI.
//! They read only the target-neutral part of a service's context: DNS names, environment
//! prefixes, routes, topics, wire names and JSON Schemas (never a language's types or names).

use std::collections::BTreeMap;
use std::path::Path;

use crate::GenerateError;

/// A template: its name (also the name an override file must have, relative to the override
/// directory), its embedded source and where its output goes. `{service}` in the output is the
/// service's DNS name: such templates are rendered once per service (context `s`, and
/// `services`), the others once per export (the target's top context).
pub type File = (&'static str, &'static str, &'static str);

macro_rules! files {
    ($dir:literal: $(($name:literal, $out:literal)),* $(,)?) => {
        &[$((concat!($dir, "/", $name), include_str!(concat!("../templates/", $dir, "/", $name)), $out)),*]
    };
}
pub(crate) use files;

/// The templates every service target shares.
pub const FILES: &[File] = files![
    "shared":
    ("docker-compose.yml.j2", "docker-compose.yml"),
    ("deploy/gateway.yaml.j2", "deploy/k8s/gateway.yaml"),
    ("deploy/nginx.conf.j2", "deploy/nginx.conf"),
    ("deploy/prometheus.yml.j2", "deploy/prometheus.yml"),
    ("service/k8s.yaml.j2", "deploy/k8s/{service}.yaml"),
    ("service/openapi.yaml.j2", "services/{service}/openapi.yaml"),
    ("service/asyncapi.yaml.j2", "services/{service}/asyncapi.yaml"),
];

/// Renders `files` (a target's and [`FILES`]): `services` are the per-service contexts with
/// their DNS names, `top` the context of once-per-export templates. A file in `overrides` with a
/// template's name replaces it.
pub fn render(
    files: &[&[File]],
    overrides: Option<&Path>,
    top: minijinja::Value,
    services: &[(String, minijinja::Value)],
) -> Result<BTreeMap<String, String>, GenerateError> {
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    crate::design::add_filters(&mut env);
    for (name, source, _) in files.iter().flat_map(|f| f.iter()) {
        let source = match overrides.map(|dir| dir.join(name)) {
            Some(path) if path.exists() => std::fs::read_to_string(path)?,
            _ => source.to_string(),
        };
        env.add_template_owned(name.to_string(), source)
            .map_err(|e| template_error(name, e))?;
    }
    let all = minijinja::Value::from(services.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
    let render = |name: &str, ctx: minijinja::Value| {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| template_error(name, e))
    };
    let mut out = BTreeMap::new();
    for (name, _, output) in files.iter().flat_map(|f| f.iter()) {
        if output.contains("{service}") {
            for (dns, s) in services {
                let ctx = minijinja::context! { s => s.clone(), services => all.clone() };
                out.insert(output.replace("{service}", dns), render(name, ctx)?);
            }
        } else {
            out.insert(output.to_string(), render(name, top.clone())?);
        }
    }
    Ok(out)
}

fn template_error(name: &str, e: minijinja::Error) -> GenerateError {
    GenerateError::Template {
        name: name.to_string(),
        error: format!("{e:#}"),
    }
}
