//! The rep console's reducer, natively: the queue, sessions and their ends, handovers,
//! sharing, from actions alone.

use super::*;
use crate::chat_log::message;
use protocol::FileId;
use protocol::{EndReason, ErrorCode, NoticeId};

fn reduce(mut state: RepState, actions: impl IntoIterator<Item = Action>) -> RepState {
    for action in actions {
        state.apply(action).expect("meant for the rep console");
    }
    state
}

fn started(session: SessionId, customer: &str) -> Action {
    Action::Push(ServerMessage::SessionStarted(SessionInfo {
        session,
        customer_name: customer.into(),
        problem: "printer".into(),
        rep: RepId(1),
        rep_name: "Rita".into(),
        rep_photo: None,
        handover: None,
    }))
}

fn entry(session: SessionId, name: &str) -> QueueEntry {
    QueueEntry {
        session,
        name: name.into(),
        problem: "printer".into(),
        queued_at: 0,
        lang: protocol::Lang::En,
        by_key: false,
    }
}

#[test]
fn sharing_follows_the_server_per_session_and_ends_with_the_session() {
    let share = |state| {
        Action::Push(ServerMessage::Share {
            session: SessionId(1),
            state,
        })
    };
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            Action::ShareRequesting {
                session: SessionId(1),
                mode: ShareMode::Unrestricted,
            },
            share(protocol::ShareState::Requested {
                mode: ShareMode::Unrestricted,
                rep_name: "Rita".into(),
            }),
            share(protocol::ShareState::Active {
                mode: ShareMode::Unrestricted,
                recorded: false,
            }),
            Action::ShareStream(SessionId(1)),
        ],
    );
    assert!(matches!(
        state.sessions[0].share,
        RepShare::On { stream: true, .. }
    ));
    let state = reduce(
        state,
        [Action::Push(ServerMessage::SessionEnded {
            session: SessionId(1),
            by: Some(Party::Customer),
            reason: protocol::EndReason::Ended,
            survey: false,
        })],
    );
    assert_eq!(state.sessions[0].share, RepShare::Ended);
}

#[test]
fn a_customer_away_then_back_and_a_session_lost_are_told() {
    let link = |online| {
        Action::Push(ServerMessage::PeerLink {
            session: SessionId(1),
            party: Party::Customer,
            online,
        })
    };
    let state = reduce(
        RepState::default(),
        [started(SessionId(1), "Ada"), link(false)],
    );
    assert_eq!(state.sessions[0].customer_link, PeerLink::Reconnecting);
    let state = reduce(state, [link(true)]);
    assert_eq!(state.sessions[0].customer_link, PeerLink::Back);
    let lost = Action::Push(ServerMessage::SessionEnded {
        session: SessionId(1),
        by: Some(Party::Customer),
        reason: EndReason::Lost,
        survey: false,
    });
    let state = reduce(state, [lost]);
    assert_eq!(state.sessions[0].ending, Some(Ending::ConnectionLost));
}

#[test]
fn a_refused_share_request_shows_the_error_and_may_be_repeated() {
    let error = RequestError::Server {
        code: ErrorCode::WrongState,
        reason: None,
        message: String::new(),
    };
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            Action::ShareRequesting {
                session: SessionId(1),
                mode: ShareMode::CustomerChooses,
            },
            Action::ShareRefused {
                session: SessionId(1),
                error: error.clone(),
            },
        ],
    );
    assert!(state.sessions[0].share.can_request());
    assert_eq!(state.error, Some(error));
}

#[test]
fn the_queue_is_replaced_whole() {
    let state = reduce(
        RepState::default(),
        [
            Action::Push(ServerMessage::Queue {
                entries: vec![entry(SessionId(1), "Ada"), entry(SessionId(2), "Bob")],
                waiting: 0,
            }),
            Action::Push(ServerMessage::Queue {
                entries: vec![entry(SessionId(2), "Bob")],
                waiting: 0,
            }),
        ],
    );
    assert_eq!(*state.queue, [entry(SessionId(2), "Bob")]);
    assert_eq!(state.waiting, 0);
}

