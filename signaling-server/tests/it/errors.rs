//! Bad input gets a clear error, the connection stays open, and nothing stored is lost. The
//! customers here write their frames by hand, as no page would.

use protocol::{ErrorCode, MAX_FRAME_BYTES, Reply, Request, ServerMessage, SessionId};

use crate::support::{Refused, Socket, TestServer, chat};

/// A customer and a rep in an active session with one stored message.
async fn session_with_a_message(server: &TestServer) -> (Socket, SessionId) {
    let (mut ada, session, _) = server.raw_customer("Ada").await;
    let mut rep = server.rep("bo", "Bo").await;
    rep.request(Request::Accept { session }).await.unwrap();
    ada.request(chat(session, "kept")).await.unwrap();
    (ada, session)
}

async fn assert_history_is_intact(client: &mut Socket, session: SessionId) {
    let Ok(Reply::History { messages, .. }) = client
        .request(Request::History {
            session,
            after_seq: 0,
        })
        .await
    else {
        panic!("history")
    };
    assert_eq!(
        messages.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["kept"]
    );
}

#[tokio::test]
async fn a_malformed_frame_is_named_and_the_connection_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session) = session_with_a_message(&server).await;

    ada.send_text("{not json").await;
    let error = ada.reply_to(None).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::BadFrame);
    assert!(
        error.message.contains("malformed frame"),
        "{}",
        error.message
    );

    ada.send_text(r#"{"id":50,"request":{"type":"send_chat","session":"one","text":"x"}}"#)
        .await;
    let error = ada.reply_to(Some(50)).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::BadFrame);
    assert!(error.message.contains("invalid type"), "{}", error.message);

    assert_history_is_intact(&mut ada, session).await;
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_message_type_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session) = session_with_a_message(&server).await;
    ada.send_text(r#"{"id":60,"request":{"type":"format_disk"}}"#)
        .await;
    let error = ada.reply_to(Some(60)).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::UnknownType);
    assert!(error.message.contains("format_disk"), "{}", error.message);
    assert_history_is_intact(&mut ada, session).await;
    server.stop().await;
}

#[tokio::test]
async fn an_oversized_frame_is_refused_and_a_huge_one_closes_the_connection() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session) = session_with_a_message(&server).await;

    let big = format!(
        r#"{{"id":70,"request":{{"type":"send_chat","session":{session},"text":"{}"}}}}"#,
        "a".repeat(MAX_FRAME_BYTES)
    );
    ada.send_text(&big).await;
    let error = ada.reply_to(None).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::FrameTooLarge);
    assert!(
        error.message.contains("larger than the limit"),
        "{}",
        error.message
    );
    assert_history_is_intact(&mut ada, session).await;

    ada.send_text(&"a".repeat(1024 * 1024)).await;
    let close = ada.closed().await.expect("a close frame");
    assert_eq!(u16::from(close.code), 1009);
    assert_eq!(close.reason.as_str(), "message too big");

    // The stored message is still there for a new connection.
    let mut rep = server.console(&server.rep_cookie("cy", "Cy").await).await;
    let refused = rep
        .request(Request::History {
            session,
            after_seq: 0,
        })
        .await;
    assert_eq!(refused.map_err(|e| e.code), Err(ErrorCode::Forbidden));
    drop(rep);
    let store = signaling_server::store::Store::open(dir.path()).unwrap();
    assert_eq!(store.transcript(session, 0).unwrap().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_too_long_chat_message_is_refused_and_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session) = session_with_a_message(&server).await;
    let long = "é".repeat(protocol::MAX_CHAT_CHARS + 1);
    let refused = ada.request(chat(session, &long)).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert_history_is_intact(&mut ada, session).await;
    server.stop().await;
}

