//! What a person with a screen reader or only a keyboard meets as the visit moves on: each
//! change is said (the page's live region, whose words are recorded here as they change) and
//! focus goes where the next action is. Every step below is taken from the keyboard.

use serde_json::json;
use tests::browser::{Page, as_read};
use tests::eventually;
use tests::scene::{PASSWORD, Scene, accept, configure, scene, sign_in, way_in};
use tests::server::{ServerProcess, add_rep};
use tests::sharing::{SCREEN_TITLE, open_tab, request, screen_page, sharing_browsers};
use tests::socket::SocketCustomer;

/// Records every text the page's announcer is given, in `window.heard`.
const LISTEN: &str = "
    const region = document.getElementById('announcer');
    if (!region) return false;
    window.heard = [];
    new MutationObserver(() => { if (region.textContent) window.heard.push(region.textContent); })
        .observe(region, { childList: true, characterData: true, subtree: true });
    return true;";

/// Records in `window.readLines` the chat lines a screen reader reads out of the log: the
/// lines added that are not hidden from it, their text changes only if the log asks for them.
const COUNT_READ_LINES: &str = "
    const log = document.querySelector('[role=log]');
    window.readLines = [];
    const read = node => window.readLines.push(node.querySelector('.text').textContent);
    new MutationObserver(changes => {
        const relevant = (log.getAttribute('aria-relevant') || 'additions text').split(' ');
        for (const change of changes) {
            if (change.type === 'childList') {
                for (const node of change.addedNodes) {
                    if (node.nodeType === 1 && node.matches('li.msg')
                        && !node.closest('[aria-hidden=true]')) read(node);
                }
            }
            const line = (change.target.nodeType === 1 ? change.target : change.target.parentElement)
                .closest('li.msg');
            if (relevant.includes('text') && line && change.type !== 'childList'
                && !line.closest('[aria-hidden=true]')) read(line);
        }
    }).observe(log, { childList: true, subtree: true, characterData: true });";

/// Starts recording what `page` announces, once the accessibility tree (as Chromium gives it
/// to screen readers, over CDP) has the announcer as a polite, atomic live region.
async fn listen(page: &Page) -> anyhow::Result<()> {
    eventually("the announcer", || async {
        Ok((page.run(LISTEN, vec![]).await? == json!(true)).then_some(()))
    })
    .await?;
    // The announcer's node, as the accessibility tree has it.
    let document = page.devtools("DOM.getDocument", json!({})).await?;
    let root = &document["root"]["nodeId"];
    let found = page
        .devtools(
            "DOM.querySelector",
            json!({ "nodeId": root, "selector": "#announcer" }),
        )
        .await?;
    let tree = page
        .devtools(
            "Accessibility.getPartialAXTree",
            json!({ "nodeId": found["nodeId"], "fetchRelatives": false }),
        )
        .await?;
    let node = &tree["nodes"][0];
    let property = |name: &str| {
        node["properties"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == json!(name))
            .map(|p| p["value"]["value"].clone())
    };
    anyhow::ensure!(
        node["ignored"] != json!(true)
            && property("live") == Some(json!("polite"))
            && property("atomic") == Some(json!(true)),
        "the announcer is not a polite, atomic live region to screen readers: {node}"
    );
    Ok(())
}

/// Waits until the page has said `words` (part of one announcement).
async fn hears(page: &Page, words: &str) -> anyhow::Result<()> {
    eventually(&format!("hearing {words:?}"), || async {
        let heard = page.run("return window.heard || []", vec![]).await?;
        let said = heard
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|text| text.as_str())
            .any(|text| as_read(text).contains(words));
        Ok(said.then_some(()))
    })
    .await
}

/// Waits until focus is on the element with `id`.
async fn focus_is_on(page: &Page, id: &str) -> anyhow::Result<()> {
    eventually(&format!("focus on #{id}"), || async {
        let focused = page
            .run(
                "return document.activeElement && document.activeElement.id",
                vec![],
            )
            .await?;
        Ok((focused == json!(id)).then_some(()))
    })
    .await
}

/// The focused element's ring against what is behind it, as a contrast ratio (WCAG's); 0 when
/// no ring is drawn.
const RING_CONTRAST: &str = "
    const rgb = c => c.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const behind = element => {
        for (let e = element.parentElement; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length < 4 || c[3] > 0) return c;
        }
        return [255, 255, 255];
    };
    const element = document.activeElement;
    const style = getComputedStyle(element);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0) return 0;
    const [a, b] = [lum(rgb(style.outlineColor)), lum(behind(element))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);";

