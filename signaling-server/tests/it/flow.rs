//! The first real flow over the protocol: queue, accept, chat both ways, end, restart.

use protocol::{EndReason, Identity, Party, Reply, Request, ServerMessage, SessionState};
use signaling_server::store::Store;

use crate::support::{TestServer, chat};

#[tokio::test]
async fn customer_and_rep_chat_through_the_queue_and_the_transcript_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, _) = server.customer("Ada").await;
    let (mut bea, _, _) = server.customer("Bea").await;
    let mut rep = server.rep("bo", "Bo Rep").await;

    // Bea waits behind Ada and moves up when Ada is taken.
    assert_eq!(
        rep.request(Request::Accept { session }).await,
        Ok(Reply::Done)
    );
    let started = ada
        .expect(|m| matches!(m, ServerMessage::SessionStarted(_)))
        .await;
    let ServerMessage::SessionStarted(info) = started else {
        unreachable!()
    };
    assert_eq!(
        (info.rep_name.as_str(), info.customer_name.as_str()),
        ("Bo Rep", "Ada")
    );
    let moved = bea
        .expect(|m| matches!(m, ServerMessage::QueuePosition { .. }))
        .await;
    assert!(matches!(
        moved,
        ServerMessage::QueuePosition { position: 1, .. }
    ));

    let stored = ada
        .request(chat(session, "Hello, my printer is broken"))
        .await
        .unwrap();
    assert!(matches!(stored, Reply::Stored { seq: 1, .. }));
    let got = rep.expect(|m| matches!(m, ServerMessage::Chat(_))).await;
    let ServerMessage::Chat(message) = got else {
        unreachable!()
    };
    assert_eq!(
        (
            message.seq,
            message.from,
            message.name.as_str(),
            message.text.as_str()
        ),
        (1, Party::Customer, "Ada", "Hello, my printer is broken")
    );
    assert!(matches!(
        rep.request(chat(session, "Let us look")).await,
        Ok(Reply::Stored { seq: 2, .. })
    ));
    let got = ada
        .expect(|m| matches!(m, ServerMessage::Chat(m) if m.seq == 2))
        .await;
    assert!(
        matches!(got, ServerMessage::Chat(m) if m.text == "Let us look" && m.from == Party::Rep && m.name == "Bo Rep")
    );

    assert_eq!(
        ada.request(Request::EndSession {
            session,
            after_notice: false
        })
        .await,
        Ok(Reply::Done)
    );
    let ended = rep
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

    for client in [ada, bea, rep] {
        client.close().await;
    }
    server.stop().await;
    let store = Store::open(dir.path()).unwrap();
    let transcript: Vec<_> = store
        .transcript(session, 0)
        .unwrap()
        .into_iter()
        .map(|m| (m.seq, m.from, m.text))
        .collect();
    assert_eq!(
        transcript,
        [
            (
                1,
                Party::Customer,
                "Hello, my printer is broken".to_string()
            ),
            (2, Party::Rep, "Let us look".to_string())
        ]
    );
    assert_eq!(
        store.session_end(session).unwrap().map(|(_, by)| by),
        Some(Party::Customer)
    );
}

#[tokio::test]
async fn a_session_goes_on_after_a_restart_for_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut ada, session, token) = server.customer("Ada").await;
    let (bea, waiting, bea_token) = server.customer("Bea").await;
    let cookie = server.rep_cookie("bo", "Bo").await;
    let mut rep = server.console(&cookie).await;
    rep.request(Request::Accept { session }).await.unwrap();
    ada.request(chat(session, "before")).await.unwrap();
    for client in [ada, bea, rep] {
        client.close().await;
    }
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let (mut ada, me) = server.customer_page(Some(&token)).await;
    assert!(matches!(
        me,
        Identity::Customer {
            state: SessionState::Active,
            ..
        }
    ));
    let (mut bea, _) = server.customer_page(Some(&bea_token)).await;
    let position = bea
        .expect(|m| matches!(m, ServerMessage::QueuePosition { .. }))
        .await;
    assert!(matches!(
        position,
        ServerMessage::QueuePosition { session: s, position: 1, .. } if s == waiting
    ));

    // The sign-in cookie is still good, and the rep is back in the session.
    let mut rep = server.console(&cookie).await;
    let own = rep
        .expect(|m| matches!(m, ServerMessage::RepSessions { .. }))
        .await;
    assert!(
        matches!(own, ServerMessage::RepSessions { sessions, more: false } if sessions.len() == 1 && sessions[0].session == session)
    );
    let history = rep
        .request(Request::History {
            session,
            after_seq: 0,
        })
        .await
        .unwrap();
    let Reply::History { messages, .. } = history else {
        panic!("{history:?}")
    };
    assert_eq!(
        messages.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["before"]
    );
    assert!(matches!(
        rep.request(chat(session, "after")).await,
        Ok(Reply::Stored { seq: 2, .. })
    ));
    ada.expect(|m| matches!(m, ServerMessage::Chat(m) if m.text == "after"))
        .await;
    server.stop().await;
}

#[tokio::test]
async fn a_rep_sees_customers_arrive_live() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut rep = server.rep("bo", "Bo").await;
    let (_ada, _, _) = server.customer("Ada").await;
    let queue = rep
        .expect(|m| matches!(m, ServerMessage::Queue { .. }))
        .await;
    let ServerMessage::Queue { entries, .. } = queue else {
        unreachable!()
    };
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].name.as_str(), entries[0].problem.as_str()),
        ("Ada", "My printer prints nothing")
    );
    assert!(
        entries[0].queued_at > 1_700_000_000_000,
        "a wall-clock time in ms"
    );
    server.stop().await;
}
