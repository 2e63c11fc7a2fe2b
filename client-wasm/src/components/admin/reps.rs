//! "Reps": the table with per-row "Disable"/"Enable" and "Make admin"/"Remove admin", and the
//! "Add rep" form.

use protocol::RepId;
use protocol::api::{NewRep, RepChange, RepRow};
use yew::prelude::*;

use super::feedback::{Checkbox, Feedback, on_text};
use crate::i18n::{ConsoleTexts, use_console_texts};
use crate::state::admin::{AdminHandle, use_admin};
use client_core::admin::Section;

#[derive(Properties, PartialEq)]
pub struct RepsProps {
    pub reps: Vec<RepRow>,
    /// The signed-in admin, who may not disable themselves nor drop their own admin role.
    pub me: RepId,
}

/// Describes the signed-in admin's own disabled buttons.
const OWN_HINT: &str = "own-account-hint";

#[function_component]
pub fn Reps(props: &RepsProps) -> Html {
    let t = use_console_texts();
    let admin = use_admin();
    let busy = admin.busy == Some(Section::Reps);
    let rows = props
        .reps
        .iter()
        .map(|rep| row(t, &admin, rep, busy, rep.id == props.me));
    html! {
        <section aria-labelledby="reps-title">
            <h2 id="reps-title">{ t.reps_title }</h2>
            <table class="admin-table">
                <thead>
                    <tr>
                        <th scope="col">{ t.login_label }</th>
                        <th scope="col">{ t.display_name_label }</th>
                        <th scope="col">{ t.admin_label }</th>
                        <th scope="col">{ t.disabled_label }</th>
                        <th scope="col">{ t.actions_label }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p id={OWN_HINT} class="muted hint">{ t.own_account_hint }</p>
            <Feedback {busy} outcome={admin.outcome_in(Section::Reps).cloned()} />
            <AddRep />
        </section>
    }
}

fn row(t: &ConsoleTexts, admin: &AdminHandle, rep: &RepRow, busy: bool, mine: bool) -> Html {
    let yes_no = |on: bool| if on { t.yes } else { t.no };
    let change = |change: RepChange| {
        let (admin, id) = (admin.clone(), rep.id);
        Callback::from(move |_: MouseEvent| admin.change_rep((id, change.clone())))
    };
    let toggle_disabled = change(RepChange {
        admin: rep.admin,
        disabled: !rep.disabled,
    });
    let toggle_admin = change(RepChange {
        admin: !rep.admin,
        disabled: rep.disabled,
    });
    let disable = if rep.disabled { t.enable } else { t.disable };
    let role = if rep.admin {
        t.remove_admin
    } else {
        t.make_admin
    };
    html! {
        <tr key={rep.id.0}>
            <td>{ &rep.login }</td>
            <td>{ &rep.name }</td>
            <td>{ yes_no(rep.admin) }</td>
            <td>{ yes_no(rep.disabled) }</td>
            <td>
                <button type="button" onclick={toggle_disabled} disabled={busy || mine}
                    aria-label={(t.for_login)(disable, &rep.login)}
                    aria-describedby={mine.then_some(OWN_HINT)}>{ disable }</button>
                <button type="button" onclick={toggle_admin} disabled={busy || mine}
                    aria-label={(t.for_login)(role, &rep.login)}
                    aria-describedby={mine.then_some(OWN_HINT)}>{ role }</button>
            </td>
        </tr>
    }
}

/// "Login", "Display name", "Password", "Admin" and "Add rep".
#[function_component]
fn AddRep() -> Html {
    let t = use_console_texts();
    let admin = use_admin();
    let rep = admin.new_rep.clone();
    // Each field's callback changes its own part of the form.
    let field = |set: fn(&mut NewRep, String)| {
        let (admin, rep) = (admin.clone(), rep.clone());
        on_text(Callback::from(move |text| {
            let mut next = rep.clone();
            set(&mut next, text);
            admin.edit_new_rep(next);
        }))
    };
    let (login_input, login_change) = field(|rep, value| rep.login = value);
    let (name_input, name_change) = field(|rep, value| rep.name = value);
    let (password_input, password_change) = field(|rep, value| rep.password = value);
    let onadmin = {
        let (admin, rep) = (admin.clone(), rep.clone());
        Callback::from(move |on| {
            admin.edit_new_rep(NewRep {
                admin: on,
                ..rep.clone()
            })
        })
    };
    let onsubmit = {
        let admin = admin.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            admin.add_rep();
        })
    };
    let busy = admin.busy == Some(Section::NewRep);
    html! {
        <form class="admin-add" {onsubmit} novalidate=true aria-labelledby="add-rep-title">
            <h3 id="add-rep-title">{ t.add_rep }</h3>
            <label for="new-rep-login">{ t.login_label }</label>
            <input id="new-rep-login" type="text" autocomplete="off" autocapitalize="none"
                spellcheck="false" value={rep.login.clone()}
                oninput={login_input} onchange={login_change} />
            <label for="new-rep-name">{ t.display_name_label }</label>
            <input id="new-rep-name" type="text" autocomplete="off" value={rep.name.clone()}
                oninput={name_input} onchange={name_change} />
            <label for="new-rep-password">{ t.password }</label>
            <input id="new-rep-password" type="password" autocomplete="new-password"
                value={rep.password.clone()}
                oninput={password_input} onchange={password_change} />
            <Checkbox label={t.admin_label} checked={rep.admin} onchange={onadmin} />
            <button type="submit" disabled={busy}>{ t.add_rep }</button>
            <Feedback {busy} outcome={admin.outcome_in(Section::NewRep).cloned()} />
        </form>
    }
}
