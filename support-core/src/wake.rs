//! When the core next has time-driven work, so that its driver sleeps until then instead of
//! waking every second: the next hold message, orphaning, a customer's leaving beacon falling
//! due, or a dropped side's resume window running out.

use protocol::Millis;

use super::{Core, NO_REP_GRACE_MS};

/// How long the core sleeps at most: stale session keys and surveys are swept then.
pub const IDLE_WAKE_MS: Millis = 60_000;

/// When a change [`Core::tick`] decided could not be stored: it tries again this much later.
const RETRY_MS: Millis = 1_000;

impl Core {
    /// The earliest moment after `now` at which [`Core::tick`] has something to do.
    pub(super) fn next_wake(&self, now: Millis) -> Millis {
        let hold_ms = Millis::from(self.settings.hold_interval_secs) * 1000;
        let longest = Millis::from(self.settings.longest_wait_secs) * 1000;
        let window = self.resume_window;
        let mut next = now + IDLE_WAKE_MS;
        for s in self.sessions.values() {
            let mut due = |at: Option<Millis>| {
                if let Some(at) = at {
                    // Past means a change this tick decided was not stored: try again soon.
                    next = next.min(if at <= now { now + RETRY_MS } else { at });
                }
            };
            due(s.leaves_at);
            if s.leaves_at.is_none() {
                due(s.customer_away_since.map(|since| since + window));
                due(s.rep_away_since.map(|since| since + window));
            }
            if s.rep.is_some() {
                continue;
            }
            due((hold_ms > 0).then_some(s.last_hold + hold_ms));
            if !s.orphaned {
                due((longest > 0).then_some(s.new.queued_at + longest));
                if s.new.for_rep.is_none() {
                    due(self.no_reps_since.map(|since| since + NO_REP_GRACE_MS));
                }
            }
        }
        next
    }
}
