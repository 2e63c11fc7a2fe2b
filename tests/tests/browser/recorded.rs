//! Shares that are to be recorded pass through the server's media relay (webrtc-rs): the
//! customer's page connects to the server, the server to the rep's page, and the video is
//! forwarded as it came. Shares that are not to be recorded stay peer to peer. Real Chromium
//! on both sides, real WebRTC over loopback; which way the media goes is read from the DTLS
//! certificate the rep's page was offered (the customer page's own, or the server's).

use tests::sharing::{
    SCREEN_TITLE, Setup, Stage, colour_is, frames_beyond, open_tab, peer_to_peer,
    rename_first_screen, request, screen_page, stage_with,
};

async fn share_red_screen(stage: &Stage) -> anyhow::Result<u64> {
    let Stage { customer, rep, .. } = stage;
    open_tab(customer, &screen_page(SCREEN_TITLE, "red")).await?;
    request(rep, "Customer chooses").await?;
    customer.click("button", "Share screen").await?;
    customer.shows("Your screen is visible to Bo Rep").await?;
    let frames = frames_beyond(rep, 0).await?;
    colour_is(rep, "1,0,0").await?;
    Ok(frames)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recorded_share_reaches_the_rep_through_the_server_and_changes_without_renegotiating()
-> anyhow::Result<()> {
    let stage = stage_with(Setup {
        record_screens: true,
        recording: "Allow recording",
        ..Setup::plain(false)
    })
    .await?;
    let first = share_red_screen(&stage).await?;
    let Stage { customer, rep, .. } = &stage;
    assert!(
        !peer_to_peer(customer, rep).await?,
        "the rep's page was offered the customer page's own certificate"
    );
    let negotiated = rep
        .run("return window.counts.remoteDescriptions", vec![])
        .await?;

    open_tab(customer, &screen_page(SCREEN_TITLE, "blue")).await?;
    rename_first_screen(customer).await?;
    customer.click("link", "Change sharing").await?;
    colour_is(rep, "0,0,1").await?;
    frames_beyond(rep, first).await?;
    assert_eq!(
        rep.run("return window.counts.remoteDescriptions", vec![])
            .await?,
        negotiated,
        "no new offer or answer for a change of source"
    );
    customer.click("button", "Stop sharing").await?;
    rep.shows("Screen sharing ended").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_share_the_customer_did_not_allow_to_record_stays_peer_to_peer() -> anyhow::Result<()> {
    let stage = stage_with(Setup {
        record_screens: true,
        recording: "Do not record",
        ..Setup::plain(false)
    })
    .await?;
    share_red_screen(&stage).await?;
    assert!(peer_to_peer(&stage.customer, &stage.rep).await?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_share_stays_peer_to_peer_while_the_site_records_nothing() -> anyhow::Result<()> {
    let stage = stage_with(Setup {
        record_screens: false,
        recording: "Allow recording",
        ..Setup::plain(false)
    })
    .await?;
    share_red_screen(&stage).await?;
    assert!(peer_to_peer(&stage.customer, &stage.rep).await?);
    Ok(())
}
