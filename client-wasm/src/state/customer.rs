//! The customer's side of a session: agreement, recording answer, entry, queue, chat (with
//! delivery, nudges and files), end and exit survey, with `use_customer()` verbs.

mod embedded;
mod sharing;
mod uploads;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Deref;
use std::rc::Rc;

use gloo::events::EventListener;
use protocol::ShareState;
use protocol::site::{self, Settings};
use protocol::{ChatMessage, Consent, EndReason, Identity, Lang, Millis, Notice, Party, Reply};
use protocol::{ErrorCode, FileId, MessageKind, Request, ServerMessage, SessionId, SessionState};
use yew::prelude::*;

use super::chat_log::{ChatLog, Note, Pending, next_local_id};
use super::files::Transfers;
use super::share::{CustomerShare, MediaLink};
use super::{ChatActions, Link, PeerLink, fetch_history, reduce_by, use_connection};
use crate::i18n::{Texts, use_texts};
use crate::services::embed::{Embed, FromHost};
use crate::services::storage::{self, StoredConsent};
use crate::services::ws::{Connection, Event, RequestError};
use crate::services::{api, attention, chat, notify, unexpected, warn};
pub use embedded::Embedding;
use sharing::Screen;

/// Where the customer is in their visit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    /// The server has not said yet whether this tab already has a session.
    #[default]
    Loading,
    /// The site's agreement, to accept or decline before anything else.
    Agreement,
    /// The customer declined the agreement: nothing was sent, nothing follows.
    Declined,
    /// May the session be recorded? Only when the site asks.
    Recording,
    /// The entry form.
    Entry,
    /// In the queue; position and estimate are known once the server has sent them.
    Waiting {
        session: SessionId,
        position: Option<u32>,
        wait_secs: Option<u32>,
    },
    /// A rep took the session; the name comes with `SessionStarted`.
    Chatting {
        session: SessionId,
        rep_name: Option<String>,
    },
    /// Over; `by` and `reason` are unknown when the page only learnt it after a reload.
    Ended {
        session: SessionId,
        by: Option<Party>,
        reason: Option<EndReason>,
        survey: Survey,
    },
}

/// The exit survey after a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Survey {
    /// The server did not ask for one (no service given, or the site has it off).
    #[default]
    NotAsked,
    Open,
    Sending,
    Thanked,
    Skipped,
}

impl Phase {
    /// The session this phase belongs to.
    pub fn session(&self) -> Option<SessionId> {
        match self {
            Phase::Waiting { session, .. }
            | Phase::Chatting { session, .. }
            | Phase::Ended { session, .. } => Some(*session),
            _ => None,
        }
    }

    /// The session, while it can still be ended.
    pub fn open_session(&self) -> Option<SessionId> {
        match self {
            Phase::Waiting { session, .. } | Phase::Chatting { session, .. } => Some(*session),
            _ => None,
        }
    }

    fn ended(session: SessionId, by: Option<Party>, reason: Option<EndReason>) -> Phase {
        Phase::Ended {
            session,
            by,
            reason,
            survey: Survey::NotAsked,
        }
    }
}

