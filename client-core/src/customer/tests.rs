//! The customer state's reducer, natively: every step of the way in, the chat, sharing and the
//! end, from actions alone.

use super::*;
use crate::chat_log::message;
use protocol::site::{Localized, NoticeDraft};
use protocol::{ErrorCode, SessionInfo, ShareState};
use protocol::{NoticeId, RepId};

fn reduce(mut state: CustomerState, actions: impl IntoIterator<Item = Action>) -> CustomerState {
    for action in actions {
        state.apply(action).expect("meant for the customer page");
    }
    state
}

fn site(recording_prompt: bool, notices: Vec<Notice>) -> Action {
    let settings = Settings {
        recording_prompt,
        ..Settings::default()
    };
    Action::Push(ServerMessage::Site {
        settings: Box::new(settings),
        notices,
    })
}

fn notice(id: i64, automatic: bool) -> Notice {
    Notice {
        id: NoticeId(id),
        draft: NoticeDraft {
            text: Localized {
                en: format!("notice {id}"),
                de: format!("Hinweis {id}"),
            },
            active: true,
            automatic,
        },
    }
}

fn started(session: SessionId) -> ServerMessage {
    ServerMessage::SessionStarted(SessionInfo {
        session,
        customer_name: "Ada".into(),
        problem: "printer".into(),
        rep: RepId(1),
        rep_name: "Rita".into(),
        rep_photo: Some("/api/reps/1/photo?v=1".into()),
        handover: None,
    })
}

fn visitor() -> Action {
    Action::Welcome {
        me: Identity::Visitor,
        token: None,
    }
}

fn queued(session: SessionId, position: u32) -> Action {
    Action::Queued {
        session,
        token: "tok".into(),
        position,
        wait_secs: 180,
        consent: None,
    }
}

fn ended(by: Party, reason: EndReason, survey: bool) -> Action {
    Action::Push(ServerMessage::SessionEnded {
        session: SessionId(7),
        by: Some(by),
        reason,
        survey,
    })
}

fn waiting() -> CustomerState {
    reduce(
        CustomerState::default(),
        [
            visitor(),
            site(false, vec![]),
            Action::AcceptAgreement,
            Action::Starting { name: "Ada".into() },
            queued(SessionId(7), 3),
        ],
    )
}

fn chatting() -> CustomerState {
    reduce(waiting(), [Action::Push(started(SessionId(7)))])
}

#[test]
fn a_handover_or_a_renamed_rep_changes_the_name_and_photo_and_keeps_the_log() {
    let state = chatting();
    let log = state.log.clone();
    let changed = ServerMessage::SessionChanged(SessionInfo {
        session: SessionId(7),
        customer_name: "Ada".into(),
        problem: "printer".into(),
        rep: RepId(2),
        rep_name: "Cy".into(),
        rep_photo: None,
        handover: None,
    });
    let state = reduce(state, [Action::Push(changed.clone())]);
    assert_eq!(
        state.phase,
        Phase::Chatting {
            session: SessionId(7),
            rep_name: Some("Cy".into())
        }
    );
    assert_eq!(state.rep_photo, None);
    assert!(Rc::ptr_eq(&state.log, &log), "the log is kept as it was");
    // Another session's change is not this page's.
    let mut other = changed;
    if let ServerMessage::SessionChanged(info) = &mut other {
        info.session = SessionId(8);
        info.rep_name = "Dee".into();
    }
    let state = reduce(state, [Action::Push(other)]);
    assert!(matches!(&state.phase, Phase::Chatting { rep_name: Some(name), .. } if name == "Cy"));
}

fn survey_of(state: &CustomerState) -> Option<Survey> {
    match state.phase {
        Phase::Ended { survey, .. } => Some(survey),
        _ => None,
    }
}

#[test]
fn the_agreement_comes_first_then_the_recording_prompt_then_the_form() {
    let state = reduce(CustomerState::default(), [visitor()]);
    assert_eq!(state.phase, Phase::Agreement);
    // Without the site's settings there is nothing to accept yet.
    let state = reduce(state, [Action::AcceptAgreement]);
    assert_eq!(state.phase, Phase::Agreement);
    let state = reduce(state, [site(true, vec![]), Action::AcceptAgreement]);
    assert_eq!(state.phase, Phase::Recording);
    let state = reduce(state, [Action::AnswerRecording(false)]);
    assert_eq!(state.phase, Phase::Entry);
    assert_eq!(state.recording, Some(false));
}

