//! The chat embedded in another site's pages through `/embed.js`, in real Chromium: the host
//! site runs on a second loopback port (`tests::host_site`), reached as `localhost`, so the
//! chat is a cross-site frame as on a real support site.

use serde_json::{Value, json};
use tests::browser::{Driver, Page};
use tests::eventually;
use tests::host_site::HostSite;
use tests::scene::{PASSWORD, accept, configure, say, sign_in};
use tests::server::{ServerProcess, add_rep};
use tests::sharing::{
    SCREEN_TITLE, SPY, frames_beyond, open_tab, request, screen_page, sharing_browsers,
};

/// A support server that lets the host site embed its chat, a rep, and two browsers.
struct Embedding {
    server: ServerProcess,
    site: HostSite,
    customer: Page,
    rep: Page,
    data: tempfile::TempDir,
    driver: Driver,
}

async fn embedding() -> anyhow::Result<Embedding> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let site = HostSite::start().await?;
    let allowed = site.origin();
    configure(data.path(), |s| s.embed_origins = vec![allowed])?;
    let server = ServerProcess::start(data.path()).await?;
    site.embed(&server.url(""));
    let mut driver = Driver::start().await?;
    // As in the sharing tests: a tab stands in for the screen (see `tests::sharing`).
    let (customer, rep) = sharing_browsers(&mut driver).await?;
    rep.devtools(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": SPY }),
    )
    .await?;
    Ok(Embedding {
        server,
        site,
        customer,
        rep,
        data,
        driver,
    })
}

/// Switches the page's commands into the chat's frame, once the chat has loaded in it.
async fn into_chat(customer: &Page) -> anyhow::Result<()> {
    eventually("the chat in its frame", || async {
        customer.client.enter_parent_frame().await?;
        let frames = customer
            .client
            .find_all(fantoccini::Locator::Css("#support-widget-frame"))
            .await?;
        let Some(frame) = frames.into_iter().next() else {
            return Ok(None);
        };
        frame.enter_frame().await?;
        // Until the frame's own page has loaded, it holds an empty document.
        let loaded = customer
            .run(
                "return document.readyState === 'complete' ? location.href : null",
                vec![],
            )
            .await?;
        Ok(loaded
            .as_str()
            .is_some_and(|a| a != "about:blank")
            .then_some(()))
    })
    .await
}

/// Clicks into the chat's "Message" box, as a person does, then sends `text`. Without the
/// click, keys may go to the host page: a frame of another site cannot take the focus by
/// itself (Chromium needs a user's gesture for that), so only a click moves it into the frame.
async fn say_in_chat(customer: &Page, text: &str) -> anyhow::Result<()> {
    customer
        .by_role("textbox", "Message")
        .await?
        .click()
        .await?;
    say(customer, text).await
}

/// Back to the host page.
async fn out_of_chat(customer: &Page) -> anyhow::Result<()> {
    Ok(customer.client.enter_parent_frame().await?)
}

/// Waits until the host page has heard the loader's `support-widget` event `kind`.
async fn host_hears(customer: &Page, kind: &str) -> anyhow::Result<()> {
    eventually(&format!("the host page to hear {kind:?}"), || async {
        let events = customer.run("return window.widgetEvents", vec![]).await?;
        Ok(events
            .as_array()
            .is_some_and(|e| e.contains(&json!(kind)))
            .then_some(()))
    })
    .await
}

