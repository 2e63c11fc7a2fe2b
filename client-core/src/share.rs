//! Screen sharing as each side's page shows it. Plain values only: the capture and the peer
//! connection live with the browser app's providers (`client-wasm`'s `customer/sharing.rs` and
//! `rep/sharing.rs`), so native tests cover every step here.

use protocol::{CaptureFailure, ShareMode, ShareState};

/// Where a peer connection stands, as the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerState {
    Connecting,
    Connected,
    /// ICE failed or the other side is gone: a retry restarts ICE.
    Failed,
    Closed,
}

/// The rep's readout.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    pub width: u32,
    pub height: u32,
    pub frames_per_second: f64,
    pub bitrate_kbps: f64,
    pub round_trip_ms: Option<f64>,
    pub frames_decoded: u64,
}

/// How the media connection between the two pages is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaLink {
    #[default]
    Connecting,
    Connected,
    /// ICE failed or the other side is gone; a retry can restart it.
    Failed,
}

impl MediaLink {
    /// The link as a peer connection's state shows it; `None` for a closed connection, which
    /// only happens when this page dropped it.
    pub fn from_peer(state: PeerState) -> Option<MediaLink> {
        match state {
            PeerState::Connecting => Some(MediaLink::Connecting),
            PeerState::Connected => Some(MediaLink::Connected),
            PeerState::Failed => Some(MediaLink::Failed),
            PeerState::Closed => None,
        }
    }
}

/// The customer's side of sharing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CustomerShare {
    #[default]
    Off,
    /// The rep asked. `resume`: the customer had agreed, but a reload took the capture, so the
    /// screen has to be picked again (the server's consent still holds).
    Asked {
        mode: ShareMode,
        rep_name: String,
        resume: bool,
    },
    /// The browser's picker is open, or the consent is on its way.
    Answering { mode: ShareMode, rep_name: String },
    On {
        mode: ShareMode,
        rep_name: String,
        link: MediaLink,
    },
    /// The customer agreed, but the browser could not capture the screen.
    CouldNotStart(CaptureFailure),
}

impl CustomerShare {
    /// What the server says; `rep_name` names the session's rep for a page that did not see
    /// the request (after a reload).
    pub fn server(&mut self, state: ShareState, rep_name: &str) {
        *self = match (state, std::mem::take(self)) {
            (ShareState::Requested { mode, rep_name }, _) => CustomerShare::Asked {
                mode,
                rep_name,
                resume: false,
            },
            (ShareState::Active { mode, .. }, CustomerShare::On { rep_name, link, .. }) => {
                CustomerShare::On {
                    mode,
                    rep_name,
                    link,
                }
            }
            (ShareState::Active { mode, .. }, CustomerShare::Answering { rep_name, .. }) => {
                CustomerShare::On {
                    mode,
                    rep_name,
                    link: MediaLink::Connecting,
                }
            }
            // Sharing is on, but this page has no capture: the customer picks again.
            (ShareState::Active { mode, .. }, CustomerShare::Asked { rep_name, .. }) => {
                CustomerShare::Asked {
                    mode,
                    rep_name,
                    resume: true,
                }
            }
            (
                ShareState::Active { mode, .. },
                CustomerShare::Off | CustomerShare::CouldNotStart(_),
            ) => CustomerShare::Asked {
                mode,
                rep_name: rep_name.to_owned(),
                resume: true,
            },
            (ShareState::CouldNotStart { failure }, _) => CustomerShare::CouldNotStart(failure),
            // After a reload the page stops the consent it could not capture for; why stays.
            (ShareState::Stopped { .. }, failed @ CustomerShare::CouldNotStart(_)) => failed,
            (ShareState::Declined | ShareState::Stopped { .. }, _) => CustomerShare::Off,
        };
    }

    /// The browser could not capture what the customer agreed to share.
    pub fn could_not_start(&mut self, failure: CaptureFailure) {
        *self = CustomerShare::CouldNotStart(failure);
    }

    /// The customer pressed "Share screen": the picker opens.
    pub fn answering(&mut self) {
        if let CustomerShare::Asked { mode, rep_name, .. } = self {
            *self = CustomerShare::Answering {
                mode: *mode,
                rep_name: std::mem::take(rep_name),
            };
        }
    }

    /// A picked screen after a reload: sharing goes on without a new consent.
    pub fn resumed(&mut self) {
        if let CustomerShare::Answering { mode, rep_name } = self {
            *self = CustomerShare::On {
                mode: *mode,
                rep_name: std::mem::take(rep_name),
                link: MediaLink::Connecting,
            };
        }
    }

    pub fn link(&mut self, next: MediaLink) {
        if let CustomerShare::On { link, .. } = self {
            *link = next;
        }
    }

