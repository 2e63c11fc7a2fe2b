//! An error message in a `role="alert"` element, with an optional button to hide it.

use yew::prelude::*;

use crate::i18n::Texts;

/// A function, not a component, as the page's other stateless parts: each component costs the
/// wasm its own copy of Yew's machinery.
pub fn error_alert(t: &Texts, message: &str, ondismiss: Option<Callback<()>>) -> Html {
    html! {
        <div class="alert" role="alert">
            <p>{ message }</p>
            if let Some(ondismiss) = ondismiss {
                <button type="button" class="quiet" onclick={ondismiss.reform(|_| ())}>
                    { t.dismiss }
                </button>
            }
        </div>
    }
}
