//! The wire protocol: every message the browser clients and the signaling server exchange.
//!
//! Messages travel as JSON text frames over one WebSocket per page. The client sends
//! [`ClientFrame`]s, each a [`Request`] with an id; the server answers each with
//! [`ServerMessage::Ok`] or [`ServerMessage::Err`] carrying that id, and pushes events
//! ([`ServerMessage`]'s other variants) as things happen. The rep's sign-in goes over HTTP with
//! the bodies in [`api`]. Nothing else is serialized between the two sides. This crate depends on
//! serde and serde_json only, so both the server and the wasm app use it.

pub mod api;
mod decode;
mod ids;
pub mod site;

pub use decode::{DecodeError, decode_client_frame};
pub use ids::{FileId, NoticeId, RepId, SessionId};
use serde::{Deserialize, Serialize};
pub use site::{Lang, Notice, Settings};

/// The protocol version spoken by this build; sent in [`Request::Hello`].
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest text frame the server reads; longer ones are refused with
/// [`ErrorCode::FrameTooLarge`].
pub const MAX_FRAME_BYTES: usize = 16 * 1024;

/// The longest chat message, in characters.
pub const MAX_CHAT_CHARS: usize = 4000;

/// The longest customer name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// The longest problem description, in characters.
pub const MAX_PROBLEM_CHARS: usize = 1000;

/// The longest survey comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// The longest note a rep hands over with a transferred session, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// The longest file name kept, in characters; longer ones are shortened.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// How long after a nudge the server refuses another in the same session.
pub const NUDGE_COOLDOWN_MS: Millis = 5_000;

/// The path of the WebSocket endpoint.
pub const WS_PATH: &str = "/ws";

/// Milliseconds since the Unix epoch (wasm32 has no `Instant`, so times are plain numbers).
pub type Millis = i64;

/// A client's request with the id its reply will carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientFrame {
    pub id: u64,
    pub request: Request,
}

/// What a client asks of the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// Must come first on every connection. A customer who already has a session passes its
    /// token to take it up again (after a reload). The rep console sets `rep`: the connection
    /// then acts for the rep its sign-in cookie names, and is refused without one. A customer's
    /// page never sets it, so a rep's cookie gives it no rep powers.
    Hello {
        version: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        #[serde(default, skip_serializing_if = "is_false")]
        rep: bool,
        /// A number the customer's page picks once per load and names again in its leaving
        /// beacon, so that a beacon arriving after a newer page took the session up is ignored.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page: Option<u64>,
    },
    /// Customer: enter the queue, having accepted the agreement. `recording` is the answer to
    /// the recording prompt, when the site asks it; `key` a rep's session key, which puts the
    /// customer in that rep's own queue.
    StartChat {
        name: String,
        problem: String,
        #[serde(default)]
        lang: Lang,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recording: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
    },
    /// Rep: take a waiting customer.
    Accept { session: SessionId },
    /// Either side: a chat message in a session the sender belongs to. `nonce`, a number the
    /// page picks for this message, makes sending it again after a lost connection safe: the
    /// server stores a session's message with a given nonce once, and answers a repeat with
    /// the first one's `stored`.
    SendChat {
        session: SessionId,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nonce: Option<u64>,
    },
    /// Either side: the stored chat messages of a session after `after_seq`.
    History { session: SessionId, after_seq: u64 },
    /// Either side: end the session. A customer leaving because of a notice says so, and is
    /// not asked for a survey.
    EndSession {
        session: SessionId,
        #[serde(default, skip_serializing_if = "is_false")]
        after_notice: bool,
    },
    /// Customer, after a served session: the exit survey. `token` is the ended session's.
    Survey {
        session: SessionId,
        token: String,
        /// 1 to 5.
        rating: u8,
        resolved: bool,
        comment: String,
    },
    /// Rep: a one-time session key that routes a customer to this rep.
    CreateKey,
    /// Rep: available for customers, or away.
    SetPresence { available: bool },
    /// Rep: send an active notice to a waiting customer.
    SendNotice {
        session: SessionId,
        notice: NoticeId,
    },
    /// Either side: the messages of the other side up to `seq` are shown on this page.
    Received { session: SessionId, seq: u64 },
    /// Rep: draw the customer's attention (focus, shake, sound). Refused within
    /// [`NUDGE_COOLDOWN_MS`] of the last one.
    Nudge { session: SessionId },
    /// Rep: a web address (http or https) the customer can open.
    SendLink { session: SessionId, url: String },
    /// Rep: hand the session to another signed-in rep, with a note for them.
    Transfer {
        session: SessionId,
        to: RepId,
        note: String,
    },
    /// Customer: ask the rep to take a file. If the rep accepts, the page uploads it over HTTP
    /// (`PUT /api/files/{file}`); `size` is in bytes.
    OfferFile {
        session: SessionId,
        name: String,
        size: u64,
    },
    /// Rep: take or decline a file the customer offered.
    AnswerFile {
        session: SessionId,
        file: FileId,
        accept: bool,
    },
    /// Rep: ask the customer to share their screen. Refused while a request is pending or a
    /// share is on.
    RequestShare { session: SessionId, mode: ShareMode },
    /// Customer: consent to the pending request, decline it, or say that the browser could not
    /// capture the screen.
    AnswerShare {
        session: SessionId,
        answer: ShareAnswer,
    },
    /// Either side, while a share is on: WebRTC signaling for the other side of the session.
    Signal { session: SessionId, signal: Signal },
    /// Either side: end the share. The consent is gone; sharing again needs a new request.
    StopShare { session: SessionId },
    /// Either side: the STUN and TURN servers to use, with fresh TURN credentials.
    IceServers,
}

