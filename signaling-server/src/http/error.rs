//! Errors of HTTP handlers, answered as JSON without internals.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use protocol::api::ApiError;
use tracing::error;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("not signed in")]
    NotSignedIn,
    #[error("too many failed sign-ins for this login; try again in {retry_after_secs} s")]
    TooManySignIns { retry_after_secs: i64 },
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
            AppError::Internal(e) => {
                error!(error = %e, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = match &self {
            AppError::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        };
        let mut response = (status, Json(ApiError { error: message })).into_response();
        if let AppError::TooManySignIns { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}
