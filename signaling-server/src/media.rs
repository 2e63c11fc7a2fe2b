//! The media relays of the shares that pass through the server: one task each, off the hub's
//! thread, driving a [`media_relay::Relay`] with two UDP sockets and the runtime's clock.
//!
//! The hub hands over the core's [`MediaOrder`]s; a relay's signaling for the pages goes back
//! to the hub as [`Input::MediaSignal`], which sends it on as the other side's.
//!
//! With a master key, each relay records: at its first frame it tells the hub of the
//! recording and its wrapped key ([`Input::Recording`], stored before any segment), then writes each segment sealed
//! with the recording's own key to `recordings/<name>/<index>.webm.sealed` (a whole file
//! written aside and renamed, so a crash leaves only whole segments), and last tells the hub
//! that it stopped.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use media_relay::seal::{MasterKey, RecordingKey};
use media_relay::{Relay, Segment, Transmit};
use protocol::{Party, SessionId, Signal};
use support_core::{Input, MediaOrder, Recording};
use tokio::net::UdpSocket;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use crate::hub::{Command, WeakHub, now_millis};

/// Where recordings go, and the key that wraps each one's key.
#[derive(Clone)]
pub struct Recordings {
    pub dir: PathBuf,
    pub master: Arc<MasterKey>,
}

