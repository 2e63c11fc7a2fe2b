//! Firefox (Debian's firefox-esr) as a customer's or a rep's browser, driven by geckodriver on
//! an Xvfb display of its own: headless Firefox has no screen to capture, a display has one. A
//! driver holds one session, so each browser comes with a driver of its own.
//!
//! Firefox gathers ICE candidates on the address of its route to a public address: in a
//! loopback-only network, route 8.8.8.8 to `lo` (`cargo xtask test` does).

use anyhow::Context;
use fantoccini::wd::Capabilities;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::browser::{Page, program};
use crate::display::{Windowed, free_port};

/// A Firefox browser's display and driver, killed when dropped.
pub struct Firefox {
    _windowed: Windowed,
    /// The session's WebDriver BiDi address, for what classic WebDriver cannot do.
    bidi_url: String,
    /// Open while scripts added with [`Firefox::preload`] should run.
    bidi: Option<WebSocketStream<MaybeTlsStream<TcpStream>>>,
}

impl Firefox {
    /// A new browser with a fresh profile, and its one page.
    pub async fn start() -> anyhow::Result<(Firefox, Page)> {
        let prefs = json!({
            // WebRTC between pages of one machine, with its real addresses: nothing resolves
            // mDNS names in a loopback-only network.
            "media.peerconnection.ice.loopback": true,
            "media.peerconnection.ice.obfuscate_host_addresses": false,
            // What a person grants in the browser's prompt: the picker answers with the screen.
            "media.navigator.permission.disabled": true,
        });
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "moz:firefoxOptions".into(),
            json!({
                "binary": program("FIREFOX", "/usr/bin/firefox-esr"),
                "prefs": prefs,
            }),
        );
        capabilities.insert("webSocketUrl".into(), json!(true));
        let driver = program("GECKODRIVER", "geckodriver");
        // Each Firefox's WebDriver BiDi server on a port of its own: they all take 9222 else,
        // and browsers started side by side fight over it.
        let bidi_port = format!("--websocket-port={}", free_port()?);
        let (windowed, client) =
            Windowed::start("Firefox", &driver, &[bidi_port], capabilities).await?;
        let bidi_url = client
            .capabilities()
            .and_then(|c| c.get("webSocketUrl"))
            .and_then(Value::as_str)
            .context("geckodriver gave no WebDriver BiDi address")?
            .to_owned();
        let firefox = Firefox {
            _windowed: windowed,
            bidi_url,
            bidi: None,
        };
        Ok((firefox, Page { client }))
    }

    /// Runs `source` in every new document before the page's own scripts (WebDriver BiDi's
    /// preload scripts; Chromium's is DevTools' `Page.addScriptToEvaluateOnNewDocument`).
    pub async fn preload(&mut self, source: &str) -> anyhow::Result<()> {
        if self.bidi.is_none() {
            let (socket, _) = tokio_tungstenite::connect_async(&self.bidi_url).await?;
            self.bidi = Some(socket);
        }
        let socket = self.bidi.as_mut().context("no BiDi connection")?;
        let command = json!({
            "id": 1,
            "method": "script.addPreloadScript",
            "params": { "functionDeclaration": format!("() => {{ {source} }}") },
        });
        socket.send(Message::text(command.to_string())).await?;
        while let Some(message) = socket.next().await {
            let Message::Text(text) = message? else {
                continue;
            };
            let answer: Value = serde_json::from_str(&text)?;
            if answer["id"] == json!(1) {
                anyhow::ensure!(
                    answer["type"] == json!("success"),
                    "Firefox refused the preload script: {answer}"
                );
                return Ok(());
            }
        }
        anyhow::bail!("the BiDi connection closed before Firefox answered")
    }
}
