//! The sites allowed to embed the chat: the chat page's CSP follows the admin's list at once,
//! other pages may be framed by no one, and a WebSocket from an allowed site is a customer's
//! only, never a rep's.

use protocol::api::AdminView;
use protocol::{ErrorCode, Reply, Settings};
use tokio_tungstenite::tungstenite;

use crate::support::TestServer;

const HOST_SITE: &str = "https://help.example.com";

/// The page shell, with the inline start-up script Trunk writes.
const INDEX: &str = "<!doctype html><script type=module>start()</script><body></body>";

async fn headers(server: &TestServer, path: &str) -> reqwest::header::HeaderMap {
    let response = reqwest::get(server.url(path)).await.unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.headers().clone()
}

fn csp(headers: &reqwest::header::HeaderMap) -> String {
    headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned()
}

async fn allow(server: &TestServer, cookie: &str, sites: &[&str]) {
    let settings = Settings {
        embed_origins: sites.iter().map(|s| s.to_string()).collect(),
        ..Settings::default()
    };
    let response = reqwest::Client::new()
        .put(server.url("/api/admin/settings"))
        .header("cookie", cookie)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let view: AdminView = response.json().await.unwrap();
    assert_eq!(view.settings.embed_origins, sites);
}

fn refused(attempt: Result<crate::support::Socket, tungstenite::Error>) -> bool {
    matches!(attempt, Err(tungstenite::Error::Http(response)) if response.status() == 403)
}

#[tokio::test]
async fn the_admins_list_of_sites_decides_who_may_frame_the_chat_and_open_its_socket() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let app = dir.path().join("no-app-here");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("index.html"), INDEX).unwrap();
    std::fs::create_dir_all(app.join("console")).unwrap();
    std::fs::write(app.join("console/index.html"), INDEX).unwrap();
    std::fs::write(app.join("embed.js"), "/* loader */").unwrap();
    let admin = server.admin_cookie("ada").await;
    let rep = server.rep_cookie("bo", "Bo").await;

    // Nobody else at first; the start-up script runs by its hash, nothing inline besides.
    let chat = csp(&headers(&server, "/chat").await);
    assert!(chat.ends_with("frame-ancestors 'self'"), "{chat}");
    assert!(chat.contains("'sha256-"), "{chat}");
    assert!(refused(server.socket_with(None, Some(HOST_SITE)).await));

    // Allowed: the chat page says so at once, and the site may open a customer's socket.
    allow(&server, &admin, &[HOST_SITE]).await;
    let chat = csp(&headers(&server, "/chat").await);
    assert!(
        chat.ends_with(&format!("frame-ancestors 'self' {HOST_SITE}")),
        "{chat}"
    );
    for console in ["/rep", "/admin"] {
        assert!(csp(&headers(&server, console).await).ends_with("frame-ancestors 'none'"));
    }
    let mut customer = server.socket_with(None, Some(HOST_SITE)).await.unwrap();
    assert!(matches!(customer.hello(None).await, Reply::Welcome { .. }));
    // Even with a signed-in rep's cookie, a socket from that site is no rep's.
    let mut forged = server
        .socket_with(Some(&rep), Some(HOST_SITE))
        .await
        .unwrap();
    assert_eq!(
        forged.rep_hello().await.unwrap_err().code,
        ErrorCode::NotSignedIn
    );
    // The same cookie from the server's own page is the rep's.
    let mut own = server.socket(Some(&rep)).await;
    assert!(own.rep_hello().await.is_ok());
    assert!(refused(
        server
            .socket_with(None, Some("https://help.example.com.evil.example"))
            .await
    ));

    // Taken off the list: refused again, without a restart.
    allow(&server, &admin, &[]).await;
    assert!(refused(server.socket_with(None, Some(HOST_SITE)).await));

    // The loader goes out brotli-compressed to browsers that take it (written at build time).
    std::fs::write(app.join("embed.js.br"), b"compressed").unwrap();
    let compressed = reqwest::Client::new()
        .get(server.url("/embed.js"))
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    assert_eq!(compressed.bytes().await.unwrap().as_ref(), b"compressed");

    // Every answer says nosniff and no referrer; the loader is revalidated, assets are not.
    let loader = headers(&server, "/embed.js").await;
    assert_eq!(loader["x-content-type-options"], "nosniff");
    assert_eq!(loader["referrer-policy"], "no-referrer");
    assert_eq!(loader["cache-control"], "no-cache");
    server.stop().await;
}
