//! The customer's chat inside another site's page (`services::embed`): the host page heard and
//! told, and the hand-over to a window of its own. Where the embedded chat stands is
//! `client_core::customer::Embedding`.

use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use super::{Action, Customer, CustomerHandle, Phase};
use crate::services::embed::{Embed, ToHost};
use crate::services::storage;

/// The session's address for its own window: the token rides in the fragment, which is never
/// sent to a server nor in a `Referer`, and the new page takes it out of its address at once.
pub fn own_window_url(lang: protocol::Lang, token: &str) -> String {
    format!(
        "/chat?lang={}#{}{token}",
        lang.code(),
        storage::RESUME_FRAGMENT
    )
}

impl CustomerHandle {
    /// Whether this chat is inside another site's page.
    pub fn embedded(&self) -> bool {
        self.embed.is_some()
    }

    /// Moves the running session to a window of its own, where notifications and the nudge's
    /// focus work best; this frame lets go of it.
    pub fn pop_out(&self) {
        let (Some(embed), Some(token)) = (&self.embed, &self.token) else {
            return;
        };
        let opened = web_sys::window().and_then(|window| {
            window
                .open_with_url_and_target_and_features(
                    &own_window_url(self.lang, token),
                    "_blank",
                    "popup,width=440,height=720",
                )
                .ok()
                .flatten()
        });
        if opened.is_none() {
            self.state.dispatch(Action::PopOutBlocked);
            return;
        }
        // The new window holds the session now: no beacon from here, no second socket.
        storage::forget_token();
        self.conn.stop();
        self.screen.stop();
        self.state.dispatch(Action::Moved);
        embed.tell(&ToHost::Moved);
    }
}

/// Tells the host page what it listens for, and hears what it says.
#[hook]
pub fn use_host_page(embed: Option<Embed>, state: &UseReducerHandle<Customer>) {
    {
        let dispatch = state.dispatcher();
        let embed = embed.clone();
        use_effect_with((), move |_| {
            let listening = embed.as_ref().map(|embed| {
                let heard = embed.listen(move |message| dispatch.dispatch(Action::Host(message)));
                embed.tell(&ToHost::Ready);
                let escape = web_sys::window()
                    .and_then(|w| w.document())
                    .map(|document| {
                        let embed = embed.clone();
                        gloo::events::EventListener::new(&document, "keydown", move |event| {
                            let key = event
                                .dyn_ref::<web_sys::KeyboardEvent>()
                                .map(web_sys::KeyboardEvent::key);
                            if key.as_deref() == Some("Escape") {
                                embed.tell(&ToHost::Close);
                            }
                        })
                    });
                (heard, escape)
            });
            move || drop(listening)
        });
    }
    {
        let embed = embed.clone();
        use_effect_with(state.embed.unread, move |count| {
            if let Some(embed) = &embed {
                embed.tell(&ToHost::Unread { count: *count });
            }
        });
    }
    let ended = matches!(state.phase, Phase::Ended { .. });
    use_effect_with(ended, move |ended| {
        if let (Some(embed), true) = (&embed, *ended) {
            embed.tell(&ToHost::Ended);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_own_window_gets_the_token_in_the_fragment_only() {
        let url = own_window_url(protocol::Lang::De, "abc123");
        assert_eq!(url, "/chat?lang=de#resume=abc123");
    }
}
