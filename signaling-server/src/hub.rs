//! The owner of the live state: one thread taking [`Command`]s from the connections and
//! driving the core ([`support_core::Driver`]) with them.
//!
//! A thread rather than a task because it writes to SQLite synchronously. It takes the commands
//! that arrived together as one batch: hands each to the driver in order, which records their
//! changes in one transaction; commits it, and only then lets anything out. So a reply still
//! means "stored", while a burst of requests costs one commit instead of one each (group
//! commit). Between batches it sleeps until the next command or the core's next deadline,
//! whichever comes first. Should a commit fail, the live state is rebuilt from the database and
//! every connection is closed: pages reconnect and send again what was not confirmed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use protocol::{ChatMessage, ErrorCode, FileId, Millis, ServerMessage, SessionId};
use support_core::{
    AdminAction, ConnId, Core, Driver, Entry, Input, Journal, Outgoing, Output, Refusal,
    RepAccount, Restored, Secrets, UploadPermit,
};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, error, warn};

use crate::auth;
use crate::ice::IceConfig;
use crate::media::{Recordings, Relays};
use crate::outbox::{Outbox, Snapshot};
use crate::store::{self, SessionLog, Store, StoreError};

/// How many commands may wait for the hub before connections wait to send more.
const INBOX_LEN: usize = 4096;

/// What connections and the HTTP side tell the hub.
#[derive(Debug)]
pub enum Command {
    /// A connection opened; `outbox` carries what is sent to it.
    Open {
        conn: ConnId,
        rep: Option<RepAccount>,
        outbox: Outbox,
    },
    Closed {
        conn: ConnId,
    },
    /// Something for the core that needs no answer here: a frame, a rep's changes, a leaving
    /// beacon, an upload's progress or failure.
    Input(Input),
    /// An admin's change from the HTTP side; `done` hears whether it was stored.
    Admin {
        action: AdminAction,
        done: oneshot::Sender<Result<(), Refusal>>,
    },
    /// A customer's page starts uploading an accepted file.
    BeginUpload {
        file: FileId,
        token: String,
        done: oneshot::Sender<Result<UploadPermit, Refusal>>,
    },
    /// The upload is on disk with this checksum; `done` hears whether its line was stored.
    UploadDone {
        file: FileId,
        sha256: String,
        done: oneshot::Sender<Result<(), Refusal>>,
    },
}

/// The sending side of the hub's inbox; cheap to clone.
#[derive(Debug, Clone)]
pub struct Hub {
    inbox: mpsc::Sender<Command>,
}

impl Hub {
    /// Restores the live state from `log` and starts the hub's thread, which ends when every
    /// [`Hub`] handle is dropped. Media relays bind to `media_ip` and run on the current
    /// runtime.
    pub fn start(
        log: SessionLog,
        ice: IceConfig,
        resume_window: Millis,
        media_ip: IpAddr,
        recordings: Option<Recordings>,
    ) -> store::Result<(Hub, std::thread::JoinHandle<()>)> {
        let core = restore(&log, resume_window)?;
        let secrets = Secrets {
            ice_servers: Box::new(move |user, now| ice.servers(user, (now / 1000) as u64)),
            new_token: Box::new(auth::new_token),
        };
        let driver = Driver::new(core, log, secrets);
        let (inbox, commands) = mpsc::channel(INBOX_LEN);
        let hub = WeakHub::new(&inbox);
        let relays = Relays::new(media_ip, recordings, hub, tokio::runtime::Handle::current());
        let thread = std::thread::Builder::new()
            .name("hub".into())
            .spawn(move || run(driver, relays, commands))
            .expect("spawning the hub thread");
        Ok((Hub { inbox }, thread))
    }

    /// Hands `command` to the hub, waiting while its inbox is full. False once the hub is gone.
    pub async fn send(&self, command: Command) -> bool {
        self.inbox.send(command).await.is_ok()
    }
}

/// A handle that does not keep the hub running.
#[derive(Debug, Clone)]
pub struct WeakHub(mpsc::WeakSender<Command>);

impl WeakHub {
    /// A handle on the hub whose inbox `inbox` is.
    pub fn new(inbox: &mpsc::Sender<Command>) -> WeakHub {
        WeakHub(inbox.downgrade())
    }

    /// As [`Hub::send`]; false once the hub is gone.
    pub async fn send(&self, command: Command) -> bool {
        match self.0.upgrade() {
            Some(inbox) => inbox.send(command).await.is_ok(),
            None => false,
        }
    }
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

impl Journal for SessionLog {
    type Error = StoreError;

