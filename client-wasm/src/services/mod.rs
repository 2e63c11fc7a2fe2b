//! Browser I/O the UI builds on: the WebSocket to the server, the sign-in API, session storage,
//! notifications, the nudge's sound and shake, file uploads and downloads, and what a screen
//! reader is told.
//!
//! Nothing under `services` imports `yew`, so the UI could be replaced without touching these.

pub mod announce;
pub mod api;
pub mod attention;
pub mod chat;
pub mod download;
pub mod embed;
pub mod json;
pub mod notify;
#[cfg(feature = "console")]
pub mod player;
pub mod popout;
pub mod storage;
pub mod upload;
pub mod webrtc;
pub mod ws;

/// For a reply of the wrong kind: the server and this page disagree, so it is logged and
/// ignored. (Printing the reply would cost wasm size for a message nobody reads.)
pub fn unexpected(_: &protocol::Reply) {
    warn("ignoring an unexpected reply");
}

/// Writes a warning to the browser console; for input we ignore rather than fail on.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
