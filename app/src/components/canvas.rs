use leptos::ev::{DragEvent, KeyboardEvent, MouseEvent, PointerEvent, WheelEvent};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Arrows, Blocks, LinkPreview, Sticky};
use crate::editor::{Edges, Editor, Rect, grid_tiles, rect_of, snapped_delta};
use crate::model::{ElementKind, Id, Op};

/// What a pointer drag is doing, from pointerdown to pointerup.
#[derive(Debug, Clone, Default)]
enum Gesture {
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

/// The most one wheel event zooms: ln(1.2).
const ZOOM_STEP: f64 = 0.1823;

/// Data type of a palette drag.
const KIND_MIME: &str = "application/x-squall-kind";
/// localStorage key of the copy buffer, shared by every board of this browser.
const CLIPBOARD_KEY: &str = "squall.clipboard";

/// The board's drawing surface: frames, arrows and stickies under one pan/zoom transform.
/// Only elements near the screen are in the DOM; far out, they are drawn as plain blocks.
#[component]
pub fn Canvas(editor: Editor, #[prop(into)] read_only: Signal<bool>) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    let gesture = StoredValue::new(Gesture::Idle);
    let band = RwSignal::new(None::<Rect>);
    let link = RwSignal::new(LinkPreview::None);
    let space_held = StoredValue::new(false);
    // Fingers on the canvas: pointer id and where it is (canvas coordinates).
    let touches = StoredValue::new(Vec::<(i32, (f64, f64))>::new());

    let measure = move || {
        if let Some(el) = root.get_untracked() {
            let r = el.get_bounding_client_rect();
            // Not laid out yet (a page mounted by client-side navigation): keep the last size.
            if r.width() > 0.0 && r.height() > 0.0 {
                editor.screen.set((r.width(), r.height()));
            }
        }
    };
    Effect::new(move |first: Option<()>| {
        if root.get().is_some() {
            measure();
            if first.is_none() {
                editor.zoom_to_fit();
                // After client-side navigation the canvas gets its size only at the next layout.
                request_animation_frame(move || {
                    measure();
                    editor.zoom_to_fit();
                });
            }
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // The elements worth putting in the DOM: those near the screen, plus the selection. Zoomed
    // far out only the selection is: everything else is painted by `Blocks` on one <canvas>.
    let visible = Memo::new(move |_| {
        editor.version.track();
        let Some(area) = editor.drawn_area() else {
            let selection = editor.selection.get();
            return editor.order.with(|order| {
                order
                    .iter()
                    .filter(|id| selection.contains(id))
                    .copied()
                    .collect()
            });
        };
        let selection = editor.selection.get();
        editor.order.with(|order| {
            editor.with_board(|b| {
                order
                    .iter()
                    .filter(|id| {
                        selection.contains(id)
                            || b.element(**id)
                                .is_some_and(|e| area.intersects(&rect_of(e)))
                    })
                    .copied()
                    .collect::<Vec<Id>>()
            })
        })
    });

    let local = move |ev: &MouseEvent| -> (f64, f64) {
        let r = root.get_untracked().map(|el| el.get_bounding_client_rect());
        let (left, top) = r.map(|r| (r.left(), r.top())).unwrap_or_default();
        (ev.client_x() as f64 - left, ev.client_y() as f64 - top)
    };
    let world = move |ev: &MouseEvent| editor.viewport.get_untracked().to_world(local(ev));

    let on_pointerdown = move |ev: PointerEvent| {
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
        let on_empty = target.as_ref().is_none_or(|t| {
            element_id(t).is_none()
                && t.closest("[data-frame], [data-arrow]")
                    .ok()
                    .flatten()
                    .is_none()
        });
        let panning = ev.button() == 1
            || (ev.button() == 0 && space_held.get_value())
            || (touch && on_empty)
            || (ev.button() == 0
                && read_only.get_untracked()
                && target.as_ref().and_then(element_id).is_none());
        if panning {
            gesture.set_value(Gesture::Pan { last: p });
        } else if ev.button() != 0 {
            return;
        } else {
            let handle = target
                .as_ref()
                .and_then(|t| closest_attr(t, "[data-handle]", "data-handle"));
            let hit = target.as_ref().and_then(|t| {
                element_id(t).or_else(|| {
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
    };

    let on_pointermove = move |ev: PointerEvent| {
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
    };

    let on_pointerup = move |ev: PointerEvent| {
        if ev.pointer_type() == "touch" {
            touches.update_value(|t| t.retain(|(id, _)| *id != ev.pointer_id()));
        }
        let finished = gesture.try_update_value(std::mem::take).unwrap_or_default();
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
                let under = document()
                    .element_from_point(ev.client_x() as f32, ev.client_y() as f32)
                    .as_ref()
                    .and_then(element_id);
                if let Some(to) = under.filter(|to| *to != from) {
                    let connection = crate::model::Connection {
                        id: crate::model::new_id(),
                        from,
                        to,
                    };
                    editor.commit(vec![Op::Connect { connection }]);
                }
            }
            _ => {}
        }
    };

    let on_dblclick = move |ev: MouseEvent| {
        if read_only.get_untracked() {
            return;
        }
        // The canvas captured the pointer, so the event's target is the canvas itself: ask what
        // is under the pointer instead.
        let under = document().element_from_point(ev.client_x() as f32, ev.client_y() as f32);
        match under.as_ref().and_then(element_id) {
            Some(id) => editor.editing.set(Some(id)),
            None => {
                editor.create_at(editor.tool.get_untracked(), world(&ev));
            }
        }
    };

    let on_wheel = move |ev: WheelEvent| {
        ev.prevent_default();
        if ev.ctrl_key() || ev.meta_key() {
            // Only a zoom needs the pointer's position (reading it forces a layout).
            let p = local(&ev);
            // A mouse wheel's notch (deltaY 100) is one step of 1.2x, as the + and - keys; a
            // pinch on a touchpad sends many small deltas and zooms smoothly.
            let step = (-ev.delta_y() * 0.01).clamp(-ZOOM_STEP, ZOOM_STEP);
            let factor = step.exp();
            editor.viewport.update(|v| *v = v.zoom_at(p, factor));
        } else {
            editor
                .viewport
                .update(|v| *v = v.pan(-ev.delta_x(), -ev.delta_y()));
        }
    };

    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        if read_only.get_untracked() {
            return;
        }
        let kind = ev
            .data_transfer()
            .and_then(|d| d.get_data(KIND_MIME).ok())
            .and_then(|k| serde_json::from_value::<ElementKind>(serde_json::Value::String(k)).ok());
        if let Some(kind) = kind {
            editor.tool.set(kind);
            editor.create_at(kind, world(&ev));
        }
    };

    let keydown = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if typing(&ev) || super::sticky::composing(&ev) {
            return;
        }
        let ctrl = ev.ctrl_key() || ev.meta_key();
        let key = ev.key();
        let handled = match key.as_str() {
            " " => {
                space_held.set_value(true);
                true
            }
            "+" | "=" => {
                editor.zoom_by(1.25);
                true
            }
            "-" | "_" if !ctrl => {
                editor.zoom_by(0.8);
                true
            }
            "!" => {
                editor.zoom_to_fit();
                true
            }
            "@" => {
                editor.zoom_to_selection();
                true
            }
            "f" | "F" if ctrl => {
                editor.searching.set(true);
                true
            }
            "Escape" => {
                editor.select_only([]);
                editor.editing.set(None);
                true
            }
            _ if read_only.get_untracked() => false,
            "Delete" | "Backspace" => {
                editor.delete_selection();
                true
            }
            "Enter" => match editor.selected_elements().as_slice() {
                [id] => {
                    editor.editing.set(Some(*id));
                    true
                }
                _ => false,
            },
            "z" | "Z" if ctrl => {
                if ev.shift_key() {
                    editor.redo()
                } else {
                    editor.undo()
                }
                true
            }
            "y" | "Y" if ctrl => {
                editor.redo();
                true
            }
            "a" | "A" if ctrl => {
                editor.select_all();
                true
            }
            // Ctrl+C and Ctrl+V are the browser's: the copy and paste events below.
            "d" | "D" if ctrl => {
                if let Some(json) = editor.copy_selection() {
                    editor.paste(&json, None);
                }
                true
            }
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" if !ctrl => {
                let step = if ev.shift_key() { 24.0 } else { 4.0 };
                let (dx, dy) = match key.as_str() {
                    "ArrowLeft" => (-step, 0.0),
                    "ArrowRight" => (step, 0.0),
                    "ArrowUp" => (0.0, -step),
                    _ => (0.0, step),
                };
                editor.nudge(dx, dy)
            }
            "l" | "L" if !ctrl => editor.connect_in_order(),
            "f" | "F" if !ctrl => editor.frame_selection().is_some(),
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    // Copy and paste go through the system clipboard (another board, another tab, a text
    // editor), with this browser's localStorage as a fallback where the page may not read it.
    let copy = window_event_listener(leptos::ev::copy, move |ev: web_sys::ClipboardEvent| {
        if typing(&ev) {
            return;
        }
        let Some(json) = editor.copy_selection() else {
            return;
        };
        store_clipboard(&json);
        if let Some(data) = ev.clipboard_data() {
            let _ = data.set_data("text/plain", &json);
            ev.prevent_default();
        }
    });
    let paste = window_event_listener(leptos::ev::paste, move |ev: web_sys::ClipboardEvent| {
        if typing(&ev) || read_only.get_untracked() {
            return;
        }
        let text = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
            .filter(|t| !t.trim().is_empty())
            .or_else(load_clipboard);
        let Some(text) = text else { return };
        ev.prevent_default();
        let at = editor.pointer().or_else(|| Some(editor.screen_centre()));
        // Stickies copied from a board; any other text becomes a sticky of the current kind.
        if !editor.paste(&text, at) {
            editor.create_text_sticky(&text, at.unwrap_or_default());
        }
    });
    let keyup = window_event_listener(leptos::ev::keyup, move |ev: KeyboardEvent| {
        if ev.key() == " " {
            space_held.set_value(false);
        }
    });
    on_cleanup(move || {
        keydown.remove();
        keyup.remove();
        copy.remove();
        paste.remove();
    });

    let transform = move || {
        let v = editor.viewport.get();
        format!("transform:translate({}px,{}px) scale({})", v.x, v.y, v.zoom)
    };
    let detail = move || editor.viewport.with(|v| v.detailed());
    // The dots move with the board. Panning changes only the layer's transform, which the
    // browser composites without repainting; the tile size changes with the zoom alone.
    let grid_style = move || {
        let (size, (x, y)) = editor.viewport.with(grid_tiles);
        format!("background-size:{size}px {size}px;transform:translate({x}px,{y}px)")
    };
    let band_style = move || {
        band.get().map(|r| {
            format!(
                "left:{}px;top:{}px;width:{}px;height:{}px",
                r.x, r.y, r.width, r.height
            )
        })
    };

    view! {
        <div
            class="canvas"
            class:lod=move || !detail()
            class:read-only=move || read_only.get()
            node_ref=root
            tabindex="0"
            on:pointerdown=on_pointerdown
            on:pointermove=on_pointermove
            on:pointerup=on_pointerup
            on:pointercancel=move |ev: PointerEvent| {
                touches.update_value(|t| t.retain(|(id, _)| *id != ev.pointer_id()));
                gesture.set_value(Gesture::Idle);
                band.set(None);
            }
            on:pointerleave=move |_| editor.pointer_moved(None)
            on:dblclick=on_dblclick
            on:wheel=on_wheel
            on:dragover=|ev: DragEvent| ev.prevent_default()
            on:drop=on_drop
        >
            <div class="grid" style=grid_style aria-hidden="true"></div>
            <Blocks editor />
            <div class="world" style=transform>
                <Arrows editor link />
                <For each=move || visible.get() key=|id| *id let:id>
                    <Sticky editor id />
                </For>
                <Show when=move || !read_only.get()>
                    <FrameHandles editor />
                </Show>
                {move || band_style().map(|style| view! { <div class="band" style=style></div> })}
                <Cursors editor />
            </div>
            {move || (editor.order.with(Vec::is_empty)).then(|| view! {
                <p class="empty-hint muted">"Double-click anywhere to add a domain event, or drag a sticky from the palette."</p>
            })}
        </div>
    }
}

/// The eight resize handles of the one selected frame, drawn above every sticky and arrow so an
/// edge can be grabbed even where stickies overlap it; they keep their size on screen at any zoom.
#[component]
fn FrameHandles(editor: Editor) -> impl IntoView {
    let frame = move || {
        let id = editor.selection.with(|s| match s.len() {
            1 => s.iter().next().copied(),
            _ => None,
        })?;
        let e = editor.element(id)?;
        e.with(|e| (e.kind == ElementKind::BoundedContext).then(|| (id, rect_of(e))))
    };
    move || {
        frame().map(|(id, r)| {
            let scale = 1.0 / editor.viewport.with(|v| v.zoom);
            view! {
                <div
                    class="frame-handles"
                    data-frame=id.to_string()
                    style=format!("left:{}px;top:{}px;width:{}px;height:{}px;--handle-scale:{scale}", r.x, r.y, r.width, r.height)
                >
                    {["nw", "n", "ne", "e", "se", "s", "sw", "w"].map(|edges| view! {
                        <div class=format!("frame-handle {edges}") data-handle="resize" data-edges=edges title="Drag to resize the frame"></div>
                    }).collect_view()}
                </div>
            }
        })
    }
}

/// The other people's pointers, with their names, in board coordinates (scaled back so the
/// pointer keeps its size at any zoom).
#[component]
fn Cursors(editor: Editor) -> impl IntoView {
    let scale = move || 1.0 / editor.viewport.with(|v| v.zoom);
    view! {
        <For
            each=move || editor.peers.get().into_iter().filter_map(|p| p.now.cursor.map(|c| (p.id, p.name, p.colour, c.x, c.y)))
            key=|c| (c.0, c.3.to_bits(), c.4.to_bits())
            let:c
        >
            <div
                class="peer-cursor"
                data-peer=c.0.to_string()
                style=move || format!("left:{}px;top:{}px;--peer:{};transform:scale({})", c.3, c.4, c.2, scale())
            >
                <svg width="16" height="20" viewBox="0 0 16 20" aria-hidden="true">
                    <path d="M1 1 L1 17 L5.5 12.5 L9 19 L11.5 18 L8 11.5 L14 11.5 Z" />
                </svg>
                <span class="peer-name">{c.1.clone()}</span>
            </div>
        </For>
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

fn closest_attr(el: &web_sys::Element, selector: &str, attr: &str) -> Option<String> {
    el.closest(selector)
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute(attr))
}

/// The id of the board element at or around a DOM element.
fn element_id(el: &web_sys::Element) -> Option<Id> {
    closest_attr(el, ".element[data-id]", "data-id").and_then(|s| s.parse().ok())
}

/// Whether a key press (or a copy, a paste) belongs to a text field rather than to the board.
fn typing(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

fn store_clipboard(json: &str) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(CLIPBOARD_KEY, json);
    }
}

fn load_clipboard() -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(CLIPBOARD_KEY)
        .ok()
        .flatten()
}

/// Starts a palette drag carrying the element kind.
pub fn start_palette_drag(ev: &DragEvent, kind: ElementKind) {
    if let Some(dt) = ev.data_transfer() {
        let _ = dt.set_data(KIND_MIME, kind.as_str());
        dt.set_effect_allowed("copy");
    }
}
