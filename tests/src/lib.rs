//! The harness for end-to-end tests: the server binary in a temporary data folder, headless
//! Chromium (and Firefox and WebKitGTK) pages found by role and accessible name, and a raw
//! protocol client.
//!
//! Needs a built app (`dist/`, from `cargo xtask build`), the `signaling-server` binary,
//! Chromium with chromedriver, Firefox ESR with geckodriver, and WebKitGTK's driver with Xvfb;
//! `cargo xtask test` provides them all.

pub mod browser;
pub mod display;
pub mod firefox;
pub mod host_site;
pub mod scene;
pub mod server;
pub mod sharing;
pub mod socket;
pub mod throttle;
pub mod turn;
pub mod webkit;

use std::path::PathBuf;
use std::time::Duration;

/// How long a step may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// Retries `probe` until it returns `Some`, or fails after [`PATIENCE`] saying what was awaited.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut last_error = None;
    loop {
        match probe().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {}
            Err(e) => last_error = Some(e),
        }
        if tokio::time::Instant::now() >= deadline {
            let detail = last_error
                .map(|e| format!(" (last error: {e:#})"))
                .unwrap_or_default();
            anyhow::bail!("timed out waiting for {what}{detail}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
