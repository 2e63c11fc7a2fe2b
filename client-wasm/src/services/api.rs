//! The rep sign-in API over HTTP: `POST /api/login`, `GET /api/me`, `POST /api/logout`.
//!
//! The server answers with an HttpOnly cookie, so a WebSocket opened after signing in is the
//! rep's. The bodies are `protocol::api`'s.

use gloo::net::http::{Request, Response};
use protocol::api::{self, Credentials};

/// The signed-in rep, as `/api/login` and `/api/me` describe them.
pub type Account = api::RepProfile;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: wrong username or password, or no valid cookie.
    Unauthorized,
    /// 429: too many failed sign-ins for this login; try again after this many seconds.
    TooManyAttempts(u32),
    /// The network or the server failed; the detail is for showing, not for matching.
    Failed(String),
}

fn failed(error: impl std::fmt::Display) -> ApiError {
    ApiError::Failed(error.to_string())
}

/// Signs in; on success the browser holds the rep's cookie.
pub async fn login(login: &str, password: &str) -> Result<Account, ApiError> {
    let credentials = Credentials {
        login: login.to_owned(),
        password: password.to_owned(),
    };
    let response = Request::post(api::LOGIN_PATH)
        .json(&credentials)
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    account(response).await
}

/// The rep the cookie belongs to, or `None` when nobody is signed in.
pub async fn me() -> Result<Option<Account>, ApiError> {
    let response = Request::get(api::ME_PATH).send().await.map_err(failed)?;
    match account(response).await {
        Ok(account) => Ok(Some(account)),
        Err(ApiError::Unauthorized) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Signs out and drops the cookie.
pub async fn logout() -> Result<(), ApiError> {
    let response = Request::post(api::LOGOUT_PATH)
        .send()
        .await
        .map_err(failed)?;
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
    if response.status() == 429 {
        let retry_after = response.headers().get("retry-after");
        return ApiError::TooManyAttempts(retry_after.and_then(|s| s.parse().ok()).unwrap_or(60));
    }
    // Prefer the server's `{"error": "..."}`; fall back to the status line.
    match response.json::<api::ApiError>().await {
        Ok(body) => ApiError::Failed(body.error),
        Err(_) => ApiError::Failed(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        )),
    }
}
