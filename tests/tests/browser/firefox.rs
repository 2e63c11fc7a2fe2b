//! Firefox ESR as the customer's browser, served by a rep in Chromium, and as the rep's, serving
//! a customer in Chromium: the whole way in, the chat, text size, nudge, a reload mid-chat, the
//! survey, and screen sharing with "Change sharing" and "Stop screen sharing", decoded on the
//! other side. Firefox runs on an Xvfb display, whose screen is what it shares.

use serde_json::{Value, json};
use tests::browser::{Driver, Page};
use tests::eventually;
use tests::firefox::Firefox;
use tests::scene::{
    PASSWORD, accept, log_font_size, rusqlite_row, say, sign_in, times_in_log, until, way_in,
};
use tests::server::{ServerProcess, add_rep};
use tests::sharing::{
    SCREEN_TITLE, SPY, frames_beyond, open_tab, request, screen_page, sharing_browsers,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_in_firefox_chats_nudged_reloads_and_rates_the_session() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let rep = driver.browser().await?;
    let (_firefox, customer) = Firefox::start().await?;
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;

    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(&customer, "Allow recording", "Ada Customer").await?;
    customer.shows("Position in queue: 1").await?;
    accept(&rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    say(&customer, "Hello from Firefox").await?;
    rep.shows("Hello from Firefox").await?;
    say(&rep, "Hello Ada").await?;
    customer.shows("Hello Ada").await?;

    let normal = log_font_size(&customer).await?;
    customer.click("button", "Larger text").await?;
    customer.click("button", "Larger text").await?;
    let larger = log_font_size(&customer).await?;
    assert!(larger > normal, "{larger} > {normal}");

    rep.click("button", "Nudge").await?;
    until(
        &customer,
        "the chat window to shake",
        "return document.querySelector('.chat-window.shake')",
    )
    .await?;
    // The beep is not checked: this machine has no sound device, and Firefox's audio context
    // stays suspended without one (Chromium's runs; its test checks the beep).
    customer.role_with_text("log", "nudged").await?;

    // A reload mid-chat takes up the same session, its history and the text size.
    customer.client.refresh().await?;
    customer.shows("You are chatting with Bo Rep").await?;
    customer.shows("Hello Ada").await?;
    assert_eq!(log_font_size(&customer).await?, larger, "remembered");
    say(&customer, "After the reload").await?;
    rep.shows("After the reload").await?;
    assert_eq!(times_in_log(&rep, "Hello from Firefox").await?, 1);
    assert_eq!(times_in_log(&customer, "Hello from Firefox").await?, 1);

    rep.click("button", "End session").await?;
    customer.click("radio", "4 stars").await?;
    customer.click("checkbox", "My problem was solved").await?;
    customer.click("button", "Submit").await?;
    customer.shows("Thank you").await?;
    let row: (i64, bool) = rusqlite_row(data.path())?.query_row(
        "SELECT rating, resolved FROM surveys WHERE session_id = 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    assert_eq!(row, (4, true));
    drop(server);
    Ok(())
}

/// Counts the frames the page's shared-screen video presents, in `window.presented`: Firefox
/// reports no dropped or decoded frames for live streams, its frame callbacks are exact.
const FRAME_COUNTER: &str = "
    window.presented = 0;
    const count = () => {
        const video = document.querySelector('video.shared-screen');
        if (video) video.requestVideoFrameCallback(() => { window.presented += 1; count(); });
        else setTimeout(count, 50);
    };
    count();
";

/// Waits until the Firefox rep's video has presented more than `after` frames; returns how many.
async fn presented_beyond(rep: &Page, after: u64) -> anyhow::Result<u64> {
    eventually("frames presented on the rep's page", || async {
        let frames = rep.run("return window.presented", vec![]).await?;
        let frames = frames.as_u64().unwrap_or(0);
        Ok((frames > after).then_some(frames))
    })
    .await
}

/// The rep's video size as "width×height", once it has one.
async fn video_size(rep: &Page) -> anyhow::Result<Value> {
    until(
        rep,
        "the shared screen's size",
        "const video = document.querySelector('video.shared-screen');
         return video && video.videoWidth && video.videoWidth + '×' + video.videoHeight",
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_in_firefox_shares_the_screen_changes_it_and_stops() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let (_, rep) = sharing_browsers(&mut driver).await?;
    rep.devtools(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": SPY }),
    )
    .await?;
    let (_firefox, customer) = Firefox::start().await?;
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(&customer, "Do not record", "Ada Customer").await?;
    accept(&rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    // The app makes its peer connection and capture when sharing starts: spied on from here.
    customer.run(SPY, vec![]).await?;

    // The customer chooses: "Change sharing" is offered beside "Stop sharing".
    request(&rep, "Customer chooses").await?;
    customer.shows("Bo Rep wants to see your screen").await?;
    customer.click("button", "Share screen").await?;
    customer.shows("Your screen is visible to Bo Rep").await?;
    let first = frames_beyond(&rep, 0).await?;
    // Firefox shares its display, an Xvfb screen of 1280×1024.
    assert_eq!(video_size(&rep).await?, json!("1280×1024"));
    let negotiated = rep.run("return window.counts", vec![]).await?["remoteDescriptions"].clone();

    customer.click("link", "Change sharing").await?;
    eventually("a second capture", || async {
        let captures = customer
            .run("return window.counts.captures", vec![])
            .await?;
        Ok((captures == json!(2)).then_some(()))
    })
    .await?;
    let later = frames_beyond(&rep, first).await?;
    // Frames keep coming from the new capture, through the same connection.
    frames_beyond(&rep, later).await?;
    assert_eq!(
        rep.run("return window.counts", vec![]).await?["remoteDescriptions"],
        negotiated,
        "no new offer or answer for a change of source"
    );
    customer.click("button", "Stop sharing").await?;
    rep.shows("Screen sharing ended").await?;

    // The whole screen: the banner's link stops it.
    request(&rep, "Whole screen").await?;
    customer.click("button", "Share screen").await?;
    customer.shows("Your screen is visible to Bo Rep").await?;
    customer.click("link", "Stop screen sharing").await?;
    rep.shows("Screen sharing ended").await?;
    // Firefox's WebDriver reads the visually hidden announcer too, which says the end a moment
    // later.
    eventually(
        "the customer's page to stop saying the screen is visible",
        || async {
            let body = customer.text().await?;
            Ok((!body.contains("Your screen is visible")).then_some(()))
        },
    )
    .await?;
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rep_in_firefox_serves_a_customer_and_watches_the_shared_screen() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let (customer, _) = sharing_browsers(&mut driver).await?;
    let (_firefox, rep) = Firefox::start().await?;
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;
    rep.shows("Nobody is waiting.").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(&customer, "Do not record", "Ada Customer").await?;
    accept(&rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    say(&customer, "Hello Bo").await?;
    rep.shows("Hello Bo").await?;
    say(&rep, "Hello from Firefox").await?;
    customer.shows("Hello from Firefox").await?;

    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    rep.run(FRAME_COUNTER, vec![]).await?;
    request(&rep, "Whole screen").await?;
    customer.click("button", "Share screen").await?;
    if let Err(e) = customer.shows("Your screen is visible to Bo Rep").await {
        println!("CUSTOMER {}", customer.text().await?);
        println!("REP {}", rep.text().await?);
        return Err(e);
    }
    let first = presented_beyond(&rep, 0).await?;
    presented_beyond(&rep, first).await?;
    let colour = until(
        &rep,
        "the shared tab's red on the rep's video",
        "const video = document.querySelector('video.shared-screen');
         if (!video || !video.videoWidth) return null;
         const canvas = document.createElement('canvas');
         canvas.width = video.videoWidth; canvas.height = video.videoHeight;
         const context = canvas.getContext('2d');
         context.drawImage(video, 0, 0);
         const [r, g, b] = context.getImageData(canvas.width - 5, canvas.height / 2, 1, 1).data;
         return r > 128 && g < 128 && b < 128;",
    )
    .await?;
    assert_eq!(colour, json!(true));

    customer.click("link", "Stop screen sharing").await?;
    rep.shows("Screen sharing ended").await?;
    rep.click("button", "End session").await?;
    customer.shows("How did we do?").await?;
    drop(server);
    Ok(())
}
