//! The load generator behind `cargo xtask bench`. It starts the real server binary (release
//! build) on a loopback port with a fresh data folder, drives it with many protocol clients,
//! and prints one line of JSON per figure for xtask to put into BENCHMARKS.md.
//!
//! Everything is bounded: counts are fixed, every wait has a deadline, and only 127.0.0.1 is
//! contacted.
//!
//! Usage: `bench SERVER_BINARY DIST_DIR idle N | fanout N | relay N`; `bench baseline-server`
//! is the baseline relay that `relay` starts as its child.

mod baseline;
mod client;
mod cpu;
mod load;
mod relay;
mod server;
mod sign_in;
mod stats;

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use protocol::{Request, ServerMessage};
use tokio::sync::mpsc;

use client::Customer;
use client_tokio::Event;
use server::Server;

/// How many customers connect at once while a queue is filled.
const CONNECT_BATCH: usize = 200;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args == ["baseline-server"] {
        return baseline::serve().await;
    }
    let [binary, dist, what, count] = &args[..] else {
        bail!("usage: bench SERVER_BINARY DIST_DIR idle|fanout|relay N");
    };
    let count: usize = count.parse().context("N must be a number")?;
    let server = Server::start(binary.as_ref(), dist.as_ref()).await?;
    match what.as_str() {
        "idle" => idle(&server, count).await,
        "fanout" => fanout(&server, count).await,
        "relay" => relay::relay(server, count).await,
        _ => bail!("unknown benchmark {what}"),
    }
}

/// Memory per idle socket: `count` customers who joined the queue and wait, their sockets open.
async fn idle(server: &Server, count: usize) -> anyhow::Result<()> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.rss_bytes()?;
    let customers = fill_queue(server, count).await?;
    // Let the server finish telling everyone their place.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = server.rss_bytes()?;
    let per_socket = (after.saturating_sub(before)) as f64 / count as f64;
    println!(
        "{}",
        serde_json::json!({
            "figure": "idle_sockets",
            "sockets": count,
            "rss_before_bytes": before,
            "rss_after_bytes": after,
            "bytes_per_socket": per_socket.round(),
        })
    );
    drop(customers);
    Ok(())
}

/// Accepts in a row, each measured: one figure from one accept told little about the spread.
const FANOUT_ROUNDS: usize = 5;

/// Queue fan-out: `count` waiting customers; a rep accepts the first in line, [`FANOUT_ROUNDS`]
/// times; each time, how long until every other customer has heard their new position, and
/// the CPU time the server (its hub apart) and this load generator used meanwhile.
async fn fanout(server: &Server, count: usize) -> anyhow::Result<()> {
    let mut customers = fill_queue(server, count).await?;
    let rep = server.rep("bench").await?;
    // They joined side by side: the first in line is whoever the server placed first.
    customers.sort_by_key(|c| c.position);
    let sessions: Vec<_> = customers.iter().map(|c| c.session).collect();
    // Every customer listens and passes on each place it is told, with when it heard it.
    let (told, mut heard) = mpsc::unbounded_channel();
    let listening: Vec<_> = customers
        .into_iter()
        .map(|mut customer| {
            let told = told.clone();
            tokio::spawn(async move {
                while let Some(event) = customer.client.next_event().await {
                    if let Event::Push(ServerMessage::QueuePosition { position, .. }) = event {
                        let _ = told.send((customer.position, position, Instant::now()));
                    }
                    client::heard_frame(customer.client.largest_frame());
                }
            })
        })
        .collect();
    drop(told);
    // The rep's arrival changes everyone's estimate: let those messages pass first.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut rounds = Vec::new();
    for (round, &session) in sessions.iter().take(FANOUT_ROUNDS).enumerate() {
        while heard.try_recv().is_ok() {}
        let (server_cpu, own_cpu) = (server.cpu()?, cpu::of_process(std::process::id())?);
        let start = Instant::now();
        rep.request(Request::Accept { session }).await?;
        // Everyone behind the accepted customer moves up to their first place less the rounds.
        let moved_to = |joined: u32| joined.checked_sub(round as u32 + 1);
        let waiting = count - round - 1;
        let (mut told, mut last) = (0, start);
        let deadline = tokio::time::sleep(Duration::from_secs(60));
        tokio::pin!(deadline);
        while told < waiting {
            tokio::select! {
                news = heard.recv() => match news {
                    Some((joined, now, at)) if moved_to(joined) == Some(now) => {
                        told += 1;
                        last = last.max(at);
                    }
                    Some(_) => {}
                    None => break,
                },
                _ = &mut deadline => break,
            }
        }
        if told < waiting {
            bail!("only {told} of {waiting} customers heard their new place within a minute");
        }
        let (server_cpu, own_cpu) = (
            server.cpu()?.since(&server_cpu),
            cpu::of_process(std::process::id())?.since(&own_cpu),
        );
        rounds.push(serde_json::json!({
            "told": told,
            "all_told_ms": (last - start).as_secs_f64() * 1000.0,
            "hub_cpu_ms": server_cpu.hub_ms,
            "server_other_cpu_ms": server_cpu.other_ms,
            "load_generator_cpu_ms": own_cpu.hub_ms + own_cpu.other_ms,
        }));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    listening.iter().for_each(|task| task.abort());
    client::heard_frame(rep.largest_frame());
    println!(
        "{}",
        serde_json::json!({
            "figure": "queue_fanout",
            "waiting": count,
            "rounds": rounds,
            "largest_frame_bytes": client::largest_frame(),
        })
    );
    Ok(())
}

/// `count` customers in the queue, joined `CONNECT_BATCH` at a time.
async fn fill_queue(server: &Server, count: usize) -> anyhow::Result<Vec<Customer>> {
    let mut customers = Vec::with_capacity(count);
    while customers.len() < count {
        let batch = CONNECT_BATCH.min(count - customers.len());
        let joins: Vec<_> = (0..batch)
            .map(|i| {
                let url = server.ws_url();
                let name = format!("customer {}", customers.len() + i);
                tokio::spawn(async move { Customer::join(&url, &name).await })
            })
            .collect();
        for join in joins {
            customers.push(join.await??);
        }
    }
    Ok(customers)
}
