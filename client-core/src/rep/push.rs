//! The console's state hearing the server: the queue, sessions starting, chat, ends and
//! handovers, presence of other reps, files, notices, and sharing.

use std::rc::Rc;

use protocol::{EndReason, Party, ServerMessage, ShareState};

use super::{Ending, RepState};
use crate::page::{Misdirected, PeerLink};

impl RepState {
    pub(super) fn push(&mut self, event: ServerMessage) -> Result<(), Misdirected> {
        match event {
            ServerMessage::Queue { entries, waiting } => {
                // "Notice sent" is about a waiting customer; it goes when they do.
                let sent = self.notice_sent;
                if !sent.is_some_and(|s| entries.iter().any(|e| e.session == s)) {
                    self.notice_sent = None;
                }
                self.queue = Rc::new(entries);
                self.waiting = waiting;
                self.queue_heard = true;
            }
            ServerMessage::SessionStarted(info) => {
                let session = info.session;
                self.upsert(info);
                // Show the session the rep just accepted, or the first one there is.
                if self.accepting == Some(session) || self.current().is_none() {
                    self.selected = Some(session);
                }
                if self.accepting == Some(session) {
                    self.accepting = None;
                }
            }
            ServerMessage::Chat(message) => {
                let shown = self.selected == Some(message.session);
                if let Some(s) = self.session_mut(message.session) {
                    let from_customer = message.from == Party::Customer;
                    let new = Rc::make_mut(&mut s.log).insert(message);
                    if new && from_customer && !shown {
                        s.unread += 1;
                    }
                }
            }
            ServerMessage::SessionEnded {
                session,
                by,
                reason,
                ..
            } => {
                if let Some(s) = self.session_mut(session)
                    && !matches!(s.ending, Some(Ending::TransferredTo(_)))
                {
                    s.ending = Some(match (reason, by) {
                        (EndReason::Lost, _) => Ending::ConnectionLost,
                        (_, Some(by)) => Ending::By(by),
                        (_, None) => Ending::ByServer,
                    });
                    s.share.session_over();
                }
            }
            ServerMessage::PeerLink {
                session,
                party,
                online,
            } => {
                if let Some(s) = self.session_mut(session)
                    && party == Party::Customer
                {
                    s.customer_link = PeerLink::heard(online);
                }
            }
            ServerMessage::Received { session, by, seq } => {
                if let Some(s) = self.session_mut(session) {
                    Rc::make_mut(&mut s.log).mark_received(by, seq);
                }
            }
            ServerMessage::Reps { reps } => self.reps = Rc::new(reps),
            ServerMessage::TransferredAway { session, to_name } => {
                if let Some(s) = self.session_mut(session) {
                    s.ending = Some(Ending::TransferredTo(to_name));
                    s.share.session_over();
                }
            }
            ServerMessage::File(event) => {
                if let Some(s) = self.session_mut(event.session) {
                    Rc::make_mut(&mut s.files).update(event);
                }
            }
            ServerMessage::Site { notices, settings } => {
                self.watermark = settings.watermark;
                // The server sends only active notices; filtering again costs nothing.
                let active = notices.into_iter().filter(|n| n.draft.active).collect();
                self.notices = Rc::new(active);
            }
            ServerMessage::RepSessions { sessions, more } => {
                self.listed.extend(sessions.iter().map(|info| info.session));
                for info in sessions {
                    self.upsert(info);
                }
                if more {
                    return Ok(());
                }
                let listed = std::mem::take(&mut self.listed);
                for s in &mut self.sessions {
                    if !listed.contains(&s.info.session) && s.ending.is_none() {
                        s.ending = Some(Ending::WhileAway);
                    }
                }
                if self.current().is_none() {
                    self.selected = self.sessions.first().map(|s| s.info.session);
                }
            }
            ServerMessage::Share { session, state } => {
                if let Some(s) = self.session_mut(session) {
                    s.recorded = matches!(state, ShareState::Active { recorded: true, .. });
                    s.share.server(state);
                }
            }
            // Signaling goes to the peer connection, not into the state.
            ServerMessage::Signal { .. } => {}
            ServerMessage::QueuePosition { .. }
            | ServerMessage::Hold { .. }
            | ServerMessage::Notice { .. }
            | ServerMessage::SessionChanged(_)
            | ServerMessage::Orphaned { .. }
            | ServerMessage::Ok { .. }
            | ServerMessage::Err { .. } => return Err(Misdirected),
        }
        Ok(())
    }
}