impl Recordings {
    /// The folder of the recording named `name`.
    pub fn folder(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// A segment's file in its recording's folder.
pub fn segment_path(folder: &Path, index: u32) -> PathBuf {
    folder.join(format!("{index:06}.webm.sealed"))
}

/// A page's signaling for a running relay, or `None` to close it.
type Order = Option<(Party, Signal)>;

/// The running relays, by session; owned by the hub's thread.
pub struct Relays {
    ip: IpAddr,
    recordings: Option<Recordings>,
    hub: WeakHub,
    runtime: Handle,
    running: HashMap<SessionId, mpsc::UnboundedSender<Order>>,
}

impl Relays {
    /// Relays whose sockets bind to `ip`, which browsers must be able to reach, recording into
    /// `recordings` if there is a master key; their tasks run on `runtime` and tell `hub` what to send (a weak handle: the hub's thread ends when
    /// the last connection's handle is gone, and a relay must not keep it alive).
    pub fn new(
        ip: IpAddr,
        recordings: Option<Recordings>,
        hub: WeakHub,
        runtime: Handle,
    ) -> Relays {
        Relays {
            ip,
            recordings,
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
                let recordings = self.recordings.clone();
                if recordings.is_none() {
                    warn!(%session, "recording is on, but without --recording-key-file nothing is recorded");
                }
                self.runtime.spawn(async move {
                    if let Err(e) = relay(session, ip, recordings, hub, inbox).await {
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

    /// Removes the segments of the recordings named, whose keys were deleted, off the hub's
    /// thread.
    pub fn delete(&self, names: Vec<String>) {
        let Some(recordings) = self.recordings.clone() else {
            return;
        };
        if names.is_empty() {
            return;
        }
        self.runtime.spawn_blocking(move || {
            for name in names {
                let folder = recordings.folder(&name);
                if let Err(e) = std::fs::remove_dir_all(&folder) {
                    warn!(folder = %folder.display(), error = %e, "an expired recording's segments stay");
                }
            }
        });
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
    recordings: Option<Recordings>,
    hub: WeakHub,
    mut orders: mpsc::UnboundedReceiver<Order>,
) -> anyhow::Result<()> {
    let customer = UdpSocket::bind(SocketAddr::new(ip, 0)).await?;
    let rep = UdpSocket::bind(SocketAddr::new(ip, 0)).await?;
    let (customer_at, rep_at) = (customer.local_addr()?, rep.local_addr()?);
    let mut recorder = recordings.map(|recordings| SegmentWriter::new(session, recordings));
    let record = recorder.is_some();
    let mut relay = Relay::new(Instant::now(), customer_at, rep_at, random_u32(), record)?;
    info!(%session, %customer_at, %rep_at, record, "media relay open");
    let (mut from_customer, mut from_rep) = ([0; DATAGRAM], [0; DATAGRAM]);
    loop {
        if let Some(recorder) = &mut recorder {
            if !recorder.announced && relay.recording_began() {
                recorder.announce(&hub).await?;
            }
            while let Some(segment) = relay.poll_segment() {
                recorder.write(segment);
            }
        }
        send_datagrams(&mut relay, customer_at, (&customer, &rep)).await;
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
    relay.close(Instant::now());
    send_datagrams(&mut relay, customer_at, (&customer, &rep)).await;
    // A recording that never had a frame was never announced, and leaves nothing.
    if let Some(mut recorder) = recorder.filter(|recorder| recorder.announced) {
        while let Some(segment) = relay.poll_segment() {
            recorder.write(segment);
        }
        let duration_ms = relay.recorded_ms().unwrap_or_default();
        recorder.stop(duration_ms, &hub).await;
    }
    info!(%session, "media relay closed");
    Ok(())
}

/// Sends what the relay has to send, each datagram from its side's socket: the customer's
/// at `customer_at`, else the rep's.
async fn send_datagrams(
    relay: &mut Relay,
    customer_at: SocketAddr,
    (customer, rep): (&UdpSocket, &UdpSocket),
) {
    while let Some(Transmit { from, to, bytes }) = relay.poll_transmit() {
        let socket = if from == customer_at { customer } else { rep };
        if let Err(e) = socket.send_to(&bytes, to).await {
            debug!(%to, error = %e, "a media datagram was not sent");
        }
    }
}

/// One recording's segments on their way to disk.
struct SegmentWriter {
    session: SessionId,
    name: String,
    folder: PathBuf,
    key: Arc<RecordingKey>,
    wrapped_key: Vec<u8>,
    /// The hub was told of it: its first frame came.
    announced: bool,
    writes: Vec<tokio::task::JoinHandle<()>>,
}

impl SegmentWriter {
    /// A new recording's name and key.
    fn new(session: SessionId, recordings: Recordings) -> SegmentWriter {
        let name = format!("{session}-{:08x}{:08x}", random_u32(), random_u32());
        let key = RecordingKey::random();
        SegmentWriter {
            session,
            folder: recordings.folder(&name),
            wrapped_key: recordings.master.wrap(&key, &name),
            name,
            key: Arc::new(key),
            announced: false,
            writes: Vec::new(),
        }
    }

    /// Its first frame came: its folder is made, and the hub stores it and its wrapped key
    /// (long before its first segment is written) and tells both pages. Its time is the
    /// video's start, to which the report puts the chat lines.
    async fn announce(&mut self, hub: &WeakHub) -> anyhow::Result<()> {
        tokio::fs::create_dir_all(&self.folder).await?;
        let started = Recording::Started {
            session: self.session,
            recording: self.name.clone(),
            wrapped_key: std::mem::take(&mut self.wrapped_key),
            at: now_millis(),
        };
        hub.send(Command::Input(Input::Recording(started))).await;
        self.announced = true;
        Ok(())
    }

    /// Seals and writes `segment` off the relay's task: a disk that is slow must not hold up
    /// the video.
    fn write(&mut self, segment: Segment) {
        let (key, path) = (self.key.clone(), segment_path(&self.folder, segment.index));
        let session = self.session;
        self.writes.push(tokio::task::spawn_blocking(move || {
            let sealed = key.seal(segment.index, segment.webm);
            let aside = path.with_extension("partial");
            let written = std::fs::write(&aside, sealed).and_then(|()| {
                std::fs::File::open(&aside)?.sync_all()?;
                std::fs::rename(&aside, &path)
            });
            if let Err(e) = written {
                warn!(%session, path = %path.display(), error = %e, "a recording's segment was lost");
            }
        }));
    }

    /// Waits for the segments' writes, then tells the hub that the recording stopped.
    async fn stop(self, duration_ms: u64, hub: &WeakHub) {
        let segments = self.writes.len() as u32;
        for write in self.writes {
            let _ = write.await;
        }
        let stopped = Recording::Stopped {
            session: self.session,
            recording: self.name,
            at: now_millis(),
            duration_ms,
            segments,
        };
        hub.send(Command::Input(Input::Recording(stopped))).await;
    }
}

/// A random number: the rep's track's SSRC (RFC 3550 wants them unpredictable), a recording's
/// name.
fn random_u32() -> u32 {
    let mut bytes = [0; 4];
    getrandom::fill(&mut bytes).expect("the system's random source");
    u32::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_relay::seal::KEY_LEN;

    #[tokio::test]
    async fn an_expired_recordings_segments_are_removed_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let recordings = Recordings {
            dir: dir.path().to_owned(),
            master: Arc::new(MasterKey::new(&[1; KEY_LEN])),
        };
        for name in ["old", "new"] {
            std::fs::create_dir_all(recordings.folder(name)).unwrap();
            std::fs::write(segment_path(&recordings.folder(name), 0), b"sealed").unwrap();
        }
        let (inbox, _commands) = mpsc::channel(1);
        let relays = Relays::new(
            IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            Some(recordings.clone()),
            WeakHub::new(&inbox),
            Handle::current(),
        );
        relays.delete(vec!["old".into()]);
        let gone = async {
            while recordings.folder("old").exists() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(5), gone)
            .await
            .expect("the old recording's folder removed");
        assert!(segment_path(&recordings.folder("new"), 0).exists());
    }
}