/// What the admin set, as the server last sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub settings: Settings,
    /// The active notices, automatic and manual.
    pub notices: Vec<Notice>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerState {
    pub link: Link,
    pub phase: Phase,
    /// The page's language, for the admin's texts and the `StartChat` request.
    pub lang: Lang,
    /// Unknown until the server's first `Site` message.
    pub site: Option<Rc<Site>>,
    /// The name the customer gave, shown with their own messages.
    pub name: String,
    pub log: Rc<ChatLog>,
    pub error: Option<RequestError>,
    /// `StartChat` is on its way.
    pub starting: bool,
    /// The answer to the recording prompt, before it is sent with `StartChat`.
    pub recording: Option<bool>,
    /// The answer as the server stored it, for the receipt.
    pub consent: Option<StoredConsent>,
    /// The session's token, kept after the end for the exit survey.
    pub token: Option<String>,
    /// Notices a rep sent to this customer.
    pub sent_notices: Vec<Notice>,
    /// No rep is available for this session.
    pub orphaned: bool,
    /// The address of the current rep's photo, if they have one.
    pub rep_photo: Option<String>,
    /// The files this customer offered in the session.
    pub files: Rc<Transfers>,
    /// Where screen sharing stands.
    pub share: CustomerShare,
    /// The chat inside another site's page.
    pub embed: Embedding,
    /// The rep's connection.
    pub rep_link: PeerLink,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Connecting,
    Lost,
    /// The server answered `hello`; `token` is the one the tab had stored.
    Welcome {
        me: Identity,
        token: Option<String>,
    },
    AcceptAgreement,
    DeclineAgreement,
    AnswerRecording(bool),
    Starting {
        name: String,
    },
    Queued {
        session: SessionId,
        token: String,
        position: u32,
        wait_secs: u32,
        consent: Option<Consent>,
    },
    /// The recording answer this tab stored before a reload.
    ConsentRestored(StoredConsent),
    Push(ServerMessage),
    History(Vec<ChatMessage>),
    Sending(Pending),
    Stored {
        local_id: u64,
        seq: u64,
        at: Millis,
    },
    /// The server took our offer of a file.
    FileOffered {
        file: FileId,
        name: String,
        size: u64,
    },
    /// Our upload has sent this many bytes.
    UploadProgress {
        file: FileId,
        sent: u64,
    },
    UploadFailed {
        file: FileId,
        reason: String,
    },
    SendFailed {
        local_id: u64,
        error: RequestError,
    },
    EndedByMe {
        session: SessionId,
        after_notice: bool,
    },
    SurveySending,
    SurveySent,
    SurveyFailed(RequestError),
    SurveySkipped,
    Failed(RequestError),
    DismissError,
    Restart,
    /// "Share screen" was pressed: the browser's picker is open.
    ShareAnswering,
    /// The screen was picked again after a reload; sharing goes on.
    ShareResumed,
    /// This page stopped or declined sharing.
    ShareOff,
    ShareLink(MediaLink),
    /// The host page of the embedded chat said something.
    Host(FromHost),
    /// The session went on in its own window.
    Moved,
    PopOutBlocked,
}

impl Reducible for CustomerState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        reduce_by(self, |next| next.apply(action))
    }
}

/// The estimate as the admin's `{wait}` placeholder takes it: whole minutes, rounded up,
/// at least one ("3 min").
pub fn wait_placeholder(wait_secs: u32) -> String {
    format!("{} min", wait_secs.div_ceil(60).max(1))
}

impl CustomerState {
    /// A page in `lang`, before the server has said anything.
    pub fn new(lang: Lang) -> Self {
        CustomerState {
            lang,
            ..CustomerState::default()
        }
    }

    /// The admin's texts in the page's language; the built-in ones until the server's arrive.
    pub fn site_texts(&self) -> site::Texts {
        match &self.site {
            Some(site) => site.settings.texts.get(self.lang).clone(),
            None => Settings::default().texts.get(self.lang).clone(),
        }
    }

    /// Where an orphaned customer is sent, if the site names a web address.
    pub fn orphan_url(&self) -> Option<String> {
        let url = &self.site.as_ref()?.settings.orphan_url;
        // Checked again here: only an http(s) address may move the page.
        site::is_web_url(url).then(|| url.clone())
    }

