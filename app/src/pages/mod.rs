/// The board page at /b/{id}.
mod board;
/// The home page: create a board, reopen a recent one.
mod home;
/// Boards this browser has opened, kept in localStorage (never a global list).
mod recent;

pub use board::BoardPage;
pub use home::HomePage;

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page not-found">
            <h1>{crate::i18n::t!(i18n, common.not_found)}</h1>
            <p><a href="/" rel="external">{crate::i18n::t!(i18n, common.back)}</a></p>
        </main>
    }
}
