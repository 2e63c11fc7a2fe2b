//! The one loop every runtime runs around the core, without the runtime: an input stamped with
//! the time it happened goes in, the changes it decides are recorded through a [`Journal`]
//! before they take effect, and what to send, whom to disconnect and when to be woken come out
//! of [`Driver::poll_output`], in the manner of str0m's `Rtc`.
//!
//! The hub drives it with SQLite and a wall clock; the core's tests drive it with a `Vec` and
//! an injected clock, so they wake it exactly when the hub does.

use std::collections::VecDeque;
use std::fmt::Display;

use protocol::{
    ChatMessage, ClientFrame, ErrorCode, FileId, IceServer, Millis, Party, Reason, RepId, Reply,
    ServerMessage, SessionId, Signal,
};
use tracing::error;

use crate::share::ShareCause;
use crate::{
    AdminAction, Change, ConnId, Core, Decision, Entry, MediaOrder, Outgoing, Recording, Refusal,
    RepAccount,
};
use crate::{Query, UploadPermit, Verdict};

/// Where the changes go: durable before the driver lets them take effect.
pub trait Journal {
    type Error: Display;

    /// Stores `entries` together: all of them or, on an error, none.
    fn record(&mut self, entries: &[Entry<'_>]) -> Result<(), Self::Error>;

    /// The stored transcript of `session` after message `after_seq`, at most `rows` messages.
    fn transcript(
        &mut self,
        session: SessionId,
        after_seq: u64,
        rows: usize,
    ) -> Result<Vec<ChatMessage>, Self::Error>;

    /// The stored recordings that began before `cutoff`: their sessions and names.
    fn recordings_before(
        &mut self,
        cutoff: Millis,
    ) -> Result<Vec<(SessionId, String)>, Self::Error>;
}

/// How long a day is, for the retention of recordings.
const DAY_MS: Millis = 86_400_000;

/// The most messages one `history` answer carries.
pub const HISTORY_PAGE_ROWS: usize = 200;

/// The most one `history` answer may weigh, far below what a socket takes in one message
/// (256 KiB), however long the lines and whatever they are written in.
pub const HISTORY_PAGE_BYTES: usize = 64 * 1024;

/// The first of `messages` (read one past a page's rows) that fit a page, and whether more
/// follow. At least one message, which always fits: a line has at most `MAX_CHAT_CHARS`.
fn history_page(mut messages: Vec<ChatMessage>) -> (Vec<ChatMessage>, bool) {
    let mut bytes = 0;
    let fit = messages
        .iter()
        .take(HISTORY_PAGE_ROWS)
        .position(|m| {
            bytes += crate::most_json_bytes(m);
            bytes > HISTORY_PAGE_BYTES
        })
        .unwrap_or(messages.len().min(HISTORY_PAGE_ROWS))
        .max(1);
    let more = messages.len() > fit;
    messages.truncate(fit);
    (messages, more)
}

/// The ICE servers and TURN credentials for a user (a session or a rep) at a time.
pub type IceServersFn = dyn Fn(&str, Millis) -> Vec<IceServer> + Send;

/// What only the runtime has: the relay's secret and a source of randomness.
pub struct Secrets {
    pub ice_servers: Box<IceServersFn>,
    /// A new unguessable token, for a customer's session.
    pub new_token: Box<dyn FnMut() -> String + Send>,
}

/// What happens to the core, each at a time the driver is told.
#[derive(Debug)]
pub enum Input {
    /// A connection opened; `rep` is the signed-in rep whose cookie it carried.
    Open {
        conn: ConnId,
        rep: Option<RepAccount>,
    },
    Frame {
        conn: ConnId,
        frame: ClientFrame,
    },
    Closed {
        conn: ConnId,
    },
    /// A rep was disabled: their connections are closed.
    RepDisabled(RepId),
    RepRenamed {
        rep: RepId,
        name: String,
    },
    RepPhoto {
        rep: RepId,
        photo: Option<String>,
    },
    /// The customer's page holding `token` went away (its leaving beacon). `page` is the
    /// number the page gave in its `hello`, if the beacon named it.
    Leave {
        token: String,
        embedded: bool,
        page: Option<u64>,
    },
    UploadProgress {
        file: FileId,
        received: u64,
    },
    UploadFailed {
        file: FileId,
        reason: Reason,
    },
    /// The media relay began or ended a recording: stored, then told to both sides.
    Recording(Recording),
    /// The media relay's signaling for the page of `to`.
    MediaSignal {
        session: SessionId,
        to: Party,
        signal: Signal,
    },
}

/// What the driver's caller is to do, polled after each input.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Close this connection.
    Close(ConnId),
    /// Send a message to these connections.
    Send(Outgoing),
    /// For the media relay.
    Media(MediaOrder),
    /// Call [`Driver::handle_timeout`] at this time. Always the last output: stop polling.
    Timeout(Millis),
}

/// The core with its journal.
pub struct Driver<J> {
    core: Core,
    journal: J,
    secrets: Secrets,
    closing: VecDeque<ConnId>,
}

impl<J: Journal> Driver<J> {
    pub fn new(core: Core, journal: J, secrets: Secrets) -> Self {
        Driver {
            core,
            journal,
            secrets,
            closing: VecDeque::new(),
        }
    }

