//! The start-up figure of `cargo xtask bench`, in real headless Chromium: loading the customer's
//! page `/chat?lang=en` until the first control of the way in, the agreement's "Accept" button,
//! is there and enabled. Cold (a fresh profile, nothing cached) and warm (the same browser
//! loading the page a second time), over repeated runs. Prints one line of JSON.
//!
//! The page notes the times itself, from its navigation start: a script added before any of
//! the page's own runs watches the document for the button, and for the app's start (Trunk's
//! `TrunkApplicationStarted`, once the wasm is instantiated).

use anyhow::Context;
use serde_json::{Value, json};
use tests::browser::{Driver, Page};
use tests::eventually;
use tests::server::ServerProcess;

/// Runs of each kind; each cold run starts a browser of its own.
const RUNS: usize = 10;

/// Runs in every new document before the page's scripts: notes, in milliseconds from the
/// navigation's start, when the app started and when "Accept" became usable.
const WATCH: &str = "
    window.startup = { appStarted: null, ready: null };
    addEventListener('TrunkApplicationStarted', () => { window.startup.appStarted = performance.now(); });
    const usable = () => [...document.querySelectorAll('button')]
        .some(b => b.textContent.trim() === 'Accept' && !b.disabled);
    new MutationObserver((_, observer) => {
        if (window.startup.ready === null && usable()) {
            window.startup.ready = performance.now();
            observer.disconnect();
        }
    }).observe(document, { childList: true, subtree: true, attributes: true });
";

/// One load's figures.
struct Load {
    ready_ms: f64,
    app_started_ms: f64,
    /// Bytes that came over the network (page and resources); 0 for what the cache served.
    transferred: f64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let server = ServerProcess::start(data.path()).await?;
    let url = server.url("/chat?lang=en");
    let mut driver = Driver::start().await?;
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let page = driver.browser().await?;
        page.devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": WATCH }),
        )
        .await?;
        cold.push(load(&page, &url).await?);
        // By way of a blank page, so the second load is a new visit, not a reload.
        page.goto("about:blank").await?;
        warm.push(load(&page, &url).await?);
        page.client.clone().close().await?;
    }
    let figures = |loads: &[Load]| {
        json!({
            "ready_ms": summary(loads.iter().map(|l| l.ready_ms).collect()),
            "app_started_ms": summary(loads.iter().map(|l| l.app_started_ms).collect()),
            "transferred_bytes": summary(loads.iter().map(|l| l.transferred).collect()),
        })
    };
    println!(
        "{}",
        json!({
            "figure": "startup",
            "runs": RUNS,
            "cold": figures(&cold),
            "warm": figures(&warm),
        })
    );
    Ok(())
}

/// Loads `url` in `page` and waits for "Accept"; the harness then finds it by role and name,
/// to be sure the page's watch saw the right control.
async fn load(page: &Page, url: &str) -> anyhow::Result<Load> {
    page.goto(url).await?;
    let times = eventually("the agreement's Accept button", || async {
        let times = page.run("return window.startup", vec![]).await?;
        Ok(times["ready"].is_number().then_some(times))
    })
    .await?;
    let accept = page.by_role("button", "Accept").await?;
    anyhow::ensure!(accept.is_enabled().await?, "Accept is not enabled");
    let transferred = page
        .run(
            "const entries = [...performance.getEntriesByType('navigation'),
                              ...performance.getEntriesByType('resource')];
             return entries.reduce((sum, e) => sum + e.transferSize, 0);",
            vec![],
        )
        .await?;
    let number = |value: &Value, what: &str| value.as_f64().with_context(|| format!("no {what}"));
    Ok(Load {
        ready_ms: number(&times["ready"], "ready time")?,
        app_started_ms: number(&times["appStarted"], "start of the app")?,
        transferred: number(&transferred, "transfer size")?,
    })
}

/// Median and 95th percentile (nearest rank).
fn summary(values: Vec<f64>) -> Value {
    let mut values: Vec<f64> = values.iter().map(|v| (v * 10.0).round() / 10.0).collect();
    values.sort_by(f64::total_cmp);
    let rank = |q: f64| {
        let index = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
        values[index]
    };
    json!({ "median": rank(0.5), "p95": rank(0.95), "all": values })
}
