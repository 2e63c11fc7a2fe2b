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