#[test]
fn an_accepted_session_opens_and_is_shown() {
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            Action::Accepting(SessionId(2)),
            started(SessionId(2), "Bob"),
        ],
    );
    assert_eq!(state.sessions.len(), 2);
    assert_eq!(state.selected, Some(SessionId(2)));
    assert_eq!(state.accepting, None);
    assert_eq!(state.current().unwrap().info.customer_name, "Bob");
    // A session re-sent after a reconnect is not doubled.
    let state = reduce(state, [started(SessionId(1), "Ada")]);
    assert_eq!(state.sessions.len(), 2);
    assert_eq!(state.selected, Some(SessionId(2)));
}

#[test]
fn messages_in_a_hidden_session_count_as_unread() {
    let mut hidden = message(1, Party::Customer, "hello?");
    hidden.session = SessionId(1);
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            Action::Accepting(SessionId(2)),
            started(SessionId(2), "Bob"),
            Action::Push(ServerMessage::Chat(hidden.clone())),
            Action::Push(ServerMessage::Chat(hidden)),
        ],
    );
    assert_eq!(state.sessions[0].unread, 1);
    let state = reduce(state, [Action::Select(SessionId(1))]);
    assert_eq!(state.sessions[0].unread, 0);
    assert_eq!(state.current().unwrap().log.messages().len(), 1);
}

#[test]
fn the_customer_ending_is_shown_and_the_session_can_be_closed() {
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            started(SessionId(2), "Bob"),
            Action::Push(ServerMessage::SessionEnded {
                session: SessionId(1),
                by: Some(Party::Customer),
                reason: protocol::EndReason::Ended,
                survey: true,
            }),
            Action::EndedByMe(SessionId(1)),
        ],
    );
    assert_eq!(
        state.current().unwrap().ending,
        Some(Ending::By(Party::Customer))
    );
    let state = reduce(state, [Action::Close(SessionId(1))]);
    assert_eq!(state.selected, Some(SessionId(2)));
    assert_eq!(state.sessions.len(), 1);
}

#[test]
fn after_reconnecting_sessions_that_ended_meanwhile_are_shown_as_ended() {
    let Action::Push(ServerMessage::SessionStarted(second)) = started(SessionId(2), "Bob") else {
        unreachable!()
    };
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            started(SessionId(2), "Bob"),
            Action::Lost,
            // A session listed in an earlier part is as live as one in the last.
            Action::Push(ServerMessage::RepSessions {
                sessions: vec![second],
                more: true,
            }),
            Action::Push(ServerMessage::RepSessions {
                sessions: vec![],
                more: false,
            }),
        ],
    );
    let endings: Vec<_> = state
        .sessions
        .iter()
        .map(|s| (s.info.session, s.ending.clone()))
        .collect();
    assert_eq!(
        endings,
        [
            (SessionId(1), Some(Ending::WhileAway)),
            (SessionId(2), None)
        ]
    );
}

#[test]
fn sessions_listed_after_a_reload_are_taken_up_and_shown() {
    let Action::Push(ServerMessage::SessionStarted(info)) = started(SessionId(3), "Cy") else {
        unreachable!()
    };
    let state = reduce(
        RepState::default(),
        [Action::Push(ServerMessage::RepSessions {
            sessions: vec![info],
            more: false,
        })],
    );
    assert_eq!(state.selected, Some(SessionId(3)));
    assert_eq!(state.current().unwrap().info.customer_name, "Cy");
}

fn notice(id: NoticeId, active: bool) -> Notice {
    let mut draft = protocol::site::NoticeDraft::default();
    draft.text.en = format!("notice {id}");
    draft.active = active;
    Notice { id, draft }
}

#[test]
fn only_active_notices_can_be_sent() {
    let state = reduce(
        RepState::default(),
        [Action::Push(ServerMessage::Site {
            settings: Box::default(),
            notices: vec![notice(NoticeId(1), true), notice(NoticeId(2), false)],
        })],
    );
    assert_eq!(*state.notices, [notice(NoticeId(1), true)]);
}

#[test]
fn a_sent_notice_is_reported_until_the_customer_leaves_the_queue() {
    let state = reduce(
        RepState::default(),
        [
            Action::Push(ServerMessage::Queue {
                entries: vec![entry(SessionId(1), "Ada"), entry(SessionId(2), "Bob")],
                waiting: 0,
            }),
            Action::SendingNotice(SessionId(1)),
            Action::NoticeSent(SessionId(1)),
            Action::Push(ServerMessage::Queue {
                entries: vec![entry(SessionId(1), "Ada")],
                waiting: 0,
            }),
        ],
    );
    assert_eq!(
        (state.sending_notice, state.notice_sent),
        (None, Some(SessionId(1)))
    );
    let state = reduce(
        state,
        [Action::Push(ServerMessage::Queue {
            entries: vec![],
            waiting: 0,
        })],
    );
    assert_eq!(state.notice_sent, None);
}

