//! The WebSocket upgrade: the Origin check, the rep's cookie, and the socket's limits.

use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::{AppError, AppState, EmbedSites};
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
    let (hub, stopping) = (state.hub.clone(), state.stopping.clone());
    Ok(ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(TRANSPORT_LIMIT)
        .max_frame_size(TRANSPORT_LIMIT)
        .on_upgrade(move |socket| connection::serve(socket, hub, rep, stopping)))
}

/// Where a WebSocket comes from.
#[derive(Debug, PartialEq, Eq)]
enum Origin {
    /// This server's own pages, the embedded chat among them; or a client that is not a browser.
    Own,
    /// A site the admin allows to embed the chat.
    EmbeddingSite,
    Foreign,
}

fn origin(headers: &HeaderMap, embed_sites: &EmbedSites) -> Origin {
    if same_origin(headers) {
        Origin::Own
    } else if headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|o| embed_sites.allows(o))
    {
        Origin::EmbeddingSite
    } else {
        Origin::Foreign
    }
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

    #[test]
    fn an_embedding_site_gets_in_without_the_reps_cookie_and_others_not_at_all() {
        let sites = EmbedSites::new(vec!["https://help.example.com".into()]);
        let from = |o| origin(&headers(Some(o)), &sites);
        assert_eq!(from("http://127.0.0.1:8080"), Origin::Own);
        assert_eq!(from("https://help.example.com"), Origin::EmbeddingSite);
        assert_eq!(from("https://help.example.com:444"), Origin::Foreign);
        assert_eq!(from("http://help.example.com"), Origin::Foreign);
        assert_eq!(from("https://evil.example"), Origin::Foreign);
    }
}
