//! Connections that drop. The session waits for the side that dropped: its place in the queue,
//! its rep and its consent stay, and the other side hears "reconnecting" and then "back"
//! ([`ServerMessage::PeerLink`]). A side that is not back within the resume window ends the
//! session ([`EndReason::Lost`]). After a restart everyone counts as dropped at the start.

use protocol::{EndReason, Millis, Party, RepId, ServerMessage, SessionId};

use super::{Core, push};
use crate::Change;

/// How long a dropped side has to come back, unless configured otherwise: long enough for a
/// laptop lid, a train tunnel or a server restart, short enough that nobody waits for a ghost.
pub const DEFAULT_RESUME_WINDOW_MS: Millis = 120_000;

impl Core {
    pub fn set_resume_window(&mut self, window: Millis) {
        self.resume_window = window;
    }

    pub fn resume_window(&self) -> Millis {
        self.resume_window
    }

    /// The customer's last connection of `session` closed at `now`.
    pub(super) fn customer_dropped(&mut self, session: SessionId, now: Millis) {
        let Some(s) = self.sessions.get_mut(&session) else {
            return;
        };
        if !s.customer_conns.is_empty() || s.customer_away_since.is_some() {
            return;
        }
        s.customer_away_since = Some(now);
        self.wake_by(now + self.resume_window);
        self.tell_rep(session, Party::Customer, false);
    }

    /// A page of `session`'s customer said hello again.
    pub(super) fn customer_back(&mut self, session: SessionId) {
        let Some(s) = self.sessions.get_mut(&session) else {
            return;
        };
        if s.customer_away_since.take().is_some() {
            self.tell_rep(session, Party::Customer, true);
        }
    }

    /// The rep's last connection closed at `now`: their customers hear it.
    pub(super) fn rep_dropped(&mut self, rep: RepId, now: Millis) {
        self.wake_by(now + self.resume_window);
        for session in self.sessions_of(rep) {
            let s = self.sessions.get_mut(&session).expect("listed");
            if s.rep_away_since.is_none() {
                s.rep_away_since = Some(now);
                let to = s.customer_conns.clone();
                push(&mut self.outputs, to, link(session, Party::Rep, false));
            }
        }
    }

    /// The rep is connected again.
    pub(super) fn rep_back(&mut self, rep: RepId) {
        for session in self.sessions_of(rep) {
            let s = self.sessions.get_mut(&session).expect("listed");
            if s.rep_away_since.take().is_some() {
                let to = s.customer_conns.clone();
                push(&mut self.outputs, to, link(session, Party::Rep, true));
            }
        }
    }

    /// For a customer's page that (re)connects: whether its rep is away.
    pub(super) fn customer_links(&self, session: SessionId) -> Option<ServerMessage> {
        let s = self.sessions.get(&session)?;
        s.rep_away_since.map(|_| link(session, Party::Rep, false))
    }

    /// For a rep's console that (re)connects: which of their customers are away.
    pub(super) fn rep_links(&self, rep: RepId) -> Vec<ServerMessage> {
        self.sessions_of(rep)
            .into_iter()
            .filter(|id| self.sessions[id].customer_away_since.is_some())
            .map(|id| link(id, Party::Customer, false))
            .collect()
    }

    /// Sessions whose customer or rep has been away longer than the resume window: to end now.
    pub(super) fn lost(&self, now: Millis) -> Vec<Change> {
        let window = self.resume_window;
        let gone = |since: Option<Millis>| since.is_some_and(|t| now - t >= window);
        let mut lost: Vec<_> = self
            .sessions
            .values()
            .filter(|s| s.leaves_at.is_none())
            .filter_map(|s| {
                let by = if gone(s.customer_away_since) {
                    Party::Customer
                } else if gone(s.rep_away_since) {
                    Party::Rep
                } else {
                    return None;
                };
                Some((s.new.id, by))
            })
            .collect();
        lost.sort_unstable_by_key(|(session, _)| *session);
        lost.into_iter()
            .map(|(session, by)| Change::Ended {
                session,
                by: Some(by),
                reason: EndReason::Lost,
                at: now,
            })
            .collect()
    }

    fn sessions_of(&self, rep: RepId) -> Vec<SessionId> {
        let mut own: Vec<_> = self
            .sessions
            .values()
            .filter(|s| s.rep.as_ref().is_some_and(|(id, _)| *id == rep))
            .map(|s| s.new.id)
            .collect();
        own.sort_unstable();
        own
    }

    /// Tells the session's rep about the customer's link.
    fn tell_rep(&mut self, session: SessionId, party: Party, online: bool) {
        let s = &self.sessions[&session];
        let to = s
            .rep
            .as_ref()
            .and_then(|(rep, _)| self.rep_conns.get(rep))
            .cloned()
            .unwrap_or_default();
        push(&mut self.outputs, to, link(session, party, online));
    }
}

fn link(session: SessionId, party: Party, online: bool) -> ServerMessage {
    ServerMessage::PeerLink {
        session,
        party,
        online,
    }
}
