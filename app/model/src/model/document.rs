//! The board file format (docs/board-format.md): a whole board as one JSON document, versioned,
//! for export, import and code generation fixtures. Reading one goes through `Board::apply`, so an
//! imported board is validated exactly like live edits.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Board;
use super::board::{BoardDoc, DocPlace};

/// The `format` every board document carries.
pub const FORMAT: &str = "squall-board";
/// The version this build writes. Version 2 added examples (`props.examples`, docs/board-format.md);
/// version 1 files (without them) still import.
pub const VERSION: u32 = 2;
/// The versions this build reads.
pub const READS: [u32; 2] = [1, 2];

/// A board as a file: `{"format": "squall-board", "version": 1, "board": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardDocument {
    pub format: String,
    pub version: u32,
    pub board: Board,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocumentError {
    #[error(
        "this file is not JSON (line {line}, column {column}): a board file is the Export panel's \"Board file (JSON)\""
    )]
    NotJson { line: usize, column: usize },
    #[error("this file is empty: a board file is the Export panel's \"Board file (JSON)\"")]
    Empty,
    #[error("this file is not a Squall board: it has no \"format\": \"squall-board\"")]
    NotABoard,
    #[error("not a Squall board document (format {0:?}, expected \"squall-board\")")]
    Format(String),
    #[error("board document version {0} is not supported (this Squall reads versions 1 and 2)")]
    Version(u32),
    /// Something in the file is missing, has the wrong type or breaks a rule of the board; `place`
    /// names it in the user's terms (`element 4 ("Order Placed"), field "id"`).
    #[error("{place}: {problem}")]
    Invalid { place: String, problem: String },
}

impl BoardDocument {
    pub fn new(board: Board) -> Self {
        Self {
            format: FORMAT.to_string(),
            version: VERSION,
            board,
        }
    }

    /// The board, once format and version are checked (the board itself was validated while
    /// it was read).
    pub fn into_board(self) -> Result<Board, DocumentError> {
        if self.format != FORMAT {
            return Err(DocumentError::Format(self.format));
        }
        if !READS.contains(&self.version) {
            return Err(DocumentError::Version(self.version));
        }
        Ok(self.board)
    }

    /// Reads a board file as a user gives it: every refusal says where (which element or arrow,
    /// which field) and what is wrong, in words for people rather than a parser's.
    pub fn read(text: &str) -> Result<Board, DocumentError> {
        if text.trim().is_empty() {
            return Err(DocumentError::Empty);
        }
        let value: Value = serde_json::from_str(text).map_err(|e| DocumentError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
        Self::read_value(value)
    }

    /// [`read`](Self::read) for a document already parsed as JSON.
    pub fn read_value(value: Value) -> Result<Board, DocumentError> {
        match value.get("format") {
            Some(Value::String(format)) if format == FORMAT => {}
            Some(Value::String(format)) => return Err(DocumentError::Format(format.clone())),
            _ => return Err(DocumentError::NotABoard),
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if READS.iter().any(|r| u64::from(*r) == v) => {}
            Some(v) => return Err(DocumentError::Version(u32::try_from(v).unwrap_or(u32::MAX))),
            None => {
                return Err(DocumentError::Invalid {
                    place: "the document".into(),
                    problem: "\"version\" is missing or not a whole number".into(),
                });
            }
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)] // format and version were checked above; they are here to be allowed
        struct Parts {
            format: String,
            version: u32,
            board: BoardDoc,
        }
        let parts: Parts = serde_path_to_error::deserialize(&value).map_err(|e| {
            let place = describe_path(&value, e.path());
            DocumentError::Invalid {
                place,
                problem: plain_problem(&e.inner().to_string()),
            }
        })?;
        parts.board.build().map_err(|(place, rejection)| {
            let board = &value["board"];
            let place = match place {
                DocPlace::Title => "the board's title".to_string(),
                DocPlace::Element(i) => describe_element(board, i),
                DocPlace::Connection(i) => describe_arrow(board, i),
            };
            DocumentError::Invalid {
                place,
                problem: rejection.to_string(),
            }
        })
    }
}

