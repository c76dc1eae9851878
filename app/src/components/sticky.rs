use leptos::html::Textarea;
use leptos::prelude::*;

use crate::editor::Editor;
use crate::model::{Id, Op, Patch};

/// One element at its position, in its kind's colour. It reads only its own signal, so moving
/// it re-renders nothing else. Text is always escaped by Leptos: hostile labels are shown, never
/// run.
#[component]
pub fn Sticky(editor: Editor, id: Id) -> impl IntoView {
    let Some(element) = editor.element(id) else {
        return ().into_any();
    };
    let kind = element.with_untracked(|e| e.kind);
    let style = move || {
        element.with(|e| {
            format!(
                "left:{}px;top:{}px;width:{}px;height:{}px;--sticky:{}",
                e.x,
                e.y,
                e.width,
                e.height,
                kind.colour()
            )
        })
    };
    let selected = move || editor.selection.with(|s| s.contains(&id));
    // Somebody else has it selected: their colour around it.
    let peer_colour = move || {
        editor.peers.with(|peers| {
            peers
                .iter()
                .find(|p| p.selection.contains(&id))
                .map(|p| format!("--peer:{}", p.colour))
        })
    };
    let editing = move || editor.editing.get() == Some(id);
    view! {
        <div
            class=format!("element kind-{}", kind.as_str())
            class:selected=selected
            class:peer-selected=move || peer_colour().is_some()
            data-id=id.to_string()
            data-kind=kind.as_str()
            title=kind.title()
            style=move || match peer_colour() {
                Some(peer) => format!("{};{peer}", style()),
                None => style(),
            }
        >
            <Show
                when=editing
                fallback=move || view! { <span class="label">{move || element.with(|e| e.label.clone())}</span> }
            >
                <LabelEditor editor id initial=element.with_untracked(|e| e.label.clone()) />
            </Show>
            <div class="handle connect" data-handle="connect" title="Drag to another sticky to connect"></div>
            <div class="handle resize" data-handle="resize" title="Drag to resize"></div>
        </div>
    }
    .into_any()
}

/// The text editor inside a sticky: Enter or a click elsewhere saves, Shift+Enter starts a new
/// line, Escape cancels.
#[component]
fn LabelEditor(editor: Editor, id: Id, initial: String) -> impl IntoView {
    let area = NodeRef::<Textarea>::new();
    Effect::new(move |_| {
        if let Some(el) = area.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let done = StoredValue::new(false);
    let save = move || {
        // A blur also fires when the editor is removed after Enter or Escape: then `done` is
        // already set, or already disposed.
        if done.try_get_value().unwrap_or(true) {
            return;
        }
        done.set_value(true);
        if let Some(el) = area.get_untracked() {
            let label = el.value();
            let changed = editor
                .element(id)
                .is_some_and(|e| e.with_untracked(|e| e.label != label));
            if changed {
                editor.commit(vec![Op::update(
                    id,
                    Patch {
                        label: Some(label),
                        ..Patch::default()
                    },
                )]);
            }
        }
        editor.editing.set(None);
    };
    view! {
        <textarea
            class="label-editor"
            node_ref=area
            aria-label="Sticky text"
            maxlength="2000"
            on:pointerdown=|ev| ev.stop_propagation()
            on:dblclick=|ev| ev.stop_propagation()
            on:keydown=move |ev| {
                match ev.key().as_str() {
                    "Enter" if !ev.shift_key() => {
                        ev.prevent_default();
                        save();
                    }
                    "Escape" => {
                        ev.prevent_default();
                        done.set_value(true);
                        editor.editing.set(None);
                    }
                    _ => {}
                }
            }
            on:blur=move |_| save()
        >
            {initial}
        </textarea>
    }
}
