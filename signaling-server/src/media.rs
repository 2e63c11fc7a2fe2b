//! The media relays of the shares that pass through the server: one task each, off the hub's
//! thread, driving a [`media_relay::Relay`] with two UDP sockets and the runtime's clock.
//!
//! The hub hands over the core's [`MediaOrder`]s; a relay's signaling for the pages goes back
//! to the hub as [`Input::MediaSignal`], which sends it on as the other side's.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use media_relay::{Relay, Transmit};
use protocol::{Party, SessionId, Signal};
use support_core::{Input, MediaOrder};
use tokio::net::UdpSocket;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use crate::hub::{Command, WeakHub};

/// A page's signaling for a running relay, or `None` to close it.
type Order = Option<(Party, Signal)>;

/// The running relays, by session; owned by the hub's thread.
pub struct Relays {
    ip: IpAddr,
    hub: WeakHub,
    runtime: Handle,
    running: HashMap<SessionId, mpsc::UnboundedSender<Order>>,
}

impl Relays {
    /// Relays whose sockets bind to `ip`, which browsers must be able to reach; their tasks
    /// run on `runtime` and tell `hub` what to send (a weak handle: the hub's thread ends when
    /// the last connection's handle is gone, and a relay must not keep it alive).
    pub fn new(ip: IpAddr, hub: WeakHub, runtime: Handle) -> Relays {
        Relays {
            ip,
            hub,
            runtime,
            running: HashMap::new(),
        }
    }

    pub fn order(&mut self, order: MediaOrder) {
        match order {
            MediaOrder::Open { session } => {
                let (orders, inbox) = mpsc::unbounded_channel();
                let (ip, hub) = (self.ip, self.hub.clone());
                self.runtime.spawn(async move {
                    if let Err(e) = relay(session, ip, hub, inbox).await {
                        warn!(%session, error = %e, "the media relay stopped");
                    }
                });
                self.running.insert(session, orders);
            }
            MediaOrder::Signal {
                session,
                from,
                signal,
            } => {
                if let Some(relay) = self.running.get(&session) {
                    let _ = relay.send(Some((from, signal)));
                }
            }
            MediaOrder::Close { session } => {
                if let Some(relay) = self.running.remove(&session) {
                    let _ = relay.send(None);
                }
            }
        }
    }

    /// Closes every relay: the live state they belonged to is gone.
    pub fn close_all(&mut self) {
        for (_, relay) in self.running.drain() {
            let _ = relay.send(None);
        }
    }
}

/// The most a datagram carries here: WebRTC keeps packets under the path's MTU.
const DATAGRAM: usize = 2048;

/// Runs one session's relay until it is closed or its hub is gone.
async fn relay(
    session: SessionId,
    ip: IpAddr,
    hub: WeakHub,
    mut orders: mpsc::UnboundedReceiver<Order>,
) -> anyhow::Result<()> {
    let customer = UdpSocket::bind(SocketAddr::new(ip, 0)).await?;
    let rep = UdpSocket::bind(SocketAddr::new(ip, 0)).await?;
    let (customer_at, rep_at) = (customer.local_addr()?, rep.local_addr()?);
    let mut relay = Relay::new(Instant::now(), customer_at, rep_at, rand_ssrc())?;
    info!(%session, %customer_at, %rep_at, "media relay open");
    let (mut from_customer, mut from_rep) = ([0; DATAGRAM], [0; DATAGRAM]);
    loop {
        while let Some(Transmit { from, to, bytes }) = relay.poll_transmit() {
            let socket = if from == customer_at { &customer } else { &rep };
            if let Err(e) = socket.send_to(&bytes, to).await {
                debug!(%session, %to, error = %e, "a media datagram was not sent");
            }
        }
        while let Some((to, signal)) = relay.poll_signal() {
            let input = Input::MediaSignal {
                session,
                to,
                signal,
            };
            if !hub.send(Command::Input(input)).await {
                return Ok(());
            }
        }
        let wake = relay
            .poll_timeout()
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(1));
        let result = tokio::select! {
            order = orders.recv() => match order.flatten() {
                Some((from, signal)) => relay.handle_signal(Instant::now(), from, signal),
                None => break,
            },
            received = customer.recv_from(&mut from_customer) => {
                let (n, peer) = received?;
                relay.handle_datagram(Instant::now(), customer_at, peer, &from_customer[..n])
            }
            received = rep.recv_from(&mut from_rep) => {
                let (n, peer) = received?;
                relay.handle_datagram(Instant::now(), rep_at, peer, &from_rep[..n])
            }
            () = tokio::time::sleep_until(wake.into()) => relay.handle_timeout(Instant::now()),
        };
        // A stray or damaged datagram, or a page's odd signal, costs that input only.
        if let Err(e) = result {
            debug!(%session, error = %e, "the media relay refused an input");
        }
    }
    relay.close();
    while let Some(Transmit { from, to, bytes }) = relay.poll_transmit() {
        let socket = if from == customer_at { &customer } else { &rep };
        let _ = socket.send_to(&bytes, to).await;
    }
    info!(%session, "media relay closed");
    Ok(())
}

/// A random SSRC for the rep's track (RFC 3550 wants them unpredictable).
fn rand_ssrc() -> u32 {
    let mut bytes = [0; 4];
    getrandom::fill(&mut bytes).expect("the system's random source");
    u32::from_le_bytes(bytes)
}
