use leptos::prelude::*;

use crate::editor::{Editor, rect_of};
use crate::model::Connection;

/// Every arrow, in board coordinates. An arrow reads the signals of its two ends, so it follows
/// them while they are dragged; it starts and ends on their edges.
#[component]
pub fn Arrows(editor: Editor, link: RwSignal<Option<((f64, f64), (f64, f64))>>) -> impl IntoView {
    view! {
        <svg class="arrows" width="1" height="1">
            <defs>
                <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5"
                    markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            <For each=move || editor.connections.get() key=|c| c.id let:connection>
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
