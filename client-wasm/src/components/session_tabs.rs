//! The rep's open sessions as buttons; the pressed one is shown below.

use protocol::SessionId;
use yew::prelude::*;

use crate::i18n::use_console_texts;
use client_core::rep::RepSession;

#[derive(Properties, PartialEq)]
pub struct SessionTabsProps {
    pub sessions: Vec<RepSession>,
    pub selected: Option<SessionId>,
    pub onselect: Callback<SessionId>,
}

#[function_component]
pub fn SessionTabs(props: &SessionTabsProps) -> Html {
    let t = use_console_texts();
    let tabs = props.sessions.iter().map(|s| {
        let session = s.info.session;
        let shown = props.selected == Some(session);
        let mut notes = Vec::new();
        if s.ending.is_some() {
            notes.push(t.ended_mark.to_string());
        }
        if s.unread > 0 {
            notes.push((t.unread)(s.unread));
        }
        let notes = (!notes.is_empty()).then(|| format!(" ({})", notes.join(", ")));
        html! {
            <li key={session.0}>
                <button type="button" aria-pressed={shown.to_string()}
                    onclick={props.onselect.reform(move |_| session)}>
                    { &s.info.customer_name }{ notes }
                </button>
            </li>
        }
    });
    html! { <ul class="tabs">{ for tabs }</ul> }
}
