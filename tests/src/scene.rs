//! What the browser tests share: a server with pages, the customer's way in, a rep's sign-in,
//! and a few reads of a page (a condition to wait for, the chat log's text and size).

use std::path::Path;

use serde_json::{Value, json};

use crate::browser::{Driver, Page};
use crate::eventually;
use crate::server::ServerProcess;
use protocol::Settings;
use signaling_server::store::SessionLog;
use support_core::Change;

pub const PASSWORD: &str = "rep password 1";

/// Saves settings before the server starts, as an admin would have.
pub fn configure(data: &Path, change: impl FnOnce(&mut Settings)) -> anyhow::Result<()> {
    let mut settings = Settings::default();
    change(&mut settings);
    SessionLog::open(data)?.record(&Change::Settings(Box::new(settings)))?;
    Ok(())
}

/// One session's stored answers, read from SQLite.
pub fn session_row(data: &Path, session: i64) -> anyhow::Result<(Option<bool>, Option<String>)> {
    let db = rusqlite_row(data)?;
    Ok(db.query_row(
        "SELECT recording, end_reason FROM sessions WHERE id = ?1",
        [session],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?)
}

pub fn rusqlite_row(data: &Path) -> anyhow::Result<rusqlite::Connection> {
    Ok(rusqlite::Connection::open(
        data.join(signaling_server::store::DB_FILE),
    )?)
}

pub struct Scene {
    pub server: ServerProcess,
    pub pages: Vec<Page>,
    pub data: tempfile::TempDir,
    pub _driver: Driver,
}

/// A server over `data` (already configured) and `pages` browser tabs.
pub async fn scene(data: tempfile::TempDir, pages: usize) -> anyhow::Result<Scene> {
    let server = ServerProcess::start(data.path()).await?;
    let mut driver = Driver::start().await?;
    let mut tabs = Vec::new();
    for _ in 0..pages {
        tabs.push(driver.browser().await?);
    }
    Ok(Scene {
        server,
        pages: tabs,
        data,
        _driver: driver,
    })
}

/// Accepts the agreement, answers the recording prompt and fills the entry form.
pub async fn way_in(customer: &Page, recording: &str, name: &str) -> anyhow::Result<()> {
    customer.click("button", "Accept").await?;
    customer.click("button", recording).await?;
    customer.fill("Your name", name).await?;
    customer
        .fill("How can we help?", "The printer is offline")
        .await?;
    customer.click("button", "Start chat").await
}

pub async fn sign_in(
    rep: &Page,
    server: &ServerProcess,
    path: &str,
    login: &str,
) -> anyhow::Result<()> {
    rep.goto(&server.url(path)).await?;
    rep.fill("Username", login).await?;
    rep.fill("Password", PASSWORD).await?;
    rep.click("button", "Sign in").await
}

/// Types `text` into the page's "Message" box and sends it.
pub async fn say(page: &Page, text: &str) -> anyhow::Result<()> {
    page.fill("Message", text).await?;
    page.click("button", "Send").await
}

pub async fn accept(rep: &Page, name: &str) -> anyhow::Result<()> {
    let entry = rep.role_with_text("listitem", name).await?;
    rep.by_role_within(Some(&entry), "button", "Accept")
        .await?
        .click()
        .await?;
    Ok(())
}

/// Waits until `script` (a function body) returns something other than null or false.
pub async fn until(page: &Page, what: &str, script: &str) -> anyhow::Result<Value> {
    eventually(what, || async {
        let value = page.run(script, vec![]).await?;
        Ok((!value.is_null() && value != json!(false)).then_some(value))
    })
    .await
}

/// The chat log's computed font size in pixels.
pub async fn log_font_size(page: &Page) -> anyhow::Result<f64> {
    let size = page
        .run(
            "return parseFloat(getComputedStyle(document.querySelector('[role=log]')).fontSize)",
            vec![],
        )
        .await?;
    size.as_f64()
        .ok_or_else(|| anyhow::anyhow!("no font size: {size}"))
}

/// How many times `text` stands in the page's chat log.
pub async fn times_in_log(page: &Page, text: &str) -> anyhow::Result<usize> {
    let log = page
        .run(
            "return document.querySelector('[role=log]').innerText",
            vec![],
        )
        .await?;
    Ok(log.as_str().unwrap_or_default().matches(text).count())
}
