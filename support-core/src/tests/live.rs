//! The live session: receipts, nudges, links, handovers, files, and the customer leaving.

use protocol::{
    ErrorCode, FileId, FileState, MessageKind, NUDGE_COOLDOWN_MS, NoticeId, Party, Reply, Request,
    ServerMessage, SessionId,
};

use super::*;
use crate::live::SESSION_QUOTA_FILES;
use crate::{EMBEDDED_LEAVE_GRACE_MS, LEAVE_GRACE_MS};

/// Ada (conn 1) served by Bo (rep 7, conn 10); Cleo (rep 8, conn 11) is signed in too.
fn served() -> (Harness, SessionId) {
    let mut h = Harness::new();
    let session = h.customer(1, "Ada");
    h.rep(10, rep(7, "Bo"));
    h.rep(11, rep(8, "Cleo"));
    h.send(10, Request::Accept { session }).unwrap();
    h.drain();
    (h, session)
}

fn chats_for(outputs: &[Outgoing], conn: u64) -> Vec<protocol::ChatMessage> {
    events_for(outputs, conn)
        .into_iter()
        .filter_map(|m| match m {
            ServerMessage::Chat(message) => Some(message),
            _ => None,
        })
        .collect()
}

#[test]
fn a_nudge_reaches_both_sides_and_a_second_one_waits_for_the_cool_down() {
    let (mut h, session) = served();
    assert_eq!(
        code(h.send(1, Request::Nudge { session })),
        ErrorCode::NotSignedIn,
        "a customer cannot nudge"
    );
    assert!(matches!(
        h.send(10, Request::Nudge { session }),
        Ok(Reply::Stored { seq: 1, .. })
    ));
    let out = h.drain();
    for conn in [1, 10] {
        let kinds: Vec<_> = chats_for(&out, conn).iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [MessageKind::Nudge], "conn {conn}");
    }
    h.now += NUDGE_COOLDOWN_MS - 1;
    let refused = h.send(10, Request::Nudge { session }).unwrap_err();
    assert_eq!(refused.code, ErrorCode::TooSoon);
    assert!(refused.message.contains("wait 1 s"), "{}", refused.message);
    h.now += 1;
    assert!(h.send(10, Request::Nudge { session }).is_ok());
    assert_eq!(
        code(h.send(11, Request::Nudge { session })),
        ErrorCode::Forbidden,
        "another rep cannot nudge"
    );
}

#[test]
fn a_pushed_link_must_be_a_web_address() {
    let (mut h, session) = served();
    for bad in [
        "javascript:alert(1)",
        "example.com",
        "https://",
        "https://a b",
    ] {
        let link = Request::SendLink {
            session,
            url: bad.into(),
        };
        assert_eq!(code(h.send(10, link)), ErrorCode::InvalidInput, "{bad}");
    }
    let link = Request::SendLink {
        session,
        url: " https://example.com/help ".into(),
    };
    assert!(h.send(10, link).is_ok());
    let chats = chats_for(&h.drain(), 1);
    assert_eq!(chats.len(), 1);
    assert_eq!(
        (chats[0].kind, chats[0].text.as_str()),
        (MessageKind::Link, "https://example.com/help")
    );
}

#[test]
fn receipts_tell_the_other_side_once_and_only_for_stored_messages() {
    let (mut h, session) = served();
    h.send(1, chat(session, "hello")).unwrap();
    assert_eq!(
        code(h.send(10, Request::Received { session, seq: 2 })),
        ErrorCode::InvalidInput
    );
    h.drain();
    assert_eq!(
        h.send(10, Request::Received { session, seq: 1 }),
        Ok(Reply::Done)
    );
    let out = h.drain();
    let receipt = ServerMessage::Received {
        session,
        by: Party::Rep,
        seq: 1,
    };
    assert_eq!(events_for(&out, 1), [receipt]);
    h.send(10, Request::Received { session, seq: 1 }).unwrap();
    assert!(events_for(&h.drain(), 1).is_empty(), "told once");
    assert_eq!(
        code(h.send(11, Request::Received { session, seq: 1 })),
        ErrorCode::Forbidden
    );
}

