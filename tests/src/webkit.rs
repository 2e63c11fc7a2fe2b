//! WebKitGTK, the engine under Safari, as a customer's browser: Debian's MiniBrowser driven by
//! WebKitWebDriver on an Xvfb display of its own (MiniBrowser has no headless mode). Debian's
//! build has no WebRTC, so it is also the browser that cannot share a screen. A driver holds one
//! session, so each browser comes with a driver of its own.

use fantoccini::wd::Capabilities;
use serde_json::json;

use crate::browser::{Page, program};
use crate::display::Windowed;

/// Where Debian's libwebkit2gtk-4.1 keeps the browser WebKitWebDriver starts.
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// A WebKit browser's display and driver, killed when dropped.
pub struct WebKit {
    _windowed: Windowed,
}

impl WebKit {
    /// A new browser, and its one page.
    pub async fn start() -> anyhow::Result<(WebKit, Page)> {
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "webkitgtk:browserOptions".into(),
            json!({ "binary": program("MINIBROWSER", MINIBROWSER), "args": ["--automation"] }),
        );
        let driver = program("WEBKITWEBDRIVER", "WebKitWebDriver");
        let (windowed, client) = Windowed::start("WebKit", &driver, &[], capabilities).await?;
        Ok((
            WebKit {
                _windowed: windowed,
            },
            Page { client },
        ))
    }
}
