//! Firefox (Debian's firefox-esr) as a customer's or a rep's browser, driven by geckodriver on
//! an Xvfb display of its own: headless Firefox has no screen to capture, a display has one. A
//! driver holds one session, so each browser comes with a driver of its own.

use fantoccini::wd::Capabilities;
use serde_json::json;

use crate::browser::{Page, program};
use crate::display::Windowed;

/// A Firefox browser's display and driver, killed when dropped.
pub struct Firefox {
    _windowed: Windowed,
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
            json!({ "binary": program("FIREFOX", "/usr/bin/firefox-esr"), "prefs": prefs }),
        );
        let driver = program("GECKODRIVER", "geckodriver");
        let (windowed, client) = Windowed::start("Firefox", &driver, capabilities).await?;
        client.set_window_size(1200, 900).await?;
        Ok((
            Firefox {
                _windowed: windowed,
            },
            Page { client },
        ))
    }
}
