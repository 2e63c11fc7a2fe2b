//! The rep console's state: the live queue, the sessions the rep took (chat, delivery, files,
//! nudges, handing over), presence, session keys and the notices a rep may send, with
//! `use_rep()` verbs.

use std::cell::Cell;
use std::ops::Deref;
use std::rc::Rc;

use protocol::ShareMode;
use protocol::{ChatMessage, FileId, Identity, Millis, Notice, NoticeId, Party, QueueEntry};
use protocol::{
    EndReason, ErrorCode, RepId, RepOnline, Reply, Request, ServerMessage, SessionId, SessionInfo,
};
use yew::prelude::*;

mod sharing;

use super::chat_log::{ChatLog, Pending, next_local_id};
use super::files::Transfers;
use super::share::{MediaLink, RepShare};
use super::{ChatActions, Link, PeerLink, fetch_history, reduce_by, use_connection};
use crate::services::webrtc::Figures;
use crate::services::ws::{Connection, Event, RequestError};
use crate::services::{chat, unexpected, warn};
use sharing::Media;

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
    /// The taken sessions, in the order they were taken.
    pub sessions: Vec<RepSession>,
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

/// A time of day as the console shows it: "14:05".
pub fn clock(hours: u32, minutes: u32) -> String {
    format!("{hours:02}:{minutes:02}")
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

impl Reducible for RepState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        reduce_by(self, |next| next.apply(action))
    }
}

impl RepState {
    fn apply(&mut self, action: Action) {
        match action {
            Action::Connecting => self.link = self.link.opening(),
            Action::Lost => self.link = Link::Reconnecting,
            Action::Welcome { rep, name } => {
                self.link = Link::Online;
                self.me = Some(rep);
                self.name = name;
            }
            Action::Push(event) => self.push(event),
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
    }

    fn push(&mut self, event: ServerMessage) {
        match event {
            ServerMessage::Queue { entries, waiting } => {
                // "Notice sent" is about a waiting customer; it goes when they do.
                let sent = self.notice_sent;
                if !sent.is_some_and(|s| entries.iter().any(|e| e.session == s)) {
                    self.notice_sent = None;
                }
                self.queue = Rc::new(entries);
                self.waiting = waiting;
            }
            ServerMessage::SessionStarted(info) => {
                let session = info.session;
                self.upsert(info);
                // Show the session the rep just accepted, or the first one there is.
                if self.accepting == Some(session) || self.current().is_none() {
                    self.selected = Some(session);
                }
                if self.accepting == Some(session) {
                    self.accepting = None;
                }
            }
            ServerMessage::Chat(message) => {
                let shown = self.selected == Some(message.session);
                if let Some(s) = self.session_mut(message.session) {
                    let from_customer = message.from == Party::Customer;
                    let new = Rc::make_mut(&mut s.log).insert(message);
                    if new && from_customer && !shown {
                        s.unread += 1;
                    }
                }
            }
            ServerMessage::SessionEnded {
                session,
                by,
                reason,
                ..
            } => {
                if let Some(s) = self.session_mut(session)
                    && !matches!(s.ending, Some(Ending::TransferredTo(_)))
                {
                    s.ending = Some(match (reason, by) {
                        (EndReason::Lost, _) => Ending::ConnectionLost,
                        (_, Some(by)) => Ending::By(by),
                        (_, None) => Ending::ByServer,
                    });
                    s.share.session_over();
                }
            }
            ServerMessage::PeerLink {
                session,
                party,
                online,
            } => {
                if let Some(s) = self.session_mut(session)
                    && party == Party::Customer
                {
                    s.customer_link = PeerLink::heard(online);
                }
            }
            ServerMessage::Received { session, by, seq } => {
                if let Some(s) = self.session_mut(session) {
                    Rc::make_mut(&mut s.log).mark_received(by, seq);
                }
            }
            ServerMessage::Reps { reps } => self.reps = Rc::new(reps),
            ServerMessage::TransferredAway { session, to_name } => {
                if let Some(s) = self.session_mut(session) {
                    s.ending = Some(Ending::TransferredTo(to_name));
                    s.share.session_over();
                }
            }
            ServerMessage::File(event) => {
                if let Some(s) = self.session_mut(event.session) {
                    Rc::make_mut(&mut s.files).update(event);
                }
            }
            ServerMessage::Site { notices, settings } => {
                self.watermark = settings.watermark;
                // The server sends only active notices; filtering again costs nothing.
                let active = notices.into_iter().filter(|n| n.draft.active).collect();
                self.notices = Rc::new(active);
            }
            ServerMessage::RepSessions { sessions } => {
                for s in &mut self.sessions {
                    let live = sessions.iter().any(|info| info.session == s.info.session);
                    if !live && s.ending.is_none() {
                        s.ending = Some(Ending::WhileAway);
                    }
                }
                for info in sessions {
                    self.upsert(info);
                }
                if self.current().is_none() {
                    self.selected = self.sessions.first().map(|s| s.info.session);
                }
            }
            ServerMessage::Share { session, state } => {
                if let Some(s) = self.session_mut(session) {
                    s.share.server(state);
                }
            }
            // Signaling goes to the peer connection, not into the state.
            ServerMessage::Signal { .. } => {}
            ServerMessage::QueuePosition { .. }
            | ServerMessage::Hold { .. }
            | ServerMessage::Notice { .. }
            | ServerMessage::SessionChanged(_)
            | ServerMessage::Orphaned { .. }
            | ServerMessage::Ok { .. }
            | ServerMessage::Err { .. } => {
                warn("the rep console ignores a message meant for customers");
            }
        }
    }
}

/// What `use_rep()` returns: the state plus the verbs.
#[derive(Clone, PartialEq)]
pub struct RepHandle {
    state: UseReducerHandle<RepState>,
    conn: Connection,
    /// The presence to restore after a reconnect, read by the connection's event handler.
    away: Rc<Cell<bool>>,
    /// The peer connections of shared screens.
    media: Media,
}

impl Deref for RepHandle {
    type Target = RepState;

