//! The home page: create a board, import one, reopen a recent one. The server renders it and the
//! browser does not hydrate it: a first visit loads no WebAssembly (BENCHMARKS.md). Creating a
//! board is a plain HTML form; importing, the recent boards (this browser's localStorage) and
//! the language menu are `home.js`, inlined with the page's CSP nonce. The texts that script
//! shows come from here (`data-t-*`), in the page's language.

use leptos::prelude::*;

/// The script that brings the page to life (see the module's comment).
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
const SCRIPT: &str = include_str!("home.js");

#[component]
pub fn HomePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    return rendered();
    // The browser never hydrates this page (the shell sends no hydration script for it), so its
    // view is not in the WebAssembly. Reached by a client-side navigation all the same (a link
    // the router took), the server renders it.
    #[cfg(not(feature = "ssr"))]
    {
        Effect::new(|_| {
            let _ = window().location().reload();
        });
    }
}

#[cfg(feature = "ssr")]
fn rendered() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    use leptos_i18n::Locale as _;
    use leptos_meta::Meta;
    use leptos_router::hooks::use_query_map;

    use crate::api::{CreateBoard, refusal_in_query};
    use crate::i18n::{Locale, t, t_string, use_i18n};

    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    // A refused title comes back in the address (server_fn's `__err`).
    let create_error =
        use_query_map().with_untracked(|q| q.get("__err").and_then(|e| refusal_in_query(&e)));
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    view! {
        // The create form's refusal comes back through the address it was posted from (server_fn
        // reads the Referer): this page's address holds no key, unlike a board's, so it may go
        // to this site (the server's default is no-referrer).
        <Meta name="referrer" content="same-origin" />
        <main
            class="page home"
            data-hydrated="false"
            data-t-not-imported=t_string!(i18n, home.not_imported)
            data-t-too-large=t_string!(i18n, home.too_large)
            data-t-unreadable=t_string!(i18n, home.unreadable)
            data-t-importing=t_string!(i18n, home.importing)
            data-t-choose-file=t_string!(i18n, home.choose_file)
            data-t-opened=t_string!(i18n, home.opened)
        >
            <header class="brand">
                <h1>"Squall"</h1>
                <select class="language" aria-label=t_string!(i18n, common.language)>
                    {Locale::get_all()
                        .iter()
                        .map(|l| view! {
                            <option value=l.as_str() selected=*l == locale>{crate::i18n::own_name(*l)}</option>
                        })
                        .collect_view()}
                </select>
                <p class="tagline">
                    {t!(i18n, home.tagline_1)}
                    {t!(i18n, home.tagline_2)}
                </p>
            </header>
            <section class="card">
                <h2>{t_string!(i18n, home.new_board)}</h2>
                <form class="create-board" method="post" action=CreateBoard::url()>
                    <label for="board-title">{t_string!(i18n, home.title)}</label>
                    <input
                        id="board-title"
                        name="title"
                        autocomplete="off"
                        required
                        maxlength="200"
                        placeholder=t_string!(i18n, home.title_placeholder)
                    />
                    <button type="submit">{t_string!(i18n, home.create)}</button>
                </form>
                {create_error.map(|message| view! { <p class="error" role="alert">{message}</p> })}
            </section>
            <section class="card import">
                <h2>{t_string!(i18n, home.import)}</h2>
                <p class="muted">{t_string!(i18n, home.import_help)}</p>
                // Enabled by the script, which does the import.
                <label class="file-button disabled">
                    <span class="file-caption">{t_string!(i18n, home.choose_file)}</span>
                    <input
                        type="file"
                        accept=".json,application/json,.sql,.yaml,.yml"
                        aria-label=t_string!(i18n, home.file_label)
                        disabled
                    />
                </label>
                <p class="error" role="alert" hidden></p>
            </section>
            <section class="card recent">
                <h2>{t_string!(i18n, home.recent)}</h2>
                <p class="muted recent-empty">{t_string!(i18n, home.recent_empty)}</p>
            </section>
        </main>
        <script type="module" nonce=nonce inner_html=SCRIPT></script>
    }
}

#[cfg(test)]
mod tests {
    /// Inlined into the page: a closing tag in it would end the script early.
    #[test]
    fn the_script_can_be_inlined() {
        assert!(!super::SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!super::SCRIPT.contains("<!--"));
    }
}
