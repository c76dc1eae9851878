use leptos::prelude::*;
use leptos_router::components::A;

use super::recent;
use crate::api::CreateBoard;
use crate::use_hydrated;

#[component]
pub fn HomePage() -> impl IntoView {
    let hydrated = use_hydrated();
    let create = ServerAction::<CreateBoard>::new();
    let error = move || {
        create.value().get().and_then(Result::err).map(|e| match e {
            ServerFnError::ServerError(message) => message,
            other => other.to_string(),
        })
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
