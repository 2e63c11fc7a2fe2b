//! An error message in a `role="alert"` element, with an optional button to hide it.

use yew::prelude::*;

use crate::i18n::use_texts;

#[derive(Properties, PartialEq)]
pub struct ErrorAlertProps {
    pub message: AttrValue,
    #[prop_or_default]
    pub ondismiss: Option<Callback<()>>,
}

#[function_component]
pub fn ErrorAlert(props: &ErrorAlertProps) -> Html {
    let t = use_texts();
    html! {
        <div class="alert" role="alert">
            <p>{ &props.message }</p>
            if let Some(ondismiss) = &props.ondismiss {
                <button type="button" class="quiet" onclick={ondismiss.reform(|_| ())}>
                    { t.dismiss }
                </button>
            }
        </div>
    }
}
