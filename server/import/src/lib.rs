//! Imports of what a team already has (docs/import.md): an SQL schema ([`sql`]) or an OpenAPI 3
//! document ([`openapi`]) becomes a board laid out in one "Monolith" frame, ready to be stormed
//! on and assessed; a board document is read as before. A crate of its own so the SQL parser and
//! the YAML reader stay out of the model the browser loads, and its tests run without the server.
//! Every board is built through `Board::apply`, so an import is validated like live edits; a bad
//! file is refused with the place and the reason, and nothing is created.

/// OpenAPI 3 documents (JSON or YAML): operations become commands and read models.
pub mod openapi;
/// SQL schema dumps (PostgreSQL, MySQL): tables become aggregates, foreign keys references.
pub mod sql;

use squall_model::model::{
    Board, BoardDocument, Connection, Element, ElementKind, Field, Id, Limits, Op, Rejection,
    new_id,
};

/// The largest file an import reads (the HTTP body limit is the same).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Why a file was refused: where, and what is wrong, in the user's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// What the file was read as: "SQL schema", "OpenAPI document", "board file".
    pub kind: &'static str,
    /// Line and column, a table, or a path in the document.
    pub place: Option<String>,
    pub reason: String,
}

/// "SQL schema, line 3: Expected …"; a board file's error as the board reader words it.
impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.place, self.kind) {
            (_, "board file") => write!(f, "{}", self.reason),
            (Some(place), kind) => write!(f, "{kind}, {place}: {}", self.reason),
            (None, kind) => write!(f, "{kind}: {}", self.reason),
        }
    }
}

impl std::error::Error for ImportError {}

impl ImportError {
    fn new(kind: &'static str, place: Option<String>, reason: impl Into<String>) -> Self {
        Self {
            kind,
            place,
            reason: reason.into(),
        }
    }
}

/// What a file is, by its name and its first words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Board,
    OpenApi,
    Sql,
}

impl Format {
    /// `.sql` is SQL; a JSON or YAML file naming `openapi` (or `swagger`) is OpenAPI; a JSON file
    /// naming `format` is a board file; else SQL when it has a `CREATE TABLE`, else a board file
    /// (whose reader says what is wrong).
    pub fn detect(text: &str, file_name: &str) -> Self {
        let name = file_name.to_ascii_lowercase();
        if name.ends_with(".sql") {
            return Format::Sql;
        }
        let head: String = text.chars().take(4096).collect();
        let key = |k: &str| {
            head.contains(&format!("\"{k}\""))
                || head
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{k}:")))
        };
        if key("openapi") || key("swagger") {
            Format::OpenApi
        } else if key("format") && head.trim_start().starts_with('{') {
            Format::Board
        } else if text.to_ascii_uppercase().contains("CREATE TABLE") {
            Format::Sql
        } else {
            Format::Board
        }
    }
}

/// Reads any importable file as a new board: a board document, an OpenAPI document or an SQL
/// schema. `file_name` helps tell them apart and names the board when the file does not.
pub fn read(text: &str, file_name: &str) -> Result<Board, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::new(
            "file",
            None,
            format!(
                "{} bytes is more than the {MAX_BYTES} an import reads",
                text.len()
            ),
        ));
    }
    let title = title_from(file_name);
    match Format::detect(text, file_name) {
        // A YAML file that is not OpenAPI: "not JSON" would be true but no help.
        Format::Board if is_yaml(file_name) && !text.trim_start().starts_with('{') => {
            Err(ImportError::new(
                "YAML file",
                None,
                "not an OpenAPI document (it names no `openapi:` version); Squall imports \
                 OpenAPI documents (JSON or YAML), SQL schemas and board files (the Export \
                 panel's \"Board file (JSON)\")",
            ))
        }
        Format::Board => BoardDocument::read(text)
            .map_err(|e| ImportError::new("board file", None, e.to_string())),
        Format::OpenApi => openapi::read(text, &title),
        Format::Sql => sql::read(text, &title),
    }
}

