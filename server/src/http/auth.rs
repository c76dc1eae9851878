//! Who may do what with the board a request names: an axum extractor, so a handler that takes
//! an [`Authorized`] cannot run for an unknown board or a link that opens nothing on it.

use std::collections::HashMap;

use app::access::Role;
use app::model::Id;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::{ApiError, AppState};
use crate::access;

/// The board of the route's `{id}` and the role the request's link gives on it (the token comes
/// from `Authorization: Bearer …` or `?key=…`). An unknown board and a link that opens nothing are
/// the same 404, so a guess learns nothing.
#[derive(Debug, Clone)]
pub struct Authorized {
    pub id: Id,
    pub role: Role,
    /// The link's token as sent (the owner's is needed to derive the others).
    pub token: String,
}

impl FromRequestParts<AppState> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::RouteNotFound)?;
        let id = super::parse_id(params.get("id").ok_or(ApiError::RouteNotFound)?)?;
        let token = access::request_token(&parts.headers, parts.uri.query())
            .ok_or(ApiError::BoardNotFound)?;
        let role = access::role_of(state.store.as_ref(), id, Some(&token))
            .await?
            .ok_or(ApiError::BoardNotFound)?;
        Ok(Self { id, role, token })
    }
}

impl Authorized {
    /// Refuses a role below `needed` with 403 (`read_only`, `owner_only`).
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.role >= needed {
            Ok(())
        } else if needed == Role::Edit {
            Err(ApiError::Forbidden {
                code: "read_only",
                message: "this link may only view the board",
            })
        } else {
            Err(ApiError::Forbidden {
                code: "owner_only",
                message: "only the board's owner link may do this",
            })
        }
    }
}
