use app::access::{Role, ShareLinks};
use app::model::{Board, BoardDocument, Connection, Element, Id, Op};
use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::auth::Authorized;
use super::limits::ClientAddress;
use super::{ApiError, AppState};
use crate::access;
use crate::store::BoardStore;
use squall_codegen::{self as codegen, Export};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/boards", post(create))
        .route("/boards/import", post(import))
        .route("/boards/import/{format}", post(import_file))
        .route("/boards/{id}/export", get(export))
        .route("/boards/{id}/export/preview", get(preview))
        .route("/boards/{id}", get(show).delete(remove))
        .route("/boards/{id}/ops", post(apply_ops))
        .route("/boards/{id}/links", get(links))
        .route("/boards/{id}/links/{role}/rotate", post(rotate))
        .route("/boards/{id}/ws", get(super::ws::upgrade))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewBoard {
    title: String,
}

#[derive(Serialize)]
struct BoardBody<'a> {
    id: Id,
    seq: i64,
    title: &'a str,
    /// The caller's role.
    role: Role,
    elements: Vec<&'a Element>,
    connections: Vec<&'a Connection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpsBatch {
    ops: Vec<Op>,
}

#[derive(Serialize)]
struct Applied {
    seq: i64,
    applied: usize,
}

/// Creates an empty board and answers 201 with its id and its three links' tokens.
async fn create(
    State(state): State<AppState>,
    ClientAddress(address, _): ClientAddress,
    body: Result<Json<NewBoard>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(NewBoard { title }) = body?;
    let board = Board::new(&title)?;
    state.guard.new_board(address)?;
    let (id, tokens) = store_new_board(state.store.as_ref(), &board).await?;
    Ok(created(id, &board, tokens))
}

/// 201 with the new board, its `Location`, and its links' tokens (only ever shown here).
fn created(id: Id, board: &Board, tokens: access::NewTokens) -> impl IntoResponse + use<> {
    let mut body = serde_json::json!(BoardBody {
        id,
        seq: 0,
        title: board.title(),
        role: Role::Owner,
        elements: board.elements().collect(),
        connections: board.connections().collect(),
    });
    body["links"] = serde_json::json!(tokens);
    let location = format!("/api/boards/{id}");
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
}

/// Creates a board from a board document (docs/board-format.md): the same validation and limits
/// as live edits; on any error nothing is stored, and the message names the element and field.
/// Answers like `POST /api/boards`.
async fn import(
    State(state): State<AppState>,
    ClientAddress(address, _): ClientAddress,
    headers: axum::http::HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        });
    if !json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body = body.map_err(|_| ApiError::PayloadTooLarge {
        max_bytes: super::MAX_BODY_BYTES,
    })?;
    state.guard.import(body.len())?;
    let Json(document) = Json::<serde_json::Value>::from_bytes(&body)?;
    state.guard.new_board(address)?;
    let board =
        BoardDocument::read_value(document).map_err(|e| ApiError::InvalidBody(e.to_string()))?;
    let (id, board, tokens) = import_board(state.store.as_ref(), board).await?;
    Ok(created(id, &board, tokens))
}

/// `POST /api/boards/import/sql` and `/api/boards/import/openapi`: an SQL schema or an OpenAPI 3
/// document (the body as it is) becomes a new board (docs/import.md); `?title=` names it when
/// the file does not. 422 with the place and the reason for a file that cannot be read.
async fn import_file(
    State(state): State<AppState>,
    ClientAddress(address, _): ClientAddress,
    axum::extract::Path(format): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<ImportQuery>,
    body: String,
) -> Result<impl IntoResponse, ApiError> {
    state.guard.import(body.len())?;
    let title = query.title.as_deref().unwrap_or("Imported monolith");
    let board = match format.as_str() {
        "sql" => squall_import::sql::read(&body, title),
        "openapi" => squall_import::openapi::read(&body, title),
        _ => return Err(ApiError::RouteNotFound),
    }
    .map_err(|e| ApiError::InvalidBody(e.to_string()))?;
    state.guard.new_board(address)?;
    let (id, board, tokens) = import_board(state.store.as_ref(), board).await?;
    Ok(created(id, &board, tokens))
}

#[derive(serde::Deserialize)]
struct ImportQuery {
    title: Option<String>,
}

/// Stores a board read from a board document as a new board with three new links.
pub async fn import_board(
    store: &dyn BoardStore,
    board: Board,
) -> Result<(Id, Board, access::NewTokens), ApiError> {
    let (id, tokens) = store_new_board(store, &board).await?;
    Ok((id, board, tokens))
}

/// `?target=json`: the whole board as a board document; `?target=rust-axum`: the generated
/// workspace as a ZIP. A view link or better.
async fn export(
    State(state): State<AppState>,
    auth: Authorized,
    RawQuery(query): RawQuery,
) -> Result<axum::response::Response, ApiError> {
    let export = requested_export(&state, auth.id, query.as_deref()).await?;
    let content_type = export.target.content_type();
    let body = match export.target.single_file() {
        true => export
            .files
            .into_values()
            .next()
            .unwrap_or_default()
            .into_bytes(),
        false => codegen::zip(&export.root, &export.files),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", export.file_name),
            ),
        ],
        body,
    )
        .into_response())
}

/// `?target=rust-axum|json`: what the export would contain, as JSON (`files`: path → content,
/// `problems`: what cannot be generated yet), for the export panel's preview.
async fn preview(
    State(state): State<AppState>,
    auth: Authorized,
    RawQuery(query): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let export = requested_export(&state, auth.id, query.as_deref()).await?;
    Ok(Json(serde_json::json!({
        "target": export.target.id(),
        "file_name": export.file_name,
        "files": export.files,
        "problems": export
            .problems
            .iter()
            .zip(&export.messages)
            .map(|(p, message)| {
                let mut json = serde_json::to_value(p).expect("problems serialize");
                json["message"] = message.clone().into();
                json
            })
            .collect::<Vec<_>>(),
    })))
}