    /// The notices to show while waiting: the site's automatic ones, then those a rep sent,
    /// each in its latest version and once.
    pub fn notices(&self) -> Vec<Notice> {
        if !matches!(self.phase, Phase::Waiting { .. }) {
            return Vec::new();
        }
        let active: &[Notice] = match &self.site {
            Some(site) => &site.notices,
            None => &[],
        };
        let mut shown: Vec<Notice> = active
            .iter()
            .filter(|n| n.draft.automatic)
            .cloned()
            .collect();
        for sent in &self.sent_notices {
            if shown.iter().any(|n| n.id == sent.id) {
                continue;
            }
            let latest = match &self.site {
                // A notice the admin has since deactivated is no longer shown.
                Some(_) => active.iter().find(|n| n.id == sent.id).cloned(),
                None => Some(sent.clone()),
            };
            shown.extend(latest);
        }
        shown
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Host(message) => self.embed.hear(message),
            Action::Moved => self.embed.moved = true,
            Action::PopOutBlocked => self.embed.blocked = true,
            Action::Connecting => self.link = self.link.opening(),
            Action::Lost => self.link = Link::Reconnecting,
            Action::Welcome { me, token } => {
                self.link = Link::Online;
                self.welcome(me, token);
            }
            Action::AcceptAgreement => {
                if self.phase == Phase::Agreement
                    && let Some(site) = &self.site
                {
                    self.phase = if site.settings.recording_prompt {
                        Phase::Recording
                    } else {
                        Phase::Entry
                    };
                }
            }
            Action::DeclineAgreement => {
                if self.phase == Phase::Agreement {
                    self.phase = Phase::Declined;
                }
            }
            Action::AnswerRecording(allowed) => {
                if self.phase == Phase::Recording {
                    self.recording = Some(allowed);
                    self.phase = Phase::Entry;
                }
            }
            Action::Starting { name } => {
                self.starting = true;
                self.name = name;
                self.error = None;
            }
            Action::Queued {
                session,
                token,
                position,
                wait_secs,
                consent,
            } => {
                self.starting = false;
                self.token = Some(token);
                self.consent = consent.map(|consent| StoredConsent { session, consent });
                // An event about the session may have overtaken this reply.
                if self.phase.session().is_none() {
                    self.phase = Phase::Waiting {
                        session,
                        position: Some(position),
                        wait_secs: Some(wait_secs),
                    };
                }
            }
            Action::ConsentRestored(consent) => {
                if self.phase.session() == Some(consent.session) {
                    self.consent = Some(consent);
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
            Action::FileOffered { file, name, size } => {
                Rc::make_mut(&mut self.files).offered(file, name, size);
            }
            Action::UploadProgress { file, sent } => {
                Rc::make_mut(&mut self.files).progress(file, sent);
            }
            Action::UploadFailed { file, reason } => {
                Rc::make_mut(&mut self.files).failed(file, reason);
            }
            Action::EndedByMe {
                session,
                after_notice,
            } => {
                if self.phase.open_session() == Some(session) {
                    let reason = if after_notice {
                        EndReason::Notice
                    } else {
                        EndReason::Ended
                    };
                    self.phase = Phase::ended(session, Some(Party::Customer), Some(reason));
                }
            }
            Action::SurveySending => self.survey_step(Survey::Open, Survey::Sending),
            Action::SurveySent => self.survey_step(Survey::Sending, Survey::Thanked),
            Action::SurveyFailed(error) => {
                self.survey_step(Survey::Sending, Survey::Open);
                self.error = Some(error);
            }
            Action::SurveySkipped => self.survey_step(Survey::Open, Survey::Skipped),
            Action::Failed(error) => {
                self.starting = false;
                self.error = Some(error);
            }
            Action::DismissError => self.error = None,
            Action::ShareAnswering => self.share.answering(),
            Action::ShareResumed => self.share.resumed(),
            Action::ShareOff => self.share = CustomerShare::Off,
            Action::ShareLink(link) => self.share.link(link),
            Action::Restart => {
                // A new session needs a new agreement and a new recording answer.
                *self = CustomerState {
                    link: self.link,
                    phase: Phase::Agreement,
                    lang: self.lang,
                    site: self.site.take(),
                    name: std::mem::take(&mut self.name),
                    ..CustomerState::default()
                };
            }
        }
    }

    fn survey_step(&mut self, from: Survey, to: Survey) {
        if let Phase::Ended { survey, .. } = &mut self.phase
            && *survey == from
        {
            *survey = to;
        }
    }

    fn welcome(&mut self, me: Identity, token: Option<String>) {
        let known = self.phase.session();
        match me {
            Identity::Customer {
                session,
                name,
                state,
            } => {
                self.name = name;
                if token.is_some() {
                    self.token = token;
                }
                if known != Some(session) {
                    self.log = Rc::default();
                    self.files = Rc::default();
                    self.rep_photo = None;
                    self.consent = None;
                    self.sent_notices.clear();
                    self.orphaned = false;
                    self.share = CustomerShare::Off;
                }
                self.phase = match (state, std::mem::take(&mut self.phase)) {
                    (
                        SessionState::Waiting,
                        Phase::Waiting {
                            position,
                            wait_secs,
                            ..
                        },
                    ) => Phase::Waiting {
                        session,
                        position,
                        wait_secs,
                    },
                    (SessionState::Waiting, _) => Phase::Waiting {
                        session,
                        position: None,
                        wait_secs: None,
                    },
                    (SessionState::Active, Phase::Chatting { rep_name, .. }) => {
                        Phase::Chatting { session, rep_name }
                    }
                    (SessionState::Active, _) => Phase::Chatting {
                        session,
                        rep_name: None,
                    },
                    (
                        SessionState::Ended,
                        Phase::Ended {
                            by, reason, survey, ..
                        },
                    ) => Phase::Ended {
                        session,
                        by,
                        reason,
                        survey,
                    },
                    (SessionState::Ended, _) => Phase::ended(session, None, None),
                };
            }
            // A rep's cookie on the customer page: the server decides what they may do.
            Identity::Visitor | Identity::Rep { .. } => {
                self.phase = match std::mem::take(&mut self.phase) {
                    Phase::Loading => Phase::Agreement,
                    // The server no longer knows our session: it is over for us.
                    Phase::Waiting { session, .. } | Phase::Chatting { session, .. } => {
                        Phase::ended(session, None, None)
                    }
                    // Before the queue nothing depends on the server, and an end stays.
                    other => other,
                };
            }
        }
    }

    fn push(&mut self, event: ServerMessage) {
        let current = self.phase.session();
        match event {
            ServerMessage::Site { settings, notices } => {
                self.site = Some(Rc::new(Site {
                    settings: *settings,
                    notices,
                }));
            }
            ServerMessage::QueuePosition {
                session,
                position,
                wait_secs,
            } => self.set_position(session, position, wait_secs),
            ServerMessage::Hold {
                session,
                position,
                wait_secs,
                at,
            } => {
                if !matches!(self.phase, Phase::Waiting { .. }) || current != Some(session) {
                    return;
                }
                self.set_position(session, position, wait_secs);
                let hold = self.site_texts().hold;
                let text = site::fill(&hold, position, &wait_placeholder(wait_secs));
                Rc::make_mut(&mut self.log).add_note(Note { at, text });
            }
            ServerMessage::Notice { session, notice } => {
                if self.phase.open_session() == Some(session) {
                    self.sent_notices.retain(|known| known.id != notice.id);
                    self.sent_notices.push(notice);
                }
            }
            ServerMessage::PeerLink {
                session,
                party,
                online,
            } => {
                if party == Party::Rep && self.phase.open_session() == Some(session) {
                    self.rep_link = PeerLink::heard(online);
                }
            }
            ServerMessage::Orphaned { session, .. } => {
                if self.phase.open_session() == Some(session) {
                    self.orphaned = true;
                }
            }
            ServerMessage::SessionChanged(info) => {
                // A handover or a renamed rep: the new name and photo; the log stays.
                if let Phase::Chatting { session, rep_name } = &mut self.phase
                    && *session == info.session
                {
                    *rep_name = Some(info.rep_name);
                    self.rep_photo = info.rep_photo;
                }
            }
            ServerMessage::SessionStarted(info) => {
                let fits = match &self.phase {
                    Phase::Loading | Phase::Agreement | Phase::Recording | Phase::Entry => true,
                    Phase::Waiting { session, .. } | Phase::Chatting { session, .. } => {
                        *session == info.session
                    }
                    Phase::Declined | Phase::Ended { .. } => false,
                };
                if fits {
                    self.orphaned = false;
                    self.rep_link = PeerLink::Online;
                    self.rep_photo = info.rep_photo;
                    self.phase = Phase::Chatting {
                        session: info.session,
                        rep_name: Some(info.rep_name),
                    };
                }
            }
            ServerMessage::Received { session, by, seq } => {
                if current == Some(session) {
                    Rc::make_mut(&mut self.log).mark_received(by, seq);
                }
            }
            ServerMessage::File(event) => {
                if current == Some(event.session) {
                    Rc::make_mut(&mut self.files).update(event);
                }
            }
            ServerMessage::Chat(message) => {
                if current == Some(message.session) {
                    if message.from == Party::Rep {
                        self.embed.rep_wrote();
                    }
                    Rc::make_mut(&mut self.log).insert(message);
                }
            }
            ServerMessage::SessionEnded {
                session,
                by,
                reason,
                survey,
            } => {
                if current != Some(session) {
                    return;
                }
                // Our own "End session" may have been answered first; the server's word adds
                // who, why and whether to ask, unless the survey is already under way.
                if let Phase::Ended { survey: asked, .. } = self.phase
                    && asked != Survey::NotAsked
                {
                    return;
                }
                if reason == EndReason::Orphaned {
                    self.orphaned = true;
                }
                self.share = CustomerShare::Off;
                self.phase = Phase::Ended {
                    session,
                    by,
                    reason: Some(reason),
                    survey: if survey {
                        Survey::Open
                    } else {
                        Survey::NotAsked
                    },
                };
            }
            ServerMessage::Share { session, state } => {
                if let Phase::Chatting { rep_name, .. } = &self.phase
                    && current == Some(session)
                {
                    let rep_name = rep_name.clone().unwrap_or_default();
                    self.share.server(state, &rep_name);
                }
            }
            // Signaling goes to the peer connection, not into the state.
            ServerMessage::Signal { .. } => {}
            ServerMessage::Queue { .. }
            | ServerMessage::RepSessions { .. }
            | ServerMessage::Reps { .. }
            | ServerMessage::TransferredAway { .. }
            | ServerMessage::Ok { .. }
            | ServerMessage::Err { .. } => {
                warn("the customer page ignores a message meant for others");
            }
        }
    }

    fn set_position(&mut self, session: SessionId, position: u32, wait_secs: u32) {
        if let Phase::Waiting {
            session: waiting,
            position: known,
            wait_secs: estimate,
        } = &mut self.phase
            && *waiting == session
        {
            *known = Some(position);
            *estimate = Some(wait_secs);
        }
    }
}

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
    state: UseReducerHandle<CustomerState>,
    conn: Connection,
    /// The files offered and not uploaded yet, by transfer; the upload starts when the rep
    /// accepts.
    uploads: Uploads,
    /// The screen this page shares, if any.
    screen: Screen,
    /// The host page, when this chat is embedded in another site's page.
    embed: Option<Embed>,
}