#[test]
fn without_a_recording_prompt_the_form_follows_the_agreement() {
    let state = reduce(
        CustomerState::default(),
        [visitor(), site(false, vec![]), Action::AcceptAgreement],
    );
    assert_eq!(state.phase, Phase::Entry);
    assert_eq!(state.recording, None);
}

#[test]
fn declining_the_agreement_ends_the_visit_for_good() {
    let state = reduce(
        CustomerState::default(),
        [
            visitor(),
            site(true, vec![]),
            Action::DeclineAgreement,
            Action::AcceptAgreement,
            // A reconnect does not bring the agreement back.
            Action::Lost,
            visitor(),
        ],
    );
    assert_eq!(state.phase, Phase::Declined);
}

#[test]
fn the_queue_position_and_estimate_update_live() {
    let state = reduce(
        waiting(),
        [
            Action::Push(ServerMessage::QueuePosition {
                session: SessionId(7),
                position: 2,
                wait_secs: 90,
            }),
            // Another session's position is not ours.
            Action::Push(ServerMessage::QueuePosition {
                session: SessionId(8),
                position: 1,
                wait_secs: 0,
            }),
        ],
    );
    assert!(!state.starting);
    assert_eq!(
        state.phase,
        Phase::Waiting {
            session: SessionId(7),
            position: Some(2),
            wait_secs: Some(90),
        }
    );
}

#[test]
fn hold_messages_are_lines_in_the_log_in_the_page_language() {
    let state = reduce(
        CustomerState::new(Lang::De),
        [
            visitor(),
            site(false, vec![]),
            Action::AcceptAgreement,
            queued(SessionId(7), 3),
            Action::Push(ServerMessage::Hold {
                session: SessionId(7),
                position: 2,
                wait_secs: 150,
                at: 1000,
            }),
        ],
    );
    let notes = state.log.notes();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0].text,
        "Sie sind weiterhin in der Warteschlange: Nummer 2, noch etwa 3 min. Danke für Ihre \
         Geduld."
    );
    let Phase::Waiting { position, .. } = state.phase else {
        panic!("still waiting");
    };
    assert_eq!(position, Some(2));
}

#[test]
fn the_wait_placeholder_rounds_up_to_whole_minutes() {
    assert_eq!(wait_placeholder(0), "1 min");
    assert_eq!(wait_placeholder(59), "1 min");
    assert_eq!(wait_placeholder(60), "1 min");
    assert_eq!(wait_placeholder(61), "2 min");
    assert_eq!(wait_placeholder(180), "3 min");
}

#[test]
fn waiting_customers_see_automatic_notices_and_those_a_rep_sent() {
    let state = reduce(
        waiting(),
        [
            site(
                false,
                vec![notice(1, true), notice(2, false), notice(3, false)],
            ),
            Action::Push(ServerMessage::Notice {
                session: SessionId(7),
                notice: notice(2, false),
            }),
            // Sent twice, shown once.
            Action::Push(ServerMessage::Notice {
                session: SessionId(7),
                notice: notice(2, false),
            }),
        ],
    );
    let ids: Vec<_> = state.notices().iter().map(|n| n.id).collect();
    assert_eq!(ids, [NoticeId(1), NoticeId(2)]);
    // The admin deactivates notice 2.
    let state = reduce(state, [site(false, vec![notice(1, true)])]);
    let ids: Vec<_> = state.notices().iter().map(|n| n.id).collect();
    assert_eq!(ids, [NoticeId(1)]);
    // Once a rep has joined, notices are no longer shown.
    let state = reduce(state, [Action::Push(started(SessionId(7)))]);
    assert!(state.notices().is_empty());
}

