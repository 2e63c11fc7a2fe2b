//! Any unknown address.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::i18n::use_texts;

#[function_component]
pub fn NotFound() -> Html {
    let t = use_texts();
    super::use_title(t.not_found_title);
    html! {
        <main class="page">
            <h1>{ t.not_found_title }</h1>
            <p>{ t.not_found_body }</p>
            <p><Link<Route> to={Route::Chat}>{ t.go_to_chat }</Link<Route>></p>
        </main>
    }
}
