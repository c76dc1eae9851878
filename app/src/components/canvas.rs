use leptos::prelude::*;

use super::Sticky;
use crate::model::{Board, Element, ElementKind};

/// Space left around the board's content.
const MARGIN: f64 = 40.0;

/// Draws the whole board: frames first, then arrows, then stickies on top.
#[component]
pub fn Canvas(board: Board) -> impl IntoView {
    let empty = board.elements().len() == 0;
    let (min_x, min_y, max_x, max_y) = bounds(board.elements());
    let shift = format!(
        "transform:translate({}px,{}px)",
        MARGIN - min_x,
        MARGIN - min_y
    );
    let size = format!(
        "width:{}px;height:{}px",
        max_x - min_x + 2.0 * MARGIN,
        max_y - min_y + 2.0 * MARGIN
    );

    let mut elements: Vec<Element> = board.elements().cloned().collect();
    elements.sort_by_key(|e| e.kind != ElementKind::BoundedContext);
    let arrows: Vec<_> = board
        .connections()
        .filter_map(|c| {
            let (from, to) = (board.element(c.from)?, board.element(c.to)?);
            Some((c.id.to_string(), centre(from), centre(to)))
        })
        .collect();

    view! {
        <div class="canvas" style=size>
            <div class="world" style=shift>
                <svg class="arrows" width="1" height="1">
                    <defs>
                        <marker id="arrowhead" viewBox="0 0 10 10" refX="10" refY="5"
                            markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" />
                        </marker>
                    </defs>
                    {arrows
                        .into_iter()
                        .map(|(id, (x1, y1), (x2, y2))| view! {
                            <line data-id=id x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#arrowhead)" />
                        })
                        .collect_view()}
                </svg>
                {elements.into_iter().map(|element| view! { <Sticky element /> }).collect_view()}
            </div>
            {empty.then(|| view! { <p class="empty-hint muted">"This board is empty."</p> })}
        </div>
    }
}

fn centre(e: &Element) -> (f64, f64) {
    (e.x + e.width / 2.0, e.y + e.height / 2.0)
}

/// The box around every element, or a small empty box at the origin.
fn bounds<'a>(elements: impl Iterator<Item = &'a Element>) -> (f64, f64, f64, f64) {
    elements
        .fold(None, |acc: Option<(f64, f64, f64, f64)>, e| {
            let (x0, y0, x1, y1) = acc.unwrap_or((e.x, e.y, e.x + e.width, e.y + e.height));
            Some((
                x0.min(e.x),
                y0.min(e.y),
                x1.max(e.x + e.width),
                y1.max(e.y + e.height),
            ))
        })
        .unwrap_or((0.0, 0.0, 400.0, 300.0))
}
