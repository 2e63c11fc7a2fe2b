//! Screen sharing: request, consent, signaling only between the session's two sides, stop.

use protocol::{
    CaptureFailure, ErrorCode, Party, Reply, Request, ServerMessage, SessionId, ShareAnswer,
    ShareMode, ShareState, Signal,
};

use super::*;
use crate::{AdminAction, Change, MediaOrder, Recording};

/// Ada (conn 1) served by Bo (rep 7, conn 10); Cleo (rep 8, conn 11) and Bea (conn 2, waiting)
/// are there too.
fn served() -> (Harness, SessionId) {
    let mut h = Harness::new();
    let session = h.customer(1, "Ada");
    h.customer(2, "Bea");
    h.rep(10, rep(7, "Bo"));
    h.rep(11, rep(8, "Cleo"));
    h.send(10, Request::Accept { session }).unwrap();
    h.drain();
    (h, session)
}

fn shares_for(outputs: &[Outgoing], conn: u64) -> Vec<ShareState> {
    events_for(outputs, conn)
        .into_iter()
        .filter_map(|m| match m {
            ServerMessage::Share { state, .. } => Some(state),
            _ => None,
        })
        .collect()
}

fn offer() -> Signal {
    Signal::Offer { sdp: "v=0".into() }
}

fn request(session: SessionId) -> Request {
    Request::RequestShare {
        session,
        mode: ShareMode::CustomerChooses,
    }
}

#[test]
fn the_customer_consents_then_signaling_flows_between_the_two_sides_only() {
    let (mut h, session) = served();
    let signal = |signal| Request::Signal { session, signal };
    assert_eq!(
        code(h.send(1, signal(offer()))),
        ErrorCode::WrongState,
        "no signaling without consent"
    );
    assert_eq!(code(h.send(1, request(session))), ErrorCode::NotSignedIn);
    assert_eq!(code(h.send(11, request(session))), ErrorCode::Forbidden);
    assert_eq!(h.send(10, request(session)), Ok(Reply::Done));
    assert_eq!(
        code(h.send(10, request(session))),
        ErrorCode::WrongState,
        "one request at a time"
    );
    let asked = ShareState::Requested {
        mode: ShareMode::CustomerChooses,
        rep_name: "Bo".into(),
    };
    assert_eq!(shares_for(&h.drain(), 1), [asked]);
    let answer = Request::AnswerShare {
        session,
        answer: ShareAnswer::Accept,
    };
    assert_eq!(code(h.send(10, answer.clone())), ErrorCode::Forbidden);
    assert_eq!(code(h.send(2, answer.clone())), ErrorCode::Forbidden);
    assert_eq!(h.send(1, answer), Ok(Reply::Done));
    let active = ShareState::Active {
        mode: ShareMode::CustomerChooses,
        recorded: false,
    };
    let out = h.drain();
    for conn in [1, 10] {
        assert_eq!(shares_for(&out, conn), std::slice::from_ref(&active));
    }

    assert_eq!(h.send(1, signal(offer())), Ok(Reply::Done));
    let out = h.drain();
    let relayed = ServerMessage::Signal {
        session,
        from: Party::Customer,
        signal: offer(),
    };
    assert_eq!(events_for(&out, 10), [relayed]);
    assert!(events_for(&out, 1).is_empty(), "not echoed");
    assert!(events_for(&out, 11).is_empty(), "no other rep");
    assert!(events_for(&out, 2).is_empty(), "no other customer");
    for intruder in [2, 11] {
        assert_eq!(
            code(h.send(intruder, signal(offer()))),
            ErrorCode::Forbidden,
            "conn {intruder} cannot inject"
        );
    }
    let answer = Signal::Answer { sdp: "v=0".into() };
    h.send(10, signal(answer)).unwrap();
    assert_eq!(events_for(&h.drain(), 1).len(), 1);
}

