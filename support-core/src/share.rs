//! Screen sharing as the server sees it: who asked, whether the customer consented, and
//! signaling relayed only between the two sides of the session while the consent holds.
//!
//! The media goes peer to peer unless the share is to be recorded: then the runtime's media
//! relay stands between the pages ([`MediaOrder`]), each page's signaling goes to it, and what
//! it answers comes back as [`crate::Input::MediaSignal`]. The pages keep their roles (the
//! customer's offers, the rep's answers) and cannot tell the difference.

use protocol::{
    ErrorCode, Millis, Party, Reason, Reply, ServerMessage, SessionId, ShareAnswer, ShareMode,
    ShareState, Signal,
};

use super::{ConnId, Core, Decision, Query, Refusal, Who, refuse, refuse_for};
use crate::{Recording, Sharing};

/// Where sharing stands in one session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Share {
    #[default]
    Off,
    /// The rep asked; the customer has not answered.
    Requested(ShareMode),
    /// The customer consented.
    Active(ShareMode, MediaPath),
}

/// Which way a share's media goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaPath {
    PeerToPeer,
    /// Through the server's media relay, which records it (`recorded` once it does).
    ThroughServer {
        recorded: bool,
    },
}

/// What the runtime's media relay is to do for a share that passes through the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaOrder {
    /// The customer consented to share: stand between the customer and the rep.
    Open { session: SessionId },
    /// A page's signaling, for the relay's side of that page's connection.
    Signal {
        session: SessionId,
        from: Party,
        signal: Signal,
    },
    /// Sharing ended: close both sides.
    Close { session: SessionId },
}

/// A checked change to a session's sharing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ShareStep {
    Request(ShareMode),
    Answer(ShareAnswer),
    Stop(Party),
}

/// Why sharing may start or stop.
#[derive(Debug, Clone, Copy)]
pub(super) enum ShareCause<'a> {
    Step(&'a ShareStep),
    /// The session ends or passes to another rep.
    SessionChanged,
}

impl Core {
    pub(super) fn decide_request_share(
        &self,
        who: &Who,
        session: SessionId,
        mode: ShareMode,
    ) -> Result<Decision, Refusal> {
        self.rep(who, "ask for screen sharing")?;
        let (s, _, _) = self.member(who, session)?;
        match s.share {
            Share::Off => Ok(Decision::Share {
                session,
                step: ShareStep::Request(mode),
            }),
            Share::Requested(_) => refuse_for(
                ErrorCode::WrongState,
                Reason::ShareRequested,
                "a request to share is waiting for the customer's answer",
            ),
            Share::Active(..) => refuse_for(
                ErrorCode::WrongState,
                Reason::SharedAlready,
                "the screen is shared already",
            ),
        }
    }

    pub(super) fn decide_answer_share(
        &self,
        who: &Who,
        session: SessionId,
        answer: ShareAnswer,
    ) -> Result<Decision, Refusal> {
        let (s, by, _) = self.member(who, session)?;
        if by != Party::Customer {
            return refuse(
                ErrorCode::Forbidden,
                "only the customer answers a request to share",
            );
        }
        match s.share {
            Share::Requested(_) => Ok(Decision::Share {
                session,
                step: ShareStep::Answer(answer),
            }),
            _ => refuse_for(
                ErrorCode::WrongState,
                Reason::NoShareRequest,
                "no request to share is waiting",
            ),
        }
    }

    pub(super) fn decide_signal(
        &self,
        who: &Who,
        session: SessionId,
        signal: Signal,
    ) -> Result<Decision, Refusal> {
        let (s, from, _) = self.member(who, session)?;
        if !matches!(s.share, Share::Active(..)) {
            return refuse_for(
                ErrorCode::WrongState,
                Reason::NotSharing,
                "screen sharing is not on in this session",
            );
        }
        Ok(Decision::Signal {
            session,
            from,
            signal,
        })
    }

