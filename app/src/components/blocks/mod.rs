//! The board painted on one `<canvas>`, for the views where DOM nodes would be too many to pan
//! smoothly (docs/canvas.md): zoomed far out as coloured blocks, and with many stickies on
//! screen as stickies with their labels.

/// Line breaking of painted labels, as the DOM breaks them.
mod wrap;

use std::collections::{HashMap, HashSet};

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CanvasRenderingContext2d as Context;

use crate::editor::{Detail, Editor, Rect, Viewport, grid_tiles, rect_of};
use crate::model::{Board, Element, ElementKind, Id};

/// The font stack of the page (style/main.css).
const FONT: &str = "Inter, \"Segoe UI\", system-ui, -apple-system, sans-serif";
/// Text colour on stickies.
const INK: &str = "#1f2430";
/// Below this size on screen a label is painted as grey bars: it could not be read anyway.
const SMALLEST_TEXT: f64 = 4.0;

/// Paints every element that is not a DOM node. Zoomed far out: coloured blocks (frames as
/// outlines, arrows as thin lines) and frame names. With many stickies on screen: stickies,
/// frames and arrows as the DOM draws them, labels included. Selected, carried and
/// peer-marked elements are DOM nodes on top and are left out.
///
/// Its code (painting, tiles, label layout) is a wasm file of its own (`crate::split`),
/// fetched the first time a view needs painting: a board seen close up never loads it.
#[component]
pub fn Blocks(editor: Editor) -> impl IntoView {
    // Set after hydration only, so the server's page and the browser's first render agree.
    let wanted = RwSignal::new(false);
    Effect::new(move |_| {
        if editor.detail.get() != Detail::Dom {
            wanted.set(true);
        }
    });
    move || {
        wanted.get().then(|| {
            crate::split::lazily(crate::preload!(__preload_painter), move || painter(editor))
        })
    }
}

/// The painter's code, fetched when a view first needs it (`crate::split`).
#[lazy]
fn painter(editor: Editor) -> AnyView {
    view! { <Painter editor /> }.into_any()
}

