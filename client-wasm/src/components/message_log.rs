//! A session's chat as a `role="log"` list: the system's lines (hold messages), then each
//! message's sender, time and text, then our own messages still on their way.

use std::rc::Rc;

use protocol::{Millis, Party};
use wasm_bindgen::JsValue;
use web_sys::Element;
use yew::prelude::*;

use crate::i18n::use_texts;
use crate::state::chat_log::ChatLog;

#[derive(Properties, PartialEq)]
pub struct MessageLogProps {
    pub log: Rc<ChatLog>,
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
    // The system's lines (hold messages) come while waiting, before anyone writes.
    let notes = props.log.notes().iter().enumerate().map(|(index, note)| {
        html! {
            <li key={format!("n{index}")} class="msg system">
                <time class="at">{ clock_time(note.at) }</time>
                <p class="text">{ &note.text }</p>
            </li>
        }
    });
    let stored = props.log.messages().iter().map(|m| {
        html! {
            <li key={format!("m{}", m.seq)} class={classes!("msg", party_class(m.from))}>
                <span class="who">{ &m.name }</span>
                <time class="at">{ clock_time(m.at) }</time>
                // Text nodes, never markup: whatever the sender typed shows as typed.
                <p class="text">{ &m.text }</p>
            </li>
        }
    });
    let pending = props.log.pending().iter().map(|p| {
        let note = if p.failed { t.not_sent } else { t.sending };
        html! {
            <li key={format!("p{}", p.local_id)}
                class={classes!("msg", "pending", party_class(p.from), p.failed.then_some("failed"))}>
                <span class="who">{ &p.name }</span>
                <span class="at">{ note }</span>
                <p class="text">{ &p.text }</p>
            </li>
        }
    });
    html! {
        // Focusable so the log can be scrolled with the keyboard.
        <div class="log" role="log" aria-live="polite" aria-label={t.chat_log_label}
             tabindex="0" ref={list}>
            if props.log.is_empty() {
                <p class="muted">{ t.no_messages }</p>
            }
            <ol>{ for notes }{ for stored }{ for pending }</ol>
        </div>
    }
}

fn party_class(party: Party) -> &'static str {
    match party {
        Party::Customer => "from-customer",
        Party::Rep => "from-rep",
    }
}

/// "14:05" in the browser's time zone.
fn clock_time(at: Millis) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}
