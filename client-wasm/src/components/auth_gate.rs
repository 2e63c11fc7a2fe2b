//! Shows its children to a signed-in rep (with their name and "Sign out"), and the sign-in
//! form to everyone else.

use yew::prelude::*;

use crate::components::alert::error_alert;
use crate::components::sign_in_form::SignInForm;
use crate::i18n::{ConsoleTexts, use_console_texts};
use crate::services::announce;
use crate::state::auth::{AuthError, AuthStatus, use_auth};

/// Whom the console is signed in as; focused right after signing in.
const ACCOUNT_ID: &str = "signed-in-as";

#[derive(Properties, PartialEq)]
pub struct AuthGateProps {
    pub children: Html,
}

#[function_component]
pub fn AuthGate(props: &AuthGateProps) -> Html {
    let t = use_console_texts();
    let auth = use_auth();
    let error = auth
        .error
        .as_ref()
        .map(|e| AttrValue::from(error_text(e, t)));
    // Signing in replaces the form that had focus: it goes to whom the console is signed in
    // as, which says it worked. A console already signed in when it loads keeps focus as is.
    let seen_signed_out = use_mut_ref(|| false);
    let signed_in = matches!(auth.status, AuthStatus::SignedIn(_));
    if matches!(auth.status, AuthStatus::SignedOut) {
        *seen_signed_out.borrow_mut() = true;
    }
    use_effect_with(signed_in, move |signed_in| {
        if *signed_in && *seen_signed_out.borrow() {
            announce::focus(ACCOUNT_ID);
        }
    });
    match &auth.status {
        AuthStatus::Checking => html! { <p class="muted">{ t.loading }</p> },
        AuthStatus::SignedOut => {
            let onsignin = {
                let auth = auth.clone();
                Callback::from(move |(login, password)| auth.sign_in(login, password))
            };
            html! { <SignInForm {onsignin} busy={auth.busy} {error} /> }
        }
        AuthStatus::SignedIn(account) => {
            let onsignout = {
                let auth = auth.clone();
                Callback::from(move |_| auth.sign_out())
            };
            let ondismiss = {
                let auth = auth.clone();
                Callback::from(move |()| auth.dismiss_error())
            };
            html! {
                <>
                    <div class="account">
                        <span id={ACCOUNT_ID} tabindex="-1">{ (t.signed_in_as)(&account.name) }</span>
                        <button type="button" onclick={onsignout} disabled={auth.busy}>
                            { t.sign_out }
                        </button>
                    </div>
                    { error.map(|message| error_alert(t, &message, Some(ondismiss))) }
                    { props.children.clone() }
                </>
            }
        }
    }
}

fn error_text(error: &AuthError, t: &ConsoleTexts) -> String {
    match error {
        AuthError::WrongCredentials => t.wrong_credentials.to_string(),
        AuthError::TooManyAttempts(seconds) => (t.too_many_sign_ins)(*seconds),
        AuthError::Expired => t.sign_in_expired.to_string(),
        AuthError::Refused(reason) => t.reason(reason),
        AuthError::Failed(detail) => format!("{}: {detail}", t.request_failed),
    }
}
