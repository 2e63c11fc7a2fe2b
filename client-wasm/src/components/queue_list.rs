//! The waiting customers for reps: name, language, "via key", problem, time waiting (ticking),
//! "Accept", and a notice to send them.

use std::rc::Rc;

use gloo::timers::callback::Interval;
use protocol::{Millis, Notice, NoticeId, QueueEntry, SessionId};
use yew::prelude::*;

use crate::i18n::{Lang, use_console_texts};
use crate::services::announce;

#[derive(Properties, PartialEq)]
pub struct QueueListProps {
    /// The first waiting customers.
    pub entries: Rc<Vec<QueueEntry>>,
    /// The server has told the queue: `entries` is what it said.
    pub heard: bool,
    /// How many wait in all.
    pub waiting: u32,
    /// An accept for this session is under way.
    pub accepting: Option<SessionId>,
    pub onaccept: Callback<SessionId>,
    /// The active notices a rep may send.
    pub notices: Rc<Vec<Notice>>,
    /// A notice is on its way to this session.
    pub sending_notice: Option<SessionId>,
    /// The last notice sent went to this session.
    pub notice_sent: Option<SessionId>,
    pub onnotice: Callback<(SessionId, NoticeId)>,
}

/// Describes every disabled "Send notice" button.
const NO_NOTICES_HINT: &str = "no-notices-hint";

#[function_component]
pub fn QueueList(props: &QueueListProps) -> Html {
    let t = use_console_texts();
    let now = use_now();
    use_arrivals_said(props.entries.clone(), props.heard);
    let sent = props
        .notice_sent
        .filter(|s| props.entries.iter().any(|e| e.session == *s))
        .map(|_| t.notice_sent);
    if props.entries.is_empty() {
        return html! { <p class="muted">{ t.queue_empty }</p> };
    }
    let items = props.entries.iter().map(|entry| {
        let session = entry.session;
        html! {
            <QueueItem key={session.0} entry={entry.clone()} {now}
                accepting={props.accepting == Some(session)}
                onaccept={props.onaccept.clone()}
                notices={props.notices.clone()}
                sending_notice={props.sending_notice == Some(session)}
                onnotice={props.onnotice.clone()} />
        }
    });
    html! {
        <>
            if props.notices.is_empty() {
                <p id={NO_NOTICES_HINT} class="muted">{ t.no_active_notices }</p>
            }
            <p class="muted" role="status" aria-live="polite">{ sent }</p>
            <ul class="queue">{ for items }</ul>
            if props.waiting as usize > props.entries.len() {
                <p class="muted">{ (t.queue_more)(props.waiting as usize - props.entries.len()) }</p>
            }
        </>
    }
}

/// Says who joined the queue since the list last changed (not who waited when the server
/// first told the queue): the rep may be working elsewhere on the page.
#[hook]
fn use_arrivals_said(entries: Rc<Vec<QueueEntry>>, heard: bool) {
    let t = use_console_texts();
    let known = use_mut_ref(|| None::<Vec<SessionId>>);
    use_effect_with((entries, heard), move |(entries, heard)| {
        if !heard {
            return;
        }
        let mut known = known.borrow_mut();
        if let Some(before) = known.as_ref() {
            let arrived: Vec<&str> = entries
                .iter()
                .filter(|e| !before.contains(&e.session))
                .map(|e| e.name.as_str())
                .collect();
            if !arrived.is_empty() {
                announce::announce(&(t.now_waiting)(&arrived));
            }
        }
        *known = Some(entries.iter().map(|e| e.session).collect());
    });
}

#[derive(Properties, PartialEq)]
struct QueueItemProps {
    entry: QueueEntry,
    now: Millis,
    accepting: bool,
    onaccept: Callback<SessionId>,
    notices: Rc<Vec<Notice>>,
    sending_notice: bool,
    onnotice: Callback<(SessionId, NoticeId)>,
}

#[function_component]
fn QueueItem(props: &QueueItemProps) -> Html {
    let t = use_console_texts();
    let lang = use_context::<Lang>().unwrap_or_default();
    let select = use_node_ref();
    let entry = &props.entry;
    let session = entry.session;
    let waited = (t.waiting_for)(&t.duration(props.now - entry.queued_at));
    let onsend = {
        let (select, notices, onnotice) = (
            select.clone(),
            props.notices.clone(),
            props.onnotice.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let chosen = selected_value(&select).and_then(|value| value.parse().ok());
            if let Some(notice) = chosen.or_else(|| notices.first().map(|n| n.id)) {
                onnotice.emit((session, notice));
            }
        })
    };
    let select_id = format!("notice-for-{session}");
    let options = props.notices.iter().map(|notice| {
        html! {
            <option key={notice.id.0} value={notice.id.to_string()}>
                { notice.draft.text.get(lang.into()) }
            </option>
        }
    });
    let none = props.notices.is_empty();
    html! {
        <li>
            <div class="who">
                <strong>{ &entry.name }</strong>
                <span class="muted">{ waited }</span>
            </div>
            <p class="muted meta">
                { (t.customer_lang)(t.lang_name(entry.lang)) }
                if entry.by_key {
                    { " · " }<strong class="via-key">{ t.via_key }</strong>
                }
            </p>
            <p class="problem">{ &entry.problem }</p>
            <button type="button" class="primary" onclick={props.onaccept.reform(move |_| session)}
                disabled={props.accepting}>
                { t.accept }<span class="visually-hidden">{ " " }<bdi>{ &entry.name }</bdi></span>
            </button>
            <div class="send-notice">
                if !none {
                    <label for={select_id.clone()}>{ (t.notice_for)(&entry.name) }</label>
                    <select id={select_id} ref={select}>{ for options }</select>
                }
                <button type="button" onclick={onsend} disabled={none || props.sending_notice}
                    aria-describedby={none.then_some(NO_NOTICES_HINT)}>
                    { t.send_notice }
                    <span class="visually-hidden">{ " " }<bdi>{ &entry.name }</bdi></span>
                </button>
            </div>
        </li>
    }
}

/// The value of a `<select>` (read through JS, which needs no extra `web-sys` feature).
fn selected_value(select: &NodeRef) -> Option<String> {
    let node = select.get()?;
    js_sys::Reflect::get(&node, &"value".into())
        .ok()?
        .as_string()
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
