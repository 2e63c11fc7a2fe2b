//! The start-up figures of `cargo xtask bench`: loading the customer's page `/chat?lang=en`
//! until the first control of the way in, the agreement's "Accept" button, is there and
//! enabled, in Chromium and in Firefox, on loopback and on Lighthouse's "Slow 4G". Cold (a
//! fresh profile, nothing cached) and warm (the same browser loading the page a second time),
//! over repeated runs; and what one cold load in WebKit fetches. Prints one line of JSON.
//!
//! The page notes the times itself, from its navigation start: a script added before any of
//! the page's own runs watches the document for the button, and for the app's start (Trunk's
//! `TrunkApplicationStarted`, once the wasm is instantiated).
//!
//! "Slow 4G" is 150 ms round trip, 1.6 Mbit/s down and 750 kbit/s up, and a CPU four times
//! slower. The network is a throttling proxy (`tests::throttle`), the same for both browsers;
//! Chromium's CPU is slowed through DevTools, and Firefox has no such control, so its figures
//! run at full CPU speed. Chromium is also measured on DevTools' own network emulation, the way
//! Lighthouse throttles, as a check on the proxy.

use anyhow::Context;
use serde_json::{Value, json};
use tests::browser::{Driver, Page};
use tests::eventually;
use tests::firefox::Firefox;
use tests::server::ServerProcess;
use tests::throttle::{SLOW_4G, Throttle};
use tests::webkit::WebKit;

/// Runs of each kind on loopback; each cold run starts a browser of its own.
const RUNS: usize = 10;
/// Runs of each kind on Slow 4G, where one load takes seconds.
const SLOW_RUNS: usize = 5;
/// Lighthouse's CPU slow-down for a phone.
const CPU_SLOWDOWN: u32 = 4;

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

#[derive(Clone, Copy, PartialEq)]
enum Browser {
    Chromium,
    Firefox,
}

/// How the page reaches the server.
#[derive(Clone, Copy, PartialEq)]
enum Network {
    Loopback,
    /// Through the throttling proxy, with Chromium's CPU slowed.
    Slow4g,
    /// Chromium's own DevTools network emulation and CPU slow-down, as Lighthouse does it.
    Slow4gDevTools,
}

/// A browser ready to load the page, with what keeps it alive.
struct Tab {
    page: Page,
    _firefox: Option<Firefox>,
}

/// The bytes that came over the network and the requests made, from the page's Resource
/// Timing: one entry per request, the document's and every resource's.
const NETWORK: &str = "
    const entries = [...performance.getEntriesByType('navigation'),
                     ...performance.getEntriesByType('resource')];
    return { bytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
             requests: entries.length };";

/// One load's figures.
struct Load {
    ready_ms: f64,
    app_started_ms: f64,
    /// Bytes that came over the network (page and resources); 0 for what the cache served.
    transferred: f64,
    /// Requests the page made: the document and every resource.
    requests: f64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let server = ServerProcess::start(data.path()).await?;
    let url = server.url("/chat?lang=en");
    let upstream = url::Url::parse(&url)?
        .socket_addrs(|| None)?
        .into_iter()
        .next()
        .context("the server's address")?;
    let throttle = Throttle::start(upstream, SLOW_4G).await?;
    let slow_url = throttle.url(&url)?;
    let mut driver = Driver::start().await?;
    let mut loads = Vec::new();
    for browser in [Browser::Chromium, Browser::Firefox] {
        let (mut cold, mut warm) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let tab = open(&mut driver, browser, Network::Loopback).await?;
            cold.push(load(&tab.page, &url).await?);
            // By way of a blank page, so the second load is a new visit, not a reload.
            tab.page.goto("about:blank").await?;
            warm.push(load(&tab.page, &url).await?);
            tab.page.client.clone().close().await?;
        }
        loads.push(figures(browser, Network::Loopback, "cold", &cold));
        loads.push(figures(browser, Network::Loopback, "warm", &warm));
    }
    let slow = [
        (Browser::Chromium, Network::Slow4g, &slow_url),
        (Browser::Firefox, Network::Slow4g, &slow_url),
        (Browser::Chromium, Network::Slow4gDevTools, &url),
    ];
    for (browser, network, url) in slow {
        let mut cold = Vec::new();
        for _ in 0..SLOW_RUNS {
            let tab = open(&mut driver, browser, network).await?;
            cold.push(load(&tab.page, url).await?);
            tab.page.client.clone().close().await?;
        }
        loads.push(figures(browser, network, "cold", &cold));
    }
    let webkit = webkit_requests(&url).await?;
    println!(
        "{}",
        json!({
            "figure": "startup",
            "runs": RUNS,
            "slow_runs": SLOW_RUNS,
            "loads": loads,
            "webkit": webkit,
        })
    );
    Ok(())
}

/// A fresh browser of `browser`'s kind, watching its pages, set up for `network`.
async fn open(driver: &mut Driver, browser: Browser, network: Network) -> anyhow::Result<Tab> {
    if browser == Browser::Firefox {
        let (mut firefox, page) = Firefox::start().await?;
        firefox.preload(WATCH).await?;
        return Ok(Tab {
            page,
            _firefox: Some(firefox),
        });
    }
    let page = driver.browser().await?;
    page.devtools(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": WATCH }),
    )
    .await?;
    if network != Network::Loopback {
        page.devtools(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": CPU_SLOWDOWN }),
        )
        .await?;
    }
    if network == Network::Slow4gDevTools {
        page.devtools("Network.enable", json!({})).await?;
        page.devtools(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": SLOW_4G.round_trip.as_millis() as u64,
                "downloadThroughput": SLOW_4G.down_bytes_per_sec,
                "uploadThroughput": SLOW_4G.up_bytes_per_sec,
            }),
        )
        .await?;
    }
    Ok(Tab {
        page,
        _firefox: None,
    })
}

/// The summary of `loads` of one kind.
fn figures(browser: Browser, network: Network, cache: &str, loads: &[Load]) -> Value {
    let browser = match browser {
        Browser::Chromium => "Chromium",
        Browser::Firefox => "Firefox",
    };
    let network = match network {
        Network::Loopback => "loopback",
        Network::Slow4g => "Slow 4G",
        Network::Slow4gDevTools => "Slow 4G (DevTools)",
    };
    json!({
        "browser": browser,
        "network": network,
        "cache": cache,
        "runs": loads.len(),
        "ready_ms": summary(loads.iter().map(|l| l.ready_ms).collect()),
        "app_started_ms": summary(loads.iter().map(|l| l.app_started_ms).collect()),
        "transferred_bytes": summary(loads.iter().map(|l| l.transferred).collect()),
        "requests": summary(loads.iter().map(|l| l.requests).collect()),
    })
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
    let network = page.run(NETWORK, vec![]).await?;
    let number = |value: &Value, what: &str| value.as_f64().with_context(|| format!("no {what}"));
    Ok(Load {
        ready_ms: number(&times["ready"], "ready time")?,
        app_started_ms: number(&times["appStarted"], "start of the app")?,
        transferred: number(&network["bytes"], "transfer size")?,
        requests: number(&network["requests"], "request count")?,
    })
}

/// The requests and bytes of one cold load in WebKit, which cannot run a script before the
/// page's (no DevTools, no BiDi): no times, only what it fetched.
async fn webkit_requests(url: &str) -> anyhow::Result<Value> {
    let (_webkit, page) = WebKit::start().await?;
    page.goto(url).await?;
    let accept = page.by_role("button", "Accept").await?;
    anyhow::ensure!(accept.is_enabled().await?, "Accept is not enabled");
    page.run(NETWORK, vec![]).await
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