#[test]
fn stopping_withdraws_the_consent_and_a_new_request_asks_again() {
    let (mut h, session) = served();
    h.send(10, request(session)).unwrap();
    h.send(
        1,
        Request::AnswerShare {
            session,
            answer: ShareAnswer::Accept,
        },
    )
    .unwrap();
    h.send(1, Request::StopShare { session }).unwrap();
    let stopped = ShareState::Stopped {
        by: Some(Party::Customer),
    };
    assert!(shares_for(&h.drain(), 10).ends_with(&[stopped]));
    let signal = Request::Signal {
        session,
        signal: offer(),
    };
    assert_eq!(code(h.send(1, signal)), ErrorCode::WrongState);
    assert_eq!(
        code(h.send(1, Request::StopShare { session })),
        ErrorCode::WrongState
    );
    assert_eq!(h.send(10, request(session)), Ok(Reply::Done));
    assert!(matches!(
        shares_for(&h.drain(), 1).last(),
        Some(ShareState::Requested { .. })
    ));
}

#[test]
fn a_declined_request_is_told_to_the_rep_and_a_handover_or_the_end_stops_sharing() {
    let (mut h, session) = served();
    h.send(10, request(session)).unwrap();
    h.send(
        1,
        Request::AnswerShare {
            session,
            answer: ShareAnswer::Decline,
        },
    )
    .unwrap();
    assert!(shares_for(&h.drain(), 10).ends_with(&[ShareState::Declined]));

    h.send(10, request(session)).unwrap();
    h.send(
        1,
        Request::AnswerShare {
            session,
            answer: ShareAnswer::Accept,
        },
    )
    .unwrap();
    h.drain();
    let transfer = Request::Transfer {
        session,
        to: RepId(8),
        note: String::new(),
    };
    h.send(10, transfer).unwrap();
    let stopped = ShareState::Stopped { by: None };
    assert!(
        shares_for(&h.drain(), 1).contains(&stopped),
        "the consent was for Bo"
    );
    h.send(11, request(session)).unwrap();
    h.send(
        1,
        Request::AnswerShare {
            session,
            answer: ShareAnswer::Accept,
        },
    )
    .unwrap();
    h.drain();
    h.send(1, end(session)).unwrap();
    assert!(shares_for(&h.drain(), 11).contains(&stopped));
}

#[test]
fn a_capture_that_failed_is_told_to_both_sides_as_such_and_logs_no_share() {
    let (mut h, session) = served();
    h.send(10, request(session)).unwrap();
    let failed = ShareAnswer::CouldNotCapture(CaptureFailure::Blocked);
    let answer = Request::AnswerShare {
        session,
        answer: failed,
    };
    h.send(1, answer).unwrap();
    let outputs = h.drain();
    let told = ShareState::CouldNotStart {
        failure: CaptureFailure::Blocked,
    };
    for conn in [1, 10] {
        assert_eq!(
            shares_for(&outputs, conn).last(),
            Some(&told),
            "conn {conn}"
        );
    }
    assert_eq!(share_records(&mut h), []);
    // Nothing is pending: the rep may ask again.
    assert_eq!(h.send(10, request(session)), Ok(Reply::Done));
}

#[test]
fn a_reconnecting_page_hears_where_sharing_stands() {
    let (mut h, session) = served();
    h.send(10, request(session)).unwrap();
    h.close(1);
    h.open(3, None);
    h.send(3, hello(Some("token-2"))).unwrap();
    assert!(matches!(
        shares_for(&h.drain(), 3)[..],
        [ShareState::Requested { .. }]
    ));
}

