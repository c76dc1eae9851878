//! OpenAPI 3 documents (docs/import.md I4–I6), JSON or YAML: every operation that changes
//! something (POST, PUT, PATCH, DELETE) becomes a command with its method, path and request
//! fields, handled by the aggregate its path names (`/orders/{id}/cancel` → Order); every GET
//! becomes a read-model candidate with the fields of its response (queries are read models in
//! event storming, not commands). Schemas are followed through local `$ref`s.

use std::collections::BTreeMap;

use serde_yaml_ng::Value;
use squall_model::model::{Board, Element, ElementKind, Field, FieldType, HttpMethod, Op, Patch};

use crate::{Builder, ImportError, field_name, label_of};

const KIND: &str = "OpenAPI document";
/// How deep `$ref`s and nested schemas are followed.
const MAX_DEPTH: usize = 8;

/// Reads an OpenAPI 3 document as a board; `title` when the document has none.
pub fn read(text: &str, title: &str) -> Result<Board, ImportError> {
    // YAML is a superset of JSON, and its mappings keep the document's order.
    let doc: Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!("line {}, column {}", l.line(), l.column()));
        ImportError::new(KIND, place, e.to_string())
    })?;
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.") {
        let reason = match doc.get("swagger") {
            Some(_) => {
                "Swagger 2.0: convert it to OpenAPI 3 first (for example with swagger2openapi)"
                    .to_string()
            }
            None if version.is_empty() => {
                "no `openapi: 3.x` field: not an OpenAPI 3 document".to_string()
            }
            None => format!("`openapi: {version}` is not OpenAPI 3"),
        };
        return Err(ImportError::new(KIND, Some("openapi".into()), reason));
    }
    let title = at(&doc, &["info", "title"])
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(title);
    let title: String = title
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else {
        return Err(ImportError::new(
            KIND,
            Some("paths".into()),
            "no paths: nothing to import",
        ));
    };
    let mut b = Builder::new(KIND, &title)?;
    // Per resource, in the document's order: its aggregate, its commands, its read models.
    let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let schema_names: Vec<String> = at(&doc, &["components", "schemas"])
        .and_then(Value::as_mapping)
        .map(|m| m.keys().filter_map(Value::as_str).map(label_of).collect())
        .unwrap_or_default();
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else {
            continue;
        };
        let path = &path.to_string();
        let resource = resource_of(path, &schema_names);
        // Parameters shared by the path's operations.
        let shared = item.get("parameters");
        for (method, op) in item {
            let Some(method) = method.as_str().and_then(method_of) else {
                continue;
            };
            let place = format!("paths.{path}.{}", method.as_str().to_lowercase());
            let r = resources.entry(resource.clone()).or_insert_with(|| {
                order.push(resource.clone());
                Resource::default()
            });
            let label = operation_label(op, method, path);
            if method == HttpMethod::Get {
                let schema = at(
                    op,
                    &["responses", "200", "content", "application/json", "schema"],
                )
                .or_else(|| {
                    at(
                        op,
                        &[
                            "responses",
                            "default",
                            "content",
                            "application/json",
                            "schema",
                        ],
                    )
                });
                let (name, fields) = match schema {
                    Some(s) => (
                        ref_name(s).map(|n| label_of(&n)),
                        fields_of(&doc, s, &place)?,
                    ),
                    None => (None, Vec::new()),
                };
                let name = name.map_or(label, |n| format!("{n} view"));
                if !r.read_models.iter().any(|(n, _, _)| *n == name) {
                    r.read_models.push((name, fields, place));
                }
            } else {
                let body = at(
                    op,
                    &["requestBody", "content", "application/json", "schema"],
                );
                // Path and query parameters first (`petId`), then the body's fields.
                let mut fields = parameters(&doc, [shared, op.get("parameters")], &place)?;
                if let Some(s) = body {
                    for f in fields_of(&doc, s, &place)? {
                        if !fields.iter().any(|x| x.name == f.name) {
                            fields.push(f);
                        }
                    }
                }
                r.commands
                    .push((label, method, path.clone(), fields, place));
            }
        }
    }
    if resources.is_empty() {
        return Err(ImportError::new(
            KIND,
            Some("paths".into()),
            "no operations: nothing to import",
        ));
    }
    const ROW: f64 = 200.0;
    let mut y = 0.0;
    for name in &order {
        let r = &resources[name];
        let label = label_of(name);
        let schema = at(&doc, &["components", "schemas"])
            .and_then(Value::as_mapping)
            .and_then(|all| {
                all.iter()
                    .find(|(k, _)| k.as_str().is_some_and(|k| label_of(k) == label))
                    .map(|(_, v)| v)
            });
        let fields = match schema {
            Some(s) => with_key(fields_of(&doc, s, &format!("components.schemas.{label}"))?),
            None => Vec::new(),
        };
        let aggregate = b.add(
            &format!("resource {name}"),
            Element::new(ElementKind::Aggregate, label, 300.0, y),
            fields,
        )?;
        let rows = r.commands.len().max(r.read_models.len()).max(1);
        for (i, (label, method, path, fields, place)) in r.commands.iter().enumerate() {
            let e = Element::new(ElementKind::Command, label.clone(), 0.0, y + i as f64 * ROW);
            let id = b.add(place, e, fields.clone())?;
            b.apply(
                place,
                Op::update(
                    id,
                    Patch {
                        http_method: Some(Some(*method)),
                        http_path: Some(Some(path.clone())),
                        ..Default::default()
                    },
                ),
            )?;
            b.arrow(place, id, aggregate)?;
        }
        for (i, (label, fields, place)) in r.read_models.iter().enumerate() {
            let e = Element::new(
                ElementKind::ReadModel,
                label.clone(),
                600.0,
                y + i as f64 * ROW,
            );
            b.add(place, e, with_key(fields.clone()))?;
        }
        y += rows as f64 * ROW + 100.0;
    }
    b.frame_all("Monolith")?;
    Ok(b.board)
}