#[test]
fn presence_and_keys() {
    let key = SessionKey {
        key: "K7QX2M".into(),
        expires_at: 1000,
    };
    let state = reduce(
        RepState::default(),
        [
            Action::SetAway(true),
            Action::CreatingKey,
            Action::KeyCreated(key.clone()),
        ],
    );
    assert!(state.away);
    assert!(!state.creating_key);
    assert_eq!(state.key, Some(key));
}

#[test]
fn a_server_ending_without_a_side_is_shown_as_ended() {
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            Action::Push(ServerMessage::SessionEnded {
                session: SessionId(1),
                by: None,
                reason: protocol::EndReason::Ended,
                survey: false,
            }),
        ],
    );
    assert_eq!(state.current().unwrap().ending, Some(Ending::ByServer));
}

#[test]
fn a_handed_over_session_is_no_longer_ours() {
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            Action::Push(ServerMessage::TransferredAway {
                session: SessionId(1),
                to_name: "Cy".into(),
            }),
            // The session goes on with Cy; it is not "ended" for this rep.
            Action::Push(ServerMessage::SessionEnded {
                session: SessionId(1),
                by: Some(Party::Customer),
                reason: protocol::EndReason::Ended,
                survey: false,
            }),
        ],
    );
    assert_eq!(
        state.current().unwrap().ending,
        Some(Ending::TransferredTo("Cy".into()))
    );
}

#[test]
fn other_reps_are_those_a_session_can_go_to() {
    let rep = |rep, name: &str| RepOnline {
        rep,
        name: name.into(),
        available: true,
    };
    let state = reduce(
        RepState::default(),
        [
            Action::Welcome {
                rep: RepId(1),
                name: "Rita".into(),
            },
            Action::Push(ServerMessage::Reps {
                reps: vec![rep(RepId(1), "Rita"), rep(RepId(3), "Cy")],
            }),
        ],
    );
    assert_eq!(state.other_reps(), [rep(RepId(3), "Cy")]);
}

#[test]
fn delivery_files_and_nudges_are_kept_per_session() {
    let mut mine = message(1, Party::Rep, "hi");
    mine.session = SessionId(1);
    let state = reduce(
        RepState::default(),
        [
            started(SessionId(1), "Ada"),
            Action::Push(ServerMessage::Chat(mine)),
            Action::Push(ServerMessage::Received {
                session: SessionId(1),
                by: Party::Customer,
                seq: 1,
            }),
            Action::Push(ServerMessage::File(protocol::FileEvent {
                session: SessionId(1),
                file: FileId(4),
                name: "log.txt".into(),
                size: 10,
                state: protocol::FileState::Offered,
            })),
            Action::Nudged {
                session: SessionId(1),
                refused: true,
            },
        ],
    );
    let session = state.current().unwrap();
    let log = &session.log;
    assert_eq!(
        log.delivery(&log.messages()[0]),
        crate::chat_log::Delivery::Delivered
    );
    assert_eq!(session.files.items().len(), 1);
    assert!(session.nudge_refused);
    let state = reduce(
        state,
        [Action::Nudged {
            session: SessionId(1),
            refused: false,
        }],
    );
    assert!(!state.current().unwrap().nudge_refused);
}

#[test]
fn a_failed_accept_shows_an_error() {
    let error = RequestError::Server {
        code: protocol::ErrorCode::WrongState,
        reason: Some(protocol::Reason::TakenByAnother),
        message: "already taken".into(),
    };
    let state = reduce(
        RepState::default(),
        [
            Action::Accepting(SessionId(1)),
            Action::Failed(error.clone()),
        ],
    );
    assert_eq!(state.accepting, None);
    assert_eq!(state.error, Some(error));
}

#[test]
fn a_message_for_a_customer_is_reported_and_changes_nothing() {
    let state = reduce(RepState::default(), [started(SessionId(1), "Ada")]);
    let mut next = state.clone();
    let position = ServerMessage::QueuePosition {
        session: SessionId(1),
        position: 1,
        wait_secs: 60,
    };
    assert_eq!(next.apply(Action::Push(position)), Err(Misdirected));
    assert_eq!(next, state);
}
