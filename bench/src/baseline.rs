//! The baseline for the relay figures: a bare tokio-tungstenite relay, run by this same binary
//! as a child process so that, like the real server, it has a process and a runtime of its own.
//!
//! No hub, no database, no protocol: a customer's frame goes as it is to its group's rep, a
//! rep's frame to the customer whose session it names, and every frame is echoed to its sender
//! as the acknowledgement. Sockets are joined by their path: `/rep/{group}` and
//! `/customer/{group}/{session}`, the rep first.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Messages that may wait for one socket, as the real server allows.
const OUTBOX_LEN: usize = 256;

type Outbox = mpsc::Sender<Message>;

/// Who is connected: reps by group, customers by session.
#[derive(Default)]
struct Registry {
    reps: Mutex<HashMap<u64, Outbox>>,
    customers: Mutex<HashMap<i64, Outbox>>,
}

/// Where a socket belongs, from its path.
#[derive(Debug, Clone, Copy)]
enum Place {
    Rep { group: u64 },
    Customer { group: u64, session: i64 },
}

fn place(path: &str) -> Option<Place> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts[..] {
        ["rep", group] => Some(Place::Rep {
            group: group.parse().ok()?,
        }),
        ["customer", group, session] => Some(Place::Customer {
            group: group.parse().ok()?,
            session: session.parse().ok()?,
        }),
        _ => None,
    }
}

/// The child process's side: listens on a free loopback port, prints it, relays until killed.
pub async fn serve() -> anyhow::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("{}", listener.local_addr()?);
    let registry = Arc::new(Registry::default());
    loop {
        let (tcp, _) = listener.accept().await?;
        // As the real server: small frames go out at once.
        tcp.set_nodelay(true)?;
        tokio::spawn(relay(tcp, registry.clone()));
    }
}

async fn relay(tcp: TcpStream, registry: Arc<Registry>) {
    let mut path = String::new();
    #[expect(
        clippy::result_large_err,
        reason = "tungstenite's handshake callback type"
    )]
    let seen = |request: &Request, response: Response| {
        path = request.uri().path().to_owned();
        Ok(response)
    };
    // The real server's socket settings: small reads, every frame written at once.
    let config = WebSocketConfig::default()
        .read_buffer_size(client_tokio::READ_BUFFER)
        .write_buffer_size(0);
    let Ok(socket) = tokio_tungstenite::accept_hdr_async_with_config(tcp, seen, Some(config)).await
    else {
        return;
    };
    let Some(place) = place(&path) else { return };
    let (tx, mut outbox) = mpsc::channel(OUTBOX_LEN);
    match place {
        Place::Rep { group } => registry.reps.lock().expect("registry").insert(group, tx),
        Place::Customer { session, .. } => registry
            .customers
            .lock()
            .expect("registry")
            .insert(session, tx),
    };
    // Peers are looked up at their first frame, once every socket of the group is in.
    let mut rep_of_group: Option<Outbox> = None;
    let mut customers: HashMap<i64, Outbox> = HashMap::new();
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            incoming = stream.next() => {
                let Some(Ok(message)) = incoming else { return };
                let Message::Text(text) = message else { continue };
                let to = match place {
                    Place::Customer { group, .. } => group_rep(group, &mut rep_of_group, &registry),
                    Place::Rep { .. } => named_customer(&text, &mut customers, &registry),
                };
                // Never waits on another socket (two full outboxes could wait on each other);
                // a drop is said aloud, since it would lower the baseline's figures.
                if let Some(to) = to
                    && to.try_send(Message::Text(text.clone())).is_err()
                {
                    eprintln!("baseline relay: an outbox was full; a message was dropped");
                }
                if sink.send(Message::Text(text)).await.is_err() {
                    return;
                }
            }
            outgoing = outbox.recv() => {
                let Some(message) = outgoing else { return };
                if sink.send(message).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// A customer's rep, looked up once.
fn group_rep(group: u64, known: &mut Option<Outbox>, registry: &Registry) -> Option<Outbox> {
    if known.is_none() {
        *known = registry.reps.lock().expect("registry").get(&group).cloned();
    }
    known.clone()
}

/// The customer a rep's frame is for: the frame's `request.session`.
fn named_customer(
    text: &str,
    known: &mut HashMap<i64, Outbox>,
    registry: &Registry,
) -> Option<Outbox> {
    #[derive(Deserialize)]
    struct Frame {
        request: Target,
    }
    #[derive(Deserialize)]
    struct Target {
        session: i64,
    }
    let session = serde_json::from_str::<Frame>(text).ok()?.request.session;
    if let Some(outbox) = known.get(&session) {
        return Some(outbox.clone());
    }
    let outbox = registry
        .customers
        .lock()
        .expect("registry")
        .get(&session)?
        .clone();
    known.insert(session, outbox.clone());
    Some(outbox)
}

/// The relay as a child of this process, on loopback; killed when dropped.
pub struct Baseline {
    pub addr: String,
    _child: Child,
}

impl Baseline {
    pub async fn start() -> anyhow::Result<Baseline> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("baseline-server")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting the baseline relay")?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).await?;
        let addr = line.trim().to_owned();
        if addr.is_empty() {
            bail!("the baseline relay did not say where it listens");
        }
        Ok(Baseline {
            addr,
            _child: child,
        })
    }

    pub fn rep_url(&self, group: u64) -> String {
        format!("ws://{}/rep/{group}", self.addr)
    }

    pub fn customer_url(&self, group: u64, session: i64) -> String {
        format!("ws://{}/customer/{group}/{session}", self.addr)
    }
}
