//! Screen sharing between two real Chromium pages: consent, frames decoded on the rep's page
//! (read from its own `getStats`), changing the source without renegotiating, stopping,
//! declining, and sharing through a real coturn relay only.
//!
//! Headless Chromium has no screen to offer, so the customer's browser shares a tab instead:
//! `--auto-select-tab-capture-source-by-title` answers the browser's picker with the tab of that
//! title, a page that paints a solid colour and a moving bar. And a page without camera or
//! microphone permission hides its host addresses behind mDNS names, which nothing resolves in
//! the tests' loopback-only network: the customer's browser is told not to hide them, and the
//! rep's grants media permission as a person would. Everything else is real.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tests::browser::{Driver, Page};
use tests::eventually;
use tests::server::{ServerProcess, add_rep};
use tests::turn::TurnServer;

use crate::common::{PASSWORD, accept, configure, sign_in, way_in};

/// The title the customer's browser shares.
const SCREEN_TITLE: &str = "Synthetic screen";

/// Counts every peer connection, offer, answer and capture a page makes, so a test can read
/// the rep's own `getStats` and tell whether a change renegotiated. Installed before the app
/// loads; the app's calls go to the real browser objects.
const SPY: &str = "
    window.peers = [];
    window.counts = { remoteDescriptions: 0, captures: 0 };
    const RealPeer = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends RealPeer {
        constructor(config) { super(config); window.peers.push(this); }
        setRemoteDescription(description) {
            window.counts.remoteDescriptions += 1;
            return super.setRemoteDescription(description);
        }
    };
    const realCapture = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getDisplayMedia = (options) => {
        window.counts.captures += 1;
        return realCapture(options);
    };
";

/// A page to share: a solid colour with a bar moving across it, so every frame differs.
fn screen_page(title: &str, colour: &str) -> String {
    format!(
        "data:text/html,<title>{title}</title><body style='margin:0;background:{colour}'>\
         <div id=bar style='position:absolute;top:0;width:40px;height:100vh;background:white'></div>\
         <script>let x=0;setInterval(()=>{{x=(x+7)%700;bar.style.left=x+'px'}},30)</script>"
    )
}

struct Stage {
    server: ServerProcess,
    customer: Page,
    rep: Page,
    _data: tempfile::TempDir,
    _turn: Option<TurnServer>,
    _driver: Driver,
}

/// Ada served by Bo, each in their own browser, both spied on; the customer's browser shares
/// the tab titled [`SCREEN_TITLE`]. With `relay_only`, a real coturn carries the media.
async fn stage(relay_only: bool) -> anyhow::Result<Stage> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let turn = match relay_only {
        true => Some(TurnServer::start().await?),
        false => None,
    };
    configure(data.path(), |s| s.relay_only = relay_only)?;
    let args = turn
        .as_ref()
        .map(TurnServer::server_args)
        .unwrap_or_default();
    let server = ServerProcess::start_with(data.path(), args).await?;
    let mut driver = Driver::start().await?;
    let pick = format!("--auto-select-tab-capture-source-by-title={SCREEN_TITLE}");
    let customer = driver
        .browser_with(&[
            "--allow-loopback-in-peer-connection",
            "--disable-features=WebRtcHideLocalIpsWithMdns",
            &pick,
        ])
        .await?;
    let rep = driver
        .browser_with(&[
            "--allow-loopback-in-peer-connection",
            "--use-fake-ui-for-media-stream",
        ])
        .await?;
    for page in [&customer, &rep] {
        page.devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": SPY }),
        )
        .await?;
    }
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(&customer, "Do not record", "Ada Customer").await?;
    accept(&rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    Ok(Stage {
        server,
        customer,
        rep,
        _data: data,
        _turn: turn,
        _driver: driver,
    })
}

