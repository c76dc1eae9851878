//! The board's keyboard: shortcuts (zoom, undo, delete, nudge, connect, frame, search) and copy
//! and paste through the system clipboard. Keys typed into a text field, or into an input
//! method's composition, are left to it.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::gestures::Surface;

/// localStorage key of the copy buffer, shared by every board of this browser.
const CLIPBOARD_KEY: &str = "squall.clipboard";

/// Listens to the window's keys, copy and paste while the canvas is on the page.
pub fn install(s: Surface) {
    let Surface {
        editor,
        read_only,
        space_held,
        ..
    } = s;
    let keydown = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if typing(&ev) || crate::components::composing(&ev) {
            return;
        }
        let ctrl = ev.ctrl_key() || ev.meta_key();
        let key = ev.key();
        let handled = match key.as_str() {
            " " => {
                space_held.set_value(true);
                true
            }
            "+" | "=" => {
                editor.zoom_by(1.25);
                true
            }
            "-" | "_" if !ctrl => {
                editor.zoom_by(0.8);
                true
            }
            "!" => {
                editor.zoom_to_fit();
                true
            }
            "@" => {
                editor.zoom_to_selection();
                true
            }
            "f" | "F" if ctrl => {
                editor.searching.set(true);
                true
            }
            // Escape clears the selection first; with nothing selected it closes the Problems
            // panel (whose own Escape needs the focus inside it).
            "Escape" => {
                let idle = editor.editing.get_untracked().is_none()
                    && editor.selection.with_untracked(|s| s.is_empty());
                if idle && editor.problems_open.get_untracked() {
                    editor.problems_open.set(false);
                } else {
                    editor.select_only([]);
                    editor.editing.set(None);
                }
                true
            }
            _ if read_only.get_untracked() => false,
            "Delete" | "Backspace" => {
                editor.delete_selection();
                true
            }
            "Enter" => match editor.selected_elements().as_slice() {
                [id] => {
                    editor.editing.set(Some(*id));
                    true
                }
                _ => false,
            },
            "z" | "Z" if ctrl => {
                if ev.shift_key() {
                    editor.redo()
                } else {
                    editor.undo()
                }
                true
            }
            "y" | "Y" if ctrl => {
                editor.redo();
                true
            }
            "a" | "A" if ctrl => {
                editor.select_all();
                true
            }
            // Ctrl+C and Ctrl+V are the browser's: the copy and paste events below.
            "d" | "D" if ctrl => {
                if let Some(json) = editor.copy_selection() {
                    editor.paste(&json, None);
                }
                true
            }
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" if !ctrl => {
                let step = if ev.shift_key() { 24.0 } else { 4.0 };
                let (dx, dy) = match key.as_str() {
                    "ArrowLeft" => (-step, 0.0),
                    "ArrowRight" => (step, 0.0),
                    "ArrowUp" => (0.0, -step),
                    _ => (0.0, step),
                };
                editor.nudge(dx, dy)
            }
            "l" | "L" if !ctrl => editor.connect_in_order(),
            "f" | "F" if !ctrl => editor.frame_selection().is_some(),
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    // Copy and paste go through the system clipboard (another board, another tab, a text
    // editor), with this browser's localStorage as a fallback where the page may not read it.
    let copy = window_event_listener(leptos::ev::copy, move |ev: web_sys::ClipboardEvent| {
        if typing(&ev) {
            return;
        }
        let Some(json) = editor.copy_selection() else {
            return;
        };
        store_clipboard(&json);
        if let Some(data) = ev.clipboard_data() {
            let _ = data.set_data("text/plain", &json);
            ev.prevent_default();
        }
    });
    let paste = window_event_listener(leptos::ev::paste, move |ev: web_sys::ClipboardEvent| {
        if typing(&ev) || read_only.get_untracked() {
            return;
        }
        let text = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
            .filter(|t| !t.trim().is_empty())
            .or_else(load_clipboard);
        let Some(text) = text else { return };
        ev.prevent_default();
        let at = editor.pointer().or_else(|| Some(editor.screen_centre()));
        // Stickies copied from a board; any other text becomes a sticky of the current kind.
        if !editor.paste(&text, at) {
            editor.create_text_sticky(&text, at.unwrap_or_default());
        }
    });
    let keyup = window_event_listener(leptos::ev::keyup, move |ev: KeyboardEvent| {
        if ev.key() == " " {
            space_held.set_value(false);
        }
    });
    on_cleanup(move || {
        keydown.remove();
        keyup.remove();
        copy.remove();
        paste.remove();
    });
}

/// Whether a key press (or a copy, a paste) belongs to a text field or an open dialog (Share,
/// Export, the search bar) rather than to the board: arrow keys or Delete pressed there must not
/// move or delete stickies behind it.
fn typing(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el
                    .closest("[role=dialog], [role=search]")
                    .ok()
                    .flatten()
                    .is_some()
        })
}

fn store_clipboard(json: &str) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(CLIPBOARD_KEY, json);
    }
}

fn load_clipboard() -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(CLIPBOARD_KEY)
        .ok()
        .flatten()
}
