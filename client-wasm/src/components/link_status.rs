//! A line that says when the connection to the server is not (yet) up.

use yew::prelude::*;

use crate::i18n::Texts;
use client_core::page::Link;

/// Always rendered (empty when online) so screen readers announce changes. Not a `status`
/// role: the page keeps that for the queue position and the end of the session. A function,
/// not a component: it holds nothing, and each component costs the wasm its own copy of
/// Yew's machinery.
pub fn link_status(t: &Texts, link: Link) -> Html {
    let text = match link {
        Link::Online => "",
        Link::Connecting => t.connecting,
        Link::Reconnecting => t.reconnecting,
    };
    html! {
        <p class="link" aria-live="polite">{ text }</p>
    }
}
