use app::model::Rejection;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use app::sync::SubmitError;

use crate::store::StoreError;
use crate::sync::SubmitFailed;

/// Every error the HTTP API answers with. The body is always
/// `{"code": "...", "message": "..."}` (plus `op_index` for a rejected operation); codes are
/// stable, messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON.
    #[error("the request body is not valid JSON: {0}")]
    BadJson(String),
    /// 415: the body is not declared as `application/json`.
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    /// 413: the body is larger than the API accepts.
    #[error("the request body is larger than {max_bytes} bytes")]
    PayloadTooLarge { max_bytes: usize },
    /// 413: an imported file is larger than `SQUALL_IMPORT_BYTES`.
    #[error("this file is {}; an imported file may be at most {}", size(*.bytes), size(*.max_bytes))]
    FileTooLarge { bytes: usize, max_bytes: usize },
    /// 422: JSON of the wrong shape (missing or unknown keys, wrong types).
    #[error("the request body does not have the expected shape: {0}")]
    InvalidBody(String),
    /// 404: no board with this id.
    #[error("no such board, or the link is not valid (any more)")]
    BoardNotFound,
    /// 404: no such API route.
    #[error("no such API route")]
    RouteNotFound,
    /// 422: the model refused an operation; nothing was applied.
    #[error("{rejection}")]
    Rejected {
        op_index: Option<usize>,
        rejection: Rejection,
    },
    /// 500: logged in full, answered without details.
    #[error("{message}")]
    Forbidden {
        code: &'static str,
        message: &'static str,
    },
    /// 429: a limit of docs/operations.md; `limit` is its name and the code.
    #[error("{message}")]
    Limited {
        limit: &'static str,
        message: String,
    },
    /// 503: the server is shutting down; another instance (or this one, restarted) will answer.
    #[error("the server is restarting; try again in a moment")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] StoreError),
}

/// A size for people: 9.0 MB, 2.0 KB, 512 bytes (binary multiples, as file managers show).
pub fn size(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else if b >= KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The most a request body may weigh: a large board imported in one batch fits.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

#[derive(Serialize)]
struct Body {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    op_index: Option<usize>,
}

impl ApiError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::BadJson(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge { .. } | Self::FileTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Self::InvalidBody(_) | Self::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BoardNotFound | Self::RouteNotFound => StatusCode::NOT_FOUND,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::Limited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadJson(_) => "bad_json",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge { .. } | Self::FileTooLarge { .. } => "payload_too_large",
            Self::InvalidBody(_) => "invalid_body",
            Self::BoardNotFound => "board_not_found",
            Self::RouteNotFound => "route_not_found",
            Self::Rejected { rejection, .. } => rejection.code(),
            Self::Forbidden { code, .. } => code,
            Self::Limited { limit, .. } => limit,
            Self::Unavailable => "unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = %e, "request failed");
        }
        let op_index = match &self {
            Self::Rejected { op_index, .. } => *op_index,
            _ => None,
        };
        let body = Body {
            code: self.code(),
            message: self.to_string(),
            op_index,
        };
        (self.status(), Json(body)).into_response()
    }
}

impl From<squall_codegen::ExportError> for ApiError {
    fn from(e: squall_codegen::ExportError) -> Self {
        match e {
            squall_codegen::ExportError::UnknownTarget(_) => Self::InvalidBody(e.to_string()),
            // The embedded templates failed: a bug, logged in full like a store error.
            squall_codegen::ExportError::Generate(_) => {
                Self::Internal(StoreError::Corrupt(e.to_string()))
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonSyntaxError(e) => Self::BadJson(e.body_text()),
            JsonRejection::JsonDataError(e) => Self::InvalidBody(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge {
                max_bytes: MAX_BODY_BYTES,
            },
            other => Self::BadJson(other.body_text()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::BoardNotFound,
            StoreError::ShuttingDown => Self::Unavailable,
            other => Self::Internal(other),
        }
    }
}

impl From<SubmitFailed> for ApiError {
    fn from(e: SubmitFailed) -> Self {
        match e {
            SubmitFailed::Refused(SubmitError::Rejected { index, rejection }) => Self::Rejected {
                op_index: Some(index),
                rejection,
            },
            SubmitFailed::Store(e) => e.into(),
            // The room closed under the request (shutdown, deleted board), or the board moved
            // to another process: try again.
            SubmitFailed::Closed | SubmitFailed::Elsewhere(_) => Self::Unavailable,
            // Not reachable from HTTP (no client, no hello) or a room that closed under the
            // request: both are the server's problem.
            other => Self::Internal(StoreError::Corrupt(other.to_string())),
        }
    }
}

impl From<Rejection> for ApiError {
    fn from(rejection: Rejection) -> Self {
        Self::Rejected {
            op_index: None,
            rejection,
        }
    }
}
