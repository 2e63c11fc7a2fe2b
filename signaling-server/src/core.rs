//! The queue and the sessions as a state machine over plain values: no I/O, no clock.
//!
//! The hub feeds it one request at a time. [`Core::decide`] checks the request against the
//! state and says what would change; a durable [`Change`] is stored by the hub and only then
//! handed to [`Core::apply`], so nothing is acknowledged or relayed before it is on disk, and a
//! failed write leaves the state as it was. What to send comes out of [`Core::poll_output`].

use std::collections::{HashMap, VecDeque};

use protocol::{
    ChatMessage, ErrorCode, Identity, MAX_CHAT_CHARS, MAX_NAME_CHARS, MAX_PROBLEM_CHARS, Millis,
    PROTOCOL_VERSION, Party, QueueEntry, RepId, Reply, Request, ServerMessage, SessionId,
    SessionInfo, SessionState,
};

use crate::auth::{TokenHash, token_hash};
use crate::store::{Change, LiveSession, NewSession, RepAccount};

/// A WebSocket connection, numbered by the server.
pub type ConnId = u64;

/// A message and the connections it goes to: one message for all of them, so that the hub
/// encodes it once however many receive it.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub to: Vec<ConnId>,
    pub message: ServerMessage,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

fn refuse<T>(code: ErrorCode, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        code,
        message: message.into(),
    })
}

