//! The screen-sharing figures of `cargo xtask bench`, in real headless Chromium: the customer's
//! click on "Share screen" → the first frame shown on the rep's page, and the click on "Change
//! sharing" → the first frame of the new source there, over repeated runs; beside the floor, two
//! peer connections in one page (capture → first frame, no server, no second browser). Then the
//! same first frame through the server's media relay (a recorded share), and a minute of a busy
//! recorded share: the server's CPU time, the stream's rate, the recording's bytes. Prints one
//! line of JSON.
//!
//! Both browsers run on this machine, so their clocks (`performance.timeOrigin + now`) agree.
//! Frames are told apart by colour: the two shared tabs paint red and blue.

use std::time::Duration;

use anyhow::Context;
use serde_json::{Value, json};
use tests::browser::Page;
use tests::eventually;
use tests::sharing::{
    SCREEN_TITLE, Setup, Stage, frames_beyond, open_tab, request, screen_page, stage, stage_with,
};

/// Runs of each kind.
const RUNS: usize = 12;

/// Records, in the customer's page, when a control with a given text was clicked, and when the
/// app's capture and track replacement last finished (`window.phaseAt`), to show where a change
/// of source spends its time.
const CLICK_CLOCK: &str = "
    window.clickedAt = {};
    window.phaseAt = {};
    const clock = () => performance.timeOrigin + performance.now();
    document.addEventListener('click', event => {
        const control = event.target.closest('button, a');
        if (control) window.clickedAt[control.textContent.trim()] = clock();
    }, true);
    const timed = (target, method, phase) => {
        const original = target[method];
        target[method] = function (...args) {
            return original.apply(this, args).then(result => { window.phaseAt[phase] = clock(); return result; });
        };
    };
    // The page's own object: the test stage counts captures there.
    timed(navigator.mediaDevices, 'getDisplayMedia', 'captured');
    timed(RTCRtpSender.prototype, 'replaceTrack', 'replaced');
";

/// In the rep's page: `watchFor(colour)` notes in `window.frameAt` when the shared screen first
/// shows `colour` ("1,0,0" for red), frame by frame.
const FRAME_CLOCK: &str = "
    window.frameAt = null;
    window.watchFor = (wanted) => {
        window.frameAt = null;
        const canvas = document.createElement('canvas');
        const look = () => {
            const video = document.querySelector('video.shared-screen');
            if (!video || !video.videoWidth || !video.requestVideoFrameCallback) {
                requestAnimationFrame(look);
                return;
            }
            video.requestVideoFrameCallback((now, frame) => {
                canvas.width = video.videoWidth; canvas.height = video.videoHeight;
                const context = canvas.getContext('2d');
                context.drawImage(video, 0, 0);
                const [r, g, b] = context.getImageData(canvas.width - 5, canvas.height / 2, 1, 1).data;
                const colour = [r, g, b].map(c => c > 128 ? 1 : 0).join(',');
                if (colour === wanted) window.frameAt = performance.timeOrigin + frame.presentationTime;
                else look();
            });
        };
        look();
    };
";

