//! The "Message" field and "Send" button under a chat log.

use protocol::MAX_CHAT_CHARS;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::use_texts;

/// The message field, where focus goes when chatting is what comes next.
pub const MESSAGE_ID: &str = "composer-message";

#[derive(Properties, PartialEq)]
pub struct ComposerProps {
    /// The trimmed, non-empty text to send.
    pub onsend: Callback<String>,
}

#[function_component]
pub fn Composer(props: &ComposerProps) -> Html {
    let t = use_texts();
    let text = use_state(String::new);
    let input = use_node_ref();
    {
        // The composer replaces what had focus (the waiting view, another session's panel),
        // so focus would otherwise fall back to the page.
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let too_long = text.trim().chars().count() > MAX_CHAT_CHARS;
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let onsubmit = {
        let text = text.clone();
        let onsend = props.onsend.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let trimmed = text.trim();
            if trimmed.is_empty() || trimmed.chars().count() > MAX_CHAT_CHARS {
                return;
            }
            onsend.emit(trimmed.to_string());
            text.set(String::new());
        })
    };
    html! {
        <form class="composer" {onsubmit}>
            <label for={MESSAGE_ID}>{ t.message }</label>
            <div class="row">
                <input id={MESSAGE_ID} type="text" autocomplete="off"
                    value={(*text).clone()} {oninput} ref={input}
                    aria-invalid={too_long.then_some("true")}
                    aria-describedby={too_long.then_some("composer-error")} />
                <button type="submit">{ t.send }</button>
            </div>
            if too_long {
                <p id="composer-error" class="field-error">
                    { (t.message_too_long)(MAX_CHAT_CHARS) }
                </p>
            }
        </form>
    }
}
