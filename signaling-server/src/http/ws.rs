//! The WebSocket upgrade: the Origin check, the rep's cookie, and the socket's limits.

use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::origin::{Origin, origin};
use super::{AppError, AppState};
use crate::connection::{self, MAX_WRITE_BUFFER, READ_BUFFER, TRANSPORT_LIMIT};

pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ws: WebSocketUpgrade,
) -> Result<Response, AppError> {
    let rep = match origin(&headers, &state.embed_sites) {
        Origin::Own => super::session::signed_in_rep(&state, &jar).await?,
        // A site allowed to embed the chat may talk as a customer, never with a rep's cookie.
        Origin::EmbeddingSite => None,
        Origin::Foreign => {
            return Ok((
                StatusCode::FORBIDDEN,
                "WebSocket from a foreign origin refused",
            )
                .into_response());
        }
    };
    let (hub, stopping, timeouts) = (
        state.hub.clone(),
        state.stopping.clone(),
        state.socket_timeouts,
    );
    Ok(ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(TRANSPORT_LIMIT)
        .max_frame_size(TRANSPORT_LIMIT)
        .on_upgrade(move |socket| connection::serve(socket, hub, rep, stopping, timeouts)))
}
