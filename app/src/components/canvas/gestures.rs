//! Pointer gestures on the canvas: select, drag, resize (corner and frame handles), draw an
//! arrow, rubber-band, pan (middle button, Space, one finger), pinch, double-click.

use leptos::ev::{MouseEvent, PointerEvent};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::super::LinkPreview;
use crate::editor::{Detail, Edges, Editor, Rect, rect_of, snapped_delta};
use crate::model::{ElementKind, Id, Op};

/// What a pointer drag is doing, from pointerdown to pointerup.
#[derive(Debug, Clone, Default)]
pub enum Gesture {
    #[default]
    Idle,
    Pan {
        last: (f64, f64),
    },
    Move {
        start: (f64, f64),
        origins: Vec<(Id, f64, f64)>,
        /// Where the sticky under the pointer started: the one snapping puts on the grid.
        lead: (f64, f64),
        moved: bool,
        /// A plain click on a sticky inside a larger selection: without a drag, the selection
        /// narrows to it on release (as on Miro and Figma).
        narrow_to: Option<Id>,
    },
    Resize {
        id: Id,
        start: (f64, f64),
        /// The element's rectangle when the drag began.
        origin: Rect,
        /// Which edges follow the pointer: `"se"` for the corner handle, any of the eight
        /// compass points for a frame's handles.
        edges: Edges,
    },
    Band {
        start: (f64, f64),
        additive: bool,
    },
    Connect {
        from: Id,
    },
    /// Two fingers on the canvas: their distance zooms, their midpoint pans.
    Pinch {
        distance: f64,
        mid: (f64, f64),
    },
}

/// The canvas's state that gestures read and change; all handles, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct Surface {
    pub editor: Editor,
    pub root: NodeRef<Div>,
    pub read_only: Signal<bool>,
    pub gesture: StoredValue<Gesture>,
    pub band: RwSignal<Option<Rect>>,
    pub link: RwSignal<LinkPreview>,
    /// Space is held: a left drag pans.
    pub space_held: StoredValue<bool>,
    /// Fingers on the canvas: pointer id and where it is (canvas coordinates).
    pub touches: StoredValue<Vec<(i32, (f64, f64))>>,
}

impl Surface {
    /// Where the pointer is on the canvas, in screen pixels from its top-left corner.
    pub fn local(&self, ev: &MouseEvent) -> (f64, f64) {
        let r = self
            .root
            .get_untracked()
            .map(|el| el.get_bounding_client_rect());
        let (left, top) = r.map(|r| (r.left(), r.top())).unwrap_or_default();
        (ev.client_x() as f64 - left, ev.client_y() as f64 - top)
    }

    /// The element at a DOM node the pointer is on or, on a board painted on the canvas, the
    /// one painted at board point `w` (a finger has no hover to give it a DOM node first).
    pub fn hit(&self, target: Option<&web_sys::Element>, w: (f64, f64)) -> Option<Id> {
        target.and_then(element_id).or_else(|| {
            (self.editor.detail.get_untracked() == Detail::Painted
                && target.is_none_or(|t| {
                    t.closest("[data-frame], [data-arrow]")
                        .ok()
                        .flatten()
                        .is_none()
                }))
            .then(|| self.editor.element_at(w))
            .flatten()
        })
    }

    /// Where the pointer is on the board.
    pub fn world(&self, ev: &MouseEvent) -> (f64, f64) {
        self.editor
            .viewport
            .get_untracked()
            .to_world(self.local(ev))
    }
}