    /// Whether the customer's screen is being sent (or about to be).
    pub fn is_on(&self) -> bool {
        matches!(self, CustomerShare::On { .. })
    }

    /// Whether the "Share screen" button should wait: the picker is open.
    pub fn busy(&self) -> bool {
        matches!(self, CustomerShare::Answering { .. })
    }
}

/// A session's sharing as the rep's console shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RepShare {
    #[default]
    Idle,
    /// "Request screen sharing" is on its way.
    Requesting {
        mode: ShareMode,
    },
    /// The customer has not answered.
    Waiting {
        mode: ShareMode,
    },
    Declined,
    /// The customer agreed, but their browser could not capture the screen.
    CouldNotStart(CaptureFailure),
    On {
        mode: ShareMode,
        link: MediaLink,
        /// The customer's screen arrived and is shown.
        stream: bool,
        figures: Option<Figures>,
    },
    Ended,
    /// The console lost the connection while sharing was on; it was stopped.
    Interrupted,
}

impl RepShare {
    pub fn server(&mut self, state: ShareState) {
        *self = match (state, std::mem::take(self)) {
            (ShareState::Requested { mode, .. }, _) => RepShare::Waiting { mode },
            (ShareState::Declined, _) => RepShare::Declined,
            (ShareState::CouldNotStart { failure }, _) => RepShare::CouldNotStart(failure),
            (
                ShareState::Active { mode, .. },
                RepShare::On {
                    link,
                    stream,
                    figures,
                    ..
                },
            ) => RepShare::On {
                mode,
                link,
                stream,
                figures,
            },
            (ShareState::Active { mode, .. }, _) => RepShare::On {
                mode,
                link: MediaLink::Connecting,
                stream: false,
                figures: None,
            },
            (ShareState::Stopped { .. }, RepShare::Interrupted) => RepShare::Interrupted,
            (ShareState::Stopped { .. }, _) => RepShare::Ended,
        };
    }

    pub fn requesting(&mut self, mode: ShareMode) {
        if self.can_request() {
            *self = RepShare::Requesting { mode };
        }
    }

    /// The server refused the request.
    pub fn refused(&mut self) {
        if matches!(self, RepShare::Requesting { .. }) {
            *self = RepShare::Idle;
        }
    }

    pub fn interrupted(&mut self) {
        *self = RepShare::Interrupted;
    }

    /// The session is over for this console (ended or handed over).
    pub fn session_over(&mut self) {
        if matches!(
            self,
            RepShare::Requesting { .. } | RepShare::Waiting { .. } | RepShare::On { .. }
        ) {
            *self = RepShare::Ended;
        }
    }

    pub fn link(&mut self, next: MediaLink) {
        if let RepShare::On { link, .. } = self {
            *link = next;
        }
    }

    pub fn stream(&mut self) {
        if let RepShare::On { stream, link, .. } = self {
            *stream = true;
            if *link == MediaLink::Connecting {
                *link = MediaLink::Connected;
            }
        }
    }

    pub fn figures(&mut self, next: Figures) {
        if let RepShare::On { figures, .. } = self {
            *figures = Some(next);
        }
    }

    /// Whether "Request screen sharing" may be pressed.
    pub fn can_request(&self) -> bool {
        !matches!(
            self,
            RepShare::Requesting { .. } | RepShare::Waiting { .. } | RepShare::On { .. }
        )
    }
}

