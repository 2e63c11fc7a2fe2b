//! The owner of the live state: one thread taking [`Command`]s from the connections.
//!
//! A thread rather than a task because it writes to SQLite synchronously. It takes the commands
//! that arrived together as one batch: decides and applies each in order, records their changes
//! in one transaction, commits it, and only then lets anything out. So a reply still means
//! "stored", while a burst of requests costs one commit instead of one each (group commit).
//! Should a commit fail, the live state is rebuilt from the database and every connection is
//! closed: pages reconnect and send again what was not confirmed.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use protocol::{ClientFrame, ErrorCode, FileId, Millis, Party, Reply, ServerMessage, SessionId};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, error, warn};

use crate::auth;
use crate::ice::IceConfig;
use crate::store::{self, Store};
use support_core::{
    AdminAction, Change, ConnId, Core, Decision, Output, Refusal, RepAccount, Restored, ShareStep,
    UploadPermit,
};

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
        /// The number the page gave in its `hello`, if the beacon named it.
        page: Option<u64>,
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
        let core = restore(&store, resume_window)?;
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

/// The live state as the database has it.
fn restore(store: &Store, resume_window: Millis) -> store::Result<Core> {
    let now = now_millis();
    let restored = Restored {
        next_session: store.next_session_id()?,
        live: store.live_sessions()?,
        settings: store.settings()?,
        notices: store.notices()?,
        next_notice: store.next_notice_id()?,
        keys: store.open_keys(now)?,
        handling_times: store.recent_handling_times(support_core::ESTIMATE_SAMPLES as u32)?,
        next_file: store.next_file_id()?,
    };
    let mut core = Core::restore(now, restored);
    core.set_resume_window(resume_window);
    Ok(core)
}

type Outboxes = HashMap<ConnId, mpsc::Sender<Utf8Bytes>>;

/// The HTTP side's answers, held until the batch that decided them is committed.
type Held = Vec<(oneshot::Sender<Result<(), Refusal>>, Result<(), Refusal>)>;

fn run(mut store: Store, mut core: Core, ice: IceConfig, mut commands: mpsc::Receiver<Command>) {
    let mut outboxes = Outboxes::new();
    let mut batch = Vec::with_capacity(BATCH);
    while commands.blocking_recv_many(&mut batch, BATCH) > 0 {
        store.start_batch();
        let mut held = Held::new();
        let mut periodic = false;
        for command in batch.drain(..) {
            periodic |= matches!(command, Command::Tick);
            handle(
                command,
                &mut store,
                &mut core,
                &ice,
                &mut outboxes,
                &mut held,
            );
        }
        // Time-driven work once a second; at once when waiting customers moved.
        if core.take_moved() || periodic {
            tick(&mut store, &mut core);
        }
        match store.commit_batch() {
            Ok(()) => {
                for (done, result) in held {
                    let _ = done.send(result);
                }
                deliver(&mut core, &mut outboxes);
            }
            Err(e) => {
                error!(error = %e, "committing a batch failed; rebuilding the live state");
                for (done, _) in held {
                    let _ = done.send(Err(not_stored()));
                }
                // Dropping the outboxes closes every socket; the pages come back and resend.
                outboxes.clear();
                match restore(&store, core.resume_window()) {
                    Ok(restored) => core = restored,
                    Err(e) => error!(error = %e, "reading the live state back failed"),
                }
            }
        }
    }
    debug!("hub stopped");
}

/// The most commands taken into one batch: enough to make commits rare under load, few enough
/// that the first of them is not kept waiting long.
const BATCH: usize = 256;

fn handle(
    command: Command,
    store: &mut Store,
    core: &mut Core,
    ice: &IceConfig,
    outboxes: &mut Outboxes,
    held: &mut Held,
) {
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
            if let Some(answer) = handle_frame(store, core, ice, conn, frame) {
                core.answer_directly(conn, answer);
            }
        }
        Command::Admin { action, done } => held.push((done, handle_admin(store, core, action))),
        Command::RepDisabled(rep) => {
            for conn in core.rep_connections(rep) {
                // Dropping the outbox closes the socket.
                outboxes.remove(&conn);
                core.close(conn, now_millis());
            }
        }
        Command::RepPhoto { rep, photo } => core.set_rep_photo(rep, photo),
        Command::RepRenamed { rep, name } => core.rename_rep(rep, &name),
        Command::Leave { token, grace, page } => core.leave(now_millis(), &token, grace, page),
        Command::BeginUpload { file, token, done } => {
            // Nothing stored: a permit for a batch that fails only makes the upload fail later.
            let _ = done.send(core.begin_upload(file, &token));
        }
        Command::UploadProgress { file, received } => core.upload_progress(file, received),
        Command::UploadDone { file, sha256, done } => {
            held.push((done, store_file(store, core, file, sha256)));
        }
        Command::UploadFailed { file, reason } => core.upload_failed(file, reason),
        Command::Tick => {}
    }
}

