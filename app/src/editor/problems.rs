use leptos::prelude::*;

use super::Editor;
use crate::model::{Board, Id, new_id};
use crate::semantic::Semantic;
use crate::semantic::fixes::{self, FixKind};
use crate::semantic::rules::{self, Problem};

/// The result of the last check: every problem, sorted by element then rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    pub problems: Vec<Problem>,
}

impl Checked {
    /// The problems of element `id` (a slice of the sorted list).
    pub fn of(&self, id: Id) -> &[Problem] {
        let start = self.problems.partition_point(|p| p.element < id);
        let end = start + self.problems[start..].partition_point(|p| p.element == id);
        &self.problems[start..end]
    }
}

/// The model check, from a wasm file of its own (`Editor::check_continuously`).
#[lazy]
fn check(board: &Board) -> Vec<Problem> {
    rules::check(board)
}

impl Editor {
    /// Re-checks the board after every change (`version`), local or remote; the badges and the
    /// Problems panel follow. The page starts with the server's check of the board as loaded
    /// (badges included in the server's HTML); the browser checks from the first change on.
    /// Signals are set only when the list changes, so a change that fixes nothing re-renders
    /// nothing.
    ///
    /// The check's code (the rules, their phrasing, the field mapping) is a wasm file of its own
    /// (`crate::split`), fetched once the board changes and has an element: the server checked
    /// the board as loaded (`problems` holds its answer, for `loaded`, the version then) and an
    /// empty board has nothing to check, so a first visit does not load it.
    pub(super) fn check_continuously(&self, loaded: u64) {
        let editor = *self;
        let arrived = RwSignal::new(false);
        let asked = StoredValue::new(false);
        Effect::new(move |_| {
            let version = editor.version.get();
            if !arrived.get() {
                if version == loaded {
                    return;
                }
                if !asked.get_value() && editor.with_board(|b| b.elements().next().is_some()) {
                    asked.set_value(true);
                    editor.checking.set(true);
                    crate::split::fetch(crate::preload!(__preload_check), arrived);
                }
                return;
            }
            let started = super::live::now_ms();
            let Some(problems) = editor.with_board(|board| crate::split::now(check(board))) else {
                return;
            };
            editor.check_ms.set(super::live::now_ms() - started);
            if editor.checking.get_untracked() {
                editor.checking.set(false);
            }
            if editor.problems.with_untracked(|c| c.problems != problems) {
                editor.problems.set(Checked { problems });
            }
        });
    }

    /// How long the last check took, in milliseconds (shown in the Problems panel; the canvas
    /// benchmark reads it).
    pub fn check_ms(&self) -> f64 {
        self.check_ms.get()
    }

    /// The quick fix of each of `problems`, if its fix is clear (the model is read once).
    pub fn fixes(&self, problems: &[Problem]) -> Vec<Option<FixKind>> {
        self.with_board(|board| {
            let model = Semantic::of(board);
            problems
                .iter()
                .map(|p| fixes::fix(&model, p, new_id).map(|f| f.kind))
                .collect()
        })
    }

    /// Applies `problem`'s quick fix as one batch (undoable, live for everyone).
    pub fn apply_fix(&self, problem: &Problem) -> bool {
        let fix = self.with_board(|board| fixes::fix(&Semantic::of(board), problem, new_id));
        fix.is_some_and(|fix| self.commit(fix.ops))
    }
}
