use leptos::prelude::*;

use crate::model::Board;

/// What the pages need from the server's storage. The server crate implements it and provides
/// it as context (`Arc<dyn BoardService>`) to rendering and to server functions.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait BoardService: Send + Sync + 'static {
    /// Creates a board and returns its id, or a message for the user.
    async fn create_board(&self, title: &str) -> Result<crate::model::Id, String>;
    /// The board as stored and its sequence number, or `None` if there is no such board.
    async fn load_board(&self, id: crate::model::Id) -> Result<Option<(Board, i64)>, String>;
}

#[cfg(feature = "ssr")]
fn service() -> Result<std::sync::Arc<dyn BoardService>, ServerFnError> {
    use_context::<std::sync::Arc<dyn BoardService>>()
        .ok_or_else(|| ServerFnError::new("board service missing from context"))
}

/// Creates a board and sends the browser to it.
#[server(prefix = "/sfn", endpoint = "create_board")]
pub async fn create_board(title: String) -> Result<(), ServerFnError> {
    let id = service()?
        .create_board(&title)
        .await
        .map_err(ServerFnError::new)?;
    leptos_axum::redirect(&format!("/b/{id}"));
    Ok(())
}

/// The board with this id and its sequence number, `None` when there is none (or the id is not
/// an id).
#[server(prefix = "/sfn", endpoint = "load_board")]
pub async fn load_board(id: String) -> Result<Option<(Board, i64)>, ServerFnError> {
    let Ok(id) = id.parse() else {
        return Ok(None);
    };
    service()?.load_board(id).await.map_err(ServerFnError::new)
}
