//! Screen sharing between two real Chromium pages: consent, frames decoded on the rep's page
//! (read from its own `getStats`), changing the source without renegotiating, stopping,
//! declining, and sharing through a real coturn relay only. How the browsers are set up for
//! it (a tab stands in for the screen) is in `tests::sharing`.

use std::time::Duration;

use serde_json::{Value, json};
use tests::browser::{Page, as_read};
use tests::sharing::{
    SCREEN_TITLE, Setup, Stage, colour_is, frames_beyond, inbound, open_tab, rename_first_screen,
    request, screen_page, stage, stage_with,
};

/// Notes in `window.clickedAt` when the customer clicks "Stop screen sharing".
const CLICK_CLOCK: &str = "
    document.addEventListener('click', event => {
        const control = event.target.closest('a, button');
        if (control && control.textContent.trim() === 'Stop screen sharing')
            window.clickedAt = performance.timeOrigin + performance.now();
    }, true);
";

/// Notes in `window.endedAt` when the rep's page first says that sharing ended.
const ENDED_CLOCK: &str = "
    window.endedAt = null;
    const seen = () => document.body.innerText.includes('Screen sharing ended');
    // Only a change from not saying it to saying it counts.
    if (seen()) window.endedAt = 'said already';
    else new MutationObserver((_, observer) => {
        if (seen()) { window.endedAt = performance.timeOrigin + performance.now(); observer.disconnect(); }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
";

async fn counts(page: &Page) -> anyhow::Result<Value> {
    page.run("return window.counts", vec![]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn consent_frames_change_of_source_without_renegotiation_and_stop_within_a_second()
-> anyhow::Result<()> {
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        _driver,
    } = stage(false).await?;
    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;

    request(&rep, "Customer chooses").await?;
    customer.shows("Bo Rep wants to see your screen").await?;
    customer.click("button", "Share screen").await?;
    customer.shows("Your screen is visible to Bo Rep").await?;
    let first = frames_beyond(&rep, 0).await?;
    colour_is(&rep, "1,0,0").await?;
    // The watermark (on by default): a reminder in the customer's chat, names on the rep's view.
    let marks = [
        (
            &customer,
            ".chat-window .watermark",
            "Your screen is visible to Bo Rep",
        ),
        (&rep, ".watermark", "Bo Rep"),
    ];
    for (page, css, wanted) in marks {
        let text = page
            .run(
                "const mark = document.querySelector(arguments[0]); return mark && mark.textContent",
                vec![json!(css)],
            )
            .await?;
        assert!(
            text.as_str().is_some_and(|t| as_read(t).contains(wanted)),
            "{css}: {text}"
        );
    }
    let negotiated = counts(&rep).await?["remoteDescriptions"].clone();

    // Another tab takes the title the picker looks for: "Change sharing" picks it.
    open_tab(&customer, &screen_page(SCREEN_TITLE, "blue")).await?;
    rename_first_screen(&customer).await?;
    customer.click("link", "Change sharing").await?;
    colour_is(&rep, "0,0,1").await?;
    let later = frames_beyond(&rep, first).await?;
    assert!(later > first);
    assert_eq!(
        counts(&rep).await?["remoteDescriptions"],
        negotiated,
        "no new offer or answer for a change of source"
    );
    customer.click("button", "Stop sharing").await?;
    rep.shows("Screen sharing ended").await?;

    // Unrestricted, then the customer's link stops it; the rep sees that within a second.
    request(&rep, "Whole screen").await?;
    customer.click("button", "Share screen").await?;
    frames_beyond(&rep, 0).await?;
    // Timed in the pages, on the machine's one clock: the customer's click, and the moment the
    // rep's page first shows the end.
    customer.run(CLICK_CLOCK, vec![]).await?;
    rep.run(ENDED_CLOCK, vec![]).await?;
    customer.click("link", "Stop screen sharing").await?;
    rep.shows("Screen sharing ended").await?;
    let clicked = customer.run("return window.clickedAt", vec![]).await?;
    let shown = rep.run("return window.endedAt", vec![]).await?;
    let took = shown.as_f64().unwrap_or(f64::MAX) - clicked.as_f64().unwrap_or_default();
    assert!(
        took < 1000.0,
        "the rep saw the end {took} ms after the click"
    );
    let body = customer.text().await?;
    assert!(!body.contains("Your screen is visible"), "{body}");

    // The consent is gone: a new request asks again.
    request(&rep, "Whole screen").await?;
    customer.by_role("button", "Share screen").await?;
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declined_request_never_starts_capture() -> anyhow::Result<()> {
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        _driver,
    } = stage(false).await?;
    request(&rep, "Whole screen").await?;
    customer.click("button", "Decline").await?;
    rep.shows("declined").await?;
    assert_eq!(counts(&customer).await?["captures"], json!(0));
    assert_eq!(
        rep.run("return window.peers.length", vec![]).await?,
        json!(0)
    );
    drop(server);
    Ok(())
}

/// Makes the customer's next captures fail as Chromium's do with the DOMException `name`. A
/// fake: a real `NotReadableError` needs a system that blocks capture, and a real refusal a
/// person cancelling the picker, neither of which headless Chromium here has.
async fn captures_fail_with(customer: &tests::browser::Page, name: &str) -> anyhow::Result<()> {
    let script = "navigator.mediaDevices.getDisplayMedia = () => \
                  Promise.reject(new DOMException('capture failed', arguments[0]));";
    customer.run(script, vec![json!(name)]).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_capture_that_fails_is_told_apart_from_a_refusal() -> anyhow::Result<()> {
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        _driver,
    } = stage(false).await?;
    captures_fail_with(&customer, "NotReadableError").await?;
    request(&rep, "Whole screen").await?;
    customer.click("button", "Share screen").await?;
    customer
        .shows("Your screen could not be shared. Your system or another program kept the screen from being read.")
        .await?;
    rep.shows("Screen sharing could not start for Ada Customer: their system blocked the capture")
        .await?;
    assert!(!rep.text().await?.contains("declined"), "told as a refusal");

    // The customer cancelling the picker is a refusal.
    captures_fail_with(&customer, "NotAllowedError").await?;
    request(&rep, "Whole screen").await?;
    customer.click("button", "Share screen").await?;
    rep.shows("Ada Customer declined screen sharing").await?;
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_screen_is_said_visible_only_once_the_media_connection_is_up() -> anyhow::Result<()> {
    // Relayed media only, and no relay: the connection cannot come up.
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        _driver,
    } = stage_with(Setup {
        relay: false,
        ..Setup::plain(true)
    })
    .await?;
    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    request(&rep, "Whole screen").await?;
    customer.click("button", "Share screen").await?;
    customer.shows("Connecting your screen to Bo Rep").await?;
    // Long enough for a loopback connection to come up many times over.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let text = as_read(&customer.text().await?);
    assert!(!text.contains("Your screen is visible"), "{text}");
    let said = customer
        .run(
            "return document.getElementById('announcer').textContent",
            vec![],
        )
        .await?;
    assert!(!said.to_string().contains("visible"), "said: {said}");
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn sharing_works_through_the_relay_alone() -> anyhow::Result<()> {
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        _driver,
    } = stage(true).await?;
    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    request(&rep, "Whole screen").await?;
    let shared_at = std::time::Instant::now();
    customer.click("button", "Share screen").await?;
    frames_beyond(&rep, 10).await?;
    let stats = inbound(&rep).await?;
    assert_eq!(stats["localCandidate"], json!("relay"), "{stats}");
    // The credentials are as short-lived as the server makes them, and coturn judges them when
    // it allocates the relay: the share goes on after they expire.
    let expired = Duration::from_secs(tests::turn::SHORTEST_TTL_SECS + 10);
    tokio::time::sleep(expired.saturating_sub(shared_at.elapsed())).await;
    let before = inbound(&rep).await?["framesDecoded"].as_u64().unwrap_or(0);
    frames_beyond(&rep, before + 10).await?;
    let stats = inbound(&rep).await?;
    assert_eq!(stats["localCandidate"], json!("relay"), "{stats}");
    drop(server);
    Ok(())
}
