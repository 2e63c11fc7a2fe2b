//! Relay throughput and latency: reps each serving a group of customers, both sides sending
//! chat, first on the real server (every message committed to SQLite before its `ok`), then on
//! the bare baseline relay with the same sockets, groups, frames and pacing.
//!
//! Two phases each: the most the server delivers when every socket sends as fast as its
//! acknowledgements allow (within the server's per-connection rate, so nothing is refused), and
//! send→deliver latency with every socket paced to half of the real server's maximum in all.

use std::cmp::Reverse;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use client_tokio::Client;
use protocol::{Request, SessionId};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::baseline::Baseline;
use crate::client::{self, Customer};
use crate::load::{self, Pacing, Peer, Plan, Side, TEXT_CHARS, Tally, Wire};
use crate::server::Server;
use crate::sign_in;
use crate::stats;

/// Customers per rep: the rep's hello and its accepts fit in the server's burst of 60 frames.
const CUSTOMERS_PER_REP: usize = 49;
/// Each socket's most messages a second, under the server's 20 (`limits.rs`).
const MAX_PER_SOCKET: f64 = 19.0;
/// The flooding customer's frames a second: ten times the server's per-connection rate.
const FLOOD_PER_SEC: f64 = 200.0;
/// Before counting: connections reach their pace and the server its steady state.
const WARM_UP: Duration = Duration::from_secs(3);
const MAX_WINDOW: Duration = Duration::from_secs(12);
const HALF_WINDOW: Duration = Duration::from_secs(20);
/// After sending stops: what is in flight arrives before the next phase.
const DRAIN: Duration = Duration::from_secs(2);

/// Measures both servers with `customers` customers (in groups of [`CUSTOMERS_PER_REP`]) and
/// prints the figures as one line of JSON.
pub async fn relay(server: Server, customers: usize) -> anyhow::Result<()> {
    let groups = customers.div_ceil(CUSTOMERS_PER_REP);
    let epoch = std::time::Instant::now();

    let peers = product_peers(&server, groups).await?;
    let sockets = peers.len();
    let (peers, ours_max) = most(peers, Wire::Product, epoch).await?;
    let half_rate = ours_max.delivered_per_sec / 2.0;
    let (peers, ours_half) = paced(peers, Wire::Product, epoch, half_rate).await?;
    // The same again while one more customer floods at ten times the per-connection limit.
    let flooder = Customer::join(&server.ws_url(), "Flooder").await?;
    let flood = Request::History {
        session: flooder.session,
        after_seq: 0,
    };
    let flood_for = Duration::from_millis(200) + WARM_UP + HALF_WINDOW + DRAIN;
    let socket = released(flooder.client).await?;
    let flooding = tokio::spawn(load::flood(socket, flood, FLOOD_PER_SEC, flood_for));
    let (peers, ours_flooded) = paced(peers, Wire::Product, epoch, half_rate).await?;
    let (flood_sent, flood_refused) = flooding.await??;
    // Once more while forty clients, at as many addresses, sign in with unknown logins back
    // to back; the server's memory is sampled meanwhile and a second after.
    let rss_idle = server.rss_bytes()?;
    let (addr, pid) = (server.addr().parse()?, server.pid()?);
    let signing = tokio::spawn(sign_in::flood(addr, pid, flood_for));
    let (peers, ours_signing_in) = paced(peers, Wire::Product, epoch, half_rate).await?;
    let sign_ins = signing.await??;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_after = server.rss_bytes()?;
    let largest_frame = client::largest_frame();
    drop(peers);
    drop(server);

    let baseline = Baseline::start().await?;
    let peers = bare_peers(&baseline, groups).await?;
    let (peers, base_max) = most(peers, Wire::Bare, epoch).await?;
    let (_, base_half) = paced(peers, Wire::Bare, epoch, half_rate).await?;

    println!(
        "{}",
        json!({
            "figure": "relay",
            "reps": groups,
            "customers": groups * CUSTOMERS_PER_REP,
            "customers_per_rep": CUSTOMERS_PER_REP,
            "sockets": sockets,
            "text_chars": TEXT_CHARS,
            "max_per_socket": MAX_PER_SOCKET,
            "ours": {
                "max": ours_max.json(),
                "half": ours_half.json(),
                "flooded": ours_flooded.json(),
                "signing_in": ours_signing_in.json(),
            },
            "sign_in_flood": sign_ins.json(rss_idle, rss_after),
            "largest_frame_bytes": largest_frame,
            "flood": {
                "per_sec": FLOOD_PER_SEC,
                "sent": flood_sent,
                "refused": flood_refused,
            },
            "baseline": { "max": base_max.json(), "half": base_half.json() },
        })
    );
    Ok(())
}

/// On the real server: `groups` reps, each accepting their customers.
async fn product_peers(server: &Server, groups: usize) -> anyhow::Result<Vec<Peer>> {
    // Clients set up early read on while the others are set up, so the server never finds
    // their outboxes full (reps hear every change of the queue); their sockets are taken over
    // once all are set up.
    let mut set_up: Vec<(Client, Side, Vec<SessionId>)> = Vec::new();
    for group in 0..groups {
        let rep = server.rep(&format!("bench{group}")).await?;
        let joins: Vec<_> = (0..CUSTOMERS_PER_REP)
            .map(|i| {
                let url = server.ws_url();
                let name = format!("customer {group}.{i}");
                tokio::spawn(async move { Customer::join(&url, &name).await })
            })
            .collect();
        let mut customers = Vec::new();
        for join in joins {
            customers.push(join.await??);
        }
        // From the back of the line, so that nobody moves up and has to be told.
        customers.sort_by_key(|c| Reverse(c.position));
        for customer in &customers {
            rep.request(Request::Accept {
                session: customer.session,
            })
            .await
            .context("accepting a customer")?;
        }
        let sessions: Vec<SessionId> = customers.iter().map(|c| c.session).collect();
        set_up.push((rep, Side::Rep, sessions));
        for customer in customers {
            set_up.push((customer.client, Side::Customer, vec![customer.session]));
        }
    }
    let mut peers = Vec::new();
    for (client, side, sessions) in set_up {
        peers.push(Peer::new(released(client).await?, side, sessions));
    }
    Ok(peers)
}

