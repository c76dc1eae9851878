use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::editor::{Editor, Rect, rect_of};
use crate::model::ElementKind;

const WIDTH: f64 = 220.0;
const HEIGHT: f64 = 150.0;

/// The whole board in miniature with the part on screen outlined; click to jump there.
#[component]
pub fn Minimap(editor: Editor) -> impl IntoView {
    // The board's extent changes only with edits, not with panning.
    let content = Memo::new(move |_| {
        editor.version.track();
        editor.with_board(|b| Rect::union(b.elements().map(rect_of)))
    });
    // The map shows the board's extent; it does not depend on the view, so panning redraws
    // only the outline, never the blocks.
    let extent = Memo::new(move |_| {
        let mut all = content.get().unwrap_or(Rect {
            x: 0.0,
            y: 0.0,
            width: 1000.0,
            height: 700.0,
        });
        let scale = (WIDTH / all.width.max(1.0)).min(HEIGHT / all.height.max(1.0));
        // Centre the board in the map: move the map's origin by half the unused room.
        all.x -= (WIDTH / scale - all.width) / 2.0;
        all.y -= (HEIGHT / scale - all.height) / 2.0;
        (all, scale)
    });
    let frame = move || {
        let v = editor.viewport.get();
        let (w, h) = editor.screen.get();
        let (all, scale) = extent.get();
        (all, scale, v.visible(w, h))
    };
    let blocks = move || {
        let (all, scale) = extent.get();
        editor.with_board(|b| {
            b.elements()
                .map(|e| {
                    let fill = if e.kind == ElementKind::BoundedContext {
                        "none"
                    } else {
                        e.kind.colour()
                    };
                    view! {
                        <rect
                            x=(e.x - all.x) * scale
                            y=(e.y - all.y) * scale
                            width=(e.width * scale).max(1.0)
                            height=(e.height * scale).max(1.0)
                            fill=fill
                            class=if e.kind == ElementKind::BoundedContext { "frame" } else { "" }
                        />
                    }
                })
                .collect_view()
        })
    };
    let outline = move || {
        let (all, scale, shown) = frame();
        view! {
            <rect class="viewport" x=(shown.x - all.x) * scale y=(shown.y - all.y) * scale
                width=shown.width * scale height=shown.height * scale />
        }
    };
    let jump = move |ev: MouseEvent| {
        let (all, scale, _) = frame();
        let target = (
            all.x + ev.offset_x() as f64 / scale,
            all.y + ev.offset_y() as f64 / scale,
        );
        let (w, h) = editor.screen.get_untracked();
        editor.viewport.update(|v| {
            v.x = w / 2.0 - target.0 * v.zoom;
            v.y = h / 2.0 - target.1 * v.zoom;
        });
    };
    // Two layers: the blocks are painted once per edit; only the small outline layer above them
    // repaints while panning (one SVG with both repainted 5,000 rects on every pan frame).
    view! {
        <div class="minimap" style=format!("width:{WIDTH}px;height:{HEIGHT}px") on:click=jump aria-label="Minimap">
            <svg class="minimap-blocks" width=WIDTH height=HEIGHT>{blocks}</svg>
            <svg class="minimap-view" width=WIDTH height=HEIGHT>{outline}</svg>
        </div>
    }
}
