//! What the connection reports, turned into the customer state's actions.

use super::*;

/// Turns what the connection reports into actions, asks for what a (re)attached page is
/// missing, and alerts a customer whose tab is in the background.
pub(super) struct Events {
    pub(super) dispatch: Dispatcher,
    pub(super) texts: &'static Texts,
    pub(super) lang: Lang,
    pub(super) uploads: Uploads,
    pub(super) screen: Screen,
    /// The session whose rep joining was already announced, so a reconnect does not repeat it.
    pub(super) announced: Cell<Option<SessionId>>,
}

impl Events {
    pub(super) fn on_event(&self, conn: &Connection, event: Event) {
        let dispatch = &self.dispatch;
        match event {
            Event::Connecting => dispatch.dispatch(Action::Connecting),
            Event::Lost => dispatch.dispatch(Action::Lost),
            Event::Ready(me) => self.on_ready(conn, me),
            Event::Refused(error) => {
                let stale_token = matches!(
                    &error,
                    RequestError::Server {
                        code: ErrorCode::NoSuchSession | ErrorCode::Forbidden,
                        ..
                    }
                ) && storage::load_token().is_some();
                if stale_token {
                    // The session is gone (or the token is not ours): start over as a visitor.
                    storage::forget_token();
                    conn.reconnect();
                } else {
                    dispatch.dispatch(Action::Failed(error));
                }
            }
            Event::Push(message) => {
                // A browser that cannot share is not offered to: the rep is told at once.
                let cannot_share = match &message {
                    ServerMessage::Share {
                        session,
                        state: ShareState::Requested { .. },
                    } if !webrtc::can_share() => Some(*session),
                    _ => None,
                };
                match &message {
                    ServerMessage::SessionStarted(info) => {
                        fetch_history(conn, dispatch, info.session);
                        if self.announced.replace(Some(info.session)) != Some(info.session) {
                            let title = (self.texts.notify_rep_joined)(&info.rep_name);
                            notify::alert(&title, "", &title);
                        }
                    }
                    // Only a nudge that arrives live: one in the history is old news.
                    ServerMessage::Chat(message) if message.kind == MessageKind::Nudge => {
                        let title = (self.texts.notify_nudged)(&message.name);
                        attention::nudge(&title, &title);
                    }
                    ServerMessage::Chat(message) if message.from == Party::Rep => {
                        let title = (self.texts.notify_new_message)(&message.name);
                        let body: String = message.text.chars().take(200).collect();
                        notify::alert(&title, &body, self.texts.title_new_message);
                    }
                    ServerMessage::Notice { notice, .. } => {
                        let body = notice.draft.text.get(self.lang);
                        let heading = self.texts.notice_heading;
                        notify::alert(heading, body, heading);
                    }
                    ServerMessage::SessionEnded { .. } => {
                        storage::forget_token();
                        self.screen.stop();
                    }
                    ServerMessage::Site { settings, .. } => {
                        self.screen.set_relay_only(settings.relay_only)
                    }
                    ServerMessage::Share { state, .. } => match state {
                        // With a capture (not after a reload), the connection starts now.
                        ShareState::Active { .. } => self.screen.start(conn, dispatch),
                        ShareState::Declined
                        | ShareState::CouldNotStart { .. }
                        | ShareState::Stopped { .. } => self.screen.stop(),
                        ShareState::Requested { .. } => {}
                    },
                    ServerMessage::Signal { signal, .. } => self.screen.signal(signal.clone()),
                    ServerMessage::File(event) => {
                        uploads::on_file_event(&self.uploads, dispatch, event)
                    }
                    _ => {}
                }
                dispatch.dispatch(Action::Push(message));
                if let Some(session) = cannot_share {
                    let failure = CaptureFailure::Unsupported;
                    let answer = Request::AnswerShare {
                        session,
                        answer: ShareAnswer::CouldNotCapture(failure),
                    };
                    conn.request(answer, |_| {});
                    dispatch.dispatch(Action::ShareCouldNotStart(failure));
                }
            }
        }
    }

    fn on_ready(&self, conn: &Connection, me: Identity) {
        let dispatch = &self.dispatch;
        let token = storage::load_token();
        let session = match &me {
            Identity::Customer { session, state, .. } => {
                if *state == SessionState::Ended {
                    storage::forget_token();
                }
                if *state != SessionState::Waiting {
                    fetch_history(conn, dispatch, *session);
                }
                Some(*session)
            }
            // A token the server did not recognise is of no further use.
            Identity::Visitor => {
                storage::forget_token();
                storage::forget_consent();
                None
            }
            Identity::Rep { .. } => None,
        };
        dispatch.dispatch(Action::Welcome { me, token });
        if let Some(consent) = storage::load_consent()
            && Some(consent.session) == session
        {
            dispatch.dispatch(Action::ConsentRestored(consent));
        }
    }
}

impl ChatActions for Action {
    fn history(_session: SessionId, messages: Vec<ChatMessage>) -> Self {
        Action::History(messages)
    }

    fn failed(error: RequestError) -> Self {
        Action::Failed(error)
    }
}