#[component]
fn Painter(editor: Editor) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let layer = NodeRef::<leptos::html::Div>::new();
    // Whether the canvas holds a painting: with DOM nodes it is cleared once and then left
    // alone, so a pan does not make the browser composite a full-screen canvas on every frame.
    let painted = StoredValue::new(true);
    // Labels broken into lines, by element: measured once, not on every frame of a pan.
    let layouts = StoredValue::new(HashMap::<Id, Layout>::new());
    // A painted view in tiles: a pan draws the tiles it already has and paints only those that
    // come into view (software rasterising a screen of labels takes longer than a frame).
    // Owned by the effect (it holds browser objects): a store shared across threads would be
    // dropped on another worker thread after a server render.
    let mut tiles = Tiles::default();
    Effect::new(move |_| {
        editor.version.track();
        let detail = editor.detail.get();
        let v = editor.viewport.get();
        let (w, h) = editor.screen.get();
        let (Some(el), Some(layer)) = (canvas.get(), layer.get()) else {
            return;
        };
        let dpr = window().device_pixel_ratio();
        let area = v.visible(w, h);
        if detail == Detail::Blocks || painted.get_value() {
            let (cw, ch) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
            if el.width() != cw || el.height() != ch {
                el.set_width(cw);
                el.set_height(ch);
            }
            if let Some(ctx) = context_of(&el) {
                let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
                ctx.clear_rect(0.0, 0.0, w, h);
                painted.set_value(detail == Detail::Blocks);
                if detail == Detail::Blocks {
                    let selection = editor.selection.get();
                    editor.with_board(|b| paint_blocks(&ctx, b, v, area, &selection));
                }
            }
        }
        if detail != Detail::Painted {
            tiles.clear(&layer);
            return;
        }
        let mut in_dom = editor.selection.get();
        in_dom.extend(editor.carried.get());
        editor.peer_marks.with(|m| in_dom.extend(m.keys().copied()));
        // The sticky under the pointer is covered by its DOM node; a frame is not (it is
        // transparent there), so its outline and name are left to the DOM.
        if let Some(hovered) = editor.hovered.get()
            && editor
                .element(hovered)
                .is_some_and(|e| e.with(|e| e.kind == ElementKind::BoundedContext))
        {
            in_dom.insert(hovered);
        }
        // A frame in the DOM gets its white painted underneath where it is now, also while it
        // is dragged (its signal moves before the board does).
        let live: HashMap<Id, Rect> = in_dom
            .iter()
            .filter_map(|id| editor.element(*id))
            .filter_map(|e| {
                e.with(|e| (e.kind == ElementKind::BoundedContext).then(|| (e.id, rect_of(e))))
            })
            .collect();
        let scene = scene_key(v.zoom, dpr, editor.version.get_untracked(), &in_dom, &live);
        {
            let tiles = &mut tiles;
            if tiles.scene != scene || tiles.by_index.len() > MAX_TILES {
                tiles.clear(&layer);
                tiles.scene = scene;
            }
            // The tiles on screen, each painted once at this zoom; a pan only moves the layer
            // that holds them, which the browser composites without painting anything.
            let side = TILE / v.zoom;
            let first = ((-v.x / TILE).floor() as i64, (-v.y / TILE).floor() as i64);
            let last = (
                ((w - v.x) / TILE).floor() as i64,
                ((h - v.y) / TILE).floor() as i64,
            );
            for i in first.0..=last.0 {
                for j in first.1..=last.1 {
                    if tiles.by_index.contains_key(&(i, j)) {
                        continue;
                    }
                    let area = Rect {
                        x: i as f64 * side,
                        y: j as f64 * side,
                        width: side,
                        height: side,
                    };
                    let tile = new_tile(dpr, i, j);
                    if let Some(tile) = &tile
                        && let Some(tctx) = context_of(tile)
                    {
                        let _ = tctx.set_transform(
                            dpr * v.zoom,
                            0.0,
                            0.0,
                            dpr * v.zoom,
                            -area.x * v.zoom * dpr,
                            -area.y * v.zoom * dpr,
                        );
                        paper(&tctx, &v, area);
                        layouts.update_value(|layouts| {
                            editor.with_board(|b| {
                                paint_detailed(&tctx, b, v.zoom, area, &in_dom, &live, layouts);
                            });
                        });
                        let _ = layer.append_child(tile);
                    }
                    tiles.by_index.insert((i, j), tile);
                }
            }
        }
        // On whole device pixels: a tile placed between pixels blurs its labels.
        let snap = |n: f64| (n * dpr).round() / dpr;
        let _ = layer.set_attribute(
            "style",
            &format!("transform:translate({}px,{}px)", snap(v.x), snap(v.y)),
        );
    });
    view! {
        <canvas class="blocks" node_ref=canvas aria-hidden="true"></canvas>
        <div class="tiles" node_ref=layer aria-hidden="true"></div>
    }
}

/// A tile's side on screen, in CSS pixels.
const TILE: f64 = 512.0;
/// Tiles kept before the cache starts over (a 1440 × 900 screen shows 12 to 20).
const MAX_TILES: usize = 96;

/// The painted tiles of one scene (zoom, board version, DOM elements), by column and row.
#[derive(Default)]
struct Tiles {
    scene: u64,
    by_index: HashMap<(i64, i64), Option<web_sys::HtmlCanvasElement>>,
}

impl Tiles {
    /// Forgets every tile and takes them out of `layer`.
    fn clear(&mut self, layer: &web_sys::HtmlDivElement) {
        if !self.by_index.is_empty() {
            self.by_index.clear();
            layer.set_inner_html("");
        }
        self.scene = 0;
    }
}

/// What a painting depends on besides the place: when it changes, the tiles are painted anew.
fn scene_key(
    zoom: f64,
    dpr: f64,
    version: u64,
    in_dom: &HashSet<Id>,
    live: &HashMap<Id, Rect>,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (zoom.to_bits(), dpr.to_bits(), version).hash(&mut hasher);
    let mut ids: Vec<&Id> = in_dom.iter().collect();
    ids.sort();
    ids.hash(&mut hasher);
    let mut rects: Vec<(&Id, [u64; 4])> = live
        .iter()
        .map(|(id, r)| {
            (
                id,
                [
                    r.x.to_bits(),
                    r.y.to_bits(),
                    r.width.to_bits(),
                    r.height.to_bits(),
                ],
            )
        })
        .collect();
    rects.sort();
    rects.hash(&mut hasher);
    hasher.finish()
}