#[test]
fn leaving_from_a_notice_ends_without_a_survey() {
    let state = reduce(
        waiting(),
        [
            Action::EndedByMe {
                session: SessionId(7),
                after_notice: true,
            },
            ended(Party::Customer, EndReason::Notice, false),
        ],
    );
    assert_eq!(
        state.phase,
        Phase::Ended {
            session: SessionId(7),
            by: Some(Party::Customer),
            reason: Some(EndReason::Notice),
            survey: Survey::NotAsked,
        }
    );
}

#[test]
fn the_survey_is_shown_only_when_the_server_asks() {
    let state = reduce(chatting(), [ended(Party::Rep, EndReason::Ended, false)]);
    assert_eq!(survey_of(&state), Some(Survey::NotAsked));
    let state = reduce(chatting(), [ended(Party::Rep, EndReason::Ended, true)]);
    assert_eq!(survey_of(&state), Some(Survey::Open));
    // The customer's own end may be answered before the server's event.
    let state = reduce(
        chatting(),
        [
            Action::EndedByMe {
                session: SessionId(7),
                after_notice: false,
            },
            ended(Party::Customer, EndReason::Ended, true),
        ],
    );
    assert_eq!(survey_of(&state), Some(Survey::Open));
    assert_eq!(state.token.as_deref(), Some("tok"), "kept for the survey");
}

#[test]
fn the_survey_is_sent_once_and_thanked_or_skipped() {
    let open = reduce(chatting(), [ended(Party::Rep, EndReason::Ended, true)]);
    let error = RequestError::Disconnected;
    let state = reduce(
        open.clone(),
        [Action::SurveySending, Action::SurveyFailed(error.clone())],
    );
    assert_eq!(survey_of(&state), Some(Survey::Open));
    assert_eq!(state.error, Some(error));
    let state = reduce(state, [Action::SurveySending, Action::SurveySent]);
    assert_eq!(survey_of(&state), Some(Survey::Thanked));
    // A late repeat of the end event does not ask again.
    let state = reduce(state, [ended(Party::Rep, EndReason::Ended, true)]);
    assert_eq!(survey_of(&state), Some(Survey::Thanked));
    let state = reduce(open, [Action::SurveySkipped]);
    assert_eq!(survey_of(&state), Some(Survey::Skipped));
}

#[test]
fn an_orphaned_customer_is_told_and_ended_without_a_survey() {
    let state = reduce(
        waiting(),
        [Action::Push(ServerMessage::Orphaned {
            session: SessionId(7),
            queued: true,
        })],
    );
    assert!(state.orphaned);
    assert!(matches!(state.phase, Phase::Waiting { .. }));
    let state = reduce(
        state,
        [Action::Push(ServerMessage::SessionEnded {
            session: SessionId(7),
            by: None,
            reason: EndReason::Orphaned,
            survey: false,
        })],
    );
    assert!(state.orphaned);
    assert_eq!(survey_of(&state), Some(Survey::NotAsked));
}

#[test]
fn a_rep_taking_an_orphaned_customer_clears_the_orphan_message() {
    let state = reduce(
        waiting(),
        [
            Action::Push(ServerMessage::Orphaned {
                session: SessionId(7),
                queued: true,
            }),
            Action::Push(started(SessionId(7))),
        ],
    );
    assert!(!state.orphaned);
}

#[test]
fn only_web_addresses_redirect() {
    let mut settings = Settings {
        orphan_url: "javascript:alert(1)".into(),
        ..Settings::default()
    };
    let state = reduce(
        waiting(),
        [Action::Push(ServerMessage::Site {
            settings: Box::new(settings.clone()),
            notices: vec![],
        })],
    );
    assert_eq!(state.orphan_url(), None);
    settings.orphan_url = "https://help.example.com/kb".into();
    let state = reduce(
        state,
        [Action::Push(ServerMessage::Site {
            settings: Box::new(settings),
            notices: vec![],
        })],
    );
    assert_eq!(
        state.orphan_url().as_deref(),
        Some("https://help.example.com/kb")
    );
}

