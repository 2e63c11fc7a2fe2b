//! The queue and the sessions as a state machine over plain values: no I/O, no clock.
//!
//! Runtimes drive it through [`Driver`]: an input stamped with its time goes in; the core checks
//! it against the state (`decide`) and says what would change; a durable [`Change`] is recorded
//! through the driver's [`Journal`] and only then applied (`apply`), so nothing is acknowledged
//! or relayed before it is stored, and a failed write leaves the state as it was. What to send
//! comes out of [`Driver::poll_output`], last of all the time at which the core's time-driven
//! work (hold messages, orphaning, leaving, resume windows, telling customers their place) is
//! next due.

mod admin;
mod change;
mod chat;
mod driver;
mod estimate;
mod live;
mod queue;
mod resume;
mod share;
mod text;
mod token;
mod wake;
mod wire;

use std::collections::{HashMap, HashSet, VecDeque};

// Sessions and connections are numbered by the server, so no one can choose keys that collide:
// the fast hash is safe, and the queue is walked often enough for it to matter.
use rustc_hash::FxHashMap;

use protocol::site::{Invalid, Problem};
use protocol::{
    EndReason, ErrorCode, FileId, Handover, Identity, MessageKind, Millis, Notice, NoticeId,
    PROTOCOL_VERSION, Party, QueueEntry, Reason, RepId, Reply, Request, ServerMessage, SessionId,
    SessionInfo, SessionState, Settings,
};

pub use admin::{AdminAction, MAX_SITE_BYTES};
use chat::SurveyAnswer;
pub use driver::{Driver, HISTORY_PAGE_BYTES, HISTORY_PAGE_ROWS, Input, Journal, Output, Secrets};
use estimate::Estimator;
pub use estimate::SAMPLES as ESTIMATE_SAMPLES;
pub use live::{EMBEDDED_LEAVE_GRACE_MS, LEAVE_GRACE_MS, UploadPermit, clean_file_name};
use live::{FileTransfer, customer_info};
use queue::Joining;
pub use resume::DEFAULT_RESUME_WINDOW_MS;
pub use share::MediaOrder;
use share::{Share, ShareStep};
pub use wire::most_json_bytes;

pub use change::{
    Change, Entry, LiveSession, NewSession, Recording, RepAccount, SessionKey, Sharing,
};
pub use text::{clean_name, clean_text};
pub use token::{TokenHash, token_hash};

/// How long waiting customers are given for a rep to come back (a reload, a network blip)
/// before they are told that nobody is available.
pub const NO_REP_GRACE_MS: Millis = 30_000;

/// How long a session key may be used.
pub const KEY_LIFETIME_MS: Millis = 15 * 60_000;

/// How long after a served session its survey is still taken.
pub const SURVEY_WINDOW_MS: Millis = 60 * 60_000;

/// How many waiting customers the reps' queue shows, first in line first: a console cannot show
/// more usefully, and the whole queue on every change would cost reps and server dearly.
pub const MAX_QUEUE_SHOWN: usize = 200;

/// The most the entries of one list message (the queue, the reps) may weigh: long names and
/// problems, in any script, mean fewer entries shown rather than a message too big to send.
pub const MAX_LIST_BYTES: usize = 64 * 1024;

/// How many hold messages a waiting session keeps for a reloaded page.
const MAX_HOLDS_KEPT: usize = 20;

/// A WebSocket connection, numbered by the server.
pub type ConnId = u64;

/// A message and the connections it goes to: one message for all of them, so that the hub
/// encodes it once however many receive it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub to: Vec<ConnId>,
    pub message: ServerMessage,
}

/// Why a request is refused: the code, what exactly where the code does not say it (for the
/// page to word), and a detail in English for developers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub reason: Option<Reason>,
    pub message: String,
}

impl Refusal {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            reason: None,
            message: message.into(),
        }
    }

    /// The refusal as the wire carries it, answering request `id`.
    pub fn to_message(&self, id: Option<u64>) -> ServerMessage {
        ServerMessage::Err {
            id,
            code: self.code,
            reason: self.reason.clone(),
            message: self.message.clone(),
        }
    }
}

