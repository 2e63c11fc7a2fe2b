//! The live session over the real server: files over HTTP, photos, the page-hide beacon, and
//! the new chat lines kept in the transcript.

use std::time::{Duration, Instant};

use protocol::api::{self, RepProfile};
use protocol::{
    EndReason, FileId, FileState, MessageKind, Party, Reason, Reply, Request, ServerMessage,
    SessionId, ShareAnswer,
};
use sha2::{Digest, Sha256};

use crate::support::{Page, TestServer};

/// A signed-in rep's console and its cookie.
async fn rep_console(server: &TestServer, login: &str, name: &str) -> (Page, String) {
    let cookie = server.rep_cookie(login, name).await;
    let mut rep = server.console(&cookie).await;
    rep.expect(|m| matches!(m, ServerMessage::Queue { .. }))
        .await;
    (rep, cookie)
}

async fn accept(rep: &mut Page, customer: &mut Page, session: SessionId) {
    assert_eq!(
        rep.request(Request::Accept { session }).await,
        Ok(Reply::Done)
    );
    customer
        .expect(|m| matches!(m, ServerMessage::SessionStarted(_)))
        .await;
}

/// Offers `size` bytes and has the rep accept; returns the file's number.
async fn offered_and_accepted(
    customer: &mut Page,
    rep: &mut Page,
    session: SessionId,
    size: u64,
) -> FileId {
    let offer = Request::OfferFile {
        session,
        name: "report <i>1.bin".into(),
        size,
    };
    let Ok(Reply::FileOffered { file }) = customer.request(offer).await else {
        panic!("offer refused")
    };
    rep.expect(|m| matches!(m, ServerMessage::File(e) if e.state == FileState::Offered))
        .await;
    let answer = Request::AnswerFile {
        session,
        file,
        accept: true,
    };
    assert_eq!(rep.request(answer).await, Ok(Reply::Done));
    customer
        .expect(|m| matches!(m, ServerMessage::File(e) if e.state == FileState::Accepted))
        .await;
    file
}

fn upload(
    server: &TestServer,
    file: FileId,
    token: &str,
    body: Vec<u8>,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .put(server.url(&format!("{}/{file}", api::FILES_PATH)))
        .header("authorization", format!("Bearer {token}"))
        .body(body)
}

fn download(server: &TestServer, file: FileId, cookie: Option<&str>) -> reqwest::RequestBuilder {
    let request = reqwest::Client::new().get(server.url(&format!("{}/{file}", api::FILES_PATH)));
    match cookie {
        Some(cookie) => request.header("cookie", cookie),
        None => request,
    }
}

#[tokio::test]
async fn a_file_goes_from_customer_to_rep_byte_for_byte_and_only_the_rep_gets_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, token) = server.customer("Ada").await;
    let (_bea, _, bea_token) = server.customer("Bea").await;
    let (mut bo, bo_cookie) = rep_console(&server, "bo", "Bo").await;
    let (_cy, cy_cookie) = rep_console(&server, "cy", "Cy").await;
    accept(&mut bo, &mut ada, session).await;

    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let file = offered_and_accepted(&mut ada, &mut bo, session, content.len() as u64).await;

    let stranger = upload(&server, file, &bea_token, content.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 403, "another session's customer");
    let response = upload(&server, file, &token, content.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let ServerMessage::Chat(line) = bo
        .expect(|m| matches!(m, ServerMessage::Chat(c) if c.kind == MessageKind::File))
        .await
    else {
        unreachable!()
    };
    let stored = line.file.expect("the file rides on its line");
    let sha256: String = Sha256::digest(&content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        (stored.size, stored.sha256.as_str()),
        (3_000_000, sha256.as_str())
    );
    assert_eq!(line.text, "report <i>1.bin", "the name is kept as typed");

    let got = download(&server, file, Some(&bo_cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    let headers = got.headers().clone();
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(got.bytes().await.unwrap().as_ref(), &content[..]);

    for (cookie, status) in [(None, 401), (Some(cy_cookie.as_str()), 403)] {
        let refused = download(&server, file, cookie).send().await.unwrap();
        assert_eq!(refused.status(), status, "{cookie:?}");
    }
    let again = upload(&server, file, &token, content).send().await.unwrap();
    assert_eq!(again.status(), 404, "a file is uploaded once");
    server.stop().await;
}

#[tokio::test]
async fn the_size_limit_holds_at_the_offer_and_in_the_upload() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, token) = server.customer("Ada").await;
    let (mut bo, _) = rep_console(&server, "bo", "Bo").await;
    accept(&mut bo, &mut ada, session).await;

    let too_big = Request::OfferFile {
        session,
        name: "huge.iso".into(),
        size: 25 * 1024 * 1024 + 1,
    };
    let refused = ada.request(too_big).await.unwrap_err();
    assert!(
        refused.message.contains("limit of 25 MB"),
        "{}",
        refused.message
    );

    // A page that announces little and sends more is cut off, and both sides hear it failed.
    let file = offered_and_accepted(&mut ada, &mut bo, session, 10).await;
    let response = upload(&server, file, &token, vec![7; 100_000])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let error: api::ApiError = response.json().await.unwrap();
    assert_eq!(
        error.reason,
        Some(Reason::LargerThanOffered),
        "{}",
        error.error
    );
    let failed = FileState::Failed {
        reason: Some(Reason::LargerThanOffered),
    };
    bo.expect(|m| matches!(m, ServerMessage::File(e) if e.state == failed))
        .await;
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("files"))
        .unwrap()
        .collect();
    assert!(leftovers.is_empty(), "nothing of a failed upload is kept");
    server.stop().await;
}