/// The canvas of tile (i, j), placed in the tile layer.
fn new_tile(dpr: f64, i: i64, j: i64) -> Option<web_sys::HtmlCanvasElement> {
    let tile = document()
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    let side = (TILE * dpr).round() as u32;
    tile.set_width(side);
    tile.set_height(side);
    let _ = tile.set_attribute(
        "style",
        &format!(
            "left:{}px;top:{}px;width:{TILE}px;height:{TILE}px",
            i as f64 * TILE,
            j as f64 * TILE
        ),
    );
    Some(tile)
}

fn context_of(canvas: &web_sys::HtmlCanvasElement) -> Option<Context> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<Context>().ok())
}

/// The board's paper and dot grid under a tile (`area`, board coordinates; the transform is
/// set): tiles are opaque, so on a painted view the grid layer is hidden and the browser
/// composites one screen-sized layer fewer per frame. The dots are those of `grid_tiles`.
fn paper(ctx: &Context, v: &Viewport, area: Rect) {
    ctx.set_fill_style_str("#f6f5f1");
    ctx.fill_rect(area.x, area.y, area.width, area.height);
    let (size, _) = grid_tiles(v);
    let step = size / v.zoom;
    let dot = 2.0 / v.zoom;
    ctx.set_fill_style_str("#cfcabd");
    let mut x = (area.x / step).floor() * step;
    while x < area.x + area.width {
        let mut y = (area.y / step).floor() * step;
        while y < area.y + area.height {
            ctx.fill_rect(x - dot / 2.0, y - dot / 2.0, dot, dot);
            y += step;
        }
        x += step;
    }
}

