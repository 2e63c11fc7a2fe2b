//! What waits to be written to one connection. The hub puts messages in; the connection's task
//! takes them out as fast as its socket takes them.
//!
//! A burst must not cost a reader that keeps up its connection, and a reader that does not
//! keep up must not make the server hold an ever-growing backlog. So the cut is by bytes and
//! by time, never by a count a burst can reach; and a snapshot that a newer one makes stale
//! (the queue, a place in it, the reps online, the site) is replaced instead of piling up.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use protocol::{ServerMessage, SessionId};
use tokio::sync::Notify;

/// The most that may wait for one connection.
pub const MAX_BYTES: usize = 1024 * 1024;

/// The longest a message may wait for one connection: a reader this far behind is not coming
/// back.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// A message that replaces an older unsent one of the same kind: each is a whole snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    Queue,
    QueuePosition(SessionId),
    Reps,
    Site,
}

impl Snapshot {
    pub fn of(message: &ServerMessage) -> Option<Snapshot> {
        match message {
            ServerMessage::Queue { .. } => Some(Snapshot::Queue),
            ServerMessage::QueuePosition { session, .. } => Some(Snapshot::QueuePosition(*session)),
            ServerMessage::Reps { .. } => Some(Snapshot::Reps),
            ServerMessage::Site { .. } => Some(Snapshot::Site),
            _ => None,
        }
    }
}

/// The connection did not keep up: it is to be closed.
#[derive(Debug, PartialEq, Eq)]
pub struct TooSlow;

/// The hub's end. Dropping it lets the connection write what waits, then close.
#[derive(Debug)]
pub struct Outbox {
    shared: Arc<Shared>,
}

/// The connection's end.
#[derive(Debug)]
pub struct Inbox {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    waiting: Mutex<Waiting>,
    ready: Notify,
}

#[derive(Debug, Default)]
struct Waiting {
    messages: VecDeque<Queued>,
    bytes: usize,
    hub_gone: bool,
}

#[derive(Debug)]
struct Queued {
    text: Utf8Bytes,
    snapshot: Option<Snapshot>,
    since: Instant,
}

pub fn channel() -> (Outbox, Inbox) {
    let shared = Arc::new(Shared::default());
    (
        Outbox {
            shared: shared.clone(),
        },
        Inbox { shared },
    )
}

impl Shared {
    fn waiting(&self) -> MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Outbox {
    /// Queues `text`; an unsent older snapshot of the same kind goes (the new one comes last,
    /// so it still follows everything sent before it).
    pub fn push(
        &self,
        text: Utf8Bytes,
        snapshot: Option<Snapshot>,
        now: Instant,
    ) -> Result<(), TooSlow> {
        let mut waiting = self.shared.waiting();
        if let Some(kind) = snapshot
            && let Some(stale) = waiting
                .messages
                .iter()
                .position(|m| m.snapshot == Some(kind))
        {
            let stale = waiting.messages.remove(stale).expect("found just now");
            waiting.bytes -= stale.text.len();
        }
        let behind = waiting
            .messages
            .front()
            .is_some_and(|oldest| now.duration_since(oldest.since) > MAX_WAIT);
        if behind || waiting.bytes + text.len() > MAX_BYTES {
            return Err(TooSlow);
        }
        waiting.bytes += text.len();
        waiting.messages.push_back(Queued {
            text,
            snapshot,
            since: now,
        });
        drop(waiting);
        self.shared.ready.notify_one();
        Ok(())
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        self.shared.waiting().hub_gone = true;
        self.shared.ready.notify_one();
    }
}

impl Inbox {
    /// The next message to write; `None` once the hub let go and nothing waits.
    pub async fn recv(&mut self) -> Option<Utf8Bytes> {
        loop {
            {
                let mut waiting = self.shared.waiting();
                if let Some(next) = waiting.messages.pop_front() {
                    waiting.bytes -= next.text.len();
                    return Some(next.text);
                }
                if waiting.hub_gone {
                    return None;
                }
            }
            // A wake-up between the check and here is kept by `Notify` as a permit.
            self.shared.ready.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Utf8Bytes {
        s.to_owned().into()
    }

    #[tokio::test]
    async fn a_newer_snapshot_replaces_the_unsent_one_and_comes_last() {
        let (outbox, mut inbox) = channel();
        let now = Instant::now();
        outbox
            .push(text("queue 1"), Some(Snapshot::Queue), now)
            .unwrap();
        outbox.push(text("chat"), None, now).unwrap();
        outbox
            .push(
                text("place of 7"),
                Some(Snapshot::QueuePosition(SessionId(7))),
                now,
            )
            .unwrap();
        outbox
            .push(text("queue 2"), Some(Snapshot::Queue), now)
            .unwrap();
        drop(outbox);
        let mut got = Vec::new();
        while let Some(message) = inbox.recv().await {
            got.push(message.to_string());
        }
        assert_eq!(got, ["chat", "place of 7", "queue 2"]);
    }

    #[test]
    fn the_cut_is_by_bytes_and_by_time_not_by_count() {
        let (outbox, _inbox) = channel();
        let now = Instant::now();
        for _ in 0..10_000 {
            outbox.push(text("a short line"), None, now).unwrap();
        }
        let big = "x".repeat(MAX_BYTES);
        assert_eq!(outbox.push(big.into(), None, now), Err(TooSlow));
        let later = now + MAX_WAIT + Duration::from_millis(1);
        assert_eq!(outbox.push(text("one more"), None, later), Err(TooSlow));
    }

    #[tokio::test]
    async fn what_waits_is_written_before_the_close() {
        let (outbox, mut inbox) = channel();
        outbox.push(text("bye"), None, Instant::now()).unwrap();
        drop(outbox);
        assert_eq!(inbox.recv().await.as_deref(), Some("bye"));
        assert_eq!(inbox.recv().await, None);
    }
}
