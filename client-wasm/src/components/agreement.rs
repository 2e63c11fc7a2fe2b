//! The site's agreement, shown before anything else: "Accept" or "Decline".

use yew::prelude::*;

use crate::i18n::use_texts;

#[derive(Properties, PartialEq)]
pub struct AgreementProps {
    /// The admin's text in the page's language.
    pub text: AttrValue,
    pub onaccept: Callback<()>,
    pub ondecline: Callback<()>,
}

#[function_component]
pub fn Agreement(props: &AgreementProps) -> Html {
    let t = use_texts();
    html! {
        <section class="panel agreement" aria-labelledby="agreement-heading">
            <h2 id="agreement-heading">{ t.agreement_heading }</h2>
            // A text node: the admin's words show as written, line breaks kept.
            <p style="white-space: pre-wrap">{ &props.text }</p>
            <button type="button" class="primary" onclick={props.onaccept.reform(|_| ())}>
                { t.agree }
            </button>
            <button type="button" onclick={props.ondecline.reform(|_| ())}>
                { t.decline }
            </button>
        </section>
    }
}