/// Files chosen on this page, kept until their upload starts.
type Uploads = Rc<RefCell<HashMap<FileId, web_sys::File>>>;

impl Deref for CustomerHandle {
    type Target = CustomerState;

    fn deref(&self) -> &CustomerState {
        &self.state
    }
}

type Dispatcher = UseReducerDispatcher<CustomerState>;

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

/// Turns what the connection reports into actions, asks for what a (re)attached page is
/// missing, and alerts a customer whose tab is in the background.
struct Events {
    dispatch: Dispatcher,
    texts: &'static Texts,
    lang: Lang,
    uploads: Uploads,
    screen: Screen,
    /// The session whose rep joining was already announced, so a reconnect does not repeat it.
    announced: Cell<Option<SessionId>>,
}

impl Events {
    fn on_event(&self, conn: &Connection, event: Event) {
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
                        ShareState::Declined | ShareState::Stopped { .. } => self.screen.stop(),
                        ShareState::Requested { .. } => {}
                    },
                    ServerMessage::Signal { signal, .. } => self.screen.signal(signal.clone()),
                    ServerMessage::File(event) => {
                        uploads::on_file_event(&self.uploads, dispatch, event)
                    }
                    _ => {}
                }
                dispatch.dispatch(Action::Push(message));
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

#[derive(Properties, PartialEq)]
pub struct CustomerProviderProps {
    pub children: Html,
}