/// Fails unless the focus ring where focus is reaches 3:1 against its background.
async fn ring_is_seen(page: &Page) -> anyhow::Result<()> {
    let ratio = page.run(RING_CONTRAST, vec![]).await?;
    let ratio = ratio.as_f64().unwrap_or(0.0);
    let focused = page.run("return document.activeElement.id", vec![]).await?;
    anyhow::ensure!(ratio >= 3.0, "the ring on {focused} has {ratio:.2}:1");
    Ok(())
}

/// Presses `key` (a WebDriver key code) where focus is, as a keyboard user would.
async fn press(page: &Page, key: &str) -> anyhow::Result<()> {
    page.client.active_element().await?.send_keys(key).await?;
    Ok(())
}

const ENTER: &str = "\u{e007}";

#[tokio::test(flavor = "multi_thread")]
async fn each_change_is_said_and_focus_goes_to_the_next_action() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = tests::browser::Driver::start().await?;
    let (customer, rep) = sharing_browsers(&mut driver).await?;
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;
    // The chat's tab counts as the one in front, as for the person using it, even while the
    // tab standing in for their screen is open beside it (a page behind shows no focus).
    let in_front = json!({ "enabled": true });
    customer
        .devtools("Emulation.setFocusEmulationEnabled", in_front)
        .await?;
    // A window as narrow as the smallest phones (not emulating one, which would zoom out to
    // fit what overflows and hide it).
    let phone = json!({ "width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": false });
    customer
        .devtools("Emulation.setDeviceMetricsOverride", phone)
        .await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    listen(&customer).await?;

    // The way in, from the keyboard.
    press_button(&customer, "Accept").await?;
    press_button(&customer, "Do not record").await?;
    customer.fill("Your name", "Ada Customer").await?;
    customer
        .fill("How can we help?", "The printer is offline")
        .await?;
    press_button(&customer, "Start chat").await?;
    // The first position is read out: focus is on it.
    focus_is_on(&customer, "queue-position").await?;
    ring_is_seen(&customer).await?;
    customer.shows("Position in queue: 1").await?;

    accept(&rep, "Ada Customer").await?;
    hears(&customer, "You are chatting with Bo Rep").await?;
    focus_is_on(&customer, "composer-message").await?;
    ring_is_seen(&customer).await?;

    // The customer's own line is read once, though it goes from sending to sent to delivered.
    customer.run(COUNT_READ_LINES, vec![]).await?;
    customer
        .client
        .active_element()
        .await?
        .send_keys(&format!("Hello there{ENTER}"))
        .await?;
    rep.shows("Hello there").await?;
    customer.shows("Delivered").await?;
    let read = customer.run("return window.readLines", vec![]).await?;
    assert_eq!(read, json!(["Hello there"]), "lines read out");

    // The rep asks to see the screen while the customer is in "Message": said as a dialog,
    // focus on its first action.
    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    request(&rep, "Whole screen").await?;
    focus_is_on(&customer, "share-screen").await?;
    ring_is_seen(&customer).await?;
    press(&customer, ENTER).await?;
    hears(&customer, "Your screen is visible to Bo Rep").await?;
    // The watermark over the chat does not widen the page.
    let overflow = customer
        .run(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, \
             !!document.querySelector('.chat-window .watermark')]",
            vec![],
        )
        .await?;
    assert!(
        overflow[2] == json!(true) && overflow[0].as_i64() <= overflow[1].as_i64(),
        "page width against the screen's, watermark shown: {overflow}"
    );

    focus_is_on(&customer, "share-first-action").await?;
    ring_is_seen(&customer).await?;
    // "Stop screen sharing" works with Enter, and the chat is next.
    press(&customer, ENTER).await?;
    hears(&customer, "Screen sharing ended").await?;
    focus_is_on(&customer, "composer-message").await?;
    ring_is_seen(&customer).await?;

    rep.click("button", "End session").await?;
    hears(&customer, "The support technician ended the session.").await?;
    focus_is_on(&customer, "survey-heading").await?;
    ring_is_seen(&customer).await?;
    // The survey from the keyboard: a rating with Space, "Submit" with Enter; the thanks are
    // said and "New chat" is next.
    customer
        .run(
            "document.querySelector('input[name=survey-rating][value=\"5\"]').focus()",
            vec![],
        )
        .await?;
    press(&customer, " ").await?;
    press_button(&customer, "Submit").await?;
    hears(&customer, "Thank you for your feedback.").await?;
    focus_is_on(&customer, "new-chat").await?;
    ring_is_seen(&customer).await?;
    drop(server);
    Ok(())
}

