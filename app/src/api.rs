use leptos::prelude::*;

use crate::access::{Role, ShareLinks};
use crate::model::Board;

/// A board as a link opens it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OpenBoard {
    pub board: Board,
    pub seq: i64,
    pub role: Role,
    /// The model check of `board` as loaded (docs/model-rules.md), done by the server: the page
    /// shows the problems at once, and the browser fetches the check's code only when the board
    /// changes.
    pub problems: Vec<crate::semantic::rules::Problem>,
}

/// What an export would contain, for the Export panel's preview.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExportPreview {
    /// The target rendered (the registry's first when none was asked for).
    pub target: String,
    /// Every target the server offers (its registry, `squall_codegen::TARGETS`), in order.
    pub targets: Vec<ExportTarget>,
    /// The download's file name.
    pub file_name: String,
    /// Path → content, in path order.
    pub files: Vec<(String, String)>,
    /// The model's problems (docs/model-rules.md), each with its rule, severity and sticky.
    pub problems: Vec<crate::semantic::rules::Problem>,
    /// Each problem's message, in the same order.
    pub messages: Vec<String>,
}

/// An export target as the Export panel offers it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExportTarget {
    /// `rust-axum`, as the download's `?target=` names it.
    pub id: String,
    /// What the user sees.
    pub title: String,
    /// It generates code, so the script of identifiers applies.
    pub code: bool,
}

/// Why the server did not do what a server function asked: the HTTP status it answers with (a
/// refusal is a 4xx, only the server's own failure a 5xx) and a message for people.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

impl Refusal {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

/// The server function's error for a refusal, with its status set on the response (a plain
/// `ServerFnError` answers 500, which monitoring counts as the server failing).
#[cfg(feature = "ssr")]
fn refused(refusal: Refusal) -> ServerFnError {
    // A plain HTML form's post (it accepts HTML) is sent back to its page with the refusal in
    // the address: a redirect, which a 4xx status would replace.
    let from_form = use_context::<http::request::Parts>().is_some_and(|request| {
        request
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    });
    if from_form {
        return ServerFnError::new(refusal.message);
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(refusal.status)
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    ServerFnError::new(refusal.message)
}

/// What the pages need from the server's storage. The server crate implements it and provides
/// it as context (`Arc<dyn BoardService>`) to rendering and to server functions.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait BoardService: Send + Sync + 'static {
    /// Creates a board and returns its id and owner token, or a message for the user.
    async fn create_board(&self, title: &str) -> Result<(crate::model::Id, String), Refusal>;
    /// Stores a board document (docs/board-format.md) as a new board, validated like live edits
    /// (nothing is stored on error); its id and owner token, or a message for the user.
    async fn import_board(
        &self,
        document: &str,
        file_name: &str,
    ) -> Result<(crate::model::Id, String), Refusal>;
    /// The board as stored, its sequence number and the role `key` grants; `None` when there is
    /// no such board or `key` opens nothing on it.
    async fn load_board(
        &self,
        id: crate::model::Id,
        key: &str,
    ) -> Result<Option<OpenBoard>, Refusal>;
    /// The current edit and view links (owner key only).
    async fn share_links(&self, id: crate::model::Id, key: &str) -> Result<ShareLinks, Refusal>;
    /// Replaces the edit or view link (owner key only) and returns the new token.
    async fn rotate_link(
        &self,
        id: crate::model::Id,
        key: &str,
        role: Role,
    ) -> Result<String, Refusal>;
    /// What exporting the board to `target` gives (view key or better); `identifiers` is
    /// `ascii` or `native` (code identifiers in the board's own script).
    async fn export_preview(
        &self,
        id: crate::model::Id,
        key: &str,
        target: &str,
        identifiers: &str,
    ) -> Result<ExportPreview, Refusal>;
}

#[cfg(feature = "ssr")]
fn service() -> Result<std::sync::Arc<dyn BoardService>, ServerFnError> {
    use_context::<std::sync::Arc<dyn BoardService>>()
        .ok_or_else(|| ServerFnError::new("board service missing from context"))
}

/// Creates a board and sends the browser to it. The home page's form posts to it as a plain HTML
/// form (no wasm involved): a redirect to the board, or back to the home page with the refusal
/// in its address (`__err`, read by [`refusal_in_query`]).
#[server(prefix = "/sfn", endpoint = "create_board")]
pub async fn create_board(title: String) -> Result<(), ServerFnError> {
    let (id, owner) = service()?.create_board(&title).await.map_err(refused)?;
    leptos_axum::redirect(&format!("/b/{id}?key={owner}"));
    Ok(())
}

/// The refusal a plain form's server function put in the address it sent the browser back to
/// (server_fn's `__err`: its error, serialized and base64-encoded), for the page to show.
#[cfg(feature = "ssr")]
pub fn refusal_in_query(err: &str) -> Option<String> {
    use base64::Engine;
    use leptos::server_fn::error::FromServerFnError;
    let bytes = base64::engine::general_purpose::URL_SAFE.decode(err).ok()?;
    Some(match <ServerFnError>::de(bytes.into()) {
        ServerFnError::ServerError(message) => message,
        other => other.to_string(),
    })
}

/// Creates a board from a board document (a file exported with the `json` target) and answers
/// the new board's owner link, for the browser to open. Sent as JSON: a large board would grow
/// by half again URL-encoded.
#[server(prefix = "/sfn", endpoint = "import_board", input = leptos::server_fn::codec::Json)]
pub async fn import_board(document: String, file_name: String) -> Result<String, ServerFnError> {
    let (id, owner) = service()?
        .import_board(&document, &file_name)
        .await
        .map_err(refused)?;
    Ok(format!("/b/{id}?key={owner}"))
}

/// The board with this id as the link `key` opens it; `None` when there is none, the id is not an
/// id, or the key opens nothing on it.
#[server(prefix = "/sfn", endpoint = "load_board", input = leptos::server_fn::codec::Json)]
pub async fn load_board(id: String, key: String) -> Result<Option<OpenBoard>, ServerFnError> {
    let Ok(id) = id.parse() else {
        return Ok(None);
    };
    service()?.load_board(id, &key).await.map_err(refused)
}

/// The board's current edit and view links (owner key only).
#[server(prefix = "/sfn", endpoint = "share_links", input = leptos::server_fn::codec::Json)]
pub async fn get_share_links(id: String, key: String) -> Result<ShareLinks, ServerFnError> {
    let id = id
        .parse()
        .map_err(|_| refused(Refusal::new(404, "no such board")))?;
    service()?.share_links(id, &key).await.map_err(refused)
}

/// Replaces the edit or view link (owner key only); returns the new token.
#[server(prefix = "/sfn", endpoint = "rotate_link", input = leptos::server_fn::codec::Json)]
pub async fn rotate_link(id: String, key: String, role: Role) -> Result<String, ServerFnError> {
    let id = id
        .parse()
        .map_err(|_| refused(Refusal::new(404, "no such board")))?;
    service()?
        .rotate_link(id, &key, role)
        .await
        .map_err(refused)
}

/// What exporting the board to `target` gives (view link or better); an empty `target` is the
/// server's default, the first of its targets.
#[server(prefix = "/sfn", endpoint = "export_preview", input = leptos::server_fn::codec::Json)]
pub async fn preview_export(
    id: String,
    key: String,
    target: String,
    identifiers: String,
) -> Result<ExportPreview, ServerFnError> {
    let id = id
        .parse()
        .map_err(|_| refused(Refusal::new(404, "no such board")))?;
    service()?
        .export_preview(id, &key, &target, &identifiers)
        .await
        .map_err(refused)
}
