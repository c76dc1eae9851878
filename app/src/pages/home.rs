use leptos::prelude::*;
use leptos_router::components::A;

use super::recent;
use crate::api::{CreateBoard, import_board};
use crate::use_hydrated;

#[component]
pub fn HomePage() -> impl IntoView {
    let hydrated = use_hydrated();
    let create = ServerAction::<CreateBoard>::new();
    let error = move || create.value().get().and_then(Result::err).map(user_message);
    // Import: a board document (the Export panel's JSON target) read in the browser and sent to
    // the server, which validates it like live edits; the browser then opens the new board.
    let importing = RwSignal::new(false);
    let import_error = RwSignal::new(None::<String>);
    let on_import = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // The same file may be chosen again after a fix.
        input.set_value("");
        importing.set(true);
        import_error.set(None);
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            let result = match text {
                Some(text) => import_board(text).await.map_err(user_message),
                None => Err("the file could not be read".to_string()),
            };
            importing.set(false);
            match result {
                Ok(href) => {
                    let _ = window().location().set_href(&href);
                }
                Err(message) => import_error.set(Some(format!("Not imported: {message}"))),
            }
        });
    };
    let (recent_boards, set_recent_boards) = signal(Vec::new());
    Effect::new(move |_| set_recent_boards.set(recent::load()));

    view! {
        <main class="page home" data-hydrated=move || hydrated.get().to_string()>
            <header class="brand">
                <h1>"Squall"</h1>
                <p class="tagline">
                    "Event storming for the whole team: put the domain on a board together, "
                    "then turn bounded contexts into services."
                </p>
            </header>
            <section class="card">
                <h2>"New board"</h2>
                <ActionForm action=create attr:class="create-board">
                    <label for="board-title">"Title"</label>
                    <input
                        id="board-title"
                        name="title"
                        required
                        maxlength="200"
                        placeholder="Online shop: order to delivery"
                    />
                    <button
                        type="submit"
                        disabled=move || !hydrated.get() || create.pending().get()
                    >
                        "Create board"
                    </button>
                </ActionForm>
                <Show when=move || error().is_some()>
                    <p class="error" role="alert">{error}</p>
                </Show>
            </section>
            <section class="card import">
                <h2>"Import a board"</h2>
                <p class="muted">
                    "A board file exported from Squall (Export, target \"Board JSON\") becomes a new board with links of its own."
                </p>
                <label class="file-button" class:disabled=move || !hydrated.get() || importing.get()>
                    {move || if importing.get() { "Importing…" } else { "Choose a board file" }}
                    <input
                        type="file"
                        accept=".json,application/json"
                        aria-label="Board file to import"
                        disabled=move || !hydrated.get() || importing.get()
                        on:change=on_import
                    />
                </label>
                <Show when=move || import_error.get().is_some()>
                    <p class="error" role="alert">{move || import_error.get()}</p>
                </Show>
            </section>
            <section class="card recent">
                <h2>"Recent boards"</h2>
                <Show
                    when=move || !recent_boards.read().is_empty()
                    fallback=|| view! { <p class="muted">"Boards you open in this browser show up here."</p> }
                >
                    <ul>
                        <For
                            each=move || recent_boards.get()
                            key=|b| b.id.clone()
                            children=|b| view! { <li><A href=b.href()>{b.title}</A></li> }
                        />
                    </ul>
                </Show>
            </section>
        </main>
    }
}

/// What to show for a server function's error: the server's own words when it refused.
fn user_message(e: ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(message) => message,
        other => other.to_string(),
    }
}