impl Request {
    /// A customer page's handshake, with the session token if it has one.
    pub fn customer_hello(token: Option<String>) -> Request {
        Request::Hello {
            version: PROTOCOL_VERSION,
            token,
            rep: false,
            page: None,
        }
    }

    /// The handshake of the customer's page numbered `page` (see [`Request::Hello`]).
    pub fn customer_hello_from(page: u64, token: Option<String>) -> Request {
        Request::Hello {
            version: PROTOCOL_VERSION,
            token,
            rep: false,
            page: Some(page),
        }
    }

    /// The rep console's handshake.
    pub fn rep_hello() -> Request {
        Request::Hello {
            version: PROTOCOL_VERSION,
            token: None,
            rep: true,
            page: None,
        }
    }

    /// The `type` tag of every request, for telling an unknown type from a malformed one.
    pub const TYPES: &'static [&'static str] = &[
        "hello",
        "start_chat",
        "accept",
        "send_chat",
        "history",
        "end_session",
        "survey",
        "create_key",
        "set_presence",
        "send_notice",
        "received",
        "nudge",
        "send_link",
        "transfer",
        "offer_file",
        "answer_file",
        "request_share",
        "answer_share",
        "signal",
        "stop_share",
        "ice_servers",
    ];
}

/// What the server sends: replies to requests, and events. On the wire each is an object with
/// one key, its kind (`{"chat": {…}}`): externally tagged, which a page reads straight through,
/// where a `"type"` field among the others (internally tagged) would make serde buffer every
/// message first and cost the wasm app some 14 KB compressed. The enums inside (identities,
/// sharing and file states, signals) are externally tagged for the same reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerMessage {
    /// The request with this id succeeded.
    Ok { id: u64, reply: Reply },
    /// A request failed; `id` is absent when the frame was too broken to carry one.
    Err {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        code: ErrorCode,
        /// What exactly was refused, for the page to word in its language, where `code` alone
        /// does not say.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Reason>,
        /// A detail in English for developers (logs, the browser's console); pages never show it.
        message: String,
    },
    /// Customer: the queue moved, or the estimate changed. `wait_secs` is the estimated wait.
    QueuePosition {
        session: SessionId,
        position: u32,
        wait_secs: u32,
    },
    /// Customer: the settings and the automatic notices; sent after `hello` and on every change.
    Site {
        /// Boxed: the settings are large and this message rare.
        settings: Box<Settings>,
        notices: Vec<Notice>,
    },
    /// Customer: the periodic hold message while waiting (words from [`site::Texts::hold`]).
    Hold {
        session: SessionId,
        position: u32,
        wait_secs: u32,
        at: Millis,
    },
    /// Customer: a rep sent this notice.
    Notice { session: SessionId, notice: Notice },
    /// Customer: no rep is available. `queued` says whether the session is still waiting; if
    /// not, `session_ended` follows.
    Orphaned { session: SessionId, queued: bool },
    /// Either side: the other side's connection dropped (`online: false`; it has the resume
    /// window to come back) or came back.
    PeerLink {
        session: SessionId,
        party: Party,
        online: bool,
    },
    /// Rep: the first waiting customers in order (at most a couple of hundred), and how many
    /// wait in all in the lines this rep sees. Sent whole on every change.
    Queue {
        entries: Vec<QueueEntry>,
        #[serde(default)]
        waiting: u32,
    },
    /// Both sides: a rep took the session (also sent again when a customer's page reconnects).
    SessionStarted(SessionInfo),
    /// Customer: the session changed hands or its rep their name or photo. The transcript is
    /// as it was (a handover's line comes as `chat`), so nothing needs reading again.
    SessionChanged(SessionInfo),
    /// Rep: every session this rep is serving, sent after `hello` in parts of bounded size:
    /// `more` until the last. A session the console shows that none of the parts lists ended
    /// while it was away.
    RepSessions {
        sessions: Vec<SessionInfo>,
        #[serde(default, skip_serializing_if = "is_false")]
        more: bool,
    },
    /// Both sides: a chat message, after it was stored.
    Chat(ChatMessage),
    /// Both sides: the other side has shown the messages up to `seq` (delivered).
    Received {
        session: SessionId,
        by: Party,
        seq: u64,
    },
    /// Rep: the reps signed in now, for handing a session over. Sent on every change.
    Reps { reps: Vec<RepOnline> },
    /// Rep: this session was handed to another rep and is no longer this rep's.
    TransferredAway { session: SessionId, to_name: String },
    /// Both sides: where a file transfer stands.
    File(FileEvent),
    /// Both sides: where screen sharing stands in a session.
    Share {
        session: SessionId,
        state: ShareState,
    },
    /// The other side's WebRTC signaling.
    Signal {
        session: SessionId,
        from: Party,
        signal: Signal,
    },
    /// Both sides: the session ended; `by` is absent when the server ended it. A customer who
    /// closed the page ended it with `by: customer`. `survey` tells
    /// the customer's page to ask for the exit survey.
    SessionEnded {
        session: SessionId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Party>,
        reason: EndReason,
        #[serde(default, skip_serializing_if = "is_false")]
        survey: bool,
    },
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// A side ended it ("End session", or the customer closed the page).
    Ended,
    /// The customer left from a notice.
    Notice,
    /// No rep was available and the site does not keep orphaned customers waiting.
    Orphaned,
    /// A side's connection dropped and did not come back within the resume window.
    Lost,
}