#[test]
fn a_handover_moves_the_session_with_its_note_for_the_new_rep_only() {
    let (mut h, session) = served();
    h.send(1, chat(session, "my printer")).unwrap();
    let to_self = Request::Transfer {
        session,
        to: RepId(7),
        note: String::new(),
    };
    assert_eq!(code(h.send(10, to_self)), ErrorCode::InvalidInput);
    let to_nobody = Request::Transfer {
        session,
        to: RepId(99),
        note: String::new(),
    };
    assert_eq!(code(h.send(10, to_nobody)), ErrorCode::InvalidInput);
    h.drain();

    let transfer = Request::Transfer {
        session,
        to: RepId(8),
        note: " driver issue ".into(),
    };
    assert_eq!(h.send(10, transfer), Ok(Reply::Done));
    let out = h.drain();
    let old = events_for(&out, 10);
    assert!(
        old.contains(&ServerMessage::TransferredAway {
            session,
            to_name: "Cleo".into()
        }),
        "{old:?}"
    );
    let new = events_for(&out, 11);
    let Some(ServerMessage::SessionStarted(info)) = new.first() else {
        panic!("{new:?}")
    };
    let handover = info.handover.as_ref().unwrap();
    assert_eq!(
        (
            info.rep_name.as_str(),
            handover.from_name.as_str(),
            handover.note.as_str()
        ),
        ("Cleo", "Bo", "driver issue")
    );
    let customer = events_for(&out, 1);
    let Some(ServerMessage::SessionChanged(info)) = customer.first() else {
        panic!("{customer:?}")
    };
    assert_eq!((info.rep_name.as_str(), &info.handover), ("Cleo", &None));
    let line = &chats_for(&out, 1)[0];
    assert_eq!((line.kind, line.seq), (MessageKind::Handover, 2));

    // Now Cleo serves, and Bo is out.
    assert_eq!(code(h.send(10, chat(session, "hi"))), ErrorCode::Forbidden);
    assert!(h.send(11, chat(session, "Cleo here")).is_ok());
}

#[test]
fn a_file_is_offered_answered_uploaded_by_its_customer_and_stored_as_a_line() {
    let (mut h, session) = served();
    let offer = |name: &str, size| Request::OfferFile {
        session,
        name: name.into(),
        size,
    };
    assert_eq!(code(h.send(1, offer("empty", 0))), ErrorCode::InvalidInput);
    let limit = 25 * 1024 * 1024;
    assert_eq!(
        code(h.send(1, offer("big", limit + 1))),
        ErrorCode::InvalidInput
    );
    assert_eq!(code(h.send(10, offer("rep", 1))), ErrorCode::Forbidden);

    let Ok(Reply::FileOffered { file }) = h.send(1, offer("../../etc/<b>log.txt", 5)) else {
        panic!()
    };
    let out = h.drain();
    let events = events_for(&out, 10);
    let Some(ServerMessage::File(event)) = events.first() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (event.name.as_str(), event.state.clone()),
        ("<b>log.txt", FileState::Offered)
    );
    assert_eq!(
        h.driver.begin_upload(file, "token-2").unwrap_err().code,
        ErrorCode::WrongState,
        "not before the rep accepts"
    );
    let answer = Request::AnswerFile {
        session,
        file,
        accept: true,
    };
    assert_eq!(code(h.send(1, answer.clone())), ErrorCode::NotSignedIn);
    assert_eq!(code(h.send(11, answer.clone())), ErrorCode::Forbidden);
    assert_eq!(h.send(10, answer.clone()), Ok(Reply::Done));
    assert_eq!(code(h.send(10, answer)), ErrorCode::WrongState);

    assert_eq!(
        h.driver
            .begin_upload(file, "someone-else")
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    // The customer's token is the one the harness made for Ada's start_chat.
    let permit = h.driver.begin_upload(file, "token-2").unwrap();
    assert_eq!((permit.session, permit.size), (session, 5));
    h.input(Input::UploadProgress { file, received: 3 });
    h.driver.upload_done(h.now, file, "abc".into()).unwrap();
    let out = h.drain();
    let line = &chats_for(&out, 10)[0];
    assert_eq!(line.kind, MessageKind::File);
    assert_eq!(line.file.as_ref().map(|f| f.size), Some(5));
    let states: Vec<_> = events_for(&out, 1)
        .into_iter()
        .filter_map(|m| match m {
            ServerMessage::File(event) => Some(event.state),
            _ => None,
        })
        .collect();
    assert_eq!(
        states,
        [
            FileState::Accepted,
            FileState::Uploading { received: 0 },
            FileState::Uploading { received: 3 },
            FileState::Stored
        ]
    );
    assert!(
        h.driver.begin_upload(file, "token-2").is_err(),
        "stored once"
    );
}

#[test]
fn a_sessions_files_stay_within_its_upload_quota() {
    let (mut h, session) = served();
    let limit = 25 * 1024 * 1024;
    let offer = |size| Request::OfferFile {
        session,
        name: "scan.pdf".into(),
        size,
    };
    // Stored and offered files count alike; the quota is ten files at the limit.
    for _ in 0..SESSION_QUOTA_FILES - 1 {
        let Ok(Reply::FileOffered { file }) = h.send(1, offer(limit)) else {
            panic!()
        };
        let accept = Request::AnswerFile {
            session,
            file,
            accept: true,
        };
        h.send(10, accept).unwrap();
        h.driver.begin_upload(file, "token-2").unwrap();
        h.driver.upload_done(h.now, file, "hash".into()).unwrap();
    }
    assert!(matches!(
        h.send(1, offer(limit)),
        Ok(Reply::FileOffered { .. })
    ));
    let refused = h.send(1, offer(1)).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert!(refused.message.contains("250 MB"), "{}", refused.message);
}

