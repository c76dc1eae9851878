use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;
use leptos_router::{LazyRoute, lazy_route};

use super::recent;
use crate::api::{CreateBoard, import_board, refusal_in_query};
use crate::i18n::{LanguageSwitch, fill, t, t_string, td_string, text, use_i18n};
use crate::use_hydrated;

/// The home page as a route whose code is a wasm file of its own (`crate::split`): a board's
/// first visit does not load it, and the home page's view waits for it (the server names the
/// file in the page, so the browser fetches it beside the main one).
#[derive(Debug)]
pub struct Home;

#[lazy_route]
impl LazyRoute for Home {
    fn data() -> Self {
        Home
    }

    fn view(_this: Self) -> AnyView {
        view! { <HomePage /> }.into_any()
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let hydrated = use_hydrated();
    // Create: a plain HTML form posted to the server function, which answers with a redirect to
    // the new board (or back here with its refusal in the address): it works before the page
    // has hydrated and costs the page no wasm (BENCHMARKS.md). Once hydrated, the button waits
    // for the answer (no second board from a double click) and wakes up when the browser brings
    // this page back from its history.
    let creating = RwSignal::new(false);
    let query = use_query_map();
    let create_error =
        Memo::new(move |_| query.with(|q| q.get("__err").and_then(|e| refusal_in_query(&e))));
    let back = window_event_listener(leptos::ev::pageshow, move |_| creating.set(false));
    on_cleanup(move || back.remove());
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
        // Larger than any request the server reads: say so without uploading it (the server
        // refuses files over its own import limit, 8 MB by default, with the sizes).
        const MAX_MB: f64 = 16.0;
        let mb = file.size() / (1024.0 * 1024.0);
        if mb > MAX_MB {
            let locale = i18n.get_locale_untracked();
            let message = fill(
                td_string!(locale, home.too_large),
                &[
                    ("size", &format!("{mb:.1}")),
                    ("max", &format!("{MAX_MB:.0}")),
                ],
            );
            import_error.set(Some(fill(
                td_string!(locale, home.not_imported),
                &[("message", &message)],
            )));
            return;
        }
        importing.set(true);
        import_error.set(None);
        let locale = i18n.get_locale_untracked();
        let file_name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            let result = match text {
                Some(text) => import_board(text, file_name).await.map_err(user_message),
                None => Err(td_string!(locale, home.unreadable).to_string()),
            };
            importing.set(false);
            match result {
                Ok(href) => {
                    let _ = window().location().set_href(&href);
                }
                Err(message) => import_error.set(Some(fill(
                    td_string!(locale, home.not_imported),
                    &[("message", &message.to_string())],
                ))),
            }
        });
    };
    let (recent_boards, set_recent_boards) = signal(Vec::new());
    Effect::new(move |_| set_recent_boards.set(recent::load()));

    view! {
        // The create form's refusal comes back through the address it was posted from (server_fn
        // reads the Referer): this page's address holds no key, unlike a board's, so it may go
        // to this site (the server's default is no-referrer).
        <Meta name="referrer" content="same-origin" />
        <main class="page home" data-hydrated=move || hydrated.get().to_string()>
            <header class="brand">
                <h1>"Squall"</h1>
                <LanguageSwitch />
                <p class="tagline">
                    {t!(i18n, home.tagline_1)}
                    {t!(i18n, home.tagline_2)}
                </p>
            </header>
            <section class="card">
                <h2>{text(move || t_string!(i18n, home.new_board))}</h2>
                <form class="create-board" method="post" action=CreateBoard::url() on:submit=move |_| creating.set(true)>
                    <label for="board-title">{text(move || t_string!(i18n, home.title))}</label>
                    <input
                        id="board-title"
                        name="title"
                        required
                        maxlength="200"
                        placeholder=text(move || t_string!(i18n, home.title_placeholder))
                    />
                    <button type="submit" disabled=move || creating.get()>
                        {text(move || t_string!(i18n, home.create))}
                    </button>
                </form>
                <Show when=move || create_error.get().is_some()>
                    <p class="error" role="alert">{move || create_error.get()}</p>
                </Show>
            </section>
            <section class="card import">
                <h2>{text(move || t_string!(i18n, home.import))}</h2>
                <p class="muted">
                    {text(move || t_string!(i18n, home.import_help))}
                </p>
                <label class="file-button" class:disabled=move || !hydrated.get() || importing.get()>
                    {move || if importing.get() { t_string!(i18n, home.importing) } else { t_string!(i18n, home.choose_file) }}
                    <input
                        type="file"
                        accept=".json,application/json,.sql,.yaml,.yml"
                        aria-label=text(move || t_string!(i18n, home.file_label))
                        disabled=move || !hydrated.get() || importing.get()
                        on:change=on_import
                    />
                </label>
                <Show when=move || import_error.get().is_some()>
                    <p class="error" role="alert">{move || import_error.get()}</p>
                </Show>
            </section>
            <section class="card recent">
                <h2>{text(move || t_string!(i18n, home.recent))}</h2>
                <Show
                    when=move || !recent_boards.read().is_empty()
                    fallback=move || view! { <p class="muted">{text(move || t_string!(i18n, home.recent_empty))}</p> }
                >
                    <ul>
                        // Plain links: the board is a page load away (its code is cached) and
                        // the list does not change while it is shown.
                        {move || recent_boards.get().into_iter().map(|b| {
                            let opened = b.opened_at.map(|at| {
                                let date = move || crate::i18n::date(at, i18n.get_locale());
                                view! { <span class="muted opened">{move || fill(t_string!(i18n, home.opened), &[("date", &date())])}</span> }
                            });
                            view! { <li><a href=b.href()>{b.title.clone()}</a>" "{opened}</li> }
                        }).collect_view()}
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
