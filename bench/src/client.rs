//! The load's pages: customers and reps set up through `client-tokio`, the same session logic
//! as the browser app's, and the longest frame any socket of the load has read.

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::bail;
use client_tokio::Client;
use protocol::{Reply, Request, SessionId};

/// The longest text frame any socket of this process has read from the server.
static LARGEST_FRAME: AtomicUsize = AtomicUsize::new(0);

/// Notes a frame of `bytes` read from the server.
pub fn heard_frame(bytes: usize) {
    LARGEST_FRAME.fetch_max(bytes, Ordering::Relaxed);
}

/// The longest text frame read from the server so far, in bytes.
pub fn largest_frame() -> usize {
    LARGEST_FRAME.load(Ordering::Relaxed)
}

/// A customer who said hello and joined the queue.
pub struct Customer {
    pub client: Client,
    pub session: SessionId,
    /// The place in the queue the server gave at joining.
    pub position: u32,
}

impl Customer {
    pub async fn join(url: &str, name: &str) -> anyhow::Result<Customer> {
        let (client, _) = Client::connect(url, None, || Request::customer_hello(None)).await?;
        let start = Request::StartChat {
            name: name.into(),
            problem: "Benchmark".into(),
            lang: protocol::Lang::En,
            recording: None,
            key: None,
        };
        match client.request(start).await? {
            Reply::Queued {
                session, position, ..
            } => Ok(Customer {
                client,
                session,
                position,
            }),
            other => bail!("unexpected reply {other:?}"),
        }
    }
}
