//! The customer state hearing the server: queue, notices, the rep, chat, files, sharing and the
//! end.

use std::rc::Rc;

use protocol::site;
use protocol::{EndReason, Party, ServerMessage, SessionId, ShareState};

use super::{CustomerState, Phase, Site, Survey, wait_placeholder};
use crate::chat_log::Note;
use crate::page::{Misdirected, PeerLink};
use crate::share::CustomerShare;

impl CustomerState {
    pub(super) fn push(&mut self, event: ServerMessage) -> Result<(), Misdirected> {
        let current = self.phase.session();
        match event {
            ServerMessage::Site { settings, notices } => {
                self.site = Some(Rc::new(Site {
                    settings: *settings,
                    notices,
                }));
            }
            ServerMessage::QueuePosition {
                session,
                position,
                wait_secs,
            } => self.set_position(session, position, wait_secs),
            ServerMessage::Hold {
                session,
                position,
                wait_secs,
                at,
            } => {
                if !matches!(self.phase, Phase::Waiting { .. }) || current != Some(session) {
                    return Ok(());
                }
                self.set_position(session, position, wait_secs);
                let hold = self.site_texts().hold;
                let text = site::fill(&hold, position, &wait_placeholder(wait_secs));
                Rc::make_mut(&mut self.log).add_note(Note { at, text });
            }
            ServerMessage::Notice { session, notice } => {
                if self.phase.open_session() == Some(session) {
                    self.sent_notices.retain(|known| known.id != notice.id);
                    self.sent_notices.push(notice);
                }
            }
            ServerMessage::PeerLink {
                session,
                party,
                online,
            } => {
                if party == Party::Rep && self.phase.open_session() == Some(session) {
                    self.rep_link = PeerLink::heard(online);
                }
            }
            ServerMessage::Orphaned { session, .. } => {
                if self.phase.open_session() == Some(session) {
                    self.orphaned = true;
                }
            }
            ServerMessage::SessionChanged(info) => {
                // A handover or a renamed rep: the new name and photo; the log stays.
                if let Phase::Chatting { session, rep_name } = &mut self.phase
                    && *session == info.session
                {
                    *rep_name = Some(info.rep_name);
                    self.rep_photo = info.rep_photo;
                }
            }
            ServerMessage::SessionStarted(info) => {
                let fits = match &self.phase {
                    Phase::Loading | Phase::Agreement | Phase::Recording | Phase::Entry => true,
                    Phase::Waiting { session, .. } | Phase::Chatting { session, .. } => {
                        *session == info.session
                    }
                    Phase::Declined | Phase::Ended { .. } => false,
                };
                if fits {
                    self.orphaned = false;
                    self.rep_link = PeerLink::Online;
                    self.rep_photo = info.rep_photo;
                    self.phase = Phase::Chatting {
                        session: info.session,
                        rep_name: Some(info.rep_name),
                    };
                }
            }
            ServerMessage::Received { session, by, seq } => {
                if current == Some(session) {
                    Rc::make_mut(&mut self.log).mark_received(by, seq);
                }
            }
            ServerMessage::File(event) => {
                if current == Some(event.session) {
                    Rc::make_mut(&mut self.files).update(event);
                }
            }
            ServerMessage::Chat(message) => {
                if current == Some(message.session) {
                    if message.from == Party::Rep {
                        self.embed.rep_wrote();
                    }
                    Rc::make_mut(&mut self.log).insert(message);
                }
            }
            ServerMessage::SessionEnded {
                session,
                by,
                reason,
                survey,
            } => {
                if current != Some(session) {
                    return Ok(());
                }
                // Our own "End session" may have been answered first; the server's word adds
                // who, why and whether to ask, unless the survey is already under way.
                if let Phase::Ended { survey: asked, .. } = self.phase
                    && asked != Survey::NotAsked
                {
                    return Ok(());
                }
                if reason == EndReason::Orphaned {
                    self.orphaned = true;
                }
                self.share = CustomerShare::Off;
                self.recorded = false;
                self.phase = Phase::Ended {
                    session,
                    by,
                    reason: Some(reason),
                    survey: if survey {
                        Survey::Open
                    } else {
                        Survey::NotAsked
                    },
                };
            }
            ServerMessage::Share { session, state } => {
                if let Phase::Chatting { rep_name, .. } = &self.phase
                    && current == Some(session)
                {
                    let rep_name = rep_name.clone().unwrap_or_default();
                    self.recorded = matches!(state, ShareState::Active { recorded: true, .. });
                    self.share.server(state, &rep_name);
                }
            }
            // Signaling goes to the peer connection, not into the state.
            ServerMessage::Signal { .. } => {}
            ServerMessage::Queue { .. }
            | ServerMessage::RepSessions { .. }
            | ServerMessage::Reps { .. }
            | ServerMessage::TransferredAway { .. }
            | ServerMessage::Ok { .. }
            | ServerMessage::Err { .. } => return Err(Misdirected),
        }
        Ok(())
    }

    fn set_position(&mut self, session: SessionId, position: u32, wait_secs: u32) {
        if let Phase::Waiting {
            session: waiting,
            position: known,
            wait_secs: estimate,
        } = &mut self.phase
            && *waiting == session
        {
            *known = Some(position);
            *estimate = Some(wait_secs);
        }
    }
}
