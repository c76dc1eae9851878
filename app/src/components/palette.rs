use leptos::ev::DragEvent;
use leptos::prelude::*;

use super::canvas::start_palette_drag;
use crate::editor::Editor;
use crate::i18n::{fill, kind_name, t_string, text, use_i18n};
use crate::model::ElementKind;

/// One button per element kind, in its colour: click to add one in the middle of the screen,
/// or drag it onto the board.
#[component]
pub fn Palette(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    // On a phone-sized screen the palette starts folded to its colour chips.
    let folded = RwSignal::new(false);
    let fold_label = move |folded: bool| {
        if folded {
            t_string!(i18n, canvas.show_names)
        } else {
            t_string!(i18n, canvas.fold_palette)
        }
    };
    Effect::new(move |_| folded.set(super::small_screen()));
    view! {
        <nav class="palette" class:folded=move || folded.get() aria-label=text(move || t_string!(i18n, canvas.palette))>
            <button
                class="palette-fold"
                title=move || fold_label(folded.get())
                aria-label=move || fold_label(folded.get())
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
                            title=move || {
                                let kind = kind_name(kind, i18n.get_locale());
                                fill(t_string!(i18n, canvas.palette_item), &[("kind", &kind.to_string())])
                            }
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
                            <span class="name">{move || kind_name(kind, i18n.get_locale())}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