    fn deref(&self) -> &RepState {
        &self.state
    }
}

type Dispatcher = UseReducerDispatcher<RepState>;

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
    fn request_done(&self, request: Request) {
        let dispatch = self.state.dispatcher();
        self.conn.request(request, move |result| {
            if let Err(error) = result {
                dispatch.dispatch(Action::Failed(error));
            }
        });
    }
}

fn send_presence(conn: &Connection, dispatch: &Dispatcher, available: bool) {
    let dispatch = dispatch.clone();
    conn.request(Request::SetPresence { available }, move |result| {
        if let Err(error) = result {
            dispatch.dispatch(Action::Failed(error));
        }
    });
}

fn on_event(
    conn: &Connection,
    dispatch: &Dispatcher,
    onexpired: &Callback<()>,
    away: &Cell<bool>,
    media: &Media,
    event: Event,
) {
    match event {
        Event::Connecting => dispatch.dispatch(Action::Connecting),
        Event::Lost => dispatch.dispatch(Action::Lost),
        Event::Ready(Identity::Rep { rep, name, .. }) => {
            dispatch.dispatch(Action::Welcome { rep, name });
            // A new connection counts as available; a rep who chose "away" stays away.
            if away.get() {
                send_presence(conn, dispatch, false);
            }
        }
        Event::Ready(_) => warn("the server took the rep console for a customer"),
        // The cookie no longer names a rep: the sign-in has expired.
        Event::Refused(RequestError::Server {
            code: ErrorCode::NotSignedIn,
            ..
        }) => onexpired.emit(()),
        Event::Refused(error) => dispatch.dispatch(Action::Failed(error)),
        Event::Push(message) => {
            match &message {
                ServerMessage::SessionStarted(info) => fetch_history(conn, dispatch, info.session),
                ServerMessage::RepSessions { sessions } => {
                    for info in sessions {
                        fetch_history(conn, dispatch, info.session);
                    }
                }
                _ => {}
            }
            if media.on_push(conn, dispatch, &message) {
                dispatch.dispatch(Action::Push(message));
            }
        }
    }
}

impl ChatActions for Action {
    fn history(session: SessionId, messages: Vec<ChatMessage>) -> Self {
        Action::History { session, messages }
    }

    fn failed(error: RequestError) -> Self {
        Action::Failed(error)
    }
}

#[derive(Properties, PartialEq)]
pub struct RepProviderProps {
    pub children: Html,
    /// Called when the server no longer takes the connection for a rep.
    pub onexpired: Callback<()>,
}

/// Owns the rep's connection (opened after signing in) and the console state.
#[function_component]
pub fn RepProvider(props: &RepProviderProps) -> Html {
    let state = use_reducer(RepState::default);
    let away = (*use_memo((), |_| Rc::new(Cell::new(false)))).clone();
    let media = (*use_memo((), |_| Media::default())).clone();
    let (dispatch, onexpired) = (state.dispatcher(), props.onexpired.clone());
    let conn = {
        let (away, media) = (away.clone(), media.clone());
        use_connection(move || {
            // Reps are known by their cookie, never by a session token.
            Connection::new(Request::rep_hello, move |conn, event| {
                on_event(conn, &dispatch, &onexpired, &away, &media, event)
            })
        })
    };
    let handle = RepHandle {
        state,
        conn,
        away,
        media,
    };
    html! {
        <ContextProvider<RepHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<RepHandle>>
    }
}

