//! A rep's sign-in: `POST /api/login`, `POST /api/logout`, `GET /api/me`.
//!
//! The browser keeps a random token in an HttpOnly, SameSite=Strict cookie; the database keeps
//! its hash. The WebSocket upgrade reads the same cookie to know the rep.

use axum::Json;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use protocol::api::{Credentials, ProfileChange, RepProfile};

use super::signed_in::SignedIn;
use super::{AppError, AppState};
use crate::auth;
use crate::hub::now_millis;
use crate::limits::SignInThrottle;
use support_core::RepAccount;

pub const COOKIE: &str = "support_rep";

/// How long a sign-in lasts: a working day with room to spare.
const SIGN_IN_HOURS: i64 = 12;

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    Json(credentials): Json<Credentials>,
) -> Result<impl IntoResponse, AppError> {
    let Credentials { login, password } = credentials;
    let address = state.client_address(peer, &headers);
    // Counted before the password is checked, so parallel guesses count too.
    if let Err(wait) = throttle(&state).begin(&login, address, now_millis()) {
        return Err(AppError::TooManySignIns {
            retry_after_secs: (wait + 999) / 1000,
        });
    }
    let token = auth::new_token();
    let judged = check_password(&state, &login, password, auth::token_hash(&token)).await;
    match &judged {
        Ok(_) => throttle(&state).succeeded(&login, address),
        Err(AppError::WrongCredentials) => {}
        Err(_) => throttle(&state).not_judged(&login, address),
    }
    let rep = judged?;
    let cookie = Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(over_tls(&headers))
        .path("/")
        .max_age(time_hours(SIGN_IN_HOURS));
    Ok((jar.add(cookie), Json(profile(rep))))
}

/// The rep whose password this is, signed in under `token_hash`.
async fn check_password(
    state: &AppState,
    login: &str,
    password: String,
    token_hash: [u8; 32],
) -> Result<RepAccount, AppError> {
    let accounts = state.accounts.clone();
    let login = login.to_owned();
    let found = blocking(move || {
        Ok(accounts
            .lock()
            .expect("accounts lock")
            .rep_by_login(&login)?)
    })
    .await?;
    let (rep, stored) = match found {
        Some((rep, stored)) => (Some(rep), Some(stored)),
        None => (None, None),
    };
    let matches = state
        .passwords
        .verify(stored, password)
        .await
        .map_err(|auth::Busy| AppError::Busy {
            retry_after_secs: 1,
        })?;
    let Some(rep) = rep.filter(|_| matches) else {
        return Err(AppError::WrongCredentials);
    };
    let accounts = state.accounts.clone();
    blocking(move || {
        let now = now_millis();
        let expires = now + SIGN_IN_HOURS * 3_600_000;
        accounts
            .lock()
            .expect("accounts lock")
            .add_login(&token_hash, rep.id, now, expires)?;
        Ok(rep)
    })
    .await
}

/// Whether the browser reached us over HTTPS. TLS ends at the proxy in front of the server,
/// which says so in `X-Forwarded-Proto` or `Forwarded`; the cookie is then `Secure`, so it never
/// travels over plain HTTP. (A forged header only makes the cookie stricter.)
fn over_tls(headers: &axum::http::HeaderMap) -> bool {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let forwarded_proto = value("x-forwarded-proto")
        .and_then(|v| v.split(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    let forwarded = value("forwarded").is_some_and(|v| {
        v.split([';', ','])
            .any(|part| part.trim().eq_ignore_ascii_case("proto=https"))
    });
    forwarded_proto || forwarded
}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<impl IntoResponse, AppError> {
    if let Some(cookie) = jar.get(COOKIE) {
        let token_hash = auth::token_hash(cookie.value());
        blocking(move || {
            Ok(state
                .accounts
                .lock()
                .expect("accounts lock")
                .remove_login(&token_hash)?)
        })
        .await?;
    }
    Ok((
        jar.remove(Cookie::build(COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}

pub async fn me(SignedIn(rep): SignedIn) -> Json<RepProfile> {
    Json(profile(rep))
}

/// The rep whose sign-in cookie `jar` carries, if it is valid.
pub async fn signed_in_rep(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<RepAccount>, AppError> {
    let Some(cookie) = jar.get(COOKIE) else {
        return Ok(None);
    };
    let token_hash = auth::token_hash(cookie.value());
    let accounts = state.accounts.clone();
    blocking(move || {
        Ok(accounts
            .lock()
            .expect("accounts lock")
            .rep_by_login_token(&token_hash, now_millis())?)
    })
    .await
}

fn throttle(state: &AppState) -> std::sync::MutexGuard<'_, SignInThrottle> {
    state.sign_ins.lock().expect("sign-in throttle lock")
}

pub fn profile(rep: RepAccount) -> RepProfile {
    RepProfile {
        rep: rep.id,
        name: rep.name,
        admin: rep.admin,
        photo: rep.photo,
    }
}

/// Runs blocking database or hashing work off the async workers.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

fn time_hours(hours: i64) -> cookie::time::Duration {
    cookie::time::Duration::hours(hours)
}

/// `PUT /api/me`: the signed-in rep's new display name.
pub async fn rename(
    State(state): State<AppState>,
    SignedIn(mut rep): SignedIn,
    Json(change): Json<ProfileChange>,
) -> Result<Json<RepProfile>, AppError> {
    let name = support_core::clean_name(&change.name).trim().to_owned();
    if name.is_empty() || name.chars().count() > protocol::MAX_NAME_CHARS {
        return Err(AppError::BadInput(format!(
            "the display name must have 1 to {} characters",
            protocol::MAX_NAME_CHARS
        )));
    }
    let (accounts, id, stored) = (state.accounts.clone(), rep.id, name.clone());
    blocking(move || {
        Ok(accounts
            .lock()
            .expect("accounts lock")
            .set_rep_name(id, &stored)?)
    })
    .await?;
    state
        .hub
        .send(crate::hub::Command::Input(
            support_core::Input::RepRenamed {
                rep: id,
                name: name.clone(),
            },
        ))
        .await;
    rep.name = name;
    Ok(Json(profile(rep)))
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    #[test]
    fn the_cookie_is_secure_when_the_proxy_says_https() {
        let with = |name: &'static str, value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(name, HeaderValue::from_static(value));
            over_tls(&headers)
        };
        assert!(with("x-forwarded-proto", "https"));
        assert!(with("x-forwarded-proto", "HTTPS, http"));
        assert!(with(
            "forwarded",
            "for=192.0.2.60;proto=https;by=203.0.113.43"
        ));
        assert!(!with("x-forwarded-proto", "http"));
        assert!(!with("forwarded", "for=192.0.2.60;proto=http"));
        assert!(!over_tls(&HeaderMap::new()));
    }
}
