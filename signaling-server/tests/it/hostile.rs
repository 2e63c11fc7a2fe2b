//! Cheap attacks that must not take the desk down: parallel password guessing, sign-in floods,
//! silent and trickling connections, too many connections, relay credentials for visitors,
//! and forms on other sites. (A burst at a rep is in the hub's tests, which can hold the
//! rep's reading back until the hub has delivered it.)

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::future::join_all;
use protocol::{FileState, Party, Reply, Request, ServerMessage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::support::{Page, REP_PASSWORD, TestServer, chat};

/// The statuses of `attempts` sign-ins sent all at once.
async fn sign_ins_at_once(server: &TestServer, attempts: &[(&str, &str)]) -> Vec<u16> {
    let all = attempts
        .iter()
        .map(|(login, password)| server.login(login, password));
    join_all(all)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect()
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|&&s| s == status).count()
}

#[tokio::test]
async fn guesses_sent_in_parallel_count_before_the_password_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    signaling_server::add_rep(dir.path(), "bo", "Bo", REP_PASSWORD, false).unwrap();
    // The right password among 29 wrong ones, all at once: only the first five are checked.
    let mut attempts = vec![("bo", "wrong guess"); 29];
    attempts.push(("bo", REP_PASSWORD));
    let statuses = sign_ins_at_once(&server, &attempts).await;
    let judged = count(&statuses, 401) + count(&statuses, 200);
    assert_eq!(judged, 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 25, "{statuses:?}");
    // The window is full: even the right password waits now.
    assert_eq!(server.login("bo", REP_PASSWORD).await.status(), 429);
    server.stop().await;
}

#[tokio::test]
async fn one_address_guessing_many_logins_is_slowed_whatever_it_claims_to_forward() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for n in 0..21 {
        // Not behind a proxy: the header is the client's own claim and changes nothing.
        let response = client
            .post(server.url("/api/login"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .json(&serde_json::json!({ "login": format!("rep{n}"), "password": "guess" }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(count(&statuses, 401), 20, "{statuses:?}");
    assert_eq!(statuses[20], 429, "{statuses:?}");
    server.stop().await;
}

#[tokio::test]
async fn behind_a_proxy_the_forwarded_address_is_the_one_counted() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |c| c.behind_proxy = true).await;
    let client = reqwest::Client::new();
    let attempt = |login: String, from: &'static str| {
        client
            .post(server.url("/api/login"))
            .header("x-forwarded-for", from)
            .json(&serde_json::json!({ "login": login, "password": "guess" }))
            .send()
    };
    for n in 0..20 {
        let response = attempt(format!("rep{n}"), "203.0.113.1").await.unwrap();
        assert_eq!(response.status(), 401);
    }
    let blocked = attempt("another".into(), "203.0.113.1").await.unwrap();
    assert_eq!(blocked.status(), 429);
    let elsewhere = attempt("another".into(), "203.0.113.2").await.unwrap();
    assert_eq!(elsewhere.status(), 401);
    server.stop().await;
}

#[tokio::test]
async fn a_sign_in_flood_waits_in_a_bounded_queue_and_the_rest_is_told_when_to_come_back() {
    let dir = tempfile::tempdir().unwrap();
    // One checking thread: eight may wait, the rest are turned away.
    let server = TestServer::start_with(dir.path(), |c| c.password_threads = 1).await;
    let logins: Vec<String> = (0..18).map(|n| format!("nobody{n}")).collect();
    let attempts: Vec<(&str, &str)> = logins.iter().map(|l| (l.as_str(), "guess")).collect();
    let all = attempts.iter().map(|(l, p)| server.login(l, p));
    let responses = join_all(all).await;
    let busy: Vec<_> = responses.iter().filter(|r| r.status() == 503).collect();
    assert!(!busy.is_empty(), "all 18 were checked at once");
    assert!(busy.iter().all(|r| r.headers().contains_key("retry-after")));
    assert!(
        responses.iter().filter(|r| r.status() == 401).count() <= 9,
        "no more than one checking and eight waiting"
    );
    // The ones turned away were not counted: the address may try again.
    assert_eq!(server.login("nobody0", "guess").await.status(), 401);
    server.stop().await;
}

/// Fails unless `client`'s socket still carries requests (the reply to an unknown session's
/// accept is a refusal; a closed socket gives none).
async fn assert_still_open(client: &mut Page) {
    let reply = client
        .request(Request::Accept {
            session: protocol::SessionId(999_999),
        })
        .await;
    assert!(reply.is_err(), "{reply:?}");
}

/// Whether the server closes `stream` (reads end) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    let read_to_end = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(within, read_to_end).await.is_ok()
}

