//! The live session beyond plain chat: delivery receipts, nudges, pushed links, handing a
//! session to another rep, files, and the customer closing the page.

use protocol::site::{Problem, is_web_url};
use protocol::{
    ChatMessage, EndReason, ErrorCode, FileEvent, FileId, FileState, Handover, MAX_FILE_NAME_CHARS,
    MAX_NOTE_CHARS, MessageKind, Millis, NUDGE_COOLDOWN_MS, Party, Reason, RepId, RepOnline, Reply,
    ServerMessage, SessionId, StoredFile,
};

use super::{ConnId, Core, Decision, Refusal, Who, refuse, refuse_field, refuse_for, store};
use crate::Change;
use crate::token_hash;

/// How long a customer's page that went away has to come back (a reload) before its session
/// ends: short, because the rep is to see that the customer left within two seconds.
pub const LEAVE_GRACE_MS: Millis = 1_000;

/// The same for the chat embedded in another site's page: that page may be going on to another
/// page of its site, which opens the chat again once its own page has loaded.
pub const EMBEDDED_LEAVE_GRACE_MS: Millis = 15_000;

/// How many files a session may have offered and not yet stored.
const MAX_OPEN_FILES: usize = 4;

/// A session's files may total this many times the admin's per-file limit: room for a real
/// case's screenshots and logs, not for using the server as a file store.
pub const SESSION_QUOTA_FILES: u64 = 10;

/// A file between the customer's offer and its storage.
#[derive(Debug, Clone)]
pub(super) struct FileTransfer {
    pub(super) session: SessionId,
    name: String,
    size: u64,
    state: FileState,
}

/// What the upload handler may write: the session's file, of its announced size and no more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPermit {
    pub session: SessionId,
    pub size: u64,
}

impl Core {
    /// `received`: this side has shown the other side's messages up to `seq`.
    pub(super) fn decide_received(
        &self,
        who: &Who,
        session: SessionId,
        seq: u64,
    ) -> Result<Decision, Refusal> {
        let (s, by, _) = self.member(who, session)?;
        if seq > s.last_seq {
            return refuse(
                ErrorCode::InvalidInput,
                format!("session {session} has no message {seq} yet"),
            );
        }
        Ok(Decision::Received { session, by, seq })
    }

    pub(super) fn decide_nudge(
        &self,
        now: Millis,
        who: &Who,
        session: SessionId,
    ) -> Result<Decision, Refusal> {
        self.rep(who, "nudge a customer")?;
        let (s, _, name) = self.member(who, session)?;
        if let Some(last) = s.last_nudge {
            let left = NUDGE_COOLDOWN_MS - (now - last);
            if left > 0 {
                let secs = (left + 999) / 1000;
                return refuse_for(
                    ErrorCode::TooSoon,
                    Reason::NudgedRecently(secs as u32),
                    format!("the customer was just nudged; wait {secs} s before nudging again"),
                );
            }
        }
        Ok(store(Change::Chat(line(
            session,
            s.last_seq + 1,
            Party::Rep,
            name,
            MessageKind::Nudge,
            String::new(),
            now,
        ))))
    }

    pub(super) fn decide_link(
        &self,
        now: Millis,
        who: &Who,
        session: SessionId,
        url: &str,
    ) -> Result<Decision, Refusal> {
        self.rep(who, "send a link")?;
        let (s, _, name) = self.member(who, session)?;
        let url = url.trim();
        if !is_web_url(url) || url.chars().count() > protocol::site::MAX_URL_CHARS {
            return refuse_field(
                "url",
                Problem::NotAUrl,
                "the link must be a web address starting with http:// or https://",
            );
        }
        Ok(store(Change::Chat(line(
            session,
            s.last_seq + 1,
            Party::Rep,
            name,
            MessageKind::Link,
            url.to_owned(),
            now,
        ))))
    }

