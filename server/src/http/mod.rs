//! The HTTP surface: JSON API under /api, health, and the Leptos pages.

/// Static files: precompressed or compressed, cached by content hash.
mod assets;
/// `Authorized`: the board a request names and the role its link gives, as an extractor.
pub mod auth;
/// Boards: create, read, apply operations, delete, links.
pub mod boards;
/// The one error type of the API and its JSON body.
mod error;
/// Sockets and batches of a board another server process owns, passed to it.
mod forward;
/// The security headers of every response.
mod headers;
/// Connections per board and address, boards per hour, operations per second, import size.
pub mod limits;
/// Request ids, request metrics, `/metrics`, `/healthz`, `/readyz`.
mod observe;
/// `GET /api/boards/{id}/ws`: the live connection of one browser tab.
mod ws;

use std::sync::Arc;

use app::access::{Role, ShareLinks};
use app::api::{BoardService, OpenBoard, Refusal};
use app::model::Id;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use boards::parse_id;
pub use error::{ApiError, MAX_BODY_BYTES};

use crate::config::ServerConfig;
use crate::metrics::Metrics;
use crate::store::BoardStore;
use crate::sync::Rooms;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub store: Arc<dyn BoardStore>,
    pub rooms: Arc<Rooms>,
    pub metrics: Arc<Metrics>,
    pub guard: Arc<limits::Guard>,
    pub leptos_options: LeptosOptions,
}

/// The whole application with the default settings.
pub fn app(rooms: Arc<Rooms>, leptos_options: LeptosOptions) -> Router {
    app_with(rooms, leptos_options, ServerConfig::default())
}

/// The whole application: API, live sync, health and metrics, server functions and pages.
pub fn app_with(rooms: Arc<Rooms>, leptos_options: LeptosOptions, config: ServerConfig) -> Router {
    let store = rooms.store().clone();
    let metrics = rooms.metrics().clone();
    let state = AppState {
        store: store.clone(),
        rooms: rooms.clone(),
        guard: Arc::new(limits::Guard::new(
            config,
            metrics.clone(),
            rooms.cluster_secret().map(str::to_string),
        )),
        metrics,
        leptos_options: leptos_options.clone(),
    };
    let service: Arc<dyn BoardService> = Arc::new(Pages(state.clone()));
    let routes = generate_route_list(app::App);
    let api = boards::router().fallback(|| async { ApiError::RouteNotFound });

    let pkg = format!(
        "{}/{}",
        leptos_options.site_root, leptos_options.site_pkg_dir
    );

    // With a metrics address of its own, `/metrics` is served there only (`metrics_app`).
    let router = match state.guard.config.metrics_addr {
        Some(_) => Router::new(),
        None => Router::new().route("/metrics", get(observe::metrics)),
    };
    router
        .route("/healthz", get(observe::healthz))
        .route("/readyz", get(observe::readyz))
        .nest("/api", api)
        .nest(
            &format!("/{}", leptos_options.site_pkg_dir),
            assets::router(&pkg),
        )
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
        .layer(axum::middleware::map_response_with_state(
            headers::Headers::new(&state.guard.config),
            headers::add,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            observe::count,
        ))
        .layer(
            // Outermost first: the id is set before the span that logs it, and sent back.
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn(observe::sanitize_request_id))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(observe::span)
                        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        .with_state(state)
}

/// `GET /metrics` alone, for `SQUALL_METRICS_ADDR` (a port the scraper reaches and the public
/// does not).
pub fn metrics_app(rooms: &Rooms) -> Router {
    Router::new()
        .route("/metrics", get(observe::metrics))
        .with_state(rooms.metrics().clone())
}

/// Serves `app` on `listener` until `shutdown` resolves, with each request's peer address
/// (the per-address limits read it). Connections have Nagle's algorithm off: a live edit is a
/// small frame that must go out at once, not wait up to 40 ms for more bytes or an ACK.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// The store and the rooms, as the pages see them. Every call checks the key like the API does,
/// and refuses with the API's status and words.
struct Pages(AppState);

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        let status = e.status().as_u16();
        if let ApiError::Internal(source) = &e {
            tracing::error!(error = %source, "a server function failed");
        }
        // The words of the API's JSON body (an internal error says no more than that).
        Refusal::new(status, e.to_string())
    }
}

