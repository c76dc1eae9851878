//! Code the browser fetches when it is first needed (docs/architecture: "The browser's code is
//! split"). A `#[lazy]` function's code is a wasm file of its own (`cargo leptos build
//! --split`); calling it loads that file first. Two rules keep that safe:
//! - a load, once started, is never cancelled: a dropped load would be started again by the
//!   next caller and the same module loaded twice; so [`fetch`] hands an unfinished load to a
//!   task of its own;
//! - a view is built where it is shown (under its owner), never inside that task: the task only
//!   says the code has arrived, and [`now`] then calls the function, which returns at once.
//!
//! The server renders none of these views and runs none of these functions: each is closed, or
//! empty, in the page it sends, and the browser shows it once the code is there.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;

/// What fetches a `#[lazy]` function's code: [`preload!`](crate::preload) makes one.
pub type Preload = fn() -> Pin<Box<dyn Future<Output = ()>>>;

/// The [`Preload`] of the `#[lazy]` function `f`, named by the preload Leptos generates for it:
/// `preload!(__preload_f)`. Only the browser has it; on the server it does nothing.
#[macro_export]
macro_rules! preload {
    ($preload:ident) => {{
        #[cfg(feature = "hydrate")]
        let preload: $crate::split::Preload = || Box::pin($preload());
        #[cfg(not(feature = "hydrate"))]
        let preload: $crate::split::Preload = || Box::pin(async {});
        preload
    }};
}

/// Fetches the code `preload` stands for and sets `arrived` when it is there: at once if it
/// already is, else from a task nothing cancels. Never on the server.
pub fn fetch(preload: Preload, arrived: RwSignal<bool>) {
    if cfg!(not(feature = "hydrate")) {
        return;
    }
    let mut loading = preload();
    if poll_once(loading.as_mut()).is_ready() {
        arrived.set(true);
    } else {
        leptos::task::spawn_local(async move {
            loading.await;
            // The component that asked may have closed meanwhile.
            let _ = arrived.try_set(true);
        });
    }
}

/// The result of a `#[lazy]` function whose code has arrived ([`fetch`]): such a call finishes
/// at its first poll. `None` (never expected) if it does not.
pub fn now<T>(call: impl Future<Output = T>) -> Option<T> {
    let mut call = std::pin::pin!(call);
    match poll_once(call.as_mut()) {
        Poll::Ready(value) => Some(value),
        Poll::Pending => {
            leptos::logging::warn!("a split function was called before its code arrived");
            None
        }
    }
}

fn poll_once<T>(future: Pin<&mut (impl Future<Output = T> + ?Sized)>) -> Poll<T> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

/// Shows the view `show` returns (a call of a `#[lazy]` function) once its code has arrived, and
/// [`Loading`] until then; nothing on the server. The code is fetched when this is first shown.
pub fn lazily<F>(preload: Preload, show: impl Fn() -> F + Send + Sync + 'static) -> impl IntoView
where
    F: Future<Output = AnyView>,
{
    lazily_or(preload, show, || view! { <Loading /> }.into_any())
}

/// [`lazily`] for a dialog or panel that Escape closes: its own Escape handler is in the code
/// still on its way, so meanwhile Escape sets `open` to false here (else the dialog would pop
/// up after the user had dismissed it).
pub fn lazily_closable<F>(
    preload: Preload,
    open: RwSignal<bool>,
    show: impl Fn() -> F + Send + Sync + 'static,
) -> impl IntoView
where
    F: Future<Output = AnyView>,
{
    lazily_or(preload, show, move || {
        view! { <Loading close=open /> }.into_any()
    })
}

/// [`lazily`] with `waiting` shown while the code is on its way (in the browser only: the server
/// renders none of these views).
pub fn lazily_or<F>(
    preload: Preload,
    show: impl Fn() -> F + Send + Sync + 'static,
    waiting: impl Fn() -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    F: Future<Output = AnyView>,
{
    let arrived = RwSignal::new(false);
    fetch(preload, arrived);
    move || {
        if arrived.get() {
            now(show())
        } else if cfg!(feature = "hydrate") {
            Some(waiting())
        } else {
            None
        }
    }
}

/// A status line while code is fetched, so a click is seen to have done something (it shows
/// after 150 ms: a quick load does not flash it). With `close`, Escape sets it to false.
#[component]
pub fn Loading(#[prop(optional)] close: Option<RwSignal<bool>>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    if let Some(close) = close {
        let escape = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && !crate::components::composing(&ev) {
                close.set(false);
            }
        });
        on_cleanup(move || escape.remove());
    }
    view! {
        <div class="split-loading" role="status">
            {crate::i18n::text(move || crate::i18n::t_string!(i18n, common.loading))}
        </div>
    }
}