/// The console state and verbs; only inside a [`RepProvider`].
#[hook]
pub fn use_rep() -> RepHandle {
    use_context::<RepHandle>().expect("use_rep needs a RepProvider")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::chat_log::message;

    fn reduce(state: RepState, actions: impl IntoIterator<Item = Action>) -> RepState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
    }

    fn started(session: SessionId, customer: &str) -> Action {
        Action::Push(ServerMessage::SessionStarted(SessionInfo {
            session,
            customer_name: customer.into(),
            problem: "printer".into(),
            rep: 1,
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
        let share = |state| Action::Push(ServerMessage::Share { session: 1, state });
        let state = reduce(
            RepState::default(),
            [
                started(1, "Ada"),
                Action::ShareRequesting {
                    session: 1,
                    mode: ShareMode::Unrestricted,
                },
                share(protocol::ShareState::Requested {
                    mode: ShareMode::Unrestricted,
                    rep_name: "Rita".into(),
                }),
                share(protocol::ShareState::Active {
                    mode: ShareMode::Unrestricted,
                }),
                Action::ShareStream(1),
            ],
        );
        assert!(matches!(
            state.sessions[0].share,
            RepShare::On { stream: true, .. }
        ));
        let state = reduce(
            state,
            [Action::Push(ServerMessage::SessionEnded {
                session: 1,
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
                session: 1,
                party: Party::Customer,
                online,
            })
        };
        let state = reduce(RepState::default(), [started(1, "Ada"), link(false)]);
        assert_eq!(state.sessions[0].customer_link, PeerLink::Reconnecting);
        let state = reduce(state, [link(true)]);
        assert_eq!(state.sessions[0].customer_link, PeerLink::Back);
        let lost = Action::Push(ServerMessage::SessionEnded {
            session: 1,
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
                started(1, "Ada"),
                Action::ShareRequesting {
                    session: 1,
                    mode: ShareMode::CustomerChooses,
                },
                Action::ShareRefused {
                    session: 1,
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
                    entries: vec![entry(1, "Ada"), entry(2, "Bob")],
                    waiting: 0,
                }),
                Action::Push(ServerMessage::Queue {
                    entries: vec![entry(2, "Bob")],
                    waiting: 0,
                }),
            ],
        );
        assert_eq!(*state.queue, [entry(2, "Bob")]);
        assert_eq!(state.waiting, 0);
    }

    #[test]
    fn an_accepted_session_opens_and_is_shown() {
        let state = reduce(
            RepState::default(),
            [started(1, "Ada"), Action::Accepting(2), started(2, "Bob")],
        );
        assert_eq!(state.sessions.len(), 2);
        assert_eq!(state.selected, Some(2));
        assert_eq!(state.accepting, None);
        assert_eq!(state.current().unwrap().info.customer_name, "Bob");
        // A session re-sent after a reconnect is not doubled.
        let state = reduce(state, [started(1, "Ada")]);
        assert_eq!(state.sessions.len(), 2);
        assert_eq!(state.selected, Some(2));
    }

    #[test]
    fn messages_in_a_hidden_session_count_as_unread() {
        let mut hidden = message(1, Party::Customer, "hello?");
        hidden.session = 1;
        let state = reduce(
            RepState::default(),
            [
                started(1, "Ada"),
                Action::Accepting(2),
                started(2, "Bob"),
                Action::Push(ServerMessage::Chat(hidden.clone())),
                Action::Push(ServerMessage::Chat(hidden)),
            ],
        );
        assert_eq!(state.sessions[0].unread, 1);
        let state = reduce(state, [Action::Select(1)]);
        assert_eq!(state.sessions[0].unread, 0);
        assert_eq!(state.current().unwrap().log.messages().len(), 1);
    }

    #[test]
    fn the_customer_ending_is_shown_and_the_session_can_be_closed() {
        let state = reduce(
            RepState::default(),
            [
                started(1, "Ada"),
                started(2, "Bob"),
                Action::Push(ServerMessage::SessionEnded {
                    session: 1,
                    by: Some(Party::Customer),
                    reason: protocol::EndReason::Ended,
                    survey: true,
                }),
                Action::EndedByMe(1),
            ],
        );
        assert_eq!(
            state.current().unwrap().ending,
            Some(Ending::By(Party::Customer))
        );
        let state = reduce(state, [Action::Close(1)]);
        assert_eq!(state.selected, Some(2));
        assert_eq!(state.sessions.len(), 1);
    }

    #[test]
    fn after_reconnecting_sessions_that_ended_meanwhile_are_shown_as_ended() {
        let Action::Push(ServerMessage::SessionStarted(second)) = started(2, "Bob") else {
            unreachable!()
        };
        let state = reduce(
            RepState::default(),
            [
                started(1, "Ada"),
                started(2, "Bob"),
                Action::Lost,
                Action::Push(ServerMessage::RepSessions {
                    sessions: vec![second],
                }),
            ],
        );
        let endings: Vec<_> = state
            .sessions
            .iter()
            .map(|s| (s.info.session, s.ending.clone()))
            .collect();
        assert_eq!(endings, [(1, Some(Ending::WhileAway)), (2, None)]);
    }

    #[test]
    fn sessions_listed_after_a_reload_are_taken_up_and_shown() {
        let Action::Push(ServerMessage::SessionStarted(info)) = started(3, "Cy") else {
            unreachable!()
        };
        let state = reduce(
            RepState::default(),
            [Action::Push(ServerMessage::RepSessions {
                sessions: vec![info],
            })],
        );
        assert_eq!(state.selected, Some(3));
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
                notices: vec![notice(1, true), notice(2, false)],
            })],
        );
        assert_eq!(*state.notices, [notice(1, true)]);
    }

    #[test]
    fn a_sent_notice_is_reported_until_the_customer_leaves_the_queue() {
        let state = reduce(
            RepState::default(),
            [
                Action::Push(ServerMessage::Queue {
                    entries: vec![entry(1, "Ada"), entry(2, "Bob")],
                    waiting: 0,
                }),
                Action::SendingNotice(1),
                Action::NoticeSent(1),
                Action::Push(ServerMessage::Queue {
                    entries: vec![entry(1, "Ada")],
                    waiting: 0,
                }),
            ],
        );
        assert_eq!((state.sending_notice, state.notice_sent), (None, Some(1)));
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
        assert_eq!(
            (crate::i18n::EN.key_valid_until)("K7QX2M", &clock(14, 5)),
            "Key: K7QX2M, valid until 14:05"
        );
    }

    #[test]
    fn a_server_ending_without_a_side_is_shown_as_ended() {
        let state = reduce(
            RepState::default(),
            [
                started(1, "Ada"),
                Action::Push(ServerMessage::SessionEnded {
                    session: 1,
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
                started(1, "Ada"),
                Action::Push(ServerMessage::TransferredAway {
                    session: 1,
                    to_name: "Cy".into(),
                }),
                // The session goes on with Cy; it is not "ended" for this rep.
                Action::Push(ServerMessage::SessionEnded {
                    session: 1,
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
                    rep: 1,
                    name: "Rita".into(),
                },
                Action::Push(ServerMessage::Reps {
                    reps: vec![rep(1, "Rita"), rep(3, "Cy")],
                }),
            ],
        );
        assert_eq!(state.other_reps(), [rep(3, "Cy")]);
    }

    #[test]
    fn delivery_files_and_nudges_are_kept_per_session() {
        let mut mine = message(1, Party::Rep, "hi");
        mine.session = 1;
        let state = reduce(
            RepState::default(),
            [
                started(1, "Ada"),
                Action::Push(ServerMessage::Chat(mine)),
                Action::Push(ServerMessage::Received {
                    session: 1,
                    by: Party::Customer,
                    seq: 1,
                }),
                Action::Push(ServerMessage::File(protocol::FileEvent {
                    session: 1,
                    file: 4,
                    name: "log.txt".into(),
                    size: 10,
                    state: protocol::FileState::Offered,
                })),
                Action::Nudged {
                    session: 1,
                    refused: true,
                },
            ],
        );
        let session = state.current().unwrap();
        let log = &session.log;
        assert_eq!(
            log.delivery(&log.messages()[0]),
            crate::state::chat_log::Delivery::Delivered
        );
        assert_eq!(session.files.items().len(), 1);
        assert!(session.nudge_refused);
        let state = reduce(
            state,
            [Action::Nudged {
                session: 1,
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
            [Action::Accepting(1), Action::Failed(error.clone())],
        );
        assert_eq!(state.accepting, None);
        assert_eq!(state.error, Some(error));
    }
}