/// A button or finger goes down: decides what the drag will do.
pub fn pointer_down(s: Surface, ev: PointerEvent) {
    let Surface {
        editor,
        root,
        read_only,
        gesture,
        band,
        link,
        space_held,
        touches,
    } = s;
    let local = |ev: &MouseEvent| s.local(ev);
    let touch = ev.pointer_type() == "touch";
    if touch {
        touches.update_value(|t| t.push((ev.pointer_id(), local(&ev))));
        // A second finger turns whatever the first one started into a pinch.
        if let Some((distance, mid)) = touches.with_value(|t| pinch_of(t)) {
            let cancelled = gesture.try_update_value(std::mem::take).unwrap_or_default();
            if let Gesture::Move { origins, .. } = cancelled {
                editor.refresh(origins.iter().map(|(id, _, _)| *id));
            }
            band.set(None);
            gesture.set_value(Gesture::Pinch { distance, mid });
            ev.prevent_default();
            return;
        }
    }
    let target = target_element(&ev);
    if target.as_ref().is_some_and(|t| {
        t.closest("textarea, input, button, select")
            .ok()
            .flatten()
            .is_some()
    }) {
        return;
    }
    // The default is prevented below, so the browser would not move the focus: an open label
    // editor or a properties field would keep it and never commit. Moving the focus to the
    // canvas blurs them, which commits what they hold (change, then blur), before the
    // selection changes under them.
    if let Some(el) = root.get_untracked() {
        let _ = el.focus();
    }
    let p = local(&ev);
    let w = editor.viewport.get_untracked().to_world(p);
    // One finger on empty canvas pans, as on a phone's map; a rectangle selection needs a
    // mouse or a pen.
    let on_element = s.hit(target.as_ref(), w);
    let on_empty = on_element.is_none()
        && target.as_ref().is_none_or(|t| {
            t.closest("[data-frame], [data-arrow]")
                .ok()
                .flatten()
                .is_none()
        });
    let panning = ev.button() == 1
        || (ev.button() == 0 && space_held.get_value())
        || (touch && on_empty)
        || (ev.button() == 0 && read_only.get_untracked() && on_element.is_none());
    if panning {
        gesture.set_value(Gesture::Pan { last: p });
    } else if ev.button() != 0 {
        return;
    } else {
        let handle = target
            .as_ref()
            .and_then(|t| closest_attr(t, "[data-handle]", "data-handle"));
        let hit = on_element.or_else(|| {
            target.as_ref().and_then(|t| {
                closest_attr(t, "[data-frame]", "data-frame").and_then(|s| s.parse().ok())
            })
        });
        let arrow = target
            .as_ref()
            .and_then(|t| closest_attr(t, "[data-arrow]", "data-arrow"))
            .and_then(|s| s.parse::<Id>().ok());
        let next = match (handle.as_deref(), hit) {
            _ if read_only.get_untracked() => {
                if let Some(id) = hit.or(arrow) {
                    editor.select_only([id]);
                }
                Gesture::Idle
            }
            (Some("connect"), Some(from)) => {
                let start = editor
                    .element(from)
                    .map(|e| e.with_untracked(|e| rect_of(e).centre()))
                    .unwrap_or(w);
                link.set(Some((start, w)));
                Gesture::Connect { from }
            }
            (Some("resize"), Some(id)) => {
                let edges = target
                    .as_ref()
                    .and_then(|t| closest_attr(t, "[data-edges]", "data-edges"))
                    .map(|s| Edges::parse(&s))
                    .unwrap_or(Edges::parse("se"));
                match editor.element(id).map(|e| e.with_untracked(rect_of)) {
                    Some(origin) => Gesture::Resize {
                        id,
                        start: w,
                        origin,
                        edges,
                    },
                    None => Gesture::Idle,
                }
            }
            (_, Some(id)) => {
                let narrow_to = (!ev.shift_key()
                    && editor
                        .selection
                        .with_untracked(|s| s.len() > 1 && s.contains(&id)))
                .then_some(id);
                if ev.shift_key() {
                    editor.selection.update(|s| {
                        if !s.remove(&id) {
                            s.insert(id);
                        }
                    });
                } else if !editor.selection.with_untracked(|s| s.contains(&id)) {
                    editor.select_only([id]);
                }
                let ids = editor.dragged_with(&editor.selected_elements());
                let origins: Vec<(Id, f64, f64)> = ids
                    .into_iter()
                    .filter_map(|id| {
                        editor
                            .element(id)
                            .map(|e| e.with_untracked(|e| (id, e.x, e.y)))
                    })
                    .collect();
                // What the drag carries beyond the selection (a frame's contents) becomes DOM
                // nodes for the drag's length, so a painted board shows it moving.
                let carried: Vec<Id> = editor.selection.with_untracked(|s| {
                    origins
                        .iter()
                        .map(|(id, _, _)| *id)
                        .filter(|id| !s.contains(id))
                        .collect()
                });
                if !carried.is_empty() {
                    editor.carried.set(carried);
                }
                let lead = origins
                    .iter()
                    .find(|(o, _, _)| *o == id)
                    .map(|&(_, x, y)| (x, y))
                    .unwrap_or_default();
                Gesture::Move {
                    start: w,
                    origins,
                    lead,
                    moved: false,
                    narrow_to,
                }
            }
            (_, None) => {
                if let Some(arrow) = arrow {
                    if ev.shift_key() {
                        editor.selection.update(|s| {
                            s.insert(arrow);
                        });
                    } else {
                        editor.select_only([arrow]);
                    }
                    Gesture::Idle
                } else {
                    if !ev.shift_key() {
                        editor.select_only([]);
                    }
                    band.set(Some(Rect::spanning(w, w)));
                    Gesture::Band {
                        start: w,
                        additive: ev.shift_key(),
                    }
                }
            }
        };
        gesture.set_value(next);
    }
    if let Some(el) = root.get_untracked() {
        let _ = el.set_pointer_capture(ev.pointer_id());
    }
    ev.prevent_default();
}

