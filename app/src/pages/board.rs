use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::recent::{self, RecentBoard};
use crate::api::load_board;
use crate::components::{Canvas, Minimap, Palette, Properties, Toolbar};
use crate::editor::Editor;
use crate::model::Board;
use crate::use_hydrated;

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
    let editor = Editor::new(id, board);
    let _ = seq;
    let read_only = Signal::derive(|| false);
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
            <Toolbar editor read_only />
        </header>
        <div class="board-body">
            <Palette editor />
            <Canvas editor read_only />
            <Properties editor read_only />
            <Minimap editor />
        </div>
    }
}