#[tokio::test]
async fn silent_and_trickling_connections_are_closed_at_the_header_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |c| {
        c.limits.header_timeout = Duration::from_secs(1);
    })
    .await;
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let mut trickling = TcpStream::connect(server.addr).await.unwrap();
    trickling
        .write_all(b"GET /healthz HTTP/1.1\r\n")
        .await
        .unwrap();
    let trickle = async {
        for _ in 0..10 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if trickling.write_all(b"X-A: b\r\n").await.is_err() {
                break;
            }
        }
    };
    trickle.await;
    assert!(closed_within(&mut silent, Duration::from_secs(3)).await);
    assert!(closed_within(&mut trickling, Duration::from_secs(3)).await);
    server.stop().await;
}

#[tokio::test]
async fn a_websocket_that_never_says_hello_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |c| {
        c.socket_timeouts.hello = Duration::from_millis(500);
    })
    .await;
    let mut mute = server.socket(None).await;
    let frame = mute.closed().await.expect("a close frame");
    assert_eq!(frame.reason, "no hello");
    // A page that says hello in time stays.
    let (mut page, _) = server.customer_page(None).await;
    page.idle(Duration::from_secs(1)).await;
    assert_still_open(&mut page).await;
    server.stop().await;
}

#[tokio::test]
async fn a_vanished_customer_is_noticed_by_the_unanswered_ping() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |c| {
        c.socket_timeouts.ping_after = Duration::from_millis(300);
        c.socket_timeouts.dead_after = Duration::from_millis(600);
    })
    .await;
    let (customer, session, _) = server.raw_customer("Ada").await;
    let mut rep = server.rep("bo", "Bo").await;
    rep.request(Request::Accept { session }).await.unwrap();
    // The customer's machine is gone: nothing reads its socket or answers a ping. The rep,
    // who reads, is pinged too and stays.
    let gone = rep
        .expect(|m| {
            matches!(
                m,
                ServerMessage::PeerLink {
                    party: Party::Customer,
                    online: false,
                    ..
                }
            )
        })
        .await;
    assert!(matches!(gone, ServerMessage::PeerLink { .. }));
    rep.idle(Duration::from_secs(1)).await;
    assert_still_open(&mut rep).await;
    drop(customer);
    server.stop().await;
}

/// A TCP connection to `server` from the loopback address `from`.
async fn connect_from(from: &str, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(server).await.unwrap()
}

/// The status line of `GET path` on `stream`.
async fn get(stream: &mut TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    let _ =
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut response)).await;
    response.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn one_address_cannot_hold_more_than_its_share_of_connections() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |c| {
        c.limits.max_per_address = Some(5);
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(connect_from("127.0.0.1", server.addr).await);
    }
    let mut one_more = connect_from("127.0.0.1", server.addr).await;
    assert!(closed_within(&mut one_more, Duration::from_millis(500)).await);
    // Everyone else is served as before.
    let mut other = connect_from("127.0.0.2", server.addr).await;
    assert_eq!(get(&mut other, "/healthz").await, "HTTP/1.1 200 OK");
    // A connection given back makes room again.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut again = connect_from("127.0.0.1", server.addr).await;
    assert_eq!(get(&mut again, "/healthz").await, "HTTP/1.1 200 OK");
    server.stop().await;
}