/// The successful answer to a request; externally tagged as [`ServerMessage`] is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// To `hello`: who the server takes this connection to be.
    Welcome { version: u32, me: Identity },
    /// To `start_chat`: the customer's session and the token that proves it is theirs.
    Queued {
        session: SessionId,
        token: String,
        position: u32,
        wait_secs: u32,
        /// The stored answer to the recording prompt, for the customer's receipt.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recording: Option<Consent>,
    },
    /// To `create_key`.
    Key { key: String, expires_at: Millis },
    /// To `send_chat`: the message is stored under this sequence number.
    Stored { seq: u64, at: Millis },
    /// To `history`: the messages after `after_seq`, a page at a time; `more` says that
    /// another page follows the last of these.
    History {
        messages: Vec<ChatMessage>,
        #[serde(default, skip_serializing_if = "is_false")]
        more: bool,
    },
    /// To `offer_file`: the transfer's number, for the upload.
    FileOffered { file: FileId },
    /// To `ice_servers`.
    IceServers { servers: Vec<IceServer> },
    /// To `accept`, `end_session` and the other requests that return nothing.
    Done,
}

/// A customer's answer to the recording prompt, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub allowed: bool,
    pub at: Millis,
}

/// Who a connection speaks for, as the server sees it after `hello`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// A customer without a session yet.
    Visitor,
    /// A customer back in their session (the token matched).
    Customer {
        session: SessionId,
        name: String,
        state: SessionState,
    },
    /// A signed-in rep.
    Rep {
        rep: RepId,
        name: String,
        admin: bool,
    },
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    Waiting,
    Active,
    Ended,
}

/// The two sides of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Customer,
    Rep,
}

