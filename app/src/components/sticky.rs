use leptos::html::Textarea;
use leptos::prelude::*;

use crate::editor::Editor;
use crate::i18n::{fill, kind_name, t_string, text, use_i18n};
use crate::model::{Board, ElementKind, Id, Op, Patch};
use crate::semantic::rules::{Language, Problem, Severity};

/// One element at its position, in its kind's colour. It reads only its own signal, so moving
/// it re-renders nothing else. Text is always escaped by Leptos: hostile labels are shown, never
/// run.
#[component]
pub fn Sticky(editor: Editor, id: Id) -> impl IntoView {
    let i18n = use_i18n();
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
        editor.peer_marks.with(|m| {
            m.get(&id)
                .and_then(|m| m.selected_by.as_ref())
                .map(|colour| format!("--peer:{colour}"))
        })
    };
    let editing = move || editor.editing.get() == Some(id);
    // Somebody else is typing in it: their colour and name on it, so nobody types over them.
    let typist = move || {
        editor
            .peer_marks
            .with(|m| m.get(&id).and_then(|m| m.typing.clone()))
    };
    // A frame's name grows as the board zooms out, so it stays readable (12 px or more on
    // screen); only frames follow the zoom, and only when it changes, not on every pan.
    let zoom = (kind == ElementKind::BoundedContext)
        .then(|| Memo::new(move |_| editor.viewport.with(|v| v.zoom)));
    let label_style =
        move || zoom.map(|z| format!("font-size:{:.1}px", 20.0 * (0.6 / z.get()).max(1.0)));
    // Its problems (docs/model-rules.md): a badge in the worst one's colour with their count and
    // messages. Only the stickies whose problems change re-render after a check.
    let badge = Memo::new(move |_| {
        let language = crate::i18n::language(i18n.get_locale());
        editor
            .problems
            .with(|c| editor.with_board(|board| Badge::of(c.of(id), board, language)))
    });
    view! {
        <div
            class=format!("element kind-{}", kind.as_str())
            class:selected=selected
            class:peer-selected=move || peer_colour().is_some()
            class:peer-editing=move || typist().is_some()
            data-id=id.to_string()
            data-kind=kind.as_str()
            // Tab reaches every sticky on screen; focusing one selects it, so Enter edits it
            // and the arrow keys move it.
            tabindex="0"
            aria-label=move || {
                let kind = kind_name(kind, i18n.get_locale());
                element.with(|e| format!("{kind}: {}", e.label))
            }
            on:focus=move |_| {
                if !editor.selection.with_untracked(|s| s.contains(&id)) {
                    editor.select_only([id]);
                }
            }
            title=move || kind_name(kind, i18n.get_locale())
            style=move || match (typist(), peer_colour()) {
                (Some((_, colour)), _) => format!("{};--peer:{colour}", style()),
                (None, Some(peer)) => format!("{};{peer}", style()),
                (None, None) => style(),
            }
        >
            {move || typist().map(|(name, _)| view! {
                <span class="typist" aria-live="polite">{fill(t_string!(i18n, canvas.is_typing), &[("name", &name.to_string())])}</span>
            })}
            <Show
                when=editing
                fallback=move || view! { <span class="label" style=label_style>{move || element.with(|e| e.label.clone())}</span> }
            >
                <LabelEditor editor id initial=element.with_untracked(|e| e.label.clone()) />
            </Show>
            {move || badge.get().map(|b| {
                let label = crate::i18n::count(b.count, i18n.get_locale(), t_string!(i18n, canvas.problem_badge_single), t_string!(i18n, canvas.problem_badge));
                view! {
                    <button class=format!("problem-badge {}", b.severity.as_str()) title=b.title aria-label=label
                        on:pointerdown=|ev| ev.stop_propagation()
                        on:dblclick=|ev| ev.stop_propagation()
                        on:click=move |_| {
                            editor.select_only([id]);
                            editor.problems_open.set(true);
                        }>{b.count}</button>
                }
            })}
            <div class="handle connect" data-handle="connect" title=text(move || t_string!(i18n, canvas.connect))></div>
            <div class="handle resize" data-handle="resize" title=text(move || t_string!(i18n, canvas.resize))></div>
        </div>
    }
    .into_any()
}

/// What a sticky's problem badge shows.
#[derive(Debug, Clone, PartialEq)]
struct Badge {
    /// The worst severity among them.
    severity: Severity,
    count: usize,
    /// Every message with its rule, one per line (the badge's tooltip).
    title: String,
}

impl Badge {
    fn of(problems: &[Problem], board: &Board, language: Language) -> Option<Badge> {
        let severity = problems.iter().map(|p| p.severity).min()?;
        let title = problems
            .iter()
            .map(|p| format!("{} {}", p.rule.id(), p.message_in(board, language)))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Badge {
            severity,
            count: problems.len(),
            title,
        })
    }
}

/// The text editor inside a sticky: Enter, Escape or a click elsewhere saves (as on Miro and
/// Excalidraw; a sticky just created and left empty goes away instead), Shift+Enter starts a new
/// line. Keys pressed while an
/// input method is composing (Korean, Japanese, Chinese) belong to the composition: Enter then
/// ends the syllable, it does not save half of it.
#[component]
fn LabelEditor(editor: Editor, id: Id, initial: String) -> impl IntoView {
    let i18n = use_i18n();
    let area = NodeRef::<Textarea>::new();
    Effect::new(move |_| {
        if let Some(el) = area.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let done = StoredValue::new(false);
    let close = move || {
        editor.drafting.set(false);
        editor.editing.set(None);
    };
    let save = move || {
        // A blur also fires when the editor is removed after Enter or Escape: then `done` is
        // already set, or already disposed.
        if done.try_get_value().unwrap_or(true) {
            return;
        }
        done.set_value(true);
        if let Some(el) = area.get_untracked() {
            let label = el.value();
            if label.trim().is_empty() && editor.is_fresh(id) {
                editor.discard_fresh(id);
                close();
                return;
            }
            let changed = editor
                .element(id)
                .is_some_and(|e| e.with_untracked(|e| e.label != label));
            let first_text = editor.is_fresh(id);
            if changed
                && editor.commit(vec![Op::update(
                    id,
                    Patch {
                        label: Some(label),
                        ..Patch::default()
                    },
                )])
                && first_text
            {
                // Adding a sticky and typing its text is one step to undo, not two.
                editor.join_with_creation(id);
            }
        }
        editor.settle(id);
        close();
    };
    view! {
        <textarea
            class="label-editor"
            node_ref=area
            aria-label=text(move || t_string!(i18n, canvas.sticky_text))
            maxlength="2000"
            on:pointerdown=|ev| ev.stop_propagation()
            on:dblclick=|ev| ev.stop_propagation()
            on:input=move |_| editor.drafting.set(true)
            on:keydown=move |ev| {
                if composing(&ev) {
                    return;
                }
                match ev.key().as_str() {
                    "Enter" if !ev.shift_key() => {
                        ev.prevent_default();
                        save();
                    }
                    "Escape" => {
                        ev.prevent_default();
                        save();
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

/// Whether a key press belongs to an input method's composition (keyCode 229 covers browsers
/// that end the composition before sending the keydown).
pub fn composing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.is_composing() || ev.key_code() == 229
}
