//! The customer's verbs: what the page's components call, each a request to the server or an
//! action for the state.

use super::*;

/// What the customer typed into the entry form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub problem: String,
    /// A rep's session key, if one was given.
    pub key: Option<String>,
}

/// The exit survey's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyAnswers {
    /// 1 to 5.
    pub rating: u8,
    pub resolved: bool,
    pub comment: String,
}

/// What `use_customer()` returns: the state plus the verbs.
#[derive(Clone, PartialEq)]
pub struct CustomerHandle {
    pub(super) state: UseReducerHandle<Customer>,
    pub(super) conn: Connection,
    /// The files offered and not uploaded yet, by transfer; the upload starts when the rep
    /// accepts.
    pub(super) uploads: Uploads,
    /// The screen this page shares, if any.
    pub(super) screen: Screen,
    /// The host page, when this chat is embedded in another site's page.
    pub(super) embed: Option<Embed>,
}

impl Deref for CustomerHandle {
    type Target = CustomerState;

    fn deref(&self) -> &CustomerState {
        &self.state
    }
}

impl CustomerHandle {
    pub fn accept_agreement(&self) {
        self.state.dispatch(Action::AcceptAgreement);
    }

    /// Declining ends the visit here: no request, no queue entry, no survey.
    pub fn decline_agreement(&self) {
        self.state.dispatch(Action::DeclineAgreement);
    }

    pub fn answer_recording(&self, allowed: bool) {
        self.state.dispatch(Action::AnswerRecording(allowed));
    }

    /// Enters the queue.
    pub fn start(&self, entry: Entry) {
        let dispatch = self.state.dispatcher();
        self.state.dispatch(Action::Starting {
            name: entry.name.clone(),
        });
        let request = Request::StartChat {
            name: entry.name,
            problem: entry.problem,
            lang: self.lang,
            recording: self.recording,
            key: entry.key,
        };
        self.conn.request(request, move |result| match result {
            Ok(Reply::Queued {
                session,
                token,
                position,
                wait_secs,
                recording,
            }) => {
                storage::save_token(&token);
                if let Some(consent) = recording {
                    storage::save_consent(&StoredConsent { session, consent });
                }
                dispatch.dispatch(Action::Queued {
                    session,
                    token,
                    position,
                    wait_secs,
                    consent: recording,
                });
            }
            Ok(other) => unexpected(&other),
            Err(error) => dispatch.dispatch(Action::Failed(error)),
        });
    }

    /// Sends a chat message; it shows as "sending…" until stored.
    pub fn send(&self, text: String) {
        let Phase::Chatting { session, .. } = self.phase else {
            return;
        };
        let local_id = next_local_id();
        self.state.dispatch(Action::Sending(Pending {
            local_id,
            from: Party::Customer,
            name: self.name.clone(),
            text: text.clone(),
            failed: false,
        }));
        let dispatch = self.state.dispatcher();
        chat::send(&self.conn, session, text, move |result| {
            dispatch.dispatch(match result {
                Ok((seq, at)) => Action::Stored { local_id, seq, at },
                Err(error) => Action::SendFailed { local_id, error },
            })
        });
    }

    /// Tells the server the rep's messages up to `seq` are shown.
    pub fn mark_seen(&self, seq: u64) {
        let Phase::Chatting { session, .. } = self.phase else {
            return;
        };
        chat::mark_seen(&self.conn, session, seq);
    }

    /// Ends the session, or leaves the queue.
    pub fn end(&self) {
        self.end_session(false);
    }

    /// Leaves the queue because of a notice: the session ends without a survey.
    pub fn leave_after_notice(&self) {
        self.end_session(true);
    }

    fn end_session(&self, after_notice: bool) {
        let Some(session) = self.phase.open_session() else {
            return;
        };
        let dispatch = self.state.dispatcher();
        let request = Request::EndSession {
            session,
            after_notice,
        };
        self.conn.request(request, move |result| match result {
            Ok(_) => {
                storage::forget_token();
                dispatch.dispatch(Action::EndedByMe {
                    session,
                    after_notice,
                });
            }
            Err(error) => dispatch.dispatch(Action::Failed(error)),
        });
    }

    /// Sends the exit survey with the ended session's token.
    pub fn submit_survey(&self, answers: SurveyAnswers) {
        let Phase::Ended {
            session,
            survey: Survey::Open,
            ..
        } = self.phase
        else {
            return;
        };
        let Some(token) = self.token.clone() else {
            // Only a page that lost its token gets here; the server could not accept it.
            self.state.dispatch(Action::Failed(RequestError::Server {
                code: ErrorCode::NoSuchSession,
                reason: None,
                message: String::new(),
            }));
            return;
        };
        self.state.dispatch(Action::SurveySending);
        let dispatch = self.state.dispatcher();
        let request = Request::Survey {
            session,
            token,
            rating: answers.rating,
            resolved: answers.resolved,
            comment: answers.comment,
        };
        self.conn.request(request, move |result| {
            dispatch.dispatch(match result {
                Ok(_) => Action::SurveySent,
                Err(error) => Action::SurveyFailed(error),
            })
        });
    }

    pub fn skip_survey(&self) {
        self.state.dispatch(Action::SurveySkipped);
    }

    /// Back to the start after a session ended.
    pub fn restart(&self) {
        storage::forget_token();
        storage::forget_consent();
        self.state.dispatch(Action::Restart);
    }

    pub fn dismiss_error(&self) {
        self.state.dispatch(Action::DismissError);
    }
}
