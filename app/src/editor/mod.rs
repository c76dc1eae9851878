//! The board editor's state in the browser: the local copy of the board, one signal per element
//! (so moving a sticky re-renders only that sticky), selection, viewport, undo/redo and the
//! queue of operations on their way to the server.
//!
//! Every edit goes through [`Editor::commit`]: it applies the batch to the local replica (the same
//! `Board::apply` the server runs), records its inverse for undo, updates the touched signals and
//! sends the batch over the live connection (live.rs), which also brings in everybody else's
//! batches and presence.

/// Undo and redo stacks of applied batches.
mod history;
/// The WebSocket to the board's room: hello, batches, presence, reconnects.
mod live;
/// The live model check: every edit, local or remote, re-checks the board (docs/model-rules.md).
mod problems;
/// Viewport (pan and zoom) and rectangle geometry, pure.
pub mod viewport;

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::model::{Board, Connection, Element, ElementKind, Id, Op};
use crate::sync::{ClientMsg, Replica};
use history::History;
pub use live::{Identity, PeerView};
pub use problems::Checked;
pub use viewport::{Edges, Rect, Viewport, grid_tiles, snapped_delta};

/// What the save indicator shows.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    Saved,
    Saving,
    /// Not connected: edits are kept (this many batches) and sent on reconnect.
    Offline(usize),
    /// The server refused a batch; it was taken back.
    Error(String),
    /// The board is gone for this page (link replaced, board deleted); no more reconnects. The
    /// server's error code (`access_revoked`, `board_deleted`): the page says it in its language.
    Closed(String),
}

/// A short message for the user, shown for a few seconds (words in the UI's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// An undo skipped: what it would undo was changed by someone else since (docs/sync.md S5).
    NotUndone,
    /// An undo of only what is still this person's.
    PartlyUndone,
}

#[derive(Clone, Copy)]
pub struct Editor {
    board_id: StoredValue<String>,
    /// The key of the link this page was opened with; the server checks it on the socket.
    board_key: StoredValue<String>,
    replica: StoredValue<Replica>,
    signals: StoredValue<HashMap<Id, RwSignal<Element>>>,
    /// The reactive owner the editor was made in (the board page's): an element's signal is
    /// created there, whichever component's handler commits the batch, so closing a panel (the
    /// assessment view's Apply creates frames) cannot dispose a sticky's signal.
    owner: StoredValue<Option<Owner>>,
    /// Element ids in drawing order: frames first, then everything else in creation order.
    pub order: RwSignal<Vec<Id>>,
    pub connections: RwSignal<Vec<Connection>>,
    /// Selected elements and connections.
    pub selection: RwSignal<HashSet<Id>>,
    /// The element whose text is being edited.
    pub editing: RwSignal<Option<Id>>,
    /// The sticky this page just created and opened for typing (see [`Editor::is_fresh`]).
    fresh: StoredValue<Option<Id>>,
    /// When the arrow keys last moved the selection, and what they moved.
    last_nudge: StoredValue<Option<(f64, Vec<Id>)>>,
    pub viewport: RwSignal<Viewport>,
    /// Size of the canvas on screen, in CSS pixels.
    pub screen: RwSignal<(f64, f64)>,
    /// The kind a double-click on empty canvas creates.
    pub tool: RwSignal<ElementKind>,
    /// Whether a drag lands stickies on the grid (Alt while dragging does the opposite).
    pub snap: RwSignal<bool>,
    pub title: RwSignal<String>,
    /// Bumped on every change of the board, for views of the whole board (minimap, culling).
    pub version: RwSignal<u64>,
    pub save: RwSignal<SaveState>,
    /// Text is being typed in a field (label editor, properties) and not committed yet: the save
    /// indicator must not say "All changes saved" meanwhile.
    pub drafting: RwSignal<bool>,
    /// The Ctrl+F search bar is open.
    pub searching: RwSignal<bool>,
    /// A short message for the user (an undo that was skipped); the page clears it after a while.
    pub notice: RwSignal<Option<Notice>>,
    history: StoredValue<History>,
    /// The other people on the board, by peer id.
    pub peers: RwSignal<Vec<PeerView>>,
    /// What the other people's presence marks on stickies (selected by, typed in by), derived
    /// from `peers`. It changes only when a selection or an editor does: the many presence
    /// messages that only move a pointer leave the stickies alone.
    pub peer_marks: Memo<HashMap<Id, PeerMark>>,
    /// How the canvas draws the board at the current view (see [`Detail`]).
    pub detail: Memo<Detail>,
    /// The element under the mouse pointer while the board is painted: it gets a DOM node, so
    /// it can be clicked, dragged, connected and edited as at any other zoom.
    pub hovered: RwSignal<Option<Id>>,
    /// Elements dragged along with the selection (a frame's contents): they are DOM nodes
    /// while the drag lasts, so a painted board shows them moving.
    pub carried: RwSignal<Vec<Id>>,
    /// The model's problems, re-checked after every change of the board (in the browser).
    pub problems: RwSignal<Checked>,
    /// The Problems panel is open.
    pub problems_open: RwSignal<bool>,
    /// The board has elements but the check's code has not arrived yet: `problems` says nothing.
    pub checking: RwSignal<bool>,
    /// How long the last check took (ms).
    check_ms: RwSignal<f64>,
    live: live::Live,
}

