//! The rep console's state: the live queue, the sessions the rep took (chat, delivery, files,
//! nudges, sharing, handing over), presence, session keys and the notices a rep may send. The
//! state changes only by [`RepState::apply`]; the console's driver turns what the connection
//! and the rep do into [`Action`]s.

mod push;
#[cfg(test)]
mod tests;

use std::rc::Rc;

use protocol::{ChatMessage, Millis, Notice, Party, QueueEntry, RepId, RepOnline};
use protocol::{ServerMessage, SessionId, SessionInfo, ShareMode};

use crate::chat_log::{ChatLog, Pending};
use crate::connection::RequestError;
use crate::files::Transfers;
use crate::page::{Link, Misdirected, PeerLink};
use crate::share::{Figures, MediaLink, RepShare};

/// How a session the rep took came to an end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    By(Party),
    /// The rep handed it to this rep.
    TransferredTo(String),
    /// The server ended it (no side asked).
    ByServer,
    /// It ended while the console was not connected; who ended it is not known here.
    WhileAway,
    /// A side's connection dropped and did not come back in time.
    ConnectionLost,
}

/// A session the rep took.
#[derive(Debug, Clone, PartialEq)]
pub struct RepSession {
    pub info: SessionInfo,
    pub log: Rc<ChatLog>,
    /// Set once the session is over.
    pub ending: Option<Ending>,
    /// Customer messages that came while another session was shown.
    pub unread: u32,
    /// The files the customer offered.
    pub files: Rc<Transfers>,
    /// The last nudge was refused as too soon after the one before.
    pub nudge_refused: bool,
    /// Where screen sharing stands.
    pub share: RepShare,
    /// The server records the shared screen.
    pub recorded: bool,
    /// The customer's connection.
    pub customer_link: PeerLink,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RepState {
    pub link: Link,
    /// The rep's id, to leave them out of the reps a session can go to.
    pub me: Option<RepId>,
    /// The rep's display name, shown with their own messages.
    pub name: String,
    /// The reps signed in now, this one included.
    pub reps: Rc<Vec<RepOnline>>,
    /// The first waiting customers, in order.
    pub queue: Rc<Vec<QueueEntry>>,
    /// How many wait in all; the queue shows the first of them.
    pub waiting: u32,
    /// The server has told the queue since the console opened: the empty queue before that
    /// is not known to be empty.
    pub queue_heard: bool,
    /// The taken sessions, in the order they were taken.
    pub sessions: Vec<RepSession>,
    /// The sessions the parts of `rep_sessions` so far listed, until the last part.
    listed: Vec<SessionId>,
    /// The session whose panel is shown.
    pub selected: Option<SessionId>,
    /// `Accept` is on its way for this session.
    pub accepting: Option<SessionId>,
    pub error: Option<RequestError>,
    /// The rep set themselves away: the server does not count them as available.
    pub away: bool,
    /// The last session key the rep created.
    pub key: Option<SessionKey>,
    /// `CreateKey` is on its way.
    pub creating_key: bool,
    /// The active notices a rep may send, from the server's `Site` message.
    pub notices: Rc<Vec<Notice>>,
    /// A notice is on its way to this waiting customer.
    pub sending_notice: Option<SessionId>,
    /// The last notice sent went to this waiting customer.
    pub notice_sent: Option<SessionId>,
    /// The site shows a watermark over shared screens.
    pub watermark: bool,
}

/// A one-time key that routes a customer to this rep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKey {
    pub key: String,
    pub expires_at: Millis,
}

impl RepState {
    /// The session whose panel is shown.
    pub fn current(&self) -> Option<&RepSession> {
        let selected = self.selected?;
        self.sessions.iter().find(|s| s.info.session == selected)
    }

    /// The other signed-in reps, who may take a session over.
    pub fn other_reps(&self) -> Vec<RepOnline> {
        self.reps
            .iter()
            .filter(|r| Some(r.rep) != self.me)
            .cloned()
            .collect()
    }

    fn session_mut(&mut self, session: SessionId) -> Option<&mut RepSession> {
        self.sessions.iter_mut().find(|s| s.info.session == session)
    }

