//! What the core decides and the store records: the changes to the session log, sharing's
//! audit events, and the records the core is given back after a restart.

use protocol::{ChatMessage, Consent, EndReason, Lang, Millis, Notice, NoticeId, Party, RepId};
use protocol::{SessionId, Settings};

/// A rep as the rest of the server sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepAccount {
    pub id: RepId,
    pub login: String,
    pub name: String,
    pub admin: bool,
    /// The address of their photo, if they uploaded one.
    pub photo: Option<String>,
}

/// A customer entering the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub id: SessionId,
    pub token_hash: [u8; 32],
    pub name: String,
    pub problem: String,
    pub queued_at: Millis,
    pub lang: Lang,
    pub recording: Option<Consent>,
    /// The rep whose session key the customer gave: only that rep serves them.
    pub for_rep: Option<RepId>,
    /// That key, used up by this session.
    pub key: Option<String>,
}

/// A rep's one-time key that routes a customer to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKey {
    pub key: String,
    pub rep: RepId,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// What the journal keeps, in order: a change to the session log, or sharing's start or stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'a> {
    Change(&'a Change),
    Sharing(Sharing),
}

/// Screen sharing started (the customer agreed) or stopped: kept in the audit log only, as
/// sharing itself lives no longer than the connections that carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sharing {
    pub session: SessionId,
    pub started: bool,
    /// None when it stopped with the session's end or its handover.
    pub by: Option<Party>,
    pub at: Millis,
}

/// A durable change to the session log, decided by the core and stored before it takes effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Queued(NewSession),
    Accepted {
        session: SessionId,
        rep: RepId,
        rep_name: String,
        at: Millis,
    },
    /// A chat line of any kind; a file line's file is stored with it.
    Chat(ChatMessage),
    /// A chat message the page may send again after a lost connection: stored once per
    /// session and `nonce`.
    ChatOnce {
        message: ChatMessage,
        nonce: u64,
    },
    /// The session passes to another rep; `message` is the handover line.
    Transferred {
        session: SessionId,
        from: RepId,
        from_name: String,
        to: RepId,
        to_name: String,
        to_photo: Option<String>,
        note: String,
        message: ChatMessage,
    },
    Ended {
        session: SessionId,
        /// None when the server ended it (an orphaned customer).
        by: Option<Party>,
        reason: EndReason,
        at: Millis,
    },
    Survey {
        session: SessionId,
        rating: u8,
        resolved: bool,
        comment: String,
        at: Millis,
    },
    KeyIssued(SessionKey),
    /// Boxed: the settings weigh more than every other change together.
    Settings(Box<Settings>),
    /// A new notice or a changed one.
    NoticeSaved(Notice),
    NoticeDeleted(NoticeId),
    /// The media relay began or ended a recording of the session's shared screen.
    Recording(Recording),
}

/// A recording of a shared screen, as the media relay reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recording {
    /// Stored before any of its segments: without the key they are noise.
    Started {
        session: SessionId,
        /// The recording's name, also its folder's.
        recording: String,
        /// Its key, wrapped by the server's master key.
        wrapped_key: Vec<u8>,
        at: Millis,
    },
    Stopped {
        session: SessionId,
        recording: String,
        at: Millis,
        /// From its first frame to its last.
        duration_ms: u64,
        segments: u32,
    },
    /// An admin played it: kept in the audit log only.
    Viewed {
        session: SessionId,
        recording: String,
        by: RepId,
        at: Millis,
    },
    /// Its retention ran out: its wrapped key is deleted, which destroys it, and then its
    /// segments.
    Deleted {
        session: SessionId,
        recording: String,
        at: Millis,
    },
}

/// A session that had not ended when the server stopped, as the core needs it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub session: NewSession,
    /// The rep serving it, if one had accepted it.
    pub rep: Option<(RepId, String)>,
    /// That rep's photo address.
    pub rep_photo: Option<String>,
    pub last_seq: u64,
    /// The nonces of its messages that had one, with their seq and time.
    pub nonces: Vec<(u64, u64, Millis)>,
    /// The bytes of its stored files.
    pub stored_bytes: u64,
}
