//! The HTTP surface: JSON API under /api, health, and the Leptos pages.

/// Boards: create, read, apply operations, delete, links.
pub mod boards;
/// The one error type of the API and its JSON body.
mod error;

use std::sync::Arc;

use app::access::{Role, ShareLinks};
use app::api::{BoardService, OpenBoard};
use app::model::Id;
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
    let service: Arc<dyn BoardService> = Arc::new(Pages(state.clone()));
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

/// The store and the rooms, as the pages see them. Every call checks the key like the API does.
struct Pages(AppState);

impl Pages {
    async fn owner(&self, id: Id, key: &str) -> Result<(), String> {
        match crate::access::role_of(self.0.store.as_ref(), id, Some(key)).await {
            Ok(Some(Role::Owner)) => Ok(()),
            Ok(_) => Err("only the board's owner link may manage its links".into()),
            Err(e) => {
                tracing::error!(error = %e, %id, "checking a link failed");
                Err("the link could not be checked".into())
            }
        }
    }
}

#[async_trait::async_trait]
impl BoardService for Pages {
    async fn create_board(&self, title: &str) -> Result<(Id, String), String> {
        boards::create_board(self.0.store.as_ref(), title)
            .await
            .map(|(id, _, owner)| (id, owner))
            .map_err(|e| e.to_string())
    }

    async fn import_board(&self, document: &str) -> Result<(Id, String), String> {
        let document: app::model::BoardDocument = serde_json::from_str(document)
            .map_err(|e| format!("this file is not a Squall board document: {e}"))?;
        boards::import_board(self.0.store.as_ref(), document)
            .await
            .map(|(id, _, tokens)| (id, tokens.owner))
            .map_err(|e| e.to_string())
    }

    async fn load_board(&self, id: Id, key: &str) -> Result<Option<OpenBoard>, String> {
        let store = self.0.store.as_ref();
        let loaded = async {
            let Some(role) = crate::access::role_of(store, id, Some(key)).await? else {
                return Ok(None);
            };
            Ok(store.load_board(id).await?.map(|s| OpenBoard {
                board: s.board,
                seq: s.seq,
                role,
            }))
        };
        loaded.await.map_err(|e: crate::store::StoreError| {
            tracing::error!(error = %e, %id, "loading a board for a page failed");
            "the board could not be loaded".to_string()
        })
    }

    async fn share_links(&self, id: Id, key: &str) -> Result<ShareLinks, String> {
        self.owner(id, key).await?;
        crate::access::share_links(self.0.store.as_ref(), id, key)
            .await
            .map_err(|e| e.to_string())
    }

    async fn rotate_link(&self, id: Id, key: &str, role: Role) -> Result<String, String> {
        self.owner(id, key).await?;
        if role == Role::Owner {
            return Err("the owner link cannot be rotated".into());
        }
        boards::rotate_link(&self.0, id, key, role)
            .await
            .map_err(|e| e.to_string())
    }

    async fn export_preview(
        &self,
        id: Id,
        key: &str,
        target: &str,
        identifiers: &str,
    ) -> Result<app::api::ExportPreview, String> {
        let Some(open) = self.load_board(id, key).await? else {
            return Err("no such board".into());
        };
        let export = crate::codegen::export(&open.board, Some(target), identifiers.parse()?, None)
            .map_err(|e| ApiError::from(e).to_string())?;
        Ok(app::api::ExportPreview {
            target: export.target.to_string(),
            file_name: export.file_name,
            files: export.files.into_iter().collect(),
            problems: export.problems,
        })
    }
}
