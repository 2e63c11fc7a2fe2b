//! The customer's view while in the queue: the live position and a way to leave.

use yew::prelude::*;

use crate::i18n::use_texts;

#[derive(Properties, PartialEq)]
pub struct WaitingProps {
    /// Unknown until the server has sent it (right after a reload).
    pub position: Option<u32>,
    pub onend: Callback<()>,
}

#[function_component]
pub fn Waiting(props: &WaitingProps) -> Html {
    let t = use_texts();
    let position = match props.position {
        Some(position) => (t.position_in_queue)(position),
        None => t.in_queue.to_string(),
    };
    html! {
        <section class="waiting">
            <p class="position" role="status" aria-live="polite">{ position }</p>
            <p>{ t.waiting_note }</p>
            <button type="button" class="danger" onclick={props.onend.reform(|_| ())}>
                { t.end_session }
            </button>
        </section>
    }
}
