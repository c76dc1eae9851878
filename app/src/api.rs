use leptos::prelude::*;

use crate::access::{Role, ShareLinks};
use crate::model::Board;

/// A board as a link opens it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OpenBoard {
    pub board: Board,
    pub seq: i64,
    pub role: Role,
}

/// What an export would contain, for the Export panel's preview.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExportPreview {
    pub target: String,
    /// The download's file name.
    pub file_name: String,
    /// Path → content, in path order.
    pub files: Vec<(String, String)>,
    /// What cannot be generated yet, with the sticky it is about.
    pub problems: Vec<(crate::model::Id, String)>,
}

/// The export targets: (id, what the user sees).
pub const EXPORT_TARGETS: &[(&str, &str)] = &[
    ("rust-axum", "Rust services (axum, sqlx, Kafka)"),
    ("json", "Board JSON (docs/board-format.md)"),
];

/// What the pages need from the server's storage. The server crate implements it and provides
/// it as context (`Arc<dyn BoardService>`) to rendering and to server functions.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait BoardService: Send + Sync + 'static {
    /// Creates a board and returns its id and owner token, or a message for the user.
    async fn create_board(&self, title: &str) -> Result<(crate::model::Id, String), String>;
    /// Stores a board document (docs/board-format.md) as a new board, validated like live edits
    /// (nothing is stored on error); its id and owner token, or a message for the user.
    async fn import_board(&self, document: &str) -> Result<(crate::model::Id, String), String>;
    /// The board as stored, its sequence number and the role `key` grants; `None` when there is
    /// no such board or `key` opens nothing on it.
    async fn load_board(
        &self,
        id: crate::model::Id,
        key: &str,
    ) -> Result<Option<OpenBoard>, String>;
    /// The current edit and view links (owner key only).
    async fn share_links(&self, id: crate::model::Id, key: &str) -> Result<ShareLinks, String>;
    /// Replaces the edit or view link (owner key only) and returns the new token.
    async fn rotate_link(
        &self,
        id: crate::model::Id,
        key: &str,
        role: Role,
    ) -> Result<String, String>;
    /// What exporting the board to `target` gives (view key or better); `identifiers` is
    /// `ascii` or `native` (code identifiers in the board's own script).
    async fn export_preview(
        &self,
        id: crate::model::Id,
        key: &str,
        target: &str,
        identifiers: &str,
    ) -> Result<ExportPreview, String>;
}

#[cfg(feature = "ssr")]
fn service() -> Result<std::sync::Arc<dyn BoardService>, ServerFnError> {
    use_context::<std::sync::Arc<dyn BoardService>>()
        .ok_or_else(|| ServerFnError::new("board service missing from context"))
}

/// Creates a board and sends the browser to it.
#[server(prefix = "/sfn", endpoint = "create_board")]
pub async fn create_board(title: String) -> Result<(), ServerFnError> {
    let (id, owner) = service()?
        .create_board(&title)
        .await
        .map_err(ServerFnError::new)?;
    leptos_axum::redirect(&format!("/b/{id}?key={owner}"));
    Ok(())
}

/// Creates a board from a board document (a file exported with the `json` target) and answers
/// the new board's owner link, for the browser to open. Sent as JSON: a large board would grow
/// by half again URL-encoded.
#[server(prefix = "/sfn", endpoint = "import_board", input = leptos::server_fn::codec::Json)]
pub async fn import_board(document: String) -> Result<String, ServerFnError> {
    let (id, owner) = service()?
        .import_board(&document)
        .await
        .map_err(ServerFnError::new)?;
    Ok(format!("/b/{id}?key={owner}"))
}

/// The board with this id as the link `key` opens it; `None` when there is none, the id is not an
/// id, or the key opens nothing on it.
#[server(prefix = "/sfn", endpoint = "load_board")]
pub async fn load_board(id: String, key: String) -> Result<Option<OpenBoard>, ServerFnError> {
    let Ok(id) = id.parse() else {
        return Ok(None);
    };
    service()?
        .load_board(id, &key)
        .await
        .map_err(ServerFnError::new)
}

/// The board's current edit and view links (owner key only).
#[server(prefix = "/sfn", endpoint = "share_links")]
pub async fn get_share_links(id: String, key: String) -> Result<ShareLinks, ServerFnError> {
    let id = id
        .parse()
        .map_err(|_| ServerFnError::new("no such board"))?;
    service()?
        .share_links(id, &key)
        .await
        .map_err(ServerFnError::new)
}

/// Replaces the edit or view link (owner key only); returns the new token.
#[server(prefix = "/sfn", endpoint = "rotate_link")]
pub async fn rotate_link(id: String, key: String, role: Role) -> Result<String, ServerFnError> {
    let id = id
        .parse()
        .map_err(|_| ServerFnError::new("no such board"))?;
    service()?
        .rotate_link(id, &key, role)
        .await
        .map_err(ServerFnError::new)
}

/// What exporting the board to `target` gives (view link or better).
#[server(prefix = "/sfn", endpoint = "export_preview")]
pub async fn preview_export(
    id: String,
    key: String,
    target: String,
    identifiers: String,
) -> Result<ExportPreview, ServerFnError> {
    let id = id
        .parse()
        .map_err(|_| ServerFnError::new("no such board"))?;
    service()?
        .export_preview(id, &key, &target, &identifiers)
        .await
        .map_err(ServerFnError::new)
}