    pub(super) fn decide_stop_share(
        &self,
        who: &Who,
        session: SessionId,
    ) -> Result<Decision, Refusal> {
        let (s, by, _) = self.member(who, session)?;
        if s.share == Share::Off {
            return refuse_for(
                ErrorCode::WrongState,
                Reason::NotSharing,
                "screen sharing is not on",
            );
        }
        Ok(Decision::Share {
            session,
            step: ShareStep::Stop(by),
        })
    }

    /// Who asks for TURN credentials: a rep, or a customer whose screen the rep asked for or
    /// sees; never a visitor, nor a customer who only waits (the relay is no one's to use
    /// before the service begins).
    pub(super) fn decide_ice_servers(&self, who: &Who) -> Result<Query, Refusal> {
        let user = match who {
            Who::Customer(session) => {
                let sharing = self
                    .sessions
                    .get(session)
                    .is_some_and(|s| s.share != Share::Off);
                if !sharing {
                    return refuse_for(
                        ErrorCode::WrongState,
                        Reason::NotSharing,
                        "relay credentials come with a request to share the screen",
                    );
                }
                format!("s{session}")
            }
            Who::Rep(rep) => format!("r{}", rep.id),
            _ => {
                return refuse(
                    ErrorCode::Forbidden,
                    "only the people in a session may have relay credentials",
                );
            }
        };
        Ok(Query::IceServers { user })
    }

    pub(super) fn apply_share(
        &mut self,
        conn: ConnId,
        id: u64,
        session: SessionId,
        step: ShareStep,
    ) {
        let Some(s) = self.sessions.get_mut(&session) else {
            return;
        };
        let rep_name = s
            .rep
            .as_ref()
            .map(|(_, name)| name.clone())
            .unwrap_or_default();
        // Recorded only with both the customer's consent and the site's policy.
        let to_record =
            self.settings.record_screens && s.new.recording.is_some_and(|consent| consent.allowed);
        let path = match to_record {
            true => MediaPath::ThroughServer { recorded: false },
            false => MediaPath::PeerToPeer,
        };
        let (share, state) = match (step, s.share) {
            (ShareStep::Request(mode), _) => (
                Share::Requested(mode),
                ShareState::Requested { mode, rep_name },
            ),
            (ShareStep::Answer(ShareAnswer::Accept), Share::Requested(mode)) => {
                let recorded = false;
                (
                    Share::Active(mode, path),
                    ShareState::Active { mode, recorded },
                )
            }
            (ShareStep::Answer(ShareAnswer::CouldNotCapture(failure)), _) => {
                (Share::Off, ShareState::CouldNotStart { failure })
            }
            (ShareStep::Answer(_), _) => (Share::Off, ShareState::Declined),
            (ShareStep::Stop(by), _) => (Share::Off, ShareState::Stopped { by: Some(by) }),
        };
        let was = std::mem::replace(&mut s.share, share);
        self.route_media(session, was, share);
        self.reply(conn, id, Reply::Done);
        self.send_to_session(session, ServerMessage::Share { session, state });
    }

    /// Opens or closes the media relay as a share through the server starts or ends.
    fn route_media(&mut self, session: SessionId, was: Share, now: Share) {
        let through_server =
            |share| matches!(share, Share::Active(_, MediaPath::ThroughServer { .. }));
        match (through_server(was), through_server(now)) {
            (false, true) => self.media_orders.push_back(MediaOrder::Open { session }),
            (true, false) => self.media_orders.push_back(MediaOrder::Close { session }),
            _ => {}
        }
    }

    /// Sends `signal` to the other side of the session only, or to the media relay when the
    /// share passes through the server.
    pub(super) fn relay_signal(&mut self, session: SessionId, from: Party, signal: Signal) {
        let Some(s) = self.sessions.get(&session) else {
            return;
        };
        if matches!(s.share, Share::Active(_, MediaPath::ThroughServer { .. })) {
            let order = MediaOrder::Signal {
                session,
                from,
                signal,
            };
            return self.media_orders.push_back(order);
        }
        let to = match from {
            Party::Customer => s
                .rep
                .as_ref()
                .and_then(|(rep, _)| self.rep_conns.get(rep).cloned())
                .unwrap_or_default(),
            Party::Rep => s.customer_conns.clone(),
        };
        self.send(
            to,
            ServerMessage::Signal {
                session,
                from,
                signal,
            },
        );
    }