/// How the canvas draws the board at the current view. Thousands of DOM nodes on screen are
/// what makes a pan slow (the browser rasterises every newly exposed sticky), so a view with
/// many stickies on it is painted on one `<canvas>` instead (docs/canvas.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Zoomed far out: coloured blocks on the canvas layer; the DOM holds only the selection.
    Blocks,
    /// Many stickies on screen: painted with their labels on the canvas layer; the DOM holds
    /// the selection, the element under the pointer and those other people mark or carry.
    Painted,
    /// Every element near the screen is a DOM node.
    Dom,
}

impl Detail {
    /// A view with at least this many elements on screen is painted ...
    pub const PAINT_FROM: usize = 150;
    /// ... and goes back to DOM nodes only below this many, so a pan along the boundary does
    /// not switch back and forth.
    pub const DOM_BELOW: usize = 100;

    /// The detail for a view at `zoom` with `on_screen` elements on it, given the last one.
    pub fn choose(zoom: f64, on_screen: usize, last: Option<Detail>) -> Detail {
        if zoom < Viewport::DETAIL_ZOOM {
            Detail::Blocks
        } else if on_screen >= Self::PAINT_FROM
            || (last == Some(Detail::Painted) && on_screen >= Self::DOM_BELOW)
        {
            Detail::Painted
        } else {
            Detail::Dom
        }
    }
}

impl Editor {
    /// An editor for `board` as the store had it at `seq`. Call [`Editor::go_live`] in the
    /// browser to connect.
    /// `problems`: the server's check of `board` (`OpenBoard::problems`), shown until the board
    /// changes.
    pub fn new(
        board_id: String,
        key: String,
        board: Board,
        seq: i64,
        problems: Vec<crate::semantic::rules::Problem>,
    ) -> Self {
        let peers = RwSignal::new(Vec::new());
        let replica = StoredValue::new(Replica::new(board, seq));
        let viewport = RwSignal::new(Viewport::default());
        let screen = RwSignal::new((1440.0, 840.0));
        let version = RwSignal::new(0);
        let detail = Memo::new(move |last: Option<&Detail>| {
            version.track();
            let v = viewport.get();
            if !v.detailed() {
                return Detail::Blocks;
            }
            let (w, h) = screen.get();
            let area = v.visible(w, h);
            // Counting stops where the answer is known: a dense view costs a few hundred
            // rectangle tests, not one per element of the board.
            let on_screen = replica.with_value(|r| {
                r.board()
                    .elements()
                    .filter(|e| area.intersects(&rect_of(e)))
                    .take(Detail::PAINT_FROM)
                    .count()
            });
            Detail::choose(v.zoom, on_screen, last.copied())
        });
        let editor = Self {
            board_id: StoredValue::new(board_id),
            board_key: StoredValue::new(key),
            replica,
            signals: StoredValue::new(HashMap::new()),
            owner: StoredValue::new(Owner::current()),
            order: RwSignal::new(Vec::new()),
            connections: RwSignal::new(Vec::new()),
            selection: RwSignal::new(HashSet::new()),
            editing: RwSignal::new(None),
            fresh: StoredValue::new(None),
            last_nudge: StoredValue::new(None),
            viewport,
            screen,
            tool: RwSignal::new(ElementKind::DomainEvent),
            snap: RwSignal::new(false),
            title: RwSignal::new(String::new()),
            version,
            save: RwSignal::new(SaveState::Saved),
            notice: RwSignal::new(None),
            searching: RwSignal::new(false),
            checking: RwSignal::new(false),
            drafting: RwSignal::new(false),
            history: StoredValue::new(History::default()),
            peers,
            peer_marks: Memo::new(move |_| peers.with(|p| peer_marks(p))),
            detail,
            hovered: RwSignal::new(None),
            carried: RwSignal::new(Vec::new()),
            problems: RwSignal::new(Checked { problems }),
            problems_open: RwSignal::new(false),
            check_ms: RwSignal::new(0.0),
            live: live::Live::new(),
        };
        editor.rebuild();
        editor.zoom_to_fit();
        editor.check_continuously(editor.version.get_untracked());
        editor
    }