#[tokio::test]
async fn a_rep_photo_is_checked_served_safely_and_shown_to_the_customer() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let cookie = server.rep_cookie("bo", "Bo").await;
    let put = |body: Vec<u8>, content_type: &str, cookie: Option<&str>| {
        let request = reqwest::Client::new()
            .put(server.url(api::PHOTO_PATH))
            .header("content-type", content_type)
            .body(body);
        match cookie {
            Some(cookie) => request.header("cookie", cookie.to_owned()),
            None => request,
        }
    };
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0; 64]].concat();
    let cases = [
        (png.clone(), "image/png", None, 401),
        (
            b"<svg onload=alert(1)>".to_vec(),
            "image/svg+xml",
            Some(&cookie),
            400,
        ),
        (b"<html>".to_vec(), "image/png", Some(&cookie), 400),
        (
            vec![0; api::MAX_PHOTO_BYTES + 1],
            "image/png",
            Some(&cookie),
            413,
        ),
    ];
    for (body, content_type, cookie, status) in cases {
        let response = put(body, content_type, cookie.map(String::as_str))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{content_type}");
    }
    let response = put(png.clone(), "image/png", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let profile: RepProfile = response.json().await.unwrap();
    let photo = profile.photo.expect("a photo address");

    let served = reqwest::get(server.url(&photo)).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().as_ref(), &png[..]);

    let (mut ada, session, _) = server.customer("Ada").await;
    let mut bo = server.console(&cookie).await;
    bo.request(Request::Accept { session }).await.unwrap();
    let ServerMessage::SessionStarted(info) = ada
        .expect(|m| matches!(m, ServerMessage::SessionStarted(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(info.rep_photo.as_deref(), Some(photo.as_str()));
    server.stop().await;
}

#[tokio::test]
async fn closing_the_page_ends_the_session_for_the_rep_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, token) = server.customer("Ada").await;
    let (mut bo, _) = rep_console(&server, "bo", "Bo").await;
    accept(&mut bo, &mut ada, session).await;

    let start = Instant::now();
    let beacon = reqwest::Client::new()
        .post(server.url(api::LEAVE_PATH))
        .body(token)
        .send()
        .await
        .unwrap();
    assert_eq!(beacon.status(), 204);
    ada.close().await;
    let ended = bo
        .expect(|m| matches!(m, ServerMessage::SessionEnded { .. }))
        .await;
    assert_eq!(
        ended,
        ServerMessage::SessionEnded {
            session,
            by: Some(Party::Customer),
            reason: EndReason::Ended,
            survey: true,
        }
    );
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    server.stop().await;
}

#[tokio::test]
async fn a_beacon_from_the_page_before_does_not_end_the_session_the_next_page_took_up() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, token) = server.customer("Ada").await;
    let (mut bo, _) = rep_console(&server, "bo", "Bo").await;
    accept(&mut bo, &mut ada, session).await;

    // The reloaded page (2) is back before the old page's (1) beacon arrives.
    ada.close().await;
    let hello = Request::customer_hello_from(2, Some(token.clone()));
    let (_reloaded, _) = server.page(None, hello).await;
    let beacon = reqwest::Client::new()
        .post(format!("{}?page=1", server.url(api::LEAVE_PATH)))
        .body(token)
        .send()
        .await
        .unwrap();
    assert_eq!(beacon.status(), 204);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let chat = Request::SendChat {
        session,
        text: "Still here?".into(),
        nonce: None,
    };
    bo.request(chat).await.expect("the session goes on");
    server.stop().await;
}

