//! `/rep`: the rep console, behind the sign-in: presence, session keys, the live queue, the
//! sessions taken and the rep's profile.

use protocol::Millis;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::alert::error_alert;
use crate::components::auth_gate::AuthGate;
use crate::components::link_status::link_status;
use crate::components::profile::Profile;
use crate::components::queue_list::QueueList;
use crate::components::session_panel::SessionPanel;
use crate::components::session_tabs::SessionTabs;
use crate::i18n::{ConsoleTexts, use_console_texts};
use crate::state::auth::{AuthProvider, use_auth};
use crate::state::rep::{RepHandle, RepProvider, clock, use_rep};

#[function_component]
pub fn Rep() -> Html {
    let t = use_console_texts();
    super::use_title(t.rep_title);
    html! {
        <AuthProvider>
            <main class="page rep">
                <h1>{ t.rep_title }</h1>
                <AuthGate>
                    <Console />
                </AuthGate>
            </main>
        </AuthProvider>
    }
}

/// Opens the rep's connection; mounted only once signed in, so the socket carries the cookie.
#[function_component]
fn Console() -> Html {
    let auth = use_auth();
    let onexpired = Callback::from(move |()| auth.expire());
    html! {
        <RepProvider {onexpired}>
            <ConsoleView />
        </RepProvider>
    }
}

#[function_component]
fn ConsoleView() -> Html {
    let t = use_console_texts();
    let rep = use_rep();
    let error = rep.error.as_ref().map(|error| {
        let ondismiss = {
            let rep = rep.clone();
            Callback::from(move |()| rep.dismiss_error())
        };
        error_alert(t, &t.request_error(error), Some(ondismiss))
    });
    let panel = rep.current().map(|current| {
        html! {
            <SessionPanel key={current.info.session.0} session={current.clone()}
                reps={rep.other_reps()}
                onsend={verb(&rep, RepHandle::send)}
                onend={verb(&rep, RepHandle::end)}
                onclose={verb(&rep, RepHandle::close)}
                onnudge={verb(&rep, RepHandle::nudge)}
                onlink={verb(&rep, RepHandle::send_link)}
                ontransfer={verb(&rep, RepHandle::transfer)}
                onanswer={verb(&rep, RepHandle::answer_file)}
                onseen={verb(&rep, RepHandle::mark_seen)}
                screen={rep.screen(current.info.session)} watermark={watermark(&rep, t, current.info.session)}
                onrequestshare={verb(&rep, RepHandle::request_share)}
                onstopshare={verb(&rep, RepHandle::stop_share)}
                onretryshare={verb(&rep, RepHandle::retry_share)} />
        }
    });
    html! {
        <>
            { link_status(t, rep.link) }
            { error }
            <Toolbar />
            <div class="console">
                <section class="queue-pane" aria-labelledby="queue-title">
                    <h2 id="queue-title">{ t.queue_title }</h2>
                    <QueueList entries={rep.queue.clone()} heard={rep.queue_heard}
                        waiting={rep.waiting} accepting={rep.accepting}
                        onaccept={verb(&rep, RepHandle::accept)}
                        notices={rep.notices.clone()} sending_notice={rep.sending_notice}
                        notice_sent={rep.notice_sent}
                        onnotice={verb(&rep, RepHandle::send_notice)} />
                </section>
                <section class="sessions-pane" aria-labelledby="sessions-title">
                    <h2 id="sessions-title">{ t.sessions_title }</h2>
                    if rep.sessions.is_empty() {
                        <p class="muted">{ t.no_sessions }</p>
                    } else {
                        <SessionTabs sessions={rep.sessions.clone()} selected={rep.selected}
                            onselect={verb(&rep, RepHandle::select)} />
                    }
                    { panel }
                </section>
            </div>
            <Profile />
        </>
    }
}

/// The "Available" switch and "Create session key" with the key it made.
#[function_component]
fn Toolbar() -> Html {
    let t = use_console_texts();
    let rep = use_rep();
    let onpresence = {
        let rep = rep.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            rep.set_available(input.checked());
        })
    };
    let oncreate = {
        let rep = rep.clone();
        Callback::from(move |_| rep.create_key())
    };
    let key = rep.key.as_ref().map(|key| {
        let valid = (t.key_valid_until)(&key.key, &local_clock(key.expires_at));
        (valid, customer_link(&key.key))
    });
    html! {
        <div class="toolbar">
            <label class="check">
                <input type="checkbox" checked={!rep.away} onchange={onpresence}
                    aria-describedby="available-hint" />
                { " " }{ t.available }
            </label>
            <p id="available-hint" class="muted hint">{ t.available_hint }</p>
            <button type="button" onclick={oncreate} disabled={rep.creating_key}>
                { t.create_key }
            </button>
            <p class="key" role="status" aria-live="polite">
                if let Some((valid, _)) = &key { { valid } }
            </p>
            if let Some((_, link)) = key {
                <p class="key-link">
                    { t.key_link }{ ": " }<a href={link.clone()}>{ link.clone() }</a>
                </p>
            }
        </div>
    }
}

/// The text over a shared screen, when the site wants a watermark: "Session 7 · Bo Rep".
fn watermark(rep: &RepHandle, t: &ConsoleTexts, session: protocol::SessionId) -> Option<AttrValue> {
    rep.watermark
        .then(|| AttrValue::from((t.share_watermark)(session, &rep.name)))
}

/// The time of day, in the browser's time zone, at which `at` falls.
fn local_clock(at: Millis) -> String {
    let date = js_sys::Date::new(&(at as f64).into());
    clock(date.get_hours(), date.get_minutes())
}

/// The chat page's address with the key filled in, for the rep to pass on.
fn customer_link(key: &str) -> String {
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}/chat?key={key}")
}

/// A callback that calls one of the console's verbs.
fn verb<A: 'static>(rep: &RepHandle, f: fn(&RepHandle, A)) -> Callback<A> {
    let rep = rep.clone();
    Callback::from(move |argument| f(&rep, argument))
}
