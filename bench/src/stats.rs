//! Percentiles of latency samples.

use serde_json::{Value, json};

/// Median, 99th and 99.9th percentile (nearest rank) and the maximum of `samples_us`, in
/// milliseconds, with the number of samples.
pub fn latency_ms(samples_us: &[u32]) -> Value {
    let mut sorted = samples_us.to_vec();
    sorted.sort_unstable();
    let rank = |q: f64| -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let index = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
        f64::from(sorted[index]) / 1000.0
    };
    json!({
        "samples": sorted.len(),
        "p50": rank(0.5),
        "p99": rank(0.99),
        "p999": rank(0.999),
        "max": rank(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_in_milliseconds() {
        let samples: Vec<u32> = (1..=1000).map(|ms| ms * 1000).collect();
        let figures = latency_ms(&samples);
        assert_eq!(figures["p50"], 500.0);
        assert_eq!(figures["p99"], 990.0);
        assert_eq!(figures["p999"], 999.0);
        assert_eq!(figures["max"], 1000.0);
        assert_eq!(latency_ms(&[])["samples"], 0);
    }
}
