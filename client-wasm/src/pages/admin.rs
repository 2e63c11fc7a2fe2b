//! `/admin`: for reps with the admin role: texts, policies, reps, notices and survey results.

use yew::prelude::*;

use crate::components::admin::notices::Notices;
use crate::components::admin::reps::Reps;
use crate::components::admin::settings_form::SettingsForm;
use crate::components::admin::surveys::Surveys;
use crate::components::alert::error_alert;
use crate::components::auth_gate::AuthGate;
use crate::i18n::use_console_texts;
use crate::state::admin::{AdminProvider, use_admin};
use crate::state::auth::{AuthProvider, AuthStatus, use_auth};
use client_core::admin::AdminError;

#[function_component]
pub fn Admin() -> Html {
    let t = use_console_texts();
    super::use_title(t.admin_title);
    html! {
        <AuthProvider>
            <main class="page admin">
                <h1>{ t.admin_title }</h1>
                <p><a href="/admin/sessions">{ t.reports_title }</a></p>
                <AuthGate>
                    <AdminBody />
                </AuthGate>
            </main>
        </AuthProvider>
    }
}

#[function_component]
fn AdminBody() -> Html {
    let t = use_console_texts();
    let auth = use_auth();
    match &auth.status {
        AuthStatus::SignedIn(account) if account.admin => {
            let onexpired = {
                let auth = auth.clone();
                Callback::from(move |()| auth.expire())
            };
            html! {
                <AdminProvider {onexpired}>
                    <AdminSections />
                </AdminProvider>
            }
        }
        AuthStatus::SignedIn(account) => html! { <p>{ (t.not_admin)(&account.name) }</p> },
        AuthStatus::Checking | AuthStatus::SignedOut => html! {},
    }
}

#[function_component]
fn AdminSections() -> Html {
    let t = use_console_texts();
    let auth = use_auth();
    let admin = use_admin();
    if let Some(error) = &admin.load_error {
        // The role may have been taken away since signing in.
        if let (AdminError::Forbidden, AuthStatus::SignedIn(account)) = (error, &auth.status) {
            return html! { <p>{ (t.not_admin)(&account.name) }</p> };
        }
        let message = format!(
            "{} {}",
            t.admin_load_failed,
            t.admin_error(error, t.notice_label)
        );
        let onretry = {
            let admin = admin.clone();
            Callback::from(move |_| admin.reload())
        };
        return html! {
            <>
                { error_alert(t, &message, None) }
                <button type="button" onclick={onretry}>{ t.retry }</button>
            </>
        };
    }
    let Some(view) = admin.view.clone() else {
        return html! { <p class="muted">{ t.loading }</p> };
    };
    let me = match &auth.status {
        AuthStatus::SignedIn(account) => account.rep,
        AuthStatus::Checking | AuthStatus::SignedOut => protocol::RepId(0),
    };
    html! {
        <>
            <SettingsForm />
            <Reps reps={view.reps.clone()} {me} />
            <Notices notices={view.notices.clone()} />
            <Surveys surveys={view.surveys.clone()} />
        </>
    }
}
