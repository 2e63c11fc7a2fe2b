//! The customer's side of a session: entry, queue, chat and end, with `use_customer()` verbs.

use std::ops::Deref;
use std::rc::Rc;

use protocol::{ChatMessage, Identity, Millis, Party, Reply, Request, ServerMessage, SessionId};
use protocol::{ErrorCode, SessionState};
use yew::prelude::*;

use super::chat_log::{ChatLog, Pending, next_local_id};
use super::{Link, use_connection};
use crate::services::warn;
use crate::services::ws::{Connection, Event, RequestError};
use crate::services::{chat, storage, unexpected};

/// Where the customer is in their visit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    /// The server has not said yet whether this tab already has a session.
    #[default]
    Loading,
    /// The entry form.
    Entry,
    /// In the queue; the position is known once the server has sent it.
    Waiting {
        session: SessionId,
        position: Option<u32>,
    },
    /// A rep took the session; the name comes with `SessionStarted`.
    Chatting {
        session: SessionId,
        rep_name: Option<String>,
    },
    /// Over; `by` is unknown when the page only learnt it after a reload.
    Ended {
        session: SessionId,
        by: Option<Party>,
    },
}

impl Phase {
    /// The session this phase belongs to.
    pub fn session(&self) -> Option<SessionId> {
        match self {
            Phase::Loading | Phase::Entry => None,
            Phase::Waiting { session, .. }
            | Phase::Chatting { session, .. }
            | Phase::Ended { session, .. } => Some(*session),
        }
    }