/// The pointer moves: the drag in progress follows it (only the touched signals change).
pub fn pointer_move(s: Surface, ev: PointerEvent) {
    let Surface {
        editor,
        gesture,
        band,
        link,
        touches,
        ..
    } = s;
    let local = |ev: &MouseEvent| s.local(ev);
    let world = |ev: &MouseEvent| s.world(ev);
    if ev.pointer_type() == "touch" {
        let p = local(&ev);
        touches.update_value(|t| {
            if let Some(slot) = t.iter_mut().find(|(id, _)| *id == ev.pointer_id()) {
                slot.1 = p;
            }
        });
        if let Some((distance, mid)) = touches.with_value(|t| pinch_of(t)) {
            gesture.update_value(|g| {
                if let Gesture::Pinch {
                    distance: d0,
                    mid: m0,
                } = g
                {
                    let factor = if *d0 > 0.0 { distance / *d0 } else { 1.0 };
                    let (dx, dy) = (mid.0 - m0.0, mid.1 - m0.1);
                    editor
                        .viewport
                        .update(|v| *v = v.pan(dx, dy).zoom_at(mid, factor));
                    (*d0, *m0) = (distance, mid);
                }
            });
            return;
        }
    }
    let w = world(&ev);
    editor.pointer_moved(Some(w));
    // On a painted board the element under a mouse becomes a DOM node: it shows its handles
    // and takes the click, the double-click or the arrow's end like any other.
    if ev.pointer_type() == "mouse"
        && editor.detail.get_untracked() == Detail::Painted
        && gesture.with_value(|g| matches!(g, Gesture::Idle | Gesture::Connect { .. }))
    {
        // The DOM node under the pointer first: a handle sticks out of its sticky.
        let under = s.hit(target_element(&ev).as_ref(), w);
        if editor.hovered.get_untracked() != under {
            editor.hovered.set(under);
        }
    }
    gesture.update_value(|g| match g {
        Gesture::Idle => {}
        Gesture::Pan { last } => {
            let p = local(&ev);
            let (dx, dy) = (p.0 - last.0, p.1 - last.1);
            *last = p;
            editor.viewport.update(|v| *v = v.pan(dx, dy));
        }
        Gesture::Move {
            start,
            origins,
            lead,
            moved,
            ..
        } => {
            let mut delta = (w.0 - start.0, w.1 - start.1);
            if editor.snap.get_untracked() != ev.alt_key() {
                delta = snapped_delta(*lead, delta);
            }
            let (dx, dy) = delta;
            *moved |= dx != 0.0 || dy != 0.0;
            for (id, x, y) in origins.iter() {
                if let Some(e) = editor.element(*id) {
                    e.update(|e| {
                        e.x = (x + dx).round();
                        e.y = (y + dy).round();
                    });
                }
            }
        }
        Gesture::Resize {
            id,
            start,
            origin,
            edges,
        } => {
            if let Some(e) = editor.element(*id) {
                let r = edges.resize(*origin, (w.0 - start.0, w.1 - start.1));
                e.update(|e| {
                    (e.x, e.y, e.width, e.height) = (r.x, r.y, r.width, r.height);
                });
            }
        }
        Gesture::Band { start, .. } => band.set(Some(Rect::spanning(*start, w))),
        // Two fingers are handled above, before the pointer's board position matters.
        Gesture::Pinch { .. } => {}
        Gesture::Connect { .. } => link.update(|l| {
            if let Some((_, to)) = l {
                *to = w;
            }
        }),
    });
}