/// A rep's sessions as `rep_sessions` messages of at most [`MAX_LIST_BYTES`] each: a rep may
/// hold any number of sessions, each with a long problem and handover note.
fn rep_sessions_in_parts(sessions: Vec<SessionInfo>) -> Vec<ServerMessage> {
    let mut parts = vec![];
    let mut part = vec![];
    let mut bytes = 0;
    for info in sessions {
        let size = wire::most_info_bytes(&info);
        if bytes + size > MAX_LIST_BYTES && !part.is_empty() {
            parts.push(std::mem::take(&mut part));
            bytes = 0;
        }
        bytes += size;
        part.push(info);
    }
    parts.push(part);
    let last = parts.len() - 1;
    parts
        .into_iter()
        .enumerate()
        .map(|(i, sessions)| ServerMessage::RepSessions {
            sessions,
            more: i < last,
        })
        .collect()
}

fn refuse<T>(code: ErrorCode, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::new(code, message))
}

/// A refusal the page words from `reason`.
fn refuse_for<T>(
    code: ErrorCode,
    reason: Reason,
    message: impl Into<String>,
) -> Result<T, Refusal> {
    Err(Refusal {
        reason: Some(reason),
        ..Refusal::new(code, message)
    })
}

/// A refusal of a field's value.
fn refuse_field<T>(
    field: &str,
    problem: Problem,
    message: impl Into<String>,
) -> Result<T, Refusal> {
    let invalid = Invalid {
        field: field.into(),
        problem,
    };
    refuse_for(ErrorCode::InvalidInput, Reason::Invalid(invalid), message)
}

/// What a request amounts to, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Store this, then [`Core::apply`] it. `token` is the new customer's, for the reply only.
    Store {
        change: Change,
        token: Option<String>,
    },
    /// The handshake: the connection is taken to be this.
    Attach(Attach),
    /// Nothing to store: a rep's presence.
    Presence { rep: RepId, available: bool },
    /// Nothing to store: a message sent again after a lost connection is stored already.
    AlreadyStored { seq: u64, at: Millis },
    /// Nothing to store: a notice a rep sends to a waiting customer.
    SendNotice { session: SessionId, notice: Notice },
    /// Nothing to store: one side has shown the other's messages up to `seq`.
    Received {
        session: SessionId,
        by: Party,
        seq: u64,
    },
    /// Nothing to store yet: the customer offers a file (stored once uploaded).
    OfferFile {
        session: SessionId,
        name: String,
        size: u64,
    },
    /// Nothing to store: the rep takes or declines an offered file.
    AnswerFile { file: FileId, accept: bool },
    /// Nothing to store: a step in screen sharing.
    Share { session: SessionId, step: ShareStep },
    /// Nothing to store: signaling for the other side.
    Signal {
        session: SessionId,
        from: Party,
        signal: protocol::Signal,
    },
}

/// What a request comes to once checked.
// One lives for one request and is moved once: boxing the large side would only add an
// allocation per request.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The core acts on it, recording its change first if it has one.
    Act(Decision),
    /// Only the driver can answer it, from its journal or its secrets.
    Ask(Query),
}

/// A question the driver answers for the core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Query {
    /// The stored transcript after `after_seq`.
    History { session: SessionId, after_seq: u64 },
    /// The ICE servers and TURN credentials for `user`.
    IceServers { user: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attach {
    /// `page`: the number the customer's page gave in its `hello`.
    Visitor {
        page: Option<u64>,
    },
    Customer {
        session: SessionId,
        page: Option<u64>,
    },
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
    rep_photo: Option<String>,
    /// How the session came to its rep, if it was handed over.
    handover: Option<Handover>,
    /// The last nudge, for the cool-down.
    last_nudge: Option<Millis>,
    /// The highest message seq shown by the customer's page and by the rep's.
    received: (u64, u64),
    /// When the session ends because the customer's page went away; cleared if it comes back.
    leaves_at: Option<Millis>,
    /// Since when the customer, or the rep, has had no connection (see `core/resume.rs`).
    customer_away_since: Option<Millis>,
    rep_away_since: Option<Millis>,
    /// The stored messages that came with a nonce: nonce → (seq, time).
    nonces: HashMap<u64, (u64, Millis)>,
    /// The bytes of the files stored for this session, against its upload quota.
    stored_bytes: u64,
    share: Share,
    /// When a rep took it in this run of the server, for the wait estimate.
    accepted_at: Option<Millis>,
    last_seq: u64,
    customer_conns: Vec<ConnId>,
    /// Waiting: when the last hold message went out (or the customer joined).
    last_hold: Millis,
    /// Waiting: the hold messages sent so far (the latest [`MAX_HOLDS_KEPT`]), for a page that
    /// reloads to show them again.
    holds: VecDeque<ServerMessage>,
    /// Waiting: the customer was told that no rep is available.
    orphaned: bool,
    /// Waiting: the position and estimate the customer was last told.
    told: Option<(u32, u32)>,
}

impl Session {
    fn new(new: NewSession, rep: Option<(RepId, String)>, last_seq: u64, now: Millis) -> Self {
        Session {
            new,
            rep,
            rep_photo: None,
            handover: None,
            last_nudge: None,
            received: (0, 0),
            leaves_at: None,
            customer_away_since: None,
            rep_away_since: None,
            nonces: HashMap::new(),
            stored_bytes: 0,
            share: Share::Off,
            accepted_at: None,
            last_seq,
            customer_conns: Vec::new(),
            last_hold: now,
            holds: VecDeque::new(),
            orphaned: false,
            told: None,
        }
    }

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
            rep_photo: self.rep_photo.clone(),
            handover: self.handover.clone(),
        })
    }
}

