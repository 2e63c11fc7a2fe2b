//! WebKitGTK, the engine under Safari, as a customer's browser: Debian's MiniBrowser driven by
//! WebKitWebDriver on an Xvfb display of its own (MiniBrowser has no headless mode). Debian's
//! build has no WebRTC, so it is also the browser that cannot share a screen. A driver holds one
//! session, so each browser comes with a driver of its own.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use fantoccini::ClientBuilder;
use fantoccini::wd::Capabilities;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::browser::{Page, program};
use crate::eventually;

/// Where Debian's libwebkit2gtk-4.1 keeps the browser WebKitWebDriver starts.
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// A WebKit browser's display and driver, killed when dropped.
pub struct WebKit {
    display: Child,
    driver: Child,
}

impl WebKit {
    /// A new browser, and its one page.
    pub async fn start() -> anyhow::Result<(WebKit, Page)> {
        // Xvfb takes a free display and writes its number on its output.
        let mut display = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .context("starting Xvfb (is xvfb installed?)")?;
        let output = display.stdout.take().context("Xvfb's output")?;
        let number = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(output).read_line(&mut line).map(|_| line)
        })
        .await??;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let driver = Command::new(program("WEBKITWEBDRIVER", "WebKitWebDriver"))
            .arg(format!("--port={port}"))
            .env("DISPLAY", format!(":{}", number.trim()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .context("starting WebKitWebDriver (is webkit2gtk-driver installed?)")?;
        let webkit = WebKit { display, driver };
        let addr = format!("127.0.0.1:{port}");
        eventually("WebKitWebDriver to listen", || async {
            Ok(tokio::net::TcpStream::connect(&addr).await.ok().map(drop))
        })
        .await?;
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "webkitgtk:browserOptions".into(),
            json!({ "binary": program("MINIBROWSER", MINIBROWSER), "args": ["--automation"] }),
        );
        // A browser that cannot start (no display, say) leaves the request hanging.
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://{addr}");
        let connect = builder.connect(&url);
        let client = tokio::time::timeout(Duration::from_secs(30), connect)
            .await
            .context("WebKit did not start within 30 s")?
            .context("starting WebKit through WebKitWebDriver")?;
        Ok((webkit, Page { client }))
    }
}

impl Drop for WebKit {
    fn drop(&mut self) {
        // Each in a group of its own: the driver with its browser, and the display.
        for process in [&mut self.driver, &mut self.display] {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", process.id())])
                .status();
            let _ = process.wait();
        }
    }
}
