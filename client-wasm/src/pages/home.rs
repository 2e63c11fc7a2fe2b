//! `/`: sends the visitor on to the customer chat, keeping a `?lang=` they came with.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::i18n::{self, use_texts};

#[function_component]
pub fn Home() -> Html {
    let t = use_texts();
    let navigator = use_navigator();
    use_effect_with((), move |_| {
        let Some(navigator) = navigator else { return };
        let query = web_sys::window()
            .and_then(|window| window.location().search().ok())
            .unwrap_or_default();
        match i18n::asked_lang(&query) {
            Some(lang) => {
                let _ = navigator.replace_with_query(&Route::Chat, [("lang", lang.code())]);
            }
            None => navigator.replace(&Route::Chat),
        }
    });
    // Shown only for the moment before the redirect, or if it cannot happen.
    html! {
        <main class="page">
            <Link<Route> to={Route::Chat}>{ t.go_to_chat }</Link<Route>>
        </main>
    }
}
