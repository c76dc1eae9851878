use serde::{Deserialize, Serialize};

/// A board this browser has opened. The home page's script lists them (pages/home.js reads
/// `squall.recent`: `id`, `title`, `key`, `opened_at`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentBoard {
    pub id: String,
    pub title: String,
    /// The link's key this browser opened it with (the owner key for boards it created).
    #[serde(default)]
    pub key: String,
    /// The role of `key`.
    #[serde(default = "view")]
    pub key_role: crate::access::Role,
    /// When this browser last opened it, in milliseconds since 1970 (absent in lists kept
    /// before this was recorded).
    #[serde(default)]
    pub opened_at: Option<f64>,
}

fn view() -> crate::access::Role {
    crate::access::Role::View
}

#[cfg(feature = "hydrate")]
const KEY: &str = "squall.recent";
#[cfg(feature = "hydrate")]
const MAX: usize = 20;

/// The boards this browser opened, newest first.
#[cfg(feature = "hydrate")]
fn load() -> Vec<RecentBoard> {
    let stored = storage().and_then(|s| s.get_item(KEY).ok().flatten());
    stored
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Puts the board first in this browser's list of recent boards.
pub fn remember(board: RecentBoard) {
    #[cfg(feature = "hydrate")]
    {
        let mut boards = load();
        // Opening a board with a lesser link never forgets a better one (the owner's key).
        let mut board = board;
        if let Some(old) = boards.iter().find(|b| b.id == board.id)
            && (board.key.is_empty() || (old.key_role >= board.key_role && !old.key.is_empty()))
        {
            board.key = old.key.clone();
            board.key_role = old.key_role;
        }
        board.opened_at = Some(js_sys::Date::now());
        boards.retain(|b| b.id != board.id);
        boards.insert(0, board);
        boards.truncate(MAX);
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&boards)) {
            // A full or disabled storage only costs the list, never the page.
            let _ = storage.set_item(KEY, &json);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = board;
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
