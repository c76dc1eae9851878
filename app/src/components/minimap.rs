use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::editor::{Editor, Rect, rect_of};
use crate::i18n::{t_string, text, use_i18n};
use crate::model::ElementKind;

const WIDTH: f64 = 220.0;
const HEIGHT: f64 = 150.0;
/// The least board area the map shows, about one screen at 100%: a board of one sticky is a
/// small block in the middle of the map, not a block that fills it.
const MIN_EXTENT: (f64, f64) = (1500.0, 1000.0);

/// Room left around the board, as a share of its size, so frames at the edge are not cut by the
/// map's border.
const MARGIN: f64 = 0.04;

/// `r` with a margin around it, grown around its centre to at least `MIN_EXTENT`.
fn at_least_a_screen(r: Rect) -> Rect {
    let (width, height) = (
        (r.width * (1.0 + 2.0 * MARGIN)).max(MIN_EXTENT.0),
        (r.height * (1.0 + 2.0 * MARGIN)).max(MIN_EXTENT.1),
    );
    Rect {
        x: r.x - (width - r.width) / 2.0,
        y: r.y - (height - r.height) / 2.0,
        width,
        height,
    }
}

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
        let mut all = content.get().map(at_least_a_screen).unwrap_or(Rect {
            x: 0.0,
            y: 0.0,
            width: MIN_EXTENT.0,
            height: MIN_EXTENT.1,
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
        // Every edit, not only those that move the board's edges (a sticky added inside it).
        editor.version.track();
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
    // Folded away on a phone-sized screen to start with; a button brings it back.
    let shown = RwSignal::new(true);
    let i18n = use_i18n();
    Effect::new(move |_| shown.set(!crate::components::small_screen()));
    view! {
        <Show
            when=move || shown.get()
            fallback=move || view! {
                <button class="minimap-toggle" title=text(move || t_string!(i18n, canvas.show_map)) on:click=move |_| shown.set(true)>{text(move || t_string!(i18n, canvas.map))}</button>
            }
        >
            <div class="minimap" style=format!("width:{WIDTH}px;height:{HEIGHT}px") on:click=jump aria-label=text(move || t_string!(i18n, canvas.minimap))>
                <svg class="minimap-blocks" width=WIDTH height=HEIGHT>{blocks}</svg>
                <svg class="minimap-view" width=WIDTH height=HEIGHT>{outline}</svg>
                <button
                    class="minimap-hide"
                    title=text(move || t_string!(i18n, canvas.hide_map))
                    aria-label=text(move || t_string!(i18n, canvas.hide_map))
                    on:click=move |ev| {
                        ev.stop_propagation();
                        shown.set(false);
                    }
                >"×"</button>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_board_is_shown_within_a_screens_worth_of_room() {
        let one_sticky = Rect {
            x: 100.0,
            y: 50.0,
            width: 120.0,
            height: 120.0,
        };
        let shown = at_least_a_screen(one_sticky);
        assert_eq!((shown.width, shown.height), MIN_EXTENT);
        assert_eq!(shown.centre(), one_sticky.centre());
    }

    #[test]
    fn a_large_board_is_shown_with_a_margin_around_it() {
        let big = Rect {
            x: -10.0,
            y: 0.0,
            width: 16_000.0,
            height: 8_000.0,
        };
        let shown = at_least_a_screen(big);
        assert!((shown.width - 17_280.0).abs() < 1e-6 && (shown.height - 8_640.0).abs() < 1e-6);
        assert_eq!(shown.centre(), big.centre());
    }
}