    /// The session, while it can still be ended.
    pub fn open_session(&self) -> Option<SessionId> {
        match self {
            Phase::Waiting { session, .. } | Phase::Chatting { session, .. } => Some(*session),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerState {
    pub link: Link,
    pub phase: Phase,
    /// The name the customer gave, shown with their own messages.
    pub name: String,
    pub log: Rc<ChatLog>,
    pub error: Option<RequestError>,
    /// `StartChat` is on its way.
    pub starting: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Connecting,
    Lost,
    Welcome(Identity),
    Starting { name: String },
    Queued { session: SessionId, position: u32 },
    Push(ServerMessage),
    History(Vec<ChatMessage>),
    Sending(Pending),
    Stored { local_id: u64, seq: u64, at: Millis },
    SendFailed { local_id: u64, error: RequestError },
    EndedByMe { session: SessionId },
    Failed(RequestError),
    DismissError,
    Restart,
}

impl Reducible for CustomerState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

impl CustomerState {
    fn apply(&mut self, action: Action) {
        match action {
            Action::Connecting => self.link = self.link.opening(),
            Action::Lost => self.link = Link::Reconnecting,
            Action::Welcome(me) => {
                self.link = Link::Online;
                self.welcome(me);
            }
            Action::Starting { name } => {
                self.starting = true;
                self.name = name;
                self.error = None;
            }
            Action::Queued { session, position } => {
                self.starting = false;
                // An event about the session may have overtaken this reply.
                if self.phase.session().is_none() {
                    let position = Some(position);
                    self.phase = Phase::Waiting { session, position };
                }
            }
            Action::Push(event) => self.push(event),
            Action::History(messages) => {
                let session = self.phase.session();
                let mine = messages.into_iter().filter(|m| Some(m.session) == session);
                Rc::make_mut(&mut self.log).merge(mine);
            }
            Action::Sending(pending) => Rc::make_mut(&mut self.log).add_pending(pending),
            Action::Stored { local_id, seq, at } => {
                if let Some(session) = self.phase.session() {
                    Rc::make_mut(&mut self.log).confirm(session, local_id, seq, at);
                }
            }
            Action::SendFailed { local_id, error } => {
                Rc::make_mut(&mut self.log).fail(local_id);
                self.error = Some(error);
            }
            Action::EndedByMe { session } => {
                if self.phase.open_session() == Some(session) {
                    let by = Some(Party::Customer);
                    self.phase = Phase::Ended { session, by };
                }
            }
            Action::Failed(error) => {
                self.starting = false;
                self.error = Some(error);
            }
            Action::DismissError => self.error = None,
            Action::Restart => {
                *self = CustomerState {
                    link: self.link,
                    phase: Phase::Entry,
                    name: std::mem::take(&mut self.name),
                    ..CustomerState::default()
                };
            }
        }
    }

    fn welcome(&mut self, me: Identity) {
        let known = self.phase.session();
        match me {
            Identity::Customer {
                session,
                name,
                state,
            } => {
                self.name = name;
                if known != Some(session) {
                    self.log = Rc::default();
                }
                self.phase = match (state, std::mem::take(&mut self.phase)) {
                    (SessionState::Waiting, Phase::Waiting { position, .. }) => {
                        Phase::Waiting { session, position }
                    }
                    (SessionState::Waiting, _) => Phase::Waiting {
                        session,
                        position: None,
                    },
                    (SessionState::Active, Phase::Chatting { rep_name, .. }) => {
                        Phase::Chatting { session, rep_name }
                    }
                    (SessionState::Active, _) => Phase::Chatting {
                        session,
                        rep_name: None,
                    },
                    (SessionState::Ended, Phase::Ended { by, .. }) => Phase::Ended { session, by },
                    (SessionState::Ended, _) => Phase::Ended { session, by: None },
                };
            }
            // A rep's cookie on the customer page: the server decides what they may do.
            Identity::Visitor | Identity::Rep { .. } => {
                self.phase = match std::mem::take(&mut self.phase) {
                    Phase::Loading | Phase::Entry => Phase::Entry,
                    // The server no longer knows our session: it is over for us.
                    Phase::Waiting { session, .. } | Phase::Chatting { session, .. } => {
                        Phase::Ended { session, by: None }
                    }
                    ended @ Phase::Ended { .. } => ended,
                };
            }
        }
    }

    fn push(&mut self, event: ServerMessage) {
        let current = self.phase.session();
        match event {
            ServerMessage::QueuePosition { session, position } => {
                if let Phase::Waiting {
                    session: waiting,
                    position: known,
                } = &mut self.phase
                    && *waiting == session
                {
                    *known = Some(position);
                }
            }
            ServerMessage::SessionStarted(info) => {
                let fits = match &self.phase {
                    Phase::Loading | Phase::Entry => true,
                    Phase::Waiting { session, .. } | Phase::Chatting { session, .. } => {
                        *session == info.session
                    }
                    Phase::Ended { .. } => false,
                };
                if fits {
                    self.phase = Phase::Chatting {
                        session: info.session,
                        rep_name: Some(info.rep_name),
                    };
                }
            }
            ServerMessage::Chat(message) => {
                if current == Some(message.session) {
                    Rc::make_mut(&mut self.log).insert(message);
                }
            }
            ServerMessage::SessionEnded { session, by } => {
                if current == Some(session) {
                    self.phase = Phase::Ended {
                        session,
                        by: Some(by),
                    };
                }
            }
            ServerMessage::Queue { .. }
            | ServerMessage::RepSessions { .. }
            | ServerMessage::Ok { .. }
            | ServerMessage::Err { .. } => {
                warn("the customer page ignores a message meant for others");
            }
        }
    }
}

/// What `use_customer()` returns: the state plus the verbs.
#[derive(Clone, PartialEq)]
pub struct CustomerHandle {
    state: UseReducerHandle<CustomerState>,
    conn: Connection,
}

impl Deref for CustomerHandle {
    type Target = CustomerState;

    fn deref(&self) -> &CustomerState {
        &self.state
    }
}

type Dispatcher = UseReducerDispatcher<CustomerState>;

impl CustomerHandle {
    /// Enters the queue.
    pub fn start(&self, name: String, problem: String) {
        let dispatch = self.state.dispatcher();
        self.state.dispatch(Action::Starting { name: name.clone() });
        let request = Request::StartChat { name, problem };
        self.conn.request(request, move |result| match result {
            Ok(Reply::Queued {
                session,
                token,
                position,
            }) => {
                storage::save_token(&token);
                dispatch.dispatch(Action::Queued { session, position });
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

    /// Ends the session, or leaves the queue.
    pub fn end(&self) {
        let Some(session) = self.phase.open_session() else {
            return;
        };
        let dispatch = self.state.dispatcher();
        self.conn.request(
            Request::EndSession { session },
            move |result| match result {
                Ok(_) => {
                    storage::forget_token();
                    dispatch.dispatch(Action::EndedByMe { session });
                }
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            },
        );
    }

    /// Back to the entry form after a session ended.
    pub fn restart(&self) {
        storage::forget_token();
        self.state.dispatch(Action::Restart);
    }

    pub fn dismiss_error(&self) {
        self.state.dispatch(Action::DismissError);
    }
}

/// Turns what the connection reports into actions, and asks for what a (re)attached page
/// is missing.
fn on_event(conn: &Connection, dispatch: &Dispatcher, event: Event) {
    match event {
        Event::Connecting => dispatch.dispatch(Action::Connecting),
        Event::Lost => dispatch.dispatch(Action::Lost),
        Event::Ready(me) => {
            match &me {
                Identity::Customer { session, state, .. } => {
                    if *state == SessionState::Ended {
                        storage::forget_token();
                    }
                    if *state != SessionState::Waiting {
                        fetch_history(conn, dispatch, *session);
                    }
                }
                // A token the server did not recognise is of no further use.
                Identity::Visitor => storage::forget_token(),
                Identity::Rep { .. } => {}
            }
            dispatch.dispatch(Action::Welcome(me));
        }
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
            match &message {
                ServerMessage::SessionStarted(info) => fetch_history(conn, dispatch, info.session),
                ServerMessage::SessionEnded { .. } => storage::forget_token(),
                _ => {}
            }
            dispatch.dispatch(Action::Push(message));
        }
    }
}

fn fetch_history(conn: &Connection, dispatch: &Dispatcher, session: SessionId) {
    let dispatch = dispatch.clone();
    chat::history(conn, session, move |result| {
        dispatch.dispatch(match result {
            Ok(messages) => Action::History(messages),
            Err(error) => Action::Failed(error),
        })
    });
}

#[derive(Properties, PartialEq)]
pub struct CustomerProviderProps {
    pub children: Html,
}

/// Owns the page's connection and the customer state for everything inside it.
#[function_component]
pub fn CustomerProvider(props: &CustomerProviderProps) -> Html {
    let state = use_reducer(CustomerState::default);
    let dispatch = state.dispatcher();
    let conn = use_connection(move || {
        let hello = || Request::customer_hello(storage::load_token());
        Connection::new(hello, move |conn, event| on_event(conn, &dispatch, event))
    });
    let handle = CustomerHandle { state, conn };
    html! {
        <ContextProvider<CustomerHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<CustomerHandle>>
    }
}

/// The customer state and verbs; only inside a [`CustomerProvider`].
#[hook]
pub fn use_customer() -> CustomerHandle {
    use_context::<CustomerHandle>().expect("use_customer needs a CustomerProvider")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::chat_log::message;
    use protocol::SessionInfo;

    fn reduce(state: CustomerState, actions: impl IntoIterator<Item = Action>) -> CustomerState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
    }

    fn started(session: SessionId) -> ServerMessage {
        ServerMessage::SessionStarted(SessionInfo {
            session,
            customer_name: "Ada".into(),
            problem: "printer".into(),
            rep: 1,
            rep_name: "Rita".into(),
        })
    }

    fn chatting() -> CustomerState {
        reduce(
            CustomerState::default(),
            [
                Action::Welcome(Identity::Visitor),
                Action::Starting { name: "Ada".into() },
                Action::Queued {
                    session: 7,
                    position: 3,
                },
                Action::Push(started(7)),
            ],
        )
    }

    #[test]
    fn a_visitor_sees_the_entry_form_then_the_queue() {
        let state = reduce(
            CustomerState::default(),
            [
                Action::Welcome(Identity::Visitor),
                Action::Starting { name: "Ada".into() },
            ],
        );
        assert_eq!(state.phase, Phase::Entry);
        assert!(state.starting);
        let state = reduce(
            state,
            [
                Action::Queued {
                    session: 7,
                    position: 3,
                },
                Action::Push(ServerMessage::QueuePosition {
                    session: 7,
                    position: 2,
                }),
                // Another session's position is not ours.
                Action::Push(ServerMessage::QueuePosition {
                    session: 8,
                    position: 1,
                }),
            ],
        );
        assert!(!state.starting);
        let position = Some(2);
        assert_eq!(
            state.phase,
            Phase::Waiting {
                session: 7,
                position
            }
        );
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
                session: 7,
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
        assert_eq!(state.log.messages()[0].session, 7);
    }

    #[test]
    fn the_end_keeps_the_log_and_says_who_ended_it() {
        let state = reduce(
            chatting(),
            [
                Action::Push(ServerMessage::Chat(message(1, Party::Rep, "bye"))),
                Action::Push(ServerMessage::SessionEnded {
                    session: 7,
                    by: Party::Rep,
                }),
                // Late news for an ended session changes nothing.
                Action::Push(started(7)),
            ],
        );
        let by = Some(Party::Rep);
        assert_eq!(state.phase, Phase::Ended { session: 7, by });
        assert_eq!(state.log.messages().len(), 1);
    }

    #[test]
    fn leaving_the_queue_ends_the_session() {
        let state = reduce(
            CustomerState::default(),
            [
                Action::Welcome(Identity::Visitor),
                Action::Queued {
                    session: 7,
                    position: 1,
                },
                Action::EndedByMe { session: 7 },
            ],
        );
        let by = Some(Party::Customer);
        assert_eq!(state.phase, Phase::Ended { session: 7, by });
        let state = reduce(state, [Action::Restart]);
        assert_eq!(state.phase, Phase::Entry);
        assert!(state.log.is_empty());
    }

    #[test]
    fn a_reload_resumes_the_session_the_token_names() {
        let me = Identity::Customer {
            session: 7,
            name: "Ada".into(),
            state: SessionState::Active,
        };
        let state = reduce(CustomerState::default(), [Action::Welcome(me)]);
        assert_eq!(state.name, "Ada");
        let rep_name = None;
        assert_eq!(
            state.phase,
            Phase::Chatting {
                session: 7,
                rep_name
            }
        );
        let state = reduce(state, [Action::Push(started(7))]);
        let rep_name = Some("Rita".to_string());
        assert_eq!(
            state.phase,
            Phase::Chatting {
                session: 7,
                rep_name
            }
        );
    }

    #[test]
    fn a_reconnect_keeps_what_the_page_knew() {
        let state = reduce(chatting(), [Action::Lost, Action::Connecting]);
        assert_eq!(state.link, Link::Reconnecting);
        let me = Identity::Customer {
            session: 7,
            name: "Ada".into(),
            state: SessionState::Active,
        };
        let state = reduce(state, [Action::Welcome(me)]);
        assert_eq!(state.link, Link::Online);
        let rep_name = Some("Rita".to_string());
        assert_eq!(
            state.phase,
            Phase::Chatting {
                session: 7,
                rep_name
            }
        );
    }

    #[test]
    fn a_forgotten_session_counts_as_ended() {
        let state = reduce(chatting(), [Action::Welcome(Identity::Visitor)]);
        assert_eq!(
            state.phase,
            Phase::Ended {
                session: 7,
                by: None
            }
        );
    }

    #[test]
    fn errors_show_until_dismissed() {
        let error = RequestError::Server {
            code: ErrorCode::InvalidInput,
            message: "name is empty".into(),
        };
        let state = reduce(chatting(), [Action::Failed(error.clone())]);
        assert_eq!(state.error, Some(error));
        let state = reduce(state, [Action::DismissError]);
        assert_eq!(state.error, None);
    }
}
