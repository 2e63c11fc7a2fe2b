//! One WebSocket: frames in, size caps, decoding, and the messages the hub sends out.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, close_code};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use protocol::{ErrorCode, MAX_FRAME_BYTES, ServerMessage, decode_client_frame};
use tokio::sync::watch;
use tracing::{Instrument, debug, info_span};

use crate::hub::{self, Command, Hub, now_millis};
use crate::limits::MessageRate;
use crate::outbox;
use support_core::RepAccount;
use support_core::{ConnId, Input};

/// The largest message the WebSocket layer reads at all. Frames between [`MAX_FRAME_BYTES`]
/// and this get an error reply and the connection stays open; larger ones close it (1009).
pub const TRANSPORT_LIMIT: usize = 4 * MAX_FRAME_BYTES;

/// Bytes read from the socket at a time. Small, because most connections sit idle in a queue.
pub const READ_BUFFER: usize = 4 * 1024;

/// The most that may wait unsent for one socket before writes fail.
pub const MAX_WRITE_BUFFER: usize = 256 * 1024;

/// A client that goes on sending this many frames after being told to slow down is closed.
const FLOOD_CLOSE_AFTER: u32 = 100;

const RATE_MESSAGE: &str = "too many messages: slow down; this one was not handled";

/// How long a closing socket waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// How long a socket may stay silent, and how long a write may take, before it is closed. A
/// page whose network vanished sends no close; these are how the server notices it.
#[derive(Debug, Clone, Copy)]
pub struct SocketTimeouts {
    /// From the upgrade to the page's first frame (its hello).
    pub hello: Duration,
    /// A socket silent this long is pinged; browsers answer pings by themselves.
    pub ping_after: Duration,
    /// A socket silent this long, its ping unanswered, is closed as dead.
    pub dead_after: Duration,
    /// A write that cannot go out this long (the peer reads nothing) closes the socket.
    pub write: Duration,
}

impl Default for SocketTimeouts {
    fn default() -> Self {
        SocketTimeouts {
            hello: Duration::from_secs(10),
            ping_after: Duration::from_secs(20),
            dead_after: Duration::from_secs(50),
            write: Duration::from_secs(20),
        }
    }
}

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// Serves one upgraded socket until either side closes it.
pub async fn serve(
    socket: WebSocket,
    hub: Hub,
    rep: Option<RepAccount>,
    stopping: watch::Receiver<bool>,
    timeouts: SocketTimeouts,
) {
    let conn: ConnId = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let span = info_span!("conn", conn, rep = rep.as_ref().map(|r| r.id.0));
    async move {
        let (outbox, inbox) = outbox::channel();
        if !hub.send(Command::Open { conn, rep, outbox }).await {
            return;
        }
        let reason = pump(socket, &hub, conn, inbox, stopping, timeouts).await;
        debug!(reason, "connection closed");
        hub.send(Command::Closed { conn }).await;
    }
    .instrument(span)
    .await
}

