//! The rep sign-in API over HTTP: `POST /api/login`, `GET /api/me`, `POST /api/logout`.
//!
//! The server answers with an HttpOnly cookie, so a WebSocket opened after signing in is the
//! rep's. These JSON shapes are the only serialized types outside the `protocol` crate.

use gloo::net::http::{Request, Response};
use protocol::RepId;
use serde::{Deserialize, Serialize};

/// The signed-in rep, as `/api/login` and `/api/me` describe them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    pub rep: RepId,
    pub name: String,
    pub admin: bool,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: wrong username or password, or no valid cookie.
    Unauthorized,
    /// The network or the server failed; the detail is for showing, not for matching.
    Failed(String),
}

#[derive(Serialize)]
struct Credentials<'a> {
    login: &'a str,
    password: &'a str,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

fn failed(error: impl std::fmt::Display) -> ApiError {
    ApiError::Failed(error.to_string())
}

/// Signs in; on success the browser holds the rep's cookie.
pub async fn login(login: &str, password: &str) -> Result<Account, ApiError> {
    let response = Request::post("/api/login")
        .json(&Credentials { login, password })
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    account(response).await
}

/// The rep the cookie belongs to, or `None` when nobody is signed in.
pub async fn me() -> Result<Option<Account>, ApiError> {
    let response = Request::get("/api/me").send().await.map_err(failed)?;
    match account(response).await {
        Ok(account) => Ok(Some(account)),
        Err(ApiError::Unauthorized) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Signs out and drops the cookie.
pub async fn logout() -> Result<(), ApiError> {
    let response = Request::post("/api/logout").send().await.map_err(failed)?;
    if response.ok() {
        Ok(())
    } else {
        Err(status_error(response).await)
    }
}

async fn account(response: Response) -> Result<Account, ApiError> {
    if response.ok() {
        response.json::<Account>().await.map_err(failed)
    } else {
        Err(status_error(response).await)
    }
}

async fn status_error(response: Response) -> ApiError {
    if response.status() == 401 {
        return ApiError::Unauthorized;
    }
    // Prefer the server's `{"error": "..."}`; fall back to the status line.
    match response.json::<ErrorBody>().await {
        Ok(body) => ApiError::Failed(body.error),
        Err(_) => ApiError::Failed(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        )),
    }
}
