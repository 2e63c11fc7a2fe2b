//! The HTTP API: rep sign-in (`POST /api/login`, `GET /api/me`, `POST /api/logout`), the rep's
//! photo (`PUT /api/me/photo`), the customer's leaving beacon (`/api/leave`) and the admin calls
//! under `/api/admin`.
//!
//! The server answers sign-in with an HttpOnly cookie, so a WebSocket opened after signing in is
//! the rep's, and the admin calls carry it too. The bodies are `protocol::api`'s.

use gloo::net::http::{Request, RequestBuilder, Response};
use protocol::api::{
    self, AdminView, Credentials, NewRep, Outcome, RepChange, SessionPage, SessionReport,
    SessionSearch,
};
use protocol::site::{Invalid, NoticeDraft};
use protocol::{NoticeId, Reason, RepId, SessionId, Settings};

/// The signed-in rep, as `/api/login` and `/api/me` describe them.
pub type Account = api::RepProfile;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: wrong username or password, or no valid cookie.
    Unauthorized,
    /// 429: too many sign-ins for this login or address; try again after this many seconds.
    TooManyAttempts(u32),
    /// 403: the signed-in rep is not an admin.
    Forbidden,
    /// 400 naming the value the server refused.
    Invalid(Invalid),
    /// The server said what else it refused.
    Refused(Reason),
    /// 409: the login is taken; the server's words.
    Conflict(String),
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

/// Replaces the signed-in rep's photo with `file` (sent as it is, with its own type).
pub async fn upload_photo(file: &web_sys::File) -> Result<Account, ApiError> {
    let response = Request::put(api::PHOTO_PATH)
        .header("Content-Type", &file.type_())
        .body(file.clone())
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    account(response).await
}

/// Renames the signed-in rep; customers see the new name at once.
pub async fn rename(name: &str) -> Result<Account, ApiError> {
    let change = api::ProfileChange {
        name: name.to_owned(),
    };
    let response = Request::put(api::ME_PATH)
        .json(&change)
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    account(response).await
}

thread_local! {
    /// This page load's number (below 2^53, which JavaScript's numbers hold exactly).
    static PAGE: u64 = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
}

/// The number this page gives in its `hello` and names in its leaving beacon, so that the
/// server can tell a late beacon from a page that is gone.
pub fn page_number() -> u64 {
    PAGE.with(|page| *page)
}

/// Tells the server the customer's page is going away (`pagehide`): the session ends unless
/// the page comes back at once, or, `embedded` in another site's page, soon (the host site's
/// next page opens the chat again). A beacon, because a normal request may not outlive the page.
pub fn leave_beacon(token: &str, embedded: bool) {
    let mut path = format!("{}?page={}", api::LEAVE_PATH, page_number());
    if embedded {
        path = format!("{path}&{}", api::LEAVE_EMBEDDED_QUERY);
    }
    if let Some(window) = web_sys::window()
        && window
            .navigator()
            .send_beacon_with_opt_str(&path, Some(token))
            .is_err()
    {
        super::warn("could not send the leaving beacon");
    }
}

/// Everything the admin page shows.
pub async fn admin_view() -> Result<AdminView, ApiError> {
    admin(Request::get(api::ADMIN_PATH)).await
}

/// Saves the texts and policies.
pub async fn save_settings(settings: &Settings) -> Result<AdminView, ApiError> {
    admin_json(Request::put(api::ADMIN_SETTINGS_PATH), settings).await
}

pub async fn add_rep(rep: &NewRep) -> Result<AdminView, ApiError> {
    admin_json(Request::post(api::ADMIN_REPS_PATH), rep).await
}

/// Sets a rep's admin role and whether they may sign in.
pub async fn change_rep(rep: RepId, change: &RepChange) -> Result<AdminView, ApiError> {
    let url = format!("{}/{rep}", api::ADMIN_REPS_PATH);
    admin_json(Request::put(&url), change).await
}

pub async fn add_notice(notice: &NoticeDraft) -> Result<AdminView, ApiError> {
    admin_json(Request::post(api::ADMIN_NOTICES_PATH), notice).await
}

pub async fn save_notice(id: NoticeId, notice: &NoticeDraft) -> Result<AdminView, ApiError> {
    let url = format!("{}/{id}", api::ADMIN_NOTICES_PATH);
    admin_json(Request::put(&url), notice).await
}

pub async fn delete_notice(id: NoticeId) -> Result<AdminView, ApiError> {
    let url = format!("{}/{id}", api::ADMIN_NOTICES_PATH);
    admin(Request::delete(&url)).await
}

/// The page of session reports that `search` finds.
pub async fn session_page(search: &SessionSearch) -> Result<SessionPage, ApiError> {
    let text = String::from(js_sys::encode_uri_component(&search.q));
    let mut url = format!("{}?page={}&q={text}", api::ADMIN_SESSIONS_PATH, search.page);
    let outcome = search.outcome.map(|outcome| match outcome {
        Outcome::Served => "served",
        Outcome::NotServed => "not_served",
        Outcome::Live => "live",
    });
    let parts = [
        ("from", search.from.map(|ms| ms.to_string())),
        ("until", search.until.map(|ms| ms.to_string())),
        ("outcome", outcome.map(str::to_owned)),
        ("min_rating", search.min_rating.map(|n| n.to_string())),
    ];
    for (key, value) in parts {
        if let Some(value) = value {
            url.push_str(&format!("&{key}={value}"));
        }
    }
    read(Request::get(&url)).await
}

pub async fn session_report(session: SessionId) -> Result<SessionReport, ApiError> {
    read(Request::get(&format!(
        "{}/{session}",
        api::ADMIN_SESSIONS_PATH
    )))
    .await
}

/// Segment `index` of the recording `name`, as WebM.
pub async fn recording_segment(name: &str, index: u32) -> Result<Vec<u8>, ApiError> {
    let url = format!("{}/{name}/{index}", api::ADMIN_RECORDINGS_PATH);
    let response = Request::get(&url).send().await.map_err(failed)?;
    if response.ok() {
        response.binary().await.map_err(failed)
    } else {
        Err(status_error(response).await)
    }
}

async fn read<T: serde::de::DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    body(request.send().await.map_err(failed)?).await
}

async fn admin_json(
    request: RequestBuilder,
    body: &impl serde::Serialize,
) -> Result<AdminView, ApiError> {
    let response = request
        .json(body)
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    view(response).await
}

async fn admin(request: RequestBuilder) -> Result<AdminView, ApiError> {
    view(request.send().await.map_err(failed)?).await
}

/// Every admin call answers with the whole view as it now stands.
async fn view(response: Response) -> Result<AdminView, ApiError> {
    body(response).await
}

async fn account(response: Response) -> Result<Account, ApiError> {
    body(response).await
}

/// A successful answer's JSON, or why it failed.
async fn body<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        response.json::<T>().await.map_err(failed)
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
    if response.status() == 403 {
        return ApiError::Forbidden;
    }
    // Prefer the server's `{"error": "...", "reason": ...}`; fall back to the status line.
    match response.json::<api::ApiError>().await {
        Ok(api::ApiError {
            reason: Some(Reason::Invalid(invalid)),
            ..
        }) => ApiError::Invalid(invalid),
        Ok(api::ApiError {
            reason: Some(reason),
            ..
        }) => ApiError::Refused(reason),
        Ok(body) if response.status() == 409 => ApiError::Conflict(body.error),
        Ok(body) => ApiError::Failed(body.error),
        Err(_) => ApiError::Failed(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        )),
    }
}
