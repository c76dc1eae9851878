use leptos::html::Input;
use leptos::prelude::*;

use crate::editor::{Editor, Viewport, rect_of};
use crate::i18n::{fill, number, t_string, text, use_i18n};
use crate::model::Id;

/// Ctrl+F: find stickies by their text. Enter (or ↓) goes to the next match, Shift+Enter (or ↑)
/// to the previous one, Escape closes; each match is selected and brought to the middle of the
/// screen.
#[component]
pub fn Search(editor: Editor) -> impl IntoView {
    // What is typed while the search's code is on its way goes into a box of the same look, not
    // to the board's shortcuts (where Backspace would delete the selection); the search then
    // starts from it.
    let query = RwSignal::new(String::new());
    crate::split::lazily_or(
        crate::preload!(__preload_search),
        move || search(editor, query),
        move || view! { <Waiting editor query /> }.into_any(),
    )
}

/// The search box before its code has arrived: it takes the text and Escape.
#[component]
fn Waiting(editor: Editor, query: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    view! {
        <div class="search" role="search" aria-busy="true">
            <input
                node_ref=input
                type="search"
                aria-label=text(move || t_string!(i18n, canvas.search_label))
                placeholder=text(move || t_string!(i18n, canvas.search_placeholder))
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Escape" && !super::sticky::composing(&ev) {
                        ev.prevent_default();
                        editor.searching.set(false);
                        editor.focus_canvas();
                    }
                }
            />
            <span class="search-status">{text(move || t_string!(i18n, common.loading))}</span>
        </div>
    }
}

/// The search box's code, fetched when it first opens (`crate::split`).
#[lazy]
fn search(editor: Editor, query: RwSignal<String>) -> AnyView {
    view! { <Loaded editor query /> }.into_any()
}

#[component]
fn Loaded(editor: Editor, query: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<Input>::new();
    let current = RwSignal::new(0usize);
    let matches = Memo::new(move |_| {
        editor.version.track();
        let q = query.get().trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        editor.order.with(|order| {
            editor.with_board(|b| {
                order
                    .iter()
                    .filter(|id| {
                        b.element(**id)
                            .is_some_and(|e| e.label.to_lowercase().contains(&q))
                    })
                    .copied()
                    .collect::<Vec<Id>>()
            })
        })
    });
    let show = move |i: usize| {
        let found = matches.get_untracked();
        let Some(&id) = found.get(i) else { return };
        current.set(i);
        editor.select_only([id]);
        let Some(rect) = editor.with_board(|b| b.element(id).map(rect_of)) else {
            return;
        };
        let (w, h) = editor.screen.get_untracked();
        // Keep the zoom when the match is readable at it; otherwise come close enough to read.
        let zoom = editor.viewport.get_untracked().zoom.max(0.6);
        let (cx, cy) = rect.centre();
        editor.viewport.set(Viewport {
            x: w / 2.0 - cx * zoom,
            y: h / 2.0 - cy * zoom,
            zoom,
        });
    };
    // Focus the box; text typed while the code was on its way is searched for at once, with
    // the caret after it.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            let typed = query.with_untracked(|q| q.encode_utf16().count() as u32);
            if typed == 0 {
                el.select();
            } else {
                let _ = el.set_selection_range(typed, typed);
                show(0);
            }
        }
    });
    let step = move |forward: bool| {
        let n = matches.with_untracked(Vec::len);
        if n == 0 {
            return;
        }
        let i = current.get_untracked();
        show(if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        });
    };
    let close = move || {
        editor.searching.set(false);
        editor.focus_canvas();
    };
    let status = move || match matches.with(Vec::len) {
        _ if query.with(|q| q.trim().is_empty()) => String::new(),
        0 => t_string!(i18n, canvas.no_match).to_string(),
        n => {
            let locale = i18n.get_locale();
            let i = number(current.get().min(n - 1) + 1, locale);
            let n = number(n, locale);
            fill(
                t_string!(i18n, canvas.match_of),
                &[("i", &i.to_string()), ("n", &n.to_string())],
            )
        }
    };
    view! {
        <div class="search" role="search">
            <input
                node_ref=input
                type="search"
                aria-label=text(move || t_string!(i18n, canvas.search_label))
                placeholder=text(move || t_string!(i18n, canvas.search_placeholder))
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    current.set(0);
                    show(0);
                }
                on:keydown=move |ev| {
                    if super::sticky::composing(&ev) {
                        return;
                    }
                    match ev.key().as_str() {
                        "Enter" | "ArrowDown" => {
                            ev.prevent_default();
                            step(!ev.shift_key() || ev.key() == "ArrowDown");
                        }
                        "ArrowUp" => {
                            ev.prevent_default();
                            step(false);
                        }
                        "Escape" => {
                            ev.prevent_default();
                            close();
                        }
                        _ => {}
                    }
                }
            />
            <span class="search-status" aria-live="polite">{status}</span>
            <button title=text(move || t_string!(i18n, canvas.previous_help)) aria-label=text(move || t_string!(i18n, canvas.previous)) on:click=move |_| step(false)>"↑"</button>
            <button title=text(move || t_string!(i18n, canvas.next_help)) aria-label=text(move || t_string!(i18n, canvas.next)) on:click=move |_| step(true)>"↓"</button>
            <button title=text(move || t_string!(i18n, canvas.close_help)) aria-label=text(move || t_string!(i18n, canvas.close_search)) on:click=move |_| close()>"×"</button>
        </div>
    }
}
