//! Errors of HTTP handlers, answered as JSON without internals.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use protocol::ErrorCode;
use protocol::api::ApiError;
use tracing::error;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("not signed in")]
    NotSignedIn,
    #[error("too many sign-in attempts; try again in {retry_after_secs} s")]
    TooManySignIns { retry_after_secs: i64 },
    /// Too many sign-ins are being checked at once.
    #[error("the server is busy; try again in {retry_after_secs} s")]
    Busy { retry_after_secs: i64 },
    #[error("only admins may do this")]
    NotAdmin,
    #[error("{0}")]
    Invalid(protocol::site::Invalid),
    #[error("{0}")]
    BadInput(String),
    #[error("a rep with the login `{0}` exists already")]
    LoginTaken(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooLarge(String),
    /// The hub refused (an upload of a file that is not the caller's, or not accepted).
    #[error("{}", .0.message)]
    Refused(support_core::Refusal),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::store::StoreError> for AppError {
    fn from(error: crate::store::StoreError) -> Self {
        AppError::Internal(error.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::WrongCredentials | AppError::NotSignedIn => StatusCode::UNAUTHORIZED,
            AppError::TooManySignIns { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::NotAdmin | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Refused(refusal) => match refusal.code {
                ErrorCode::Forbidden => StatusCode::FORBIDDEN,
                ErrorCode::NoSuchSession | ErrorCode::NoSuchFile => StatusCode::NOT_FOUND,
                ErrorCode::WrongState => StatusCode::CONFLICT,
                ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::BAD_REQUEST,
            },
            AppError::Invalid(_) | AppError::BadInput(_) => StatusCode::BAD_REQUEST,
            AppError::LoginTaken(_) => StatusCode::CONFLICT,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Internal(e) => {
                error!(error = %e, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = match &self {
            AppError::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        };
        let invalid = match &self {
            AppError::Invalid(invalid) => Some(invalid.clone()),
            _ => None,
        };
        let body = ApiError {
            error: message,
            invalid,
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooManySignIns { retry_after_secs } | AppError::Busy { retry_after_secs } =
            self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}
