use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::editor::{Editor, rect_of};
use crate::model::ElementKind;

/// Zoomed far out, thousands of stickies would be thousands of DOM nodes to lay out on every
/// frame of a pan. Instead they are painted here as coloured blocks (frames as outlines, arrows
/// as thin lines) in one pass per frame. Selected stickies stay in the DOM, drawn on top.
#[component]
pub fn Blocks(editor: Editor) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    // Whether the canvas holds a painting: zoomed in, it is cleared once and then left alone, so
    // a pan does not make the browser composite a full-screen canvas on every frame.
    let painted = StoredValue::new(true);
    Effect::new(move |_| {
        editor.version.track();
        let v = editor.viewport.get();
        let (w, h) = editor.screen.get();
        let Some(el) = canvas.get() else { return };
        if v.detailed() && !painted.get_value() {
            return;
        }
        let dpr = window().device_pixel_ratio();
        let (cw, ch) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
        if el.width() != cw || el.height() != ch {
            el.set_width(cw);
            el.set_height(ch);
        }
        let Some(ctx) = el
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, w, h);
        painted.set_value(!v.detailed());
        if v.detailed() {
            return;
        }
        let selection = editor.selection.get_untracked();
        let area = v.visible(w, h);
        editor.with_board(|b| {
            ctx.set_stroke_style_str("#8b93a7");
            ctx.set_line_width(1.0);
            ctx.begin_path();
            for c in b.connections() {
                if let (Some(from), Some(to)) = (b.element(c.from), b.element(c.to)) {
                    let (a, z) = (
                        v.to_screen(rect_of(from).centre()),
                        v.to_screen(rect_of(to).centre()),
                    );
                    ctx.move_to(a.0, a.1);
                    ctx.line_to(z.0, z.1);
                }
            }
            ctx.stroke();
            // One colour at a time: ten passes over the board cost less than a style change per
            // sticky.
            for kind in ElementKind::ALL {
                let frame = kind == ElementKind::BoundedContext;
                if frame {
                    ctx.set_stroke_style_str("#8b93a7");
                } else {
                    ctx.set_fill_style_str(if kind == ElementKind::TextNote {
                        "#1f2430"
                    } else {
                        kind.colour()
                    });
                }
                for e in b
                    .elements()
                    .filter(|e| e.kind == kind && !selection.contains(&e.id))
                {
                    let r = rect_of(e);
                    if !area.intersects(&r) {
                        continue;
                    }
                    let (x, y) = v.to_screen((r.x, r.y));
                    let (rw, rh) = (r.width * v.zoom, r.height * v.zoom);
                    if frame {
                        ctx.stroke_rect(x, y, rw, rh);
                    } else if kind == ElementKind::TextNote {
                        ctx.fill_rect(x, y + rh / 2.0, rw, 1.0_f64.max(rh / 8.0));
                    } else {
                        ctx.fill_rect(x, y, rw.max(1.0), rh.max(1.0));
                    }
                }
            }
            // A frame's name stays readable at any zoom: painted at a fixed screen size.
            ctx.set_fill_style_str("#414a5e");
            ctx.set_font("600 13px system-ui, sans-serif");
            for e in b
                .elements()
                .filter(|e| e.kind == ElementKind::BoundedContext && !e.label.is_empty())
            {
                let r = rect_of(e);
                if !area.intersects(&r) {
                    continue;
                }
                let (x, y) = v.to_screen((r.x, r.y));
                let _ = ctx.fill_text_with_max_width(
                    &e.label,
                    x + 4.0,
                    y - 4.0,
                    (r.width * v.zoom).max(60.0),
                );
            }
        });
    });
    view! { <canvas class="blocks" node_ref=canvas aria-hidden="true"></canvas> }
}
