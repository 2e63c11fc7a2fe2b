//! Dropped connections: the other side hears it, the side that comes back in time keeps its
//! session, a message sent again is stored once, and a side gone too long ends the session.

use protocol::{EndReason, NoticeId, Party, RepId, Reply, Request, ServerMessage, SessionId};

use super::*;
use crate::DEFAULT_RESUME_WINDOW_MS;

fn link(session: SessionId, party: Party, online: bool) -> ServerMessage {
    ServerMessage::PeerLink {
        session,
        party,
        online,
    }
}

/// Ada (conn 1, token-2) served by Bo (rep 7, conn 10).
pub(super) fn served() -> (Harness, SessionId) {
    let mut h = Harness::new();
    let session = h.customer(1, "Ada");
    h.rep(10, rep(7, "Bo"));
    h.send(10, Request::Accept { session }).unwrap();
    h.drain();
    (h, session)
}

#[test]
fn the_other_side_hears_reconnecting_then_back() {
    let (mut h, session) = served();
    h.close(1);
    assert_eq!(
        events_for(&h.drain(), 10),
        [link(session, Party::Customer, false)]
    );
    h.now += DEFAULT_RESUME_WINDOW_MS - 1;
    h.tick();
    h.open(2, None);
    h.send(2, hello(Some("token-2"))).unwrap();
    let out = h.drain();
    assert_eq!(events_for(&out, 10), [link(session, Party::Customer, true)]);
    assert!(matches!(
        &events_for(&out, 2)[..],
        [ServerMessage::SessionStarted(_)]
    ));

    // The rep drops: the customer hears it; a rep console back says so.
    h.close(10);
    assert_eq!(
        events_for(&h.drain(), 2),
        [link(session, Party::Rep, false)]
    );
    h.rep(12, rep(7, "Bo"));
    assert!(events_for(&h.drain(), 2).contains(&link(session, Party::Rep, true)));
}

#[test]
fn a_side_gone_past_the_window_ends_the_session_and_only_then() {
    let (mut h, session) = served();
    h.close(1);
    h.drain();
    h.now += DEFAULT_RESUME_WINDOW_MS - 1;
    h.tick();
    assert!(h.drain().is_empty());
    h.now += 1;
    h.tick();
    assert!(events_for(&h.drain(), 10).iter().any(|m| matches!(
        m,
        ServerMessage::SessionEnded { session: s, by: Some(Party::Customer), reason: EndReason::Lost, .. }
            if *s == session
    )));

    // A waiting customer who drops keeps the place until the window passes.
    let mut h = Harness::new();
    let first = h.customer(1, "Ada");
    let second = h.customer(2, "Cy");
    h.close(1);
    h.now += DEFAULT_RESUME_WINDOW_MS / 2;
    h.tick();
    h.drain();
    h.open(3, None);
    h.send(3, hello(Some("token-2"))).unwrap();
    assert!(events_for(&h.drain(), 3).iter().any(|m| matches!(
        m,
        ServerMessage::QueuePosition { session, position: 1, .. } if *session == first
    )));
    h.close(3);
    h.now += DEFAULT_RESUME_WINDOW_MS;
    h.tick();
    // The next tick tells the rest of the line their new places.
    h.tick();
    assert!(events_for(&h.drain(), 2).iter().any(|m| matches!(
        m,
        ServerMessage::QueuePosition { session, position: 1, .. } if *session == second
    )));
}

#[test]
fn a_message_sent_again_with_its_nonce_is_stored_once() {
    let (mut h, session) = served();
    let say = |nonce| Request::SendChat {
        session,
        text: "hello".into(),
        nonce: Some(nonce),
    };
    let first = h.send(1, say(41)).unwrap();
    let stored = h.stored().len();
    // The acknowledgement was lost with the connection; the page sends it again.
    h.close(1);
    h.open(2, None);
    h.send(2, hello(Some("token-2"))).unwrap();
    h.drain();
    assert_eq!(h.send(2, say(41)).unwrap(), first);
    assert_eq!(h.stored().len(), stored, "nothing stored again");
    assert!(chats(&h.drain()).is_empty(), "nothing relayed again");
    let Reply::Stored { seq, .. } = h.send(2, say(42)).unwrap() else {
        panic!()
    };
    let Reply::Stored { seq: first_seq, .. } = first else {
        panic!()
    };
    assert_eq!(seq, first_seq + 1);
}

#[test]
fn after_a_restart_everyone_has_the_window_to_come_back_and_old_nonces_hold() {
    use crate::{LiveSession, NewSession};
    let live = LiveSession {
        session: NewSession {
            id: SessionId(5),
            token_hash: crate::token_hash("t5"),
            name: "Ada".into(),
            problem: "p".into(),
            queued_at: 0,
            lang: protocol::Lang::En,
            recording: None,
            for_rep: None,
            key: None,
        },
        rep: Some((RepId(7), "Bo".into())),
        rep_photo: None,
        last_seq: 3,
        nonces: vec![(99, 3, 500)],
        stored_bytes: 0,
    };
    let mut h = Harness::new();
    h.restart(Core::restore(
        h.now,
        Restored {
            next_session: SessionId(6),
            next_notice: NoticeId(1),
            live: vec![live],
            ..Restored::default()
        },
    ));
    h.open(1, None);
    h.send(1, hello(Some("t5"))).unwrap();
    let repeat = Request::SendChat {
        session: SessionId(5),
        text: "sent before the crash".into(),
        nonce: Some(99),
    };
    assert_eq!(
        h.send(1, repeat).unwrap(),
        Reply::Stored { seq: 3, at: 500 }
    );
    // The rep never came back.
    h.now += DEFAULT_RESUME_WINDOW_MS;
    h.tick();
    assert!(events_for(&h.drain(), 1).iter().any(|m| matches!(
        m,
        ServerMessage::SessionEnded {
            by: Some(Party::Rep),
            reason: EndReason::Lost,
            ..
        }
    )));
}

fn chats(outputs: &[Outgoing]) -> Vec<&ServerMessage> {
    outputs
        .iter()
        .map(|o| &o.message)
        .filter(|m| matches!(m, ServerMessage::Chat(_)))
        .collect()
}