/// Owns the page's connection and the customer state for everything inside it.
#[function_component]
pub fn CustomerProvider(props: &CustomerProviderProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let texts = use_texts();
    let state = use_reducer(move || CustomerState::new(lang));
    let uploads: Uploads = (*use_memo((), |_| Uploads::default())).clone();
    let screen: Screen = (*use_memo((), |_| Screen::default())).clone();
    let events = Events {
        dispatch: state.dispatcher(),
        texts,
        lang,
        uploads: uploads.clone(),
        screen: screen.clone(),
        announced: Cell::new(None),
    };
    let embed = (*use_memo((), |_| Embed::detect())).clone();
    embedded::use_host_page(embed.clone(), &state);
    let conn = use_connection(move || {
        // A window the embedded chat opened for its session takes the session over.
        storage::adopt_token_from_address();
        let hello = || Request::customer_hello_from(api::page_number(), storage::load_token());
        Connection::new(hello, move |conn, event| events.on_event(conn, event))
    });
    {
        // Leaving the page stops the capture.
        let screen = screen.clone();
        use_effect_with((), move |_| move || screen.stop());
    }
    let embedded = embed.is_some();
    use_effect_with((), move |_| {
        let window = web_sys::window();
        let document = window.as_ref().and_then(|window| window.document());
        // The nudge's sound needs an audio context the customer's own gesture unlocked.
        let unlock = document.map(|document| {
            let on_key = EventListener::new(&document, "keydown", |_| attention::unlock_sound());
            let on_pointer =
                EventListener::new(&document, "pointerdown", |_| attention::unlock_sound());
            (on_key, on_pointer)
        });
        // Closing the page ends a live session (a reload takes it up again in time).
        let leave = window.map(|window| {
            EventListener::new(&window, "pagehide", move |_| {
                if let Some(token) = storage::load_token() {
                    api::leave_beacon(&token, embedded);
                }
            })
        });
        move || drop((unlock, leave))
    });
    let handle = CustomerHandle {
        state,
        conn,
        uploads,
        screen,
        embed,
    };
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
    use protocol::site::{Localized, NoticeDraft};

    fn reduce(state: CustomerState, actions: impl IntoIterator<Item = Action>) -> CustomerState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
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
            id,
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
            rep: 1,
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
            session: 7,
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
                queued(7, 3),
            ],
        )
    }

    fn chatting() -> CustomerState {
        reduce(waiting(), [Action::Push(started(7))])
    }

    #[test]
    fn a_handover_or_a_renamed_rep_changes_the_name_and_photo_and_keeps_the_log() {
        let state = chatting();
        let log = state.log.clone();
        let changed = ServerMessage::SessionChanged(SessionInfo {
            session: 7,
            customer_name: "Ada".into(),
            problem: "printer".into(),
            rep: 2,
            rep_name: "Cy".into(),
            rep_photo: None,
            handover: None,
        });
        let state = reduce(state, [Action::Push(changed.clone())]);
        assert_eq!(
            state.phase,
            Phase::Chatting {
                session: 7,
                rep_name: Some("Cy".into())
            }
        );
        assert_eq!(state.rep_photo, None);
        assert!(Rc::ptr_eq(&state.log, &log), "the log is kept as it was");
        // Another session's change is not this page's.
        let mut other = changed;
        if let ServerMessage::SessionChanged(info) = &mut other {
            info.session = 8;
            info.rep_name = "Dee".into();
        }
        let state = reduce(state, [Action::Push(other)]);
        assert!(
            matches!(&state.phase, Phase::Chatting { rep_name: Some(name), .. } if name == "Cy")
        );
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
                    session: 7,
                    position: 2,
                    wait_secs: 90,
                }),
                // Another session's position is not ours.
                Action::Push(ServerMessage::QueuePosition {
                    session: 8,
                    position: 1,
                    wait_secs: 0,
                }),
            ],
        );
        assert!(!state.starting);
        assert_eq!(
            state.phase,
            Phase::Waiting {
                session: 7,
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
                queued(7, 3),
                Action::Push(ServerMessage::Hold {
                    session: 7,
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
                    session: 7,
                    notice: notice(2, false),
                }),
                // Sent twice, shown once.
                Action::Push(ServerMessage::Notice {
                    session: 7,
                    notice: notice(2, false),
                }),
            ],
        );
        let ids: Vec<_> = state.notices().iter().map(|n| n.id).collect();
        assert_eq!(ids, [1, 2]);
        // The admin deactivates notice 2.
        let state = reduce(state, [site(false, vec![notice(1, true)])]);
        let ids: Vec<_> = state.notices().iter().map(|n| n.id).collect();
        assert_eq!(ids, [1]);
        // Once a rep has joined, notices are no longer shown.
        let state = reduce(state, [Action::Push(started(7))]);
        assert!(state.notices().is_empty());
    }

    #[test]
    fn leaving_from_a_notice_ends_without_a_survey() {
        let state = reduce(
            waiting(),
            [
                Action::EndedByMe {
                    session: 7,
                    after_notice: true,
                },
                ended(Party::Customer, EndReason::Notice, false),
            ],
        );
        assert_eq!(
            state.phase,
            Phase::Ended {
                session: 7,
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
                    session: 7,
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
                session: 7,
                queued: true,
            })],
        );
        assert!(state.orphaned);
        assert!(matches!(state.phase, Phase::Waiting { .. }));
        let state = reduce(
            state,
            [Action::Push(ServerMessage::SessionEnded {
                session: 7,
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
                    session: 7,
                    queued: true,
                }),
                Action::Push(started(7)),
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
                    session: 7,
                    token: "tok".into(),
                    position: 1,
                    wait_secs: 0,
                    consent: Some(consent),
                },
            ],
        );
        let stored = StoredConsent {
            session: 7,
            consent,
        };
        assert_eq!(state.consent, Some(stored));
        // A reload: the page starts empty and takes the session up again.
        let me = Identity::Customer {
            session: 7,
            name: "Ada".into(),
            state: SessionState::Waiting,
        };
        let other = StoredConsent {
            session: 6,
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
                session: 7,
                party: Party::Rep,
                online,
            })
        };
        let state = reduce(chatting(), [link(false)]);
        assert_eq!(state.rep_link, PeerLink::Reconnecting);
        let state = reduce(state, [link(true)]);
        assert_eq!(state.rep_link, PeerLink::Back);
        let state = reduce(state, [link(false), Action::Push(started(7))]);
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
                ended(Party::Rep, EndReason::Ended, false),
                // Late news for an ended session changes nothing.
                Action::Push(started(7)),
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
                    session: 7,
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
            session: 7,
            name: "Ada".into(),
            state: SessionState::Active,
        };
        let state = reduce(
            CustomerState::default(),
            [Action::Welcome { me, token: None }],
        );
        assert_eq!(state.name, "Ada");
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
        let state = reduce(state, [Action::Welcome { me, token: None }]);
        assert_eq!(state.link, Link::Online);
        let rep_name = Some("Rita".to_string());
        assert_eq!(
            state.phase,
            Phase::Chatting {
                session: 7,
                rep_name
            }
        );
        assert_eq!(state.token.as_deref(), Some("tok"));
    }

    #[test]
    fn a_forgotten_session_counts_as_ended() {
        let state = reduce(chatting(), [visitor()]);
        assert_eq!(state.phase, Phase::ended(7, None, None));
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
        let state = reduce(chatting(), [request(8)]);
        assert_eq!(state.share, CustomerShare::Off, "another session's request");
        let state = reduce(state, [request(7), Action::ShareAnswering]);
        assert!(state.share.busy());
        let active = Action::Push(ServerMessage::Share {
            session: 7,
            state: ShareState::Active {
                mode: protocol::ShareMode::Unrestricted,
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
            session: 7,
            name: "Ada".into(),
            state: SessionState::Active,
        };
        let state = reduce(
            CustomerState::default(),
            [
                Action::Welcome { me, token: None },
                Action::Push(started(7)),
                Action::Push(ServerMessage::Share {
                    session: 7,
                    state: ShareState::Active {
                        mode: protocol::ShareMode::CustomerChooses,
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
}