/// A served session's survey, open to the customer who holds its token.
#[derive(Debug)]
struct SurveyDue {
    token_hash: TokenHash,
    ended_at: Millis,
}

/// What the store holds that the core needs back after a start.
#[derive(Debug, Default)]
pub struct Restored {
    pub next_session: SessionId,
    /// In queue order.
    pub live: Vec<LiveSession>,
    pub settings: Settings,
    pub notices: Vec<Notice>,
    pub next_notice: NoticeId,
    pub keys: Vec<SessionKey>,
    /// Latest first.
    pub handling_times: Vec<Millis>,
    pub next_file: FileId,
}

/// The live state: connections, the queue, and every session that has not ended.
#[derive(Debug)]
pub struct Core {
    next_session: SessionId,
    conns: FxHashMap<ConnId, Who>,
    sessions: FxHashMap<SessionId, Session>,
    /// Waiting sessions, first in line first. A session with a rep's key waits in that rep's
    /// own line; its position counts only the sessions in the same line.
    queue: Vec<SessionId>,
    tokens: HashMap<TokenHash, SessionId>,
    rep_conns: HashMap<RepId, Vec<ConnId>>,
    /// Signed-in reps who said they are away.
    away: HashSet<RepId>,
    /// Since when no rep has been available, if none is.
    no_reps_since: Option<Millis>,
    settings: Settings,
    notices: Vec<Notice>,
    next_notice: NoticeId,
    keys: HashMap<String, SessionKey>,
    surveys_due: HashMap<SessionId, SurveyDue>,
    estimator: Estimator,
    /// When [`Core::tick`] has work to do next; [`Millis::MIN`] when waiting customers moved
    /// (the queue, the reps available, the settings) and must hear it at once.
    wake_at: Millis,
    /// Files offered and not yet stored or refused.
    files: HashMap<FileId, FileTransfer>,
    next_file: FileId,
    outputs: VecDeque<Outgoing>,
    /// What the media relay is to do, in order.
    media_orders: VecDeque<MediaOrder>,
    /// How long a side whose connection dropped has to come back.
    resume_window: Millis,
    /// The page each customer's connection said it came from (`hello`'s `page`).
    pages: HashMap<ConnId, u64>,
}

impl Core {
    /// The state as the store left it, at time `now`.
    pub fn restore(now: Millis, restored: Restored) -> Core {
        let mut core = Core {
            next_session: restored.next_session,
            conns: FxHashMap::default(),
            sessions: FxHashMap::default(),
            queue: Vec::new(),
            tokens: HashMap::new(),
            rep_conns: HashMap::new(),
            away: HashSet::new(),
            // Reps reconnect after a restart; waiting customers get the grace period.
            no_reps_since: Some(now),
            settings: restored.settings,
            notices: restored.notices,
            next_notice: restored.next_notice,
            keys: restored
                .keys
                .into_iter()
                .map(|k| (k.key.clone(), k))
                .collect(),
            surveys_due: HashMap::new(),
            estimator: Estimator::new(&restored.handling_times),
            // Positions, orphaning and resume windows start over with the restart.
            wake_at: Millis::MIN,
            files: HashMap::new(),
            next_file: restored.next_file.max(protocol::FileId(1)),
            outputs: VecDeque::new(),
            media_orders: VecDeque::new(),
            resume_window: DEFAULT_RESUME_WINDOW_MS,
            pages: HashMap::new(),
        };
        for live in restored.live {
            let id = live.session.id;
            if live.rep.is_none() {
                core.queue.push(id);
            }
            core.tokens.insert(live.session.token_hash, id);
            let mut session = Session::new(live.session, live.rep, live.last_seq, now);
            session.rep_photo = live.rep_photo;
            session.stored_bytes = live.stored_bytes;
            // Nobody is connected yet: everyone has the resume window to come back.
            session.customer_away_since = Some(now);
            session.rep_away_since = session.rep.as_ref().map(|_| now);
            session.nonces = live
                .nonces
                .into_iter()
                .map(|(nonce, seq, at)| (nonce, (seq, at)))
                .collect();
            core.sessions.insert(id, session);
        }
        core
    }