/// The unread count on the launcher, or `None` while it is hidden.
async fn badge(customer: &Page) -> anyhow::Result<Value> {
    customer
        .run(
            "const b = document.getElementById('support-widget-badge');
             return b.hidden ? null : b.textContent;",
            vec![],
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_is_served_inside_the_host_page_across_its_pages() -> anyhow::Result<()> {
    let Embedding {
        server,
        site,
        customer,
        rep,
        data: _data,
        driver: _driver,
    } = embedding().await?;
    sign_in(&rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&format!("{}/", site.origin())).await?;
    let launcher = customer.by_role("button", "Chat with support").await?;

    // Before the launcher is touched the host page has loaded the loader and nothing else of
    // ours: no frame, no app.
    let ours = customer
        .run(
            "return performance.getEntriesByType('resource')
                 .filter(r => r.name.startsWith(arguments[0]))
                 .map(r => [new URL(r.name).pathname, r.transferSize]);",
            vec![json!(server.url(""))],
        )
        .await?;
    assert_eq!(ours.as_array().map(Vec::len), Some(1), "{ours}");
    assert_eq!(ours[0][0], "/embed.js");
    eprintln!("bytes the host page loads before the launcher is opened: {ours}");
    assert_eq!(
        customer
            .run("return document.querySelectorAll('iframe').length", vec![])
            .await?,
        0
    );

    launcher.click().await?;
    customer
        .run(
            "SupportWidget.prefill({ name: 'Ada Customer', problem: 'The invoice is wrong' })",
            vec![],
        )
        .await?;
    into_chat(&customer).await?;
    customer.click("button", "Accept").await?;
    customer.click("button", "Do not record").await?;
    // The host page's prefill is in the form.
    let name = customer.by_role("textbox", "Your name").await?;
    assert_eq!(name.prop("value").await?.as_deref(), Some("Ada Customer"));
    customer.click("button", "Start chat").await?;
    customer.shows("Position in queue: 1").await?;
    accept(&rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    say_in_chat(&customer, "Hello from the help centre").await?;
    rep.shows("Hello from the help centre").await?;

    // Closed, the launcher counts the rep's messages.
    out_of_chat(&customer).await?;
    customer.click("button", "Close chat").await?;
    say(&rep, "Which invoice?").await?;
    eventually("the unread count", || async {
        Ok((badge(&customer).await? == json!("1")).then_some(()))
    })
    .await?;
    customer.click("button", "Chat with support").await?;
    assert_eq!(badge(&customer).await?, Value::Null);

    // Another page of the host site: the chat opens again on the same session, history kept.
    customer.click("link", "Billing questions").await?;
    eventually("the next page", || async {
        Ok((customer.client.title().await? == "Billing").then_some(()))
    })
    .await?;
    into_chat(&customer).await?;
    customer.shows("You are chatting with Bo Rep").await?;
    customer.shows("Which invoice?").await?;
    say_in_chat(&customer, "The one from May").await?;
    rep.shows("The one from May").await?;
    assert!(!rep.text().await?.contains("The customer left"));

    // Screen sharing from inside the frame.
    out_of_chat(&customer).await?;
    open_tab(&customer, &screen_page(SCREEN_TITLE, "red")).await?;
    request(&rep, "Whole screen").await?;
    into_chat(&customer).await?;
    customer.shows("Bo Rep wants to see your screen").await?;
    customer.click("button", "Share screen").await?;
    customer.shows("Your screen is visible to Bo Rep").await?;
    frames_beyond(&rep, 0).await?;

    // The end, in the frame; the host page hears of it.
    customer.click("button", "End session").await?;
    rep.role_with_text("status", "ended").await?;
    out_of_chat(&customer).await?;
    host_hears(&customer, "ended").await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_not_allowed_can_neither_frame_the_chat_nor_open_its_socket() -> anyhow::Result<()> {
    let Embedding {
        server,
        site,
        customer,
        data: _data,
        driver: _driver,
        ..
    } = embedding().await?;
    let socket_from = |origin: String| {
        let customer = &customer;
        let ws = server.url(protocol::WS_PATH).replacen("http", "ws", 1);
        async move {
            customer.goto(&format!("{origin}/")).await?;
            customer
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const ws = new WebSocket(arguments[0]);
                     ws.onopen = () => { ws.close(); done('open'); };
                     ws.onerror = () => done('refused');",
                    vec![json!(ws)],
                )
                .await
                .map_err(anyhow::Error::from)
        }
    };
    // The allowed site reaches the socket (as a customer); the other is refused.
    assert_eq!(socket_from(site.origin()).await?, "open");
    assert_eq!(socket_from(site.foreign_origin()).await?, "refused");

    // On the page not allowed, the launcher's frame is blocked by the chat's CSP: the browser
    // shows its own error page in it, and the chat never starts.
    customer.click("button", "Chat with support").await?;
    into_chat(&customer).await?;
    let address = eventually("the blocked frame's error page", || async {
        let address = customer.run("return location.href", vec![]).await?;
        Ok(address
            .as_str()
            .is_some_and(|a| a.starts_with("chrome-error:"))
            .then_some(address))
    })
    .await?;
    assert!(
        address
            .as_str()
            .is_some_and(|a| a.starts_with("chrome-error:"))
    );
    let headers = http_head(&server, "/chat").await?;
    assert!(
        headers.contains(&format!("frame-ancestors 'self' {}", site.origin())),
        "{headers}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_or_malformed_messages_change_nothing_and_the_chat_pops_out_whole()
-> anyhow::Result<()> {
    let Embedding {
        server,
        site,
        customer,
        data: _data,
        driver: _driver,
        ..
    } = embedding().await?;
    customer.goto(&format!("{}/", site.origin())).await?;
    customer.click("button", "Chat with support").await?;
    into_chat(&customer).await?;
    customer.click("button", "Accept").await?;
    customer.click("button", "Do not record").await?;
    customer.by_role("textbox", "Your name").await?;
    out_of_chat(&customer).await?;

    // A third party's frame in the host page forges both sides' messages; the host page itself
    // sends malformed ones to the chat and posts to its own window as if from the chat.
    customer
        .run(
            "const ad = document.createElement('iframe');
             window.adLoaded = false;
             // Its script runs, and posts, before its load event.
             ad.onload = () => { window.adLoaded = true; };
             ad.src = arguments[0] + '/third-party';
             document.body.append(ad);
             const chat = document.getElementById('support-widget-frame').contentWindow;
             chat.postMessage({ type: 'support:prefill', name: 42, problem: 'x' }, arguments[1]);
             chat.postMessage({ type: 'support:prefill', name: 'Eve', problem: 'x', extra: 1 }, arguments[1]);
             chat.postMessage('support:close', arguments[1]);
             window.postMessage({ type: 'support:unread', count: 5 }, '*');",
            vec![json!(site.foreign_origin()), json!(server.url(""))],
        )
        .await?;
    eventually("the third party's frame to post", || async {
        let loaded = customer.run("return window.adLoaded", vec![]).await?;
        Ok((loaded == json!(true)).then_some(()))
    })
    .await?;
    // Give every message time to arrive, then nothing may have changed.
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(
        badge(&customer).await?,
        Value::Null,
        "no forged unread count"
    );
    let panel_open = customer
        .run(
            "return !document.getElementById('support-widget-panel').hidden",
            vec![],
        )
        .await?;
    assert_eq!(panel_open, json!(true), "no forged close");
    into_chat(&customer).await?;
    let name = customer.by_role("textbox", "Your name").await?;
    assert_eq!(name.prop("value").await?.as_deref(), Some(""));
    // The real channel still works: the host page's own, well-formed prefill arrives.
    out_of_chat(&customer).await?;
    customer
        .run(
            "SupportWidget.prefill({ name: 'Ada Customer', problem: 'Printer' })",
            vec![],
        )
        .await?;
    into_chat(&customer).await?;
    eventually("the host page's prefill", || async {
        let name = customer.by_role("textbox", "Your name").await?;
        Ok((name.prop("value").await?.as_deref() == Some("Ada Customer")).then_some(()))
    })
    .await?;
    customer.click("button", "Start chat").await?;
    customer.shows("Position in queue: 1").await?;

    // Escape in the chat closes the panel.
    customer
        .by_role("button", "Pop out chat")
        .await?
        .send_keys("\u{e00c}")
        .await?;
    out_of_chat(&customer).await?;
    customer
        .by_role("button", "Chat with support")
        .await?
        .click()
        .await?;

    // Its own window takes the session over: same place in the queue; the frame says so.
    let host_window = customer.client.window().await?;
    let before = customer.client.windows().await?;
    into_chat(&customer).await?;
    customer.click("button", "Pop out chat").await?;
    customer.shows("The chat goes on in its own window").await?;
    let popped = eventually("the chat's own window", || async {
        let now = customer.client.windows().await?;
        Ok(now.into_iter().find(|w| !before.contains(w)))
    })
    .await?;
    customer.client.switch_to_window(popped).await?;
    // No agreement, no form: the window took up the session the frame had.
    customer.shows("Position in queue: 1").await?;
    let address = customer.url().await?;
    assert!(
        !address.contains('#'),
        "the token left the address: {address}"
    );
    customer.client.switch_to_window(host_window).await?;
    host_hears(&customer, "moved").await
}

/// The response head of `GET path`, read over a plain socket.
async fn http_head(server: &ServerProcess, path: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.url("").trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await?;
    let answer = String::from_utf8_lossy(&answer);
    Ok(answer
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_owned())
}
