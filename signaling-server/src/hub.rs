//! The owner of the live state: one thread taking [`Command`]s from the connections.
//!
//! A thread rather than a task because it writes to SQLite synchronously: each change is
//! committed before the core applies it, in the order requests arrived, which is what makes a
//! reply mean "stored". A commit in WAL mode takes tens of microseconds, so one writer keeps up.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use protocol::{ClientFrame, ErrorCode, FileId, Millis, Party, Reply, ServerMessage, SessionId};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, error, warn};

use crate::auth;
use crate::core::{
    AdminAction, ConnId, Core, Decision, Output, Refusal, Restored, ShareStep, UploadPermit,
};
use crate::ice::IceConfig;
use crate::store::{self, Change, RepAccount, Store};

/// How many commands may wait for the hub before connections wait to send more.
const INBOX_LEN: usize = 4096;

/// How many messages may wait for one connection before it is dropped as too slow.
pub const OUTBOX_LEN: usize = 256;

/// What connections tell the hub.
#[derive(Debug)]
pub enum Command {
    Open {
        conn: ConnId,
        rep: Option<RepAccount>,
        outbox: mpsc::Sender<Utf8Bytes>,
    },
    Frame {
        conn: ConnId,
        frame: ClientFrame,
    },
    Closed {
        conn: ConnId,
    },
    /// An admin's change from the HTTP side; `done` hears whether it was stored.
    Admin {
        action: AdminAction,
        done: oneshot::Sender<Result<(), Refusal>>,
    },
    /// A rep was disabled: close their connections.
    RepDisabled(protocol::RepId),
    /// A rep changed their display name.
    RepRenamed {
        rep: protocol::RepId,
        name: String,
    },
    /// A rep changed their photo.
    RepPhoto {
        rep: protocol::RepId,
        photo: Option<String>,
    },
    /// The customer's page holding this token went away (its page-hide beacon).
    Leave {
        token: String,
        grace: protocol::Millis,
    },
    /// A customer's page starts uploading an accepted file.
    BeginUpload {
        file: FileId,
        token: String,
        done: oneshot::Sender<Result<UploadPermit, Refusal>>,
    },
    UploadProgress {
        file: FileId,
        received: u64,
    },
    /// The upload is on disk with this checksum; `done` hears whether its line was stored.
    UploadDone {
        file: FileId,
        sha256: String,
        done: oneshot::Sender<Result<(), Refusal>>,
    },
    UploadFailed {
        file: FileId,
        reason: String,
    },
    /// A second has passed: hold messages, orphaning, estimates.
    Tick,
}

/// How often the hub looks at the clock when nothing else happens.
const TICK: Duration = Duration::from_secs(1);

/// The sending side of the hub's inbox; cheap to clone.
#[derive(Debug, Clone)]
pub struct Hub {
    inbox: mpsc::Sender<Command>,
}

impl Hub {
    /// Restores the live state from `store` and starts the hub's thread, which ends when every
    /// [`Hub`] handle is dropped.
    pub fn start(
        store: Store,
        ice: IceConfig,
        resume_window: protocol::Millis,
    ) -> store::Result<(Hub, std::thread::JoinHandle<()>)> {
        let now = now_millis();
        let restored = Restored {
            next_session: store.next_session_id()?,
            live: store.live_sessions()?,
            settings: store.settings()?,
            notices: store.notices()?,
            next_notice: store.next_notice_id()?,
            keys: store.open_keys(now)?,
            handling_times: store.recent_handling_times(crate::core::ESTIMATE_SAMPLES as u32)?,
            next_file: store.next_file_id()?,
        };
        let mut core = Core::restore(now, restored);
        core.set_resume_window(resume_window);
        let (inbox, commands) = mpsc::channel(INBOX_LEN);
        start_ticker(inbox.downgrade());
        let thread = std::thread::Builder::new()
            .name("hub".into())
            .spawn(move || run(store, core, ice, commands))
            .expect("spawning the hub thread");
        Ok((Hub { inbox }, thread))
    }

    /// Hands `command` to the hub, waiting while its inbox is full. False once the hub is gone.
    pub async fn send(&self, command: Command) -> bool {
        self.inbox.send(command).await.is_ok()
    }
}

