//! The rep's side of screen sharing: one receiving peer connection per shared session, the
//! customer's screen it brings, and the readout's figures once a second. The connections stay
//! out of the reducer's state; the state only learns where sharing stands.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use protocol::{Reply, Request, ServerMessage, SessionId, ShareMode, ShareState, Signal};
use wasm_bindgen_futures::spawn_local;
use web_sys::MediaStream;

use super::{Action, Dispatcher, RepHandle};
use crate::services::chat::send_signal;
use crate::services::webrtc::{Peer, PeerEvent};
use crate::services::ws::Connection;
use crate::services::{unexpected, warn};
use client_core::share::{MediaLink, RepShare};

/// One session's sharing, from the request on.
#[derive(Default)]
struct Screen {
    /// Tells this screen from a later one of the same session.
    id: u64,
    peer: Option<Rc<Peer>>,
    starting: bool,
    /// Signaling that came before the peer connection was made, in order.
    pending: Vec<Signal>,
    stream: Option<MediaStream>,
    ticker: Option<Interval>,
}

#[derive(Default)]
struct Inner {
    screens: RefCell<HashMap<SessionId, Screen>>,
    relay_only: Cell<bool>,
    next_id: Cell<u64>,
}

/// The console's peer connections, by session.
#[derive(Clone, Default)]
pub struct Media(Rc<Inner>);