impl Pages {
    /// The limit on new boards per address, for a server function (its request's parts are
    /// in the reactive context).
    fn new_board(&self) -> Result<(), ApiError> {
        let address = use_context::<axum::http::request::Parts>().map_or(
            std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            |parts| self.0.guard.client(&parts),
        );
        self.0.guard.new_board(address)
    }

    async fn owner(&self, id: Id, key: &str) -> Result<(), Refusal> {
        match crate::access::role_of(self.0.store.as_ref(), id, Some(key)).await {
            Ok(Some(Role::Owner)) => Ok(()),
            Ok(_) => Err(Refusal::new(
                403,
                "only the board's owner link may manage its links",
            )),
            Err(e) => Err(ApiError::from(e).into()),
        }
    }
}

#[async_trait::async_trait]
impl BoardService for Pages {
    async fn create_board(&self, title: &str) -> Result<(Id, String), Refusal> {
        self.new_board()?;
        let (id, _, owner) = boards::create_board(self.0.store.as_ref(), title).await?;
        Ok((id, owner))
    }

    async fn import_board(&self, document: &str, file_name: &str) -> Result<(Id, String), Refusal> {
        self.0.guard.import(document.len())?;
        self.new_board()?;
        let board = squall_import::read(document, file_name)
            .map_err(|e| Refusal::new(422, e.to_string()))?;
        let (id, _, tokens) = boards::import_board(self.0.store.as_ref(), board).await?;
        Ok((id, tokens.owner))
    }

    async fn load_board(&self, id: Id, key: &str) -> Result<Option<OpenBoard>, Refusal> {
        let store = self.0.store.as_ref();
        let Some(role) = crate::access::role_of(store, id, Some(key))
            .await
            .map_err(ApiError::from)?
        else {
            return Ok(None);
        };
        let loaded = store.load_board(id).await.map_err(ApiError::from)?;
        Ok(loaded.map(|s| OpenBoard {
            problems: app::semantic::rules::check(&s.board),
            board: s.board,
            seq: s.seq,
            role,
        }))
    }

    async fn share_links(&self, id: Id, key: &str) -> Result<ShareLinks, Refusal> {
        self.owner(id, key).await?;
        Ok(crate::access::share_links(self.0.store.as_ref(), id, key)
            .await
            .map_err(ApiError::from)?)
    }

    async fn rotate_link(&self, id: Id, key: &str, role: Role) -> Result<String, Refusal> {
        self.owner(id, key).await?;
        if role == Role::Owner {
            return Err(Refusal::new(422, "the owner link cannot be rotated"));
        }
        Ok(boards::rotate_link(&self.0, id, key, role).await?)
    }

    async fn export_preview(
        &self,
        id: Id,
        key: &str,
        target: &str,
        identifiers: &str,
    ) -> Result<app::api::ExportPreview, Refusal> {
        let Some(open) = self.load_board(id, key).await? else {
            return Err(Refusal::new(404, "no such board"));
        };
        let identifiers = identifiers.parse().map_err(|e| Refusal::new(422, e))?;
        let options = squall_codegen::Options {
            identifiers,
            templates: None,
        };
        // No target asked for: the registry's first.
        let target = match target {
            "" => squall_codegen::TARGETS[0].id(),
            id => id,
        };
        let export = boards::timed_export(&self.0.metrics, &open.board, Some(target), &options)
            .map_err(ApiError::from)?;
        Ok(app::api::ExportPreview {
            target: export.target.id().to_string(),
            targets: squall_codegen::TARGETS
                .iter()
                .map(|t| app::api::ExportTarget {
                    id: t.id().to_string(),
                    title: t.title().to_string(),
                    code: !t.single_file(),
                })
                .collect(),
            file_name: export.file_name,
            files: export.files.into_iter().collect(),
            problems: export.problems,
            messages: export.messages,
        })
    }
}