/// A waiting customer as the reps see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub session: SessionId,
    pub name: String,
    pub problem: String,
    pub queued_at: Millis,
    pub lang: Lang,
    /// Came with this rep's session key; only that rep sees the entry.
    #[serde(default, skip_serializing_if = "is_false")]
    pub by_key: bool,
}

/// A session that a rep has taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub session: SessionId,
    pub customer_name: String,
    pub problem: String,
    pub rep: RepId,
    pub rep_name: String,
    /// The address of the rep's photo, if they uploaded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep_photo: Option<String>,
    /// For the rep a session was handed to: who handed it over, and their note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<Handover>,
}

/// How a session came to its current rep from another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub from_name: String,
    pub note: String,
}

/// A signed-in rep, as other reps see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepOnline {
    pub rep: RepId,
    pub name: String,
    pub available: bool,
}

/// What the customer is asked to share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareMode {
    /// The whole screen is preferred; the customer can only stop.
    Unrestricted,
    /// The customer picks a window, tab or screen, and may change it while sharing.
    CustomerChooses,
}

/// The customer's answer to a request to share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareAnswer {
    Accept,
    Decline,
    /// The customer agreed, but the browser could not capture: no refusal.
    CouldNotCapture(CaptureFailure),
}

/// Why a browser could not capture the screen, from the error `getDisplayMedia` gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureFailure {
    /// Nothing that could be shared was found (`NotFoundError`).
    NothingToShare,
    /// The system or another program kept the screen from being read (`NotReadableError`).
    Blocked,
    /// This browser cannot share a screen (no `getDisplayMedia`, `NotSupportedError`).
    Unsupported,
    /// Any other failure (`AbortError`, `OverconstrainedError`, …).
    Other,
}

/// Screen sharing in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareState {
    /// The rep asked; the customer has not answered.
    Requested { mode: ShareMode, rep_name: String },
    /// The customer declined.
    Declined,
    /// The customer agreed, but their browser could not capture the screen.
    CouldNotStart { failure: CaptureFailure },
    /// The customer consented: their page captures and connects. `recorded` while the server
    /// records the shared screen (sent again when that starts).
    Active {
        mode: ShareMode,
        #[serde(default, skip_serializing_if = "is_false")]
        recorded: bool,
    },
    /// Sharing ended; `by` is absent when the session's end or a handover ended it.
    Stopped {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Party>,
    },
}

/// WebRTC signaling, relayed as the browsers wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    Offer {
        sdp: String,
    },
    Answer {
        sdp: String,
    },
    Candidate {
        candidate: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sdp_mid: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sdp_m_line_index: Option<u16>,
    },
}

/// A STUN or TURN server for `RTCPeerConnection`'s `iceServers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// A stored chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub session: SessionId,
    /// 1, 2, 3… within the session, in the order the server stored them.
    pub seq: u64,
    pub from: Party,
    pub name: String,
    /// What `kind` says: the message, the pushed address, the file's name, or for a handover
    /// the new rep's name; empty for a nudge.
    pub text: String,
    pub at: Millis,
    #[serde(default, skip_serializing_if = "MessageKind::is_text")]
    pub kind: MessageKind,
    /// A file message's file, stored and ready for the rep to download.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<StoredFile>,
}

/// What a chat line is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Words the sender wrote.
    #[default]
    Text,
    /// A web address the rep sent for the customer to open.
    Link,
    /// The rep nudged the customer.
    Nudge,
    /// The customer sent a file.
    File,
    /// The session passed to another rep, named in the text.
    Handover,
}

impl MessageKind {
    pub fn is_text(&self) -> bool {
        *self == MessageKind::Text
    }

    /// The name stored in the transcript.
    pub fn code(self) -> &'static str {
        match self {
            MessageKind::Text => "text",
            MessageKind::Link => "link",
            MessageKind::Nudge => "nudge",
            MessageKind::File => "file",
            MessageKind::Handover => "handover",
        }
    }

    pub fn from_code(code: &str) -> Option<MessageKind> {
        [
            MessageKind::Text,
            MessageKind::Link,
            MessageKind::Nudge,
            MessageKind::File,
            MessageKind::Handover,
        ]
        .into_iter()
        .find(|kind| kind.code() == code)
    }
}

/// A file on the server, as the chat shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    pub file: FileId,
    pub size: u64,
    /// SHA-256 of the content, in lowercase hex.
    pub sha256: String,
}