/// Sends [`Command::Tick`] every [`TICK`]. It holds only a weak handle, so it neither keeps
/// the hub alive nor outlives it.
fn start_ticker(inbox: mpsc::WeakSender<Command>) {
    std::thread::Builder::new()
        .name("hub-ticker".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                let Some(inbox) = inbox.upgrade() else { break };
                // A full inbox means the hub is busy and ticks after each command anyway.
                if let Err(mpsc::error::TrySendError::Closed(_)) = inbox.try_send(Command::Tick) {
                    break;
                }
            }
        })
        .expect("spawning the ticker thread");
}

pub fn now_millis() -> Millis {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    since_epoch.as_millis() as Millis
}

fn run(mut store: Store, mut core: Core, ice: IceConfig, mut commands: mpsc::Receiver<Command>) {
    let mut outboxes: HashMap<ConnId, mpsc::Sender<Utf8Bytes>> = HashMap::new();
    while let Some(command) = commands.blocking_recv() {
        let periodic = matches!(command, Command::Tick);
        match command {
            Command::Open { conn, rep, outbox } => {
                outboxes.insert(conn, outbox);
                core.open(conn, rep);
            }
            Command::Closed { conn } => {
                outboxes.remove(&conn);
                core.close(conn, now_millis());
            }
            Command::Frame { conn, frame } => {
                if let Some(answer) = handle_frame(&mut store, &mut core, &ice, conn, frame) {
                    send(&mut outboxes, &mut core, conn, encode(&answer));
                }
            }
            Command::Admin { action, done } => {
                let _ = done.send(handle_admin(&mut store, &mut core, action));
            }
            Command::RepDisabled(rep) => {
                for conn in core.rep_connections(rep) {
                    // Dropping the outbox closes the socket.
                    outboxes.remove(&conn);
                    core.close(conn, now_millis());
                }
            }
            Command::RepPhoto { rep, photo } => core.set_rep_photo(rep, photo),
            Command::RepRenamed { rep, name } => core.rename_rep(rep, &name),
            Command::Leave { token, grace } => core.leave(now_millis(), &token, grace),
            Command::BeginUpload { file, token, done } => {
                let _ = done.send(core.begin_upload(file, &token));
            }
            Command::UploadProgress { file, received } => core.upload_progress(file, received),
            Command::UploadDone { file, sha256, done } => {
                let _ = done.send(store_file(&mut store, &mut core, file, sha256));
            }
            Command::UploadFailed { file, reason } => core.upload_failed(file, reason),
            Command::Tick => {}
        }
        // Time-driven work once a second; at once when waiting customers moved.
        let moved = core.take_moved();
        if moved || periodic {
            tick(&mut store, &mut core);
        }
        deliver(&mut core, &mut outboxes);
    }
    debug!("hub stopped");
}

/// Runs the core's time-driven work and stores what it decides.
fn tick(store: &mut Store, core: &mut Core) {
    for change in core.tick(now_millis()) {
        match store.record(&change) {
            Ok(()) => core.apply_change(None, change, None),
            // The session stays queued; its customer was told nobody is available.
            Err(e) => error!(error = %e, ?change, "storing a timed change failed"),
        }
    }
}

/// Stores the line of an uploaded file, which tells both sides it is there.
fn store_file(
    store: &mut Store,
    core: &mut Core,
    file: FileId,
    sha256: String,
) -> Result<(), Refusal> {
    let change = core.decide_file_stored(now_millis(), file, sha256)?;
    if let Err(e) = store.record(&change) {
        error!(error = %e, ?change, "storing a file's line failed");
        core.upload_failed(file, "the server could not store the file".into());
        return Err(Refusal {
            code: ErrorCode::Internal,
            message: "the server could not store the file".into(),
        });
    }
    core.apply_change(None, change, None);
    Ok(())
}

fn handle_admin(store: &mut Store, core: &mut Core, action: AdminAction) -> Result<(), Refusal> {
    let change = core.decide_admin(action)?;
    if let Err(e) = store.record(&change) {
        error!(error = %e, ?change, "storing an admin change failed");
        return Err(Refusal {
            code: ErrorCode::Internal,
            message: "the server could not store this; nothing was changed".into(),
        });
    }
    core.apply_change(None, change, None);
    Ok(())
}

