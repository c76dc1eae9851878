use app::model::{Board, Connection, Element, Id, Op};
use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::{ApiError, AppState};
use crate::store::BoardStore;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/boards", post(create))
        .route("/boards/{id}", get(show).delete(remove))
        .route("/boards/{id}/ops", post(apply_ops))
        .route("/boards/{id}/ws", get(crate::sync::ws::upgrade))
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

/// Creates an empty board and answers 201 with its id.
async fn create(
    State(state): State<AppState>,
    body: Result<Json<NewBoard>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(NewBoard { title }) = body?;
    let (id, board) = create_board(state.store.as_ref(), &title).await?;
    let location = format!("/api/boards/{id}");
    let body = BoardBody {
        id,
        seq: 0,
        title: board.title(),
        elements: Vec::new(),
        connections: Vec::new(),
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(serde_json::json!(body)),
    ))
}

/// Validates the title and stores a new empty board: what both the API and the home page do.
pub async fn create_board(store: &dyn BoardStore, title: &str) -> Result<(Id, Board), ApiError> {
    let board = Board::new(title)?;
    let id = app::model::new_id();
    store.create_board(id, &board).await?;
    Ok((id, board))
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_id(&id)?;
    let stored = state
        .store
        .load_board(id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    let body = BoardBody {
        id,
        seq: stored.seq,
        title: stored.board.title(),
        elements: stored.board.elements().collect(),
        connections: stored.board.connections().collect(),
    };
    Ok(Json(serde_json::json!(body)))
}

/// Applies a batch of operations, all or nothing.
async fn apply_ops(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<OpsBatch>, JsonRejection>,
) -> Result<Json<Applied>, ApiError> {
    let id = parse_id(&id)?;
    let Json(OpsBatch { ops }) = body?;
    let applied = ops.len();
    let seq = state.rooms.submit(id, ops).await?;
    Ok(Json(Applied { seq, applied }))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id)?;
    if state.store.delete_board(id).await? {
        state.rooms.close(id).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::BoardNotFound)
    }
}

/// A path segment that is not a UUID cannot name a board: that is a 404, like an unknown id.
pub fn parse_id(id: &str) -> Result<Id, ApiError> {
    id.parse().map_err(|_| ApiError::BoardNotFound)
}
