//! A line that says when the connection to the server is not (yet) up.

use yew::prelude::*;

use crate::i18n::use_texts;
use client_core::page::Link;

#[derive(Properties, PartialEq)]
pub struct LinkStatusProps {
    pub link: Link,
}

#[function_component]
pub fn LinkStatus(props: &LinkStatusProps) -> Html {
    let t = use_texts();
    let text = match props.link {
        Link::Online => "",
        Link::Connecting => t.connecting,
        Link::Reconnecting => t.reconnecting,
    };
    // Always rendered (empty when online) so screen readers announce changes. Not a `status`
    // role: the page keeps that for the queue position and the end of the session.
    html! {
        <p class="link" aria-live="polite">{ text }</p>
    }
}
