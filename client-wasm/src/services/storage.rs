//! The customer's session token in `sessionStorage`, so a reload takes up the same session.

use web_sys::Storage;

/// Where the token lives; per tab, gone when the tab closes.
const TOKEN_KEY: &str = "support.session-token";

fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The token of the session this tab belongs to, if any.
pub fn load_token() -> Option<String> {
    session_storage()?.get_item(TOKEN_KEY).ok().flatten()
}

/// Remembers the token the server handed out with `Queued`.
pub fn save_token(token: &str) {
    if let Some(storage) = session_storage() {
        // Storage can be full or disabled; the chat still works, only a reload loses it.
        if storage.set_item(TOKEN_KEY, token).is_err() {
            super::warn("could not store the session token");
        }
    }
}

/// Forgets the token once its session has ended.
pub fn forget_token() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(TOKEN_KEY);
    }
}