    /// Adds a session the server says the rep serves, or refreshes what is known of it.
    fn upsert(&mut self, info: SessionInfo) {
        match self.session_mut(info.session) {
            Some(known) => {
                known.info = info;
                // After a reconnect the server says again which customers are away.
                known.customer_link = PeerLink::Online;
            }
            None => self.sessions.push(RepSession {
                info,
                log: Rc::default(),
                ending: None,
                unread: 0,
                files: Rc::default(),
                nudge_refused: false,
                share: RepShare::default(),
                recorded: false,
                customer_link: PeerLink::Online,
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Connecting,
    Lost,
    Welcome {
        rep: RepId,
        name: String,
    },
    Push(ServerMessage),
    History {
        session: SessionId,
        messages: Vec<ChatMessage>,
    },
    Accepting(SessionId),
    Select(SessionId),
    Close(SessionId),
    Sending {
        session: SessionId,
        pending: Pending,
    },
    Stored {
        session: SessionId,
        local_id: u64,
        seq: u64,
        at: Millis,
    },
    SendFailed {
        session: SessionId,
        local_id: u64,
        error: RequestError,
    },
    EndedByMe(SessionId),
    /// A nudge went out (`false`) or was refused as too soon (`true`).
    Nudged {
        session: SessionId,
        refused: bool,
    },
    SetAway(bool),
    CreatingKey,
    KeyCreated(SessionKey),
    SendingNotice(SessionId),
    NoticeSent(SessionId),
    Failed(RequestError),
    DismissError,
    ShareRequesting {
        session: SessionId,
        mode: ShareMode,
    },
    ShareRefused {
        session: SessionId,
        error: RequestError,
    },
    /// Sharing was on while the console was away; it was stopped.
    ShareInterrupted(SessionId),
    ShareLink {
        session: SessionId,
        link: MediaLink,
    },
    /// The customer's screen arrived.
    ShareStream(SessionId),
    ShareFigures {
        session: SessionId,
        figures: Figures,
    },
}

impl RepState {
    /// The state after `action`; a server message meant for customers' pages changes nothing
    /// and is reported as [`Misdirected`].
    pub fn apply(&mut self, action: Action) -> Result<(), Misdirected> {
        match action {
            Action::Connecting => self.link = self.link.opening(),
            Action::Lost => self.link = Link::Reconnecting,
            Action::Welcome { rep, name } => {
                self.link = Link::Online;
                // A view cut off by a drop comes again whole after this welcome.
                self.listed.clear();
                self.me = Some(rep);
                self.name = name;
            }
            Action::Push(event) => return self.push(event),
            Action::History { session, messages } => {
                if let Some(s) = self.session_mut(session) {
                    let mine = messages.into_iter().filter(|m| m.session == session);
                    Rc::make_mut(&mut s.log).merge(mine);
                }
            }
            Action::Accepting(session) => {
                self.accepting = Some(session);
                self.error = None;
            }
            Action::Select(session) => {
                if let Some(s) = self.session_mut(session) {
                    s.unread = 0;
                    self.selected = Some(session);
                }
            }
            Action::Close(session) => {
                self.sessions.retain(|s| s.info.session != session);
                if self.selected == Some(session) {
                    self.selected = self.sessions.first().map(|s| s.info.session);
                }
            }
            Action::Sending { session, pending } => {
                if let Some(s) = self.session_mut(session) {
                    Rc::make_mut(&mut s.log).add_pending(pending);
                }
            }
            Action::Stored {
                session,
                local_id,
                seq,
                at,
            } => {
                if let Some(s) = self.session_mut(session) {
                    Rc::make_mut(&mut s.log).confirm(session, local_id, seq, at);
                }
            }
            Action::SendFailed {
                session,
                local_id,
                error,
            } => {
                if let Some(s) = self.session_mut(session) {
                    Rc::make_mut(&mut s.log).fail(local_id);
                }
                self.error = Some(error);
            }
            Action::EndedByMe(session) => {
                if let Some(s) = self.session_mut(session) {
                    s.ending.get_or_insert(Ending::By(Party::Rep));
                }
            }
            Action::Nudged { session, refused } => {
                if let Some(s) = self.session_mut(session) {
                    s.nudge_refused = refused;
                }
            }
            Action::SetAway(away) => self.away = away,
            Action::CreatingKey => {
                self.creating_key = true;
                self.error = None;
            }
            Action::KeyCreated(key) => {
                self.creating_key = false;
                self.key = Some(key);
            }
            Action::SendingNotice(session) => {
                self.sending_notice = Some(session);
                self.notice_sent = None;
                self.error = None;
            }
            Action::NoticeSent(session) => {
                self.sending_notice = None;
                self.notice_sent = Some(session);
            }
            Action::Failed(error) => {
                self.accepting = None;
                self.creating_key = false;
                self.sending_notice = None;
                self.error = Some(error);
            }
            Action::DismissError => self.error = None,
            Action::ShareRequesting { session, mode } => {
                if let Some(s) = self.session_mut(session) {
                    s.share.requesting(mode);
                }
                self.error = None;
            }
            Action::ShareRefused { session, error } => {
                if let Some(s) = self.session_mut(session) {
                    s.share.refused();
                }
                self.error = Some(error);
            }
            Action::ShareInterrupted(session) => {
                if let Some(s) = self.session_mut(session) {
                    s.share.interrupted();
                }
            }
            Action::ShareLink { session, link } => {
                if let Some(s) = self.session_mut(session) {
                    s.share.link(link);
                }
            }
            Action::ShareStream(session) => {
                if let Some(s) = self.session_mut(session) {
                    s.share.stream();
                }
            }
            Action::ShareFigures { session, figures } => {
                if let Some(s) = self.session_mut(session) {
                    s.share.figures(figures);
                }
            }
        }
        Ok(())
    }
}
