//! A session's chat as a `role="log"` list: the system's lines (hold messages), then each
//! message's sender, time and content by kind (text with clickable addresses, a pushed link, a
//! nudge, a file, a handover), then our own messages still on their way. Our own messages say
//! whether they were sent or delivered; the rep's carry the rep's photo on the customer's page.

use std::rc::Rc;

use protocol::{ChatMessage, MessageKind, Millis, Party, api, site};
use wasm_bindgen::JsValue;
use web_sys::Element;
use yew::prelude::*;

use crate::components::rich_text::{RichText, external_link};
use crate::i18n::{Texts, use_texts};
use client_core::chat_log::{ChatLog, Delivery};

/// The rep as the customer sees them beside their messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepFace {
    pub name: AttrValue,
    pub photo: Option<AttrValue>,
}

#[derive(Properties, PartialEq)]
pub struct MessageLogProps {
    pub log: Rc<ChatLog>,
    /// Whose page this is: their messages show their delivery state.
    #[prop_or_default]
    pub me: Option<Party>,
    /// The other side's name ("You nudged Ada").
    #[prop_or_default]
    pub peer: AttrValue,
    /// Customer's page: the current rep, whose photo is shown beside their messages.
    #[prop_or_default]
    pub rep: Option<RepFace>,
    /// Called with the newest `seq` of the other side's messages once it is shown.
    #[prop_or_default]
    pub onseen: Option<Callback<u64>>,
}

#[function_component]
pub fn MessageLog(props: &MessageLogProps) -> Html {
    let t = use_texts();
    let list = use_node_ref();
    {
        // Keep the newest message in view.
        let list = list.clone();
        use_effect_with(props.log.clone(), move |_| {
            if let Some(list) = list.cast::<Element>() {
                list.set_scroll_top(list.scroll_height());
            }
        });
    }
    {
        // Tell the other side what this page has shown.
        let other = props.me.map(other_party);
        let last = other.and_then(|party| props.log.last_seq_from(party));
        let onseen = props.onseen.clone();
        use_effect_with(last, move |last| {
            if let (Some(seq), Some(onseen)) = (last, onseen) {
                onseen.emit(*seq);
            }
        });
    }
    // The system's lines (hold messages) come while waiting, before anyone writes.
    let notes = props.log.notes().iter().enumerate().map(|(index, note)| {
        html! {
            <li key={format!("n{index}")} class="msg system">
                <time class="at">{ clock_time(note.at) }</time>
                <p class="text">{ &note.text }</p>
            </li>
        }
    });
    let stored = props
        .log
        .messages()
        .iter()
        .map(|m| stored_line(props, t, m));
    let pending = props.log.pending().iter().map(|p| {
        let note = if p.failed { t.not_sent } else { t.sending };
        // The copy on its way is not read out: the stored line follows in a moment, and that
        // is the one read. A line that failed is (and the alert says why).
        html! {
            <li key={format!("p{}", p.local_id)} aria-hidden={(!p.failed).then_some("true")}
                class={classes!("msg", "pending", party_class(p.from), p.failed.then_some("failed"))}>
                <span class="who">{ &p.name }</span>
                <span class="delivery">{ note }</span>
                <p class="text"><RichText text={p.text.clone()} /></p>
            </li>
        }
    });
    html! {
        // Focusable so the log can be scrolled with the keyboard.
        // New lines are read; a line's delivery changing ("Sent", "Delivered") is not.
        <div class="log" role="log" aria-live="polite" aria-relevant="additions"
             aria-label={t.chat_log_label}
             tabindex="0" ref={list}>
            if props.log.is_empty() {
                <p class="muted">{ t.no_messages }</p>
            }
            <ol>{ for notes }{ for stored }{ for pending }</ol>
        </div>
    }
}

fn stored_line(props: &MessageLogProps, t: &Texts, m: &ChatMessage) -> Html {
    let mine = props.me == Some(m.from);
    let time = html! { <time class="at">{ clock_time(m.at) }</time> };
    let system = matches!(m.kind, MessageKind::Nudge | MessageKind::Handover);
    let class = classes!(
        "msg",
        party_class(m.from),
        kind_class(m.kind),
        system.then_some("system")
    );
    let key = format!("m{}", m.seq);
    if system {
        let text = match m.kind {
            MessageKind::Nudge if props.me == Some(Party::Rep) => (t.you_nudged)(&props.peer),
            MessageKind::Nudge => (t.nudged_you)(&m.name),
            _ => (t.taken_over)(&m.text),
        };
        return html! {
            <li {key} {class}>{ time }<p class="text">{ text }</p></li>
        };
    }
    let content = match m.kind {
        MessageKind::Link => {
            let lead = if mine {
                t.you_sent_a_link.to_string()
            } else {
                (t.sent_a_link)(&m.name)
            };
            // Only a web address becomes a link; anything else shows as text.
            let target = if site::is_web_url(&m.text) {
                external_link(&m.text)
            } else {
                html! { { &m.text } }
            };
            html! { <>{ lead }{ target }</> }
        }
        MessageKind::File => file_content(props, t, m),
        _ => html! { <RichText text={m.text.clone()} /> },
    };
    let delivery = mine.then(|| {
        let state = match props.log.delivery(m) {
            Delivery::Delivered => t.delivered,
            Delivery::Sent | Delivery::Sending => t.sent,
        };
        html! { <span class="delivery">{ state }</span> }
    });
    let face = (props.me == Some(Party::Customer) && m.from == Party::Rep)
        .then(|| avatar(props.rep.as_ref(), &m.name));
    html! {
        <li {key} {class}>
            { face }
            <span class="who">{ &m.name }</span>
            { time }
            { delivery }
            <p class="text">{ content }</p>
        </li>
    }
}

/// The customer's own file says so; the rep gets a download link with the size.
fn file_content(props: &MessageLogProps, t: &Texts, m: &ChatMessage) -> Html {
    match (&m.file, props.me) {
        (_, Some(Party::Customer)) | (None, _) => html! { { (t.you_sent_file)(&m.text) } },
        (Some(file), _) => {
            let href = format!("{}/{}", api::FILES_PATH, file.file);
            html! {
                <>
                    <a {href} download="">{ (t.download_file)(&m.text) }</a>
                    { " (" }{ t.size(file.size) }{ ")" }
                </>
            }
        }
    }
}

/// The rep's photo, or a circle with their initial; named for screen readers only by the line's
/// sender, so it is hidden from them when it adds nothing.
fn avatar(rep: Option<&RepFace>, name: &str) -> Html {
    let photo = rep
        .filter(|rep| rep.name == name)
        .and_then(|rep| rep.photo.clone());
    match photo {
        Some(src) => html! { <img class="avatar" {src} alt={name.to_string()} /> },
        None => {
            let initial: String = name
                .chars()
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .collect();
            html! { <span class="avatar initial" aria-hidden="true">{ initial }</span> }
        }
    }
}

fn other_party(party: Party) -> Party {
    match party {
        Party::Customer => Party::Rep,
        Party::Rep => Party::Customer,
    }
}

fn party_class(party: Party) -> &'static str {
    match party {
        Party::Customer => "from-customer",
        Party::Rep => "from-rep",
    }
}

fn kind_class(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Text => "kind-text",
        MessageKind::Link => "kind-link",
        MessageKind::Nudge => "kind-nudge",
        MessageKind::File => "kind-file",
        MessageKind::Handover => "kind-handover",
    }
}

/// "14:05" in the browser's time zone.
fn clock_time(at: Millis) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