/// The board `id` rendered for `?target=` and `?identifiers=` (a view link or better): what the
/// export download and its preview both serve.
async fn requested_export(
    state: &AppState,
    id: Id,
    query: Option<&str>,
) -> Result<Export, ApiError> {
    let stored = state
        .store
        .load_board(id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    let target = access::query_param(query, "target");
    let options = codegen::Options {
        identifiers: identifiers(query)?,
        templates: None,
    };
    Ok(timed_export(
        &state.metrics,
        &stored.board,
        target.as_deref(),
        &options,
    )?)
}

/// `codegen::export`, timed by target (`squall_export_seconds`).
pub(super) fn timed_export(
    metrics: &crate::metrics::Metrics,
    board: &Board,
    target: Option<&str>,
    options: &codegen::Options,
) -> Result<Export, codegen::ExportError> {
    let started = std::time::Instant::now();
    let export = codegen::export(board, target, options)?;
    metrics
        .exports
        .get_or_create(&crate::metrics::TargetLabels {
            target: export.target.id().to_string(),
        })
        .observe(started.elapsed().as_secs_f64());
    Ok(export)
}

/// `?identifiers=native` keeps the team's script in code identifiers; `ascii` (the default)
/// transliterates.
fn identifiers(query: Option<&str>) -> Result<codegen::names::Identifiers, ApiError> {
    access::query_param(query, "identifiers").map_or(Ok(Default::default()), |v| {
        v.parse().map_err(ApiError::InvalidBody)
    })
}

/// Validates the title and stores a new empty board with its links: what the home page does.
/// Returns the owner token.
pub async fn create_board(
    store: &dyn BoardStore,
    title: &str,
) -> Result<(Id, Board, String), ApiError> {
    let board = Board::new(title)?;
    let (id, tokens) = store_new_board(store, &board).await?;
    Ok((id, board, tokens.owner))
}

/// Stores `board` under a new id with three new links.
async fn store_new_board(
    store: &dyn BoardStore,
    board: &Board,
) -> Result<(Id, access::NewTokens), ApiError> {
    let id = app::model::new_id();
    let (tokens, links) = access::new_links(id);
    store.create_board(id, board, &links).await?;
    Ok((id, tokens))
}

async fn show(
    State(state): State<AppState>,
    Authorized { id, role, .. }: Authorized,
) -> Result<impl IntoResponse, ApiError> {
    let stored = state
        .store
        .load_board(id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    let body = BoardBody {
        id,
        seq: stored.seq,
        title: stored.board.title(),
        role,
        elements: stored.board.elements().collect(),
        connections: stored.board.connections().collect(),
    };
    Ok(Json(serde_json::json!(body)))
}

/// Applies a batch of operations, all or nothing (edit or owner link).
async fn apply_ops(
    State(state): State<AppState>,
    auth: Authorized,
    ClientAddress(address, from_peer): ClientAddress,
    body: Result<Json<OpsBatch>, JsonRejection>,
) -> Result<axum::response::Response, ApiError> {
    auth.require(Role::Edit)?;
    let id = auth.id;
    let Json(OpsBatch { ops }) = body?;
    let applied = ops.len();
    match state.rooms.submit(id, ops.clone()).await {
        Ok(seq) => Ok(Json(Applied { seq, applied }).into_response()),
        // Another process owns the board (docs/sync.md S6): it applies the batch. A batch
        // forwarded once is never forwarded again (the lease moved: the caller retries).
        Err(crate::sync::SubmitFailed::Elsewhere(owner)) if !from_peer => {
            let secret = state.rooms.cluster_secret();
            let (status, body) =
                super::forward::ops(&owner, id, &auth.token, &ops, address, secret).await?;
            Ok((status, Json(body)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes the board (owner link).
async fn remove(State(state): State<AppState>, auth: Authorized) -> Result<StatusCode, ApiError> {
    auth.require(Role::Owner)?;
    let id = auth.id;
    if state.store.delete_board(id).await? {
        state.rooms.close(id).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::BoardNotFound)
    }
}

/// The current edit and view tokens (owner link).
async fn links(
    State(state): State<AppState>,
    auth: Authorized,
) -> Result<Json<ShareLinks>, ApiError> {
    auth.require(Role::Owner)?;
    Ok(Json(
        access::share_links(state.store.as_ref(), auth.id, &auth.token).await?,
    ))
}

/// Replaces the edit or view link (owner link): the old one stops working at once, and sockets
/// opened with it lose access.
async fn rotate(
    State(state): State<AppState>,
    auth: Authorized,
    Path((_, role)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    auth.require(Role::Owner)?;
    let (id, owner) = (auth.id, auth.token);
    let role = match Role::parse(&role) {
        Some(role @ (Role::Edit | Role::View)) => role,
        _ => return Err(ApiError::RouteNotFound),
    };
    let token = rotate_link(&state, id, &owner, role).await?;
    Ok(Json(serde_json::json!({ "role": role, "token": token })))
}

/// Rotates a link and takes access away from the sockets that used it, in every process.
pub async fn rotate_link(
    state: &AppState,
    id: Id,
    owner: &str,
    role: Role,
) -> Result<String, ApiError> {
    let token = access::rotate(state.store.as_ref(), id, owner, role).await?;
    state.rooms.revoke(id, role).await;
    Ok(token)
}

/// A path segment that is not a UUID cannot name a board: that is a 404, like an unknown id.
pub fn parse_id(id: &str) -> Result<Id, ApiError> {
    id.parse().map_err(|_| ApiError::BoardNotFound)
}
