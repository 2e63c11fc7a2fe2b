//! A line that says the other side's connection dropped ("Bo Rep is reconnecting…") and that
//! it came back ("Bo Rep is back.").

use yew::prelude::*;

use crate::i18n::use_texts;
use client_core::page::PeerLink;

#[derive(Properties, PartialEq)]
pub struct PeerLinkNoteProps {
    pub link: PeerLink,
    /// Who the other side is.
    pub name: AttrValue,
}

#[function_component]
pub fn PeerLinkNote(props: &PeerLinkNoteProps) -> Html {
    let t = use_texts();
    let text = match props.link {
        PeerLink::Online => String::new(),
        PeerLink::Reconnecting => (t.peer_reconnecting)(&props.name),
        PeerLink::Back => (t.peer_back)(&props.name),
    };
    // Always rendered, so screen readers announce each change.
    html! {
        <p class="peer-link" aria-live="polite">{ text }</p>
    }
}