    /// A connection opened; `rep` is the signed-in rep whose cookie it carried.
    pub(crate) fn open(&mut self, conn: ConnId, rep: Option<RepAccount>) {
        self.conns.insert(conn, Who::Greeting { rep });
    }

    /// A connection closed at `now`. Its session goes on: the side may come back within the
    /// resume window.
    pub(crate) fn close(&mut self, conn: ConnId, now: Millis) {
        self.pages.remove(&conn);
        match self.conns.remove(&conn) {
            Some(Who::Customer(session)) => {
                if let Some(s) = self.sessions.get_mut(&session) {
                    s.customer_conns.retain(|&c| c != conn);
                    self.customer_dropped(session, now);
                }
            }
            Some(Who::Rep(rep)) => {
                if let Some(conns) = self.rep_conns.get_mut(&rep.id) {
                    conns.retain(|&c| c != conn);
                    if conns.is_empty() {
                        self.rep_conns.remove(&rep.id);
                        self.send_reps_to_reps();
                        self.rep_dropped(rep.id, now);
                    }
                }
            }
            _ => {}
        }
    }

    /// When the core next has time-driven work: due once the clock reaches it.
    pub fn timeout(&self) -> Millis {
        self.wake_at
    }

    /// Waiting customers moved: [`Core::tick`] tells them at once.
    fn wake_now(&mut self) {
        self.wake_at = Millis::MIN;
    }

    /// Something falls due at `at`: [`Core::tick`] runs by then.
    fn wake_by(&mut self, at: Millis) {
        self.wake_at = self.wake_at.min(at);
    }

    fn poll_output(&mut self) -> Option<Outgoing> {
        self.outputs.pop_front()
    }

    fn poll_media(&mut self) -> Option<MediaOrder> {
        self.media_orders.pop_front()
    }

    /// What the admin set.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Queues an answer the driver made itself, in order with the core's own messages.
    pub(crate) fn answer_directly(&mut self, conn: ConnId, message: ServerMessage) {
        self.send(vec![conn], message);
    }

