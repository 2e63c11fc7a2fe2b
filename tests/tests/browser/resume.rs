//! Connections that drop, in real Chromium: the other side sees "reconnecting…" and "back", a
//! message typed while away arrives once, both pages take up the session after the server is
//! killed and started again, and a side that never comes back ends the session.
//!
//! The drop is made in the page: its WebSocket is closed (a real close of the real socket) and,
//! while the link is "cut", new sockets go to a closed port, as they would on a dead network.
//! Headless Chromium's own offline mode does not reach WebSockets.

use serde_json::json;
use tests::browser::Driver;
use tests::scene::{PASSWORD, Scene, accept, rusqlite_row, say, sign_in, times_in_log, way_in};
use tests::server::{ServerProcess, add_rep};

/// Installed before the app loads: `cutLink()` drops the page's connection and keeps it down
/// until `window.linkCut = false` ([`NETWORK_BACK`]).
const CUTTER: &str = "
    window.linkCut = false;
    const RealSocket = window.WebSocket;
    window.WebSocket = class extends RealSocket {
        constructor(url, protocols) {
            super(window.linkCut ? 'ws://127.0.0.1:9/' : url, protocols);
            window.lastSocket = this;
        }
    };
    window.cutLink = () => { window.linkCut = true; window.lastSocket.close(); };
";

/// The link comes back, and the browser says so, as it does when the network returns.
const NETWORK_BACK: &str = "window.linkCut = false; window.dispatchEvent(new Event('online'));";

/// Ada served by Bo, both pages able to cut their link; `extra` goes to `serve`.
async fn served(extra: &[&str]) -> anyhow::Result<Scene> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let extra = extra.iter().map(|s| s.to_string()).collect();
    let server = ServerProcess::start_with(data.path(), extra).await?;
    let mut driver = Driver::start().await?;
    let pages = vec![driver.browser().await?, driver.browser().await?];
    let scene = Scene {
        server,
        pages,
        data,
        _driver: driver,
    };
    for page in &scene.pages {
        page.devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": CUTTER }),
        )
        .await?;
    }
    let (customer, bo) = (&scene.pages[0], &scene.pages[1]);
    sign_in(bo, &scene.server, "/rep?lang=en", "bo").await?;
    customer.goto(&scene.server.url("/chat?lang=en")).await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    accept(bo, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    Ok(scene)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_side_comes_back_to_the_same_session_and_nothing_is_lost_or_doubled()
-> anyhow::Result<()> {
    let Scene {
        server,
        pages,
        data,
        _driver,
    } = served(&[]).await?;
    let (customer, bo) = (&pages[0], &pages[1]);
    say(customer, "Before the drop").await?;
    bo.shows("Before the drop").await?;

    // The customer's network goes: the rep is told, and what the customer types waits.
    customer.run("cutLink()", vec![]).await?;
    bo.shows("Ada Customer is reconnecting…").await?;
    say(customer, "Typed while away").await?;
    customer.shows("Sending…").await?;
    say(bo, "Are you still there?").await?;

    // Back: the waiting message goes once, the rep's arrives, the rep is told.
    customer.run(NETWORK_BACK, vec![]).await?;
    bo.shows("Ada Customer is back.").await?;
    bo.shows("Typed while away").await?;
    customer.shows("Are you still there?").await?;
    assert_eq!(times_in_log(bo, "Typed while away").await?, 1);
    assert_eq!(times_in_log(customer, "Typed while away").await?, 1);

    // The rep drops and comes back: the customer is told both.
    bo.run("cutLink()", vec![]).await?;
    customer.shows("Bo Rep is reconnecting…").await?;
    bo.run(NETWORK_BACK, vec![]).await?;
    customer.shows("Bo Rep is back.").await?;

    // The server is killed and started again: both pages take up the session by themselves.
    let server = server.crash_and_restart().await?;
    say(customer, "After the restart").await?;
    bo.shows("After the restart").await?;
    say(bo, "Still here").await?;
    customer.shows("Still here").await?;

    let db = rusqlite_row(data.path())?;
    for text in ["Before the drop", "Typed while away", "After the restart"] {
        let stored: i64 = db.query_row(
            "SELECT count(*) FROM messages WHERE body = ?1",
            [text],
            |row| row.get(0),
        )?;
        assert_eq!(stored, 1, "{text}");
    }
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_side_that_does_not_come_back_in_time_ends_the_session() -> anyhow::Result<()> {
    let Scene {
        server: _server,
        pages,
        data: _data,
        _driver,
    } = served(&["--resume-window-secs", "5"]).await?;
    let (customer, bo) = (&pages[0], &pages[1]);
    customer.run("cutLink()", vec![]).await?;
    bo.shows("Ada Customer is reconnecting…").await?;
    bo.shows("The connection was lost and did not come back, so the session has ended.")
        .await?;
    Ok(())
}