const RED: &str = "1,0,0";
const BLUE: &str = "0,0,1";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        mut _driver,
    } = stage(false).await?;
    customer.run(CLICK_CLOCK, vec![]).await?;
    rep.run(FRAME_CLOCK, vec![]).await?;
    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    open_tab(&customer, &screen_page("Other screen", "blue")).await?;

    let (mut share, mut change) = (Vec::new(), Vec::new());
    let (mut change_captured, mut change_after_capture) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        // Alternate which tab is shared first, so every run has a fresh source to change to.
        let (first, second) = match run % 2 {
            0 => (("red", RED), ("blue", BLUE)),
            _ => (("blue", BLUE), ("red", RED)),
        };
        title_tab(&customer, first.0).await?;
        request(&rep, "Customer chooses").await?;
        let share_button = customer.by_role("button", "Share screen").await?;
        rep.run("window.watchFor(arguments[0])", vec![json!(first.1)])
            .await?;
        share_button.click().await?;
        share.push(elapsed(&customer, &rep, "Share screen").await?);

        title_tab(&customer, second.0).await?;
        rep.run("window.watchFor(arguments[0])", vec![json!(second.1)])
            .await?;
        customer.click("link", "Change sharing").await?;
        let total = elapsed(&customer, &rep, "Change sharing").await?;
        let (captured, replaced) = change_phases(&customer).await?;
        change.push(total);
        change_captured.push(captured);
        change_after_capture.push(total - captured);
        eprintln!(
            "change {run}: captured {captured:.0} ms, replaced {replaced:.0} ms, frame {total:.0} ms"
        );

        customer.click("button", "Stop sharing").await?;
        rep.shows("Screen sharing ended").await?;
    }
    // The floor runs in a browser of its own. Chromium offers a page its host addresses for
    // ICE only once the page has used a camera, so the floor page first opens a fake one.
    let pick = format!("--auto-select-tab-capture-source-by-title={SCREEN_TITLE}");
    let lone = _driver
        .browser_with(&[
            "--allow-loopback-in-peer-connection",
            "--disable-features=WebRtcHideLocalIpsWithMdns",
            "--use-fake-device-for-media-stream",
            &pick,
        ])
        .await?;
    open_tab(&lone, &screen_page(SCREEN_TITLE, "red")).await?;
    let floor = baseline(&lone, &server.url("/healthz")).await?;
    drop((lone, customer, rep, server, _driver));
    let (relayed, minute) = through_the_server().await?;
    println!(
        "{}",
        json!({
            "figure": "screen_sharing",
            "runs": RUNS,
            "share_ms": summary(share),
            "change_ms": summary(change),
            "change_captured_ms": summary(change_captured),
            "change_after_capture_ms": summary(change_after_capture),
            "two_peers_in_one_page_ms": summary(floor),
            "share_through_server_ms": summary(relayed),
            "recorded_minute": minute,
        })
    );
    Ok(())
}

/// A recorded share, which passes through the server: click → first frame, `RUNS` times; then
/// a minute of a busy screen, with the server's CPU time, the rate the rep received and the
/// bytes the recording took on disk.
async fn through_the_server() -> anyhow::Result<(Vec<f64>, Value)> {
    let Stage {
        server,
        customer,
        rep,
        _data,
        _turn,
        _driver,
    } = stage_with(Setup {
        record_screens: true,
        recording: "Allow recording",
        recording_key: true,
        ..Setup::plain(false)
    })
    .await?;
    customer.run(CLICK_CLOCK, vec![]).await?;
    rep.run(FRAME_CLOCK, vec![]).await?;
    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    let mut share = Vec::new();
    for _ in 0..RUNS {
        request(&rep, "Customer chooses").await?;
        let share_button = customer.by_role("button", "Share screen").await?;
        rep.run("window.watchFor(arguments[0])", vec![json!(RED)])
            .await?;
        share_button.click().await?;
        share.push(elapsed(&customer, &rep, "Share screen").await?);
        customer.click("button", "Stop sharing").await?;
        rep.shows("Screen sharing ended").await?;
    }

    let recordings = _data.path().join("recordings");
    let disk_before = folder_bytes(&recordings)?;
    open_tab(&customer, &busy_screen()).await?;
    let chat = customer.client.window().await?;
    title_only(&customer, &chat).await?;
    request(&rep, "Customer chooses").await?;
    customer.click("button", "Share screen").await?;
    frames_beyond(&rep, 0).await?;
    // Settled: the sender's rate has climbed to what the screen needs.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let pid = server.pid().context("the server's process")?;
    let (cpu_before, bytes_before) = (cpu_seconds(pid)?, received_bytes(&rep).await?);
    let started = std::time::Instant::now();
    tokio::time::sleep(MINUTE).await;
    let (cpu, bytes) = (cpu_seconds(pid)?, received_bytes(&rep).await?);
    let seconds = started.elapsed().as_secs_f64();
    customer.click("button", "Stop sharing").await?;
    rep.shows("Screen sharing ended").await?;
    // The stop writes the last segment; the recording's stop follows its writes.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let disk = folder_bytes(&recordings)? - disk_before;
    let mbit_s = (bytes - bytes_before) * 8.0 / seconds / 1e6;
    Ok((
        share,
        json!({
            "seconds": (seconds * 10.0).round() / 10.0,
            "stream_mbit_s": (mbit_s * 100.0).round() / 100.0,
            "server_cpu_percent": ((cpu - cpu_before) / seconds * 1000.0).round() / 10.0,
            "recording_bytes": disk,
        }),
    ))
}

/// How long the busy share is measured.
const MINUTE: Duration = Duration::from_secs(60);

