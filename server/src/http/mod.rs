//! The HTTP surface: JSON API under /api, health, and the Leptos pages.

/// Boards: create, read, apply operations, delete.
pub mod boards;
/// The one error type of the API and its JSON body.
mod error;

use std::sync::Arc;

use app::api::BoardService;
use app::model::{Board, Id};
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::StatusCode;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

pub use boards::parse_id;
pub use error::{ApiError, MAX_BODY_BYTES};

use crate::store::BoardStore;
use crate::sync::Rooms;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub store: Arc<dyn BoardStore>,
    pub rooms: Arc<Rooms>,
    pub leptos_options: LeptosOptions,
}

/// The whole application: API, live sync, health check, server functions and pages.
pub fn app(rooms: Arc<Rooms>, leptos_options: LeptosOptions) -> Router {
    let store = rooms.store().clone();
    let state = AppState {
        store: store.clone(),
        rooms: rooms.clone(),
        leptos_options: leptos_options.clone(),
    };
    let service: Arc<dyn BoardService> = Arc::new(Pages { store });
    let routes = generate_route_list(app::App);
    let api = boards::router().fallback(|| async { ApiError::RouteNotFound });

    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api", api)
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let service = service.clone();
                move || provide_context(service.clone())
            },
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Accepts connections with Nagle's algorithm off: a live edit is a small frame that must go
/// out at once, not wait up to 40 ms for more bytes or an ACK.
pub fn without_nagle(
    listener: tokio::net::TcpListener,
) -> impl axum::serve::Listener<Addr = std::net::SocketAddr> {
    use axum::serve::ListenerExt;
    listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    })
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The store, as the pages see it.
struct Pages {
    store: Arc<dyn BoardStore>,
}

#[async_trait::async_trait]
impl BoardService for Pages {
    async fn create_board(&self, title: &str) -> Result<Id, String> {
        boards::create_board(self.store.as_ref(), title)
            .await
            .map(|(id, _)| id)
            .map_err(|e| e.to_string())
    }

    async fn load_board(&self, id: Id) -> Result<Option<(Board, i64)>, String> {
        match self.store.load_board(id).await {
            Ok(stored) => Ok(stored.map(|s| (s.board, s.seq))),
            Err(e) => {
                tracing::error!(error = %e, %id, "loading a board for a page failed");
                Err("the board could not be loaded".into())
            }
        }
    }
}