/// The readout: "1280×720 · 15 fps · 850 kbit/s · RTT 12 ms".
pub fn readout(figures: &Figures) -> String {
    // Whole numbers: formatting a float with a precision costs the wasm app several KB.
    let whole = |value: f64| value.round() as u64;
    let mut text = format!(
        "{}×{} · {} fps · {} kbit/s",
        figures.width,
        figures.height,
        whole(figures.frames_per_second),
        whole(figures.bitrate_kbps)
    );
    if let Some(rtt) = figures.round_trip_ms {
        text.push_str(&format!(" · RTT {} ms", whole(rtt)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::Party;

    fn requested(mode: ShareMode) -> ShareState {
        ShareState::Requested {
            mode,
            rep_name: "Bo".into(),
        }
    }

    #[test]
    fn the_customer_consents_and_shares_until_stopped() {
        let mut share = CustomerShare::Off;
        share.server(requested(ShareMode::CustomerChooses), "Rita");
        assert_eq!(
            share,
            CustomerShare::Asked {
                mode: ShareMode::CustomerChooses,
                rep_name: "Bo".into(),
                resume: false
            }
        );
        share.answering();
        assert!(share.busy());
        share.server(
            ShareState::Active {
                mode: ShareMode::CustomerChooses,
                recorded: false,
            },
            "Rita",
        );
        share.link(MediaLink::Connected);
        assert_eq!(
            share,
            CustomerShare::On {
                mode: ShareMode::CustomerChooses,
                rep_name: "Bo".into(),
                link: MediaLink::Connected
            }
        );
        // A reconnect repeats the state; the link stays as it is.
        share.server(
            ShareState::Active {
                mode: ShareMode::CustomerChooses,
                recorded: false,
            },
            "Rita",
        );
        assert!(matches!(
            share,
            CustomerShare::On {
                link: MediaLink::Connected,
                ..
            }
        ));
        share.server(
            ShareState::Stopped {
                by: Some(Party::Rep),
            },
            "Rita",
        );
        assert_eq!(share, CustomerShare::Off);
    }

    #[test]
    fn after_a_reload_the_customer_picks_the_screen_again() {
        let mut share = CustomerShare::Off;
        let active = ShareState::Active {
            mode: ShareMode::Unrestricted,
            recorded: false,
        };
        share.server(active, "Rita");
        assert_eq!(
            share,
            CustomerShare::Asked {
                mode: ShareMode::Unrestricted,
                rep_name: "Rita".into(),
                resume: true
            }
        );
        share.answering();
        share.resumed();
        assert!(share.is_on());
    }

    #[test]
    fn a_declined_request_turns_sharing_off() {
        let mut share = CustomerShare::Off;
        share.server(requested(ShareMode::Unrestricted), "Rita");
        share.server(ShareState::Declined, "Rita");
        assert_eq!(share, CustomerShare::Off);
    }

    #[test]
    fn a_capture_that_failed_is_no_refusal_on_either_side() {
        let blocked = CaptureFailure::Blocked;
        let mut share = CustomerShare::Off;
        share.server(requested(ShareMode::Unrestricted), "Rita");
        share.answering();
        share.could_not_start(blocked);
        share.server(ShareState::CouldNotStart { failure: blocked }, "Rita");
        assert_eq!(share, CustomerShare::CouldNotStart(blocked));
        // After a reload the page stops the consent it could not capture for.
        share.server(ShareState::Stopped { by: None }, "Rita");
        assert_eq!(share, CustomerShare::CouldNotStart(blocked));
        share.server(requested(ShareMode::Unrestricted), "Rita");
        assert!(matches!(share, CustomerShare::Asked { .. }));

        let mut rep = RepShare::Idle;
        rep.server(requested(ShareMode::Unrestricted));
        rep.server(ShareState::CouldNotStart { failure: blocked });
        assert_eq!(rep, RepShare::CouldNotStart(blocked));
        assert!(rep.can_request());
    }

    #[test]
    fn the_rep_cannot_request_twice_and_sees_each_state() {
        let mut share = RepShare::Idle;
        share.requesting(ShareMode::Unrestricted);
        assert!(!share.can_request());
        share.server(requested(ShareMode::Unrestricted));
        assert_eq!(
            share,
            RepShare::Waiting {
                mode: ShareMode::Unrestricted
            }
        );
        share.server(ShareState::Declined);
        assert!(share.can_request());
        share.requesting(ShareMode::CustomerChooses);
        share.server(requested(ShareMode::CustomerChooses));
        share.server(ShareState::Active {
            mode: ShareMode::CustomerChooses,
            recorded: false,
        });
        share.stream();
        assert!(matches!(
            share,
            RepShare::On {
                stream: true,
                link: MediaLink::Connected,
                ..
            }
        ));
        assert!(!share.can_request());
        share.server(ShareState::Stopped {
            by: Some(Party::Customer),
        });
        assert_eq!(share, RepShare::Ended);
        assert!(share.can_request());
    }

    #[test]
    fn a_refused_request_can_be_made_again() {
        let mut share = RepShare::Idle;
        share.requesting(ShareMode::Unrestricted);
        share.refused();
        assert_eq!(share, RepShare::Idle);
    }

    #[test]
    fn an_interrupted_share_stays_interrupted_when_its_stop_arrives() {
        let mut share = RepShare::Idle;
        share.interrupted();
        share.server(ShareState::Stopped {
            by: Some(Party::Rep),
        });
        assert_eq!(share, RepShare::Interrupted);
    }

    #[test]
    fn the_readout_names_each_figure() {
        let figures = Figures {
            width: 1280,
            height: 720,
            frames_per_second: 15.0,
            bitrate_kbps: 850.4,
            round_trip_ms: Some(12.2),
            frames_decoded: 100,
        };
        assert_eq!(
            readout(&figures),
            "1280×720 · 15 fps · 850 kbit/s · RTT 12 ms"
        );
    }
}