/// A screen that keeps the encoder at its limit: many moving, spinning tiles (compositor
/// animations, which run in a background tab too). Its `%` signs escaped, as a data URL needs.
fn busy_screen() -> String {
    let page = "<title>Busy screen</title><style>body{margin:0;background:red;overflow:hidden}\
        i{position:absolute;width:48px;height:48px;animation:spin 0.7s linear infinite}\
        @keyframes spin{to{transform:rotate(1turn) translateX(30px)}}</style><body><script>\
        for(let n=0;n<600;n++){const i=document.createElement('i');i.style.left=(n%30)*40+'px';\
        i.style.top=Math.floor(n/30)*40+'px';\
        i.style.background='hsl('+(n*37%360)+',90%,'+(30+n%50)+'%)';\
        i.style.animationDelay=-(n%7)/10+'s';document.body.appendChild(i)}</script>";
    format!("data:text/html,{}", page.replace('%', "%25"))
}

/// Gives the busy screen the title the picker looks for, and every other tab another.
async fn title_only(customer: &Page, chat: &fantoccini::wd::WindowHandle) -> anyhow::Result<()> {
    for handle in customer.client.windows().await? {
        customer.client.switch_to_window(handle.clone()).await?;
        let title = customer.client.title().await?;
        let wanted = match title.as_str() {
            "Busy screen" => SCREEN_TITLE,
            _ if &handle == chat => continue,
            _ => "Other screen",
        };
        customer
            .run("document.title = arguments[0]", vec![json!(wanted)])
            .await?;
    }
    customer.client.switch_to_window(chat.clone()).await?;
    tokio::time::sleep(PICKER_REFRESH).await;
    Ok(())
}

/// The video bytes the rep's page has received.
async fn received_bytes(rep: &Page) -> anyhow::Result<f64> {
    let stats = rep
        .client
        .execute_async(
            "const done = arguments[0];
             const peer = window.peers[window.peers.length - 1];
             peer.getStats().then(report => {
               let bytes = 0;
               report.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') bytes = s.bytesReceived; });
               done(bytes);
             });",
            vec![],
        )
        .await?;
    stats.as_f64().context("no inbound video on the rep's page")
}

/// The CPU time (user and system) process `pid` has used, in seconds.
fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The fields after the command's name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .context("a /proc stat line")?
        .1
        .split_whitespace()
        .collect();
    let ticks = |n: usize| -> anyhow::Result<f64> { Ok(fields[n].parse::<f64>()?) };
    // utime and stime are the 14th and 15th fields; the 3rd is the first after the name.
    Ok((ticks(11)? + ticks(12)?) / CLOCK_TICKS)
}

/// Linux's clock ticks per second for /proc times (`getconf CLK_TCK`), 100 on every
/// architecture Debian builds for.
const CLOCK_TICKS: f64 = 100.0;

/// The bytes of the files under `folder`.
fn folder_bytes(folder: &std::path::Path) -> anyhow::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        total += match entry.file_type()?.is_dir() {
            true => folder_bytes(&entry.path())?,
            false => entry.metadata()?.len(),
        };
    }
    Ok(total)
}

/// Gives the tab painted `colour` the title the picker looks for, and the other tab another,
/// and waits until the picker can have seen it: Chromium's list of tabs to capture refreshes
/// once a second, and a click right after a renaming often waited for the next refresh. Some
/// runs still wait for it (`getDisplayMedia` taking 1.1 s instead of 40–80 ms), which is why
/// the capture's share of a change is reported apart from the rest.
async fn title_tab(customer: &Page, colour: &str) -> anyhow::Result<()> {
    let chat = customer.client.window().await?;
    for handle in customer.client.windows().await? {
        customer.client.switch_to_window(handle).await?;
        let background = customer
            .run("return document.body.style.background", vec![])
            .await?;
        if background.as_str().is_some_and(|b| !b.is_empty()) {
            let title = if background == json!(colour) {
                SCREEN_TITLE
            } else {
                "Other screen"
            };
            customer
                .run("document.title = arguments[0]", vec![json!(title)])
                .await?;
        }
    }
    customer.client.switch_to_window(chat).await?;
    tokio::time::sleep(PICKER_REFRESH).await;
    Ok(())
}

/// How often Chromium's capture picker refreshes its list of tabs, with a margin.
const PICKER_REFRESH: Duration = Duration::from_millis(1_200);