/// Zoomed far out: one colour at a time (ten passes over the board cost less than a style
/// change per sticky), in screen coordinates.
fn paint_blocks(ctx: &Context, b: &Board, v: Viewport, area: Rect, selection: &HashSet<Id>) {
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
    for kind in ElementKind::ALL {
        let frame = kind == ElementKind::BoundedContext;
        if frame {
            ctx.set_stroke_style_str("#8b93a7");
        } else {
            ctx.set_fill_style_str(if kind == ElementKind::TextNote {
                INK
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
    ctx.set_font(&format!("600 13px {FONT}"));
    for e in b
        .elements()
        .filter(|e| e.kind == ElementKind::BoundedContext && !e.label.is_empty())
    {
        let r = rect_of(e);
        if !area.intersects(&r) {
            continue;
        }
        let (x, y) = v.to_screen((r.x, r.y));
        let _ =
            ctx.fill_text_with_max_width(&e.label, x + 4.0, y - 4.0, (r.width * v.zoom).max(60.0));
    }
}

/// A label broken into lines for an element's width.
struct Layout {
    label: String,
    width: f64,
    lines: Vec<String>,
}

/// How the DOM draws a kind's label (style/main.css `.element.kind-…`): font weight and size
/// in board pixels.
fn label_font(kind: ElementKind, zoom: f64) -> (u16, f64) {
    match kind {
        ElementKind::Aggregate => (600, 17.0),
        ElementKind::Actor => (400, 13.0),
        ElementKind::TextNote => (400, 18.0),
        // A frame's name grows as the board zooms out (components/sticky.rs).
        ElementKind::BoundedContext => (700, 20.0 * (0.6 / zoom).max(1.0)),
        _ => (400, 15.0),
    }
}

/// Stickies, frames and arrows as the DOM draws them, in board coordinates (the transform is
/// set), leaving out the elements in `in_dom`.
fn paint_detailed(
    ctx: &Context,
    b: &Board,
    zoom: f64,
    area: Rect,
    in_dom: &HashSet<Id>,
    live: &HashMap<Id, Rect>,
    layouts: &mut HashMap<Id, Layout>,
) {
    let seen: Vec<&Element> = b
        .elements()
        .filter(|e| !in_dom.contains(&e.id) && area.intersects(&rect_of(e)))
        .collect();
    // Frames first, under everything: translucent white, a dashed outline, the name inside.
    // The white is painted under a frame in the DOM too (it is transparent there: CSS
    // `.painted`), or it would wash over the painted stickies inside it.
    let frames = || {
        seen.iter()
            .filter(|e| e.kind == ElementKind::BoundedContext)
    };
    ctx.set_fill_style_str("rgba(255,255,255,.55)");
    let fills = b
        .elements()
        .filter(|e| e.kind == ElementKind::BoundedContext)
        .map(|e| live.get(&e.id).copied().unwrap_or_else(|| rect_of(e)))
        .filter(|r| area.intersects(r));
    for r in fills {
        rounded(ctx, r, 12.0);
        ctx.fill();
    }
    ctx.set_stroke_style_str("#8b93a7");
    ctx.set_line_width(2.0);
    let _ = ctx.set_line_dash(&numbers(&[6.0, 4.0]));
    for e in frames() {
        rounded(ctx, rect_of(e), 12.0);
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&numbers(&[]));
    // The arrows, under the stickies as in the DOM.
    ctx.set_stroke_style_str("#4b5563");
    ctx.set_fill_style_str("#4b5563");
    ctx.set_line_width(1.6);
    for c in b.connections() {
        if in_dom.contains(&c.from) || in_dom.contains(&c.to) {
            continue;
        }
        let (Some(from), Some(to)) = (b.element(c.from), b.element(c.to)) else {
            continue;
        };
        let (a, z) = (rect_of(from), rect_of(to));
        if Rect::union([a, z]).is_none_or(|span| !area.intersects(&span)) {
            continue;
        }
        arrow(ctx, a.edge_towards(z.centre()), z.edge_towards(a.centre()));
    }
    // Stickies, one kind at a time so the colour and the font change ten times, not per sticky.
    for kind in ElementKind::ALL {
        if kind == ElementKind::BoundedContext {
            continue;
        }
        let of_kind = || seen.iter().filter(move |e| e.kind == kind);
        if kind != ElementKind::TextNote {
            ctx.set_fill_style_str(kind.colour());
            for e in of_kind() {
                let r = rect_of(e);
                match kind {
                    ElementKind::Actor => actor_shape(ctx, r),
                    ElementKind::Hotspot => {
                        ctx.save();
                        let (cx, cy) = r.centre();
                        let _ = ctx.translate(cx, cy);
                        let _ = ctx.rotate(-3f64.to_radians());
                        ctx.fill_rect(-r.width / 2.0, -r.height / 2.0, r.width, r.height);
                        ctx.restore();
                        continue;
                    }
                    _ => rounded(ctx, r, 2.0),
                }
                ctx.fill();
            }
        }
        paint_labels(ctx, of_kind(), kind, zoom, layouts);
    }
    for e in frames() {
        paint_labels(
            ctx,
            std::iter::once(e),
            ElementKind::BoundedContext,
            zoom,
            layouts,
        );
    }
}

/// The labels of `elements` (all of `kind`), centred as the DOM centres them (a frame's and a
/// text's at the top left), clipped to the element's height.
fn paint_labels<'a>(
    ctx: &Context,
    elements: impl Iterator<Item = &'a &'a Element>,
    kind: ElementKind,
    zoom: f64,
    layouts: &mut HashMap<Id, Layout>,
) {
    let (weight, size) = label_font(kind, zoom);
    let line_height = size * 1.25;
    let on_screen = size * zoom;
    ctx.set_font(&format!("{weight} {size:.1}px {FONT}"));
    ctx.set_fill_style_str(if kind == ElementKind::Hotspot {
        "#0b0d12"
    } else if kind == ElementKind::BoundedContext {
        "#414a5e"
    } else {
        INK
    });
    let centred = !matches!(kind, ElementKind::BoundedContext | ElementKind::TextNote);
    ctx.set_text_align(if centred { "center" } else { "left" });
    ctx.set_text_baseline("middle");
    for e in elements {
        if e.label.is_empty() {
            continue;
        }
        let r = rect_of(e);
        // 10 px of padding on every side, as `.element`.
        let inner = (r.width - 20.0).max(1.0);
        let layout = layouts.entry(e.id).or_insert_with(|| Layout {
            label: String::new(),
            width: f64::NAN,
            lines: Vec::new(),
        });
        if layout.label != e.label || layout.width != inner {
            layout.lines = wrap::wrap(&e.label, inner, &mut |s| {
                ctx.measure_text(s).map(|m| m.width()).unwrap_or(0.0)
            });
            layout.label.clone_from(&e.label);
            layout.width = inner;
        }
        let fits = (((r.height - 20.0) / line_height).floor().max(1.0)) as usize;
        let lines = &layout.lines[..layout.lines.len().min(fits)];
        let block = lines.len() as f64 * line_height;
        let top = if centred {
            r.y + r.height / 2.0 - block / 2.0
        } else {
            r.y + 10.0
        };
        let x = if centred {
            r.x + r.width / 2.0
        } else {
            r.x + 10.0
        };
        if kind == ElementKind::Hotspot {
            ctx.save();
            let (cx, cy) = r.centre();
            let _ = ctx.translate(cx, cy);
            let _ = ctx.rotate(-3f64.to_radians());
            let _ = ctx.translate(-cx, -cy);
        }
        for (i, line) in lines.iter().enumerate() {
            let y = top + (i as f64 + 0.5) * line_height;
            if on_screen >= SMALLEST_TEXT {
                let _ = ctx.fill_text(line, x, y);
            } else {
                // Too small to read: a bar where the line is.
                let width = line.chars().count() as f64 * size * 0.5;
                let width = width.min(inner);
                let left = if centred { x - width / 2.0 } else { x };
                ctx.fill_rect(left, y - size * 0.25, width, size * 0.5);
            }
        }
        if kind == ElementKind::Hotspot {
            ctx.restore();
        }
    }
}

/// A rectangle with rounded corners, as the current path.
fn rounded(ctx: &Context, r: Rect, radius: f64) {
    let radius = radius.min(r.width / 2.0).min(r.height / 2.0);
    ctx.begin_path();
    ctx.move_to(r.x + radius, r.y);
    let _ = ctx.arc_to(r.x + r.width, r.y, r.x + r.width, r.y + r.height, radius);
    let _ = ctx.arc_to(r.x + r.width, r.y + r.height, r.x, r.y + r.height, radius);
    let _ = ctx.arc_to(r.x, r.y + r.height, r.x, r.y, radius);
    let _ = ctx.arc_to(r.x, r.y, r.x + r.width, r.y, radius);
    ctx.close_path();
}

/// An actor's sticky: rounded on top like a head (`border-radius: 50% 50% 6px 6px`).
fn actor_shape(ctx: &Context, r: Rect) {
    let (rx, ry) = (r.width / 2.0, r.height / 2.0);
    ctx.begin_path();
    let _ = ctx.ellipse(
        r.x + rx,
        r.y + ry,
        rx,
        ry,
        0.0,
        std::f64::consts::PI,
        2.0 * std::f64::consts::PI,
    );
    let corner = 6.0_f64.min(rx).min(ry);
    let _ = ctx.arc_to(r.x + r.width, r.y + r.height, r.x, r.y + r.height, corner);
    let _ = ctx.arc_to(r.x, r.y + r.height, r.x, r.y + ry, corner);
    ctx.close_path();
}

/// An arrow from `a` to `z` with its head at `z`, as the DOM's arrow marker.
fn arrow(ctx: &Context, a: (f64, f64), z: (f64, f64)) {
    ctx.begin_path();
    ctx.move_to(a.0, a.1);
    ctx.line_to(z.0, z.1);
    ctx.stroke();
    let (dx, dy) = (z.0 - a.0, z.1 - a.1);
    let length = (dx * dx + dy * dy).sqrt();
    if length < 1.0 {
        return;
    }
    let (ux, uy) = (dx / length, dy / length);
    // The marker: 7 stroke widths long and wide (markerWidth 7, stroke 1.6).
    let (head, half) = (11.2, 5.6);
    let base = (z.0 - ux * head, z.1 - uy * head);
    ctx.begin_path();
    ctx.move_to(z.0, z.1);
    ctx.line_to(base.0 - uy * half, base.1 + ux * half);
    ctx.line_to(base.0 + uy * half, base.1 - ux * half);
    ctx.close_path();
    ctx.fill();
}

/// A JavaScript array of numbers (a line dash).
fn numbers(values: &[f64]) -> JsValue {
    values
        .iter()
        .map(|v| JsValue::from_f64(*v))
        .collect::<js_sys::Array>()
        .into()
}