/// Decides, stores and applies one request. Returns the answer when it is not left to the core.
fn handle_frame(
    store: &mut Store,
    core: &mut Core,
    ice: &IceConfig,
    conn: ConnId,
    ClientFrame { id, request }: ClientFrame,
) -> Option<ServerMessage> {
    let decision = match core.decide(now_millis(), conn, request, auth::new_token) {
        Ok(decision) => decision,
        Err(refusal) => return Some(ServerMessage::err(Some(id), refusal.code, refusal.message)),
    };
    match &decision {
        Decision::Store { change, .. } => {
            if let Err(e) = store.record(change) {
                error!(conn, error = %e, ?change, "storing a change failed");
                return Some(ServerMessage::err(
                    Some(id),
                    ErrorCode::Internal,
                    "the server could not store this; nothing was changed, try again",
                ));
            }
        }
        Decision::ReadHistory { session, after_seq } => {
            return Some(match store.transcript(*session, *after_seq) {
                Ok(messages) => ServerMessage::Ok {
                    id,
                    reply: Reply::History { messages },
                },
                Err(e) => {
                    error!(conn, error = %e, "reading a transcript failed");
                    ServerMessage::err(
                        Some(id),
                        ErrorCode::Internal,
                        "the history could not be read",
                    )
                }
            });
        }
        Decision::Share { session, step } => {
            // Sharing's start and stop go into the audit log before anyone hears of them.
            if let Some(change) = share_event(*session, step, now_millis())
                && let Err(e) = store.record(&change)
            {
                error!(conn, error = %e, "logging a share event failed");
                return Some(ServerMessage::err(
                    Some(id),
                    ErrorCode::Internal,
                    "the server could not store this; nothing was changed, try again",
                ));
            }
        }
        Decision::Attach(_)
        | Decision::AlreadyStored { .. }
        | Decision::Presence { .. }
        | Decision::SendNotice { .. }
        | Decision::Received { .. }
        | Decision::OfferFile { .. }
        | Decision::AnswerFile { .. }
        | Decision::Signal { .. } => {}
        Decision::IceServers { user } => {
            let now_secs = (now_millis() / 1000) as u64;
            let servers = ice.servers(user, now_secs);
            return Some(ServerMessage::Ok {
                id,
                reply: Reply::IceServers { servers },
            });
        }
    }
    core.apply(conn, id, decision);
    None
}

/// The audit event of a sharing step: the customer's consent starts it, a stop ends it.
fn share_event(session: SessionId, step: &ShareStep, at: Millis) -> Option<Change> {
    let (started, by) = match step {
        ShareStep::Answer(true) => (true, Party::Customer),
        ShareStep::Stop(by) => (false, *by),
        ShareStep::Request(_) | ShareStep::Answer(false) => return None,
    };
    Some(Change::Sharing {
        session,
        started,
        by,
        at,
    })
}

fn deliver(core: &mut Core, outboxes: &mut HashMap<ConnId, mpsc::Sender<Utf8Bytes>>) {
    while let Some(Output { to, message }) = core.poll_output() {
        // Encoded once; each outbox gets a cheap clone of the same bytes.
        let text = encode(&message);
        for conn in to {
            send(outboxes, core, conn, text.clone());
        }
    }
}

/// A server message as a WebSocket text payload.
pub fn encode(message: &ServerMessage) -> Utf8Bytes {
    let text = serde_json::to_string(message).expect("server messages always serialize");
    text.into()
}

/// Queues `text` for `conn`; a connection whose outbox is full is dropped, so one slow
/// client cannot make the server hold an ever-growing backlog for it.
fn send(
    outboxes: &mut HashMap<ConnId, mpsc::Sender<Utf8Bytes>>,
    core: &mut Core,
    conn: ConnId,
    text: Utf8Bytes,
) {
    let Some(outbox) = outboxes.get(&conn) else {
        return;
    };
    if let Err(mpsc::error::TrySendError::Full(_)) = outbox.try_send(text) {
        warn!(conn, "connection too slow; closing it");
        // Dropping the sender tells the connection's task to close the socket.
        outboxes.remove(&conn);
        core.close(conn, now_millis());
    }
}
