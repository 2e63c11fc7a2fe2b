//! The rep's view of one session: customer, problem, chat and the session's controls.

use protocol::{Party, SessionId};
use yew::prelude::*;

use crate::components::composer::Composer;
use crate::components::message_log::MessageLog;
use crate::i18n::use_texts;
use crate::state::rep::{Ending, RepSession};

#[derive(Properties, PartialEq)]
pub struct SessionPanelProps {
    pub session: RepSession,
    pub onsend: Callback<String>,
    pub onend: Callback<SessionId>,
    /// Removes an ended session from the list.
    pub onclose: Callback<SessionId>,
}

#[function_component]
pub fn SessionPanel(props: &SessionPanelProps) -> Html {
    let t = use_texts();
    let info = &props.session.info;
    let session = info.session;
    let controls = match props.session.ending {
        None => html! {
            <>
                <Composer onsend={props.onsend.clone()} />
                <button type="button" class="danger" onclick={props.onend.reform(move |_| session)}>
                    { t.end_session }
                </button>
            </>
        },
        Some(ending) => {
            let ended = match ending {
                Ending::By(Party::Customer) => t.ended_by_customer,
                Ending::By(Party::Rep) => t.ended_by_you,
                Ending::ByServer | Ending::WhileAway => t.ended,
            };
            html! {
                <>
                    <p class="ended" role="status">{ ended }</p>
                    <button type="button" onclick={props.onclose.reform(move |_| session)}>
                        { t.close_session }
                    </button>
                </>
            }
        }
    };
    html! {
        <section class="panel" aria-labelledby="panel-title">
            <h3 id="panel-title">{ &info.customer_name }</h3>
            <p class="problem"><strong>{ t.problem_label }{ ": " }</strong>{ &info.problem }</p>
            <MessageLog log={props.session.log.clone()} />
            { controls }
        </section>
    }
}