    /// Checks `request` from `conn` at time `now`; `new_token` makes a customer's token. One
    /// function per request kind, in the file of its family.
    pub(crate) fn decide(
        &self,
        now: Millis,
        conn: ConnId,
        request: Request,
        new_token: impl FnOnce() -> String,
    ) -> Result<Verdict, Refusal> {
        let Some(who) = self.conns.get(&conn) else {
            return refuse(ErrorCode::Internal, "unknown connection");
        };
        let decision = match (who, request) {
            (
                _,
                Request::Hello {
                    version,
                    token,
                    rep,
                    page,
                },
            ) => self.decide_hello(who, version, token, rep, page),
            (Who::Greeting { .. }, _) => refuse(ErrorCode::HandshakeRequired, "send hello first"),
            (_, Request::History { session, after_seq }) => {
                return self
                    .decide_history(who, session, after_seq)
                    .map(Verdict::Ask);
            }
            (_, Request::IceServers) => return self.decide_ice_servers(who).map(Verdict::Ask),
            (
                _,
                Request::StartChat {
                    name,
                    problem,
                    lang,
                    recording,
                    key,
                },
            ) => {
                let joining = Joining {
                    name,
                    problem,
                    lang,
                    recording,
                    key,
                };
                self.decide_start_chat(now, who, joining, new_token)
            }
            (_, Request::Accept { session }) => self.decide_accept(now, who, session),
            (_, Request::CreateKey) => self.decide_create_key(now, who, new_token),
            (_, Request::SetPresence { available }) => self.decide_presence(who, available),
            (_, Request::SendNotice { session, notice }) => {
                self.decide_send_notice(who, session, notice)
            }
            (
                _,
                Request::SendChat {
                    session,
                    text,
                    nonce,
                },
            ) => self.decide_send_chat(now, who, session, text, nonce),
            (
                _,
                Request::EndSession {
                    session,
                    after_notice,
                },
            ) => self.decide_end(now, who, session, after_notice),
            (
                _,
                Request::Survey {
                    session,
                    token,
                    rating,
                    resolved,
                    comment,
                },
            ) => {
                let answer = SurveyAnswer {
                    token,
                    rating,
                    resolved,
                    comment,
                };
                self.decide_survey(now, session, answer)
            }
            (_, Request::Received { session, seq }) => self.decide_received(who, session, seq),
            (_, Request::Nudge { session }) => self.decide_nudge(now, who, session),
            (_, Request::SendLink { session, url }) => self.decide_link(now, who, session, &url),
            (_, Request::Transfer { session, to, note }) => {
                self.decide_transfer(now, who, session, to, &note)
            }
            (
                _,
                Request::OfferFile {
                    session,
                    name,
                    size,
                },
            ) => self.decide_offer(who, session, &name, size),
            (
                _,
                Request::AnswerFile {
                    session,
                    file,
                    accept,
                },
            ) => self.decide_answer(who, session, file, accept),
            (_, Request::RequestShare { session, mode }) => {
                self.decide_request_share(who, session, mode)
            }
            (_, Request::AnswerShare { session, answer }) => {
                self.decide_answer_share(who, session, answer)
            }
            (_, Request::Signal { session, signal }) => self.decide_signal(who, session, signal),
            (_, Request::StopShare { session }) => self.decide_stop_share(who, session),
        };
        decision.map(Verdict::Act)
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

    /// Applies a decision the driver has recorded, answering request `id` of `conn`.
    pub(crate) fn apply(&mut self, conn: ConnId, id: u64, decision: Decision) {
        match decision {
            Decision::Store { change, token } => self.apply_change(Some((conn, id)), change, token),
            Decision::Attach(attach) => self.attach(conn, id, attach),
            Decision::Presence { rep, available } => {
                if available {
                    self.away.remove(&rep);
                } else {
                    self.away.insert(rep);
                }
                self.reply(conn, id, Reply::Done);
                self.send_reps_to_reps();
            }
            Decision::SendNotice { session, notice } => {
                let to = self.sessions[&session].customer_conns.clone();
                self.send(to, ServerMessage::Notice { session, notice });
                self.reply(conn, id, Reply::Done);
            }
            Decision::Received { session, by, seq } => {
                self.reply(conn, id, Reply::Done);
                self.apply_received(session, by, seq);
            }
            Decision::OfferFile {
                session,
                name,
                size,
            } => self.apply_offer(conn, id, session, name, size),
            Decision::AnswerFile { file, accept } => {
                self.reply(conn, id, Reply::Done);
                self.apply_answer(file, accept);
            }
            Decision::Share { session, step } => self.apply_share(conn, id, session, step),
            Decision::Signal {
                session,
                from,
                signal,
            } => {
                self.reply(conn, id, Reply::Done);
                self.relay_signal(session, from, signal);
            }
            Decision::AlreadyStored { seq, at } => self.reply(conn, id, Reply::Stored { seq, at }),
        }
    }

    /// Applies a stored change; `asker` is the connection and request id to answer, if any.
    pub(crate) fn apply_change(
        &mut self,
        asker: Option<(ConnId, u64)>,
        change: Change,
        token: Option<String>,
    ) {
        match change {
            Change::Queued(new) => {
                let session = new.id;
                let recording = new.recording;
                let queued_at = new.queued_at;
                self.next_session = session.next();
                self.tokens.insert(new.token_hash, session);
                if let Some(key) = &new.key {
                    self.keys.remove(key);
                }
                let mut s = Session::new(new, None, 0, queued_at);
                s.customer_conns.extend(asker.map(|(conn, _)| conn));
                self.sessions.insert(session, s);
                self.queue.push(session);
                let (position, wait_secs) = self.place(session);
                self.sessions.get_mut(&session).expect("just added").told =
                    Some((position, wait_secs));
                if let Some((conn, id)) = asker {
                    self.conns.insert(conn, Who::Customer(session));
                    let reply = Reply::Queued {
                        session,
                        token: token.unwrap_or_default(),
                        position,
                        wait_secs,
                        recording,
                    };
                    self.reply(conn, id, reply);
                }
                self.send_queue_to_reps();
            }
            Change::Accepted {
                session,
                rep,
                rep_name,
                at,
            } => {
                let photo = self.signed_in_photo(rep);
                let Some(s) = self.sessions.get_mut(&session) else {
                    return;
                };
                s.rep = Some((rep, rep_name));
                s.rep_photo = photo;
                s.accepted_at = Some(at);
                self.answer(asker, Reply::Done);
                if let Some(info) = self.sessions[&session].info() {
                    self.send_to_session(session, ServerMessage::SessionStarted(info));
                }
                self.leave_queue(session);
            }
            Change::ChatOnce { message, nonce } => {
                if let Some(s) = self.sessions.get_mut(&message.session) {
                    s.nonces.insert(nonce, (message.seq, message.at));
                }
                self.apply_change(asker, Change::Chat(message), token);
            }
            Change::Chat(message) => {
                let session = message.session;
                let Some(s) = self.sessions.get_mut(&session) else {
                    return;
                };
                s.last_seq = message.seq;
                if message.kind == MessageKind::Nudge {
                    s.last_nudge = Some(message.at);
                }
                let stored = Reply::Stored {
                    seq: message.seq,
                    at: message.at,
                };
                self.answer(asker, stored);
                let file = message.file.as_ref().map(|f| f.file);
                self.send_to_session(session, ServerMessage::Chat(message));
                if let Some(file) = file {
                    self.file_stored(file);
                }
            }
            Change::Transferred {
                session,
                from,
                from_name,
                to,
                to_name,
                to_photo,
                note,
                message,
            } => {
                let Some(s) = self.sessions.get_mut(&session) else {
                    return;
                };
                s.last_seq = message.seq;
                self.answer(asker, Reply::Done);
                self.end_share(session);
                self.apply_transfer(session, from, from_name, to, to_name, to_photo, note);
                self.send_to_session(session, ServerMessage::Chat(message));
            }
            Change::Ended {
                session,
                by,
                reason,
                at,
            } => {
                self.answer(asker, Reply::Done);
                self.end_share(session);
                let Some(s) = self.sessions.get(&session) else {
                    return;
                };
                let served = s.rep.is_some();
                let survey = served && reason == EndReason::Ended && self.settings.survey;
                let message = ServerMessage::SessionEnded {
                    session,
                    by,
                    reason,
                    survey,
                };
                self.send_to_session(session, message);
                let s = self.sessions.remove(&session).expect("looked up above");
                self.tokens.remove(&s.new.token_hash);
                // An upload under way fails when it finishes: its file is gone from here.
                self.files.retain(|_, f| f.session != session);
                if let Some(accepted_at) = s.accepted_at {
                    self.estimator.record(at - accepted_at);
                    // Every waiting customer's estimate follows the handling times.
                    self.wake_now();
                }
                if survey {
                    let due = SurveyDue {
                        token_hash: s.new.token_hash,
                        ended_at: at,
                    };
                    self.surveys_due.insert(session, due);
                }
                // The customer's page may start a new chat on the same connection.
                for c in &s.customer_conns {
                    self.conns.insert(*c, Who::Visitor);
                }
                if !served {
                    self.leave_queue(session);
                }
            }
            Change::Survey { session, .. } => {
                self.surveys_due.remove(&session);
                self.answer(asker, Reply::Done);
            }
            Change::KeyIssued(key) => {
                let reply = Reply::Key {
                    key: key.key.clone(),
                    expires_at: key.expires_at,
                };
                self.keys.insert(key.key.clone(), key);
                self.answer(asker, reply);
            }
            Change::Settings(_) | Change::NoticeSaved(_) | Change::NoticeDeleted(_) => {
                self.apply_admin(change);
                self.answer(asker, Reply::Done);
            }
            Change::Recording(recording) => self.apply_recording(recording),
        }
    }

    /// Time-driven work at `now`: hold messages, orphaned customers, customers who left, sides
    /// not back within the resume window, stale keys and surveys, and telling every waiting
    /// customer a changed position or estimate; then when it is next due. Returns the changes to
    /// store and then [`apply_change`](Core::apply_change) (sessions that end).
    pub(crate) fn tick(&mut self, now: Millis) -> Vec<Change> {
        if self.available_reps() == 0 {
            self.no_reps_since.get_or_insert(now);
        } else {
            self.no_reps_since = None;
        }
        self.keys.retain(|_, k| k.expires_at > now);
        self.surveys_due
            .retain(|_, due| now - due.ended_at < SURVEY_WINDOW_MS);
        let mut ended = self.left(now);
        let hold_ms = Millis::from(self.settings.hold_interval_secs) * 1000;
        for (session, position, wait_secs) in self.places() {
            let orphan = self.is_orphaned(session, now);
            let keep = self.settings.keep_orphaned_queued;
            let s = self
                .sessions
                .get_mut(&session)
                .expect("queued sessions exist");
            if orphan {
                s.orphaned = true;
                let message = ServerMessage::Orphaned {
                    session,
                    queued: keep,
                };
                push(&mut self.outputs, s.customer_conns.clone(), message);
                if !keep {
                    ended.push(Change::Ended {
                        session,
                        by: None,
                        reason: EndReason::Orphaned,
                        at: now,
                    });
                }
                continue;
            }
            if hold_ms > 0 && now - s.last_hold >= hold_ms {
                s.last_hold = now;
                let message = ServerMessage::Hold {
                    session,
                    position,
                    wait_secs,
                    at: now,
                };
                if s.holds.len() == MAX_HOLDS_KEPT {
                    s.holds.pop_front();
                }
                s.holds.push_back(message.clone());
                push(&mut self.outputs, s.customer_conns.clone(), message);
            }
            if s.told != Some((position, wait_secs)) {
                s.told = Some((position, wait_secs));
                let message = ServerMessage::QueuePosition {
                    session,
                    position,
                    wait_secs,
                };
                push(&mut self.outputs, s.customer_conns.clone(), message);
            }
        }
        for lost in self.lost(now) {
            let Change::Ended { session, .. } = &lost else {
                continue;
            };
            let already = ended
                .iter()
                .any(|e| matches!(e, Change::Ended { session: s, .. } if s == session));
            if !already {
                ended.push(lost);
            }
        }
        self.wake_at = self.next_wake(now);
        ended
    }

    /// Whether a waiting customer is to be told now that no rep is available.
    fn is_orphaned(&self, session: SessionId, now: Millis) -> bool {
        let s = &self.sessions[&session];
        if s.orphaned {
            return false;
        }
        let longest = Millis::from(self.settings.longest_wait_secs) * 1000;
        if longest > 0 && now - s.new.queued_at >= longest {
            return true;
        }
        // A rep's own line waits for that rep until the longest wait.
        s.new.for_rep.is_none()
            && self
                .no_reps_since
                .is_some_and(|since| s.new.queued_at > since || now - since >= NO_REP_GRACE_MS)
    }

    fn available_reps(&self) -> usize {
        self.rep_conns
            .keys()
            .filter(|rep| !self.away.contains(rep))
            .count()
    }

    fn attach(&mut self, conn: ConnId, id: u64, attach: Attach) {
        let site = self.site_message();
        let me = match attach {
            Attach::Visitor { page } => {
                self.conns.insert(conn, Who::Visitor);
                self.pages.extend(page.map(|page| (conn, page)));
                Identity::Visitor
            }
            Attach::Customer { session, page } => {
                let Some(s) = self.sessions.get_mut(&session) else {
                    return;
                };
                self.pages.extend(page.map(|page| (conn, page)));
                s.customer_conns.push(conn);
                // The page came back: it was a reload, not the customer leaving.
                s.leaves_at = None;
                let me = Identity::Customer {
                    session,
                    name: s.new.name.clone(),
                    state: s.state(),
                };
                self.conns.insert(conn, Who::Customer(session));
                self.customer_back(session);
                me
            }
            Attach::Rep(rep) => {
                self.rep_conns.entry(rep.id).or_default().push(conn);
                self.rep_back(rep.id);
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
            Identity::Customer { session, .. } => {
                let mut view = self.customer_view(*session);
                view.extend(self.customer_links(*session));
                view
            }
            Identity::Rep { rep, .. } => {
                let mut view = self.rep_view(*rep);
                view.extend(self.rep_links(*rep));
                view
            }
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
        self.send(vec![conn], site);
        for message in catch_up {
            self.send(vec![conn], message);
        }
        if let Some(Who::Rep(_)) = self.conns.get(&conn) {
            self.send_reps_to_reps();
        }
    }

    /// What a customer's page needs to show its session after (re)connecting.
    fn customer_view(&self, session: SessionId) -> Vec<ServerMessage> {
        let s = &self.sessions[&session];
        match s.info() {
            Some(info) => {
                let started = ServerMessage::SessionStarted(customer_info(info));
                std::iter::once(started)
                    .chain(self.share_view(session))
                    .collect()
            }
            None => {
                let (position, wait_secs) = self.place(session);
                let mut view: Vec<_> = s.holds.iter().cloned().collect();
                view.push(ServerMessage::QueuePosition {
                    session,
                    position,
                    wait_secs,
                });
                // A reloaded page still needs to know that nobody is available.
                if s.orphaned {
                    view.push(ServerMessage::Orphaned {
                        session,
                        queued: true,
                    });
                }
                view
            }
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
        let shares: Vec<_> = own
            .iter()
            .filter_map(|info| self.share_view(info.session))
            .collect();
        let mut view = vec![self.queue_message(Some(rep))];
        view.extend(rep_sessions_in_parts(own));
        view.extend(shares);
        view
    }

    /// A waiting session's position in its line (1 is first) and its estimated wait.
    fn place(&self, session: SessionId) -> (u32, u32) {
        let line = self.sessions[&session].new.for_rep;
        let position = self
            .queue
            .iter()
            .filter(|id| self.sessions[*id].new.for_rep == line)
            .position(|&id| id == session)
            .map_or(0, |i| i as u32 + 1);
        (position, self.wait(line, position, self.available_reps()))
    }

    /// Every waiting session with its position and estimated wait, in one pass over the queue.
    fn places(&self) -> Vec<(SessionId, u32, u32)> {
        let available = self.available_reps();
        let mut line_lengths: FxHashMap<Option<RepId>, u32> = FxHashMap::default();
        self.queue
            .iter()
            .map(|&session| {
                let line = self.sessions[&session].new.for_rep;
                let position = line_lengths.entry(line).or_default();
                *position += 1;
                (session, *position, self.wait(line, *position, available))
            })
            .collect()
    }

    /// The estimated wait at `position` in `line`: a rep's own line has that one rep.
    fn wait(&self, line: Option<RepId>, position: u32, available: usize) -> u32 {
        let reps = if line.is_some() { 1 } else { available };
        self.estimator
            .wait_secs(position, reps, self.settings.default_wait_secs)
    }

    /// Takes a session out of the queue; [`Core::tick`] tells those behind that they moved up.
    fn leave_queue(&mut self, session: SessionId) {
        let Some(index) = self.queue.iter().position(|&s| s == session) else {
            return;
        };
        self.queue.remove(index);
        self.send_queue_to_reps();
    }

    /// The queue as `viewer` sees it: the common line and, for a rep, their own.
    fn queue_message(&self, viewer: Option<RepId>) -> ServerMessage {
        let seen = || {
            self.queue
                .iter()
                .map(|id| &self.sessions[id].new)
                .filter(|s| s.for_rep.is_none() || s.for_rep == viewer)
        };
        let waiting = seen().count() as u32;
        let mut bytes = 0;
        let entries = seen()
            .take(MAX_QUEUE_SHOWN)
            .take_while(|s| {
                bytes += wire::most_entry_bytes(&s.name, &s.problem);
                bytes <= MAX_LIST_BYTES
            })
            .map(|s| QueueEntry {
                session: s.id,
                name: s.name.clone(),
                problem: s.problem.clone(),
                queued_at: s.queued_at,
                lang: s.lang,
                by_key: s.for_rep.is_some(),
            })
            .collect();
        ServerMessage::Queue { entries, waiting }
    }

    /// Reps without a line of their own all see the common one: one message for them all, so
    /// the hub encodes it once; a rep with keyed customers gets their own.
    fn send_queue_to_reps(&mut self) {
        self.wake_now();
        if self.rep_conns.is_empty() {
            return;
        }
        let keyed: HashSet<RepId> = self
            .queue
            .iter()
            .filter_map(|id| self.sessions[id].new.for_rep)
            .collect();
        let mut common = Vec::new();
        let mut own = Vec::new();
        for (rep, conns) in &self.rep_conns {
            if keyed.contains(rep) {
                own.push((*rep, conns.clone()));
            } else {
                common.extend(conns.iter().copied());
            }
        }
        let message = self.queue_message(None);
        self.send(common, message);
        for (rep, to) in own {
            let message = self.queue_message(Some(rep));
            self.send(to, message);
        }
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

    fn answer(&mut self, asker: Option<(ConnId, u64)>, reply: Reply) {
        if let Some((conn, id)) = asker {
            self.reply(conn, id, reply);
        }
    }

    fn send(&mut self, to: Vec<ConnId>, message: ServerMessage) {
        push(&mut self.outputs, to, message);
    }
}

/// Queues `message` for the connections `to`; nothing when there are none.
fn push(outputs: &mut VecDeque<Outgoing>, to: Vec<ConnId>, message: ServerMessage) {
    if !to.is_empty() {
        outputs.push_back(Outgoing { to, message });
    }
}

fn store(change: Change) -> Decision {
    Decision::Store {
        change,
        token: None,
    }
}

#[cfg(test)]
mod tests;
