//! The board's drawing surface. `gestures` holds what the pointer does, `shortcuts` what the
//! keyboard and the clipboard do; this module builds the view and wires them to it.

/// Pointer gestures: select, drag, resize, connect, rubber-band, pan, pinch, double-click.
mod gestures;
/// Keyboard shortcuts, copy and paste.
mod shortcuts;

use leptos::ev::{DragEvent, PointerEvent, WheelEvent};
use leptos::html::Div;
use leptos::prelude::*;

use super::{Arrows, Blocks, LinkPreview, Sticky};
use crate::editor::{Detail, Editor, Rect, grid_tiles, rect_of};
use crate::i18n::{t_string, text, use_i18n};
use crate::model::{ElementKind, Id};
use gestures::{Gesture, Surface};

/// The most one wheel event zooms: ln(1.2).
const ZOOM_STEP: f64 = 0.1823;

/// Data type of a palette drag.
const KIND_MIME: &str = "application/x-squall-kind";

/// The board's drawing surface: frames, arrows and stickies under one pan/zoom transform.
/// Only elements near the screen are in the DOM; far out, they are drawn as plain blocks.
#[component]
pub fn Canvas(editor: Editor, #[prop(into)] read_only: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let root = NodeRef::<Div>::new();
    let gesture = StoredValue::new(Gesture::Idle);
    let band = RwSignal::new(None::<Rect>);
    let link = RwSignal::new(LinkPreview::None);
    let space_held = StoredValue::new(false);
    let touches = StoredValue::new(Vec::new());
    let surface = Surface {
        editor,
        root,
        read_only,
        gesture,
        band,
        link,
        space_held,
        touches,
    };

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
    // far out, or with many stickies on screen, everything else is painted by `Blocks` on one
    // <canvas> (docs/canvas.md): then the DOM holds the selection and, on a painted board, what
    // the pointer is over, what a drag carries and what other people mark.
    let visible = Memo::new(move |_| {
        editor.version.track();
        let Some(area) = editor.drawn_area() else {
            let mut live = editor.selection.get();
            if editor.detail.get() == Detail::Painted {
                live.extend(editor.hovered.get());
                live.extend(editor.carried.get());
                editor.peer_marks.with(|m| live.extend(m.keys().copied()));
            }
            return editor.order.with(|order| {
                order
                    .iter()
                    .filter(|id| live.contains(id))
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

    let local = move |ev: &leptos::ev::MouseEvent| surface.local(ev);
    let world = move |ev: &leptos::ev::MouseEvent| surface.world(ev);

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

    shortcuts::install(surface);

    let transform = move || {
        let v = editor.viewport.get();
        // `--unzoom`: what keeps a problem badge its size on screen when zoomed out (style/main.css).
        format!(
            "transform:translate({}px,{}px) scale({});--unzoom:{:.3}",
            v.x,
            v.y,
            v.zoom,
            (1.0 / v.zoom).clamp(1.0, 4.0)
        )
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
            class:painted=move || editor.detail.get() == Detail::Painted
            class:read-only=move || read_only.get()
            node_ref=root
            tabindex="0"
            on:pointerdown=move |ev| gestures::pointer_down(surface, ev)
            on:pointermove=move |ev| gestures::pointer_move(surface, ev)
            on:pointerup=move |ev| gestures::pointer_up(surface, ev)
            on:pointercancel=move |ev: PointerEvent| {
                touches.update_value(|t| t.retain(|(id, _)| *id != ev.pointer_id()));
                gesture.set_value(Gesture::Idle);
                band.set(None);
            }
            on:pointerleave=move |_| {
                editor.pointer_moved(None);
                editor.hovered.set(None);
            }
            on:dblclick=move |ev| gestures::double_click(surface, ev)
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
                <p class="empty-hint muted">{text(move || t_string!(i18n, canvas.empty_hint))}</p>
            })}
        </div>
    }
}

/// The eight resize handles of the one selected frame, drawn above every sticky and arrow so an
/// edge can be grabbed even where stickies overlap it; they keep their size on screen at any zoom.
#[component]
fn FrameHandles(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    // The one selected frame; the handles are built when it changes and only restyled while it
    // is resized or the view zooms (a pan changes nothing here).
    let frame = Memo::new(move |_| {
        let id = editor.selection.with(|s| match s.len() {
            1 => s.iter().next().copied(),
            _ => None,
        })?;
        let e = editor.element(id)?;
        e.with(|e| (e.kind == ElementKind::BoundedContext).then_some(id))
    });
    let zoom = Memo::new(move |_| editor.viewport.with(|v| v.zoom));
    move || {
        frame.get().map(|id| {
            let style = move || {
                let r = editor
                    .element(id)
                    .map(|e| e.with(rect_of))
                    .unwrap_or(Rect {
                        x: 0.0,
                        y: 0.0,
                        width: 0.0,
                        height: 0.0,
                    });
                format!(
                    "left:{}px;top:{}px;width:{}px;height:{}px;--handle-scale:{}",
                    r.x,
                    r.y,
                    r.width,
                    r.height,
                    1.0 / zoom.get()
                )
            };
            view! {
                <div class="frame-handles" data-frame=id.to_string() style=style>
                    {["nw", "n", "ne", "e", "se", "s", "sw", "w"].map(|edges| view! {
                        <div class=format!("frame-handle {edges}") data-handle="resize" data-edges=edges title=text(move || t_string!(i18n, canvas.resize_frame))></div>
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

/// Starts a palette drag carrying the element kind.
pub fn start_palette_drag(ev: &DragEvent, kind: ElementKind) {
    if let Some(dt) = ev.data_transfer() {
        let _ = dt.set_data(KIND_MIME, kind.as_str());
        dt.set_effect_allowed("copy");
    }
}
