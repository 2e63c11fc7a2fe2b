//! Chat load over open sockets: each peer sends `send_chat` frames on a pace and notes what it
//! hears. The same code drives the real server and the bare baseline relay; only [`Wire`], how
//! an acknowledgement and a delivery look, tells them apart. On the real server the sessions
//! are set up through `client-tokio` first, which then hands its sockets over.

use std::borrow::Cow;
use std::time::Duration;

use client_tokio::{READ_BUFFER, Socket};
use futures_util::{SinkExt, StreamExt};
use protocol::{ClientFrame, Request, SessionId};
use serde::Deserialize;
use serde::de::IgnoredAny;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::client::heard_frame;

/// Characters of chat text per message: a typical typed line.
pub const TEXT_CHARS: usize = 100;

/// Which server answers, and so what its acknowledgements and deliveries look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// The product: `ok` replies acknowledge, `chat` events deliver (the sender hears its own
    /// message as an event too).
    Product,
    /// The baseline relay: the sender's own frame echoed back acknowledges, the other side's
    /// frame forwarded as it is delivers.
    Bare,
}

/// The two sides of a session; the first letter of every text says who sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Customer,
    Rep,
}

impl Side {
    fn mark(self) -> char {
        match self {
            Side::Customer => 'c',
            Side::Rep => 'r',
        }
    }
}

/// One open socket that sends chat: a customer in its session, or a rep in all of theirs.
pub struct Peer {
    socket: Socket,
    next_id: u64,
    side: Side,
    /// The sessions this peer writes in, taken in turn.
    sessions: Vec<SessionId>,
    turn: usize,
}

impl Peer {
    pub fn new(socket: Socket, side: Side, sessions: Vec<SessionId>) -> Peer {
        Peer {
            socket,
            next_id: 1,
            side,
            sessions,
            turn: 0,
        }
    }
}

/// How a peer paces its sending.
#[derive(Debug, Clone, Copy)]
pub enum Pacing {
    /// The next message once the last one is acknowledged, but never sooner than `min_gap`
    /// after it: the most the server gives, within its per-connection rate.
    AsAcksAllow { min_gap: Duration },
    /// One message every `interval`, acknowledged or not (so a slow answer cannot hide by
    /// delaying the next send).
    Every { interval: Duration },
}

/// One phase of load, the same for every peer. Deliveries are counted, and their latencies
/// kept, only between `window_start` and `window_end`; sending stops at `window_end` and the
/// peer reads on until `end`, so nothing is left in flight for the next phase.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub pacing: Pacing,
    /// Shared by every peer of the process, so a time written in a text means the same to all.
    pub epoch: std::time::Instant,
    pub start: Instant,
    pub window_start: Instant,
    pub window_end: Instant,
    pub end: Instant,
    pub wire: Wire,
}

/// What one peer saw in one phase.
#[derive(Debug, Default)]
pub struct Tally {
    pub sent: u64,
    pub acked: u64,
    /// Messages the server refused (`err`): there should be none.
    pub refused: u64,
    /// The first refusal, as the server sent it.
    pub first_refusal: Option<String>,
    /// The server closed the socket or it failed.
    pub lost: bool,
    /// Deliveries inside the window, each as microseconds from send to delivery.
    pub latencies_us: Vec<u32>,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.sent += other.sent;
        self.acked += other.acked;
        self.refused += other.refused;
        self.first_refusal = self.first_refusal.take().or(other.first_refusal);
        self.lost |= other.lost;
        self.latencies_us.extend(other.latencies_us);
    }
}

/// Runs `plan` on `peer`; `offset` spreads peers' first sends over one interval.
pub async fn run(mut peer: Peer, plan: Plan, offset: Duration) -> (Peer, Tally) {
    let mut tally = Tally::default();
    let mut next_send = plan.start + offset;
    let mut awaiting_ack = false;
    loop {
        let may_send = next_send < plan.window_end
            && match plan.pacing {
                Pacing::AsAcksAllow { .. } => !awaiting_ack,
                Pacing::Every { .. } => true,
            };
        tokio::select! {
            biased;
            incoming = peer.socket.next() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => {
                        heard_frame(text.len());
                        text
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => {
                        tally.lost = true;
                        break;
                    }
                };
                match heard(plan.wire, peer.side, &text) {
                    Heard::Ack => {
                        tally.acked += 1;
                        awaiting_ack = false;
                    }
                    Heard::Refused => {
                        tally.refused += 1;
                        tally.first_refusal.get_or_insert_with(|| text.to_string());
                        awaiting_ack = false;
                    }
                    Heard::Delivery { sent_us } => {
                        let now = Instant::now();
                        if (plan.window_start..plan.window_end).contains(&now) {
                            let latency = (plan.epoch.elapsed().as_micros() as u64).saturating_sub(sent_us);
                            tally.latencies_us.push(latency.min(u64::from(u32::MAX)) as u32);
                        }
                    }
                    Heard::Other => {}
                }
            }
            _ = sleep_until(next_send), if may_send => {
                let sent_at = Instant::now();
                if peer.send_chat(plan.epoch).await.is_err() {
                    tally.lost = true;
                    break;
                }
                tally.sent += 1;
                awaiting_ack = true;
                next_send = match plan.pacing {
                    Pacing::AsAcksAllow { min_gap } => sent_at + min_gap,
                    // Never a catch-up burst, which could trip the server's rate limit.
                    Pacing::Every { interval } => (next_send + interval).max(sent_at),
                };
            }
            _ = sleep_until(plan.end) => break,
        }
    }
    (peer, tally)
}

