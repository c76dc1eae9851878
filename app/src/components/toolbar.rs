use leptos::prelude::*;

use crate::editor::{Editor, Notice, SaveState};
use crate::i18n::{count, fill, t_string, text, use_i18n};

/// Zoom controls with the zoom level, undo/redo, and whether the board is saved.
#[component]
pub fn Toolbar(editor: Editor, #[prop(into)] read_only: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    // A notice shows for a few seconds.
    Effect::new(move |_| {
        if let Some(shown) = editor.notice.get() {
            // Only this notice goes: a newer one keeps its own four seconds.
            set_timeout(
                move || {
                    if editor.notice.get_untracked().as_ref() == Some(&shown) {
                        editor.notice.set(None);
                    }
                },
                std::time::Duration::from_secs(4),
            );
        }
    });
    let zoom = move || format!("{:.0}%", editor.viewport.with(|v| v.zoom * 100.0));
    let status = move || match editor.save.get() {
        // Text typed in a field that is not committed yet is not saved either.
        SaveState::Saved if editor.drafting.get() => {
            ("saving", t_string!(i18n, canvas.typing).to_string())
        }
        SaveState::Saved => ("saved", t_string!(i18n, canvas.saved).to_string()),
        SaveState::Saving => ("saving", t_string!(i18n, canvas.saving).to_string()),
        SaveState::Offline(0) => ("offline", t_string!(i18n, canvas.offline).to_string()),
        SaveState::Offline(n) => {
            let text = count(
                n,
                i18n.get_locale(),
                t_string!(i18n, canvas.offline_kept_single),
                t_string!(i18n, canvas.offline_kept_many),
            );
            ("offline", text.to_string())
        }
        SaveState::Error(message) => (
            "error",
            fill(
                t_string!(i18n, canvas.not_saved),
                &[("message", &message.to_string())],
            ),
        ),
        // The banner on the board says why; the bar only says what it means.
        SaveState::Closed(_) => (
            "error closed",
            t_string!(i18n, canvas.read_only).to_string(),
        ),
    };
    let notice = move || {
        editor.notice.get().map(|notice| match notice {
            Notice::NotUndone => t_string!(i18n, canvas.not_undone),
            Notice::PartlyUndone => t_string!(i18n, canvas.partly_undone),
        })
    };
    view! {
        <div class="toolbar" role="toolbar">
            <Show when=move || !read_only.get()>
                <button title=text(move || t_string!(i18n, canvas.undo)) on:click=move |_| editor.undo()>"↶"</button>
                <button title=text(move || t_string!(i18n, canvas.redo)) on:click=move |_| editor.redo()>"↷"</button>
                <button
                    class="snap"
                    class:on=move || editor.snap.get()
                    aria-pressed=move || editor.snap.get().to_string()
                    title=text(move || t_string!(i18n, canvas.snap_help))
                    on:click=move |_| editor.snap.update(|s| *s = !*s)
                >
                    {text(move || t_string!(i18n, canvas.snap))}
                </button>
            </Show>
            <button class="zoom-out" title=text(move || t_string!(i18n, canvas.zoom_out)) on:click=move |_| editor.zoom_by(0.8)>"−"</button>
            <span class="zoom-level" aria-label=text(move || t_string!(i18n, canvas.zoom_level))>{zoom}</span>
            <button class="zoom-in" title=text(move || t_string!(i18n, canvas.zoom_in)) on:click=move |_| editor.zoom_by(1.25)>"+"</button>
            <button title=text(move || t_string!(i18n, canvas.fit_help)) on:click=move |_| editor.zoom_to_fit()>{text(move || t_string!(i18n, canvas.fit))}</button>
            <span class=move || format!("save-state {}", status().0) role="status">{move || status().1}</span>
            <Show when=move || editor.notice.with(Option::is_some)>
                <span class="notice" role="status">{notice}</span>
            </Show>
        </div>
    }
}
