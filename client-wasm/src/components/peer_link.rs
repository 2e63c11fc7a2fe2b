//! A line that says the other side's connection dropped ("Bo Rep is reconnecting…") and that
//! it came back ("Bo Rep is back.").

use yew::prelude::*;

use crate::i18n::Texts;
use client_core::page::PeerLink;

/// Always rendered, so screen readers announce each change; `name` is who the other side is.
/// A function, not a component, as [`super::link_status::link_status`].
pub fn peer_link_note(t: &Texts, link: PeerLink, name: &str) -> Html {
    let text = match link {
        PeerLink::Online => String::new(),
        PeerLink::Reconnecting => (t.peer_reconnecting)(name),
        PeerLink::Back => (t.peer_back)(name),
    };
    html! {
        <p class="peer-link" aria-live="polite">{ text }</p>
    }
}
