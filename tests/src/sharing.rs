//! Two browsers ready to share a screen: a customer served by a rep, the customer's browser
//! answering the screen picker with a tab of a known title, and spies on both pages.
//!
//! Headless Chromium has no screen to offer, so the customer's browser shares a tab instead:
//! `--auto-select-tab-capture-source-by-title` answers the browser's picker with the tab of that
//! title, a page that paints a solid colour and a moving bar. And a page without camera or
//! microphone permission hides its host addresses behind mDNS names, which nothing resolves in
//! a loopback-only network: the customer's browser is told not to hide them, and the rep's
//! grants media permission as a person would. Everything else is real.

use serde_json::{Value, json};

use crate::browser::{Driver, Page};
use crate::eventually;
use crate::scene::{PASSWORD, accept, configure, sign_in, way_in};
use crate::server::{ServerProcess, add_rep};
use crate::turn::TurnServer;

/// The title the customer's browser shares.
pub const SCREEN_TITLE: &str = "Synthetic screen";

/// Counts every peer connection, offer, answer and capture a page makes, so a test can read
/// the rep's own `getStats` and tell whether a change renegotiated. Installed before the app
/// loads; the app's calls go to the real browser objects.
pub const SPY: &str = "
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
pub fn screen_page(title: &str, colour: &str) -> String {
    // A CSS animation, not a timer: a background tab's timers are slowed to once a second,
    // its compositor's animations are not, so the capture changes every frame.
    format!(
        "data:text/html,<title>{title}</title><style>@keyframes slide{{to{{left:600px}}}}</style>\
         <body style='margin:0;background:{colour}'><div style='position:absolute;top:0;left:0;\
         width:40px;height:100vh;background:white;animation:slide 1s linear infinite'></div>"
    )
}

/// A customer's browser whose screen picker answers with the tab titled [`SCREEN_TITLE`], and a
/// rep's browser, both able to use WebRTC over loopback.
pub async fn sharing_browsers(driver: &mut Driver) -> anyhow::Result<(Page, Page)> {
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
    Ok((customer, rep))
}

pub struct Stage {
    pub server: ServerProcess,
    pub customer: Page,
    pub rep: Page,
    pub _data: tempfile::TempDir,
    pub _turn: Option<TurnServer>,
    pub _driver: Driver,
}

/// How a [`Stage`] is set up.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    /// The site sends shared screens only through the TURN relay.
    pub relay_only: bool,
    /// A real coturn runs and the server hands out its credentials.
    pub relay: bool,
    /// The site's "Record shared screens" policy.
    pub record_screens: bool,
    /// The customer's answer to the recording prompt: "Allow recording" or "Do not record".
    pub recording: &'static str,
    /// The server has a recording key (`--recording-key-file`).
    pub recording_key: bool,
}

impl Setup {
    /// Peer to peer, nothing recorded; with `relay_only`, a real coturn carries the media.
    pub fn plain(relay_only: bool) -> Setup {
        Setup {
            relay_only,
            relay: relay_only,
            record_screens: false,
            recording: "Do not record",
            recording_key: false,
        }
    }
}

/// Ada served by Bo, each in their own browser, both spied on; the customer's browser shares
/// the tab titled [`SCREEN_TITLE`]. With `relay_only`, a real coturn carries the media.
pub async fn stage(relay_only: bool) -> anyhow::Result<Stage> {
    stage_with(Setup::plain(relay_only)).await
}

/// As [`stage`], set up as `setup` says (relayed media only and no relay is a connection that
/// cannot come up).
pub async fn stage_with(setup: Setup) -> anyhow::Result<Stage> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let turn = match setup.relay {
        true => Some(TurnServer::start().await?),
        false => None,
    };
    configure(data.path(), |s| {
        s.relay_only = setup.relay_only;
        s.record_screens = setup.record_screens;
    })?;
    let mut args = turn
        .as_ref()
        .map(TurnServer::server_args)
        .unwrap_or_default();
    if setup.recording_key {
        args.push("--recording-key-file".into());
        args.push(master_key_file(data.path())?.display().to_string());
    }
    let server = ServerProcess::start_with(data.path(), args).await?;
    let mut driver = Driver::start().await?;
    let (customer, rep) = sharing_browsers(&mut driver).await?;
    for page in [&customer, &rep] {
        page.devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": SPY }),
        )
        .await?;
    }
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(&customer, setup.recording, "Ada Customer").await?;
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

/// The recordings' master key, written beside the data folder's database as an admin would
/// write it (32 random bytes in base64); its path.
pub fn master_key_file(data: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    use base64::Engine;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("{e}"))?;
    let path = data.join("master.key");
    std::fs::write(&path, base64::engine::general_purpose::STANDARD.encode(key))?;
    Ok(path)
}

/// Opens `url` in a new tab of the customer's browser and comes back to the chat; the tab's
/// handle, to go back to it.
pub async fn open_tab(page: &Page, url: &str) -> anyhow::Result<fantoccini::wd::WindowHandle> {
    let chat = page.client.window().await?;
    let tab = page.client.new_window(true).await?;
    page.client.switch_to_window(tab.handle.clone()).await?;
    page.goto(url).await?;
    page.client.switch_to_window(chat).await?;
    Ok(tab.handle)
}

pub async fn request(rep: &Page, what: &str) -> anyhow::Result<()> {
    rep.by_role("combobox", "What to share")
        .await?
        .select_by_label(what)
        .await?;
    rep.click("button", "Request screen sharing").await
}

/// The first shared tab gives up the title, so the picker finds the second.
pub async fn rename_first_screen(customer: &Page) -> anyhow::Result<()> {
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

/// The rep's incoming video as its own `getStats` reports it.
pub async fn inbound(rep: &Page) -> anyhow::Result<Value> {
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

/// The colour at the right edge of the rep's video, away from the moving bar, as "r,g,b".
pub async fn video_colour(rep: &Page) -> anyhow::Result<String> {
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

pub async fn colour_is(rep: &Page, wanted: &str) -> anyhow::Result<()> {
    eventually(&format!("the shared screen to be {wanted}"), || async {
        Ok((video_colour(rep).await? == wanted).then_some(()))
    })
    .await
}

/// Whether the customer's page and the rep's are connected to each other: the DTLS certificate
/// the rep's page was offered is the customer page's own, not the server's.
pub async fn peer_to_peer(customer: &Page, rep: &Page) -> anyhow::Result<bool> {
    const FINGERPRINT: &str = "
        const peer = window.peers[window.peers.length - 1];
        const description = peer && peer[arguments[0]];
        const found = description && description.sdp.match(/a=fingerprint:\\S+ (\\S+)/);
        return found && found[1];";
    let sent = customer
        .run(FINGERPRINT, vec![json!("localDescription")])
        .await?;
    let seen = rep
        .run(FINGERPRINT, vec![json!("remoteDescription")])
        .await?;
    anyhow::ensure!(
        sent.is_string() && seen.is_string(),
        "no descriptions: {sent} {seen}"
    );
    Ok(sent == seen)
}

/// Waits until the rep has decoded more than `after` frames; returns how many.
pub async fn frames_beyond(rep: &Page, after: u64) -> anyhow::Result<u64> {
    eventually("decoded frames on the rep's page", || async {
        let frames = inbound(rep).await?["framesDecoded"].as_u64().unwrap_or(0);
        Ok((frames > after).then_some(frames))
    })
    .await
}
