//! The board editor's state in the browser: the local copy of the board, one signal per element
//! (so moving a sticky re-renders only that sticky), selection, viewport, undo/redo and the
//! queue of operations on their way to the server.
//!
//! Every edit goes through [`Editor::commit`]: it applies the batch to the local `Board` (the same
//! `Board::apply` the server runs), records its inverse for undo, updates the touched signals and
//! queues the batch for the server, which applies it again and stores it.

/// Undo and redo stacks of applied batches.
mod history;
/// Viewport (pan and zoom) and rectangle geometry, pure.
pub mod viewport;

use std::collections::{HashMap, HashSet, VecDeque};

use leptos::prelude::*;

use crate::model::{Board, Connection, Element, ElementKind, Id, Op};
use history::History;
pub use viewport::{Rect, Viewport};

/// What the save indicator shows.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    Saved,
    Saving,
    /// The server could not be reached; the queue is kept and retried.
    Offline,
    /// The server refused a batch; the board was reloaded from the server.
    Error(String),
}

#[derive(Clone, Copy)]
pub struct Editor {
    board_id: StoredValue<String>,
    model: StoredValue<Board>,
    signals: StoredValue<HashMap<Id, RwSignal<Element>>>,
    /// Element ids in drawing order: frames first, then everything else in creation order.
    pub order: RwSignal<Vec<Id>>,
    pub connections: RwSignal<Vec<Connection>>,
    /// Selected elements and connections.
    pub selection: RwSignal<HashSet<Id>>,
    /// The element whose text is being edited.
    pub editing: RwSignal<Option<Id>>,
    pub viewport: RwSignal<Viewport>,
    /// Size of the canvas on screen, in CSS pixels.
    pub screen: RwSignal<(f64, f64)>,
    /// The kind a double-click on empty canvas creates.
    pub tool: RwSignal<ElementKind>,
    pub title: RwSignal<String>,
    /// Bumped on every change of the board, for views of the whole board (minimap, culling).
    pub version: RwSignal<u64>,
    pub save: RwSignal<SaveState>,
    history: StoredValue<History>,
    outbox: StoredValue<VecDeque<Vec<Op>>>,
    in_flight: RwSignal<bool>,
}

impl Editor {
    pub fn new(board_id: String, board: Board) -> Self {
        let editor = Self {
            board_id: StoredValue::new(board_id),
            model: StoredValue::new(Board::new("untitled").expect("valid title")),
            signals: StoredValue::new(HashMap::new()),
            order: RwSignal::new(Vec::new()),
            connections: RwSignal::new(Vec::new()),
            selection: RwSignal::new(HashSet::new()),
            editing: RwSignal::new(None),
            viewport: RwSignal::new(Viewport::default()),
            screen: RwSignal::new((1440.0, 840.0)),
            tool: RwSignal::new(ElementKind::DomainEvent),
            title: RwSignal::new(String::new()),
            version: RwSignal::new(0),
            save: RwSignal::new(SaveState::Saved),
            history: StoredValue::new(History::default()),
            outbox: StoredValue::new(VecDeque::new()),
            in_flight: RwSignal::new(false),
        };
        editor.reset(board);
        editor.zoom_to_fit();
        editor
    }

    /// Replaces the whole local state with `board` (first load, or after a refused batch).
    pub fn reset(&self, board: Board) {
        let mut signals = HashMap::new();
        for e in board.elements() {
            signals.insert(e.id, RwSignal::new(e.clone()));
        }
        self.order.set(draw_order(&board));
        self.connections.set(board.connections().cloned().collect());
        self.title.set(board.title().to_string());
        self.signals.set_value(signals);
        self.model.set_value(board);
        self.selection.set(HashSet::new());
        self.version.update(|v| *v += 1);
    }

    pub fn board_id(&self) -> String {
        self.board_id.get_value()
    }

    /// The element's signal; `None` once it is deleted.
    pub fn element(&self, id: Id) -> Option<RwSignal<Element>> {
        self.signals.with_value(|s| s.get(&id).copied())
    }

