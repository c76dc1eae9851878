use leptos::prelude::*;

use crate::editor::{Editor, Rect, rect_of};
use crate::model::{Connection, Id};

/// The arrow being drawn from a sticky's handle: from where to the pointer, in board coordinates.
pub type LinkPreview = Option<((f64, f64), (f64, f64))>;

/// The arrows near the screen, in board coordinates. An arrow reads the signals of its two ends,
/// so it follows them while they are dragged; it starts and ends on their edges. Zoomed far out
/// none is in the DOM: `Blocks` paints them.
#[component]
pub fn Arrows(editor: Editor, link: RwSignal<LinkPreview>) -> impl IntoView {
    // Like the stickies, only arrows that may be seen are in the DOM: those whose two ends'
    // bounding box meets the drawn area (as the board has them), and those touching the
    // selection, which may be dragged anywhere before the board hears of it.
    let shown = Memo::new(move |_| {
        editor.version.track();
        let Some(area) = editor.drawn_area() else {
            // A painted board: the arrows of the stickies in the DOM follow them; the canvas
            // paints the others. Zoomed far out none is drawn here (CSS hides them).
            let live: Vec<Id> = editor.selection.with(|s| s.iter().copied().collect());
            let carried = editor.carried.get();
            return editor.connections.with(|all| {
                all.iter()
                    .filter(|c| {
                        [c.from, c.to]
                            .iter()
                            .any(|id| live.contains(id) || carried.contains(id))
                    })
                    .cloned()
                    .collect()
            });
        };
        editor.selection.with(|selection| {
            editor.connections.with(|all| {
                editor.with_board(|b| {
                    all.iter()
                        .filter(|c| {
                            selection.contains(&c.from)
                                || selection.contains(&c.to)
                                || b.element(c.from).zip(b.element(c.to)).is_some_and(
                                    |(from, to)| {
                                        Rect::union([rect_of(from), rect_of(to)])
                                            .is_some_and(|span| area.intersects(&span))
                                    },
                                )
                        })
                        .cloned()
                        .collect::<Vec<Connection>>()
                })
            })
        })
    });
    view! {
        <svg class="arrows" width="1" height="1">
            <defs>
                <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5"
                    markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            <For each=move || shown.get() key=|c| c.id let:connection>
                <Arrow editor connection />
            </For>
            {move || link.get().map(|((x1, y1), (x2, y2))| view! {
                <line class="link-preview" x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#arrowhead)" />
            })}
        </svg>
    }
}

#[component]
fn Arrow(editor: Editor, connection: Connection) -> impl IntoView {
    let (Some(from), Some(to)) = (
        editor.element(connection.from),
        editor.element(connection.to),
    ) else {
        return ().into_any();
    };
    let id = connection.id;
    let ends = move || {
        let a = from.with(rect_of);
        let b = to.with(rect_of);
        (a.edge_towards(b.centre()), b.edge_towards(a.centre()))
    };
    let meaning = {
        let (fk, tk) = (
            from.with_untracked(|e| e.kind),
            to.with_untracked(|e| e.kind),
        );
        fk.arrow_meaning(tk).unwrap_or("relates to")
    };
    let selected = move || editor.selection.with(|s| s.contains(&id));
    view! {
        <g class="arrow" class:selected=selected data-arrow=id.to_string()>
            <title>{meaning}</title>
            <line class="hit" x1=move || ends().0.0 y1=move || ends().0.1 x2=move || ends().1.0 y2=move || ends().1.1 />
            <line class="shaft" x1=move || ends().0.0 y1=move || ends().0.1 x2=move || ends().1.0 y2=move || ends().1.1
                marker-end="url(#arrowhead)" />
        </g>
    }
    .into_any()
}