#[derive(Default)]
struct Resource {
    /// Label, method, path, request fields, place.
    commands: Vec<(String, HttpMethod, String, Vec<Field>, String)>,
    /// Label, fields, place.
    read_models: Vec<(String, Vec<Field>, String)>,
}

fn method_of(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "get" => HttpMethod::Get,
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "patch" => HttpMethod::Patch,
        "delete" => HttpMethod::Delete,
        _ => return None,
    })
}

/// The resource a path names: its last segment that names a component schema (`/store/order` →
/// `order`, `/pet/findByStatus` → `pet`), else its first segment that is neither a parameter nor
/// a version or `api` prefix (`/api/v3/orders/{id}/cancel` → `orders`); `/` is "root".
fn resource_of(path: &str, schemas: &[String]) -> String {
    let literal: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .filter(|s| {
            let l = s.to_lowercase();
            l != "api"
                && !(l.len() > 1
                    && l.starts_with('v')
                    && l[1..].chars().all(|c| c.is_ascii_digit()))
        })
        .collect();
    literal
        .iter()
        .rev()
        .find(|s| schemas.contains(&label_of(s)))
        .or(literal.first())
        .unwrap_or(&"root")
        .to_string()
}

/// Path and query parameters as fields (their schema's type), shared ones first.
fn parameters(
    doc: &Value,
    lists: [Option<&Value>; 2],
    place: &str,
) -> Result<Vec<Field>, ImportError> {
    let mut out: Vec<Field> = Vec::new();
    for p in lists
        .into_iter()
        .flatten()
        .filter_map(Value::as_sequence)
        .flatten()
    {
        let p = resolve(doc, p, place)?;
        let within = p.get("in").and_then(Value::as_str).unwrap_or("");
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        if !matches!(within, "path" | "query") {
            continue;
        }
        let name = field_name(name);
        if name.is_empty()
            || name.chars().any(char::is_control)
            || out.iter().any(|f| f.name == name)
        {
            continue;
        }
        let ty = match p.get("schema") {
            Some(s) => type_of(doc, s, place, 0)?,
            None => FieldType::String,
        };
        out.push(Field {
            key: false,
            name,
            ty,
        });
    }
    Ok(out)
}

/// An operation's sticky label: its `operationId` in words (`placeOrder` → "Place Order"), else
/// its summary, else the method and path.
fn operation_label(op: &Value, method: HttpMethod, path: &str) -> String {
    let label = op
        .get("operationId")
        .and_then(Value::as_str)
        .map(words)
        .filter(|l| !l.is_empty())
        .or_else(|| {
            op.get("summary")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string())
        })
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| format!("{} {path}", method.as_str()));
    label
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

/// The value at `steps` (mapping keys) inside `v`.
fn at<'v>(v: &'v Value, steps: &[&str]) -> Option<&'v Value> {
    steps.iter().try_fold(v, |v, step| v.get(*step))
}

/// Marks the field named `id` as the key (an aggregate's or a read model's).
fn with_key(mut fields: Vec<Field>) -> Vec<Field> {
    for f in &mut fields {
        f.key = f.name == "id";
    }
    fields
}

