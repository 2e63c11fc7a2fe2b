//! Flow 4: a customer and a rep, each in their own browser, meet through the queue and chat.

use signaling_server::store::Store;
use tests::browser::{Driver, Page};
use tests::server::{ServerProcess, add_rep};
use tests::socket::SocketCustomer;

const PASSWORD: &str = "rep password 1";

/// A server with one rep, a customer page and a rep page.
struct Scene {
    server: ServerProcess,
    customer: Page,
    rep: Page,
    _data: tempfile::TempDir,
    _driver: Driver,
}

async fn scene() -> anyhow::Result<Scene> {
    let data = tempfile::tempdir()?;
    add_rep(data.path(), "bo", "Bo Rep", PASSWORD).await?;
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let customer = driver.browser().await?;
    let rep = driver.browser().await?;
    Ok(Scene {
        server,
        customer,
        rep,
        _data: data,
        _driver: driver,
    })
}

/// The customer fills the entry form and starts the chat.
async fn customer_starts_chat(customer: &Page, server: &ServerProcess) -> anyhow::Result<()> {
    customer.goto(&server.url("/chat?lang=en")).await?;
    customer.click("button", "Accept").await?;
    customer.click("button", "Allow recording").await?;
    customer.fill("Your name", "Ada Customer").await?;
    customer
        .fill("How can we help?", "The printer is offline")
        .await?;
    customer.click("button", "Start chat").await
}

/// The rep signs in and accepts the customer named `name` from the queue.
async fn rep_signs_in_and_accepts(
    rep: &Page,
    server: &ServerProcess,
    name: &str,
) -> anyhow::Result<()> {
    rep.goto(&server.url("/rep?lang=en")).await?;
    rep.fill("Username", "bo").await?;
    rep.fill("Password", PASSWORD).await?;
    rep.click("button", "Sign in").await?;
    let entry = rep.role_with_text("listitem", name).await?;
    let text = entry.text().await?;
    assert!(
        text.contains("The printer is offline"),
        "the problem is shown: {text}"
    );
    assert!(
        text.contains(" s") || text.contains("min"),
        "the time waiting is shown: {text}"
    );
    rep.by_role_within(Some(&entry), "button", "Accept")
        .await?
        .click()
        .await?;
    Ok(())
}

async fn send(page: &Page, text: &str) -> anyhow::Result<()> {
    page.fill("Message", text).await?;
    page.click("button", "Send").await
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_and_rep_chat_through_the_queue_and_the_rep_ends_it() -> anyhow::Result<()> {
    let Scene {
        server,
        customer,
        rep,
        _data,
        _driver,
    } = scene().await?;

    // Someone is already waiting, so the customer starts second in line.
    let mut earlier = SocketCustomer::join(&server.base_url, "Zed Earlier", "Billing").await?;
    customer_starts_chat(&customer, &server).await?;
    customer
        .role_with_text("status", "Position in queue: 2")
        .await?;
    earlier.end().await?;
    customer
        .role_with_text("status", "Position in queue: 1")
        .await?;

    rep_signs_in_and_accepts(&rep, &server, "Ada Customer").await?;
    customer.shows("You are chatting with Bo Rep").await?;

    send(&customer, "Hello from Ada").await?;
    let log = rep.role_with_text("log", "Hello from Ada").await?;
    assert!(
        log.text().await?.contains("Ada Customer"),
        "the rep sees who wrote"
    );
    send(&rep, "Hello from Bo").await?;
    let log = customer.role_with_text("log", "Hello from Bo").await?;
    assert!(
        log.text().await?.contains("Bo Rep"),
        "the customer sees who wrote"
    );
    customer.screenshot("customer-chatting").await?;
    rep.screenshot("rep-chatting").await?;

    rep.click("button", "End session").await?;
    customer.role_with_text("status", "ended").await?;

    // The transcript is in SQLite and survives the server being killed and started again.
    let server = server.crash_and_restart().await?;
    let session = protocol::SessionId(2);
    let transcript: Vec<_> = Store::open(&server.data_dir)?
        .transcript(session, 0)?
        .into_iter()
        .map(|m| (m.name, m.text))
        .collect();
    assert_eq!(
        transcript,
        [
            ("Ada Customer".to_string(), "Hello from Ada".to_string()),
            ("Bo Rep".to_string(), "Hello from Bo".to_string())
        ]
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rep_sees_at_once_when_the_customer_ends_the_session() -> anyhow::Result<()> {
    let Scene {
        server,
        customer,
        rep,
        _data,
        _driver,
    } = scene().await?;
    customer_starts_chat(&customer, &server).await?;
    customer
        .role_with_text("status", "Position in queue: 1")
        .await?;
    rep_signs_in_and_accepts(&rep, &server, "Ada Customer").await?;
    send(&customer, "Thanks, all fixed").await?;
    rep.role_with_text("log", "Thanks, all fixed").await?;

    customer.click("button", "End session").await?;
    rep.role_with_text("status", "ended").await?;
    Ok(())
}
