//! The app's routes and the language every page reads its texts in.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::{self, Lang};
use crate::pages::not_found::NotFound;
#[cfg(feature = "console")]
use crate::pages::{admin::Admin, rep::Rep};
#[cfg(not(feature = "console"))]
use crate::pages::{chat::Chat, home::Home};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/chat")]
    Chat,
    #[at("/rep")]
    Rep,
    #[at("/admin")]
    Admin,
    #[not_found]
    #[at("/404")]
    NotFound,
}

#[cfg(feature = "console")]
fn switch(route: Route) -> Html {
    match route {
        Route::Rep => html! { <Rep /> },
        Route::Admin => html! { <Admin /> },
        Route::Home | Route::Chat => html! { <OtherBuild /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

#[cfg(not(feature = "console"))]
fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Chat => html! { <Chat /> },
        Route::Rep | Route::Admin => html! { <OtherBuild /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// A page of the other build (the customer's chat, or the console): the server serves it at
/// this address, so the page is loaded from there.
#[function_component]
fn OtherBuild() -> Html {
    use_effect_with((), |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    Html::default()
}

#[function_component]
pub fn App() -> Html {
    // Chosen once per page load: from `?lang=`, else the browser.
    let lang = *use_state(i18n::detect);
    use_effect_with(lang, |lang| set_document_lang(*lang));
    // After the first render, which takes over the page's body.
    use_effect_with((), |_| crate::services::announce::prepare());
    html! {
        <ContextProvider<Lang> context={lang}>
            <BrowserRouter>
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </ContextProvider<Lang>>
    }
}

/// `<html lang>` tells screen readers and spell checkers the page's language.
fn set_document_lang(lang: Lang) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("lang", lang.code());
    }
}
