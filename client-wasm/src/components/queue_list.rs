//! The waiting customers for reps: name, problem, time waiting (ticking) and "Accept".

use std::rc::Rc;

use gloo::timers::callback::Interval;
use protocol::{Millis, QueueEntry, SessionId};
use yew::prelude::*;

use crate::i18n::use_texts;

#[derive(Properties, PartialEq)]
pub struct QueueListProps {
    pub entries: Rc<Vec<QueueEntry>>,
    /// An accept for this session is under way.
    pub accepting: Option<SessionId>,
    pub onaccept: Callback<SessionId>,
}

#[function_component]
pub fn QueueList(props: &QueueListProps) -> Html {
    let t = use_texts();
    let now = use_now();
    if props.entries.is_empty() {
        return html! { <p class="muted">{ t.queue_empty }</p> };
    }
    let items = props.entries.iter().map(|entry| {
        let session = entry.session;
        let onclick = props.onaccept.reform(move |_| session);
        let waited = (t.waiting_for)(&t.duration(now - entry.queued_at));
        html! {
            <li key={session}>
                <div class="who">
                    <strong>{ &entry.name }</strong>
                    <span class="muted">{ waited }</span>
                </div>
                <p class="problem">{ &entry.problem }</p>
                <button type="button" class="primary" {onclick}
                    disabled={props.accepting == Some(session)}>
                    { t.accept }
                </button>
            </li>
        }
    });
    html! { <ul class="queue">{ for items }</ul> }
}

/// The current time, updated every second.
#[hook]
fn use_now() -> Millis {
    let now = use_state(now_ms);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let ticker = Interval::new(1000, move || now.set(now_ms()));
            move || drop(ticker)
        });
    }
    *now
}

fn now_ms() -> Millis {
    js_sys::Date::now() as Millis
}