    /// A recording began or ended: both sides are told while the share it belongs to is on.
    pub(super) fn apply_recording(&mut self, recording: Recording) {
        let (session, on) = match recording {
            Recording::Started { session, .. } => (session, true),
            Recording::Stopped { session, .. } => (session, false),
            Recording::Viewed { .. } | Recording::Deleted { .. } => return,
        };
        let Some(s) = self.sessions.get_mut(&session) else {
            return;
        };
        let Share::Active(mode, MediaPath::ThroughServer { recorded }) = &mut s.share else {
            return;
        };
        *recorded = on;
        let state = ShareState::Active {
            mode: *mode,
            recorded: on,
        };
        self.send_to_session(session, ServerMessage::Share { session, state });
    }

    /// Sends the media relay's signaling to the page of `to`, as if the other side wrote it;
    /// dropped once the share no longer passes through the server.
    pub(super) fn relay_from_server(&mut self, session: SessionId, to: Party, signal: Signal) {
        let Some(s) = self.sessions.get(&session) else {
            return;
        };
        if !matches!(s.share, Share::Active(_, MediaPath::ThroughServer { .. })) {
            return;
        }
        let (conns, from) = match to {
            Party::Customer => (s.customer_conns.clone(), Party::Rep),
            Party::Rep => {
                let rep = s.rep.as_ref().and_then(|(rep, _)| self.rep_conns.get(rep));
                (rep.cloned().unwrap_or_default(), Party::Customer)
            }
        };
        let message = ServerMessage::Signal {
            session,
            from,
            signal,
        };
        self.send(conns, message);
    }

    /// Ends sharing without either side asking (the session ended or changed hands): the
    /// consent was for this rep and this session only.
    pub(super) fn end_share(&mut self, session: SessionId) {
        let Some(s) = self.sessions.get_mut(&session) else {
            return;
        };
        if s.share == Share::Off {
            return;
        }
        let was = std::mem::replace(&mut s.share, Share::Off);
        self.route_media(session, was, Share::Off);
        let state = ShareState::Stopped { by: None };
        self.send_to_session(session, ServerMessage::Share { session, state });
    }

    /// What the audit log keeps of a decision about `session`: sharing's start when the
    /// customer consents, its stop when a side stops it, and its stop when the session ends or
    /// changes hands while a screen is shared.
    pub(super) fn share_record(
        &self,
        session: SessionId,
        cause: ShareCause,
        at: Millis,
    ) -> Option<Sharing> {
        let active = matches!(self.sessions.get(&session)?.share, Share::Active(..));
        let (started, by) = match cause {
            ShareCause::Step(ShareStep::Answer(ShareAnswer::Accept)) => {
                (true, Some(Party::Customer))
            }
            ShareCause::Step(ShareStep::Stop(by)) if active => (false, Some(*by)),
            ShareCause::SessionChanged if active => (false, None),
            ShareCause::Step(_) | ShareCause::SessionChanged => return None,
        };
        Some(Sharing {
            session,
            started,
            by,
            at,
        })
    }

    /// Where sharing stands, for a page that (re)connects; nothing when it is off.
    pub(super) fn share_view(&self, session: SessionId) -> Option<ServerMessage> {
        let s = self.sessions.get(&session)?;
        let state = match s.share {
            Share::Off => return None,
            Share::Requested(mode) => ShareState::Requested {
                mode,
                rep_name: s.rep.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
            },
            Share::Active(mode, path) => ShareState::Active {
                mode,
                recorded: path == MediaPath::ThroughServer { recorded: true },
            },
        };
        Some(ServerMessage::Share { session, state })
    }
}