impl PartialEq for Media {
    fn eq(&self, other: &Media) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Media {
    /// The customer's screen in `session`, once it arrived.
    pub fn stream(&self, session: SessionId) -> Option<MediaStream> {
        self.0.screens.borrow().get(&session)?.stream.clone()
    }

    /// Closes the session's connection and forgets its screen.
    fn drop_screen(&self, session: SessionId) {
        let screen = self.0.screens.borrow_mut().remove(&session);
        drop(screen);
    }

    /// Takes what the server pushed; `false` when the state should not hear of it.
    pub fn on_push(
        &self,
        conn: &Connection,
        dispatch: &Dispatcher,
        message: &ServerMessage,
    ) -> bool {
        match message {
            ServerMessage::Site { settings, .. } => self.0.relay_only.set(settings.relay_only),
            ServerMessage::Share { session, state } => match state {
                ShareState::Requested { .. } => {
                    let id = self.0.next_id.get() + 1;
                    self.0.next_id.set(id);
                    let screen = Screen {
                        id,
                        ..Screen::default()
                    };
                    let old = self.0.screens.borrow_mut().insert(*session, screen);
                    drop(old);
                }
                ShareState::Active { .. } => {
                    if !self.0.screens.borrow().contains_key(session) {
                        // Sharing that began before this console (re)connected: its offer went
                        // to a page that is gone, so it is stopped and asked for again.
                        conn.request(Request::StopShare { session: *session }, |_| {});
                        dispatch.dispatch(Action::ShareInterrupted(*session));
                        return false;
                    }
                    self.start(conn, dispatch, *session);
                }
                ShareState::Declined
                | ShareState::CouldNotStart { .. }
                | ShareState::Stopped { .. } => self.drop_screen(*session),
            },
            ServerMessage::Signal {
                session, signal, ..
            } => {
                let peer = {
                    let mut screens = self.0.screens.borrow_mut();
                    let Some(screen) = screens.get_mut(session) else {
                        return true;
                    };
                    if screen.peer.is_none() {
                        screen.pending.push(signal.clone());
                        return true;
                    }
                    screen.peer.clone()
                };
                if let Some(peer) = peer {
                    apply(conn, *session, peer, vec![signal.clone()]);
                }
            }
            ServerMessage::SessionEnded { session, .. }
            | ServerMessage::TransferredAway { session, .. } => self.drop_screen(*session),
            _ => {}
        }
        true
    }

    /// Makes the receiving connection with fresh ICE servers, then applies what came meanwhile.
    fn start(&self, conn: &Connection, dispatch: &Dispatcher, session: SessionId) {
        let id = {
            let mut screens = self.0.screens.borrow_mut();
            let Some(screen) = screens.get_mut(&session) else {
                return;
            };
            if screen.peer.is_some() || screen.starting {
                return;
            }
            screen.starting = true;
            screen.id
        };
        let relay_only = self.0.relay_only.get();
        let (media, conn2, dispatch) = (self.clone(), conn.clone(), dispatch.clone());
        conn.request(Request::IceServers, move |result| {
            let servers = match result {
                Ok(Reply::IceServers { servers }) => servers,
                Ok(other) => {
                    unexpected(&other);
                    Vec::new()
                }
                Err(_) => Vec::new(),
            };
            if media.id_of(session) != Some(id) {
                return;
            }
            let on_event = {
                let (media, conn, dispatch) = (media.clone(), conn2.clone(), dispatch.clone());
                move |event| match event {
                    PeerEvent::Signal(signal) => send_signal(&conn, session, signal),
                    PeerEvent::State(state) => {
                        if let Some(link) = MediaLink::from_peer(state) {
                            dispatch.dispatch(Action::ShareLink { session, link });
                        }
                    }
                    PeerEvent::Stream(stream) => media.attach(&dispatch, session, stream),
                }
            };
            let peer = match Peer::new(&servers, relay_only, on_event) {
                Ok(peer) => Rc::new(peer),
                Err(_) => {
                    warn("could not make a peer connection");
                    let link = MediaLink::Failed;
                    dispatch.dispatch(Action::ShareLink { session, link });
                    return;
                }
            };
            let pending = {
                let mut screens = media.0.screens.borrow_mut();
                let Some(screen) = screens.get_mut(&session) else {
                    return;
                };
                screen.starting = false;
                screen.peer = Some(peer.clone());
                std::mem::take(&mut screen.pending)
            };
            apply(&conn2, session, peer, pending);
        });
    }

    fn id_of(&self, session: SessionId) -> Option<u64> {
        self.0
            .screens
            .borrow()
            .get(&session)
            .map(|screen| screen.id)
    }

    /// The customer's screen arrived: kept for the video, and measured once a second.
    fn attach(&self, dispatch: &Dispatcher, session: SessionId, stream: MediaStream) {
        let mut screens = self.0.screens.borrow_mut();
        let Some(screen) = screens.get_mut(&session) else {
            return;
        };
        screen.stream = Some(stream);
        if screen.ticker.is_none()
            && let Some(peer) = screen.peer.clone()
        {
            let dispatch = dispatch.clone();
            screen.ticker = Some(Interval::new(1000, move || {
                let (peer, dispatch) = (peer.clone(), dispatch.clone());
                spawn_local(async move {
                    if let Ok(figures) = peer.figures().await {
                        dispatch.dispatch(Action::ShareFigures { session, figures });
                    }
                });
            }));
        }
        drop(screens);
        dispatch.dispatch(Action::ShareStream(session));
    }
}

/// Applies the customer's signaling in order: an offer is answered, candidates are added.
fn apply(conn: &Connection, session: SessionId, peer: Rc<Peer>, signals: Vec<Signal>) {
    let conn = conn.clone();
    spawn_local(async move {
        for signal in signals {
            let done = match signal {
                Signal::Offer { sdp } => match peer.answer(&sdp).await {
                    Ok(answer) => {
                        send_signal(&conn, session, answer);
                        Ok(())
                    }
                    Err(error) => Err(error),
                },
                Signal::Candidate {
                    candidate,
                    sdp_mid,
                    sdp_m_line_index,
                } => {
                    peer.add_candidate(&candidate, sdp_mid.as_deref(), sdp_m_line_index)
                        .await
                }
                // The rep's page answers; it never gets an answer.
                Signal::Answer { .. } => Ok(()),
            };
            if done.is_err() {
                warn("the customer's signaling did not apply");
            }
        }
    });
}

impl RepHandle {
    /// "Request screen sharing" in `mode`; the customer is asked.
    pub fn request_share(&self, (session, mode): (SessionId, ShareMode)) {
        self.state
            .dispatch(Action::ShareRequesting { session, mode });
        let dispatch = self.state.dispatcher();
        self.conn
            .request(Request::RequestShare { session, mode }, move |result| {
                if let Err(error) = result {
                    dispatch.dispatch(Action::ShareRefused { session, error });
                }
            });
    }

    /// "Stop screen sharing".
    pub fn stop_share(&self, session: SessionId) {
        self.media.drop_screen(session);
        self.request_done(Request::StopShare { session });
    }

    /// "Retry" after the connection was lost: stops, and asks the customer again in the same
    /// mode.
    pub fn retry_share(&self, session: SessionId) {
        let mode = match self.sessions.iter().find(|s| s.info.session == session) {
            Some(s) => match s.share {
                RepShare::On { mode, .. } => mode,
                _ => return,
            },
            None => return,
        };
        self.media.drop_screen(session);
        let rep = self.clone();
        self.conn.request(Request::StopShare { session }, move |_| {
            rep.request_share((session, mode))
        });
    }

    /// The customer's screen in `session`, once it arrived.
    pub fn screen(&self, session: SessionId) -> Option<MediaStream> {
        self.media.stream(session)
    }
}
