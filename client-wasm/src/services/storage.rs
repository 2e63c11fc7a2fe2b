//! What a tab keeps in `sessionStorage` so a reload takes up the same session: the customer's
//! session token and the answer to the recording prompt (for the receipt). And in
//! `localStorage`, for every visit: the customer's chosen text size.

use client_core::customer::StoredConsent;
use web_sys::Storage;

/// Where the token lives; per tab, gone when the tab closes.
const TOKEN_KEY: &str = "support.session-token";
/// Where the stored recording answer lives.
const CONSENT_KEY: &str = "support.recording-consent";

/// Where the chosen text size step lives (`localStorage`: a preference, not a session).
const FONT_STEP_KEY: &str = "support.font-step";

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The text size step the customer chose on an earlier visit.
pub fn load_font_step() -> Option<usize> {
    local_storage()?
        .get_item(FONT_STEP_KEY)
        .ok()
        .flatten()?
        .parse()
        .ok()
}

pub fn save_font_step(step: usize) {
    if let Some(storage) = local_storage()
        && storage.set_item(FONT_STEP_KEY, &step.to_string()).is_err()
    {
        super::warn("could not store the text size");
    }
}

fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn save(key: &str, value: &str, what: &str) {
    if let Some(storage) = session_storage() {
        // Storage can be full or disabled; the chat still works, only a reload loses it.
        if storage.set_item(key, value).is_err() {
            super::warn(&format!("could not store the {what}"));
        }
    }
}

fn forget(key: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Where a window opened for a running session finds its token: `#resume=TOKEN`.
pub const RESUME_FRAGMENT: &str = "resume=";

/// The token in `fragment` (`#resume=TOKEN`), if it looks like one.
pub fn token_in_fragment(fragment: &str) -> Option<&str> {
    let token = fragment
        .trim_start_matches('#')
        .strip_prefix(RESUME_FRAGMENT)?;
    let plausible = !token.is_empty()
        && token.len() <= 128
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then_some(token)
}

/// A window opened for a running session (the embedded chat's pop-out) takes up its token
/// from the address, and takes it out of the address so it is not kept in the history.
pub fn adopt_token_from_address() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let Ok(fragment) = location.hash() else {
        return;
    };
    if let Some(token) = token_in_fragment(&fragment) {
        save_token(token);
        let bare = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&bare));
        }
    }
}

/// The token of the session this tab belongs to, if any.
pub fn load_token() -> Option<String> {
    session_storage()?.get_item(TOKEN_KEY).ok().flatten()
}

/// Remembers the token the server handed out with `Queued`.
pub fn save_token(token: &str) {
    save(TOKEN_KEY, token, "session token");
}

/// Forgets the token once its session has ended.
pub fn forget_token() {
    forget(TOKEN_KEY);
}

/// The recording answer this tab was given, if any.
pub fn load_consent() -> Option<StoredConsent> {
    let text = session_storage()?.get_item(CONSENT_KEY).ok().flatten()?;
    super::json::from_str(&text).ok()
}

pub fn save_consent(consent: &StoredConsent) {
    if let Ok(text) = super::json::to_string(consent) {
        save(CONSENT_KEY, &text, "recording answer");
    }
}

/// Forgets the recording answer when the tab starts over.
pub fn forget_consent() {
    forget(CONSENT_KEY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plausible_token_is_taken_from_the_fragment() {
        assert_eq!(token_in_fragment("#resume=Ab-9_x"), Some("Ab-9_x"));
        assert_eq!(token_in_fragment("#resume="), None);
        assert_eq!(token_in_fragment("#resume=a b"), None);
        assert_eq!(token_in_fragment("#other=abc"), None);
        assert_eq!(
            token_in_fragment(&format!("#resume={}", "a".repeat(129))),
            None
        );
    }
}
