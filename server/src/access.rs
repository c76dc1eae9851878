//! Capability links. Creating a board makes a random owner token (256 bits). The edit and view
//! tokens are derived from it (HMAC-SHA256 of the board, role and the link's generation, keyed
//! by the owner token), so the owner can always be shown the current links while the database
//! keeps only SHA-256 hashes of all three: a copy of the database opens no board. Rotating a
//! link bumps its generation: the old token's hash is gone, the old link stops working.

use app::access::Role;
use app::model::Id;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::store::{BoardStore, StoreError, StoredLink};

/// A fresh owner token: 32 random bytes, URL-safe base64 (43 characters).
pub fn new_owner_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The edit or view token of `board` at `generation`, derived from the owner token.
pub fn derive_token(owner: &str, board: Id, role: Role, generation: i64) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(owner.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(format!("squall-link:{board}:{}:{generation}", role.as_str()).as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// What the store keeps of a token.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The three tokens of a new board, as handed to its creator.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewTokens {
    pub owner: String,
    pub edit: String,
    pub view: String,
}

/// The three links of a new board: the tokens to hand to the creator and the rows to store.
pub fn new_links(board: Id) -> (NewTokens, Vec<StoredLink>) {
    let owner = new_owner_token();
    let tokens = NewTokens {
        edit: derive_token(&owner, board, Role::Edit, 0),
        view: derive_token(&owner, board, Role::View, 0),
        owner,
    };
    let rows = [
        (Role::Owner, &tokens.owner),
        (Role::Edit, &tokens.edit),
        (Role::View, &tokens.view),
    ]
    .into_iter()
    .map(|(role, token)| StoredLink {
        role,
        generation: 0,
        token_hash: hash_token(token),
    })
    .collect();
    (tokens, rows)
}

/// The role `token` grants on `board`; `None` for no token, an unknown one, or another board's
/// (the caller answers all three like an unknown board, so links cannot be probed).
pub async fn role_of(
    store: &dyn BoardStore,
    board: Id,
    token: Option<&str>,
) -> Result<Option<Role>, StoreError> {
    let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= 128) else {
        return Ok(None);
    };
    Ok(store
        .find_link(&hash_token(token))
        .await?
        .filter(|(b, _)| *b == board)
        .map(|(_, role)| role))
}

/// The current edit and view tokens, for the owner holding `owner`.
pub async fn share_links(
    store: &dyn BoardStore,
    board: Id,
    owner: &str,
) -> Result<app::access::ShareLinks, StoreError> {
    let links = store.links(board).await?;
    let generation = |role| {
        links
            .iter()
            .find(|l| l.role == role)
            .map_or(0, |l| l.generation)
    };
    Ok(app::access::ShareLinks {
        edit: derive_token(owner, board, Role::Edit, generation(Role::Edit)),
        view: derive_token(owner, board, Role::View, generation(Role::View)),
    })
}

/// Replaces the edit or view link; returns the new token.
pub async fn rotate(
    store: &dyn BoardStore,
    board: Id,
    owner: &str,
    role: Role,
) -> Result<String, StoreError> {
    let links = store.links(board).await?;
    let generation = links
        .iter()
        .find(|l| l.role == role)
        .map_or(0, |l| l.generation)
        + 1;
    let token = derive_token(owner, board, role, generation);
    store
        .replace_link(
            board,
            &StoredLink {
                role,
                generation,
                token_hash: hash_token(&token),
            },
        )
        .await?;
    Ok(token)
}

/// The token of a request: `Authorization: Bearer <token>`, or `?key=<token>` (what links and
/// WebSockets carry).
pub fn request_token(headers: &axum::http::HeaderMap, query: Option<&str>) -> Option<String> {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    bearer.or_else(|| query_param(query, "key"))
}

/// The value of `name` in a query string (tokens, ids and targets need no percent-decoding).
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_url_safe_and_distinct() {
        let a = new_owner_token();
        let b = new_owner_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes of base64url");
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        let board = app::model::new_id();
        let edit = derive_token(&a, board, Role::Edit, 0);
        assert_eq!(edit.len(), 43);
        assert_ne!(
            edit,
            derive_token(&a, board, Role::View, 0),
            "one token per role"
        );
        assert_ne!(
            edit,
            derive_token(&a, board, Role::Edit, 1),
            "rotation changes it"
        );
        assert_ne!(
            edit,
            derive_token(&b, board, Role::Edit, 0),
            "another owner, another token"
        );
        assert_eq!(edit, derive_token(&a, board, Role::Edit, 0), "stable");
    }

    #[test]
    fn a_hash_does_not_contain_the_token() {
        let token = new_owner_token();
        let hash = hash_token(&token);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&token));
    }

    #[test]
    fn the_token_comes_from_the_header_or_the_query() {
        let mut headers = axum::http::HeaderMap::new();
        assert_eq!(
            request_token(&headers, Some("x=1&key=abc")),
            Some("abc".into())
        );
        headers.insert("authorization", "Bearer xyz".parse().unwrap());
        assert_eq!(request_token(&headers, Some("key=abc")), Some("xyz".into()));
        assert_eq!(request_token(&axum::http::HeaderMap::new(), None), None);
    }
}
