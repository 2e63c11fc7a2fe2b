//! The customer's way in, in real Chromium: agreement, recording consent, greeting and position,
//! hold messages, notices, orphaning, the survey, session keys, and the admin's live changes.

use protocol::Notice;
use protocol::site::{Localized, NoticeDraft};
use signaling_server::store::SessionLog;
use support_core::Change;
use tests::eventually;
use tests::server::{add_admin, add_rep};

use tests::scene::{
    PASSWORD, Scene, accept, configure, rusqlite_row, scene, session_row, sign_in, way_in,
};

/// Saves an active notice before the server starts, as an admin would have.
fn save_notice(data: &std::path::Path, en: &str, de: &str, automatic: bool) -> anyhow::Result<()> {
    let notice = Notice {
        id: protocol::NoticeId(1),
        draft: NoticeDraft {
            text: Localized {
                en: en.into(),
                de: de.into(),
            },
            active: true,
            automatic,
        },
    };
    SessionLog::open(data)?.record(&Change::NoticeSaved(notice))?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn agreement_consent_greeting_hold_message_then_a_rep_accepts() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    configure(data.path(), |s| {
        s.texts.en.agreement = "You agree to our support terms.".into();
        s.texts.en.greeting = "Hello! You are number {position}.".into();
        s.texts.en.hold = "Still holding: number {position}.".into();
        s.hold_interval_secs = 10;
    })?;
    let Scene {
        server,
        pages,
        data,
        _driver,
    } = scene(data, 2).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    // A rep is signed in, so the customer is not orphaned.
    sign_in(rep, &server, "/rep?lang=en", "bo").await?;

    customer.goto(&server.url("/chat?lang=en")).await?;
    customer.shows("You agree to our support terms.").await?;
    way_in(customer, "Allow recording", "Ada Customer").await?;
    customer.shows("Hello! You are number 1.").await?;
    let status = customer
        .role_with_text("status", "Position in queue: 1")
        .await?;
    assert_eq!(status.attr("aria-live").await?.as_deref(), Some("polite"));
    customer
        .role_with_text("log", "Still holding: number 1.")
        .await?;
    customer.screenshot("customer-waiting").await?;

    accept(rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    let (recording, _) = session_row(data.path(), 1)?;
    assert_eq!(
        recording,
        Some(true),
        "the consent is stored with the session"
    );
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn declining_the_agreement_ends_politely_without_queueing() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let Scene {
        server,
        pages,
        data,
        _driver,
    } = scene(data, 1).await?;
    let customer = &pages[0];
    customer.goto(&server.url("/chat?lang=en")).await?;
    customer.click("button", "Decline").await?;
    customer.shows("declined").await?;
    let body = customer.text().await?;
    assert!(
        !body.contains("Start chat"),
        "no entry form after declining: {body}"
    );
    let sessions: i64 =
        rusqlite_row(data.path())?
            .query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))?;
    assert_eq!(sessions, 0, "no queue entry");
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_from_a_notice_ends_the_session_without_a_survey() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    save_notice(
        data.path(),
        "Our mail service is down until noon.",
        "Unser E-Mail-Dienst ist bis Mittag gestört.",
        true,
    )?;
    let Scene {
        server,
        pages,
        data,
        _driver,
    } = scene(data, 2).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    sign_in(rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    customer
        .shows("Our mail service is down until noon.")
        .await?;
    customer.click("button", "Leave session").await?;
    eventually("the session to end for a notice", || async {
        Ok(session_row(data.path(), 1)?.1.filter(|r| r == "notice"))
    })
    .await?;
    let body = customer.text().await?;
    assert!(
        !body.contains("Submit"),
        "no survey after leaving from a notice: {body}"
    );
    assert_eq!(session_row(data.path(), 1)?.0, Some(false));
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_rep_signed_in_the_customer_reads_the_orphan_message_and_is_sent_on()
-> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let Scene {
        server,
        pages,
        data,
        _driver,
    } = scene(data, 1).await?;
    // The redirect goes to a page of the same server (the test network is loopback only),
    // whose port is known once it runs: save the settings, then restart it to load them.
    let target = server.url("/healthz");
    configure(data.path(), |s| {
        s.texts.en.orphan = "Nobody is here right now; see our help pages.".into();
        s.orphan_url = target.clone();
        s.keep_orphaned_queued = false;
    })?;
    let server = server.crash_and_restart().await?;
    let customer = &pages[0];
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    customer
        .shows("Nobody is here right now; see our help pages.")
        .await?;
    eventually("the browser to go to the orphan URL", || async {
        Ok(customer.url().await?.starts_with(&target).then_some(()))
    })
    .await?;
    assert_eq!(session_row(data.path(), 1)?.1.as_deref(), Some("orphaned"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_served_customer_rates_the_session_and_the_survey_is_stored() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let Scene {
        server,
        pages,
        data,
        _driver,
    } = scene(data, 2).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    sign_in(rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(customer, "Allow recording", "Ada Customer").await?;
    accept(rep, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    rep.click("button", "End session").await?;

    customer.click("radio", "4 stars").await?;
    customer.click("checkbox", "My problem was solved").await?;
    customer.fill("Comment", "Quick and <b>kind</b>").await?;
    customer.click("button", "Submit").await?;
    customer.shows("Thank you").await?;
    let row: (i64, bool, String) = rusqlite_row(data.path())?.query_row(
        "SELECT rating, resolved, comment FROM surveys WHERE session_id = 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    assert_eq!(row, (4, true, "Quick and <b>kind</b>".to_owned()));
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_key_takes_the_customer_to_that_rep_only() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    add_rep(data.path(), "cleo", "Cleo Rep", PASSWORD).await?;
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = scene(data, 3).await?;
    let (customer, bo, cleo) = (&pages[0], &pages[1], &pages[2]);
    sign_in(bo, &server, "/rep?lang=en", "bo").await?;
    sign_in(cleo, &server, "/rep?lang=en", "cleo").await?;
    bo.click("button", "Create session key").await?;
    let status = bo.role_with_text("status", "Key:").await?.text().await?;
    let key: String = status
        .split("Key:")
        .nth(1)
        .and_then(|rest| rest.split([',', ' ']).find(|w| !w.is_empty()))
        .unwrap_or_default()
        .to_owned();
    assert_eq!(key.len(), 6, "a six-letter key in {status:?}");

    customer
        .goto(&server.url(&format!("/chat?lang=en&key={key}")))
        .await?;
    way_in(customer, "Do not record", "Kim Keyed").await?;
    customer
        .role_with_text("status", "Position in queue: 1")
        .await?;
    accept(bo, "Kim Keyed").await?;
    customer.shows("You are chatting with Bo Rep").await?;
    let body = cleo.text().await?;
    assert!(
        !body.contains("Kim Keyed"),
        "another rep never saw the keyed customer"
    );
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_changes_the_greeting_and_a_waiting_customer_reads_it_at_once()
-> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_admin(data.path(), "root", "Root Admin", PASSWORD).await?;
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = scene(data, 2).await?;
    let (customer, admin) = (&pages[0], &pages[1]);
    // The customer's way in, in German, up to the queue.
    customer.goto(&server.url("/chat?lang=de")).await?;
    customer.click("button", "Akzeptieren").await?;
    customer.click("button", "Nicht aufzeichnen").await?;
    customer.fill("Ihr Name", "Dora Kundin").await?;
    customer
        .fill("Wie können wir helfen?", "Der Drucker druckt nicht")
        .await?;
    customer.click("button", "Chat starten").await?;
    customer
        .role_with_text("status", "Position in der Warteschlange: 1")
        .await?;

    sign_in(admin, &server, "/admin?lang=en", "root").await?;
    admin
        .fill("Redirect URL for orphaned customers", "not a url")
        .await?;
    admin.click("button", "Save settings").await?;
    admin
        .role_with_text("alert", "Redirect URL for orphaned customers")
        .await?;
    admin
        .fill("Redirect URL for orphaned customers", "")
        .await?;
    admin
        .fill("Greeting (German)", "Neu: Sie sind Nummer {position}.")
        .await?;
    admin.click("button", "Save settings").await?;
    admin.role_with_text("status", "Saved").await?;
    // The waiting customer's page reads the new text without reloading.
    customer.shows("Neu: Sie sind Nummer 1.").await?;
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rep_sends_a_manual_notice_to_one_waiting_customer() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    save_notice(
        data.path(),
        "We are closing early today.",
        "Wir schließen heute früher.",
        false,
    )?;
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = scene(data, 2).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    sign_in(rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    customer
        .role_with_text("status", "Position in queue: 1")
        .await?;
    assert!(
        !customer.text().await?.contains("closing early"),
        "a manual notice is not shown by itself"
    );
    let entry = rep.role_with_text("listitem", "Ada Customer").await?;
    rep.by_role_within(Some(&entry), "button", "Send notice")
        .await?
        .click()
        .await?;
    customer.shows("We are closing early today.").await?;
    customer.by_role("button", "Leave session").await?;
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_consent_receipt_downloads_with_the_time_the_site_and_the_answer() -> anyhow::Result<()>
{
    let data = tempfile::tempdir()?;
    let Scene {
        server,
        pages,
        data,
        _driver,
    } = scene(data, 1).await?;
    let customer = &pages[0];
    let downloads = tempfile::tempdir()?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    customer
        .devtools(
            "Page.setDownloadBehavior",
            serde_json::json!({ "behavior": "allow", "downloadPath": downloads.path() }),
        )
        .await?;
    way_in(customer, "Allow recording", "Ada Customer").await?;
    customer.click("button", "Download consent receipt").await?;
    let file = downloads.path().join("consent-receipt-session-1.txt");
    // The file is there, empty, before Chromium writes it.
    let receipt = eventually("the receipt to be downloaded", || async {
        Ok(std::fs::read_to_string(&file)
            .ok()
            .filter(|text| !text.is_empty()))
    })
    .await?;
    let at: i64 = rusqlite_row(data.path())?.query_row(
        "SELECT recording_at FROM sessions WHERE id = 1",
        [],
        |row| row.get(0),
    )?;
    let site = server.url("");
    for wanted in [
        "Recording allowed".to_owned(),
        format!("Site: {}", site.trim_end_matches('/')),
        utc_minute(at),
    ] {
        assert!(receipt.contains(&wanted), "{wanted:?} in {receipt}");
    }
    drop(server);
    Ok(())
}

/// "2026-11-24 12:34" for milliseconds since the epoch, in UTC: the receipt's time, to the
/// minute (the seconds are in the receipt too, but the minute is enough to tell it is this one).
fn utc_minute(at: i64) -> String {
    let output = std::process::Command::new("date")
        .args(["-u", "-d", &format!("@{}", at / 1000), "+%Y-%m-%d %H:%M"])
        .output()
        .expect("date(1)");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hidden_customer_page_flashes_its_title_and_notifies_when_the_rep_joins()
-> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let Scene {
        server,
        pages,
        data: _data,
        _driver,
    } = scene(data, 2).await?;
    let (customer, rep) = (&pages[0], &pages[1]);
    sign_in(rep, &server, "/rep?lang=en", "bo").await?;
    customer.goto(&server.url("/chat?lang=en")).await?;
    let origin = server.url("");
    customer
        .devtools(
            "Browser.grantPermissions",
            serde_json::json!({ "permissions": ["notifications"],
                                "origin": origin.trim_end_matches('/') }),
        )
        .await?;
    // Headless Chromium shows no system notifications, so a spy records each one the page
    // makes (and still makes it with the real constructor).
    customer
        .run(
            "window.shown = [];
             const Real = window.Notification;
             window.Notification = class extends Real {
               constructor(title, options) { super(title, options); window.shown.push(title); }
             };",
            vec![],
        )
        .await?;
    way_in(customer, "Do not record", "Ada Customer").await?;
    customer
        .role_with_text("status", "Position in queue: 1")
        .await?;
    let own_title = customer.client.title().await?;

    // Another tab in front hides the customer's.
    let chat_tab = customer.client.window().await?;
    let other = customer.client.new_window(true).await?;
    customer.client.switch_to_window(other.handle).await?;
    customer.goto(&server.url("/healthz")).await?;
    accept(rep, "Ada Customer").await?;
    let flashed = eventually("the hidden tab's title to flash", || async {
        let targets = customer
            .devtools("Target.getTargets", serde_json::json!({}))
            .await?;
        let title = targets["targetInfos"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["url"].as_str().is_some_and(|u| u.contains("/chat")))
            .and_then(|t| t["title"].as_str())
            .unwrap_or_default()
            .to_owned();
        Ok((!title.is_empty() && title != own_title).then_some(title))
    })
    .await?;
    assert!(flashed.contains("Bo Rep"), "{flashed}");

    customer.client.switch_to_window(chat_tab).await?;
    let shown = customer.run("return window.shown", vec![]).await?;
    assert!(
        shown.as_array().is_some_and(|s| !s.is_empty()),
        "a notification was made: {shown}"
    );
    eventually("the title to be the page's own again", || async {
        Ok((customer.client.title().await? == own_title).then_some(()))
    })
    .await?;
    drop(server);
    Ok(())
}