/// Opens `url` in a new tab of the customer's browser and comes back to the chat.
async fn open_tab(page: &Page, url: &str) -> anyhow::Result<()> {
    let chat = page.client.window().await?;
    let tab = page.client.new_window(true).await?;
    page.client.switch_to_window(tab.handle).await?;
    page.goto(url).await?;
    page.client.switch_to_window(chat).await?;
    Ok(())
}

async fn request(rep: &Page, what: &str) -> anyhow::Result<()> {
    rep.by_role("combobox", "What to share")
        .await?
        .select_by_label(what)
        .await?;
    rep.click("button", "Request screen sharing").await
}

/// The rep's incoming video as its own `getStats` reports it.
async fn inbound(rep: &Page) -> anyhow::Result<Value> {
    Ok(rep
        .client
        .execute_async(
            "const done = arguments[0];
             const peer = window.peers[window.peers.length - 1];
             if (!peer) { done(null); return; }
             peer.getStats().then(report => {
               let found = null;
               report.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') found = s; });
               let pair = null;
               report.forEach(s => {
                 if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
               });
               const local = pair && report.get(pair.localCandidateId);
               done(found && { framesDecoded: found.framesDecoded || 0,
                               localCandidate: local && local.candidateType });
             });",
            vec![],
        )
        .await?)
}

/// Waits until the rep has decoded more than `after` frames; returns how many.
async fn frames_beyond(rep: &Page, after: u64) -> anyhow::Result<u64> {
    eventually("decoded frames on the rep's page", || async {
        let frames = inbound(rep).await?["framesDecoded"].as_u64().unwrap_or(0);
        Ok((frames > after).then_some(frames))
    })
    .await
}

/// The colour at the right edge of the rep's video, away from the moving bar, as "r,g,b".
async fn video_colour(rep: &Page) -> anyhow::Result<String> {
    let colour = rep
        .run(
            "const video = document.querySelector('video.shared-screen');
             if (!video || !video.videoWidth) return null;
             const canvas = document.createElement('canvas');
             canvas.width = video.videoWidth; canvas.height = video.videoHeight;
             const context = canvas.getContext('2d');
             context.drawImage(video, 0, 0);
             const [r, g, b] = context.getImageData(canvas.width - 5, canvas.height / 2, 1, 1).data;
             return [r, g, b].map(c => c > 128 ? 1 : 0).join(',');",
            vec![],
        )
        .await?;
    Ok(colour.as_str().unwrap_or_default().to_owned())
}

async fn colour_is(rep: &Page, wanted: &str) -> anyhow::Result<()> {
    eventually(&format!("the shared screen to be {wanted}"), || async {
        Ok((video_colour(rep).await? == wanted).then_some(()))
    })
    .await
}

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
    let clicked = Instant::now();
    customer.click("link", "Stop screen sharing").await?;
    rep.shows("Screen sharing ended").await?;
    assert!(
        clicked.elapsed() < Duration::from_secs(1) + Duration::from_millis(300),
        "the rep saw the end after {:?}",
        clicked.elapsed()
    );
    let body = customer.text().await?;
    assert!(!body.contains("Your screen is visible"), "{body}");

    // The consent is gone: a new request asks again.
    request(&rep, "Whole screen").await?;
    customer.by_role("button", "Share screen").await?;
    drop(server);
    Ok(())
}

/// The first shared tab gives up the title, so the picker finds the second.
async fn rename_first_screen(customer: &Page) -> anyhow::Result<()> {
    let chat = customer.client.window().await?;
    for handle in customer.client.windows().await? {
        customer.client.switch_to_window(handle).await?;
        if customer.client.title().await? == SCREEN_TITLE
            && customer
                .run("return document.body.style.background", vec![])
                .await?
                == json!("red")
        {
            customer
                .run("document.title = 'Old screen'", vec![])
                .await?;
        }
    }
    customer.client.switch_to_window(chat).await?;
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
    customer.click("button", "Share screen").await?;
    frames_beyond(&rep, 10).await?;
    let stats = inbound(&rep).await?;
    assert_eq!(stats["localCandidate"], json!("relay"), "{stats}");
    drop(server);
    Ok(())
}