#[test]
fn relay_credentials_are_for_reps_and_customers_asked_to_share() {
    let (mut h, session) = served();
    h.open(5, None);
    h.send(5, hello(None)).unwrap();
    assert_eq!(code(h.send(5, Request::IceServers)), ErrorCode::Forbidden);
    let user = |reply| match reply {
        Ok(Reply::IceServers { servers }) => servers[0].urls[0].clone(),
        other => panic!("{other:?}"),
    };
    // Served but not sharing: the customer has no use for the relay yet.
    assert_eq!(code(h.send(1, Request::IceServers)), ErrorCode::WrongState);
    assert_eq!(user(h.send(10, Request::IceServers)), "turn:r7");
    h.send(10, request(session)).unwrap();
    assert_eq!(user(h.send(1, Request::IceServers)), "turn:s1");
}

/// The sharing events recorded so far: (started, by).
fn share_records(h: &mut Harness) -> Vec<(bool, Option<Party>)> {
    let log = h.driver.journal();
    log.sharing.iter().map(|(_, s)| (s.started, s.by)).collect()
}

fn share_now(h: &mut Harness, session: SessionId) {
    h.send(10, request(session)).unwrap();
    let consent = Request::AnswerShare {
        session,
        answer: ShareAnswer::Accept,
    };
    h.send(1, consent).unwrap();
}

#[test]
fn sharing_stops_in_the_log_for_every_cause() {
    // A side stops it.
    let (mut h, session) = served();
    share_now(&mut h, session);
    h.send(10, Request::StopShare { session }).unwrap();
    let stopped_by_rep = [(true, Some(Party::Customer)), (false, Some(Party::Rep))];
    assert_eq!(share_records(&mut h), stopped_by_rep);

    // The session ends while the screen is shared: the stop comes before the end.
    let (mut h, session) = served();
    share_now(&mut h, session);
    h.send(1, end(session)).unwrap();
    assert_eq!(
        share_records(&mut h),
        [(true, Some(Party::Customer)), (false, None)]
    );
    let log = h.driver.journal();
    let (before_stop, _) = log.sharing[1];
    assert!(
        matches!(&log.changes[before_stop..], [Change::Ended { .. }]),
        "{:?}",
        &log.changes[before_stop..]
    );

    // The session passes to another rep.
    let (mut h, session) = served();
    share_now(&mut h, session);
    let transfer = Request::Transfer {
        session,
        to: RepId(8),
        note: String::new(),
    };
    h.send(10, transfer).unwrap();
    assert_eq!(
        share_records(&mut h),
        [(true, Some(Party::Customer)), (false, None)]
    );

    // A request the customer never answered was no share: nothing to log.
    let (mut h, session) = served();
    h.send(10, request(session)).unwrap();
    h.send(1, end(session)).unwrap();
    assert_eq!(share_records(&mut h), []);
}

/// Ada (conn 1), who answered the recording prompt with `allowed`, served by Bo (conn 10) on a
/// site whose "Record shared screens" policy is `policy`; she consented to share.
fn sharing_on(policy: bool, allowed: bool) -> (Harness, SessionId) {
    let mut h = Harness::new();
    h.admin(AdminAction::SaveSettings(Box::new(protocol::Settings {
        record_screens: policy,
        ..protocol::Settings::default()
    })));
    let session = h.customer_answering(1, "Ada", Some(allowed));
    h.rep(10, rep(7, "Bo"));
    h.send(10, Request::Accept { session }).unwrap();
    h.send(10, request(session)).unwrap();
    let accept = Request::AnswerShare {
        session,
        answer: ShareAnswer::Accept,
    };
    h.send(1, accept).unwrap();
    h.drain();
    (h, session)
}

