//! Any unknown address of the console's build; the chat is a page load away (the other build).

use yew::prelude::*;

use crate::i18n::use_console_texts;

#[function_component]
pub fn NotFound() -> Html {
    let t = use_console_texts();
    super::use_title(t.not_found_title);
    html! {
        <main class="page">
            <h1>{ t.not_found_title }</h1>
            <p>{ t.not_found_body }</p>
            <p><a href="/chat">{ t.go_to_chat }</a></p>
        </main>
    }
}
