//! The customer's screen: capturing it after "Share screen", sending it to the rep over one
//! peer connection, swapping the source for "Change sharing" and stopping it. The capture and
//! the connection stay out of the reducer's state; the state only learns where sharing stands.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use protocol::{Reply, Request, SessionId, ShareAnswer, ShareMode, Signal};
use wasm_bindgen_futures::spawn_local;
use web_sys::MediaStream;

use super::{Action, CustomerHandle, Dispatcher};
use crate::services::chat::send_signal;
use crate::services::webrtc::{self, Peer, PeerEvent};
use crate::services::ws::Connection;
use crate::services::{unexpected, warn};
use client_core::share::{CustomerShare, MediaLink};

#[derive(Default)]
struct Inner {
    session: Option<SessionId>,
    stream: Option<MediaStream>,
    peer: Option<Rc<Peer>>,
    /// The peer connection is being made (the ICE servers were asked for).
    starting: bool,
    /// Listens for the browser's own "Stop sharing" on the current track.
    ended: Option<EventListener>,
    /// The site sends screens through the TURN relay only.
    relay_only: bool,
    /// Changes with every stop, so work begun for an earlier capture is dropped.
    generation: u64,
}

/// This page's capture and peer connection: at most one of each.
#[derive(Clone, Default)]
pub struct Screen(Rc<RefCell<Inner>>);

impl PartialEq for Screen {
    fn eq(&self, other: &Screen) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Screen {
    pub fn set_relay_only(&self, relay_only: bool) {
        self.0.borrow_mut().relay_only = relay_only;
    }

    fn generation(&self) -> u64 {
        self.0.borrow().generation
    }

    fn peer(&self) -> Option<Rc<Peer>> {
        self.0.borrow().peer.clone()
    }

    fn is_capturing(&self) -> bool {
        self.0.borrow().stream.is_some()
    }

    /// Stops the capture at once (the browser's indicator goes) and closes the connection.
    pub fn stop(&self) {
        let (stream, peer, ended) = {
            let mut inner = self.0.borrow_mut();
            inner.generation += 1;
            inner.starting = false;
            (inner.stream.take(), inner.peer.take(), inner.ended.take())
        };
        if let Some(stream) = stream {
            webrtc::stop(&stream);
        }
        drop((peer, ended));
    }

    /// Keeps `stream` as the capture, stopping the one before, and watches its end.
    fn keep(
        &self,
        session: SessionId,
        stream: MediaStream,
        conn: &Connection,
        dispatch: &Dispatcher,
    ) {
        let ended = webrtc::video_track(&stream).map(|track| {
            let (screen, conn, dispatch) = (self.clone(), conn.clone(), dispatch.clone());
            EventListener::new(&track, "ended", move |_| {
                // Not from inside the listener, which stopping drops.
                let (screen, conn, dispatch) = (screen.clone(), conn.clone(), dispatch.clone());
                spawn_local(async move { stop_and_tell(&screen, &conn, &dispatch) });
            })
        });
        let (old, _old_listener) = {
            let mut inner = self.0.borrow_mut();
            inner.session = Some(session);
            (
                inner.stream.replace(stream),
                std::mem::replace(&mut inner.ended, ended),
            )
        };
        if let Some(old) = old {
            webrtc::stop(&old);
        }
    }

    /// Connects to the rep and sends the capture: asks for fresh ICE servers, makes the peer
    /// connection and signals its offer. Does nothing without a capture or when already done.
    pub fn start(&self, conn: &Connection, dispatch: &Dispatcher) {
        let (session, generation, relay_only) = {
            let mut inner = self.0.borrow_mut();
            let Some(session) = inner.session else { return };
            if inner.stream.is_none() || inner.peer.is_some() || inner.starting {
                return;
            }
            inner.starting = true;
            (session, inner.generation, inner.relay_only)
        };
        let (screen, conn2, dispatch) = (self.clone(), conn.clone(), dispatch.clone());
        conn.request(Request::IceServers, move |result| {
            let servers = match result {
                Ok(Reply::IceServers { servers }) => servers,
                Ok(other) => {
                    unexpected(&other);
                    Vec::new()
                }
                // Without them, a direct connection may still work.
                Err(_) => Vec::new(),
            };
            if screen.generation() != generation {
                return;
            }
            let on_event = {
                let (conn, dispatch) = (conn2.clone(), dispatch.clone());
                move |event| match event {
                    PeerEvent::Signal(signal) => send_signal(&conn, session, signal),
                    PeerEvent::State(state) => {
                        if let Some(link) = MediaLink::from_peer(state) {
                            dispatch.dispatch(Action::ShareLink(link));
                        }
                    }
                    PeerEvent::Stream(_) => {}
                }
            };
            let peer = match Peer::new(&servers, relay_only, on_event) {
                Ok(peer) => Rc::new(peer),
                Err(_) => {
                    warn("could not make a peer connection");
                    dispatch.dispatch(Action::ShareLink(MediaLink::Failed));
                    return;
                }
            };
            let track = {
                let mut inner = screen.0.borrow_mut();
                inner.starting = false;
                inner.peer = Some(peer.clone());
                inner.stream.as_ref().and_then(webrtc::video_track)
            };
            let Some(track) = track else { return };
            spawn_local(async move {
                match peer.send(&track).await {
                    Ok(offer) => send_signal(&conn2, session, offer),
                    Err(_) => warn("could not make an offer"),
                }
            });
        });
    }

    /// The rep's answer and candidates.
    pub fn signal(&self, signal: Signal) {
        let Some(peer) = self.peer() else { return };
        spawn_local(async move {
            let done = match signal {
                Signal::Answer { sdp } => peer.accept_answer(&sdp).await,
                Signal::Candidate {
                    candidate,
                    sdp_mid,
                    sdp_m_line_index,
                } => {
                    peer.add_candidate(&candidate, sdp_mid.as_deref(), sdp_m_line_index)
                        .await
                }
                // The customer's page makes the offers.
                Signal::Offer { .. } => Ok(()),
            };
            if done.is_err() {
                warn("the rep's signaling did not apply");
            }
        });
    }
}

/// Stops sharing from this page and tells the rep.
fn stop_and_tell(screen: &Screen, conn: &Connection, dispatch: &Dispatcher) {
    let session = screen.0.borrow().session;
    let had = screen.is_capturing();
    screen.stop();
    dispatch.dispatch(Action::ShareOff);
    if let (Some(session), true) = (session, had) {
        conn.request(Request::StopShare { session }, |_| {});
    }
}

impl CustomerHandle {
    /// "Share screen": opens the browser's picker (this must run inside the click), then
    /// consents; a cancelled picker declines.
    pub fn share_screen(&self) {
        let CustomerShare::Asked { mode, resume, .. } = self.share else {
            return;
        };
        let Some(session) = self.phase.open_session() else {
            return;
        };
        self.state.dispatch(Action::ShareAnswering);
        let (screen, conn, dispatch) = (
            self.screen.clone(),
            self.conn.clone(),
            self.state.dispatcher(),
        );
        spawn_local(async move {
            let stream = match webrtc::capture(mode).await {
                Ok(stream) => stream,
                Err(error) => {
                    let failure = webrtc::capture_failure(&error);
                    let request = match (resume, failure) {
                        (true, _) => Request::StopShare { session },
                        (false, None) => Request::AnswerShare {
                            session,
                            answer: ShareAnswer::Decline,
                        },
                        (false, Some(failure)) => Request::AnswerShare {
                            session,
                            answer: ShareAnswer::CouldNotCapture(failure),
                        },
                    };
                    conn.request(request, |_| {});
                    dispatch.dispatch(match failure {
                        Some(failure) => Action::ShareCouldNotStart(failure),
                        None => Action::ShareOff,
                    });
                    return;
                }
            };
            screen.keep(session, stream, &conn, &dispatch);
            if resume {
                dispatch.dispatch(Action::ShareResumed);
                screen.start(&conn, &dispatch);
                return;
            }
            let request = Request::AnswerShare {
                session,
                answer: ShareAnswer::Accept,
            };
            // The server's `Active` starts the connection (see `Events`).
            let failed = (screen, dispatch);
            conn.request(request, move |result| {
                if let Err(error) = result {
                    let (screen, dispatch) = failed;
                    screen.stop();
                    dispatch.dispatch(Action::ShareOff);
                    dispatch.dispatch(Action::Failed(error));
                }
            });
        });
    }