#[test]
fn a_share_to_be_recorded_is_signaled_with_the_media_relay_and_closed_when_it_stops() {
    let (mut h, session) = sharing_on(true, true);
    assert_eq!(h.media(), [MediaOrder::Open { session }]);
    let signal = |signal| Request::Signal { session, signal };
    assert_eq!(h.send(1, signal(offer())), Ok(Reply::Done));
    let answer = Signal::Answer { sdp: "v=0".into() };
    assert_eq!(h.send(10, signal(answer.clone())), Ok(Reply::Done));
    let out = h.drain();
    assert!(events_for(&out, 10).is_empty(), "nothing to the rep");
    assert!(events_for(&out, 1).is_empty(), "nothing to the customer");
    let to_relay = |from, signal| MediaOrder::Signal {
        session,
        from,
        signal,
    };
    assert_eq!(
        h.media(),
        [
            to_relay(Party::Customer, offer()),
            to_relay(Party::Rep, answer.clone())
        ]
    );

    // The relay's signaling reaches each page as the other side's.
    for (to, conn, from) in [
        (Party::Rep, 10, Party::Customer),
        (Party::Customer, 1, Party::Rep),
    ] {
        let signal = offer();
        h.input(Input::MediaSignal {
            session,
            to,
            signal: signal.clone(),
        });
        let relayed = ServerMessage::Signal {
            session,
            from,
            signal,
        };
        let out = h.drain();
        assert_eq!(events_for(&out, conn), [relayed]);
        assert!(events_for(&out, 11 - conn).is_empty(), "conn {conn} only");
    }

    h.send(1, Request::StopShare { session }).unwrap();
    assert_eq!(h.media(), [MediaOrder::Close { session }]);
    h.drain();
    // Late signaling from the relay goes nowhere once the share is over.
    h.input(Input::MediaSignal {
        session,
        to: Party::Rep,
        signal: offer(),
    });
    assert!(events_for(&h.drain(), 10).is_empty());
}

#[test]
fn the_relay_closes_when_the_session_ends_mid_share() {
    let (mut h, session) = sharing_on(true, true);
    h.media();
    h.send(10, end(session)).unwrap();
    assert_eq!(h.media(), [MediaOrder::Close { session }]);
}

#[test]
fn without_the_policy_or_the_customers_consent_the_media_stays_peer_to_peer() {
    for (policy, allowed) in [(false, true), (true, false)] {
        let (mut h, session) = sharing_on(policy, allowed);
        h.send(
            1,
            Request::Signal {
                session,
                signal: offer(),
            },
        )
        .unwrap();
        let relayed = ServerMessage::Signal {
            session,
            from: Party::Customer,
            signal: offer(),
        };
        assert_eq!(events_for(&h.drain(), 10), [relayed]);
        h.send(1, Request::StopShare { session }).unwrap();
        assert!(h.media().is_empty(), "policy {policy}, allowed {allowed}");
    }
}

#[test]
fn recordings_are_deleted_once_their_retention_runs_out_and_never_with_none_set() {
    const DAY: i64 = 86_400_000;
    let (mut h, session) = sharing_on(true, true);
    let keep_for = |h: &mut Harness, days| {
        h.admin(AdminAction::SaveSettings(Box::new(protocol::Settings {
            record_screens: true,
            recording_retention_days: days,
            ..protocol::Settings::default()
        })))
    };
    keep_for(&mut h, 30);
    let first = h.now;
    for (name, at) in [("old", first), ("newer", first + 10 * DAY)] {
        h.input(Input::Recording(Recording::Started {
            session,
            recording: name.into(),
            wrapped_key: vec![1],
            at,
        }));
    }
    let expire = |h: &mut Harness, at| h.driver.expire_recordings(at);
    assert!(expire(&mut h, first + 30 * DAY - 1).is_empty());
    assert_eq!(expire(&mut h, first + 31 * DAY), ["old"]);
    assert!(expire(&mut h, first + 31 * DAY).is_empty(), "deleted once");
    let deleted = Recording::Deleted {
        session,
        recording: "old".into(),
        at: first + 31 * DAY,
    };
    assert!(h.stored().contains(&Change::Recording(deleted)));

    keep_for(&mut h, 0);
    assert!(
        expire(&mut h, first + 1000 * DAY).is_empty(),
        "0 keeps them"
    );
    keep_for(&mut h, 30);
    assert_eq!(expire(&mut h, first + 41 * DAY), ["newer"]);
}