#[test]
fn the_recording_answer_is_kept_for_the_receipt_and_survives_a_reload() {
    let consent = Consent {
        allowed: true,
        at: 1000,
    };
    let state = reduce(
        CustomerState::default(),
        [
            visitor(),
            site(true, vec![]),
            Action::AcceptAgreement,
            Action::AnswerRecording(true),
            Action::Queued {
                session: SessionId(7),
                token: "tok".into(),
                position: 1,
                wait_secs: 0,
                consent: Some(consent),
            },
        ],
    );
    let stored = StoredConsent {
        session: SessionId(7),
        consent,
    };
    assert_eq!(state.consent, Some(stored));
    // A reload: the page starts empty and takes the session up again.
    let me = Identity::Customer {
        session: SessionId(7),
        name: "Ada".into(),
        state: SessionState::Waiting,
    };
    let other = StoredConsent {
        session: SessionId(6),
        consent,
    };
    let state = reduce(
        CustomerState::default(),
        [
            Action::Welcome {
                me,
                token: Some("tok".into()),
            },
            Action::ConsentRestored(other),
        ],
    );
    assert_eq!(state.consent, None, "another session's answer");
    let state = reduce(state, [Action::ConsentRestored(stored)]);
    assert_eq!(state.consent, Some(stored));
    assert_eq!(state.token.as_deref(), Some("tok"));
}

#[test]
fn the_reps_connection_dropping_and_coming_back_is_told_until_a_new_rep() {
    let link = |online| {
        Action::Push(ServerMessage::PeerLink {
            session: SessionId(7),
            party: Party::Rep,
            online,
        })
    };
    let state = reduce(chatting(), [link(false)]);
    assert_eq!(state.rep_link, PeerLink::Reconnecting);
    let state = reduce(state, [link(true)]);
    assert_eq!(state.rep_link, PeerLink::Back);
    let state = reduce(state, [link(false), Action::Push(started(SessionId(7)))]);
    assert_eq!(state.rep_link, PeerLink::Online);
}

#[test]
fn the_rep_joins_and_chat_arrives_in_order() {
    let state = reduce(
        chatting(),
        [
            Action::Push(ServerMessage::Chat(message(2, Party::Rep, "second"))),
            Action::History(vec![
                message(1, Party::Customer, "first"),
                message(2, Party::Rep, "second"),
            ]),
        ],
    );
    let rep_name = Some("Rita".to_string());
    assert_eq!(
        state.phase,
        Phase::Chatting {
            session: SessionId(7),
            rep_name
        }
    );
    let texts: Vec<_> = state.log.messages().iter().map(|m| &m.text).collect();
    assert_eq!(texts, ["first", "second"]);
}

#[test]
fn own_messages_are_pending_until_stored() {
    let pending = Pending {
        local_id: 1,
        from: Party::Customer,
        name: "Ada".into(),
        text: "hi".into(),
        failed: false,
    };
    let state = reduce(chatting(), [Action::Sending(pending)]);
    assert_eq!(state.log.pending().len(), 1);
    let state = reduce(
        state,
        [Action::Stored {
            local_id: 1,
            seq: 1,
            at: 5,
        }],
    );
    assert!(state.log.pending().is_empty());
    assert_eq!(state.log.messages()[0].text, "hi");
    assert_eq!(state.log.messages()[0].session, SessionId(7));
}

#[test]
fn the_end_keeps_the_log_and_says_who_ended_it() {
    let state = reduce(
        chatting(),
        [
            Action::Push(ServerMessage::Chat(message(1, Party::Rep, "bye"))),
            ended(Party::Rep, EndReason::Ended, false),
            // Late news for an ended session changes nothing.
            Action::Push(started(SessionId(7))),
        ],
    );
    let Phase::Ended { by, reason, .. } = state.phase else {
        panic!("ended");
    };
    assert_eq!((by, reason), (Some(Party::Rep), Some(EndReason::Ended)));
    assert_eq!(state.log.messages().len(), 1);
}

#[test]
fn a_new_chat_starts_with_the_agreement_again() {
    let state = reduce(
        waiting(),
        [
            Action::EndedByMe {
                session: SessionId(7),
                after_notice: false,
            },
            Action::Restart,
        ],
    );
    assert_eq!(state.phase, Phase::Agreement);
    assert!(state.log.is_empty());
    assert!(state.site.is_some(), "the site's texts are kept");
    assert_eq!(state.token, None);
}