/// A file transfer's state, sent to both sides of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEvent {
    pub session: SessionId,
    pub file: FileId,
    /// The file's name as the server keeps it (cleaned of paths and control characters).
    pub name: String,
    pub size: u64,
    pub state: FileState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// The customer offered it; the rep has not answered.
    Offered,
    /// The rep accepted: the customer's page uploads it.
    Accepted,
    Declined,
    /// Bytes the server has received so far.
    Uploading {
        received: u64,
    },
    /// Stored; a `chat` message of kind `file` carries it.
    Stored,
    /// The upload did not complete; nothing was kept. Without a reason, the page lost its
    /// connection while sending.
    Failed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Reason>,
    },
}

/// Why a request failed. A closed set, so clients can react to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or not the shape of any request.
    BadFrame,
    /// A request `type` this server does not know.
    UnknownType,
    /// The frame is larger than [`MAX_FRAME_BYTES`].
    FrameTooLarge,
    /// The client speaks a protocol version this server does not.
    UnsupportedVersion,
    /// A request came before `hello`, or `hello` came twice.
    HandshakeRequired,
    /// The request is for reps and this connection has no signed-in rep.
    NotSignedIn,
    /// The sender may not do this (a customer acting as a rep, or outside its own session).
    Forbidden,
    /// No such session, or the token does not match one.
    NoSuchSession,
    /// No such notice (the admin's, or one a rep sends).
    NoSuchNotice,
    /// No such file is offered or waiting for its upload.
    NoSuchFile,
    /// The session has ended or is not in a state that allows this.
    WrongState,
    /// A field is empty or too long.
    InvalidInput,
    /// The connection sends faster than the server accepts; the request was not handled.
    RateLimited,
    /// Asked again too soon (a second nudge within the cool-down).
    TooSoon,
    /// The server could not complete the request; nothing was stored.
    Internal,
}

/// What exactly a request was refused for, beyond its [`ErrorCode`]: typed, as
/// [`site::Invalid`] is, so that each page words it in its own language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Externally tagged, serde's default, and numbers as newtype variants: a tag inside the object
// would make every page buffer the whole value before reading it, and each struct variant
// brings a reader of its own, code the wasm app pays for in size.
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A field is empty, too long or out of range: `name`, `problem`, `text`, `comment`,
    /// `rating`, `url`, `note` or `file`.
    Invalid(site::Invalid),
    /// The session key is unknown or has expired.
    UnknownKey,
    /// This page is in a session already.
    InSessionAlready,
    /// No rep has joined the session yet.
    NoRepYet,
    /// Another rep has taken this customer.
    TakenByAnother,
    /// The customer came with another rep's session key.
    AnotherRepsKey,
    /// The rep to hand the session to is not signed in.
    RepNotSignedIn,
    /// The session is this rep's already.
    YoursAlready,
    /// The customer was nudged a moment ago: again in this many seconds.
    NudgedRecently(u32),
    /// The files offered already must be answered first.
    FilesWaiting,
    /// The file is larger than the site takes, this many MB.
    FileTooLarge(u32),
    /// The session's files would pass what a session may store, this many MB.
    SessionFull(u64),
    /// The file was answered already.
    AnsweredAlready,
    /// The rep has not accepted the file, or it is being uploaded.
    FileNotAccepted,
    /// The session has ended.
    SessionEnded,
    /// A request to share waits for the customer's answer.
    ShareRequested,
    /// The screen is shared already.
    SharedAlready,
    /// Screen sharing is not on.
    NotSharing,
    /// No request to share is waiting.
    NoShareRequest,
    /// The upload ended before the whole file arrived.
    UploadBrokeOff,
    /// The upload brought more bytes than the file offered has.
    LargerThanOffered,
    /// The server could not store the file.
    NotStored,
    /// The site's texts and active notices together would pass what every page may be sent,
    /// this many KiB.
    SiteTooLarge(u32),
}

impl ServerMessage {
    /// The error reply for a request.
    pub fn err(id: Option<u64>, code: ErrorCode, message: impl Into<String>) -> Self {
        ServerMessage::Err {
            id,
            code,
            reason: None,
            message: message.into(),
        }
    }
}

fn is_false(value: &bool) -> bool {
    !value
}

#[cfg(test)]
mod golden;