#[tokio::test]
async fn at_its_connection_limit_the_server_still_answers_health_and_serves_its_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |c| {
        c.limits.max_open = 6;
        c.limits.max_per_address = None;
    })
    .await;
    // Each sign-in takes a connection while it lasts; the two sockets stay.
    let (mut customer, session, _) = server.customer("Ada").await;
    let mut rep = server.rep("bo", "Bo").await;
    rep.request(Request::Accept { session }).await.unwrap();
    let mut fill = Vec::new();
    for _ in 0..6 {
        fill.push(TcpStream::connect(server.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut health = TcpStream::connect(server.addr).await.unwrap();
    assert_eq!(get(&mut health, "/healthz").await, "HTTP/1.1 200 OK");
    let mut page = TcpStream::connect(server.addr).await.unwrap();
    assert_eq!(
        get(&mut page, "/api/me").await,
        "HTTP/1.1 503 Service Unavailable"
    );
    assert!(server.socket_with(None, None).await.is_err());
    // The session that was open goes on.
    customer
        .request(chat(session, "still here?"))
        .await
        .unwrap();
    rep.expect(|m| matches!(m, ServerMessage::Chat(c) if c.text == "still here?"))
        .await;
    server.stop().await;
}

#[tokio::test]
async fn a_customer_who_only_waits_gets_no_relay_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut customer, _, _) = server.customer("Ada").await;
    let refused = customer.request(Request::IceServers).await.unwrap_err();
    assert_eq!(refused.code, protocol::ErrorCode::WrongState);
    server.stop().await;
}

#[tokio::test]
async fn a_form_on_a_sibling_site_cannot_sign_the_rep_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let cookie = server.rep_cookie("bo", "Bo").await;
    let sibling = format!("http://127.0.0.1:{}", server.addr.port() + 1);
    let forged = reqwest::Client::new()
        .post(server.url("/api/logout"))
        .header("cookie", &cookie)
        .header("origin", sibling)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(server.me(&cookie).await, 200, "still signed in");
    // The console's own request does sign out.
    let own = reqwest::Client::new()
        .post(server.url("/api/logout"))
        .header("cookie", &cookie)
        .header("origin", format!("http://{}", server.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 204);
    server.stop().await;
}

#[tokio::test]
async fn names_and_file_names_cannot_carry_controls_or_reorder_the_text_around_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut rep = server.rep("bo", "Bo").await;
    let (mut customer, _) = server.customer_page(None).await;
    let start = Request::StartChat {
        name: "Ada\u{202E}nimda\u{0}\u{1b}[2J".into(),
        problem: "It says\u{7}\r\n\u{2066}nothing\u{2069}".into(),
        lang: protocol::Lang::En,
        recording: None,
        key: None,
    };
    let Ok(Reply::Queued { session, .. }) = customer.request(start).await else {
        panic!("not queued");
    };
    let queue = rep
        .expect(|m| matches!(m, ServerMessage::Queue { entries, .. } if !entries.is_empty()))
        .await;
    let ServerMessage::Queue { entries, .. } = queue else {
        unreachable!()
    };
    assert_eq!(entries[0].name, "Adanimda[2J");
    assert_eq!(entries[0].problem, "It says\nnothing");
    rep.request(Request::Accept { session }).await.unwrap();
    let offer = Request::OfferFile {
        session,
        name: "invoice\u{202E}fdp.exe".into(),
        size: 10,
    };
    customer.request(offer).await.unwrap();
    let offered = rep
        .expect(|m| matches!(m, ServerMessage::File(e) if e.state == FileState::Offered))
        .await;
    let ServerMessage::File(event) = offered else {
        unreachable!()
    };
    assert_eq!(event.name, "invoicefdp.exe");
    server.stop().await;
}
