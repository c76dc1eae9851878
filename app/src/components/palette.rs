use leptos::ev::DragEvent;
use leptos::prelude::*;

use super::canvas::start_palette_drag;
use crate::editor::Editor;
use crate::model::ElementKind;

/// One button per element kind, in its colour: click to add one in the middle of the screen,
/// or drag it onto the board.
#[component]
pub fn Palette(editor: Editor) -> impl IntoView {
    // On a phone-sized screen the palette starts folded to its colour chips.
    let folded = RwSignal::new(false);
    Effect::new(move |_| folded.set(super::small_screen()));
    view! {
        <nav class="palette" class:folded=move || folded.get() aria-label="Palette">
            <button
                class="palette-fold"
                title=move || if folded.get() { "Show the names" } else { "Fold the palette" }
                aria-label=move || if folded.get() { "Show the names" } else { "Fold the palette" }
                aria-expanded=move || (!folded.get()).to_string()
                on:click=move |_| folded.update(|f| *f = !*f)
            >{move || if folded.get() { "»" } else { "«" }}</button>
            {ElementKind::ALL
                .into_iter()
                .map(|kind| {
                    view! {
                        <button
                            class=format!("swatch kind-{}", kind.as_str())
                            class:active=move || editor.tool.get() == kind
                            style=format!("--sticky:{}", kind.colour())
                            draggable="true"
                            title=format!("{} (click, or drag onto the board)", kind.title())
                            data-kind=kind.as_str()
                            on:dragstart=move |ev: DragEvent| start_palette_drag(&ev, kind)
                            on:click=move |_| {
                                if kind == ElementKind::BoundedContext {
                                    // Frames go around what is selected (or fit the screen).
                                    editor.frame_selection();
                                    return;
                                }
                                editor.tool.set(kind);
                                // On a phone the open palette covers half the board: it folds
                                // once a kind is picked.
                                if super::small_screen() {
                                    folded.set(true);
                                }
                                let (x, y) = editor.screen_centre();
                                let n = editor.order.with_untracked(Vec::len) % 8;
                                editor.create_at(kind, (x + 24.0 * n as f64, y + 24.0 * n as f64));
                            }
                        >
                            <span class="chip"></span>
                            <span class="name">{kind.title()}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