fn not_stored() -> Refusal {
    Refusal {
        code: ErrorCode::Internal,
        message: "the server could not store this; nothing was changed".into(),
    }
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
        return Err(not_stored());
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

fn deliver(core: &mut Core, outboxes: &mut Outboxes) {
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
fn send(outboxes: &mut Outboxes, core: &mut Core, conn: ConnId, text: Utf8Bytes) {
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    use protocol::{Request, ServerMessage};

    use super::*;

    /// A connection as the hub sees it.
    struct Page {
        conn: ConnId,
        outbox: mpsc::Receiver<Utf8Bytes>,
        next_id: u64,
    }

    impl Page {
        async fn open(hub: &Hub, conn: ConnId, rep: Option<RepAccount>) -> Page {
            let (outbox, receiving) = mpsc::channel(OUTBOX_LEN);
            assert!(hub.send(Command::Open { conn, rep, outbox }).await);
            Page {
                conn,
                outbox: receiving,
                next_id: 1,
            }
        }

        /// Sends `request`; the id it went with.
        async fn send(&mut self, hub: &Hub, request: Request) -> u64 {
            let id = self.next_id;
            self.next_id += 1;
            let frame = ClientFrame { id, request };
            let conn = self.conn;
            assert!(hub.send(Command::Frame { conn, frame }).await);
            id
        }

        /// The answer to request `id`, or None when the hub closed the connection first.
        async fn answer(&mut self, id: u64) -> Option<Result<Reply, ErrorCode>> {
            loop {
                let wait = Duration::from_secs(10);
                let text = tokio::time::timeout(wait, self.outbox.recv())
                    .await
                    .expect("the hub answers or closes within 10 s")?;
                match serde_json::from_str(&text).unwrap() {
                    ServerMessage::Ok { id: to, reply } if to == id => return Some(Ok(reply)),
                    ServerMessage::Err {
                        id: Some(to), code, ..
                    } if to == id => return Some(Err(code)),
                    _ => {}
                }
            }
        }

        async fn ask(&mut self, hub: &Hub, request: Request) -> Reply {
            let id = self.send(hub, request).await;
            self.answer(id).await.expect("an answer").expect("no error")
        }
    }

    fn chat(session: SessionId, text: &str) -> Request {
        Request::SendChat {
            session,
            text: text.into(),
            nonce: None,
        }
    }

    #[tokio::test]
    async fn a_batch_that_cannot_be_committed_is_never_confirmed_and_the_pages_start_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_session_log(dir.path()).unwrap();
        let fail_commits = store.failing_commits();
        let bo = RepAccount {
            id: store
                .add_rep(&store::NewRep {
                    login: "bo".into(),
                    name: "Bo".into(),
                    password_hash: "not needed here".into(),
                    admin: false,
                    now: 0,
                })
                .unwrap(),
            login: "bo".into(),
            name: "Bo".into(),
            admin: false,
            photo: None,
        };
        let (hub, _thread) = Hub::start(store, IceConfig::default(), 60_000).unwrap();
        let mut page = Page::open(&hub, 1, None).await;
        page.ask(&hub, Request::customer_hello(None)).await;
        let start = Request::StartChat {
            name: "Ada".into(),
            problem: "The printer is on fire".into(),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        let Reply::Queued { session, token, .. } = page.ask(&hub, start).await else {
            panic!("not queued");
        };
        let mut rep = Page::open(&hub, 2, Some(bo)).await;
        rep.ask(&hub, Request::rep_hello()).await;
        rep.ask(&hub, Request::Accept { session }).await;

        fail_commits.store(true, Ordering::SeqCst);
        let lost = page.send(&hub, chat(session, "lost")).await;
        assert_eq!(page.answer(lost).await, None, "closed, never confirmed");

        fail_commits.store(false, Ordering::SeqCst);
        let mut page = Page::open(&hub, 3, None).await;
        page.ask(&hub, Request::customer_hello(Some(token))).await;
        let stored = page.ask(&hub, chat(session, "kept")).await;
        assert!(matches!(stored, Reply::Stored { seq: 1, .. }), "{stored:?}");
        let texts: Vec<_> = Store::open(dir.path())
            .unwrap()
            .transcript(session, 0)
            .unwrap()
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(texts, ["kept"]);
    }
}
