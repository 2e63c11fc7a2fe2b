//! Shares that are to be recorded pass through the server's media relay (webrtc-rs): the
//! customer's page connects to the server, the server to the rep's page, and the video is
//! forwarded as it came and recorded in sealed WebM segments, which an admin plays back beside
//! the transcript. Shares that are not to be recorded stay peer to peer and leave nothing on
//! disk. Real Chromium on every side, real WebRTC over loopback; which way the media goes is
//! read from the DTLS certificate the rep's page was offered (the customer page's own, or the
//! server's).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;
use signaling_server::store::Store;
use tests::browser::Page;
use tests::eventually;
use tests::scene::{PASSWORD, say, sign_in};
use tests::server::{ServerProcess, add_admin};
use tests::sharing::{
    SCREEN_TITLE, Setup, Stage, colour_is, frames_beyond, open_tab, peer_to_peer,
    rename_first_screen, request, screen_page, stage_with,
};

/// Recorded: the site records shared screens, the customer allowed it, the server has a key.
fn recorded() -> Setup {
    Setup {
        record_screens: true,
        recording: "Allow recording",
        recording_key: true,
        ..Setup::plain(false)
    }
}

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

/// The recordings' folders in the data folder.
fn recording_folders(data: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(data.join("recordings")) else {
        return Ok(Vec::new());
    };
    Ok(entries
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recorded_share_reaches_the_rep_through_the_server_and_changes_without_renegotiating()
-> anyhow::Result<()> {
    let stage = stage_with(recorded()).await?;
    let first = share_red_screen(&stage).await?;
    let Stage { customer, rep, .. } = &stage;
    assert!(
        !peer_to_peer(customer, rep).await?,
        "the rep's page was offered the customer page's own certificate"
    );
    for page in [customer, rep] {
        page.shows("This session is being recorded").await?;
    }
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
    for page in [customer, rep] {
        let text = page.text().await?;
        assert!(!text.contains("being recorded"), "{text}");
    }
    // One recording for the whole share, both screens in it, stopped with the share.
    assert_eq!(recording_folders(stage._data.path())?.len(), 1);
    let store = Store::open(stage._data.path())?;
    eventually("the recording's stop to be stored", || async {
        let report = store.session_report(protocol::SessionId(1))?;
        let recordings = report.map(|(_, rows)| rows).unwrap_or_default();
        Ok(recordings
            .first()
            .and_then(|r| r.duration_ms)
            .map(|_| recordings.len()))
    })
    .await
    .map(|count| assert_eq!(count, 1))?;
    Ok(())
}

/// A screen that is red, then green, then blue, two seconds each, once
/// [`share_cycling_screen`] starts it, with a bar moving across its left half all along, as a pointer or a caret keeps a real
/// screen changing.
fn cycling_screen() -> String {
    format!(
        "data:text/html,<title>{SCREEN_TITLE}</title><style>@keyframes cycle{{0%{{background:red}}\
         33.333%{{background:lime}}66.666%{{background:blue}}}}@keyframes slide{{to{{left:40%}}}}\
         body{{margin:0;animation:cycle 6s step-end infinite paused}}</style><body><div style='\
         position:absolute;top:0;left:0;width:20px;height:100vh;background:white;animation:slide \
         1s linear infinite'></div>"
    )
}

/// Shares a [`cycling_screen`] and starts its colours as soon as the customer's page says the
/// screen is seen, which is when its first frames reach the server (and the recording).
async fn share_cycling_screen(customer: &Page) -> anyhow::Result<()> {
    let screen = open_tab(customer, &cycling_screen()).await?;
    customer.click("button", "Share screen").await?;
    customer.shows("Your screen is visible to Bo Rep").await?;
    let chat = customer.client.window().await?;
    customer.client.switch_to_window(screen).await?;
    customer
        .run("document.body.style.animationPlayState = 'running'", vec![])
        .await?;
    customer.client.switch_to_window(chat).await?;
    Ok(())
}

/// The colour of the admin's player at `secs` into the recording, as "r,g,b" of 0s and 1s.
async fn colour_at(admin: &Page, secs: f64) -> anyhow::Result<String> {
    let colour = admin
        .client
        .execute_async(
            "const [secs, done] = arguments;
             const video = document.querySelector('video.recording');
             video.addEventListener('seeked', () => {
               const canvas = document.createElement('canvas');
               canvas.width = video.videoWidth; canvas.height = video.videoHeight;
               const context = canvas.getContext('2d');
               context.drawImage(video, 0, 0);
               const [r, g, b] = context.getImageData(canvas.width - 5, canvas.height / 2, 1, 1).data;
               done([r, g, b].map(c => c > 128 ? 1 : 0).join(','));
             }, { once: true });
             video.currentTime = secs;",
            vec![json!(secs)],
        )
        .await?;
    Ok(colour.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recording_plays_back_for_the_admin_beside_the_transcript_and_is_sealed_on_disk()
-> anyhow::Result<()> {
    let mut stage = stage_with(recorded()).await?;
    let data = stage._data.path().to_owned();
    add_admin(&data, "ann", "Ann Admin", PASSWORD).await?;
    let Stage { customer, rep, .. } = &stage;
    request(rep, "Customer chooses").await?;
    customer.shows("Bo Rep wants to see your screen").await?;
    share_cycling_screen(customer).await?;
    // The share as the customer sees it: from "visible" to the stop.
    let shared = Instant::now();
    frames_beyond(rep, 0).await?;
    tokio::time::sleep(Duration::from_secs(4).saturating_sub(shared.elapsed())).await;
    say(customer, "Now it turns blue").await?;
    tokio::time::sleep(Duration::from_secs(8).saturating_sub(shared.elapsed())).await;
    customer.click("button", "Stop sharing").await?;
    let share = shared.elapsed().as_secs_f64();
    rep.shows("Screen sharing ended").await?;

    // On disk: whole segments, none of them readable as WebM without the key.
    let folders = recording_folders(&data)?;
    assert_eq!(folders.len(), 1, "{folders:?}");
    let segments: Vec<PathBuf> = std::fs::read_dir(&folders[0])?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    assert!(!segments.is_empty());
    for segment in &segments {
        let bytes = std::fs::read(segment)?;
        assert!(
            !bytes.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]),
            "{segment:?} is plain EBML"
        );
        assert!(
            !bytes.windows(4).any(|w| w == b"webm" || w == b"V_VP"),
            "{segment:?} names its format in clear"
        );
    }

    let admin = stage._driver.browser().await?;
    let duration = play_report(&admin, &stage.server).await?;
    assert!(
        (duration - share).abs() < 1.0,
        "the player's {duration} s against a share of {share} s"
    );
    // The colours began as the first frames reached the server, a moment into the recording
    // (how long depends on the machine's load): that moment is found from the first green,
    // and from it on the recording keeps time with the screen.
    let green = first_time(&admin, "0,1,0").await?;
    let began = green - 2.0;
    assert!(
        (0.0..2.0).contains(&began),
        "the colours began {began} s in"
    );
    assert_eq!(colour_at(&admin, began + 1.0).await?, "1,0,0", "red 1 s in");
    assert_eq!(
        colour_at(&admin, began + 5.0).await?,
        "0,0,1",
        "blue 5 s in"
    );
    let blue = first_time(&admin, "0,0,1").await?;
    assert!(
        (blue - green - 2.0).abs() < 0.3,
        "green at {green} s, blue at {blue} s"
    );

    // The chat line plays from its moment, and is marked while it is said.
    admin
        .click("button", &line_button(&admin, "Now it turns blue").await?)
        .await?;
    let marked = eventually("the line being said to be marked", || async {
        let marked = admin
            .run(
                "const line = document.querySelector('.transcript-line[aria-current=\"true\"]');
                 const video = document.querySelector('video.recording');
                 return line && { text: line.textContent, at: video.currentTime };",
                vec![],
            )
            .await?;
        Ok((!marked.is_null()).then_some(marked))
    })
    .await?;
    assert!(
        marked["text"]
            .as_str()
            .is_some_and(|t| t.contains("Now it turns blue")),
        "{marked}"
    );
    let at = marked["at"].as_f64().unwrap_or_default();
    assert!(
        (3.5..6.0).contains(&at),
        "the line was said about 4 s in, played from {at}"
    );

    // Every start, stop and viewing is in the audit log, and its chain holds.
    let store = Store::open(&data)?;
    let (report, _) = store
        .session_report(protocol::SessionId(1))?
        .expect("the session");
    let events: Vec<&str> = report.audit.iter().map(|e| e.event.as_str()).collect();
    for event in ["recording_started", "recording_stopped", "recording_viewed"] {
        assert!(events.contains(&event), "{event} in {events:?}");
    }
    assert_eq!(store.verify_audit()?, None);
    Ok(())
}

/// Ann, the admin, opens Ada's report from the list of sessions; once every stored segment is
/// in the player, its length in seconds.
async fn play_report(admin: &Page, server: &ServerProcess) -> anyhow::Result<f64> {
    sign_in(admin, server, "/admin/sessions?lang=en", "ann").await?;
    // Ada's session goes on: found among the live ones, not among those never served.
    for (outcome, shown) in [
        ("Not served", "No sessions found."),
        ("Live", "Ada Customer"),
    ] {
        admin
            .by_role("combobox", "Outcome")
            .await?
            .select_by_label(outcome)
            .await?;
        admin.click("button", "Search").await?;
        admin.shows(shown).await?;
    }
    admin.click("link", "Ada Customer").await?;
    admin.shows("Session with Ada Customer").await?;
    eventually("the recording's segments in the player", || async {
        let duration = admin
            .run(
                "const video = document.querySelector('video.recording:not([aria-busy])');
                 return video && video.readyState >= 1 ? video.duration : null;",
                vec![],
            )
            .await?;
        Ok(duration.as_f64())
    })
    .await
}

/// The first time, in tenths of a second, at which the admin's player shows `colour`.
async fn first_time(admin: &Page, colour: &str) -> anyhow::Result<f64> {
    for tenth in 0..80 {
        let secs = f64::from(tenth) / 10.0;
        if colour_at(admin, secs).await? == colour {
            return Ok(secs);
        }
    }
    anyhow::bail!("the recording never shows {colour}")
}

/// The name of the "Play from …" button of the transcript line saying `text`.
async fn line_button(admin: &Page, text: &str) -> anyhow::Result<String> {
    let name = admin
        .run(
            "const line = [...document.querySelectorAll('.transcript-line')]
                 .find(l => l.textContent.includes(arguments[0]));
             return line && line.querySelector('button').textContent;",
            vec![json!(text)],
        )
        .await?;
    name.as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no line saying {text}"))
}

/// Shares on a stage set up as `setup`: the media goes peer to peer, and nothing is recorded.
async fn stays_peer_to_peer(setup: Setup) -> anyhow::Result<()> {
    let stage = stage_with(setup).await?;
    share_red_screen(&stage).await?;
    assert!(peer_to_peer(&stage.customer, &stage.rep).await?);
    assert!(recording_folders(stage._data.path())?.is_empty());
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_share_the_customer_did_not_allow_to_record_stays_peer_to_peer() -> anyhow::Result<()> {
    stays_peer_to_peer(Setup {
        recording: "Do not record",
        ..recorded()
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_share_stays_peer_to_peer_while_the_site_records_nothing() -> anyhow::Result<()> {
    stays_peer_to_peer(Setup {
        record_screens: false,
        ..recorded()
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_segments_finished_before_a_crash_still_play_after_the_restart() -> anyhow::Result<()> {
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        mut _driver,
    } = stage_with(recorded()).await?;
    add_admin(_data.path(), "ann", "Ann Admin", PASSWORD).await?;
    request(&rep, "Customer chooses").await?;
    customer.shows("Bo Rep wants to see your screen").await?;
    share_cycling_screen(&customer).await?;
    frames_beyond(&rep, 0).await?;
    // The first segment ends at the first key frame after ten seconds.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let first = eventually("the first segment on disk", || async {
        let folders = recording_folders(_data.path())?;
        let first = folders.first().map(|f| f.join("000000.webm.sealed"));
        Ok(first.filter(|f| f.exists()))
    })
    .await?;
    let server = server.crash_and_restart().await?;
    assert!(first.exists());

    let admin = _driver.browser().await?;
    let duration = play_report(&admin, &server).await?;
    assert!(duration >= 9.5, "{duration} s of the first segment");
    let green = first_time(&admin, "0,1,0").await?;
    assert_eq!(
        colour_at(&admin, green + 2.5).await?,
        "0,0,1",
        "blue after green"
    );
    Ok(())
}