impl Peer {
    /// Sends one chat message stamped with the time since `epoch`, in the next session's turn.
    async fn send_chat(&mut self, epoch: std::time::Instant) -> anyhow::Result<()> {
        let session = self.sessions[self.turn % self.sessions.len()];
        self.turn += 1;
        let id = self.next_id;
        self.next_id += 1;
        let stamp = format!("{}{:016} ", self.side.mark(), epoch.elapsed().as_micros());
        let text = format!("{stamp:x<TEXT_CHARS$}");
        // As the page does, a nonce per message makes a resend safe; the side's bit keeps the
        // customer's and the rep's apart within a session.
        let nonce = Some(id * 2 + u64::from(self.side == Side::Rep));
        let frame = ClientFrame {
            id,
            request: Request::SendChat {
                session,
                text,
                nonce,
            },
        };
        let json = serde_json::to_string(&frame)?;
        self.socket.send(Message::Text(json.into())).await?;
        Ok(())
    }
}

/// A socket to `url` that speaks no protocol of its own (the baseline relay's).
pub async fn open(url: &str) -> anyhow::Result<Socket> {
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    // As browsers do: small frames go out at once.
    let (socket, _) = tokio_tungstenite::connect_async_with_config(
        url.into_client_request()?,
        Some(config),
        true,
    )
    .await?;
    Ok(socket)
}

/// Sends `request` on `socket` `per_sec` times a second for `time`, whatever the answers
/// (reading them all, as a browser would); returns how many were sent and how many refused.
pub async fn flood(
    mut socket: Socket,
    request: Request,
    per_sec: f64,
    time: Duration,
) -> anyhow::Result<(u64, u64)> {
    let end = Instant::now() + time;
    let mut pace = tokio::time::interval(Duration::from_secs_f64(1.0 / per_sec));
    let (mut sent, mut refused) = (0, 0);
    while Instant::now() < end {
        tokio::select! {
            _ = pace.tick() => {
                let frame = ClientFrame { id: sent + 1, request: request.clone() };
                socket.send(Message::Text(serde_json::to_string(&frame)?.into())).await?;
                sent += 1;
            }
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    heard_frame(text.len());
                    if heard(Wire::Product, Side::Customer, &text) == Heard::Refused {
                        refused += 1;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => anyhow::bail!("the server closed the flooding socket"),
            },
        }
    }
    Ok((sent, refused))
}

/// What a frame from the server means to the load.
#[derive(Debug, PartialEq, Eq)]
enum Heard {
    Ack,
    Refused,
    Delivery { sent_us: u64 },
    Other,
}

/// The fields of either server's frames that the load reads; serde skips the rest.
#[derive(Deserialize)]
struct Incoming<'a> {
    /// The product's answer to a request (`{"ok": …}`).
    ok: Option<IgnoredAny>,
    /// The product's refusal (`{"err": …}`).
    err: Option<IgnoredAny>,
    /// The product's chat event (`{"chat": …}`).
    #[serde(borrow)]
    chat: Option<WithText<'a>>,
    /// The echoed or forwarded frame's request (baseline).
    #[serde(borrow)]
    request: Option<WithText<'a>>,
}

#[derive(Deserialize)]
struct WithText<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
}

fn heard(wire: Wire, me: Side, frame: &str) -> Heard {
    let Ok(incoming) = serde_json::from_str::<Incoming>(frame) else {
        return Heard::Other;
    };
    let text = match wire {
        Wire::Product if incoming.ok.is_some() => return Heard::Ack,
        Wire::Product if incoming.err.is_some() => return Heard::Refused,
        Wire::Product => incoming.chat.map(|c| c.text),
        Wire::Bare => incoming.request.map(|r| r.text),
    };
    let Some(text) = text else {
        return Heard::Other;
    };
    let mut chars = text.chars();
    let from_me = chars.next() == Some(me.mark());
    match (wire, from_me) {
        // The product tells the sender of its own message too; its `ok` was the ack.
        (Wire::Product, true) => Heard::Other,
        (Wire::Bare, true) => Heard::Ack,
        (_, false) => {
            let stamp: String = chars.take_while(char::is_ascii_digit).collect();
            stamp
                .parse()
                .map_or(Heard::Other, |sent_us| Heard::Delivery { sent_us })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_product_acknowledges_with_ok_and_delivers_the_other_sides_chat() {
        let ok = r#"{"ok":{"id":5,"reply":{"stored":{"seq":1,"at":1000}}}}"#;
        assert_eq!(heard(Wire::Product, Side::Customer, ok), Heard::Ack);
        let err = r#"{"err":{"id":5,"code":"rate_limited","message":"slow down"}}"#;
        assert_eq!(heard(Wire::Product, Side::Customer, err), Heard::Refused);
        let chat = |text: &str| {
            format!(
                r#"{{"chat":{{"session":7,"seq":1,"from":"rep","name":"Ada","text":"{text}","at":1000}}}}"#
            )
        };
        assert_eq!(
            heard(Wire::Product, Side::Customer, &chat("r0000000000000042 xx")),
            Heard::Delivery { sent_us: 42 }
        );
        assert_eq!(
            heard(Wire::Product, Side::Rep, &chat("r0000000000000042 xx")),
            Heard::Other
        );
    }

    #[test]
    fn the_baseline_echoes_to_acknowledge_and_forwards_to_deliver() {
        let frame =
            r#"{"id":3,"request":{"type":"send_chat","session":7,"text":"c0000000000000042 xx"}}"#;
        assert_eq!(heard(Wire::Bare, Side::Customer, frame), Heard::Ack);
        assert_eq!(
            heard(Wire::Bare, Side::Rep, frame),
            Heard::Delivery { sent_us: 42 }
        );
    }
}