    /// Reads the local board without subscribing to anything.
    pub fn with_board<T>(&self, f: impl FnOnce(&Board) -> T) -> T {
        self.model.with_value(f)
    }

    /// Applies a user's batch: locally at once, then on the server. Returns false (and changes
    /// nothing) when the model refuses it.
    pub fn commit(&self, ops: Vec<Op>) -> bool {
        if ops.is_empty() {
            return true;
        }
        match self.apply_local(&ops) {
            Ok(undo) => {
                self.history.update_value(|h| h.record(undo));
                self.send(ops);
                true
            }
            Err(message) => {
                self.save.set(SaveState::Error(message));
                false
            }
        }
    }

    pub fn undo(&self) {
        self.step(|h| h.take_undo(), |h, a| h.push_redo(a));
    }

    pub fn redo(&self) {
        self.step(|h| h.take_redo(), |h, a| h.push_undo(a));
    }

    fn step(
        &self,
        take: impl FnOnce(&mut History) -> Option<history::Action>,
        put: impl FnOnce(&mut History, history::Action),
    ) {
        let Some(action) = self.history.try_update_value(take).flatten() else {
            return;
        };
        // An action that no longer applies (its element was deleted meanwhile) is dropped.
        if let Ok(inverse) = self.apply_local(&action.ops) {
            self.send(action.ops.clone());
            self.history
                .update_value(|h| put(h, history::Action { ops: inverse }));
        }
    }

    /// Applies `ops` to the local board and updates the signals they touch.
    fn apply_local(&self, ops: &[Op]) -> Result<Vec<Op>, String> {
        let result = self
            .model
            .try_update_value(|b| b.apply_all_with_inverse(ops.iter().cloned()))
            .expect("the editor's board lives as long as the editor");
        let undo = result.map_err(|(_, rejection)| rejection.to_string())?;
        self.sync(ops);
        Ok(undo)
    }

    /// Brings the signals of everything `ops` touched in line with the local board.
    fn sync(&self, ops: &[Op]) {
        let mut touched = Vec::new();
        let mut arrows_changed = false;
        for op in ops {
            match op {
                Op::CreateElement { element } => touched.push(element.id),
                Op::UpdateElement { id, .. }
                | Op::MoveElement { id, .. }
                | Op::ResizeElement { id, .. } => touched.push(*id),
                Op::DeleteElement { id } => {
                    touched.push(*id);
                    arrows_changed = true;
                }
                Op::Connect { .. } | Op::Disconnect { .. } => arrows_changed = true,
                Op::RenameBoard { title } => self.title.set(title.clone()),
            }
        }
        let mut order_changed = false;
        for id in touched {
            let current = self.model.with_value(|b| b.element(id).cloned());
            match (current, self.element(id)) {
                (Some(e), Some(signal)) => {
                    if signal.with_untracked(|old| old != &e) {
                        signal.set(e);
                    }
                }
                (Some(e), None) => {
                    self.signals.update_value(|s| {
                        s.insert(id, RwSignal::new(e));
                    });
                    order_changed = true;
                }
                (None, Some(signal)) => {
                    self.signals.update_value(|s| {
                        s.remove(&id);
                    });
                    signal.dispose();
                    self.selection.update(|sel| {
                        sel.remove(&id);
                    });
                    if self.editing.get_untracked() == Some(id) {
                        self.editing.set(None);
                    }
                    order_changed = true;
                }
                (None, None) => {}
            }
        }
        if order_changed {
            self.order.set(self.model.with_value(draw_order));
        }
        if arrows_changed {
            let connections: Vec<Connection> = self
                .model
                .with_value(|b| b.connections().cloned().collect());
            let ids: HashSet<Id> = connections.iter().map(|c| c.id).collect();
            self.selection.update(|sel| {
                sel.retain(|id| ids.contains(id) || self.signals.with_value(|s| s.contains_key(id)))
            });
            self.connections.set(connections);
        }
        self.version.update(|v| *v += 1);
    }