    fn record(&mut self, entries: &[Entry<'_>]) -> Result<(), StoreError> {
        self.record_all(entries)
    }

    fn transcript(
        &mut self,
        session: SessionId,
        after_seq: u64,
        rows: usize,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        Store::transcript_page(self, session, after_seq, rows)
    }

    fn recordings_before(
        &mut self,
        cutoff: Millis,
    ) -> Result<Vec<(SessionId, String)>, StoreError> {
        Store::recordings_before(self, cutoff)
    }
}

/// How often recordings past their retention are looked for.
const SWEEP_EVERY_MS: Millis = 3_600_000;

type Outboxes = HashMap<ConnId, Outbox>;

/// The HTTP side's answers, held until the batch that decided them is committed.
type Held = Vec<(oneshot::Sender<Result<(), Refusal>>, Result<(), Refusal>)>;

fn run(mut driver: Driver<SessionLog>, mut relays: Relays, mut commands: mpsc::Receiver<Command>) {
    // Only to wait for the inbox with a deadline; the hub's work is synchronous.
    let clock = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a timer for the hub");
    let mut outboxes = Outboxes::new();
    let mut batch = Vec::with_capacity(BATCH);
    let mut deadline = Millis::MIN;
    // Right after a start, then hourly.
    let mut next_sweep = now_millis();
    loop {
        let wait = Duration::from_millis(deadline.saturating_sub(now_millis()).max(0) as u64);
        let received = clock.block_on(async {
            tokio::time::timeout(wait, commands.recv_many(&mut batch, BATCH)).await
        });
        if received == Ok(0) {
            break;
        }
        driver.journal().start_batch();
        let mut held = Held::new();
        for command in batch.drain(..) {
            handle(command, &mut driver, &mut outboxes, &mut held);
        }
        let now = now_millis();
        driver.handle_timeout(now);
        let mut expired = Vec::new();
        if now >= next_sweep {
            expired = driver.expire_recordings(now);
            next_sweep = now + SWEEP_EVERY_MS;
        }
        match driver.journal().commit_batch() {
            Ok(()) => {
                for (done, result) in held {
                    let _ = done.send(result);
                }
                // Their keys are gone; the segments follow.
                relays.delete(expired);
                deadline = deliver(&mut driver, &mut outboxes, &mut relays).min(next_sweep);
            }
            Err(e) => {
                error!(error = %e, "committing a batch failed; rebuilding the live state");
                for (done, _) in held {
                    let _ = done.send(Err(not_stored()));
                }
                // Dropping the outboxes closes every socket; the pages come back and resend.
                outboxes.clear();
                relays.close_all();
                let window = driver.core().resume_window();
                match restore(driver.journal(), window) {
                    Ok(restored) => driver.restart(restored),
                    Err(e) => error!(error = %e, "reading the live state back failed"),
                }
                // A disk that keeps failing is tried again in a second, not in a busy loop.
                deadline = now_millis() + 1000;
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
    driver: &mut Driver<SessionLog>,
    outboxes: &mut Outboxes,
    held: &mut Held,
) {
    let now = now_millis();
    let input = match command {
        Command::Open { conn, rep, outbox } => {
            outboxes.insert(conn, outbox);
            Input::Open { conn, rep }
        }
        Command::Closed { conn } => {
            outboxes.remove(&conn);
            Input::Closed { conn }
        }
        Command::Input(input) => input,
        Command::Admin { action, done } => return held.push((done, driver.admin(action))),
        Command::BeginUpload { file, token, done } => {
            let _ = done.send(driver.begin_upload(file, &token));
            return;
        }
        Command::UploadDone { file, sha256, done } => {
            return held.push((done, driver.upload_done(now, file, sha256)));
        }
    };
    driver.handle_input(now, input);
}

fn not_stored() -> Refusal {
    Refusal::new(
        ErrorCode::Internal,
        "the server could not store this; nothing was changed",
    )
}

/// Sends what the driver decided; returns when it next wants to be woken.
fn deliver(
    driver: &mut Driver<SessionLog>,
    outboxes: &mut Outboxes,
    relays: &mut Relays,
) -> Millis {
    loop {
        match driver.poll_output() {
            Output::Send(Outgoing { to, message }) => {
                // Encoded once; each outbox gets a cheap clone of the same bytes.
                let text = encode(&message);
                let (snapshot, now) = (Snapshot::of(&message), std::time::Instant::now());
                for conn in to {
                    send(outboxes, driver, conn, text.clone(), snapshot, now);
                }
            }
            // Dropping the outbox closes the socket.
            Output::Close(conn) => drop(outboxes.remove(&conn)),
            Output::Media(order) => relays.order(order),
            Output::Timeout(at) => return at,
        }
    }
}

/// A server message as a WebSocket text payload.
pub fn encode(message: &ServerMessage) -> Utf8Bytes {
    let text = serde_json::to_string(message).expect("server messages always serialize");
    text.into()
}

/// Queues `text` for `conn`; a connection that does not keep up is dropped, so one slow
/// client cannot make the server hold an ever-growing backlog for it.
fn send(
    outboxes: &mut Outboxes,
    driver: &mut Driver<SessionLog>,
    conn: ConnId,
    text: Utf8Bytes,
    snapshot: Option<Snapshot>,
    now: std::time::Instant,
) {
    let Some(outbox) = outboxes.get(&conn) else {
        return;
    };
    if outbox.push(text, snapshot, now).is_err() {
        warn!(conn, "connection too slow; closing it");
        // Dropping the sender tells the connection's task to close the socket.
        outboxes.remove(&conn);
        driver.handle_input(now_millis(), Input::Closed { conn });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    use protocol::{Reply, Request, ServerMessage};

    use super::*;

    const LOCALHOST: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    /// A connection as the hub sees it.
    struct Page {
        conn: ConnId,
        outbox: crate::outbox::Inbox,
        next_id: u64,
    }

    impl Page {
        async fn open(hub: &Hub, conn: ConnId, rep: Option<RepAccount>) -> Page {
            let (outbox, receiving) = crate::outbox::channel();
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
            let frame = protocol::ClientFrame { id, request };
            let conn = self.conn;
            assert!(hub.send(Command::Input(Input::Frame { conn, frame })).await);
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

    /// The rep Bo, stored in `log`.
    fn bo(log: &mut SessionLog) -> RepAccount {
        let new = store::NewRep {
            login: "bo".into(),
            name: "Bo".into(),
            password_hash: "not needed here".into(),
            admin: false,
            now: 0,
        };
        RepAccount {
            id: log.add_rep(&new).unwrap(),
            login: "bo".into(),
            name: "Bo".into(),
            admin: false,
            photo: None,
        }
    }

    /// A customer page on `conn` that said hello and waits in the queue.
    async fn queued(hub: &Hub, conn: ConnId) -> (Page, SessionId, String) {
        let mut page = Page::open(hub, conn, None).await;
        page.ask(hub, Request::customer_hello(None)).await;
        let start = Request::StartChat {
            name: format!("Customer {conn}"),
            problem: "The printer is on fire".into(),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        let Reply::Queued { session, token, .. } = page.ask(hub, start).await else {
            panic!("not queued");
        };
        (page, session, token)
    }

    #[tokio::test]
    async fn a_burst_at_a_rep_who_reads_afterwards_drops_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = SessionLog::open(dir.path()).unwrap();
        let bo = bo(&mut log);
        let (hub, _thread) =
            Hub::start(log, IceConfig::default(), 60_000, LOCALHOST, None).unwrap();
        let mut rep = Page::open(&hub, 100, Some(bo)).await;
        rep.ask(&hub, Request::rep_hello()).await;
        let mut customers = Vec::new();
        for conn in 1..=10 {
            let (page, session, _) = queued(&hub, conn).await;
            rep.ask(&hub, Request::Accept { session }).await;
            customers.push((page, session));
        }
        // Ten customers send sixty lines each at once; the hub delivers them faster than any
        // socket, so the rep's page reads them only afterwards.
        for (page, session) in &mut customers {
            for line in 0..60 {
                page.send(&hub, chat(*session, &format!("line {line}")))
                    .await;
            }
        }
        let (last, session) = customers.last_mut().unwrap();
        last.ask(&hub, chat(*session, "done")).await;
        let mut lines = 0;
        while lines < 601 {
            let text = tokio::time::timeout(Duration::from_secs(10), rep.outbox.recv())
                .await
                .expect("every line within 10 s")
                .expect("the rep is not dropped");
            if text.starts_with(r#"{"chat":"#) {
                lines += 1;
            }
        }
        assert!(matches!(
            rep.ask(&hub, Request::IceServers).await,
            Reply::IceServers { .. }
        ));
    }

    #[tokio::test]
    async fn a_batch_that_cannot_be_committed_is_never_confirmed_and_the_pages_start_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = SessionLog::open(dir.path()).unwrap();
        let fail_commits = log.failing_commits();
        let bo = bo(&mut log);
        let (hub, _thread) =
            Hub::start(log, IceConfig::default(), 60_000, LOCALHOST, None).unwrap();
        let (mut page, session, token) = queued(&hub, 1).await;
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
