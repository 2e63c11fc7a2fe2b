//! Where a request comes from, by its `Origin`: this server's pages, a site allowed to embed
//! the chat, or anyone else. WebSockets check it on the upgrade; every request that changes
//! something checks it here, so a form on another site (even one on the same host, which
//! SameSite cookies do not tell apart) cannot act with a rep's cookie.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, EmbedSites};

/// Refuses a request that may change something (any method but GET and HEAD) from a page
/// that is not this server's own.
pub async fn refuse_foreign_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    if !reads && origin(request.headers(), &state.embed_sites) != Origin::Own {
        return (
            StatusCode::FORBIDDEN,
            "requests that change something are taken from this server's own pages only",
        )
            .into_response();
    }
    next.run(request).await
}

/// Where a request comes from.
#[derive(Debug, PartialEq, Eq)]
pub enum Origin {
    /// This server's own pages, the embedded chat among them; or a client that is not a browser.
    Own,
    /// A site the admin allows to embed the chat.
    EmbeddingSite,
    Foreign,
}

pub fn origin(headers: &HeaderMap, embed_sites: &EmbedSites) -> Origin {
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

/// A browser always sends `Origin` with a WebSocket and with every request that is not a GET;
/// it must be this server's own, or any site could act with the rep's cookie. Clients that
/// are not browsers send none.
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
