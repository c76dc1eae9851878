#![recursion_limit = "256"]
//! Squall's user interface (Leptos, rendered on the server and hydrated in the browser) and the
//! board model both sides share.

/// Roles of capability links (view, edit, owner).
pub mod access;
/// Server functions the pages call, and the port the server implements for them.
pub mod api;
/// Pieces of the board screen, one component per file.
pub mod components;
/// The editor's state in the browser: local board, signals, selection, undo, save queue.
pub mod editor;
/// The UI's languages (English, Korean): translations, the switch, numbers.
pub mod i18n;
/// Whole screens: home and board.
pub mod pages;
/// Code the browser fetches when it is first needed (`#[lazy]` functions, cargo leptos `--split`).
pub mod split;

/// The board model, what it means and live sync: the pure `squall-model` crate (app/model),
/// shared with the server and code generation.
pub use squall_model::{model, semantic, sync};

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode, StaticSegment,
    components::{Route, Router, Routes},
    path,
};

/// The Content-Security-Policy of every page (docs/operations.md, "Security headers"): the
/// app's own files, the inline scripts Leptos writes (hydration, resources) with this
/// response's `nonce`, WebAssembly, inline `style` attributes (positions on the canvas) and
/// connections (the WebSocket) to this host only; no frames, plugins or foreign forms.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The HTML document around the app, rendered by the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The nonce leptos_axum made for this response goes into its policy.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(policy) = http::HeaderValue::from_str(&content_security_policy(&nonce))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, policy);
    }
    view! {
        <!DOCTYPE html>
        // `lang` is set by the i18n provider to the language the page is in.
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="data:," />
                <AutoReload options=options.clone() />
                // squall.<hash>.css when the build hashes file names (cached for a year).
                <HashedStylesheet options=options.clone() id="leptos" />
                // Every page but the home page, which works without WebAssembly (pages/home.rs).
                {hydrated_page().then(|| view! { <HydrationScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether the page asked for is hydrated: all but the home page.
fn hydrated_page() -> bool {
    #[cfg(feature = "ssr")]
    return use_context::<http::request::Parts>().is_none_or(|request| request.uri.path() != "/");
    #[allow(unreachable_code)]
    true
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Squall" />
        <i18n::Languages>
            <Router>
                <Routes fallback=|| view! { <pages::NotFound /> }>
                    // Rendered by the server only: the shell sends it no hydration script (pages/home.rs).
                    <Route path=StaticSegment("") view=pages::HomePage />
                    // Async: the status (404 for an unknown board) and the title are known
                    // before the first byte is sent.
                    <Route path=path!("/b/:id") view=pages::BoardPage ssr=SsrMode::Async />
                    // The same page with the assessment view open (docs/assessment.md).
                    <Route path=path!("/b/:id/assess") view=pages::BoardPage ssr=SsrMode::Async />
                </Routes>
            </Router>
        </i18n::Languages>
    }
}

/// The browser's entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

/// A signal that turns true once the page is hydrated (effects only run in the browser).
/// Controls stay disabled until then, so no one clicks a button that does nothing yet.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