/// `board.elements[3].props.fields[1].type` as `element 4 ("Order"), field "props.fields[1].type"`.
fn describe_path(value: &Value, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<_> = path.iter().collect();
    let rest = |from: usize| {
        let mut out = String::new();
        for segment in &segments[from..] {
            match segment {
                Segment::Seq { index } => out.push_str(&format!("[{index}]")),
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Unknown => {}
            }
        }
        out
    };
    let field = |from: usize| match rest(from) {
        r if r.is_empty() => String::new(),
        r => format!(", field {r:?}"),
    };
    let board = &value["board"];
    match segments.as_slice() {
        [
            Segment::Map { key: b },
            Segment::Map { key: list },
            Segment::Seq { index },
            ..,
        ] if b == "board" && list == "elements" => {
            format!("{}{}", describe_element(board, *index), field(3))
        }
        [
            Segment::Map { key: b },
            Segment::Map { key: list },
            Segment::Seq { index },
            ..,
        ] if b == "board" && list == "connections" => {
            format!("{}{}", describe_arrow(board, *index), field(3))
        }
        [Segment::Map { key: b }, ..] if b == "board" => match rest(1) {
            r if r.is_empty() => "the board".into(),
            r => format!("the board's {r:?}"),
        },
        _ => "the document".into(),
    }
}

/// `element 4 ("Order placed")`: counted from 1, with its label when it has one.
fn describe_element(board: &Value, index: usize) -> String {
    match board["elements"][index]["label"].as_str() {
        Some(label) if !label.trim().is_empty() => {
            format!("element {} ({:?})", index + 1, short(label))
        }
        _ => format!("element {}", index + 1),
    }
}

/// `arrow 2 (from "Place order" to "Order")`, naming the ends it can find.
fn describe_arrow(board: &Value, index: usize) -> String {
    let arrow = &board["connections"][index];
    let label_of = |end: &str| {
        let id = arrow[end].as_str()?;
        board["elements"]
            .as_array()?
            .iter()
            .find(|e| e["id"].as_str() == Some(id))
            .and_then(|e| e["label"].as_str())
            .map(short)
    };
    match (label_of("from"), label_of("to")) {
        (Some(from), Some(to)) => format!("arrow {} (from {from:?} to {to:?})", index + 1),
        _ => format!("arrow {}", index + 1),
    }
}

/// A label cut to a length a message can carry.
fn short(label: &str) -> String {
    const MAX: usize = 40;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        label.chars().take(MAX).chain(['…']).collect()
    }
}

