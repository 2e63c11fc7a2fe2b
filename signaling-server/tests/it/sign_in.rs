//! Rep sign-in over HTTP, the cookie, and the WebSocket's Origin check.

use protocol::{ErrorCode, Identity, Request};

use crate::support::{REP_PASSWORD, TestServer};

#[tokio::test]
async fn a_rep_signs_in_with_an_http_only_strict_cookie_and_is_known_on_the_socket() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    signaling_server::add_rep(dir.path(), "bo", "Bo Rep", REP_PASSWORD, true).unwrap();
    let response = server.login("bo", REP_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    // Plain HTTP here: not `Secure`, or the browser would drop it. Behind a TLS proxy it is.
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    let behind_tls = reqwest::Client::new()
        .post(server.url("/api/login"))
        .header("x-forwarded-proto", "https")
        .json(&serde_json::json!({ "login": "bo", "password": REP_PASSWORD }))
        .send()
        .await
        .unwrap();
    let secure = behind_tls.headers()["set-cookie"].to_str().unwrap();
    assert!(
        secure.contains("Secure") && secure.contains("HttpOnly"),
        "{secure}"
    );
    let me: serde_json::Value = response.json().await.unwrap();
    assert_eq!(me["name"], "Bo Rep");
    assert_eq!(me["admin"], true);

    let cookie = set_cookie.split(';').next().unwrap();
    assert_eq!(server.me(cookie).await, 200);
    let (_rep, me) = server.page(Some(cookie), Request::rep_hello()).await;
    assert!(matches!(me, Identity::Rep { admin: true, .. }), "{me:?}");

    // After signing out the cookie is worth nothing.
    assert_eq!(server.logout(cookie).await, 204);
    assert_eq!(server.me(cookie).await, 401);
    let refused = server.try_page(Some(cookie), Request::rep_hello()).await;
    assert_eq!(refused.err().map(|r| r.code), Some(ErrorCode::NotSignedIn));
    server.stop().await;
}

#[tokio::test]
async fn a_reps_cookie_gives_a_customer_page_no_rep_powers() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (_ada, session, _) = server.customer("Ada").await;
    let cookie = server.rep_cookie("bo", "Bo").await;
    let hello = Request::customer_hello(None);
    let (mut page, me) = server.page(Some(&cookie), hello).await;
    assert_eq!(me, Identity::Visitor);
    let refused = page
        .request(protocol::Request::Accept { session })
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotSignedIn);
    server.stop().await;
}

#[tokio::test]
async fn a_wrong_password_or_unknown_login_is_refused_alike() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    signaling_server::add_rep(dir.path(), "bo", "Bo", REP_PASSWORD, false).unwrap();
    for (login, password) in [("bo", "wrong password"), ("nobody", REP_PASSWORD)] {
        let response = server.login(login, password).await;
        assert_eq!(response.status(), 401);
        assert!(response.headers().get("set-cookie").is_none());
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "wrong username or password");
    }
    // A forged cookie makes nobody a rep.
    let forged = Some("support_rep=forged");
    let refused = server.try_page(forged, Request::rep_hello()).await;
    assert_eq!(refused.err().map(|r| r.code), Some(ErrorCode::NotSignedIn));
    server.stop().await;
}

#[tokio::test]
async fn a_websocket_from_another_origin_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let refused = server.socket_with(None, Some("http://evil.example")).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("a foreign origin was let in"),
    }
    assert!(
        server
            .socket_with(None, Some(&server.url("")))
            .await
            .is_ok()
    );
    server.stop().await;
}

#[tokio::test]
async fn health_and_pages_answer_even_before_the_app_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(
        (health.status().as_u16(), health.text().await.unwrap()),
        (200, "ok".to_string())
    );
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let root = no_redirects
        .get(server.url("/?lang=de"))
        .send()
        .await
        .unwrap();
    assert_eq!(root.status(), 303);
    assert_eq!(root.headers()["location"], "/chat?lang=de");
    let page = reqwest::get(server.url("/chat")).await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(page.text().await.unwrap().contains("cargo xtask build"));
    server.stop().await;
}

#[test]
fn rep_add_checks_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let add = |login: &str, name: &str, password: &str| {
        signaling_server::add_rep(dir.path(), login, name, password, false)
            .map_err(|e| e.to_string())
    };
    assert!(add("bo", "Bo", "short").unwrap_err().contains("at least 8"));
    assert!(
        add("", "Bo", REP_PASSWORD)
            .unwrap_err()
            .contains("needs a login")
    );
    assert!(
        add("b o", "Bo", REP_PASSWORD)
            .unwrap_err()
            .contains("letters, digits")
    );
    assert!(
        add("bo", " ", REP_PASSWORD)
            .unwrap_err()
            .contains("display name")
    );
    add("bo", "Bo", REP_PASSWORD).unwrap();
    assert!(
        add("bo", "Bo", REP_PASSWORD)
            .unwrap_err()
            .contains("exists already")
    );
}

#[tokio::test]
async fn the_first_start_creates_an_admin_whose_password_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let password = signaling_server::ensure_first_admin(dir.path())
        .unwrap()
        .expect("an admin");
    assert_eq!(
        signaling_server::ensure_first_admin(dir.path()).unwrap(),
        None,
        "only once"
    );
    let server = TestServer::start(dir.path()).await;
    let response = server.login("admin", &password).await;
    assert_eq!(response.status(), 200);
    let me: serde_json::Value = response.json().await.unwrap();
    assert_eq!(me["admin"], true);
    server.stop().await;
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_that_login_for_a_while() {
    use signaling_server::limits::SignInThrottle;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    signaling_server::add_rep(dir.path(), "bo", "Bo", REP_PASSWORD, false).unwrap();
    signaling_server::add_rep(dir.path(), "ann", "Ann", REP_PASSWORD, false).unwrap();
    for _ in 0..SignInThrottle::MAX_PER_LOGIN {
        assert_eq!(server.login("bo", "guess").await.status(), 401);
    }
    // Now even the right password must wait.
    let throttled = server.login("bo", REP_PASSWORD).await;
    assert_eq!(throttled.status(), 429);
    let retry_after: i64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=SignInThrottle::WINDOW_MS / 1000).contains(&retry_after),
        "{retry_after}"
    );
    let body: serde_json::Value = throttled.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("too many sign-in attempts"),
        "{body}"
    );
    // Other reps sign in as usual.
    assert_eq!(server.login("ann", REP_PASSWORD).await.status(), 200);
    server.stop().await;
}
