//! The rep's sign-in form: "Username", "Password" and "Sign in".

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::alert::error_alert;
use crate::i18n::use_console_texts;

#[derive(Properties, PartialEq)]
pub struct SignInFormProps {
    /// The username and password, both non-empty.
    pub onsignin: Callback<(String, String)>,
    pub busy: bool,
    /// Why the last attempt failed.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component]
pub fn SignInForm(props: &SignInFormProps) -> Html {
    let t = use_console_texts();
    let username = use_node_ref();
    let password = use_node_ref();
    let missing = use_state(|| false);
    let onsubmit = {
        let (username, password, missing) = (username.clone(), password.clone(), missing.clone());
        let onsignin = props.onsignin.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |field: &NodeRef| {
                field
                    .cast::<HtmlInputElement>()
                    .map(|input| input.value())
                    .unwrap_or_default()
            };
            let (login, secret) = (value(&username).trim().to_string(), value(&password));
            let incomplete = login.is_empty() || secret.is_empty();
            missing.set(incomplete);
            if !incomplete {
                onsignin.emit((login, secret));
            }
        })
    };
    let error = if *missing {
        Some(AttrValue::from(t.credentials_required))
    } else {
        props.error.clone()
    };
    html! {
        <form class="sign-in" {onsubmit} novalidate=true>
            <h2>{ t.sign_in_title }</h2>
            <label for="sign-in-username">{ t.username }</label>
            <input id="sign-in-username" type="text" autocomplete="username"
                autocapitalize="none" spellcheck="false" ref={username} />
            <label for="sign-in-password">{ t.password }</label>
            <input id="sign-in-password" type="password" autocomplete="current-password"
                ref={password} />
            { error.map(|message| error_alert(t, &message, None)) }
            <button type="submit" class="primary" disabled={props.busy}>{ t.sign_in }</button>
        </form>
    }
}