#[test]
fn a_reload_resumes_the_session_the_token_names() {
    let me = Identity::Customer {
        session: SessionId(7),
        name: "Ada".into(),
        state: SessionState::Active,
    };
    let state = reduce(
        CustomerState::default(),
        [Action::Welcome { me, token: None }],
    );
    assert_eq!(state.name, "Ada");
    let state = reduce(state, [Action::Push(started(SessionId(7)))]);
    let rep_name = Some("Rita".to_string());
    assert_eq!(
        state.phase,
        Phase::Chatting {
            session: SessionId(7),
            rep_name
        }
    );
}

#[test]
fn a_reconnect_keeps_what_the_page_knew() {
    let state = reduce(chatting(), [Action::Lost, Action::Connecting]);
    assert_eq!(state.link, Link::Reconnecting);
    let me = Identity::Customer {
        session: SessionId(7),
        name: "Ada".into(),
        state: SessionState::Active,
    };
    let state = reduce(state, [Action::Welcome { me, token: None }]);
    assert_eq!(state.link, Link::Online);
    let rep_name = Some("Rita".to_string());
    assert_eq!(
        state.phase,
        Phase::Chatting {
            session: SessionId(7),
            rep_name
        }
    );
    assert_eq!(state.token.as_deref(), Some("tok"));
}

#[test]
fn a_forgotten_session_counts_as_ended() {
    let state = reduce(chatting(), [visitor()]);
    assert_eq!(state.phase, Phase::ended(SessionId(7), None, None));
}

#[test]
fn a_share_request_is_shown_for_this_session_and_ends_with_it() {
    let request = |session| {
        Action::Push(ServerMessage::Share {
            session,
            state: ShareState::Requested {
                mode: protocol::ShareMode::Unrestricted,
                rep_name: "Rita".into(),
            },
        })
    };
    let state = reduce(chatting(), [request(SessionId(8))]);
    assert_eq!(state.share, CustomerShare::Off, "another session's request");
    let state = reduce(state, [request(SessionId(7)), Action::ShareAnswering]);
    assert!(state.share.busy());
    let active = Action::Push(ServerMessage::Share {
        session: SessionId(7),
        state: ShareState::Active {
            mode: protocol::ShareMode::Unrestricted,
            recorded: false,
        },
    });
    let state = reduce(state, [active, Action::ShareLink(MediaLink::Connected)]);
    assert!(state.share.is_on());
    let state = reduce(state, [ended(Party::Rep, EndReason::Ended, false)]);
    assert_eq!(state.share, CustomerShare::Off);
}

#[test]
fn after_a_reload_active_sharing_asks_for_the_screen_again() {
    let me = Identity::Customer {
        session: SessionId(7),
        name: "Ada".into(),
        state: SessionState::Active,
    };
    let state = reduce(
        CustomerState::default(),
        [
            Action::Welcome { me, token: None },
            Action::Push(started(SessionId(7))),
            Action::Push(ServerMessage::Share {
                session: SessionId(7),
                state: ShareState::Active {
                    mode: protocol::ShareMode::CustomerChooses,
                    recorded: false,
                },
            }),
        ],
    );
    assert_eq!(
        state.share,
        CustomerShare::Asked {
            mode: protocol::ShareMode::CustomerChooses,
            rep_name: "Rita".into(),
            resume: true,
        }
    );
}

#[test]
fn errors_show_until_dismissed() {
    let error = RequestError::Server {
        code: ErrorCode::InvalidInput,
        reason: None,
        message: "name is empty".into(),
    };
    let state = reduce(chatting(), [Action::Failed(error.clone())]);
    assert_eq!(state.error, Some(error));
    let state = reduce(state, [Action::DismissError]);
    assert_eq!(state.error, None);
}

#[test]
fn a_message_for_the_reps_is_reported_and_changes_nothing() {
    let state = chatting();
    let mut next = state.clone();
    let queue = ServerMessage::Queue {
        entries: vec![],
        waiting: 0,
    };
    assert_eq!(next.apply(Action::Push(queue)), Err(Misdirected));
    assert_eq!(next, state);
}