    pub(super) fn decide_transfer(
        &self,
        now: Millis,
        who: &Who,
        session: SessionId,
        to: RepId,
        note: &str,
    ) -> Result<Decision, Refusal> {
        let rep = self.rep(who, "hand a session over")?;
        let (s, _, _) = self.member(who, session)?;
        if to == rep.id {
            return refuse_for(
                ErrorCode::InvalidInput,
                Reason::YoursAlready,
                "the session is yours already",
            );
        }
        let Some(target) = self.signed_in_rep(to) else {
            return refuse_for(
                ErrorCode::InvalidInput,
                Reason::RepNotSignedIn,
                format!("rep {to} is not signed in; a session goes only to a rep who is"),
            );
        };
        let note = crate::clean_text(note);
        let note = note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            let problem = Problem::TooLong {
                max: MAX_NOTE_CHARS as u32,
            };
            let message = format!("the note is longer than {MAX_NOTE_CHARS} characters");
            return refuse_field("note", problem, message);
        }
        Ok(store(Change::Transferred {
            session,
            from: rep.id,
            from_name: rep.name.clone(),
            to,
            to_name: target.name.clone(),
            to_photo: target.photo.clone(),
            note: note.to_owned(),
            message: line(
                session,
                s.last_seq + 1,
                Party::Rep,
                target.name.clone(),
                MessageKind::Handover,
                target.name.clone(),
                now,
            ),
        }))
    }

    pub(super) fn decide_offer(
        &self,
        who: &Who,
        session: SessionId,
        name: &str,
        size: u64,
    ) -> Result<Decision, Refusal> {
        let (s, by, _) = self.member(who, session)?;
        if by != Party::Customer {
            return refuse(ErrorCode::Forbidden, "only the customer sends files");
        }
        if s.rep.is_none() {
            return refuse_for(
                ErrorCode::WrongState,
                Reason::NoRepYet,
                "no rep has joined the session yet",
            );
        }
        if size == 0 {
            return refuse_field("file", Problem::Empty, "the file is empty");
        }
        let limit = self.file_limit();
        if size > limit {
            let max_mb = self.settings.file_limit_mb;
            return refuse_for(
                ErrorCode::InvalidInput,
                Reason::FileTooLarge(max_mb),
                format!("the file is larger than the limit of {max_mb} MB"),
            );
        }
        let offered: u64 = self
            .files
            .values()
            .filter(|f| f.session == session)
            .map(|f| f.size)
            .sum();
        if s.stored_bytes + offered + size > SESSION_QUOTA_FILES * limit {
            let max_mb = SESSION_QUOTA_FILES * u64::from(self.settings.file_limit_mb);
            return refuse_for(
                ErrorCode::InvalidInput,
                Reason::SessionFull(max_mb),
                format!("this session's files may total at most {max_mb} MB"),
            );
        }
        let open = self.files.values().filter(|f| f.session == session).count();
        if open >= MAX_OPEN_FILES {
            return refuse_for(
                ErrorCode::TooSoon,
                Reason::FilesWaiting,
                "wait until the files already offered are answered",
            );
        }
        Ok(Decision::OfferFile {
            session,
            name: clean_file_name(name),
            size,
        })
    }

    pub(super) fn decide_answer(
        &self,
        who: &Who,
        session: SessionId,
        file: FileId,
        accept: bool,
    ) -> Result<Decision, Refusal> {
        self.rep(who, "answer a file")?;
        self.member(who, session)?;
        match self.files.get(&file) {
            Some(f) if f.session == session && f.state == FileState::Offered => {
                Ok(Decision::AnswerFile { file, accept })
            }
            Some(f) if f.session == session => refuse_for(
                ErrorCode::WrongState,
                Reason::AnsweredAlready,
                "this file was answered already",
            ),
            _ => refuse(
                ErrorCode::NoSuchFile,
                format!("no file {file} is offered in session {session}"),
            ),
        }
    }

    /// Tells the session that `by` has shown the other side's messages up to `seq`.
    pub(super) fn apply_received(&mut self, session: SessionId, by: Party, seq: u64) {
        let s = self.sessions.get_mut(&session).expect("checked in decide");
        let shown = match by {
            Party::Customer => &mut s.received.0,
            Party::Rep => &mut s.received.1,
        };
        if seq <= *shown {
            return;
        }
        *shown = seq;
        self.send_to_session(session, ServerMessage::Received { session, by, seq });
    }

    pub(super) fn apply_offer(
        &mut self,
        conn: ConnId,
        id: u64,
        session: SessionId,
        name: String,
        size: u64,
    ) {
        let file = self.next_file;
        self.next_file = self.next_file.next();
        let transfer = FileTransfer {
            session,
            name,
            size,
            state: FileState::Offered,
        };
        self.files.insert(file, transfer);
        self.reply(conn, id, Reply::FileOffered { file });
        self.send_file_event(file);
    }

    pub(super) fn apply_answer(&mut self, file: FileId, accept: bool) {
        let Some(f) = self.files.get_mut(&file) else {
            return;
        };
        f.state = if accept {
            FileState::Accepted
        } else {
            FileState::Declined
        };
        self.send_file_event(file);
        if !accept {
            self.files.remove(&file);
        }
    }

    /// The session's customer, holding `token`, starts uploading accepted file `file`.
    pub(crate) fn begin_upload(
        &mut self,
        file: FileId,
        token: &str,
    ) -> Result<UploadPermit, Refusal> {
        let session = self.tokens.get(&token_hash(token)).copied();
        let Some(f) = self.files.get_mut(&file) else {
            return refuse(ErrorCode::NoSuchFile, format!("no file {file} is waiting"));
        };
        if Some(f.session) != session {
            return refuse(ErrorCode::Forbidden, "this file belongs to another session");
        }
        if f.state != FileState::Accepted {
            return refuse_for(
                ErrorCode::WrongState,
                Reason::FileNotAccepted,
                "the rep has not accepted this file, or it is being uploaded",
            );
        }
        f.state = FileState::Uploading { received: 0 };
        let permit = UploadPermit {
            session: f.session,
            size: f.size,
        };
        self.send_file_event(file);
        Ok(permit)
    }

    /// An upload has received `received` bytes.
    pub(crate) fn upload_progress(&mut self, file: FileId, received: u64) {
        if let Some(f) = self.files.get_mut(&file) {
            f.state = FileState::Uploading { received };
            self.send_file_event(file);
        }
    }

    /// The upload is complete and on disk: the chat line that stores it, if the session is
    /// still on.
    pub(crate) fn decide_file_stored(
        &self,
        now: Millis,
        file: FileId,
        sha256: String,
    ) -> Result<Change, Refusal> {
        let Some(f) = self.files.get(&file) else {
            let ended = Reason::SessionEnded;
            return refuse_for(ErrorCode::NoSuchSession, ended, "the session has ended");
        };
        let Some(s) = self.sessions.get(&f.session) else {
            let ended = Reason::SessionEnded;
            return refuse_for(ErrorCode::NoSuchSession, ended, "the session has ended");
        };
        let mut message = line(
            f.session,
            s.last_seq + 1,
            Party::Customer,
            s.new.name.clone(),
            MessageKind::File,
            f.name.clone(),
            now,
        );
        message.file = Some(StoredFile {
            file,
            size: f.size,
            sha256,
        });
        Ok(Change::Chat(message))
    }

    /// The upload failed: both sides hear why, and the file is forgotten.
    pub(crate) fn upload_failed(&mut self, file: FileId, reason: Reason) {
        if let Some(f) = self.files.get_mut(&file) {
            f.state = FileState::Failed {
                reason: Some(reason),
            };
            self.send_file_event(file);
            self.files.remove(&file);
        }
    }

    /// A stored file's line went out: its transfer is done.
    pub(super) fn file_stored(&mut self, file: FileId) {
        if let Some(f) = self.files.get_mut(&file) {
            f.state = FileState::Stored;
            let (session, size) = (f.session, f.size);
            if let Some(s) = self.sessions.get_mut(&session) {
                s.stored_bytes += size;
            }
            self.send_file_event(file);
            self.files.remove(&file);
        }
    }

    fn send_file_event(&mut self, file: FileId) {
        let f = &self.files[&file];
        let event = FileEvent {
            session: f.session,
            file,
            name: f.name.clone(),
            size: f.size,
            state: f.state.clone(),
        };
        self.send_to_session(f.session, ServerMessage::File(event));
    }

    /// The largest file the site takes, in bytes.
    fn file_limit(&self) -> u64 {
        u64::from(self.settings.file_limit_mb) * 1024 * 1024
    }

    /// The customer's page holding `token` went away (its leaving beacon): its session ends
    /// after a grace ([`LEAVE_GRACE_MS`], or [`EMBEDDED_LEAVE_GRACE_MS`] for a chat inside
    /// another site's page) unless a page comes back. Ignored when it names its `page` and
    /// another page holds the session now.
    pub(super) fn leave(&mut self, now: Millis, token: &str, embedded: bool, page: Option<u64>) {
        let Some(s) = self
            .tokens
            .get(&token_hash(token))
            .and_then(|session| self.sessions.get_mut(session))
        else {
            return;
        };
        // Late: another page (a reload, the host site's next page) has taken the session up.
        let pages = &self.pages;
        let taken_up = page.is_some_and(|gone| {
            s.customer_conns
                .iter()
                .any(|conn| pages.get(conn).is_some_and(|&page| page != gone))
        });
        if !taken_up {
            let grace = if embedded {
                EMBEDDED_LEAVE_GRACE_MS
            } else {
                LEAVE_GRACE_MS
            };
            let at = *s.leaves_at.get_or_insert(now + grace);
            self.wake_by(at);
        }
    }

    /// Sessions whose customer left and did not come back: to end now.
    pub(super) fn left(&self, now: Millis) -> Vec<Change> {
        let mut left: Vec<_> = self
            .sessions
            .values()
            .filter(|s| s.leaves_at.is_some_and(|at| now >= at))
            .map(|s| s.new.id)
            .collect();
        left.sort_unstable();
        left.into_iter()
            .map(|session| Change::Ended {
                session,
                by: Some(Party::Customer),
                reason: EndReason::Ended,
                at: now,
            })
            .collect()
    }

    /// Hands the session over: the old rep's console lets it go, the new rep and the
    /// customer see who serves it now.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply_transfer(
        &mut self,
        session: SessionId,
        from: RepId,
        from_name: String,
        to: RepId,
        to_name: String,
        to_photo: Option<String>,
        note: String,
    ) {
        let Some(s) = self.sessions.get_mut(&session) else {
            return;
        };
        s.rep = Some((to, to_name.clone()));
        s.rep_photo = to_photo;
        s.handover = Some(Handover { from_name, note });
        let away = ServerMessage::TransferredAway { session, to_name };
        let from_conns = self.rep_conns.get(&from).cloned().unwrap_or_default();
        self.send(from_conns, away);
        let s = &self.sessions[&session];
        let for_rep = s.info().expect("a rep serves it");
        let customer_conns = s.customer_conns.clone();
        let for_customer = customer_info(for_rep.clone());
        let to_conns = self.rep_conns.get(&to).cloned().unwrap_or_default();
        self.send(to_conns, ServerMessage::SessionStarted(for_rep));
        self.send(customer_conns, ServerMessage::SessionChanged(for_customer));
    }

    /// Every rep's consoles hear who is signed in now.
    pub(super) fn send_reps_to_reps(&mut self) {
        // Who is available changed, and with it every waiting customer's estimate.
        self.wake_now();
        let mut reps: Vec<RepOnline> = self
            .rep_conns
            .keys()
            .filter_map(|&rep| {
                self.signed_in_rep(rep).map(|account| RepOnline {
                    rep,
                    name: account.name.clone(),
                    available: !self.away.contains(&rep),
                })
            })
            .collect();
        // A desk of hundreds of reps with long names still fits one message: the list stops
        // at the bound, those available (the handover's candidates) first.
        reps.sort_by_key(|r| (!r.available, r.rep));
        let mut bytes = 0;
        reps.retain(|r| {
            bytes += crate::wire::most_rep_bytes(&r.name);
            bytes <= crate::MAX_LIST_BYTES
        });
        let to = self.rep_conns.values().flatten().copied().collect();
        self.send(to, ServerMessage::Reps { reps });
    }

    /// A signed-in rep's photo address, if they have one.
    pub(super) fn signed_in_photo(&self, rep: RepId) -> Option<String> {
        self.signed_in_rep(rep)
            .and_then(|account| account.photo.clone())
    }

    /// A rep changed their photo: new sessions show the new one.
    pub(crate) fn set_rep_photo(&mut self, rep: RepId, photo: Option<String>) {
        for conn in self.rep_conns.get(&rep).into_iter().flatten() {
            if let Some(Who::Rep(account)) = self.conns.get_mut(conn) {
                account.photo = photo.clone();
            }
        }
    }

    /// A rep changed their display name: their consoles, the other reps and the customers they
    /// serve see it at once; their next messages carry it.
    pub(crate) fn rename_rep(&mut self, rep: RepId, name: &str) {
        for conn in self.rep_conns.get(&rep).into_iter().flatten() {
            if let Some(Who::Rep(account)) = self.conns.get_mut(conn) {
                account.name = name.to_owned();
            }
        }
        let served: Vec<SessionId> = self
            .sessions
            .values_mut()
            .filter(|s| s.rep.as_ref().is_some_and(|(id, _)| *id == rep))
            .map(|s| {
                s.rep = Some((rep, name.to_owned()));
                s.new.id
            })
            .collect();
        for session in served {
            let s = &self.sessions[&session];
            let info = s.info().expect("a rep serves it");
            let customers = s.customer_conns.clone();
            self.send(
                customers,
                ServerMessage::SessionChanged(customer_info(info)),
            );
        }
        self.send_reps_to_reps();
    }

    /// A signed-in rep's account, from one of their connections.
    fn signed_in_rep(&self, rep: RepId) -> Option<&crate::RepAccount> {
        let conn = self.rep_conns.get(&rep)?.first()?;
        match self.conns.get(conn) {
            Some(Who::Rep(account)) => Some(account),
            _ => None,
        }
    }
}

/// What the customer may see of a session: not the reps' handover note.
pub(super) fn customer_info(mut info: protocol::SessionInfo) -> protocol::SessionInfo {
    info.handover = None;
    info
}

fn line(
    session: SessionId,
    seq: u64,
    from: Party,
    name: String,
    kind: MessageKind,
    text: String,
    at: Millis,
) -> ChatMessage {
    ChatMessage {
        session,
        seq,
        from,
        name,
        text,
        at,
        kind,
        file: None,
    }
}

/// A file name safe to keep: no folders, no control characters or characters that reorder
/// text, no leading dots, not too long, never empty. Anything else stays as the customer named
/// it; pages show it as text.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned = crate::clean_name(base);
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let cleaned: String = cleaned.chars().take(MAX_FILE_NAME_CHARS).collect();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}
