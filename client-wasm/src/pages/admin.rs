//! `/admin`: for reps with the admin role. Settings arrive in a later version; no fake controls.

use yew::prelude::*;

use crate::components::auth_gate::AuthGate;
use crate::i18n::use_texts;
use crate::state::auth::{AuthProvider, AuthStatus, use_auth};

#[function_component]
pub fn Admin() -> Html {
    let t = use_texts();
    html! {
        <AuthProvider>
            <main class="page admin">
                <h1>{ t.admin_title }</h1>
                <AuthGate>
                    <AdminBody />
                </AuthGate>
            </main>
        </AuthProvider>
    }
}

#[function_component]
fn AdminBody() -> Html {
    let t = use_texts();
    let auth = use_auth();
    match &auth.status {
        AuthStatus::SignedIn(account) if account.admin => html! { <p>{ t.admin_later }</p> },
        AuthStatus::SignedIn(account) => html! { <p>{ (t.not_admin)(&account.name) }</p> },
        AuthStatus::Checking | AuthStatus::SignedOut => html! {},
    }
}