/// `placeOrder` → "Place Order", `delete_user` → "Delete User".
fn words(id: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in id.chars() {
        if c == '_' || c == '-' || c == ' ' {
            out.push(' ');
        } else {
            if c.is_uppercase() && prev.is_some_and(|p| p.is_lowercase()) {
                out.push(' ');
            }
            if out.is_empty() || out.ends_with(' ') {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
        }
        prev = Some(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name a `$ref` points at (`#/components/schemas/Order` → `Order`), or the items' of an
/// array.
fn ref_name(schema: &Value) -> Option<String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().map(str::to_string);
    }
    schema.get("items").and_then(ref_name)
}

/// Follows a local `$ref` (`#/…`); an external one is refused.
fn resolve<'d>(doc: &'d Value, schema: &'d Value, place: &str) -> Result<&'d Value, ImportError> {
    let mut s = schema;
    for _ in 0..=MAX_DEPTH {
        let Some(r) = s.get("$ref").and_then(Value::as_str) else {
            return Ok(s);
        };
        let Some(pointer) = r.strip_prefix('#') else {
            return Err(ImportError::new(
                KIND,
                Some(place.into()),
                format!("{r}: only references inside the document (#/…) are read"),
            ));
        };
        let steps: Vec<&str> = pointer.split('/').filter(|p| !p.is_empty()).collect();
        s = at(doc, &steps).ok_or_else(|| {
            ImportError::new(KIND, Some(place.into()), format!("{r} points at nothing"))
        })?;
    }
    Err(ImportError::new(
        KIND,
        Some(place.into()),
        "references go round in a circle",
    ))
}

/// The fields of a schema: an object's properties (an array's items' properties), with types.
fn fields_of<'a>(
    doc: &'a Value,
    schema: &'a Value,
    place: &str,
) -> Result<Vec<Field>, ImportError> {
    let mut s = resolve(doc, schema, place)?;
    if s.get("type").and_then(Value::as_str) == Some("array")
        && let Some(items) = s.get("items")
    {
        s = resolve(doc, items, place)?;
    }
    let mut out: Vec<Field> = Vec::new();
    let mut properties: Vec<(&str, &Value)> = Vec::new();
    let named =
        |m: &'a serde_yaml_ng::Mapping| m.iter().filter_map(|(k, v)| Some((k.as_str()?, v)));
    if let Some(p) = s.get("properties").and_then(Value::as_mapping) {
        properties.extend(named(p));
    }
    for part in s
        .get("allOf")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let part = resolve(doc, part, place)?;
        if let Some(p) = part.get("properties").and_then(Value::as_mapping) {
            properties.extend(named(p));
        }
    }
    for (name, prop) in properties {
        let name = field_name(name);
        if name.is_empty()
            || name.chars().any(char::is_control)
            || out.iter().any(|f| f.name == name)
        {
            continue;
        }
        let ty = type_of(doc, prop, place, 0)?;
        out.push(Field {
            key: false,
            name,
            ty,
        });
    }
    Ok(out)
}

/// A property's type (docs/import.md I5).
fn type_of(doc: &Value, prop: &Value, place: &str, depth: usize) -> Result<FieldType, ImportError> {
    if depth > MAX_DEPTH {
        return Ok(FieldType::String);
    }
    if let Some(name) = prop
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
    {
        let resolved = resolve(doc, prop, place)?;
        if resolved.get("enum").is_some()
            || resolved.get("type").and_then(Value::as_str) != Some("object")
                && resolved.get("properties").is_none()
        {
            return type_of(doc, resolved, place, depth + 1);
        }
        let words: String = label_of(name).split(' ').collect();
        return Ok(words.parse().unwrap_or(FieldType::String));
    }
    let format = prop.get("format").and_then(Value::as_str).unwrap_or("");
    Ok(
        match prop.get("type").and_then(Value::as_str).unwrap_or("") {
            "string" if prop.get("enum").is_some() => {
                let values: Vec<String> = prop["enum"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|v| {
                        v.to_uppercase()
                            .chars()
                            .map(|c| if c.is_alphanumeric() { c } else { '_' })
                            .collect()
                    })
                    .collect();
                format!("enum({})", values.join(", "))
                    .parse()
                    .unwrap_or(FieldType::String)
            }
            "string" => match format {
                "uuid" => FieldType::Uuid,
                "date" => FieldType::Date,
                "date-time" => FieldType::DateTime,
                _ => FieldType::String,
            },
            "integer" if format == "int64" => FieldType::Long,
            "integer" => FieldType::Integer,
            "number" => FieldType::Double,
            "boolean" => FieldType::Boolean,
            "array" => {
                let items = prop.get("items").cloned().unwrap_or(Value::Null);
                FieldType::List(Box::new(type_of(doc, &items, place, depth + 1)?))
            }
            _ => FieldType::String,
        },
    )
}

#[cfg(test)]
mod tests;
