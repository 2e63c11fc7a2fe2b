//! The WebSocket upgrade: the Origin check, the rep's cookie, and the socket's limits.

use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::{AppError, AppState};
use crate::connection::{self, MAX_WRITE_BUFFER, READ_BUFFER, TRANSPORT_LIMIT};

pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ws: WebSocketUpgrade,
) -> Result<Response, AppError> {
    if !same_origin(&headers) {
        return Ok((
            StatusCode::FORBIDDEN,
            "WebSocket from a foreign origin refused",
        )
            .into_response());
    }
    let rep = super::session::signed_in_rep(&state, &jar).await?;
    let (hub, stopping) = (state.hub.clone(), state.stopping.clone());
    Ok(ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(TRANSPORT_LIMIT)
        .max_frame_size(TRANSPORT_LIMIT)
        .on_upgrade(move |socket| connection::serve(socket, hub, rep, stopping)))
}

/// A browser always sends `Origin` with a WebSocket; it must be this server's own, or any site
/// could open a socket with the rep's cookie. Clients that are not browsers send none.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (
        origin.to_str(),
        headers.get(header::HOST).map(|h| h.to_str()),
    ) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(origin: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, HeaderValue::from_static(origin));
        }
        headers
    }

    #[test]
    fn only_the_servers_own_origin_is_let_in() {
        assert!(same_origin(&headers(Some("http://127.0.0.1:8080"))));
        assert!(same_origin(&headers(Some("https://127.0.0.1:8080"))));
        assert!(same_origin(&headers(None)));
        assert!(!same_origin(&headers(Some("http://evil.example"))));
        assert!(!same_origin(&headers(Some("http://127.0.0.1:8081"))));
        assert!(!same_origin(&headers(Some(
            "http://127.0.0.1:8080.evil.example"
        ))));
        assert!(!same_origin(&headers(Some("null"))));
    }
}