#[tokio::test]
async fn nudges_links_and_handovers_stay_in_the_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, token) = server.customer("Ada").await;
    let (mut bo, _) = rep_console(&server, "bo", "Bo").await;
    let (mut cy, _) = rep_console(&server, "cy", "Cy").await;
    accept(&mut bo, &mut ada, session).await;
    bo.request(Request::Nudge { session }).await.unwrap();
    let again = bo.request(Request::Nudge { session }).await.unwrap_err();
    assert_eq!(again.code, protocol::ErrorCode::TooSoon);
    let link = Request::SendLink {
        session,
        url: "https://example.com/kb".into(),
    };
    bo.request(link).await.unwrap();
    let ServerMessage::Reps { reps } = cy
        .expect(|m| matches!(m, ServerMessage::Reps { reps } if reps.len() == 2))
        .await
    else {
        unreachable!()
    };
    let cy_id = reps.iter().find(|r| r.name == "Cy").unwrap().rep;
    let transfer = Request::Transfer {
        session,
        to: cy_id,
        note: "wants the driver".into(),
    };
    bo.request(transfer).await.unwrap();
    let ServerMessage::SessionStarted(info) = cy
        .expect(|m| matches!(m, ServerMessage::SessionStarted(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(info.handover.unwrap().note, "wants the driver");
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let (mut ada, _) = server.customer_page(Some(&token)).await;
    let Ok(Reply::History { messages, .. }) = ada
        .request(Request::History {
            session,
            after_seq: 0,
        })
        .await
    else {
        panic!()
    };
    let kinds: Vec<_> = messages.iter().map(|m| (m.kind, m.text.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (MessageKind::Nudge, ""),
            (MessageKind::Link, "https://example.com/kb"),
            (MessageKind::Handover, "Cy"),
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_rep_renames_themselves_and_the_customer_sees_the_new_name_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, _) = server.customer("Ada").await;
    let (mut bo, cookie) = rep_console(&server, "bo", "Bo").await;
    accept(&mut bo, &mut ada, session).await;
    let rename = |name: &str, cookie: Option<&str>| {
        let request = reqwest::Client::new()
            .put(server.url(api::ME_PATH))
            .json(&api::ProfileChange { name: name.into() });
        match cookie {
            Some(cookie) => request.header("cookie", cookie.to_owned()),
            None => request,
        }
    };
    assert_eq!(rename("Robert", None).send().await.unwrap().status(), 401);
    let blank = rename("  ", Some(&cookie)).send().await.unwrap();
    assert_eq!(blank.status(), 400);
    let long = rename(&"x".repeat(81), Some(&cookie)).send().await.unwrap();
    assert_eq!(long.status(), 400);
    let renamed = rename(" Robert ", Some(&cookie)).send().await.unwrap();
    assert_eq!(renamed.status(), 200);
    let profile: RepProfile = renamed.json().await.unwrap();
    assert_eq!(profile.name, "Robert");

    let ServerMessage::SessionChanged(info) = ada
        .expect(|m| matches!(m, ServerMessage::SessionChanged(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(info.rep_name, "Robert");
    bo.request(crate::support::chat(session, "Hi again"))
        .await
        .unwrap();
    let ServerMessage::Chat(line) = ada.expect(|m| matches!(m, ServerMessage::Chat(_))).await
    else {
        unreachable!()
    };
    assert_eq!(line.name, "Robert");
    let me = reqwest::Client::new()
        .get(server.url(api::ME_PATH))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.json::<RepProfile>().await.unwrap().name,
        "Robert",
        "stored"
    );
    server.stop().await;
}

#[tokio::test]
async fn sharing_starts_and_stops_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut rep, _) = rep_console(&server, "bo", "Bo").await;
    let (mut customer, session, _) = server.customer("Ada").await;
    accept(&mut rep, &mut customer, session).await;
    let mode = protocol::ShareMode::Unrestricted;
    rep.request(Request::RequestShare { session, mode })
        .await
        .unwrap();
    for request in [
        Request::AnswerShare {
            session,
            answer: ShareAnswer::Accept,
        },
        Request::StopShare { session },
    ] {
        customer.request(request).await.unwrap();
    }
    server.stop().await;
    let store = signaling_server::store::Store::open(dir.path()).unwrap();
    let events: Vec<_> = store
        .audit_of(session)
        .unwrap()
        .into_iter()
        .map(|(_, event, detail)| (event, detail))
        .collect();
    let sharing: Vec<_> = events
        .iter()
        .filter(|(event, _)| event.starts_with("share_"))
        .collect();
    assert_eq!(sharing.len(), 2, "{events:?}");
    assert_eq!(sharing[0].0, "share_started");
    assert_eq!(sharing[1].0, "share_stopped");
    assert!(sharing[1].1.contains("customer"), "{}", sharing[1].1);
    assert_eq!(store.verify_audit().unwrap(), None, "the chain holds");
}