/// Moves frames both ways; returns why it stopped.
async fn pump(
    socket: WebSocket,
    hub: &Hub,
    conn: ConnId,
    mut inbox: outbox::Inbox,
    mut stopping: watch::Receiver<bool>,
    timeouts: SocketTimeouts,
) -> &'static str {
    let (sink, mut stream) = socket.split();
    let mut sink = Sink {
        sink,
        write_timeout: timeouts.write,
    };
    let mut rate = MessageRate::new(now_millis());
    let mut refused_in_a_row = 0u32;
    let mut silence = Silence::new(timeouts);
    loop {
        tokio::select! {
            _ = stopped(&mut stopping) => {
                close_politely(&mut sink, &mut stream, close_code::AWAY, "server shutting down").await;
                return "server stopping";
            }
            () = tokio::time::sleep_until(silence.deadline()) => match silence.next_step() {
                Step::NoHello => {
                    close_politely(&mut sink, &mut stream, close_code::POLICY, "no hello").await;
                    return "no hello";
                }
                Step::Ping => {
                    if sink.send(Message::Ping(Default::default())).await.is_err() {
                        return "send failed";
                    }
                }
                Step::Dead => return "silent: the peer is gone",
            },
            incoming = stream.next() => {
                silence.heard(matches!(incoming, Some(Ok(Message::Text(_)))));
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(_))) => {
                        let error = ServerMessage::err(None, ErrorCode::BadFrame, "binary frames are not accepted; send JSON text");
                        if sink.send(encode(&error)).await.is_err() {
                            return "send failed";
                        }
                        continue;
                    }
                    // Pings are answered by the WebSocket layer.
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | None => return "closed by the client",
                    Some(Err(error)) => {
                        if is_too_big(error) {
                            let _ = sink.send(close(close_code::SIZE, "message too big")).await;
                            return "message too big";
                        }
                        return "read error";
                    }
                };
                let decoded = decode_client_frame(&text);
                if !rate.allow(now_millis()) {
                    refused_in_a_row += 1;
                    if refused_in_a_row > FLOOD_CLOSE_AFTER {
                        close_politely(&mut sink, &mut stream, close_code::POLICY, "too many messages").await;
                        return "flooding";
                    }
                    // With the request's id, so the client knows which one was not handled.
                    let id = decoded.as_ref().map_or_else(|e| e.id, |frame| Some(frame.id));
                    let error = ServerMessage::err(id, ErrorCode::RateLimited, RATE_MESSAGE);
                    if sink.send(encode(&error)).await.is_err() {
                        return "send failed";
                    }
                    continue;
                }
                refused_in_a_row = 0;
                match decoded {
                    Ok(frame) => {
                        if !hub.send(Command::Input(Input::Frame { conn, frame })).await {
                            close_politely(&mut sink, &mut stream, close_code::AWAY, "server shutting down").await;
                            return "hub gone";
                        }
                    }
                    Err(e) => {
                        if sink.send(encode(&ServerMessage::err(e.id, e.code, e.message))).await.is_err() {
                            return "send failed";
                        }
                    }
                }
            }
            outgoing = inbox.recv() => match outgoing {
                Some(text) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        return "send failed";
                    }
                }
                None => {
                    close_politely(&mut sink, &mut stream, close_code::POLICY, "too slow to receive").await;
                    return "too slow";
                }
            }
        }
    }
}

/// What a socket's silence calls for.
enum Step {
    NoHello,
    Ping,
    Dead,
}

/// When the socket was last heard from, and what is due if it stays silent.
struct Silence {
    timeouts: SocketTimeouts,
    last_heard: tokio::time::Instant,
    said_hello: bool,
    pinged: bool,
}

impl Silence {
    fn new(timeouts: SocketTimeouts) -> Silence {
        Silence {
            timeouts,
            last_heard: tokio::time::Instant::now(),
            said_hello: false,
            pinged: false,
        }
    }

    /// Anything came in; `text` if it was a frame (the first one is the page's hello).
    fn heard(&mut self, text: bool) {
        self.last_heard = tokio::time::Instant::now();
        self.said_hello |= text;
        self.pinged = false;
    }

    fn deadline(&self) -> tokio::time::Instant {
        let after = if !self.said_hello {
            self.timeouts.hello
        } else if self.pinged {
            self.timeouts.dead_after
        } else {
            self.timeouts.ping_after
        };
        self.last_heard + after
    }

    /// Called at the deadline.
    fn next_step(&mut self) -> Step {
        if !self.said_hello {
            Step::NoHello
        } else if self.pinged {
            Step::Dead
        } else {
            self.pinged = true;
            Step::Ping
        }
    }
}

/// The socket's sending half, whose writes give up after a while: a peer that reads nothing
/// would otherwise hold the connection for ever.
struct Sink {
    sink: SplitSink<WebSocket, Message>,
    write_timeout: Duration,
}

impl Sink {
    async fn send(&mut self, message: Message) -> Result<(), ()> {
        match tokio::time::timeout(self.write_timeout, self.sink.send(message)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(()),
        }
    }
}

/// Completes when the server starts stopping.
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    // Dropping the returned guard here keeps the connection's future `Send`.
    let _ = stopping.wait_for(|&stop| stop).await;
}

/// Sends a close frame, then reads and drops what the client still sends until its own close
/// frame comes (or a moment passes), so the socket ends cleanly instead of with a reset that
/// could swallow the close frame and its reason.
async fn close_politely(
    sink: &mut Sink,
    stream: &mut SplitStream<WebSocket>,
    code: u16,
    reason: &'static str,
) {
    if sink.send(close(code, reason)).await.is_err() {
        return;
    }
    let drain = async {
        while let Some(Ok(message)) = stream.next().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(CLOSE_GRACE, drain).await;
}

fn encode(message: &ServerMessage) -> Message {
    Message::Text(hub::encode(message))
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

fn is_too_big(error: axum::Error) -> bool {
    error
        .into_inner()
        .downcast_ref::<tungstenite::Error>()
        .is_some_and(|e| matches!(e, tungstenite::Error::Capacity(_)))
}