    pub fn journal(&mut self) -> &mut J {
        &mut self.journal
    }

    pub fn core(&self) -> &Core {
        &self.core
    }

    /// Starts over from what the journal holds, after a batch it could not keep: nothing
    /// decided since is sent.
    pub fn restart(&mut self, core: Core) {
        self.core = core;
        self.closing.clear();
    }

    pub fn handle_input(&mut self, now: Millis, input: Input) {
        let core = &mut self.core;
        match input {
            Input::Open { conn, rep } => core.open(conn, rep),
            Input::Frame { conn, frame } => self.handle_frame(now, conn, frame),
            Input::Closed { conn } => core.close(conn, now),
            Input::RepDisabled(rep) => {
                for conn in core.rep_connections(rep) {
                    core.close(conn, now);
                    self.closing.push_back(conn);
                }
            }
            Input::RepRenamed { rep, name } => core.rename_rep(rep, &name),
            Input::RepPhoto { rep, photo } => core.set_rep_photo(rep, photo),
            Input::Leave {
                token,
                embedded,
                page,
            } => core.leave(now, &token, embedded, page),
            Input::UploadProgress { file, received } => core.upload_progress(file, received),
            Input::UploadFailed { file, reason } => core.upload_failed(file, reason),
            Input::MediaSignal {
                session,
                to,
                signal,
            } => core.relay_from_server(session, to, signal),
            Input::Recording(recording) => {
                let change = Change::Recording(recording);
                // Not stored: the segments stay unreadable, and nobody is told of a recording.
                if self.record(&change).is_ok() {
                    self.core.apply_change(None, change, None);
                }
            }
        }
    }

    /// An admin's change: whether it was recorded.
    pub fn admin(&mut self, action: AdminAction) -> Result<(), Refusal> {
        let change = self.core.decide_admin(action)?;
        self.record(&change)?;
        self.core.apply_change(None, change, None);
        Ok(())
    }

    /// The session's customer, holding `token`, starts uploading accepted file `file`. Nothing
    /// is recorded: a permit from a batch that is lost only makes the upload fail later.
    pub fn begin_upload(&mut self, file: FileId, token: &str) -> Result<UploadPermit, Refusal> {
        self.core.begin_upload(file, token)
    }

    /// The upload is on disk with this checksum: records its chat line, which tells both sides.
    pub fn upload_done(
        &mut self,
        now: Millis,
        file: FileId,
        sha256: String,
    ) -> Result<(), Refusal> {
        let change = self.core.decide_file_stored(now, file, sha256)?;
        if let Err(refusal) = self.record(&change) {
            self.core.upload_failed(file, Reason::NotStored);
            return Err(refusal);
        }
        self.core.apply_change(None, change, None);
        Ok(())
    }

    /// The time-driven work due by `now`, if any: hold messages, orphaned customers, customers
    /// who left, sides not back within the resume window, and telling waiting customers that
    /// they moved.
    pub fn handle_timeout(&mut self, now: Millis) {
        if self.core.timeout() > now {
            return;
        }
        for change in self.core.tick(now) {
            // The session stays; the tick after the next wake tries again.
            if self.record(&change).is_ok() {
                self.core.apply_change(None, change, None);
            }
        }
    }