/// The button or finger comes up: the drag becomes one batch (one undo step, one write).
pub fn pointer_up(s: Surface, ev: PointerEvent) {
    let Surface {
        editor,
        gesture,
        band,
        link,
        touches,
        ..
    } = s;
    if ev.pointer_type() == "touch" {
        touches.update_value(|t| t.retain(|(id, _)| *id != ev.pointer_id()));
    }
    let finished = gesture.try_update_value(std::mem::take).unwrap_or_default();
    if editor.carried.with_untracked(|c| !c.is_empty()) {
        editor.carried.set(Vec::new());
    }
    match finished {
        Gesture::Move {
            origins,
            moved: true,
            ..
        } => {
            let ops: Vec<Op> = origins
                .iter()
                .filter_map(|(id, _, _)| {
                    editor.element(*id).map(|e| {
                        e.with_untracked(|e| Op::MoveElement {
                            id: *id,
                            x: e.x,
                            y: e.y,
                        })
                    })
                })
                .collect();
            if !editor.commit(ops) {
                editor.refresh(origins.iter().map(|(id, _, _)| *id));
            }
        }
        Gesture::Resize { id, origin, .. } => {
            if let Some(e) = editor.element(id) {
                let now = e.with_untracked(rect_of);
                let mut ops = Vec::new();
                if (now.x, now.y) != (origin.x, origin.y) {
                    ops.push(Op::MoveElement {
                        id,
                        x: now.x,
                        y: now.y,
                    });
                }
                if (now.width, now.height) != (origin.width, origin.height) {
                    ops.push(Op::ResizeElement {
                        id,
                        width: now.width,
                        height: now.height,
                    });
                }
                if !editor.commit(ops) {
                    editor.refresh([id]);
                }
            }
        }
        Gesture::Band { additive, .. } => {
            if let Some(area) = band.get_untracked() {
                let inside = editor.elements_in(area, true);
                editor.selection.update(|s| {
                    if !additive {
                        s.clear();
                    }
                    s.extend(inside);
                });
            }
            band.set(None);
        }
        Gesture::Connect { from } => {
            link.set(None);
            let on = document().element_from_point(ev.client_x() as f32, ev.client_y() as f32);
            let under = s.hit(on.as_ref(), s.world(&ev));
            if let Some(to) = under.filter(|to| *to != from) {
                let connection = crate::model::Connection {
                    id: crate::model::new_id(),
                    from,
                    to,
                };
                editor.commit(vec![Op::Connect { connection }]);
            }
        }
        Gesture::Move {
            narrow_to: Some(id),
            moved: false,
            ..
        } => editor.select_only([id]),
        _ => {}
    }
}

/// A double-click edits the sticky under the pointer, or adds one on empty canvas. Inside a
/// frame, its empty body counts as canvas (the new sticky lands in that bounded context); its
/// name is edited by double-clicking the name.
pub fn double_click(s: Surface, ev: MouseEvent) {
    let Surface {
        editor, read_only, ..
    } = s;
    let world = |ev: &MouseEvent| s.world(ev);
    if read_only.get_untracked() {
        return;
    }
    // The canvas captured the pointer, so the event's target is the canvas itself: ask what
    // is under the pointer instead.
    let under = document().element_from_point(ev.client_x() as f32, ev.client_y() as f32);
    let on_name = under
        .as_ref()
        .and_then(|el| el.closest(".label").ok().flatten())
        .is_some();
    let frame = |id: Id| {
        editor
            .element(id)
            .is_some_and(|e| e.with_untracked(|e| e.kind == ElementKind::BoundedContext))
    };
    match s.hit(under.as_ref(), world(&ev)) {
        Some(id) if !frame(id) || on_name => editor.editing.set(Some(id)),
        _ => {
            editor.create_at(editor.tool.get_untracked(), world(&ev));
        }
    }
}

/// The distance between the first two fingers and their midpoint, when there are two.
fn pinch_of(touches: &[(i32, (f64, f64))]) -> Option<(f64, (f64, f64))> {
    let [(_, a), (_, b), ..] = touches else {
        return None;
    };
    let distance = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    Some((distance, ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)))
}

fn target_element(ev: &MouseEvent) -> Option<web_sys::Element> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

pub fn closest_attr(el: &web_sys::Element, selector: &str, attr: &str) -> Option<String> {
    el.closest(selector)
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute(attr))
}

/// The id of the board element at or around a DOM element.
pub fn element_id(el: &web_sys::Element) -> Option<Id> {
    closest_attr(el, ".element[data-id]", "data-id").and_then(|s| s.parse().ok())
}