    /// Puts the signals of `ids` back to what the local board says (after a refused drag).
    pub fn refresh(&self, ids: impl IntoIterator<Item = Id>) {
        for id in ids {
            if let (Some(e), Some(signal)) = (
                self.model.with_value(|b| b.element(id).cloned()),
                self.element(id),
            ) {
                signal.set(e);
            }
        }
    }

    /// Queues a batch for the server and sends the queue in order, one batch at a time.
    fn send(&self, ops: Vec<Op>) {
        self.outbox.update_value(|q| q.push_back(ops));
        self.pump();
    }

    fn pump(&self) {
        if self.in_flight.get_untracked() {
            return;
        }
        let Some(batch) = self.outbox.with_value(|q| q.front().cloned()) else {
            self.save.set(SaveState::Saved);
            return;
        };
        self.in_flight.set(true);
        self.save.set(SaveState::Saving);
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = crate::api::apply_ops(this.board_id(), batch).await;
            this.in_flight.set(false);
            match result {
                Ok(_) => {
                    this.outbox.update_value(|q| {
                        q.pop_front();
                    });
                    this.pump();
                }
                Err(ServerFnError::ServerError(message)) => {
                    // The server refused what this browser accepted: its copy is the truth.
                    this.outbox.update_value(VecDeque::clear);
                    // Undo entries were computed against a board that never existed on the server.
                    this.history.set_value(History::default());
                    this.save.set(SaveState::Error(message));
                    if let Ok(Some(board)) = crate::api::load_board(this.board_id()).await {
                        this.reset(board.0);
                    }
                }
                Err(_) => {
                    // Unreachable server: keep the queue and try again shortly.
                    this.save.set(SaveState::Offline);
                    set_timeout(move || this.pump(), std::time::Duration::from_secs(2));
                }
            }
        });
    }

    pub fn select_only(&self, ids: impl IntoIterator<Item = Id>) {
        self.selection.set(ids.into_iter().collect());
    }

    pub fn select_all(&self) {
        self.selection
            .set(self.order.get_untracked().into_iter().collect());
    }

    /// The ids of the selected elements (not connections), in drawing order.
    pub fn selected_elements(&self) -> Vec<Id> {
        let sel = self.selection.get_untracked();
        self.order
            .get_untracked()
            .into_iter()
            .filter(|id| sel.contains(id))
            .collect()
    }

    /// Deletes the selected elements and arrows as one undoable step.
    pub fn delete_selection(&self) {
        let sel = self.selection.get_untracked();
        let elements = self.selected_elements();
        let arrows = self.connections.with_untracked(|cs| {
            cs.iter()
                .filter(|c| {
                    sel.contains(&c.id) && !elements.contains(&c.from) && !elements.contains(&c.to)
                })
                .map(|c| Op::Disconnect { id: c.id })
                .collect::<Vec<_>>()
        });
        let mut ops = arrows;
        ops.extend(elements.into_iter().map(|id| Op::DeleteElement { id }));
        self.commit(ops);
    }

    /// Creates an element of `kind` centred at the board point `at` and opens its text editor.
    pub fn create_at(&self, kind: ElementKind, at: (f64, f64)) -> Id {
        let (w, h) = kind.default_size();
        let element = Element::new(kind, "", at.0 - w / 2.0, at.1 - h / 2.0);
        let id = element.id;
        if self.commit(vec![Op::CreateElement { element }]) {
            self.select_only([id]);
            self.editing.set(Some(id));
        }
        id
    }

    /// The board point at the middle of the screen.
    pub fn screen_centre(&self) -> (f64, f64) {
        let (w, h) = self.screen.get_untracked();
        self.viewport.get_untracked().to_world((w / 2.0, h / 2.0))
    }

    pub fn zoom_to_fit(&self) {
        let rects: Vec<Rect> = self
            .model
            .with_value(|b| b.elements().map(rect_of).collect());
        if let Some(content) = Rect::union(rects) {
            let (w, h) = self.screen.get_untracked();
            // Keep the content clear of the palette on the left when there is room.
            let inset = if w > 900.0 { PALETTE_WIDTH } else { 0.0 };
            self.viewport
                .set(Viewport::fit(content, w - inset, h).pan(inset, 0.0));
        }
    }

    pub fn zoom_by(&self, factor: f64) {
        let (w, h) = self.screen.get_untracked();
        self.viewport
            .update(|v| *v = v.zoom_step((w / 2.0, h / 2.0), factor));
    }

    /// Copies the selection (with the arrows between selected stickies) as JSON.
    pub fn copy_selection(&self) -> Option<String> {
        let ids: HashSet<Id> = self.selected_elements().into_iter().collect();
        if ids.is_empty() {
            return None;
        }
        let clip = self.model.with_value(|b| Clipboard {
            elements: b
                .elements()
                .filter(|e| ids.contains(&e.id))
                .cloned()
                .collect(),
            connections: b
                .connections()
                .filter(|c| ids.contains(&c.from) && ids.contains(&c.to))
                .cloned()
                .collect(),
        });
        serde_json::to_string(&clip).ok()
    }

    /// Pastes copied stickies with new ids, shifted by `offset`, and selects them.
    pub fn paste(&self, json: &str, offset: (f64, f64)) -> bool {
        let Ok(clip) = serde_json::from_str::<Clipboard>(json) else {
            return false;
        };
        let mut new_ids = HashMap::new();
        let mut ops = Vec::new();
        for mut e in clip.elements {
            let id = crate::model::new_id();
            new_ids.insert(e.id, id);
            e.id = id;
            e.x += offset.0;
            e.y += offset.1;
            ops.push(Op::CreateElement { element: e });
        }
        for c in clip.connections {
            if let (Some(&from), Some(&to)) = (new_ids.get(&c.from), new_ids.get(&c.to)) {
                ops.push(Op::Connect {
                    connection: Connection {
                        id: crate::model::new_id(),
                        from,
                        to,
                    },
                });
            }
        }
        let ok = self.commit(ops);
        if ok {
            self.select_only(new_ids.into_values());
        }
        ok
    }

    /// The elements a move of `ids` drags along: the ids themselves and, for a bounded-context
    /// frame, every element lying wholly inside it.
    pub fn dragged_with(&self, ids: &[Id]) -> Vec<Id> {
        self.model.with_value(|b| {
            let mut out: Vec<Id> = ids.to_vec();
            let mut seen: HashSet<Id> = ids.iter().copied().collect();
            for id in ids {
                let Some(frame) = b
                    .element(*id)
                    .filter(|e| e.kind == ElementKind::BoundedContext)
                else {
                    continue;
                };
                let area = rect_of(frame);
                for e in b.elements() {
                    if e.kind != ElementKind::BoundedContext
                        && area.contains(&rect_of(e))
                        && seen.insert(e.id)
                    {
                        out.push(e.id);
                    }
                }
            }
            out
        })
    }

    /// Ids of the elements whose rectangle meets `area`, without subscribing.
    pub fn elements_in(&self, area: Rect, wholly: bool) -> Vec<Id> {
        self.model.with_value(|b| {
            b.elements()
                .filter(|e| {
                    let r = rect_of(e);
                    if wholly {
                        area.contains(&r)
                    } else {
                        area.intersects(&r)
                    }
                })
                .map(|e| e.id)
                .collect()
        })
    }
}

/// What Ctrl+C puts on the clipboard (kept in localStorage, so it pastes into other boards too).
#[derive(serde::Serialize, serde::Deserialize)]
struct Clipboard {
    elements: Vec<Element>,
    connections: Vec<Connection>,
}

/// Screen width the palette covers on the left of the canvas.
const PALETTE_WIDTH: f64 = 200.0;

pub fn rect_of(e: &Element) -> Rect {
    Rect {
        x: e.x,
        y: e.y,
        width: e.width,
        height: e.height,
    }
}

fn draw_order(board: &Board) -> Vec<Id> {
    let frames = board
        .elements()
        .filter(|e| e.kind == ElementKind::BoundedContext);
    let others = board
        .elements()
        .filter(|e| e.kind != ElementKind::BoundedContext);
    frames.chain(others).map(|e| e.id).collect()
}