#[tokio::test]
async fn a_customer_trying_rep_actions_or_another_session_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session) = session_with_a_message(&server).await;
    let (mut eve, eves_session, _) = server.raw_customer("Eve").await;

    let refused = eve
        .request(Request::Accept {
            session: eves_session,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotSignedIn);
    assert!(
        refused.message.contains("signed-in rep"),
        "{}",
        refused.message
    );

    for request in [
        chat(session, "let me in"),
        Request::History {
            session,
            after_seq: 0,
        },
        Request::EndSession {
            session,
            after_notice: false,
        },
    ] {
        let refused = eve.request(request.clone()).await;
        assert!(
            matches!(
                &refused,
                Err(Refused {
                    code: ErrorCode::Forbidden,
                    ..
                })
            ),
            "{request:?}: {refused:?}"
        );
    }
    // Ada's session is untouched.
    assert_history_is_intact(&mut ada, session).await;
    assert!(matches!(
        ada.request(chat(session, "still mine")).await,
        Ok(Reply::Stored { seq: 2, .. })
    ));
    server.stop().await;
}

#[tokio::test]
async fn requests_before_hello_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut client = server.socket(None).await;
    let refused = client
        .request(crate::support::start_chat("Ada"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::HandshakeRequired);
    let old = Request::Hello {
        version: 99,
        token: None,
        rep: false,
        page: None,
    };
    assert_eq!(
        client.request(old).await.unwrap_err().code,
        ErrorCode::UnsupportedVersion
    );
    client.hello(None).await;
    assert!(matches!(
        client.request(crate::support::start_chat("Ada")).await,
        Ok(Reply::Queued { .. })
    ));
    // Binary frames are not part of the protocol.
    client.send_binary(b"\x00\x01").await;
    let refused = client.reply_to(None).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::BadFrame);
    assert!(refused.message.contains("binary"), "{}", refused.message);
    client.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_server_closes_sockets_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, _, _) = server.raw_customer("Ada").await;
    let stopping = tokio::spawn(server.stop());
    let close = ada.closed().await.expect("a close frame");
    assert_eq!(u16::from(close.code), 1001);
    stopping.await.unwrap();
}

#[tokio::test]
async fn a_flooding_connection_is_slowed_then_closed_and_others_are_served() {
    use signaling_server::limits::MessageRate;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session) = session_with_a_message(&server).await;
    let (mut flood, flood_session, _) = server.raw_customer("Flo").await;

    // Twice the burst at once: the first burst is handled, the rest refused with their ids.
    let burst = 2 * MessageRate::BURST as u64;
    for id in 1000..1000 + burst {
        let frame = format!(
            r#"{{"id":{id},"request":{{"type":"history","session":{flood_session},"after_seq":0}}}}"#
        );
        flood.send_text(&frame).await;
    }
    // Refusals come straight from the connection, ahead of the hub's replies: collect all.
    let mut refused = Vec::new();
    let mut answered = 0;
    while answered < burst {
        match flood.next().await {
            ServerMessage::Ok { id, .. } if id >= 1000 => answered += 1,
            ServerMessage::Err {
                id: Some(id), code, ..
            } if id >= 1000 => {
                assert_eq!(code, ErrorCode::RateLimited);
                refused.push(id);
                answered += 1;
            }
            _ => {}
        }
    }
    // The first burst is always handled; of the rest, what the refill allowed meanwhile.
    let first_refused = refused
        .iter()
        .min()
        .copied()
        .expect("some frames were refused");
    // `hello` and `start_chat` spent two of the burst already.
    let handled_first = u64::from(MessageRate::BURST) - 2;
    assert!(first_refused >= 1000 + handled_first, "{first_refused}");
    assert!(
        refused.len() >= 10,
        "only {} of {burst} refused",
        refused.len()
    );
    // Others are not held up meanwhile.
    assert_history_is_intact(&mut ada, session).await;

    // After a pause the connection is served again.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let history = flood
        .request(Request::History {
            session: flood_session,
            after_seq: 0,
        })
        .await;
    assert!(matches!(history, Ok(Reply::History { .. })), "{history:?}");

    // A client that keeps going regardless is closed.
    for id in 0..1000u64 {
        let frame = format!(
            r#"{{"id":{id},"request":{{"type":"history","session":{flood_session},"after_seq":0}}}}"#
        );
        if !flood.try_send_text(&frame).await {
            break;
        }
    }
    let close = flood.closed().await.expect("a close frame");
    assert_eq!(u16::from(close.code), 1008);
    assert_eq!(close.reason.as_str(), "too many messages");
    server.stop().await;
}
