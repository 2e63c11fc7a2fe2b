//! The site's message for a customer no rep is available for, and the move to the site's
//! page for them (a knowledge base, a contact form) after a few seconds.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::i18n::use_texts;

/// How long the message shows before the page moves on.
const REDIRECT_MS: u32 = 5000;

#[derive(Properties, PartialEq)]
pub struct OrphanedProps {
    /// The admin's orphan text in the page's language.
    pub text: AttrValue,
    /// Where to go, already checked to be a web address.
    pub url: Option<AttrValue>,
}

#[function_component]
pub fn Orphaned(props: &OrphanedProps) -> Html {
    let t = use_texts();
    use_effect_with(props.url.clone(), |url| {
        let timer = url.clone().map(|url| {
            Timeout::new(REDIRECT_MS, move || {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&url);
                }
            })
        });
        // Unmounting (a rep took the session after all) cancels the move.
        move || drop(timer)
    });
    html! {
        <div class="panel orphaned" aria-live="polite">
            <p style="white-space: pre-wrap">{ &props.text }</p>
            if let Some(url) = &props.url {
                <p>
                    { t.orphan_redirect_soon }{ " " }
                    <a href={url.clone()}>{ t.orphan_go_now }</a>
                </p>
            }
        </div>
    }
}
