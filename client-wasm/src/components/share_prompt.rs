//! The rep's request to see the customer's screen: who asks, what they will see, and
//! "Share screen" / "Decline"; and why sharing could not start when the browser failed.

use protocol::{CaptureFailure, ShareMode};
use yew::prelude::*;

use crate::components::composer::MESSAGE_ID;
use crate::i18n::use_texts;
use crate::services::announce;

const SHARE_ID: &str = "share-screen";

#[derive(Properties, PartialEq)]
pub struct SharePromptProps {
    pub rep_name: AttrValue,
    pub mode: ShareMode,
    /// The customer agreed before a reload; only the screen has to be picked again.
    #[prop_or_default]
    pub resume: bool,
    /// The browser's picker is open.
    #[prop_or_default]
    pub busy: bool,
    pub onshare: Callback<()>,
    pub ondecline: Callback<()>,
}

#[function_component]
pub fn SharePrompt(props: &SharePromptProps) -> Html {
    let t = use_texts();
    let explained = match (props.resume, props.mode) {
        (true, _) => t.share_resume_explained.to_string(),
        (false, ShareMode::Unrestricted) => (t.share_whole_explained)(&props.rep_name),
        (false, ShareMode::CustomerChooses) => t.share_choose_explained.to_string(),
    };
    // As a dialog opens: focus on its first action, which reads its title and text.
    use_effect_with((), |_| announce::focus(SHARE_ID));
    html! {
        <section class="share-prompt" role="dialog" aria-labelledby="share-prompt-title"
            aria-describedby="share-prompt-text">
            <h2 id="share-prompt-title">{ (t.share_wants)(&props.rep_name) }</h2>
            <p id="share-prompt-text">{ explained }</p>
            <button id={SHARE_ID} type="button" class="primary" disabled={props.busy}
                onclick={props.onshare.reform(|_| ())}>
                { t.share_screen }
            </button>
            <button type="button" disabled={props.busy} onclick={props.ondecline.reform(|_| ())}>
                { t.decline }
            </button>
            if props.busy {
                <p class="muted" role="status">{ t.share_starting }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareFailedProps {
    pub failure: CaptureFailure,
}

/// The customer agreed, but the browser could not capture: why, said as it appears, with focus
/// back in the chat (the button that started it is gone).
#[function_component]
pub fn ShareFailed(props: &ShareFailedProps) -> Html {
    let t = use_texts();
    let why = format!(
        "{} {}",
        t.share_could_not_start,
        (t.capture_failure)(props.failure)
    );
    {
        let why = why.clone();
        use_effect_with((), move |_| {
            announce::announce(&why);
            announce::focus(MESSAGE_ID);
        });
    }
    html! { <p class="share-failed">{ why }</p> }
}
