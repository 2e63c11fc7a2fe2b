//! The site's agreement, shown before anything else: "Accept" or "Decline".

use yew::prelude::*;

use crate::i18n::Texts;

/// `text` is the admin's, in the page's language. A function, as [`super::alert::error_alert`].
pub fn agreement(t: &Texts, text: &str, onaccept: Callback<()>, ondecline: Callback<()>) -> Html {
    html! {
        <section class="panel agreement" aria-labelledby="agreement-heading">
            <h2 id="agreement-heading">{ t.agreement_heading }</h2>
            // A text node: the admin's words show as written, line breaks kept.
            <p style="white-space: pre-wrap">{ text }</p>
            <button type="button" class="primary" onclick={onaccept.reform(|_| ())}>
                { t.agree }
            </button>
            <button type="button" onclick={ondecline.reform(|_| ())}>
                { t.decline }
            </button>
        </section>
    }
}
