//! Errors of HTTP handlers, answered as JSON without internals.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use protocol::api::ApiError;
use protocol::{ErrorCode, Reason};
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
    /// An upload that did not arrive as offered.
    #[error("{words}")]
    Upload { reason: Reason, words: String },
    /// The hub refused (an upload of a file that is not the caller's or not accepted, an admin
    /// change it cannot take).
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

impl AppError {
    pub fn upload(reason: Reason, words: impl Into<String>) -> AppError {
        AppError::Upload {
            reason,
            words: words.into(),
        }
    }

    /// What exactly was refused, for the page to word in its language.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            AppError::Invalid(invalid) => Some(Reason::Invalid(invalid.clone())),
            AppError::Upload { reason, .. } => Some(reason.clone()),
            AppError::Refused(refusal) => refusal.reason.clone(),
            _ => None,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::WrongCredentials | AppError::NotSignedIn => StatusCode::UNAUTHORIZED,
            AppError::TooManySignIns { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::NotAdmin | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::TooLarge(_)
            | AppError::Upload {
                reason: Reason::LargerThanOffered,
                ..
            } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Refused(refusal) => match refusal.code {
                ErrorCode::Forbidden => StatusCode::FORBIDDEN,
                ErrorCode::NoSuchSession | ErrorCode::NoSuchFile | ErrorCode::NoSuchNotice => {
                    StatusCode::NOT_FOUND
                }
                ErrorCode::WrongState => StatusCode::CONFLICT,
                ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::BAD_REQUEST,
            },
            AppError::Invalid(_) | AppError::BadInput(_) | AppError::Upload { .. } => {
                StatusCode::BAD_REQUEST
            }
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
        let body = ApiError {
            error: message,
            reason: self.reason(),
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
