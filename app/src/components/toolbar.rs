use leptos::prelude::*;

use crate::editor::{Editor, SaveState};

/// Zoom controls with the zoom level, undo/redo, and whether the board is saved.
#[component]
pub fn Toolbar(editor: Editor, #[prop(into)] read_only: Signal<bool>) -> impl IntoView {
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
        SaveState::Saved if editor.drafting.get() => ("saving", "Typing…".to_string()),
        SaveState::Saved => ("saved", "All changes saved".to_string()),
        SaveState::Saving => ("saving", "Saving…".to_string()),
        SaveState::Offline(0) => ("offline", "Offline · reconnecting…".to_string()),
        SaveState::Offline(n) => (
            "offline",
            format!(
                "Offline · {n} change{} kept, reconnecting…",
                if n == 1 { "" } else { "s" }
            ),
        ),
        SaveState::Error(message) => ("error", format!("Not saved: {message}")),
        // The banner on the board says why; the bar only says what it means.
        SaveState::Closed(_) => ("error closed", "Read-only".to_string()),
    };
    view! {
        <div class="toolbar" role="toolbar">
            <Show when=move || !read_only.get()>
                <button title="Undo (Ctrl+Z)" on:click=move |_| editor.undo()>"↶"</button>
                <button title="Redo (Ctrl+Shift+Z)" on:click=move |_| editor.redo()>"↷"</button>
                <button
                    class="snap"
                    class:on=move || editor.snap.get()
                    aria-pressed=move || editor.snap.get().to_string()
                    title="Snap to the grid while dragging (hold Alt for the opposite)"
                    on:click=move |_| editor.snap.update(|s| *s = !*s)
                >
                    "Snap"
                </button>
            </Show>
            <button class="zoom-out" title="Zoom out (-)" on:click=move |_| editor.zoom_by(0.8)>"−"</button>
            <span class="zoom-level" aria-label="Zoom level">{zoom}</span>
            <button class="zoom-in" title="Zoom in (+)" on:click=move |_| editor.zoom_by(1.25)>"+"</button>
            <button title="Zoom to fit (Shift+1)" on:click=move |_| editor.zoom_to_fit()>"Fit"</button>
            <span class=move || format!("save-state {}", status().0) role="status">{move || status().1}</span>
            <Show when=move || editor.notice.with(Option::is_some)>
                <span class="notice" role="status">{move || editor.notice.get()}</span>
            </Show>
        </div>
    }
}