/// What a request amounts to, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Store this, then [`Core::apply`] it. `token` is the new customer's, for the reply only.
    Store {
        change: Change,
        token: Option<String>,
    },
    /// The handshake: the connection is taken to be this.
    Attach(Attach),
    /// Read the transcript from the store and reply with it.
    ReadHistory { session: SessionId, after_seq: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attach {
    Visitor,
    Customer(SessionId),
    Rep(RepAccount),
}

/// Who is on a connection.
#[derive(Debug, Clone)]
enum Who {
    /// Before `hello`; the sign-in cookie, if any, was checked at the upgrade.
    Greeting {
        rep: Option<RepAccount>,
    },
    Visitor,
    Customer(SessionId),
    Rep(RepAccount),
}

#[derive(Debug)]
struct Session {
    new: NewSession,
    rep: Option<(RepId, String)>,
    last_seq: u64,
    customer_conns: Vec<ConnId>,
}

impl Session {
    fn state(&self) -> SessionState {
        match self.rep {
            Some(_) => SessionState::Active,
            None => SessionState::Waiting,
        }
    }

    fn info(&self) -> Option<SessionInfo> {
        let (rep, rep_name) = self.rep.clone()?;
        Some(SessionInfo {
            session: self.new.id,
            customer_name: self.new.name.clone(),
            problem: self.new.problem.clone(),
            rep,
            rep_name,
        })
    }
}

/// The live state: connections, the queue, and every session that has not ended.
#[derive(Debug)]
pub struct Core {
    next_session: SessionId,
    conns: HashMap<ConnId, Who>,
    sessions: HashMap<SessionId, Session>,
    /// Waiting sessions, first in line first.
    queue: Vec<SessionId>,
    tokens: HashMap<TokenHash, SessionId>,
    rep_conns: HashMap<RepId, Vec<ConnId>>,
    outputs: VecDeque<Output>,
}

impl Core {
    /// The state as the store left it: `live` in queue order.
    pub fn restore(next_session: SessionId, live: Vec<LiveSession>) -> Core {
        let mut core = Core {
            next_session,
            conns: HashMap::new(),
            sessions: HashMap::new(),
            queue: Vec::new(),
            tokens: HashMap::new(),
            rep_conns: HashMap::new(),
            outputs: VecDeque::new(),
        };
        for live in live {
            let id = live.session.id;
            if live.rep.is_none() {
                core.queue.push(id);
            }
            core.tokens.insert(live.session.token_hash, id);
            core.sessions.insert(
                id,
                Session {
                    new: live.session,
                    rep: live.rep,
                    last_seq: live.last_seq,
                    customer_conns: Vec::new(),
                },
            );
        }
        core
    }

    /// A connection opened; `rep` is the signed-in rep whose cookie it carried.
    pub fn open(&mut self, conn: ConnId, rep: Option<RepAccount>) {
        self.conns.insert(conn, Who::Greeting { rep });
    }

    /// A connection closed. Its session goes on: the customer may come back with the token.
    pub fn close(&mut self, conn: ConnId) {
        match self.conns.remove(&conn) {
            Some(Who::Customer(session)) => {
                if let Some(session) = self.sessions.get_mut(&session) {
                    session.customer_conns.retain(|&c| c != conn);
                }
            }
            Some(Who::Rep(rep)) => {
                if let Some(conns) = self.rep_conns.get_mut(&rep.id) {
                    conns.retain(|&c| c != conn);
                    if conns.is_empty() {
                        self.rep_conns.remove(&rep.id);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// Checks `request` from `conn` at time `now`; `new_token` makes a customer's token.
    pub fn decide(
        &self,
        now: Millis,
        conn: ConnId,
        request: Request,
        new_token: impl FnOnce() -> String,
    ) -> Result<Decision, Refusal> {
        let Some(who) = self.conns.get(&conn) else {
            return refuse(ErrorCode::Internal, "unknown connection");
        };
        if let Request::Hello {
            version,
            token,
            rep: as_rep,
        } = request
        {
            let Who::Greeting { rep } = who else {
                return refuse(ErrorCode::HandshakeRequired, "hello was sent already");
            };
            if version != PROTOCOL_VERSION {
                return refuse(
                    ErrorCode::UnsupportedVersion,
                    format!(
                        "protocol version {version} is not supported; this server speaks {PROTOCOL_VERSION}"
                    ),
                );
            }
            if as_rep {
                return match rep {
                    Some(rep) => Ok(Decision::Attach(Attach::Rep(rep.clone()))),
                    None => refuse(
                        ErrorCode::NotSignedIn,
                        "sign in first: no valid rep sign-in",
                    ),
                };
            }
            let session = token.and_then(|t| self.tokens.get(&token_hash(&t)).copied());
            return Ok(Decision::Attach(match session {
                Some(session) => Attach::Customer(session),
                None => Attach::Visitor,
            }));
        }
        if let Who::Greeting { .. } = who {
            return refuse(ErrorCode::HandshakeRequired, "send hello first");
        }
        match request {
            Request::Hello { .. } => unreachable!("handled above"),
            Request::StartChat { name, problem } => {
                match who {
                    Who::Visitor => {}
                    Who::Customer(_) => {
                        return refuse(
                            ErrorCode::WrongState,
                            "this connection has a session already",
                        );
                    }
                    _ => return refuse(ErrorCode::Forbidden, "reps cannot join the queue"),
                }
                let name = checked_text("name", &name, MAX_NAME_CHARS)?;
                let problem = checked_text("problem description", &problem, MAX_PROBLEM_CHARS)?;
                let token = new_token();
                let change = Change::Queued(NewSession {
                    id: self.next_session,
                    token_hash: token_hash(&token),
                    name,
                    problem,
                    queued_at: now,
                });
                Ok(Decision::Store {
                    change,
                    token: Some(token),
                })
            }
            Request::Accept { session } => {
                let rep = self.rep(who, "accept a customer")?;
                let Some(s) = self.sessions.get(&session) else {
                    return refuse(
                        ErrorCode::NoSuchSession,
                        format!("session {session} is not waiting"),
                    );
                };
                if s.rep.is_some() {
                    return refuse(ErrorCode::WrongState, "another rep has taken this customer");
                }
                Ok(store(Change::Accepted {
                    session,
                    rep: rep.id,
                    rep_name: rep.name.clone(),
                    at: now,
                }))
            }
            Request::SendChat { session, text } => {
                let (s, from, name) = self.member(who, session)?;
                if s.rep.is_none() {
                    return refuse(ErrorCode::WrongState, "no rep has joined the session yet");
                }
                if text.trim().is_empty() {
                    return refuse(ErrorCode::InvalidInput, "the message is empty");
                }
                if text.chars().count() > MAX_CHAT_CHARS {
                    return refuse(
                        ErrorCode::InvalidInput,
                        format!("the message is longer than {MAX_CHAT_CHARS} characters"),
                    );
                }
                Ok(store(Change::Chat(ChatMessage {
                    session,
                    seq: s.last_seq + 1,
                    from,
                    name,
                    text,
                    at: now,
                })))
            }
            Request::History { session, after_seq } => {
                self.member(who, session)?;
                Ok(Decision::ReadHistory { session, after_seq })
            }
            Request::EndSession { session } => {
                let (_, by, _) = self.member(who, session)?;
                Ok(store(Change::Ended {
                    session,
                    by,
                    at: now,
                }))
            }
        }
    }

    /// The signed-in rep on this connection.
    fn rep<'a>(&self, who: &'a Who, action: &str) -> Result<&'a RepAccount, Refusal> {
        match who {
            Who::Rep(rep) => Ok(rep),
            _ => refuse(
                ErrorCode::NotSignedIn,
                format!("only a signed-in rep may {action}"),
            ),
        }
    }

    /// The live session this connection belongs to, with its side and display name.
    fn member(&self, who: &Who, session: SessionId) -> Result<(&Session, Party, String), Refusal> {
        let found = self.sessions.get(&session);
        match (who, found) {
            (Who::Customer(own), Some(s)) if *own == session => {
                Ok((s, Party::Customer, s.new.name.clone()))
            }
            (Who::Rep(rep), Some(s)) if s.rep.as_ref().is_some_and(|(id, _)| *id == rep.id) => {
                Ok((s, Party::Rep, rep.name.clone()))
            }
            (Who::Customer(_) | Who::Rep(_), _) => refuse(
                ErrorCode::Forbidden,
                format!("this connection is not part of session {session}"),
            ),
            _ => refuse(
                ErrorCode::NoSuchSession,
                format!("no session {session} here"),
            ),
        }
    }

    /// Applies a decision the hub has carried out, answering request `id` of `conn`.
    pub fn apply(&mut self, conn: ConnId, id: u64, decision: Decision) {
        match decision {
            Decision::Store { change, token } => self.apply_change(conn, id, change, token),
            Decision::Attach(attach) => self.attach(conn, id, attach),
            Decision::ReadHistory { .. } => {}
        }
    }

    fn apply_change(&mut self, conn: ConnId, id: u64, change: Change, token: Option<String>) {
        match change {
            Change::Queued(new) => {
                let session = new.id;
                self.next_session = session + 1;
                self.tokens.insert(new.token_hash, session);
                self.sessions.insert(
                    session,
                    Session {
                        new,
                        rep: None,
                        last_seq: 0,
                        customer_conns: vec![conn],
                    },
                );
                self.queue.push(session);
                self.conns.insert(conn, Who::Customer(session));
                let reply = Reply::Queued {
                    session,
                    token: token.unwrap_or_default(),
                    position: self.queue.len() as u32,
                };
                self.reply(conn, id, reply);
                self.send_queue_to_reps();
            }
            Change::Accepted {
                session,
                rep,
                rep_name,
                ..
            } => {
                let Some(s) = self.sessions.get_mut(&session) else {
                    return;
                };
                s.rep = Some((rep, rep_name));
                self.reply(conn, id, Reply::Done);
                if let Some(info) = self.sessions[&session].info() {
                    self.send_to_session(session, ServerMessage::SessionStarted(info));
                }
                self.leave_queue(session);
            }
            Change::Chat(message) => {
                let session = message.session;
                let Some(s) = self.sessions.get_mut(&session) else {
                    return;
                };
                s.last_seq = message.seq;
                let stored = Reply::Stored {
                    seq: message.seq,
                    at: message.at,
                };
                self.reply(conn, id, stored);
                self.send_to_session(session, ServerMessage::Chat(message));
            }
            Change::Ended { session, by, .. } => {
                self.reply(conn, id, Reply::Done);
                self.send_to_session(session, ServerMessage::SessionEnded { session, by });
                let Some(s) = self.sessions.remove(&session) else {
                    return;
                };
                self.tokens.remove(&s.new.token_hash);
                // The customer's page may start a new chat on the same connection.
                for c in &s.customer_conns {
                    self.conns.insert(*c, Who::Visitor);
                }
                if s.rep.is_none() {
                    self.leave_queue(session);
                }
            }
        }
    }

    fn attach(&mut self, conn: ConnId, id: u64, attach: Attach) {
        let me = match attach {
            Attach::Visitor => {
                self.conns.insert(conn, Who::Visitor);
                Identity::Visitor
            }
            Attach::Customer(session) => {
                let Some(s) = self.sessions.get_mut(&session) else {
                    return;
                };
                s.customer_conns.push(conn);
                self.conns.insert(conn, Who::Customer(session));
                Identity::Customer {
                    session,
                    name: s.new.name.clone(),
                    state: s.state(),
                }
            }
            Attach::Rep(rep) => {
                self.rep_conns.entry(rep.id).or_default().push(conn);
                let me = Identity::Rep {
                    rep: rep.id,
                    name: rep.name.clone(),
                    admin: rep.admin,
                };
                self.conns.insert(conn, Who::Rep(rep));
                me
            }
        };
        let catch_up = match &me {
            Identity::Customer { session, .. } => self.customer_view(*session),
            Identity::Rep { rep, .. } => self.rep_view(*rep),
            Identity::Visitor => Vec::new(),
        };
        self.reply(
            conn,
            id,
            Reply::Welcome {
                version: PROTOCOL_VERSION,
                me,
            },
        );
        for message in catch_up {
            self.send(vec![conn], message);
        }
    }

    /// What a customer's page needs to show its session after (re)connecting.
    fn customer_view(&self, session: SessionId) -> Vec<ServerMessage> {
        let s = &self.sessions[&session];
        match s.info() {
            Some(info) => vec![ServerMessage::SessionStarted(info)],
            None => vec![ServerMessage::QueuePosition {
                session,
                position: self.position(session),
            }],
        }
    }

    /// What a rep's console needs after (re)connecting: the queue and their own sessions.
    fn rep_view(&self, rep: RepId) -> Vec<ServerMessage> {
        let mut own: Vec<_> = self
            .sessions
            .values()
            .filter(|s| s.rep.as_ref().is_some_and(|(id, _)| *id == rep))
            .filter_map(Session::info)
            .collect();
        own.sort_by_key(|info| info.session);
        vec![
            self.queue_message(),
            ServerMessage::RepSessions { sessions: own },
        ]
    }

    /// 1 for the first in line. Only asked of waiting sessions.
    fn position(&self, session: SessionId) -> u32 {
        self.queue
            .iter()
            .position(|&s| s == session)
            .map_or(0, |i| i as u32 + 1)
    }

    /// Takes a session out of the queue and tells everyone behind it that they moved up.
    fn leave_queue(&mut self, session: SessionId) {
        let Some(index) = self.queue.iter().position(|&s| s == session) else {
            return;
        };
        self.queue.remove(index);
        for (i, &behind) in self.queue.iter().enumerate().skip(index) {
            let message = ServerMessage::QueuePosition {
                session: behind,
                position: i as u32 + 1,
            };
            let to = self.sessions[&behind].customer_conns.clone();
            push(&mut self.outputs, to, message);
        }
        self.send_queue_to_reps();
    }

    fn queue_message(&self) -> ServerMessage {
        let entries = self
            .queue
            .iter()
            .map(|id| {
                let s = &self.sessions[id].new;
                QueueEntry {
                    session: s.id,
                    name: s.name.clone(),
                    problem: s.problem.clone(),
                    queued_at: s.queued_at,
                }
            })
            .collect();
        ServerMessage::Queue { entries }
    }

    fn send_queue_to_reps(&mut self) {
        let message = self.queue_message();
        let to = self.rep_conns.values().flatten().copied().collect();
        self.send(to, message);
    }

    /// Sends to every connection of the session's customer and of its rep.
    fn send_to_session(&mut self, session: SessionId, message: ServerMessage) {
        let Some(s) = self.sessions.get(&session) else {
            return;
        };
        let rep_conns = s
            .rep
            .as_ref()
            .and_then(|(rep, _)| self.rep_conns.get(rep))
            .into_iter()
            .flatten();
        let to = s.customer_conns.iter().chain(rep_conns).copied().collect();
        self.send(to, message);
    }

    fn reply(&mut self, conn: ConnId, id: u64, reply: Reply) {
        self.send(vec![conn], ServerMessage::Ok { id, reply });
    }

    fn send(&mut self, to: Vec<ConnId>, message: ServerMessage) {
        push(&mut self.outputs, to, message);
    }
}

/// Queues `message` for the connections `to`; nothing when there are none.
fn push(outputs: &mut VecDeque<Output>, to: Vec<ConnId>, message: ServerMessage) {
    if !to.is_empty() {
        outputs.push_back(Output { to, message });
    }
}

fn store(change: Change) -> Decision {
    Decision::Store {
        change,
        token: None,
    }
}

/// `text` trimmed, if it is not empty and not longer than `max` characters.
fn checked_text(field: &str, text: &str, max: usize) -> Result<String, Refusal> {
    let text = text.trim();
    if text.is_empty() {
        return refuse(ErrorCode::InvalidInput, format!("the {field} is empty"));
    }
    if text.chars().count() > max {
        return refuse(
            ErrorCode::InvalidInput,
            format!("the {field} is longer than {max} characters"),
        );
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests;