#[test]
fn a_declined_file_is_told_to_both_sides_and_cannot_be_uploaded() {
    let (mut h, session) = served();
    let offer = Request::OfferFile {
        session,
        name: "a.txt".into(),
        size: 1,
    };
    let Ok(Reply::FileOffered { file }) = h.send(1, offer) else {
        panic!()
    };
    let decline = Request::AnswerFile {
        session,
        file,
        accept: false,
    };
    h.send(10, decline).unwrap();
    let out = h.drain();
    for conn in [1, 10] {
        assert!(
            events_for(&out, conn)
                .iter()
                .any(|m| matches!(m, ServerMessage::File(e) if e.state == FileState::Declined)),
            "conn {conn}"
        );
    }
    assert!(h.driver.begin_upload(file, "token-2").is_err());
}

#[test]
fn a_page_that_goes_away_ends_its_session_after_the_grace_unless_it_comes_back() {
    let (mut h, session) = served();
    // A reload: the beacon, then the page back with its token inside the grace.
    h.leave("token-2", false, None);
    h.now += LEAVE_GRACE_MS / 2;
    h.close(1);
    h.open(2, None);
    h.send(2, hello(Some("token-2"))).unwrap();
    h.now += LEAVE_GRACE_MS;
    h.tick();
    assert!(
        !events_for(&h.drain(), 10)
            .iter()
            .any(|m| matches!(m, ServerMessage::SessionEnded { .. })),
        "a reload keeps the session"
    );

    // Closing the page: the beacon, and nothing comes back.
    h.leave("token-2", false, None);
    h.close(2);
    h.drain(); // the rep hears the connection dropped
    h.now += LEAVE_GRACE_MS - 1;
    h.tick();
    assert!(h.drain().is_empty());
    h.now += 1;
    h.tick();
    let ended = ServerMessage::SessionEnded {
        session,
        by: Some(Party::Customer),
        reason: protocol::EndReason::Ended,
        survey: true,
    };
    assert!(events_for(&h.drain(), 10).contains(&ended));
    h.leave("token-2", false, None);
    h.now += LEAVE_GRACE_MS;
    h.tick();
    assert!(h.drain().is_empty(), "an ended session is not ended twice");
}

#[test]
fn a_beacon_that_arrives_after_the_next_page_took_the_session_up_is_ignored() {
    let (mut h, session) = served();
    // The reloaded page (number 2) says hello before the old page's (number 1) beacon arrives.
    h.close(1);
    h.open(2, None);
    h.send(2, Request::customer_hello_from(2, Some("token-2".into())))
        .unwrap();
    h.leave("token-2", false, Some(1));
    h.now += LEAVE_GRACE_MS;
    h.tick();
    let ended = |h: &mut Harness| {
        events_for(&h.drain(), 10)
            .iter()
            .any(|m| matches!(m, ServerMessage::SessionEnded { session: s, .. } if *s == session))
    };
    assert!(
        !ended(&mut h),
        "page 1's late beacon does not end page 2's session"
    );

    // Page 2's own beacon counts.
    h.leave("token-2", false, Some(2));
    h.close(2);
    h.now += LEAVE_GRACE_MS;
    h.tick();
    assert!(ended(&mut h));
}

#[test]
fn an_embedded_chat_has_longer_to_come_back_while_its_host_page_moves_on() {
    let (mut h, session) = served();
    h.leave("token-2", true, None);
    h.close(1);
    h.drain(); // the rep hears the connection dropped
    h.now += EMBEDDED_LEAVE_GRACE_MS - 1;
    h.tick();
    assert!(h.drain().is_empty(), "still within the grace");
    h.now += 1;
    h.tick();
    assert!(
        events_for(&h.drain(), 10)
            .iter()
            .any(|m| matches!(m, ServerMessage::SessionEnded { session: s, .. } if *s == session))
    );
}

#[test]
fn reps_see_who_is_signed_in_and_available() {
    let mut h = Harness::new();
    h.rep(10, rep(7, "Bo"));
    h.rep(11, rep(8, "Cleo"));
    h.send(11, Request::SetPresence { available: false })
        .unwrap();
    let out = h.drain();
    let Some(ServerMessage::Reps { reps }) = events_for(&out, 10).into_iter().last() else {
        panic!()
    };
    let seen: Vec<_> = reps
        .iter()
        .map(|r| (r.name.as_str(), r.available))
        .collect();
    assert_eq!(seen, [("Bo", true), ("Cleo", false)]);
    h.close(11);
    let out = h.drain();
    let Some(ServerMessage::Reps { reps }) = events_for(&out, 10).into_iter().last() else {
        panic!()
    };
    assert_eq!(reps.len(), 1);
}

