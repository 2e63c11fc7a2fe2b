//! Rate limits: how fast one connection may send, and how often a login or an address may try
//! to sign in.
//! Both are plain state machines over times passed in, so they are tested without a clock.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;

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

/// Sign-in attempts within a window, per login and per client address. An attempt counts from
/// the moment it is let through, before its password is checked, so attempts sent in parallel
/// count as surely as those sent one after another. Per login, because guessing one rep's
/// password is the attack; per address as well, so one place cannot guess many logins. A
/// window rather than a lock-out, so an attacker can delay a rep's sign-in by minutes at most.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    logins: Windows<String>,
    addresses: Windows<IpAddr>,
}

impl SignInThrottle {
    /// Attempts one login may fail in a window.
    pub const MAX_PER_LOGIN: u32 = 5;
    /// Attempts one address may fail in a window: room for an office of reps behind one
    /// address mistyping now and then.
    pub const MAX_PER_ADDRESS: u32 = 20;
    pub const WINDOW_MS: Millis = 5 * 60 * 1000;

    /// Lets an attempt through and counts it, or says how many milliseconds to wait.
    pub fn begin(&mut self, login: &str, address: IpAddr, now: Millis) -> Result<(), Millis> {
        let login = login.to_lowercase();
        let waits = [
            self.logins.wait(&login, Self::MAX_PER_LOGIN, now),
            self.addresses.wait(&address, Self::MAX_PER_ADDRESS, now),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Err(wait);
        }
        self.logins.count(login, now);
        self.addresses.count(address, now);
        Ok(())
    }

    /// The password was right: the login's window starts over and the attempt is not held
    /// against the address.
    pub fn succeeded(&mut self, login: &str, address: IpAddr) {
        self.logins.forget(&login.to_lowercase());
        self.addresses.uncount(&address);
    }

    /// The attempt was never judged (the server was busy or failed): it does not count.
    pub fn not_judged(&mut self, login: &str, address: IpAddr) {
        self.logins.uncount(&login.to_lowercase());
        self.addresses.uncount(&address);
    }
}

/// Counts per key, each in a window that starts with its first count.
#[derive(Debug)]
struct Windows<K> {
    counts: HashMap<K, (u32, Millis)>,
}

impl<K> Default for Windows<K> {
    fn default() -> Self {
        Windows {
            counts: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash> Windows<K> {
    fn wait(&mut self, key: &K, max: u32, now: Millis) -> Option<Millis> {
        let (count, since) = *self.counts.get(key)?;
        let ends = since + SignInThrottle::WINDOW_MS;
        if now >= ends {
            self.counts.remove(key);
            return None;
        }
        (count >= max).then_some(ends - now)
    }

    fn count(&mut self, key: K, now: Millis) {
        // Forget windows that are over, so the map cannot grow without end.
        self.counts
            .retain(|_, (_, since)| now < *since + SignInThrottle::WINDOW_MS);
        self.counts.entry(key).or_insert((0, now)).0 += 1;
    }

    fn uncount(&mut self, key: &K) {
        if let Some((count, _)) = self.counts.get_mut(key) {
            *count = count.saturating_sub(1);
        }
    }

    fn forget(&mut self, key: &K) {
        self.counts.remove(key);
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

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));

    #[test]
    fn attempts_are_throttled_per_login_for_a_window_as_they_begin() {
        let mut throttle = SignInThrottle::default();
        // Nothing is judged yet: the attempts count as they are let through.
        for _ in 0..SignInThrottle::MAX_PER_LOGIN {
            assert_eq!(throttle.begin("bo", HOME, 1_000), Ok(()));
        }
        assert_eq!(
            throttle.begin("BO", HOME, 61_000),
            Err(SignInThrottle::WINDOW_MS - 60_000)
        );
        assert_eq!(
            throttle.begin("ann", HOME, 61_000),
            Ok(()),
            "other logins are not affected"
        );
        assert_eq!(
            throttle.begin("bo", HOME, 1_000 + SignInThrottle::WINDOW_MS),
            Ok(())
        );
    }

    #[test]
    fn one_address_guessing_many_logins_is_throttled_too() {
        let mut throttle = SignInThrottle::default();
        for n in 0..SignInThrottle::MAX_PER_ADDRESS {
            assert_eq!(throttle.begin(&format!("rep{n}"), HOME, 0), Ok(()));
        }
        assert!(throttle.begin("someone-else", HOME, 0).is_err());
        let elsewhere = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));
        assert_eq!(throttle.begin("someone-else", elsewhere, 0), Ok(()));
    }

    #[test]
    fn a_success_clears_the_login_and_an_unjudged_attempt_does_not_count() {
        let mut throttle = SignInThrottle::default();
        for _ in 0..SignInThrottle::MAX_PER_LOGIN - 1 {
            throttle.begin("bo", HOME, 0).unwrap();
        }
        throttle.begin("bo", HOME, 0).unwrap();
        throttle.succeeded("bo", HOME);
        for _ in 0..SignInThrottle::MAX_PER_LOGIN - 1 {
            throttle.begin("bo", HOME, 0).unwrap();
        }
        throttle.begin("bo", HOME, 0).unwrap();
        throttle.not_judged("bo", HOME);
        assert_eq!(throttle.begin("bo", HOME, 0), Ok(()));
        assert!(throttle.begin("bo", HOME, 0).is_err());
    }
}
