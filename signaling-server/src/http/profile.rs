//! A rep's photo: `PUT`/`DELETE /api/me/photo` for the signed-in rep, and
//! `GET /api/reps/{rep}/photo` for the customers they serve. And the customer's page-hide
//! beacon, `POST /api/leave`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use protocol::api::{MAX_PHOTO_BYTES, PHOTO_TYPES, RepProfile};
use protocol::{RepId, api};

use super::session::{blocking, profile};
use super::signed_in::SignedIn;
use super::{AppError, AppState};
use crate::hub::{Command, now_millis};
use crate::store::Photo;
use support_core::Input;

pub async fn put_photo(
    State(state): State<AppState>,
    SignedIn(rep): SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<RepProfile>, AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let photo = checked_photo(&content_type, body)?;
    save_photo(&state, rep, Some(photo)).await
}

pub async fn delete_photo(
    State(state): State<AppState>,
    SignedIn(rep): SignedIn,
) -> Result<Json<RepProfile>, AppError> {
    save_photo(&state, rep, None).await
}

async fn save_photo(
    state: &AppState,
    mut rep: support_core::RepAccount,
    photo: Option<Photo>,
) -> Result<Json<RepProfile>, AppError> {
    let accounts = state.accounts.clone();
    let id = rep.id;
    let url = blocking(move || {
        Ok(accounts
            .lock()
            .expect("accounts lock")
            .set_photo(id, photo, now_millis())?)
    })
    .await?;
    state
        .hub
        .send(Command::Input(Input::RepPhoto {
            rep: id,
            photo: url.clone(),
        }))
        .await;
    rep.photo = url;
    Ok(Json(profile(rep)))
}

/// The photo, if its type is one we show and its bytes are that type and not too many.
fn checked_photo(content_type: &str, bytes: Bytes) -> Result<Photo, AppError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(AppError::TooLarge(format!(
            "the photo is larger than {} KB",
            MAX_PHOTO_BYTES / 1024
        )));
    }
    let content_type = content_type.split(';').next().unwrap_or_default().trim();
    let Some(&known) = PHOTO_TYPES.iter().find(|t| **t == content_type) else {
        return Err(AppError::BadInput(
            "the photo must be a PNG, JPEG or WebP image".into(),
        ));
    };
    if sniff(&bytes) != Some(known) {
        return Err(AppError::BadInput(format!(
            "the photo is not a {} image",
            known.trim_start_matches("image/").to_uppercase()
        )));
    }
    Ok(Photo {
        bytes: bytes.to_vec(),
        content_type: known.to_owned(),
    })
}

/// The image type the first bytes say, whatever the upload claimed.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

pub async fn get_photo(
    State(state): State<AppState>,
    Path(rep): Path<RepId>,
) -> Result<Response, AppError> {
    let accounts = state.accounts.clone();
    let photo = blocking(move || Ok(accounts.lock().expect("accounts lock").photo(rep)?)).await?;
    let photo = photo.ok_or_else(|| AppError::NotFound(format!("rep {rep} has no photo")))?;
    let content_type =
        HeaderValue::from_str(&photo.content_type).map_err(|e| AppError::Internal(e.into()))?;
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ),
        // The address carries the upload time: a new photo gets a new address.
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
    ];
    Ok((headers, photo.bytes).into_response())
}

/// The customer's page went away. The body is the session token; an unknown one is ignored,
/// as a beacon cannot hear the answer anyway.
pub async fn leave(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    body: String,
) -> impl IntoResponse {
    let token = body.trim().to_owned();
    if !token.is_empty() && token.len() <= 128 {
        let (embedded, page) = leave_query(query.as_deref().unwrap_or_default());
        // The core decides the grace and ends the session when it runs out.
        let leave = Command::Input(Input::Leave {
            token,
            embedded,
            page,
        });
        state.hub.send(leave).await;
    }
    axum::http::StatusCode::NO_CONTENT
}

/// The leaving beacon's query: whether the chat was embedded, and the page's number. Parts it
/// does not know, or cannot read, count as absent.
fn leave_query(query: &str) -> (bool, Option<u64>) {
    let parts = || query.split('&');
    let embedded = parts().any(|part| part == api::LEAVE_EMBEDDED_QUERY);
    let page = parts().find_map(|part| part.strip_prefix("page=")?.parse().ok());
    (embedded, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leaving_beacon_query_is_read_part_by_part() {
        assert_eq!(leave_query(""), (false, None));
        assert_eq!(leave_query("page=42"), (false, Some(42)));
        assert_eq!(leave_query("embedded&page=7"), (true, Some(7)));
        assert_eq!(leave_query("page=x&embedded"), (true, None));
        assert_eq!(leave_query("embeddedx&page=-1"), (false, None));
    }

    #[test]
    fn a_photo_must_be_what_it_claims() {
        let png = Bytes::from_static(b"\x89PNG\r\n\x1a\nrest");
        assert!(checked_photo("image/png", png.clone()).is_ok());
        assert!(matches!(
            checked_photo("image/jpeg", png.clone()),
            Err(AppError::BadInput(_))
        ));
        assert!(matches!(
            checked_photo("text/html", Bytes::from_static(b"<script>")),
            Err(AppError::BadInput(_))
        ));
        let huge = Bytes::from(vec![0u8; MAX_PHOTO_BYTES + 1]);
        assert!(matches!(
            checked_photo("image/png", huge),
            Err(AppError::TooLarge(_))
        ));
    }
}