    /// "Decline": nothing is captured.
    pub fn decline_share(&self) {
        let CustomerShare::Asked { resume, .. } = self.share else {
            return;
        };
        let Some(session) = self.phase.open_session() else {
            return;
        };
        let request = match resume {
            true => Request::StopShare { session },
            false => Request::AnswerShare {
                session,
                answer: ShareAnswer::Decline,
            },
        };
        let dispatch = self.state.dispatcher();
        self.conn.request(request, move |result| {
            if let Err(error) = result {
                dispatch.dispatch(Action::Failed(error));
            }
        });
        self.state.dispatch(Action::ShareOff);
    }

    /// "Stop screen sharing" / "Stop sharing": the capture stops at once, then the rep is told.
    pub fn stop_share(&self) {
        stop_and_tell(&self.screen, &self.conn, &self.state.dispatcher());
    }

    /// "Change sharing": the picker again; the new source replaces the old on the running
    /// connection. A cancelled picker keeps the old one.
    pub fn change_share(&self) {
        let Some(session) = self.phase.open_session() else {
            return;
        };
        let (screen, conn, dispatch) = (
            self.screen.clone(),
            self.conn.clone(),
            self.state.dispatcher(),
        );
        let generation = screen.generation();
        spawn_local(async move {
            let Ok(stream) = webrtc::capture(ShareMode::CustomerChooses).await else {
                return;
            };
            let track = webrtc::video_track(&stream);
            // Stopped meanwhile: the new capture is not wanted.
            if screen.generation() != generation || !screen.is_capturing() {
                webrtc::stop(&stream);
                return;
            }
            if let (Some(peer), Some(track)) = (screen.peer(), track)
                && peer.replace_track(&track).await.is_err()
            {
                warn("could not change the shared source");
                webrtc::stop(&stream);
                return;
            }
            screen.keep(session, stream, &conn, &dispatch);
        });
    }

    /// "Retry" after the connection failed: a new offer that restarts ICE.
    pub fn retry_share(&self) {
        let Some(peer) = self.screen.peer() else {
            return;
        };
        let Some(session) = self.phase.open_session() else {
            return;
        };
        self.state
            .dispatch(Action::ShareLink(MediaLink::Connecting));
        let conn = self.conn.clone();
        spawn_local(async move {
            match peer.offer(true).await {
                Ok(offer) => send_signal(&conn, session, offer),
                Err(_) => warn("could not restart the connection"),
            }
        });
    }
}