#[test]
fn nobody_acts_in_a_session_that_is_not_theirs() {
    let (mut h, session) = served();
    // Bea waits in her own session; Cleo (conn 11) serves nobody.
    let bea = h.customer(2, "Bea");
    h.drain();
    let in_session = [
        chat(session, "hi"),
        Request::History {
            session,
            after_seq: 0,
        },
        end(session),
        Request::Received { session, seq: 0 },
        Request::Nudge { session },
        Request::SendLink {
            session,
            url: "https://example.com".into(),
        },
        Request::Transfer {
            session,
            to: RepId(8),
            note: String::new(),
        },
        Request::OfferFile {
            session,
            name: "a".into(),
            size: 1,
        },
        Request::AnswerFile {
            session,
            file: FileId(1),
            accept: true,
        },
    ];
    for request in in_session {
        let by_rep = code(h.send(11, request.clone()));
        assert_eq!(by_rep, ErrorCode::Forbidden, "another rep: {request:?}");
        let by_customer = code(h.send(2, request.clone()));
        assert!(
            matches!(by_customer, ErrorCode::Forbidden | ErrorCode::NotSignedIn),
            "another session's customer: {request:?} gave {by_customer:?}"
        );
    }
    assert_eq!(
        code(h.send(1, Request::Accept { session: bea })),
        ErrorCode::NotSignedIn
    );
    assert!(
        h.drain()
            .iter()
            .all(|out| !out.to.contains(&2) || !matches!(out.message, ServerMessage::Chat(_)))
    );
}

#[test]
fn a_missing_file_or_notice_is_refused_as_such_not_as_a_missing_session() {
    let (mut h, session) = served();
    let answer = Request::AnswerFile {
        session,
        file: FileId(42),
        accept: true,
    };
    assert_eq!(code(h.send(10, answer)), ErrorCode::NoSuchFile);
    let refused = h.driver.begin_upload(FileId(42), "token-2").unwrap_err();
    assert_eq!(refused.code, ErrorCode::NoSuchFile);
    let deleted = h
        .driver
        .admin(crate::AdminAction::DeleteNotice(NoticeId(42)));
    assert_eq!(deleted.unwrap_err().code, ErrorCode::NoSuchNotice);
}

#[test]
fn refusals_say_what_exactly_for_the_page_to_word() {
    let (mut h, session) = served();
    let reason = |result: Result<Reply, Refusal>| result.unwrap_err().reason;
    h.send(10, Request::Nudge { session }).unwrap();
    assert_eq!(
        reason(h.send(10, Request::Nudge { session })),
        Some(protocol::Reason::NudgedRecently(5))
    );
    let empty = Request::SendChat {
        session,
        text: " ".into(),
        nonce: None,
    };
    let Some(protocol::Reason::Invalid(invalid)) = reason(h.send(1, empty)) else {
        panic!("no field named")
    };
    assert_eq!(
        (invalid.field.as_str(), invalid.problem),
        ("text", protocol::site::Problem::Empty)
    );
    let to_self = Request::Transfer {
        session,
        to: RepId(7),
        note: String::new(),
    };
    assert_eq!(
        reason(h.send(10, to_self)),
        Some(protocol::Reason::YoursAlready)
    );
}

#[test]
fn a_long_history_comes_in_pages_each_far_below_what_a_socket_takes() {
    let (mut h, session) = served();
    // The worst lines: as long as allowed, every character escaped in JSON.
    let worst = "\"".repeat(protocol::MAX_CHAT_CHARS);
    for _ in 0..30 {
        h.send(1, chat(session, &worst)).unwrap();
    }
    let mut after_seq = 0;
    let mut pages = 0;
    loop {
        let reply = h.send(10, Request::History { session, after_seq }).unwrap();
        let wire = serde_json::to_string(&ServerMessage::Ok {
            id: 1,
            reply: reply.clone(),
        })
        .unwrap();
        assert!(
            wire.len() <= crate::HISTORY_PAGE_BYTES + 64,
            "{} bytes",
            wire.len()
        );
        let Reply::History { messages, more } = reply else {
            panic!("{reply:?}")
        };
        pages += 1;
        after_seq = messages.last().map_or(after_seq, |m| m.seq);
        if !more {
            break;
        }
    }
    assert_eq!(after_seq, 30, "every line came");
    assert!(pages >= 4, "{pages} pages");
}