    /// Deletes the recordings whose retention ran out by `now` (the admin's days; none when
    /// that is 0): each deletion is recorded, and the names of those deleted are returned, for
    /// the runtime to remove their segments.
    pub fn expire_recordings(&mut self, now: Millis) -> Vec<String> {
        let days = Millis::from(self.core.settings().recording_retention_days);
        if days == 0 {
            return Vec::new();
        }
        let expired = match self.journal.recordings_before(now - days * DAY_MS) {
            Ok(expired) => expired,
            Err(e) => {
                error!(error = %e, "reading the recordings to expire failed");
                return Vec::new();
            }
        };
        let mut deleted = Vec::new();
        for (session, recording) in expired {
            let change = Change::Recording(Recording::Deleted {
                session,
                recording: recording.clone(),
                at: now,
            });
            if self.record(&change).is_ok() {
                deleted.push(recording);
            }
        }
        deleted
    }

    /// The next thing to do; [`Output::Timeout`] comes last.
    pub fn poll_output(&mut self) -> Output {
        if let Some(conn) = self.closing.pop_front() {
            return Output::Close(conn);
        }
        if let Some(outgoing) = self.core.poll_output() {
            return Output::Send(outgoing);
        }
        match self.core.poll_media() {
            Some(order) => Output::Media(order),
            None => Output::Timeout(self.core.timeout()),
        }
    }

    /// Decides, records and applies one request, or answers it at once.
    fn handle_frame(
        &mut self,
        now: Millis,
        conn: ConnId,
        ClientFrame { id, request }: ClientFrame,
    ) {
        let verdict = self
            .core
            .decide(now, conn, request, &mut self.secrets.new_token);
        let decision = match verdict {
            Ok(Verdict::Act(decision)) => decision,
            Ok(Verdict::Ask(query)) => return self.answer_query(now, conn, id, query),
            Err(refusal) => return self.answer(conn, Err((id, refusal))),
        };
        let recorded = match &decision {
            Decision::Store { change, .. } => self.record(change),
            Decision::Share { session, step } => {
                let cause = ShareCause::Step(step);
                match self.core.share_record(*session, cause, now) {
                    Some(sharing) => self.store(&[Entry::Sharing(sharing)]),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        };
        if let Err(refusal) = recorded {
            return self.answer(conn, Err((id, refusal)));
        }
        self.core.apply(conn, id, decision);
    }

    /// Answers what only the driver knows: the journal's transcript, the runtime's secrets.
    fn answer_query(&mut self, now: Millis, conn: ConnId, id: u64, query: Query) {
        let answer = match query {
            Query::History { session, after_seq } => {
                match self
                    .journal
                    .transcript(session, after_seq, HISTORY_PAGE_ROWS + 1)
                {
                    Ok(messages) => {
                        let (messages, more) = history_page(messages);
                        Ok((id, Reply::History { messages, more }))
                    }
                    Err(e) => {
                        error!(conn, error = %e, "reading a transcript failed");
                        Err((id, internal("the history could not be read")))
                    }
                }
            }
            Query::IceServers { user } => {
                let servers = (self.secrets.ice_servers)(&user, now);
                Ok((id, Reply::IceServers { servers }))
            }
        };
        self.answer(conn, answer);
    }

    /// Records `change`, preceded by sharing's stop when it ends or hands over a session whose
    /// screen is shared, so that the audit log has the stop for every cause. Refused, with
    /// nothing stored, if it cannot be.
    fn record(&mut self, change: &Change) -> Result<(), Refusal> {
        let stop = match change {
            Change::Ended { session, at, .. } => {
                self.core
                    .share_record(*session, ShareCause::SessionChanged, *at)
            }
            Change::Transferred {
                session, message, ..
            } => self
                .core
                .share_record(*session, ShareCause::SessionChanged, message.at),
            _ => None,
        };
        match stop {
            Some(stop) => self.store(&[Entry::Sharing(stop), Entry::Change(change)]),
            None => self.store(&[Entry::Change(change)]),
        }
    }

    /// Stores `entries` together, or refuses with nothing stored.
    fn store(&mut self, entries: &[Entry<'_>]) -> Result<(), Refusal> {
        self.journal.record(entries).map_err(|e| {
            error!(error = %e, ?entries, "storing a change failed");
            internal("the server could not store this; nothing was changed, try again")
        })
    }

    fn answer(&mut self, conn: ConnId, answer: Result<(u64, Reply), (u64, Refusal)>) {
        let message = match answer {
            Ok((id, reply)) => ServerMessage::Ok { id, reply },
            Err((id, refusal)) => refusal.to_message(Some(id)),
        };
        self.core.answer_directly(conn, message);
    }
}

fn internal(message: &str) -> Refusal {
    Refusal::new(ErrorCode::Internal, message)
}