/// `client`'s socket, taken over for the load; the largest frame it read is noted.
async fn released(client: Client) -> anyhow::Result<client_tokio::Socket> {
    client::heard_frame(client.largest_frame());
    client
        .release()
        .await
        .context("a set-up connection dropped")
}

/// On the baseline relay: the same groups, with session numbers of our own.
async fn bare_peers(baseline: &Baseline, groups: usize) -> anyhow::Result<Vec<Peer>> {
    let mut peers = Vec::new();
    for group in 0..groups {
        let rep = load::open(&baseline.rep_url(group as u64)).await?;
        let sessions: Vec<SessionId> = (0..CUSTOMERS_PER_REP)
            .map(|i| SessionId((group * CUSTOMERS_PER_REP + i + 1) as i64))
            .collect();
        peers.push(Peer::new(rep, Side::Rep, sessions.clone()));
        for session in sessions {
            let url = baseline.customer_url(group as u64, session.0);
            let customer = load::open(&url).await?;
            peers.push(Peer::new(customer, Side::Customer, vec![session]));
        }
    }
    Ok(peers)
}

/// What one phase measured.
struct Figures {
    /// Every socket's most, together: what the server is offered at most.
    offered_per_sec: f64,
    sent_per_sec: f64,
    delivered_per_sec: f64,
    latencies_us: Vec<u32>,
}

impl Figures {
    fn json(&self) -> Value {
        json!({
            "offered_per_sec": self.offered_per_sec.round(),
            "sent_per_sec": self.sent_per_sec.round(),
            "delivered_per_sec": self.delivered_per_sec.round(),
            "latency_ms": stats::latency_ms(&self.latencies_us),
        })
    }
}

/// Every socket as fast as acknowledgements allow, within its rate.
async fn most(
    peers: Vec<Peer>,
    wire: Wire,
    epoch: std::time::Instant,
) -> anyhow::Result<(Vec<Peer>, Figures)> {
    let min_gap = Duration::from_secs_f64(1.0 / MAX_PER_SOCKET);
    let offered = peers.len() as f64 * MAX_PER_SOCKET;
    let pacing = Pacing::AsAcksAllow { min_gap };
    phase(peers, wire, epoch, pacing, min_gap, MAX_WINDOW, offered).await
}

/// Every socket paced so that together they send `rate` messages a second.
async fn paced(
    peers: Vec<Peer>,
    wire: Wire,
    epoch: std::time::Instant,
    rate: f64,
) -> anyhow::Result<(Vec<Peer>, Figures)> {
    let per_socket = rate / peers.len() as f64;
    ensure!(
        per_socket > 0.0 && per_socket <= MAX_PER_SOCKET,
        "{rate:.0} messages a second cannot be spread over {} sockets",
        peers.len()
    );
    let interval = Duration::from_secs_f64(1.0 / per_socket);
    let pacing = Pacing::Every { interval };
    phase(peers, wire, epoch, pacing, interval, HALF_WINDOW, rate).await
}

/// Runs one plan on every peer at once; first sends are spread evenly over `spread`.
async fn phase(
    peers: Vec<Peer>,
    wire: Wire,
    epoch: std::time::Instant,
    pacing: Pacing,
    spread: Duration,
    window: Duration,
    offered_per_sec: f64,
) -> anyhow::Result<(Vec<Peer>, Figures)> {
    let start = Instant::now() + Duration::from_millis(200);
    let window_start = start + WARM_UP;
    let plan = Plan {
        pacing,
        epoch,
        start,
        window_start,
        window_end: window_start + window,
        end: window_start + window + DRAIN,
        wire,
    };
    let count = peers.len();
    let tasks: Vec<_> = peers
        .into_iter()
        .enumerate()
        .map(|(i, peer)| {
            tokio::spawn(load::run(
                peer,
                plan,
                spread.mul_f64(i as f64 / count as f64),
            ))
        })
        .collect();
    let mut peers = Vec::with_capacity(count);
    let mut tally = Tally::default();
    for task in tasks {
        let (peer, seen) = task.await?;
        peers.push(peer);
        tally.add(seen);
    }
    if tally.lost {
        bail!("{wire:?}: a socket was closed during the load");
    }
    if tally.refused > 0 {
        bail!(
            "{wire:?}: the server refused {} messages, the first with {}",
            tally.refused,
            tally.first_refusal.unwrap_or_default()
        );
    }
    if tally.acked < tally.sent {
        bail!(
            "{wire:?}: {} of {} messages were never acknowledged",
            tally.sent - tally.acked,
            tally.sent
        );
    }
    let total = (plan.end - plan.start).as_secs_f64() - DRAIN.as_secs_f64();
    Ok((
        peers,
        Figures {
            offered_per_sec,
            sent_per_sec: tally.sent as f64 / total,
            delivered_per_sec: tally.latencies_us.len() as f64 / window.as_secs_f64(),
            latencies_us: tally.latencies_us,
        },
    ))
}
