//! `/rep`: the rep console, behind the sign-in: the live queue and the sessions taken.

use yew::prelude::*;

use crate::components::alert::ErrorAlert;
use crate::components::auth_gate::AuthGate;
use crate::components::link_status::LinkStatus;
use crate::components::queue_list::QueueList;
use crate::components::session_panel::SessionPanel;
use crate::components::session_tabs::SessionTabs;
use crate::i18n::use_texts;
use crate::state::auth::{AuthProvider, use_auth};
use crate::state::rep::{RepHandle, RepProvider, use_rep};

#[function_component]
pub fn Rep() -> Html {
    let t = use_texts();
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
    let t = use_texts();
    let rep = use_rep();
    let error = rep.error.as_ref().map(|error| {
        let ondismiss = {
            let rep = rep.clone();
            Callback::from(move |()| rep.dismiss_error())
        };
        html! { <ErrorAlert message={t.request_error(error)} {ondismiss} /> }
    });
    let panel = rep.current().map(|current| {
        html! {
            <SessionPanel key={current.info.session} session={current.clone()}
                onsend={verb(&rep, RepHandle::send)}
                onend={verb(&rep, RepHandle::end)}
                onclose={verb(&rep, RepHandle::close)} />
        }
    });
    html! {
        <>
            <LinkStatus link={rep.link} />
            { error }
            <div class="console">
                <section class="queue-pane" aria-labelledby="queue-title">
                    <h2 id="queue-title">{ t.queue_title }</h2>
                    <QueueList entries={rep.queue.clone()} accepting={rep.accepting}
                        onaccept={verb(&rep, RepHandle::accept)} />
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
        </>
    }
}

/// A callback that calls one of the console's verbs.
fn verb<A: 'static>(rep: &RepHandle, f: fn(&RepHandle, A)) -> Callback<A> {
    let rep = rep.clone();
    Callback::from(move |argument| f(&rep, argument))
}