    /// Connects to the board's room (browser only) as `identity`.
    pub fn go_live(&self, identity: Identity) {
        let this = *self;
        // Selecting and opening a sticky's text show on the others' screens at once.
        Effect::new(move |_| {
            this.editing.track();
            this.selection.track();
            this.send_presence();
        });
        live::connect(*self, identity);
    }

    /// Leaves the board's room for good.
    pub fn stop(&self) {
        self.live.stop();
    }

    /// Brings every signal in line with the replica's board (first load, or a snapshot), keeping
    /// the signals of elements that still exist and disposing of the others.
    fn rebuild(&self) {
        let mut signals = self.signals.get_value();
        self.with_board(|board| {
            signals.retain(
                |id, signal: &mut RwSignal<Element>| match board.element(*id) {
                    Some(e) => {
                        if signal.with_untracked(|old| old != e) {
                            signal.set(e.clone());
                        }
                        true
                    }
                    None => {
                        signal.dispose();
                        false
                    }
                },
            );
            for e in board.elements() {
                signals
                    .entry(e.id)
                    .or_insert_with(|| RwSignal::new(e.clone()));
            }
            self.order.set(draw_order(board));
            self.connections.set(board.connections().cloned().collect());
            self.title.set(board.title().to_string());
        });
        self.signals.set_value(signals);
        self.selection.update(|sel| {
            sel.retain(|id| {
                self.with_board(|b| {
                    b.element(*id).is_some() || b.connections().any(|c| c.id == *id)
                })
            })
        });
        if self
            .editing
            .get_untracked()
            .is_some_and(|id| self.element(id).is_none())
        {
            self.editing.set(None);
        }
        self.version.update(|v| *v += 1);
    }

    pub fn board_id(&self) -> String {
        self.board_id.get_value()
    }

    pub fn board_key(&self) -> String {
        self.board_key.get_value()
    }

    /// The element's signal; `None` once it is deleted.
    pub fn element(&self, id: Id) -> Option<RwSignal<Element>> {
        self.signals.with_value(|s| s.get(&id).copied())
    }

    /// Reads the local board without subscribing to anything.
    pub fn with_board<T>(&self, f: impl FnOnce(&Board) -> T) -> T {
        self.replica.with_value(|r| f(r.board()))
    }

    /// Applies a user's batch: locally at once, then on the server. Returns false (and changes
    /// nothing) when the model refuses it.
    pub fn commit(&self, ops: Vec<Op>) -> bool {
        if ops.is_empty() {
            return true;
        }
        // The board is gone for this page (link replaced, board deleted): nothing could be sent.
        if self
            .save
            .with_untracked(|s| matches!(s, SaveState::Closed(_)))
        {
            return false;
        }
        match self.apply_local(&ops) {
            Ok(undo) => {
                self.history.update_value(|h| h.record(undo, ops));
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
        // Only what nobody else changed since is taken back (docs/sync.md S5).
        let trimmed = self.with_board(|b| crate::sync::still_yours(b, action.ops, &action.done));
        if trimmed.skipped > 0 {
            self.notice.set(Some(if trimmed.ops.is_empty() {
                Notice::NotUndone
            } else {
                Notice::PartlyUndone
            }));
        }
        // An action that no longer applies (its element was deleted meanwhile) is dropped.
        if trimmed.ops.is_empty() {
            return;
        }
        if let Ok(inverse) = self.apply_local(&trimmed.ops) {
            self.history.update_value(|h| {
                put(
                    h,
                    history::Action {
                        ops: inverse,
                        done: trimmed.ops,
                    },
                )
            });
        }
    }

    /// Applies `ops` to the local board, updates the signals they touch and sends them.
    fn apply_local(&self, ops: &[Op]) -> Result<Vec<Op>, String> {
        let result = self
            .replica
            .try_update_value(|r| r.edit(ops.to_vec()))
            .expect("the editor's replica lives as long as the editor");
        let (msg, undo) = result.map_err(|(_, rejection)| rejection.to_string())?;
        self.sync(ops);
        self.live.send(&msg);
        self.update_save_state();
        Ok(undo)
    }

    /// Feeds a message from the server to the replica and shows what it changed.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn receive(&self, msg: crate::sync::ServerMsg) -> crate::sync::Received {
        let received = self
            .replica
            .try_update_value(|r| r.receive(msg))
            .expect("the editor's replica lives as long as the editor");
        if received.reset {
            self.rebuild();
        } else if !received.touched.is_empty() {
            self.sync(&received.touched);
        }
        if let Some(message) = received.refused.last() {
            // Undo entries may refer to a batch the server never had.
            self.history.set_value(History::default());
            self.save.set(SaveState::Error(message.clone()));
        } else {
            self.update_save_state();
        }
        received
    }

    fn update_save_state(&self) {
        let (saved, pending) = self.replica.with_value(|r| (r.is_saved(), r.pending()));
        let state = if !self.live.is_ready() {
            SaveState::Offline(pending)
        } else if saved {
            SaveState::Saved
        } else {
            SaveState::Saving
        };
        if self
            .save
            .with_untracked(|s| matches!(s, SaveState::Closed(_)))
        {
            return;
        }
        if self
            .save
            .with_untracked(|s| !matches!(s, SaveState::Error(_)))
            || saved
        {
            self.save.set(state);
        }
    }

    /// The hello for a new connection.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn hello(&self, identity: &Identity) -> ClientMsg {
        self.replica
            .with_value(|r| r.hello(identity.client, &identity.name, &identity.colour))
    }