/// Tabs to the button named `name` would take long to script; focusing it and pressing Enter
/// is what the keyboard does once there.
async fn press_button(page: &Page, name: &str) -> anyhow::Result<()> {
    let button = page.by_role("button", name).await?;
    page.run("arguments[0].focus()", vec![serde_json::to_value(&button)?])
        .await?;
    press(page, ENTER).await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_accept_and_send_notice_says_whom_it_is_for() -> anyhow::Result<()> {
    let console = bos_console().await?;
    let rep = &console.pages[0];
    let base = console.server.url("");
    let _ada = SocketCustomer::join(&base, "Ada", "Printer").await?;
    let _bea = SocketCustomer::join(&base, "Bea", "Mail").await?;
    for name in ["Ada", "Bea"] {
        rep.by_role("button", &format!("Accept {name}")).await?;
        rep.by_role("button", &format!("Send notice {name}"))
            .await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_orphan_message_is_said_to_the_waiting_customer() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    // A rep is signed in, so only the longest wait orphans, after a second.
    configure(data.path(), |settings| settings.longest_wait_secs = 1)?;
    let orphan = protocol::Settings::default().texts.en.orphan;
    let console = scene(data, 2).await?;
    let (customer, rep) = (&console.pages[0], &console.pages[1]);
    sign_in(rep, &console.server, "/rep?lang=en", "bo").await?;
    customer.goto(&console.server.url("/chat?lang=en")).await?;
    listen(customer).await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    hears(customer, &orphan).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_joining_the_queue_are_said_on_the_console() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let console = scene(data, 1).await?;
    let rep = &console.pages[0];
    let base = console.server.url("");
    // Who waited when the console opened is on the list, not said.
    let _ada = SocketCustomer::join(&base, "Ada", "Printer").await?;
    rep.goto(&console.server.url("/rep?lang=en")).await?;
    listen(rep).await?;
    rep.fill("Username", "bo").await?;
    rep.fill("Password", PASSWORD).await?;
    rep.click("button", "Sign in").await?;
    rep.by_role("button", "Accept Ada").await?;
    let _bea = SocketCustomer::join(&base, "Bea", "Mail").await?;
    hears(rep, "Bea is waiting.").await?;
    let heard = rep.run("return window.heard", vec![]).await?;
    assert!(
        !heard.to_string().contains("Ada"),
        "Ada waited before: {heard}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn each_page_has_a_title_of_its_own_in_its_language() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = tests::browser::Driver::start().await?;
    let page = driver.browser().await?;
    for (path, title) in [
        ("/chat?lang=en", "Chat with support"),
        ("/chat?lang=de", "Chat mit dem Support"),
        ("/rep?lang=en", "Rep console"),
        ("/admin?lang=de", "Verwaltung"),
    ] {
        page.goto(&server.url(path)).await?;
        eventually(&format!("{path} titled {title:?}"), || async {
            let shown = page.client.title().await?;
            Ok((shown == title).then_some(()))
        })
        .await?;
    }
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_and_transfer_keep_focus_where_the_rep_is() -> anyhow::Result<()> {
    let console = bos_console().await?;
    let rep = &console.pages[0];
    // Signing in replaced the form: focus says whom the console is signed in as.
    focus_is_on(rep, "signed-in-as").await?;
    let _ada = SocketCustomer::join(&console.server.url(""), "Ada", "Printer").await?;
    accept(rep, "Ada").await?;
    press_button(rep, "Transfer").await?;
    // Nobody else is signed in, so the note is the first field.
    focus_is_on(rep, "transfer-note").await?;
    ring_is_seen(rep).await?;
    press_button(rep, "Cancel").await?;
    focus_is_on(rep, "transfer").await?;
    ring_is_seen(rep).await?;
    Ok(())
}

/// Bo's console, signed in, in a browser of its own, and the server it runs against.
async fn bos_console() -> anyhow::Result<Scene> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let console = scene(data, 1).await?;
    sign_in(&console.pages[0], &console.server, "/rep?lang=en", "bo").await?;
    Ok(console)
}