/// Milliseconds from the click on "Change sharing" until the new source was captured, and
/// until it replaced the old one on the connection.
async fn change_phases(customer: &Page) -> anyhow::Result<(f64, f64)> {
    let phases = customer
        .run(
            "return [window.phaseAt.captured, window.phaseAt.replaced].map(t => t - window.clickedAt['Change sharing'])",
            vec![],
        )
        .await?;
    let phase = |i: usize| {
        phases[i]
            .as_f64()
            .context("a phase of the change was not seen")
    };
    Ok((phase(0)?, phase(1)?))
}

/// Milliseconds from the customer's click on `control` to the rep's frame.
async fn elapsed(customer: &Page, rep: &Page, control: &str) -> anyhow::Result<f64> {
    let shown = eventually("the frame on the rep's page", || async {
        Ok(rep.run("return window.frameAt", vec![]).await?.as_f64())
    })
    .await?;
    let clicked = customer
        .run(
            "return window.clickedAt[arguments[0]]",
            vec![json!(control)],
        )
        .await?
        .as_f64()
        .with_context(|| format!("no click on {control} was seen"))?;
    Ok(shown - clicked)
}

/// The floor: in one page, capture → a local peer connection → another → the first frame.
/// `page` is any page of the server: capture needs a secure context, which loopback is.
async fn baseline(customer: &Page, page: &str) -> anyhow::Result<Vec<f64>> {
    customer.goto(page).await?;
    let origin = page.split("/healthz").next().unwrap_or(page);
    customer
        .devtools(
            "Browser.grantPermissions",
            json!({ "permissions": ["videoCapture"], "origin": origin }),
        )
        .await?;
    customer
        .client
        .execute_async(
            "const done = arguments[0];
             navigator.mediaDevices.getUserMedia({ video: true })
               .then(s => { s.getTracks().forEach(t => t.stop()); done(true); }, e => done(String(e)));",
            vec![],
        )
        .await?;
    let mut times = Vec::new();
    for _ in 0..RUNS {
        customer.run(FLOOR_PAGE, vec![]).await?;
        customer.click("button", "Measure").await?;
        let ms = eventually("the floor's frame", || async {
            Ok(customer
                .run("return window.floorMs", vec![])
                .await?
                .as_f64())
        })
        .await?;
        times.push(ms);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(times)
}

/// A button that captures the shared tab and sends it between two peer connections in this
/// page, noting in `window.floorMs` how long until the first frame is shown.
const FLOOR_PAGE: &str = "
    document.body.innerHTML = '<button>Measure</button><video autoplay muted playsinline></video>';
    window.floorMs = null;
    document.querySelector('button').onclick = () => measure().catch(e => { window.floorError = String(e); });
    const measure = async () => {
        const start = performance.now();
        // Chrome would bring the captured tab to the front, hiding this page and its video.
        const controller = new CaptureController();
        const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false, controller });
        controller.setFocusBehavior('no-focus-change');
        const sender = new RTCPeerConnection(), receiver = new RTCPeerConnection();
        // Candidates wait until the other side has its description, as the app's do.
        const early = new Map([[sender, []], [receiver, []]]);
        const forward = (to) => (e) => {
            if (!e.candidate) return;
            if (to.remoteDescription) to.addIceCandidate(e.candidate); else early.get(to).push(e.candidate);
        };
        const described = async (pc, description) => {
            await pc.setRemoteDescription(description);
            for (const candidate of early.get(pc)) await pc.addIceCandidate(candidate);
        };
        sender.onicecandidate = forward(receiver);
        receiver.onicecandidate = forward(sender);
        const video = document.querySelector('video');
        receiver.ontrack = e => {
            video.srcObject = e.streams[0] || new MediaStream([e.track]);
            video.requestVideoFrameCallback((now, frame) => {
                window.floorMs = frame.presentationTime - start;
                stream.getTracks().forEach(t => t.stop());
                sender.close(); receiver.close();
            });
        };
        stream.getTracks().forEach(t => sender.addTrack(t, stream));
        await sender.setLocalDescription(await sender.createOffer());
        await described(receiver, sender.localDescription);
        await receiver.setLocalDescription(await receiver.createAnswer());
        await described(sender, receiver.localDescription);
    };
";

/// Median and 95th percentile (nearest rank), in milliseconds.
fn summary(mut values: Vec<f64>) -> Value {
    values.sort_by(f64::total_cmp);
    let rank = |q: f64| {
        let index = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
        (values[index] * 10.0).round() / 10.0
    };
    json!({ "median": rank(0.5), "p95": rank(0.95), "all": values })
}
