//! Who a request comes from, as axum extractors: a handler that takes [`SignedIn`] or [`Admin`]
//! never runs for anyone else, and the check is written once.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use support_core::RepAccount;

use super::session::signed_in_rep;
use super::{AppError, AppState};

/// The rep whose sign-in cookie the request carries; 401 without a valid one.
pub struct SignedIn(pub RepAccount);

/// A signed-in rep who is an admin; 401 without a sign-in, 403 for a rep who is no admin.
pub struct Admin(pub RepAccount);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let rep = signed_in_rep(state, &jar).await?;
        rep.map(SignedIn).ok_or(AppError::NotSignedIn)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let SignedIn(rep) = SignedIn::from_request_parts(parts, state).await?;
        if rep.admin {
            Ok(Admin(rep))
        } else {
            Err(AppError::NotAdmin)
        }
    }
}
