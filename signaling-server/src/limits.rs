//! Rate limits: how fast one connection may send, and how often a login may fail to sign in.
//! Both are plain state machines over times passed in, so they are tested without a clock.

use std::collections::HashMap;

use protocol::Millis;

/// A token bucket: `burst` frames at once, refilled at `per_second`.
#[derive(Debug, Clone)]
pub struct MessageRate {
    tokens: f64,
    last: Millis,
    burst: f64,
    per_second: f64,
}

impl MessageRate {
    /// Far above a person typing or a page catching up after a reconnect, far below a flood.
    pub const PER_SECOND: u32 = 20;
    pub const BURST: u32 = 60;

    pub fn new(now: Millis) -> MessageRate {
        MessageRate {
            tokens: f64::from(Self::BURST),
            last: now,
            burst: f64::from(Self::BURST),
            per_second: f64::from(Self::PER_SECOND),
        }
    }

    /// Whether a frame arriving at `now` may be handled.
    pub fn allow(&mut self, now: Millis) -> bool {
        let elapsed = (now - self.last).max(0) as f64 / 1000.0;
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Failed sign-ins per login within a window. Keyed by login, not address, because guessing
/// one rep's password is the attack; a window rather than a lock-out, so an attacker can
/// delay a rep's sign-in by minutes at most.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: HashMap<String, (u32, Millis)>,
}

impl SignInThrottle {
    pub const MAX_FAILURES: u32 = 5;
    pub const WINDOW_MS: Millis = 5 * 60 * 1000;

    /// `None` if `login` may try now, else how many milliseconds it must wait.
    pub fn wait(&mut self, login: &str, now: Millis) -> Option<Millis> {
        let key = login.to_lowercase();
        let (count, since) = *self.failures.get(&key)?;
        let ends = since + Self::WINDOW_MS;
        if now >= ends {
            self.failures.remove(&key);
            return None;
        }
        (count >= Self::MAX_FAILURES).then_some(ends - now)
    }

    pub fn failed(&mut self, login: &str, now: Millis) {
        // Forget windows that are over, so the map cannot grow without end.
        self.failures
            .retain(|_, (_, since)| now < *since + Self::WINDOW_MS);
        let entry = self
            .failures
            .entry(login.to_lowercase())
            .or_insert((0, now));
        entry.0 += 1;
    }

    pub fn succeeded(&mut self, login: &str) {
        self.failures.remove(&login.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_steady_rate() {
        let mut rate = MessageRate::new(0);
        let burst = (0..100).filter(|_| rate.allow(0)).count();
        assert_eq!(burst, MessageRate::BURST as usize);
        // One second later, one second's worth more.
        let next = (0..100).filter(|_| rate.allow(1_000)).count();
        assert_eq!(next, MessageRate::PER_SECOND as usize);
        // A sender that keeps to the rate is never refused.
        let mut steady = MessageRate::new(0);
        assert!((1..=1_000).all(|i| steady.allow(i * 1_000 / i64::from(MessageRate::PER_SECOND))));
    }

    #[test]
    fn failed_sign_ins_are_throttled_per_login_for_a_window() {
        let mut throttle = SignInThrottle::default();
        for _ in 0..SignInThrottle::MAX_FAILURES {
            assert_eq!(throttle.wait("bo", 1_000), None);
            throttle.failed("bo", 1_000);
        }
        assert_eq!(
            throttle.wait("BO", 61_000),
            Some(SignInThrottle::WINDOW_MS - 60_000)
        );
        assert_eq!(
            throttle.wait("ann", 61_000),
            None,
            "other logins are not affected"
        );
        assert_eq!(throttle.wait("bo", 1_000 + SignInThrottle::WINDOW_MS), None);
    }

    #[test]
    fn a_success_clears_the_failures() {
        let mut throttle = SignInThrottle::default();
        for _ in 0..SignInThrottle::MAX_FAILURES - 1 {
            throttle.failed("bo", 0);
        }
        throttle.succeeded("bo");
        throttle.failed("bo", 0);
        assert_eq!(throttle.wait("bo", 0), None);
    }
}
