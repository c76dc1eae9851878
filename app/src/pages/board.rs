use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::recent::{self, RecentBoard};
use crate::api::load_board;
use crate::components::{Canvas, Minimap, Palette, Properties, Toolbar};
use crate::editor::Editor;
use crate::model::Board;
use crate::use_hydrated;

/// The display name and colour this browser uses on boards.
mod identity {
    use crate::editor::Identity;

    #[cfg(feature = "hydrate")]
    const NAME_KEY: &str = "squall.name";
    #[cfg(feature = "hydrate")]
    const COLOUR_KEY: &str = "squall.colour";
    /// Pointer colours, distinct from the sticky colours.
    const COLOURS: [&str; 8] = [
        "#e11d48", "#2563eb", "#059669", "#7c3aed", "#d97706", "#0891b2", "#db2777", "#4d7c0f",
    ];

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn stored_name() -> Option<String> {
        #[cfg(feature = "hydrate")]
        {
            return storage()
                .and_then(|s| s.get_item(NAME_KEY).ok().flatten())
                .filter(|n| !n.trim().is_empty());
        }
        #[allow(unreachable_code)]
        None
    }

    pub fn remember(name: &str) {
        #[cfg(feature = "hydrate")]
        if let Some(s) = storage() {
            let _ = s.set_item(NAME_KEY, name);
        }
        let _ = name;
    }

    /// This tab's identity: the remembered name and colour, and a fresh client id.
    pub fn new(name: String) -> Identity {
        let client = crate::model::new_id();
        #[allow(unused_mut)]
        let mut colour = COLOURS[(client.as_u64_pair().1 % COLOURS.len() as u64) as usize].to_string();
        #[cfg(feature = "hydrate")]
        if let Some(s) = storage() {
            match s.get_item(COLOUR_KEY).ok().flatten() {
                Some(stored) => colour = stored,
                None => {
                    let _ = s.set_item(COLOUR_KEY, &colour);
                }
            }
        }
        Identity {
            client,
            name,
            colour,
        }
    }
}

/// Asks for a display name on the first visit; the others see it next to the pointer.
#[component]
fn NamePrompt(name: RwSignal<Option<String>>) -> impl IntoView {
    let hydrated = use_hydrated();
    let input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = input
            .get_untracked()
            .map(|i| i.value())
            .unwrap_or_default();
        let value = crate::sync::protocol::clean_name(&value);
        identity::remember(&value);
        name.set(Some(value));
    };
    view! {
        <Show when=move || hydrated.get() && name.get().is_none()>
            <div class="modal-backdrop">
                <form class="modal name-prompt" on:submit=submit>
                    <h2>"What should others call you?"</h2>
                    <p class="muted">"Your name is shown next to your pointer on this board."</p>
                    <input
                        node_ref=input
                        name="display-name"
                        aria-label="Display name"
                        placeholder="Your name"
                        maxlength="40"
                        autofocus
                        required
                    />
                    <button type="submit" class="primary">"Join the board"</button>
                </form>
            </div>
        </Show>
    }
}

/// Who else is on the board: a coloured badge with each person's initial.
#[component]
fn Peers(editor: Editor) -> impl IntoView {
    view! {
        <ul class="peers" aria-label="People on this board">
            <For each=move || editor.peers.get() key=|p| (p.id, p.name.clone(), p.colour.clone()) let:peer>
                <li
                    class="peer"
                    title=peer.name.clone()
                    data-peer-name=peer.name.clone()
                    style=format!("--peer:{}", peer.colour)
                >
                    {peer.name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default()}
                </li>
            </For>
        </ul>
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let board = Resource::new(id, load_board);
    let hydrated = use_hydrated();

    view! {
        <main class="page board-page" data-hydrated=move || hydrated.get().to_string()>
            <Suspense fallback=|| view! { <p class="muted">"Loading board…"</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(Some((board, seq))) => view! { <BoardScreen id=id() board seq /> }.into_any(),
                        Ok(None) => view! { <super::NotFound /> }.into_any(),
                        Err(e) => view! {
                            <p class="error" role="alert">{format!("Could not load the board: {e}")}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn BoardScreen(id: String, board: Board, seq: i64) -> impl IntoView {
    let remembered = RecentBoard {
        id: id.clone(),
        title: board.title().to_string(),
    };
    Effect::new(move |_| recent::remember(remembered.clone()));
    let editor = Editor::new(id, board, seq);
    let read_only = Signal::derive(|| false);
    // Who this tab is: asked once per browser, then remembered.
    let name = RwSignal::new(None::<String>);
    Effect::new(move |_| name.set(identity::stored_name()));
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        match name.get() {
            Some(name) => {
                editor.go_live(identity::new(name));
                true
            }
            None => false,
        }
    });
    on_cleanup(move || editor.stop());
    let count = move || {
        let n = editor.order.with(Vec::len);
        format!("{n} element{}", if n == 1 { "" } else { "s" })
    };
    view! {
        <Title text=move || format!("{} · Squall", editor.title.get()) />
        <header class="board-bar">
            <A href="/" attr:class="logo">"Squall"</A>
            <h1 class="board-title">{move || editor.title.get()}</h1>
            <span class="muted element-count">{count}</span>
            <Peers editor />
            <Toolbar editor read_only />
        </header>
        <NamePrompt name />
        <div class="board-body">
            <Palette editor />
            <Canvas editor read_only />
            <Properties editor read_only />
            <Minimap editor />
        </div>
    }
}
