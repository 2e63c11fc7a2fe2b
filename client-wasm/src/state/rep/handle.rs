//! The rep's verbs: what the console's components call, each a request to the server or an
//! action for the state.

use super::*;

/// What `use_rep()` returns: the state plus the verbs.
#[derive(Clone, PartialEq)]
pub struct RepHandle {
    pub(super) state: UseReducerHandle<Rep>,
    pub(super) conn: Connection,
    /// The presence to restore after a reconnect, read by the connection's event handler.
    pub(super) away: Rc<Cell<bool>>,
    /// The peer connections of shared screens.
    pub(super) media: Media,
}

impl Deref for RepHandle {
    type Target = RepState;

    fn deref(&self) -> &RepState {
        &self.state
    }
}

impl RepHandle {
    /// Takes a waiting customer; their session opens when `SessionStarted` arrives.
    pub fn accept(&self, session: SessionId) {
        self.state.dispatch(Action::Accepting(session));
        let dispatch = self.state.dispatcher();
        self.conn
            .request(Request::Accept { session }, move |result| {
                if let Err(error) = result {
                    dispatch.dispatch(Action::Failed(error));
                }
            });
    }

    /// Shows another session's panel.
    pub fn select(&self, session: SessionId) {
        self.state.dispatch(Action::Select(session));
    }

    /// Removes an ended session from the list.
    pub fn close(&self, session: SessionId) {
        self.state.dispatch(Action::Close(session));
    }

    /// Sends a chat message in the shown session.
    pub fn send(&self, text: String) {
        let Some(current) = self.current().filter(|s| s.ending.is_none()) else {
            return;
        };
        let session = current.info.session;
        let local_id = next_local_id();
        let pending = Pending {
            local_id,
            from: Party::Rep,
            name: self.name.clone(),
            text: text.clone(),
            failed: false,
        };
        self.state.dispatch(Action::Sending { session, pending });
        let dispatch = self.state.dispatcher();
        chat::send(&self.conn, session, text, move |result| {
            dispatch.dispatch(match result {
                Ok((seq, at)) => Action::Stored {
                    session,
                    local_id,
                    seq,
                    at,
                },
                Err(error) => Action::SendFailed {
                    session,
                    local_id,
                    error,
                },
            })
        });
    }

    /// Ends a session.
    pub fn end(&self, session: SessionId) {
        let dispatch = self.state.dispatcher();
        let request = Request::EndSession {
            session,
            after_notice: false,
        };
        self.conn.request(request, move |result| {
            dispatch.dispatch(match result {
                Ok(_) => Action::EndedByMe(session),
                Err(error) => Action::Failed(error),
            })
        });
    }

    /// Available for customers, or away.
    pub fn set_available(&self, available: bool) {
        self.away.set(!available);
        self.state.dispatch(Action::SetAway(!available));
        send_presence(&self.conn, &self.state.dispatcher(), available);
    }

    /// Asks for a one-time session key to give to a customer.
    pub fn create_key(&self) {
        self.state.dispatch(Action::CreatingKey);
        let dispatch = self.state.dispatcher();
        self.conn
            .request(Request::CreateKey, move |result| match result {
                Ok(Reply::Key { key, expires_at }) => {
                    dispatch.dispatch(Action::KeyCreated(SessionKey { key, expires_at }))
                }
                Ok(other) => unexpected(&other),
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            });
    }

    /// Sends an active notice to a waiting customer.
    pub fn send_notice(&self, (session, notice): (SessionId, NoticeId)) {
        self.state.dispatch(Action::SendingNotice(session));
        let dispatch = self.state.dispatcher();
        self.conn
            .request(Request::SendNotice { session, notice }, move |result| {
                dispatch.dispatch(match result {
                    Ok(_) => Action::NoticeSent(session),
                    Err(error) => Action::Failed(error),
                })
            });
    }

    pub fn dismiss_error(&self) {
        self.state.dispatch(Action::DismissError);
    }

    /// Draws the customer's attention; a nudge too soon after the last is refused.
    pub fn nudge(&self, session: SessionId) {
        let dispatch = self.state.dispatcher();
        self.conn
            .request(Request::Nudge { session }, move |result| {
                dispatch.dispatch(match result {
                    Ok(_) => Action::Nudged {
                        session,
                        refused: false,
                    },
                    Err(RequestError::Server {
                        code: ErrorCode::TooSoon,
                        ..
                    }) => Action::Nudged {
                        session,
                        refused: true,
                    },
                    Err(error) => Action::Failed(error),
                })
            });
    }

    /// Sends the customer a web address to open.
    pub fn send_link(&self, (session, url): (SessionId, String)) {
        self.request_done(Request::SendLink { session, url });
    }

    /// Hands a session to another rep with a note; `TransferredAway` follows.
    pub fn transfer(&self, (session, to, note): (SessionId, RepId, String)) {
        self.request_done(Request::Transfer { session, to, note });
    }

    /// Takes or declines a file the customer offered.
    pub fn answer_file(&self, (session, file, accept): (SessionId, FileId, bool)) {
        self.request_done(Request::AnswerFile {
            session,
            file,
            accept,
        });
    }

    /// Tells the server the customer's messages up to `seq` are shown.
    pub fn mark_seen(&self, (session, seq): (SessionId, u64)) {
        chat::mark_seen(&self.conn, session, seq);
    }

    /// A request whose success shows through the events that follow; a failure is shown.
    pub(super) fn request_done(&self, request: Request) {
        let dispatch = self.state.dispatcher();
        self.conn.request(request, move |result| {
            if let Err(error) = result {
                dispatch.dispatch(Action::Failed(error));
            }
        });
    }
}
