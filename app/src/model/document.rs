//! The board file format (docs/board-format.md): a whole board as one JSON document, versioned,
//! for export, import and code generation fixtures. Reading one goes through `Board::apply`, so an
//! imported board is validated exactly like live edits.

use serde::{Deserialize, Serialize};

use super::Board;

/// The `format` every board document carries.
pub const FORMAT: &str = "squall-board";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

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
    #[error("not a Squall board document (format {0:?}, expected \"squall-board\")")]
    Format(String),
    #[error("board document version {0} is not supported (this Squall reads version 1)")]
    Version(u32),
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
        if self.version != VERSION {
            return Err(DocumentError::Version(self.version));
        }
        Ok(self.board)
    }
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
        assert!(json.starts_with(r#"{"format":"squall-board","version":1,"board":{"#));
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
        assert_eq!(doc("squall-board", 2), Err(DocumentError::Version(2)));
        assert!(doc("squall-board", 1).is_ok());
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
}
