//! The app: the page for the address, in the language every page reads its texts in. The
//! customer's build is the chat alone, which the server serves only at `/chat`; the console's
//! build routes between the rep console and the admin page.

use yew::prelude::*;

use crate::i18n::{self, Lang};

#[function_component]
pub fn App() -> Html {
    // Chosen once per page load: from `?lang=`, else the browser.
    let lang = *use_state(i18n::detect);
    use_effect_with(lang, |lang| set_document_lang(*lang));
    // After the first render, which takes over the page's body.
    use_effect_with((), |_| crate::services::announce::prepare());
    html! {
        <ContextProvider<Lang> context={lang}>
            <Pages />
        </ContextProvider<Lang>>
    }
}

/// The customer's build: the chat, with no router to carry.
#[cfg(not(feature = "console"))]
#[function_component]
fn Pages() -> Html {
    html! { <crate::pages::chat::Chat /> }
}

#[cfg(feature = "console")]
use console::Pages;

#[cfg(feature = "console")]
mod console {
    use yew::prelude::*;
    use yew_router::prelude::*;

    use protocol::SessionId;

    use crate::pages::reports::{Report, Sessions};
    use crate::pages::{admin::Admin, not_found::NotFound, rep::Rep};

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Routable)]
    enum Route {
        #[at("/rep")]
        Rep,
        #[at("/admin")]
        Admin,
        #[at("/admin/sessions")]
        Sessions,
        #[at("/admin/sessions/:id")]
        Report { id: i64 },
        #[not_found]
        #[at("/404")]
        NotFound,
    }

    fn switch(route: Route) -> Html {
        match route {
            Route::Rep => html! { <Rep /> },
            Route::Admin => html! { <Admin /> },
            Route::Sessions => html! { <Sessions /> },
            Route::Report { id } => html! { <Report session={SessionId(id)} /> },
            Route::NotFound => html! { <NotFound /> },
        }
    }

    /// The console's pages, by address.
    #[function_component]
    pub(super) fn Pages() -> Html {
        html! {
            <BrowserRouter>
                <Switch<Route> render={switch} />
            </BrowserRouter>
        }
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
