//! Browser I/O the UI builds on: the WebSocket to the server, the sign-in API, session storage.
//!
//! Nothing under `services` imports `yew`, so the UI could be replaced without touching these.

pub mod api;
pub mod storage;
pub mod ws;

/// Writes a warning to the browser console; for input we ignore rather than fail on.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
