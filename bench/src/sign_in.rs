//! A sign-in flood: 400 sign-ins with unknown logins, 40 at a time, each client at an address
//! of its own, while the server's memory is sampled. A sign-in the server turns away as busy
//! is sent again after its `Retry-After`, so that all 400 passwords are checked: the costly
//! part, which the flood is about.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::net::TcpSocket;
use tokio::time::Instant;

use crate::server::{post_login, rss_of};

/// Sign-ins in flight at once, each from an address of its own (127.0.0.2, 127.0.0.3, …), so
/// that the per-address throttle lets them reach the password check.
pub const AT_ONCE: usize = 40;

/// Sign-ins each client has checked: 400 in all.
const EACH: u64 = 10;

/// What the flood saw.
#[derive(Debug, Default)]
pub struct Flood {
    attempts: u64,
    /// Answered 401: the password was checked.
    checked: u64,
    /// Answered 503: the checks were busy and the queue full.
    busy: u64,
    /// Answered 429: the address or login had used its window.
    throttled: u64,
    other: u64,
    rss_peak: u64,
    lasted: Duration,
}

impl Flood {
    pub fn json(&self, rss_idle: u64, rss_after: u64) -> Value {
        json!({
            "at_once": AT_ONCE,
            "attempts": self.attempts,
            "checked": self.checked,
            "busy": self.busy,
            "throttled": self.throttled,
            "other": self.other,
            "lasted_secs": self.lasted.as_secs_f64(),
            "rss_idle_bytes": rss_idle,
            "rss_peak_bytes": self.rss_peak,
            "rss_after_bytes": rss_after,
        })
    }
}

/// Floods `server` (whose process is `pid`) until every sign-in is checked or `time` is up;
/// samples its memory until then.
pub async fn flood(server: SocketAddr, pid: u32, time: Duration) -> anyhow::Result<Flood> {
    let start = Instant::now();
    let end = start + time;
    let clients: Vec<_> = (0..AT_ONCE)
        .map(|n| tokio::spawn(sign_in_until(server, n, end)))
        .collect();
    let mut flood = Flood::default();
    while Instant::now() < end && clients.iter().any(|c| !c.is_finished()) {
        flood.rss_peak = flood.rss_peak.max(rss_of(pid)?);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    flood.lasted = start.elapsed();
    for client in clients {
        for status in client.await?? {
            flood.attempts += 1;
            match status {
                401 => flood.checked += 1,
                503 => flood.busy += 1,
                429 => flood.throttled += 1,
                _ => flood.other += 1,
            }
        }
    }
    Ok(flood)
}

/// Client `n`'s sign-ins, one after another, until [`EACH`] are checked (or it is throttled,
/// or `end` comes); the status of each answer.
async fn sign_in_until(server: SocketAddr, n: usize, end: Instant) -> anyhow::Result<Vec<u16>> {
    let from: SocketAddr = format!("127.0.0.{}:0", n + 2).parse()?;
    let mut statuses = Vec::new();
    let mut checked = 0;
    while checked < EACH && Instant::now() < end {
        let socket = TcpSocket::new_v4()?;
        socket.bind(from)?;
        let stream = socket.connect(server).await?;
        let login = format!("nobody{n}-{}", statuses.len());
        let response = post_login(stream, &server.to_string(), &login, "guess").await?;
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        statuses.push(status);
        match status {
            401 => checked += 1,
            // Busy: as its `Retry-After` says.
            503 => tokio::time::sleep(Duration::from_secs(1)).await,
            _ => break,
        }
    }
    Ok(statuses)
}