/// serde's words made plain: ids are "ids", numbers are "numbers".
fn plain_problem(message: &str) -> String {
    if message.contains("UUID") || message.starts_with("invalid character") {
        return "not a valid id (expected a UUID such as 0190c3a0-7b5e-7c3d-9a41-2f6e8d1b0c55)"
            .into();
    }
    message
        .replace('`', "\"")
        .replace("unknown variant", "unknown value")
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number")
        .replace("invalid type: ", "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Connection, Element, ElementKind, Op, new_id};

    #[test]
    fn a_board_survives_export_and_import() {
        let mut board = Board::new("Order flow").unwrap();
        let a = Element::new(ElementKind::Command, "Place order", 0.0, 0.0);
        let b = Element::new(ElementKind::Aggregate, "Order", 200.0, 0.0);
        let connection = Connection {
            id: new_id(),
            from: a.id,
            to: b.id,
        };
        board
            .apply_all([
                Op::CreateElement { element: a },
                Op::CreateElement { element: b },
                Op::Connect { connection },
            ])
            .unwrap();
        let json = serde_json::to_string(&BoardDocument::new(board.clone())).unwrap();
        assert!(json.starts_with(r#"{"format":"squall-board","version":2,"board":{"#));
        let back: BoardDocument = serde_json::from_str(&json).unwrap();
        assert_eq!(back.into_board().unwrap(), board);
    }

    #[test]
    fn foreign_or_future_documents_are_refused() {
        let doc = |format: &str, version: u32| {
            serde_json::from_value::<BoardDocument>(serde_json::json!({
                "format": format, "version": version, "board": { "title": "x" }
            }))
            .unwrap()
            .into_board()
        };
        assert_eq!(doc("miro", 1), Err(DocumentError::Format("miro".into())));
        assert_eq!(doc("squall-board", 3), Err(DocumentError::Version(3)));
        // Version 1 (before examples) still imports; 2 is what this build writes.
        assert!(doc("squall-board", 1).is_ok());
        assert!(doc("squall-board", 2).is_ok());
    }

    #[test]
    fn an_invalid_board_inside_is_refused_while_reading() {
        let ghost = new_id();
        let bad = serde_json::json!({ "format": "squall-board", "version": 1, "board": {
            "title": "x", "elements": [],
            "connections": [{ "id": new_id(), "from": ghost, "to": ghost }] } });
        let err = serde_json::from_value::<BoardDocument>(bad).unwrap_err();
        assert!(err.to_string().contains("no element"), "{err}");
    }

    fn sample() -> serde_json::Value {
        let (a, b) = (new_id(), new_id());
        serde_json::json!({ "format": "squall-board", "version": 1, "board": {
            "title": "Shop",
            "elements": [
                { "id": a, "kind": "command", "label": "Place order",
                  "x": 0, "y": 0, "width": 160, "height": 100 },
                { "id": b, "kind": "aggregate", "label": "Order",
                  "x": 200, "y": 0, "width": 160, "height": 100 }
            ],
            "connections": [{ "id": new_id(), "from": a, "to": b }] } })
    }

    fn refusal(doc: serde_json::Value) -> String {
        BoardDocument::read(&doc.to_string())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_refused_file_names_the_element_and_the_field_in_plain_words() {
        assert!(BoardDocument::read(&sample().to_string()).is_ok());

        let mut doc = sample();
        doc["board"]["elements"][1]["id"] = serde_json::json!("order-1");
        assert_eq!(
            refusal(doc),
            "element 2 (\"Order\"), field \"id\": not a valid id (expected a UUID such as \
             0190c3a0-7b5e-7c3d-9a41-2f6e8d1b0c55)"
        );
        let mut doc = sample();
        doc["board"]["elements"][0]["x"] = serde_json::json!("left");
        assert_eq!(
            refusal(doc),
            "element 1 (\"Place order\"), field \"x\": string \"left\", expected a number"
        );
        let mut doc = sample();
        doc["board"]["elements"][0]["kind"] = serde_json::json!("sticker");
        assert!(refusal(doc).starts_with(
            "element 1 (\"Place order\"), field \"kind\": unknown value \"sticker\", \
                 expected one of \"domain_event\", \"command\""
        ),);
        let mut doc = sample();
        doc["board"]["elements"][0]["props"] =
            serde_json::json!({ "fields": [{ "name": "qty", "type": 3 }] });
        assert!(
            refusal(doc)
                .starts_with("element 1 (\"Place order\"), field \"props.fields[0].type\": "),
        );
        let mut doc = sample();
        doc["board"]["elements"][1]
            .as_object_mut()
            .unwrap()
            .remove("width");
        assert_eq!(
            refusal(doc),
            "element 2 (\"Order\"): missing field \"width\""
        );
    }

    #[test]
    fn a_board_rule_broken_in_a_file_names_the_element_or_arrow() {
        let mut doc = sample();
        doc["board"]["elements"][0]["label"] = serde_json::json!("x".repeat(2_001));
        assert_eq!(
            refusal(doc),
            format!(
                "element 1 (\"{}…\"): a label is at most 2000 characters",
                "x".repeat(40)
            )
        );
        let mut doc = sample();
        let ghost = new_id();
        doc["board"]["connections"][0]["to"] = serde_json::json!(ghost);
        assert_eq!(
            refusal(doc),
            format!("arrow 1: no element with id {ghost} on this board")
        );
        let mut doc = sample();
        let a = doc["board"]["elements"][0]["id"].clone();
        doc["board"]["connections"][0]["to"] = a;
        assert_eq!(
            refusal(doc),
            "arrow 1 (from \"Place order\" to \"Place order\"): an element cannot be connected to itself"
        );
    }

    #[test]
    fn files_that_are_not_boards_say_so() {
        assert_eq!(
            BoardDocument::read("{oops").unwrap_err(),
            DocumentError::NotJson { line: 1, column: 2 }
        );
        assert_eq!(
            BoardDocument::read("[1, 2]").unwrap_err(),
            DocumentError::NotABoard
        );
        let mut doc = sample();
        doc["format"] = serde_json::json!("miro");
        assert_eq!(
            refusal(doc),
            "not a Squall board document (format \"miro\", expected \"squall-board\")"
        );
        let mut doc = sample();
        doc["version"] = serde_json::json!(7);
        assert_eq!(
            refusal(doc),
            "board document version 7 is not supported (this Squall reads versions 1 and 2)"
        );
        let mut doc = sample();
        doc["extra"] = serde_json::json!(true);
        assert!(refusal(doc).starts_with("the document: unknown field \"extra\""));
        assert_eq!(
            BoardDocument::read(" \n").unwrap_err(),
            DocumentError::Empty
        );
    }
}
