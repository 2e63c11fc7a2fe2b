//! The customer in WebKitGTK, the engine under Safari, served by a rep in Chromium: the way in,
//! the chat both ways, and, since this WebKit has no WebRTC, a request to share that the
//! customer's page cannot meet and says so to both sides, instead of offering a capture that
//! would lead nowhere.

use serde_json::json;
use tests::browser::Driver;
use tests::scene::{PASSWORD, accept, say, sign_in, way_in};
use tests::server::{ServerProcess, add_rep};
use tests::sharing::request;
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
async fn the_chat_fetches_each_asset_once_in_chromium_and_webkit() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let chromium = driver.browser().await?;
    let (_webkit, webkit) = WebKit::start().await?;
    for (browser, page) in [("Chromium", &chromium), ("WebKit", &webkit)] {
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

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_in_webkit_chats_and_the_rep_learns_it_cannot_share() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let rep = driver.browser().await?;
    let (_webkit, customer) = WebKit::start().await?;
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;

    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(&customer, "Do not record", "Ada Customer").await?;
    customer.shows("Position in queue: 1").await?;
    accept(&rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    say(&customer, "Hello from WebKit").await?;
    rep.shows("Hello from WebKit").await?;
    say(&rep, "Hello Ada").await?;
    customer.shows("Hello Ada").await?;

    request(&rep, "Whole screen").await?;
    rep.shows(
        "Screen sharing could not start for Ada Customer: their browser cannot share a screen",
    )
    .await?;
    customer
        .shows("Your screen could not be shared. This browser cannot share a screen.")
        .await?;
    let offered = customer
        .run("return !!document.getElementById('share-screen')", vec![])
        .await?;
    assert_eq!(offered, json!(false), "\"Share screen\" offered");

    rep.click("button", "End session").await?;
    customer.shows("How did we do?").await?;
    drop(server);
    Ok(())
}