    /// Brings the signals of everything `ops` touched in line with the local board.
    fn sync(&self, ops: &[Op]) {
        let mut touched = Vec::new();
        let mut arrows_changed = false;
        for op in ops {
            match op {
                Op::CreateElement { element } => touched.push(element.id),
                Op::UpdateElement { id, .. }
                | Op::SetExamples { id, .. }
                | Op::SetMapping { id, .. }
                | Op::MoveElement { id, .. }
                | Op::ResizeElement { id, .. } => touched.push(*id),
                Op::DeleteElement { id } => {
                    touched.push(*id);
                    arrows_changed = true;
                }
                Op::Connect { .. } | Op::Disconnect { .. } => arrows_changed = true,
                Op::RenameBoard { .. } => {
                    self.title.set(self.with_board(|b| b.title().to_string()))
                }
            }
        }
        let mut order_changed = false;
        for id in touched {
            let current = self.with_board(|b| b.element(id).cloned());
            match (current, self.element(id)) {
                (Some(e), Some(signal)) => {
                    if signal.with_untracked(|old| old != &e) {
                        signal.set(e);
                    }
                }
                (Some(e), None) => {
                    let signal = match self.owner.get_value() {
                        Some(owner) => owner.with(|| RwSignal::new(e)),
                        None => RwSignal::new(e),
                    };
                    self.signals.update_value(|s| {
                        s.insert(id, signal);
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
            self.order.set(self.with_board(draw_order));
        }
        if arrows_changed {
            let connections: Vec<Connection> =
                self.with_board(|b| b.connections().cloned().collect());
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
                self.with_board(|b| b.element(id).cloned()),
                self.element(id),
            ) {
                signal.set(e);
            }
        }
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
        let (w, h) = self.new_size(kind);
        let mut element =
            Element::new(kind, "", (at.0 - w / 2.0).round(), (at.1 - h / 2.0).round());
        (element.width, element.height) = (w, h);
        let id = element.id;
        if self.commit(vec![Op::CreateElement { element }]) {
            self.select_only([id]);
            self.fresh.set_value(Some(id));
            self.editing.set(Some(id));
            self.come_close_to(at);
        }
        id
    }

    /// Zoomed far out, a new sticky is a few pixels wide and its text unreadable while typed:
    /// the view comes close enough (75%) around `at`. At a readable zoom nothing moves.
    fn come_close_to(&self, (x, y): (f64, f64)) {
        const READABLE: f64 = 0.5;
        let v = self.viewport.get_untracked();
        if v.zoom >= READABLE {
            return;
        }
        let (w, h) = self.screen.get_untracked();
        let zoom = 0.75;
        self.viewport.set(Viewport {
            x: w / 2.0 - x * zoom,
            y: h / 2.0 - y * zoom,
            zoom,
        });
    }

    /// The size of a new element of `kind`: its default, except that a frame is never larger
    /// than most of the screen, so its label and edges are in view.
    fn new_size(&self, kind: ElementKind) -> (f64, f64) {
        let (w, h) = kind.default_size();
        if kind != ElementKind::BoundedContext {
            return (w, h);
        }
        let (sw, sh) = self.screen.get_untracked();
        let zoom = self.viewport.get_untracked().zoom;
        let room = if sw > 900.0 { sw - PALETTE_WIDTH } else { sw };
        (
            w.min(room * 0.7 / zoom).max(240.0).round(),
            h.min(sh * 0.7 / zoom).max(180.0).round(),
        )
    }

    /// Whether `id` was just created here and nothing was typed into it yet: Escape or a click
    /// away then removes it instead of leaving an empty sticky behind.
    pub fn is_fresh(&self, id: Id) -> bool {
        self.fresh.get_value() == Some(id)
            && self
                .element(id)
                .is_some_and(|e| e.with_untracked(|e| e.label.is_empty()))
    }

    /// The sticky `id` is no longer new (it got its text, or its editor closed).
    pub fn settle(&self, id: Id) {
        if self.fresh.get_value() == Some(id) {
            self.fresh.set_value(None);
        }
    }

    /// Joins the last action (the first text of sticky `id`) with the one before it when that
    /// one created `id`: one Ctrl+Z takes the new sticky away, text and all.
    pub fn join_with_creation(&self, id: Id) {
        self.history.update_value(|h| {
            let created_before = h.second_last_undo().is_some_and(|a| {
                matches!(a.done.as_slice(), [Op::CreateElement { element }] if element.id == id)
            });
            if created_before {
                h.join_last_two();
            }
        });
    }

    /// Takes back the creation of a fresh, untouched sticky as if it never happened: its undo
    /// step goes too, so Ctrl+Z does not bring back an empty sticky.
    pub fn discard_fresh(&self, id: Id) {
        if !self.is_fresh(id) {
            return;
        }
        self.fresh.set_value(None);
        let created_last = self.history.with_value(|h| {
            h.last_undo().is_some_and(|a| {
                matches!(a.done.as_slice(), [Op::CreateElement { element }] if element.id == id)
            })
        });
        if created_last {
            if let Some(action) = self.history.try_update_value(|h| h.take_undo()).flatten() {
                let _ = self.apply_local(&action.ops);
            }
        } else {
            self.commit(vec![Op::DeleteElement { id }]);
        }
    }

    /// The part of the board worth putting in the DOM: the screen and a margin around it, so a
    /// quick pan shows no holes. `None` when `Blocks` paints the board instead (zoomed far out,
    /// or many stickies on screen: [`Detail`]). Tracks the view and the screen size.
    pub fn drawn_area(&self) -> Option<Rect> {
        if self.detail.get() != Detail::Dom {
            return None;
        }
        let v = self.viewport.get();
        let (w, h) = self.screen.get();
        let area = v.visible(w + 2.0 * OVERSCAN, h + 2.0 * OVERSCAN);
        Some(Rect {
            x: area.x - OVERSCAN / v.zoom,
            y: area.y - OVERSCAN / v.zoom,
            ..area
        })
    }

    /// The board point at the middle of the screen.
    pub fn screen_centre(&self) -> (f64, f64) {
        let (w, h) = self.screen.get_untracked();
        self.viewport.get_untracked().to_world((w / 2.0, h / 2.0))
    }

    pub fn zoom_to_fit(&self) {
        let rects: Vec<Rect> = self.with_board(|b| b.elements().map(rect_of).collect());
        if let Some(content) = Rect::union(rects) {
            let (w, h) = self.screen.get_untracked();
            // Keep the content clear of the palette on the left when there is room.
            let inset = if w > 900.0 { PALETTE_WIDTH } else { 0.0 };
            self.viewport
                .set(Viewport::fit(content, w - inset, h).pan(inset, 0.0));
        }
    }

    /// Selects `id` and pans (keeping the zoom) so that it is in the middle of the screen.
    pub fn focus(&self, id: Id) {
        let Some(rect) = self.with_board(|b| b.element(id).map(rect_of)) else {
            return;
        };
        let (w, h) = self.screen.get_untracked();
        let view = self.viewport.get_untracked();
        let (sx, sy) = view.to_screen(rect.centre());
        self.viewport.set(view.pan(w / 2.0 - sx, h / 2.0 - sy));
        self.select_only([id]);
    }

    pub fn zoom_by(&self, factor: f64) {
        let (w, h) = self.screen.get_untracked();
        self.viewport
            .update(|v| *v = v.zoom_step((w / 2.0, h / 2.0), factor));
    }

    /// Gives the keyboard back to the board (after a search or a dialog closes).
    pub fn focus_canvas(&self) {
        if !cfg!(feature = "hydrate") {
            return;
        }
        if let Some(canvas) = document()
            .query_selector(".canvas")
            .ok()
            .flatten()
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = canvas.focus();
        }
    }

    /// A sticky of the current kind holding `text` (pasted from elsewhere), centred at `at`.
    pub fn create_text_sticky(&self, text: &str, at: (f64, f64)) -> bool {
        let kind = self.tool.get_untracked();
        let (w, h) = self.new_size(kind);
        let label: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .take(crate::model::Limits::MAX_LABEL_CHARS)
            .collect();
        let element = Element::new(
            kind,
            label,
            (at.0 - w / 2.0).round(),
            (at.1 - h / 2.0).round(),
        );
        let id = element.id;
        let ok = self.commit(vec![Op::CreateElement { element }]);
        if ok {
            self.select_only([id]);
        }
        ok
    }

    /// Where the pointer is on the board, if it is over it.
    pub fn pointer(&self) -> Option<(f64, f64)> {
        self.live.cursor.get_value().map(|p| (p.x, p.y))
    }

    /// The rectangle around the selected elements, if any is selected.
    fn selection_area(&self) -> Option<Rect> {
        self.with_board(|b| {
            Rect::union(
                self.selected_elements()
                    .iter()
                    .filter_map(|id| b.element(*id))
                    .map(rect_of),
            )
        })
    }

    /// Shows the selected elements, as large as fits (Shift+2).
    pub fn zoom_to_selection(&self) {
        if let Some(content) = self.selection_area() {
            let (w, h) = self.screen.get_untracked();
            self.viewport.set(Viewport::fit(content, w, h));
        }
    }

    /// Moves the selection (and what selected frames hold) by `(dx, dy)`: the arrow keys. A burst
    /// of presses on the same selection (less than a second apart) is one undo step.
    pub fn nudge(&self, dx: f64, dy: f64) -> bool {
        let ids = self.dragged_with(&self.selected_elements());
        let now = live::now_ms();
        let burst = self.last_nudge.with_value(|last| {
            last.as_ref()
                .is_some_and(|(at, moved)| now - at < 1_000.0 && *moved == ids)
        });
        let ops: Vec<Op> = self.with_board(|b| {
            ids.iter()
                .filter_map(|id| b.element(*id))
                .map(|e| Op::MoveElement {
                    id: e.id,
                    x: e.x + dx,
                    y: e.y + dy,
                })
                .collect()
        });
        if ops.is_empty() || !self.commit(ops) {
            return false;
        }
        if burst {
            self.history.update_value(|h| h.join_last_two());
        }
        self.last_nudge.set_value(Some((now, ids)));
        true
    }

    /// Connects the selected stickies one after the other, left to right (the timeline's
    /// direction; top to bottom where they stand in a column), skipping pairs already connected.
    pub fn connect_in_order(&self) -> bool {
        let ops: Vec<Op> = self.with_board(|b| {
            let mut stickies: Vec<&Element> = self
                .selected_elements()
                .iter()
                .filter_map(|id| b.element(*id))
                .filter(|e| e.kind != ElementKind::BoundedContext)
                .collect();
            stickies.sort_by(|a, z| a.x.total_cmp(&z.x).then(a.y.total_cmp(&z.y)));
            stickies
                .windows(2)
                .filter(|pair| {
                    !b.connections()
                        .any(|c| c.from == pair[0].id && c.to == pair[1].id)
                })
                .map(|pair| Op::Connect {
                    connection: Connection {
                        id: crate::model::new_id(),
                        from: pair[0].id,
                        to: pair[1].id,
                    },
                })
                .collect()
        });
        !ops.is_empty() && self.commit(ops)
    }

    /// Copies the selection (with the arrows between selected stickies) as JSON.
    pub fn copy_selection(&self) -> Option<String> {
        let ids: HashSet<Id> = self.selected_elements().into_iter().collect();
        if ids.is_empty() {
            return None;
        }
        let clip = self.with_board(|b| Clipboard {
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

    /// Pastes copied stickies with new ids, centred on the board point `at` (where the pointer
    /// is), or 24 px beside the originals when the pointer is not on the board, and selects
    /// them. False when `json` is not something Squall copied.
    pub fn paste(&self, json: &str, at: Option<(f64, f64)>) -> bool {
        let Ok(clip) = serde_json::from_str::<Clipboard>(json) else {
            return false;
        };
        let offset = match (at, Rect::union(clip.elements.iter().map(rect_of))) {
            (Some((x, y)), Some(area)) => {
                let (cx, cy) = area.centre();
                ((x - cx).round(), (y - cy).round())
            }
            _ => (24.0, 24.0),
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

    /// Puts a new bounded-context frame around the selected elements (with room for its label)
    /// and opens its label for typing; with nothing selected, a frame that fits the screen's
    /// middle. Returns the new frame's id.
    pub fn frame_selection(&self) -> Option<Id> {
        let area = match self.selection_area() {
            Some(r) => frame_around(r),
            None => {
                // A default frame in the middle of what the user sees.
                let (cx, cy) = self.screen_centre();
                let (width, height) = self.new_size(ElementKind::BoundedContext);
                Rect {
                    x: (cx - width / 2.0).round(),
                    y: (cy - height / 2.0).round(),
                    width,
                    height,
                }
            }
        };
        let mut frame = Element::new(ElementKind::BoundedContext, "", area.x, area.y);
        frame.width = area.width;
        frame.height = area.height;
        let id = frame.id;
        if !self.commit(vec![Op::CreateElement { element: frame }]) {
            return None;
        }
        self.select_only([id]);
        self.fresh.set_value(Some(id));
        self.editing.set(Some(id));
        Some(id)
    }

    /// Moves and resizes the frame `id` to hold exactly what lies in it (every element whose
    /// centre is inside), with room for its label. False when it holds nothing.
    pub fn fit_frame(&self, id: Id) -> bool {
        let inside = self.with_board(|b| {
            let frame = b
                .element(id)
                .filter(|e| e.kind == ElementKind::BoundedContext)?;
            let area = rect_of(frame);
            Rect::union(
                b.elements()
                    .filter(|e| e.id != id && area.contains_point(rect_of(e).centre()))
                    .map(rect_of),
            )
        });
        let Some(contents) = inside else {
            return false;
        };
        let r = frame_around(contents);
        self.commit(vec![
            Op::MoveElement { id, x: r.x, y: r.y },
            Op::ResizeElement {
                id,
                width: r.width,
                height: r.height,
            },
        ])
    }

    /// The elements a move of `ids` drags along: the ids themselves and, for a bounded-context
    /// frame, every sticky whose centre lies in it and every frame nested in it.
    pub fn dragged_with(&self, ids: &[Id]) -> Vec<Id> {
        self.with_board(|b| {
            let mut out: Vec<Id> = ids.to_vec();
            let mut seen: HashSet<Id> = ids.iter().copied().collect();
            for id in ids {
                let Some(frame) = b
                    .element(*id)
                    .filter(|e| e.kind == ElementKind::BoundedContext)
                else {
                    continue;
                };
                // What belongs to the frame moves with it: every sticky whose centre lies in it
                // (the membership rule of docs/model-rules.md), and the frames nested in it.
                let area = rect_of(frame);
                for e in b.elements() {
                    let inside = if e.kind == ElementKind::BoundedContext {
                        e.id != frame.id && area.contains(&rect_of(e))
                    } else {
                        area.contains_point(crate::semantic::centre(e))
                    };
                    if inside && seen.insert(e.id) {
                        out.push(e.id);
                    }
                }
            }
            out
        })
    }

    /// The element a click at board point `p` lands on, as the DOM would stack them: the
    /// topmost sticky there, else the innermost frame. For a board painted on the canvas.
    pub fn element_at(&self, p: (f64, f64)) -> Option<Id> {
        // Called on every mouse move over a painted board: no copy of the order, no lists.
        self.order.with_untracked(|order| {
            self.with_board(|b| {
                order
                    .iter()
                    .rev()
                    .filter_map(|id| b.element(*id))
                    .find(|e| e.kind != ElementKind::BoundedContext && rect_of(e).contains_point(p))
                    .or_else(|| {
                        let frames: Vec<&Element> = b
                            .elements()
                            .filter(|e| e.kind == ElementKind::BoundedContext)
                            .collect();
                        crate::semantic::smallest_frame_around(&frames, p)
                    })
                    .map(|e| e.id)
            })
        })
    }

    /// Ids of the elements whose rectangle meets `area`, without subscribing.
    pub fn elements_in(&self, area: Rect, wholly: bool) -> Vec<Id> {
        self.with_board(|b| {
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

/// Another person's mark on one sticky: the colour of who has it selected, and who types in it.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerMark {
    pub selected_by: Option<String>,
    /// Name and colour.
    pub typing: Option<(String, String)>,
}

/// The marks `peers` put on stickies; the first person to list a sticky wins.
fn peer_marks(peers: &[PeerView]) -> HashMap<Id, PeerMark> {
    let mut marks: HashMap<Id, PeerMark> = HashMap::new();
    for p in peers {
        for id in &p.now.selection {
            let mark = marks.entry(*id).or_insert(PeerMark {
                selected_by: None,
                typing: None,
            });
            mark.selected_by.get_or_insert_with(|| p.colour.clone());
        }
        if let Some(id) = p.now.editing {
            let mark = marks.entry(id).or_insert(PeerMark {
                selected_by: None,
                typing: None,
            });
            mark.typing
                .get_or_insert_with(|| (p.name.clone(), p.colour.clone()));
        }
    }
    marks
}

/// What Ctrl+C puts on the clipboard (kept in localStorage, so it pastes into other boards too).
#[derive(serde::Serialize, serde::Deserialize)]
struct Clipboard {
    elements: Vec<Element>,
    connections: Vec<Connection>,
}

/// Room around a frame's contents, and above them for the frame's label.
const FRAME_PADDING: f64 = 40.0;
const FRAME_LABEL: f64 = 40.0;

/// A frame's rectangle around `contents`.
pub fn frame_around(contents: Rect) -> Rect {
    Rect {
        x: (contents.x - FRAME_PADDING).round(),
        y: (contents.y - FRAME_PADDING - FRAME_LABEL).round(),
        width: (contents.width + 2.0 * FRAME_PADDING).round(),
        height: (contents.height + 2.0 * FRAME_PADDING + FRAME_LABEL).round(),
    }
}

/// Screen width the palette covers on the left of the canvas.
const PALETTE_WIDTH: f64 = 200.0;
/// Extra board area drawn around the screen, in screen pixels, so a quick pan shows no holes.
const OVERSCAN: f64 = 200.0;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{Point, Presence};

    fn peer(id: u64, name: &str, selection: Vec<Id>, editing: Option<Id>) -> PeerView {
        PeerView {
            id,
            name: name.into(),
            colour: format!("#00000{id}"),
            now: Presence {
                cursor: Some(Point { x: 1.0, y: 2.0 }),
                selection,
                editing,
            },
        }
    }

    #[test]
    fn peer_marks_say_who_selected_and_who_types_and_ignore_pointers() {
        let (a, b) = (crate::model::new_id(), crate::model::new_id());
        let peers = vec![
            peer(1, "Ada", vec![a], Some(a)),
            peer(2, "Bob", vec![a, b], None),
        ];
        let marks = peer_marks(&peers);
        assert_eq!(
            marks[&a],
            PeerMark {
                selected_by: Some("#000001".into()),
                typing: Some(("Ada".into(), "#000001".into())),
            }
        );
        assert_eq!(
            marks[&b],
            PeerMark {
                selected_by: Some("#000002".into()),
                typing: None,
            }
        );
        let mut moved = peers.clone();
        moved[1].now.cursor = Some(Point { x: 500.0, y: 9.0 });
        assert_eq!(peer_marks(&moved), marks, "a pointer move changes no mark");
    }

    #[test]
    fn a_crowded_view_is_painted_and_stays_painted_until_it_thins_out() {
        // docs/canvas.md C1: far out blocks; many on screen painted; hysteresis between.
        assert_eq!(Detail::choose(0.2, 5000, None), Detail::Blocks);
        assert_eq!(Detail::choose(0.45, 149, None), Detail::Dom);
        assert_eq!(Detail::choose(0.45, 150, None), Detail::Painted);
        assert_eq!(
            Detail::choose(0.45, 120, Some(Detail::Painted)),
            Detail::Painted
        );
        assert_eq!(Detail::choose(0.45, 99, Some(Detail::Painted)), Detail::Dom);
        assert_eq!(Detail::choose(0.45, 120, Some(Detail::Dom)), Detail::Dom);
        assert_eq!(Detail::choose(1.0, 40, Some(Detail::Blocks)), Detail::Dom);
    }

    #[test]
    fn a_click_on_a_painted_board_lands_on_the_top_sticky_else_the_innermost_frame() {
        let mut board = Board::new("Painted").unwrap();
        let mut outer = Element::new(ElementKind::BoundedContext, "Sales", 0.0, 0.0);
        (outer.width, outer.height) = (1000.0, 1000.0);
        let mut inner = Element::new(ElementKind::BoundedContext, "Orders", 100.0, 100.0);
        (inner.width, inner.height) = (400.0, 400.0);
        let below = Element::new(ElementKind::DomainEvent, "Order placed", 200.0, 200.0);
        let above = Element::new(ElementKind::Command, "Place order", 250.0, 250.0);
        let ids = [outer.id, inner.id, below.id, above.id];
        for element in [outer, inner, below, above] {
            board.apply(Op::CreateElement { element }).unwrap();
        }
        // The editor's signals live in a reactive owner, as on a page.
        Owner::new_root(None).with(|| {
            let editor = Editor::new("b".into(), "k".into(), board, 0, Vec::new());
            let [outer, inner, below, above] = ids;
            assert_eq!(
                editor.element_at((260.0, 260.0)),
                Some(above),
                "both: the top one"
            );
            assert_eq!(editor.element_at((210.0, 210.0)), Some(below));
            assert_eq!(
                editor.element_at((150.0, 150.0)),
                Some(inner),
                "two frames: the smaller"
            );
            assert_eq!(editor.element_at((900.0, 900.0)), Some(outer));
            assert_eq!(editor.element_at((2000.0, 0.0)), None);
        });
    }
}
