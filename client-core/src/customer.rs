//! The customer's side of a session as its page shows it: agreement, recording answer, entry,
//! queue, chat (with delivery, nudges and files), sharing, the end and the exit survey. The
//! state changes only by [`CustomerState::apply`]; the page's driver turns what the connection
//! and the customer do into [`Action`]s.

mod embedding;
mod push;
#[cfg(test)]
mod tests;

use std::rc::Rc;

use protocol::site::{self, Settings};
use protocol::{CaptureFailure, FileId, Reason, ServerMessage, SessionId, SessionState};
use protocol::{ChatMessage, Consent, EndReason, Identity, Lang, Millis, Notice, Party};
use serde::{Deserialize, Serialize};

use crate::chat_log::{ChatLog, Pending};
use crate::connection::RequestError;
use crate::files::Transfers;
use crate::page::{Link, Misdirected, PeerLink};
use crate::share::{CustomerShare, MediaLink};
pub use embedding::{Embedding, FromHost};

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
    /// The server records the shared screen.
    pub recorded: bool,
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
    /// The server refused the upload for `reason`, or the connection failed (`None`).
    UploadFailed {
        file: FileId,
        reason: Option<Reason>,
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
    /// The browser could not capture what the customer agreed to share.
    ShareCouldNotStart(CaptureFailure),
    ShareLink(MediaLink),
    /// The host page of the embedded chat said something.
    Host(FromHost),
    /// The session went on in its own window.
    Moved,
    PopOutBlocked,
}

/// The server's record of a customer's answer to the recording prompt, for one session; the
/// page keeps it across a reload for the receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConsent {
    pub session: SessionId,
    pub consent: Consent,
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

    /// The state after `action`; a server message meant for others' pages changes nothing and
    /// is reported as [`Misdirected`].
    pub fn apply(&mut self, action: Action) -> Result<(), Misdirected> {
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
            Action::Push(event) => return self.push(event),
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
            Action::ShareCouldNotStart(failure) => self.share.could_not_start(failure),
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
        Ok(())
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
}
