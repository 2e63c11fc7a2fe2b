//! What a first visit to the chat downloads, in each browser: every asset once. (WebKit once
//! fetched the wasm twice: it never matched Trunk's preload to the fetch that followed.)

use tests::browser::Driver;
use tests::firefox::Firefox;
use tests::server::ServerProcess;
use tests::webkit::WebKit;

/// Each address the page fetched, with how often (the Resource Timing entries: one per request
/// the page made).
const REQUESTS: &str = "
    const counts = {};
    for (const entry of performance.getEntriesByType('resource')) {
        const path = new URL(entry.name).pathname;
        counts[path] = (counts[path] || 0) + 1;
    }
    return counts;";

#[tokio::test(flavor = "multi_thread")]
async fn the_chat_fetches_each_asset_once_in_every_browser() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let chromium = driver.browser().await?;
    let (_firefox, firefox) = Firefox::start().await?;
    let (_webkit, webkit) = WebKit::start().await?;
    let browsers = [
        ("Chromium", &chromium),
        ("Firefox", &firefox),
        ("WebKit", &webkit),
    ];
    for (browser, page) in browsers {
        page.goto(&server.url("/chat?lang=en")).await?;
        page.by_role("button", "Accept").await?;
        let counts = page.run(REQUESTS, vec![]).await?;
        let counts = counts.as_object().cloned().unwrap_or_default();
        assert!(
            counts.keys().any(|path| path.ends_with("_bg.wasm")),
            "{browser} fetched no wasm: {counts:?}"
        );
        let twice: Vec<_> = counts
            .iter()
            .filter(|(_, n)| n.as_u64() != Some(1))
            .collect();
        assert!(
            twice.is_empty(),
            "{browser} fetched more than once: {twice:?}"
        );
    }
    drop(server);
    Ok(())
}
