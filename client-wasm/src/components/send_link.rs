//! The rep's small form to push a web address to the customer: "Link to send", "Send link".

use protocol::site;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::use_console_texts;

#[derive(Properties, PartialEq)]
pub struct SendLinkProps {
    /// A checked `http(s)` address.
    pub onsend: Callback<String>,
}

#[function_component]
pub fn SendLink(props: &SendLinkProps) -> Html {
    let t = use_console_texts();
    let url = use_state(String::new);
    let invalid = use_state(|| false);
    let oninput = {
        let (url, invalid) = (url.clone(), invalid.clone());
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            url.set(input.value());
            invalid.set(false);
        })
    };
    let onsubmit = {
        let (url, invalid) = (url.clone(), invalid.clone());
        let onsend = props.onsend.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let trimmed = url.trim();
            if site::is_web_url(trimmed) {
                onsend.emit(trimmed.to_string());
                url.set(String::new());
            } else {
                invalid.set(true);
            }
        })
    };
    html! {
        <form class="send-link" {onsubmit}>
            <label for="send-link-url">{ t.link_to_send }</label>
            <div class="row">
                <input id="send-link-url" type="url" autocomplete="off" placeholder="https://"
                    value={(*url).clone()} {oninput}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={invalid.then_some("send-link-error")} />
                <button type="submit">{ t.send_link }</button>
            </div>
            if *invalid {
                <p id="send-link-error" class="field-error">{ t.link_invalid }</p>
            }
        </form>
    }
}