fn is_yaml(file_name: &str) -> bool {
    let name = file_name.to_ascii_lowercase();
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// A board title from a file name: `shop-schema.sql` → "shop-schema".
fn title_from(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.split('.').next().unwrap_or("").trim();
    let stem: String = stem.chars().filter(|c| !c.is_control()).take(100).collect();
    if stem.is_empty() {
        "Imported monolith".into()
    } else {
        stem
    }
}

/// A board under construction: elements and arrows through `Board::apply`, each refusal turned
/// into an import error naming `place`.
pub(crate) struct Builder {
    pub board: Board,
    kind: &'static str,
}

impl Builder {
    pub fn new(kind: &'static str, title: &str) -> Result<Self, ImportError> {
        let board = Board::new(title)
            .map_err(|e| ImportError::new(kind, None, format!("title: {}", rejection(&e))))?;
        Ok(Self { board, kind })
    }

    pub fn add(
        &mut self,
        place: &str,
        mut e: Element,
        fields: Vec<Field>,
    ) -> Result<Id, ImportError> {
        if !fields.is_empty() {
            if fields.len() > Limits::MAX_FIELDS {
                return Err(self.error(
                    place,
                    format!(
                        "{} fields; a sticky holds at most {}",
                        fields.len(),
                        Limits::MAX_FIELDS
                    ),
                ));
            }
            e.props.fields = fields;
        }
        let id = e.id;
        self.apply(place, Op::CreateElement { element: e })?;
        Ok(id)
    }

    pub fn arrow(&mut self, place: &str, from: Id, to: Id) -> Result<(), ImportError> {
        if self
            .board
            .connections()
            .any(|c| c.from == from && c.to == to)
        {
            return Ok(());
        }
        self.apply(
            place,
            Op::Connect {
                connection: Connection {
                    id: new_id(),
                    from,
                    to,
                },
            },
        )
    }

    pub fn apply(&mut self, place: &str, op: Op) -> Result<(), ImportError> {
        self.board
            .apply(op)
            .map_err(|e| ImportError::new(self.kind, Some(place.to_string()), rejection(&e)))
    }

    pub fn error(&self, place: &str, reason: impl Into<String>) -> ImportError {
        ImportError::new(self.kind, Some(place.to_string()), reason)
    }

    /// The "Monolith" frame around everything placed so far.
    pub fn frame_all(&mut self, label: &str) -> Result<(), ImportError> {
        const MARGIN: f64 = 60.0;
        let (mut x0, mut y0, mut x1, mut y1) = (0.0_f64, 0.0_f64, 600.0_f64, 400.0_f64);
        for e in self.board.elements() {
            x0 = x0.min(e.x);
            y0 = y0.min(e.y);
            x1 = x1.max(e.x + e.width);
            y1 = y1.max(e.y + e.height);
        }
        let mut frame = Element::new(
            ElementKind::BoundedContext,
            label,
            x0 - MARGIN,
            y0 - 2.0 * MARGIN,
        );
        frame.width = (x1 - x0 + 2.0 * MARGIN).min(Limits::MAX_SIZE);
        frame.height = (y1 - y0 + 3.0 * MARGIN).min(Limits::MAX_SIZE);
        self.apply("frame", Op::CreateElement { element: frame })
    }
}

fn rejection(e: &Rejection) -> String {
    e.to_string()
}

/// `order_items` → "Order Item", `OrderItems` → "Order Item": words of a table or path segment,
/// capitalized, the last one singular.
pub fn label_of(name: &str) -> String {
    let mut words = words(name);
    if let Some(last) = words.last_mut() {
        *last = singular(last);
    }
    words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `customer_id` → `customerId`, `CustomerID` → `customerId`: a field name as the sample board
/// writes them.
pub fn field_name(name: &str) -> String {
    let words = words(name);
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let w = w.to_lowercase();
        if i == 0 {
            out.push_str(&w);
        } else {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        }
    }
    let out = if out.is_empty() {
        name.to_string()
    } else {
        out
    };
    // A field name holds at most 200 characters (the board's limit).
    out.chars().take(Limits::MAX_FIELD_NAME_CHARS).collect()
}

/// The words of an identifier: split at `_`, `-`, spaces and lower-to-upper case changes.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev: Option<char> = None;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || c.is_whitespace() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if c.is_uppercase()
                && prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                && !current.is_empty()
            {
                out.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        prev = Some(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .map(|w| {
            if w.chars().all(|c| c.is_uppercase()) && w.len() > 1 {
                w.to_lowercase()
            } else {
                w
            }
        })
        .collect()
}

/// English plural to singular, for table and resource names (`categories` → `category`,
/// `statuses` → `status`, `analyses` → `analysis`, `people` → `person`; `news` stays).
fn singular(word: &str) -> String {
    const IRREGULAR: &[(&str, &str)] = &[
        ("people", "person"),
        ("children", "child"),
        ("men", "man"),
        ("women", "woman"),
        ("data", "data"),
        ("news", "news"),
        ("series", "series"),
        ("species", "species"),
        ("status", "status"),
        ("address", "address"),
    ];
    let lower = word.to_lowercase();
    let cut = |n: usize, add: &str| format!("{}{add}", &word[..word.len() - n]);
    if let Some((_, one)) = IRREGULAR.iter().find(|(many, _)| lower == *many) {
        // Keep the word's own capitals on its first letter.
        let mut out: String = one.to_string();
        if word.starts_with(char::is_uppercase) {
            out = out[..1].to_uppercase() + &out[1..];
        }
        return out;
    }
    if lower.ends_with("ies") && word.len() > 3 {
        cut(3, "y")
    } else if lower.ends_with("yses") {
        cut(2, "is")
    } else if [
        "sses", "xes", "ches", "shes", "zzes", "atuses", "buses", "puses", "ruses",
    ]
    .iter()
    .any(|end| lower.ends_with(end))
    {
        cut(2, "")
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && word.len() > 2
    {
        cut(1, "")
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_tables_and_columns() {
        assert_eq!(label_of("order_items"), "Order Item");
        assert_eq!(label_of("OrderItems"), "Order Item");
        assert_eq!(label_of("categories"), "Category");
        assert_eq!(label_of("addresses"), "Address");
        assert_eq!(label_of("status"), "Status");
        assert_eq!(label_of("statuses"), "Status");
        assert_eq!(label_of("analyses"), "Analysis");
        assert_eq!(label_of("news"), "News");
        assert_eq!(label_of("people"), "Person");
        assert_eq!(label_of("purchases"), "Purchase");
        assert_eq!(label_of("film_actor"), "Film Actor");
        assert_eq!(field_name("customer_id"), "customerId");
        assert_eq!(field_name("CustomerID"), "customerId");
        assert_eq!(field_name("last_update"), "lastUpdate");
    }

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(
            Format::detect("CREATE TABLE a (id int);", "x.txt"),
            Format::Sql
        );
        assert_eq!(
            Format::detect("openapi: 3.0.3\n", "api.yaml"),
            Format::OpenApi
        );
        assert_eq!(
            Format::detect("{\"openapi\": \"3.1.0\"}", "api.json"),
            Format::OpenApi
        );
        assert_eq!(
            Format::detect("{\"format\": \"squall-board\"}", "b.json"),
            Format::Board
        );
        assert_eq!(Format::detect("hello", "b.json"), Format::Board);
    }

    #[test]
    fn a_yaml_file_that_is_not_openapi_is_refused_for_what_it_is() {
        let refused = read("title: Order flow\nelements: []\n", "order-flow.yaml").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "YAML file: not an OpenAPI document (it names no `openapi:` version); Squall imports \
             OpenAPI documents (JSON or YAML), SQL schemas and board files (the Export panel's \
             \"Board file (JSON)\")"
        );
    }
}
