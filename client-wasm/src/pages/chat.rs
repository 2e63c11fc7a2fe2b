//! `/chat`: the customer's visit, from the entry form through the queue and chat to the end.

use protocol::Party;
use yew::prelude::*;

use crate::components::alert::ErrorAlert;
use crate::components::composer::Composer;
use crate::components::entry_form::EntryForm;
use crate::components::link_status::LinkStatus;
use crate::components::message_log::MessageLog;
use crate::components::waiting::Waiting;
use crate::i18n::use_texts;
use crate::state::customer::{CustomerProvider, Phase, use_customer};

#[function_component]
pub fn Chat() -> Html {
    html! {
        <CustomerProvider>
            <CustomerView />
        </CustomerProvider>
    }
}

#[function_component]
fn CustomerView() -> Html {
    let t = use_texts();
    let customer = use_customer();
    let onend = {
        let customer = customer.clone();
        Callback::from(move |()| customer.end())
    };
    let body = match &customer.phase {
        Phase::Loading => html! { <p class="muted">{ t.loading }</p> },
        Phase::Entry => {
            let onstart = {
                let customer = customer.clone();
                Callback::from(move |(name, problem)| customer.start(name, problem))
            };
            html! { <EntryForm {onstart} busy={customer.starting} /> }
        }
        Phase::Waiting { position, .. } => html! { <Waiting position={*position} {onend} /> },
        Phase::Chatting { rep_name, .. } => {
            let heading = match rep_name {
                Some(name) => (t.chatting_with)(name),
                None => t.chatting_with_support.to_string(),
            };
            let onsend = {
                let customer = customer.clone();
                Callback::from(move |text| customer.send(text))
            };
            html! {
                <section class="panel">
                    <h2>{ heading }</h2>
                    <MessageLog log={customer.log.clone()} />
                    <Composer {onsend} />
                    <button type="button" class="danger" onclick={onend.reform(|_| ())}>
                        { t.end_session }
                    </button>
                </section>
            }
        }
        Phase::Ended { by, .. } => {
            let ended = match by {
                Some(Party::Customer) => t.ended_by_you,
                Some(Party::Rep) => t.ended_by_rep,
                None => t.ended,
            };
            let onrestart = {
                let customer = customer.clone();
                Callback::from(move |_| customer.restart())
            };
            html! {
                <section class="panel">
                    if !customer.log.is_empty() {
                        <MessageLog log={customer.log.clone()} />
                    }
                    <p class="ended" role="status">{ ended }</p>
                    <button type="button" onclick={onrestart}>{ t.new_chat }</button>
                </section>
            }
        }
    };
    let error = customer.error.as_ref().map(|error| {
        let ondismiss = {
            let customer = customer.clone();
            Callback::from(move |()| customer.dismiss_error())
        };
        html! { <ErrorAlert message={t.request_error(error)} {ondismiss} /> }
    });
    html! {
        <main class="page chat">
            <h1>{ t.chat_title }</h1>
            <LinkStatus link={customer.link} />
            { error }
            { body }
        </main>
    }
}
