//! The estimated wait of a customer in the queue, from how long recent sessions took.
//!
//! A rep frees up, on average, every `H / R` where `H` is the mean handling time (acceptance to
//! end) of the latest [`SAMPLES`] served sessions and `R` the reps available for the customer's
//! line. The first in line waits on average half of that (the rep they get is already part-way
//! through a session), and each customer ahead adds a whole one:
//! `wait(p) = (p - ½) · H / R`. Until [`MIN_SAMPLES`] sessions have been served, the admin's
//! default wait per customer stands in for `H`.

use std::collections::VecDeque;

use protocol::Millis;

/// How many recent sessions the mean is taken over.
pub const SAMPLES: usize = 20;

/// Fewer served sessions than this are not history enough to estimate from.
pub const MIN_SAMPLES: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct Estimator {
    /// Handling times, oldest first.
    handling: VecDeque<Millis>,
}

impl Estimator {
    /// From stored handling times, latest first (as the store reads them).
    pub fn new(latest_first: &[Millis]) -> Estimator {
        let mut estimator = Estimator::default();
        for &time in latest_first.iter().take(SAMPLES).rev() {
            estimator.record(time);
        }
        estimator
    }

    /// A served session lasted `handling` from acceptance to end.
    pub fn record(&mut self, handling: Millis) {
        if self.handling.len() == SAMPLES {
            self.handling.pop_front();
        }
        self.handling.push_back(handling.max(0));
    }

    /// The estimated wait in seconds at `position` (1 is first) with `reps` available.
    pub fn wait_secs(&self, position: u32, reps: usize, default_secs: u32) -> u32 {
        let per_customer_ms = if self.handling.len() >= MIN_SAMPLES {
            self.handling.iter().sum::<Millis>() as f64 / self.handling.len() as f64
        } else {
            f64::from(default_secs) * 1000.0
        };
        let ahead = f64::from(position.max(1)) - 0.5;
        let wait_ms = ahead * per_customer_ms / reps.max(1) as f64;
        (wait_ms / 1000.0).round().min(f64::from(u32::MAX)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_history_the_default_stands_in() {
        let estimator = Estimator::new(&[60_000, 60_000]);
        assert_eq!(estimator.wait_secs(1, 1, 200), 100);
        assert_eq!(estimator.wait_secs(3, 1, 200), 500);
        assert_eq!(estimator.wait_secs(3, 2, 200), 250);
    }

    #[test]
    fn history_gives_the_mean_of_the_latest_sessions() {
        let mut estimator = Estimator::new(&[]);
        for _ in 0..SAMPLES {
            estimator.record(1_000_000);
        }
        // Newer sessions push the oldest out: the mean becomes that of the latest.
        for _ in 0..SAMPLES {
            estimator.record(120_000);
        }
        assert_eq!(estimator.wait_secs(1, 1, 999), 60);
        assert_eq!(estimator.wait_secs(2, 1, 999), 180);
        assert_eq!(estimator.wait_secs(2, 3, 999), 60);
    }

    #[test]
    fn no_reps_counts_as_one_and_position_zero_as_first() {
        let estimator = Estimator::new(&[]);
        assert_eq!(estimator.wait_secs(0, 0, 100), 50);
    }
}
