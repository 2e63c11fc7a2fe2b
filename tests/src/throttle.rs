//! A slow network between a browser and the server, the same for every browser: a TCP proxy on
//! loopback that holds every byte for half the round trip in each direction and lets through
//! no more than the link's rate, shared by all of the browser's connections, as one phone's one
//! link is. (Chromium could throttle itself through DevTools; Firefox cannot, so both go
//! through this.)

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A network link's round trip and rates.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    pub round_trip: Duration,
    pub down_bytes_per_sec: u64,
    pub up_bytes_per_sec: u64,
}

/// Lighthouse's "Slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
pub const SLOW_4G: Link = Link {
    round_trip: Duration::from_millis(150),
    down_bytes_per_sec: 1_638_400 / 8,
    up_bytes_per_sec: 768_000 / 8,
};

/// What is read at once: small enough that pacing stays smooth at these rates.
const CHUNK: usize = 1460;

/// The proxy; it stops when dropped.
pub struct Throttle {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Throttle {
    /// A proxy to `upstream` over `link`.
    pub async fn start(upstream: SocketAddr, link: Link) -> anyhow::Result<Throttle> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let down = Pacer::new(link.down_bytes_per_sec);
        let up = Pacer::new(link.up_bytes_per_sec);
        let task = tokio::spawn(async move {
            while let Ok((browser, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(upstream).await else {
                    continue;
                };
                let _ = browser.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (browser_in, browser_out) = browser.into_split();
                let (server_in, server_out) = server.into_split();
                let half_trip = link.round_trip / 2;
                pipe(browser_in, server_out, half_trip, up.clone());
                pipe(server_in, browser_out, half_trip, down.clone());
            }
        });
        Ok(Throttle { addr, task })
    }

    /// `url` with its host and port replaced by the proxy's.
    pub fn url(&self, url: &str) -> anyhow::Result<String> {
        let mut url = url::Url::parse(url)?;
        url.set_port(Some(self.addr.port()))
            .map_err(|()| anyhow::anyhow!("{url} cannot take a port"))?;
        Ok(url.to_string())
    }
}

impl Drop for Throttle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One direction's rate: the moment its link is free again, shared by every connection.
#[derive(Clone)]
struct Pacer {
    free_at: Arc<Mutex<Instant>>,
    bytes_per_sec: u64,
}

impl Pacer {
    fn new(bytes_per_sec: u64) -> Pacer {
        Pacer {
            free_at: Arc::new(Mutex::new(Instant::now())),
            bytes_per_sec,
        }
    }

    /// When `bytes` handed over at `now` have gone through the link.
    fn sent_at(&self, now: Instant, bytes: usize) -> Instant {
        let mut free_at = self.free_at.lock().unwrap_or_else(|e| e.into_inner());
        let took = Duration::from_secs_f64(bytes as f64 / self.bytes_per_sec as f64);
        *free_at = (*free_at).max(now) + took;
        *free_at
    }
}

/// Copies `from` to `to`: each chunk leaves once the link has carried it and half the round
/// trip has passed. A reader and a writer, so that the delay does not slow the reading.
fn pipe(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, half_trip: Duration, pacer: Pacer) {
    let (chunks, mut pending) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    tokio::spawn(async move {
        let mut buffer = vec![0; CHUNK];
        while let Ok(n) = from.read(&mut buffer).await {
            if n == 0 {
                break;
            }
            let due = pacer.sent_at(Instant::now(), n) + half_trip;
            if chunks.send((due, buffer[..n].to_vec())).is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        while let Some((due, chunk)) = pending.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let _ = to.shutdown().await;
    });
}
