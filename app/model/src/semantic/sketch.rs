//! A board under construction for the semantic tests (rules, assessment): stickies by name,
//! arrows between names, everything through `Board::apply`.

use std::collections::HashMap;

use crate::model::{Board, Connection, Element, ElementKind, Id, Op, new_id};

/// A board under construction: elements by name, arrows between names.
#[derive(Clone)]
pub(crate) struct Sketch {
    pub board: Board,
    pub ids: HashMap<&'static str, Id>,
}

impl Sketch {
    pub fn new() -> Self {
        Self {
            board: Board::new("Rules").unwrap(),
            ids: HashMap::new(),
        }
    }

    /// A frame named `name` at (x, y), 1000 × 800.
    pub fn frame(self, name: &'static str, x: f64) -> Self {
        let mut e = Element::new(ElementKind::BoundedContext, name, x, 0.0);
        (e.width, e.height) = (1000.0, 800.0);
        self.put(name, e)
    }

    /// A sticky of `kind` labelled `name` at (x, y).
    pub fn sticky(self, kind: ElementKind, name: &'static str, x: f64, y: f64) -> Self {
        let e = Element::new(kind, name, x, y);
        self.put(name, e)
    }

    pub fn put(mut self, name: &'static str, e: Element) -> Self {
        self.ids.insert(name, e.id);
        self.board.apply(Op::CreateElement { element: e }).unwrap();
        self
    }

    pub fn arrow(mut self, from: &str, to: &str) -> Self {
        let connection = Connection {
            id: new_id(),
            from: self.ids[from],
            to: self.ids[to],
        };
        self.board.apply(Op::Connect { connection }).unwrap();
        self
    }

    /// Arrows between the named stickies.
    pub fn arrows(self, pairs: &[(&str, &str)]) -> Self {
        pairs.iter().fold(self, |s, (from, to)| s.arrow(from, to))
    }
}
