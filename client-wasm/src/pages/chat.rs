//! `/chat`: the customer's visit: agreement, recording answer, entry form, queue, chat (with
//! the rep's photo, text size, files), end and exit survey.

use protocol::site::fill;
use protocol::{EndReason, Party};
use web_sys::DragEvent;
use yew::prelude::*;

use crate::components::agreement::agreement;
use crate::components::alert::error_alert;
use crate::components::composer::{Composer, MESSAGE_ID};
use crate::components::consent::{ConsentReceipt, RecordingPrompt};
use crate::components::entry_form::EntryForm;
use crate::components::file_picker::{FilePicker, files_of};
use crate::components::file_transfers::FileTransfers;
use crate::components::font_size::font_size_buttons;
use crate::components::link_status::link_status;
use crate::components::message_log::{MessageLog, RepFace};
use crate::components::notices::notices;
use crate::components::orphaned::Orphaned;
use crate::components::peer_link::peer_link_note;
use crate::components::share_banner::ShareBanner;
use crate::components::share_prompt::{ShareFailed, SharePrompt};
use crate::components::survey::{ExitSurvey, SURVEY_HEADING_ID};
use crate::components::waiting::Waiting;
use crate::i18n::{Texts, use_texts};
use crate::services::{announce, storage};
use crate::state::customer::{CustomerHandle, CustomerProvider, use_customer};
use crate::state::font_size::FontSize;
use client_core::customer::{Phase, Survey, wait_placeholder};
use client_core::share::{CustomerShare, MediaLink};

/// The button that starts another chat, focused once nothing else is left to do.
const NEW_CHAT_ID: &str = "new-chat";

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
    super::use_title(t.chat_title);
    let customer = use_customer();
    let loading = html! { <p class="muted">{ t.loading }</p> };
    let body = match &customer.phase {
        Phase::Loading => loading,
        // The agreement's text comes with the site's settings.
        Phase::Agreement if customer.site.is_none() => loading,
        Phase::Agreement => {
            let onaccept = verb(&customer, CustomerHandle::accept_agreement);
            let ondecline = verb(&customer, CustomerHandle::decline_agreement);
            let text = customer.site_texts().agreement;
            agreement(t, &text, onaccept, ondecline)
        }
        Phase::Declined => html! {
            <section class="panel">
                <p class="ended" role="status">{ t.declined_note }</p>
            </section>
        },
        Phase::Recording => {
            let customer = customer.clone();
            let onanswer = Callback::from(move |allowed| customer.answer_recording(allowed));
            html! { <RecordingPrompt {onanswer} /> }
        }
        Phase::Entry => {
            let onstart = {
                let customer = customer.clone();
                Callback::from(move |entry| customer.start(entry))
            };
            let prefill = customer.embed.prefill.clone();
            html! { <EntryForm {onstart} busy={customer.starting} {prefill} /> }
        }
        Phase::Waiting {
            position,
            wait_secs,
            ..
        } => waiting_view(&customer, t, *position, *wait_secs),
        Phase::Chatting { rep_name, .. } => chatting_view(&customer, t, rep_name.as_deref()),
        Phase::Ended {
            by, reason, survey, ..
        } => ended_view(&customer, t, *by, *reason, *survey),
    };
    let body = if customer.embed.moved {
        html! {
            <section class="panel">
                <p class="ended" role="status">{ t.chat_moved }</p>
            </section>
        }
    } else if customer.phase.session().is_some() {
        html! { <ChatWindow>{ body }</ChatWindow> }
    } else {
        body
    };
    let error = customer.error.as_ref().map(|error| {
        let ondismiss = verb(&customer, CustomerHandle::dismiss_error);
        error_alert(t, &t.request_error(error), Some(ondismiss))
    });
    let (words, next_action) = moved_on(&customer, t);
    use_effect_with(words, |words| {
        if let Some(words) = words {
            announce::announce(words);
        }
    });
    use_effect_with(next_action, |id| {
        if let Some(id) = id {
            announce::focus(id);
        }
    });
    html! {
        <main class="page chat">
            <h1>{ t.chat_title }</h1>
            { link_status(t, customer.link) }
            { pop_out(&customer, t) }
            { error }
            { body }
        </main>
    }
}

/// What the customer is told as the visit moves on (views inserted already filled are not
/// read), and the element where their next action is.
fn moved_on(
    customer: &CustomerHandle,
    t: &'static Texts,
) -> (Option<String>, Option<&'static str>) {
    match &customer.phase {
        Phase::Waiting { .. } if customer.orphaned => (Some(customer.site_texts().orphan), None),
        Phase::Chatting {
            rep_name: Some(name),
            ..
        } => (Some((t.chatting_with)(name)), Some(MESSAGE_ID)),
        Phase::Ended {
            by, reason, survey, ..
        } => {
            let ended = ended_text(t, *by, *reason).to_owned();
            match survey {
                Survey::Open | Survey::Sending => (Some(ended), Some(SURVEY_HEADING_ID)),
                Survey::Thanked => (Some(t.survey_thanks.to_owned()), Some(NEW_CHAT_ID)),
                Survey::NotAsked | Survey::Skipped => (Some(ended), Some(NEW_CHAT_ID)),
            }
        }
        _ => (None, None),
    }
}

/// In another site's page: the session may move to a window of its own.
fn pop_out(customer: &CustomerHandle, t: &Texts) -> Html {
    if !customer.embedded() || customer.embed.moved || customer.phase.open_session().is_none() {
        return Html::default();
    }
    let blocked = customer
        .embed
        .blocked
        .then(|| html! { <p class="field-error" role="alert">{ t.pop_out_blocked }</p> });
    html! {
        <div class="pop-out">
            <button type="button" onclick={verb(customer, CustomerHandle::pop_out).reform(|_| ())}>
                { t.pop_out_chat }
            </button>
            { blocked }
        </div>
    }
}

fn chatting_view(customer: &CustomerHandle, t: &Texts, rep_name: Option<&str>) -> Html {
    let heading = match rep_name {
        Some(name) => (t.chatting_with)(name),
        None => t.chatting_with_support.to_string(),
    };
    let rep = rep_name.map(|name| RepFace {
        name: AttrValue::from(name.to_string()),
        photo: customer.rep_photo.clone().map(AttrValue::from),
    });
    let photo = rep.as_ref().and_then(|rep| {
        let src = rep.photo.clone()?;
        Some(html! { <img class="avatar" {src} alt={rep.name.clone()} /> })
    });
    let onsend = {
        let customer = customer.clone();
        Callback::from(move |text| customer.send(text))
    };
    let onseen = {
        let customer = customer.clone();
        Callback::from(move |seq| customer.mark_seen(seq))
    };
    let onfiles = {
        let customer = customer.clone();
        Callback::from(move |files| customer.send_files(files))
    };
    html! {
        <section class="panel">
            <div class="chat-header">
                { photo }
                <h2>{ heading }</h2>
            </div>
            { peer_link_note(t, customer.rep_link, rep_name.unwrap_or(t.chatting_with_support)) }
            { share_view(customer) }
            <MessageLog log={customer.log.clone()} me={Party::Customer} {rep} {onseen} />
            <FileTransfers transfers={customer.files.clone()} me={Party::Customer} />
            <Composer {onsend} />
            <FilePicker {onfiles} />
            { receipt(customer) }
            { end_button(customer, t) }
        </section>
    }
}

/// The rep's request to see the screen, or the banner while it is shared.
fn share_view(customer: &CustomerHandle) -> Html {
    match &customer.share {
        CustomerShare::Off => Html::default(),
        CustomerShare::Asked {
            mode,
            rep_name,
            resume,
        } => html! {
            <SharePrompt rep_name={rep_name.clone()} mode={*mode} resume={*resume}
                onshare={verb(customer, CustomerHandle::share_screen)}
                ondecline={verb(customer, CustomerHandle::decline_share)} />
        },
        CustomerShare::Answering { mode, rep_name } => html! {
            <SharePrompt rep_name={rep_name.clone()} mode={*mode} busy=true
                onshare={Callback::noop()} ondecline={Callback::noop()} />
        },
        CustomerShare::On {
            mode,
            rep_name,
            link,
        } => html! {
            <ShareBanner rep_name={rep_name.clone()} mode={*mode} link={*link}
                recorded={customer.recorded}
                onstop={verb(customer, CustomerHandle::stop_share)}
                onchange={verb(customer, CustomerHandle::change_share)}
                onretry={verb(customer, CustomerHandle::retry_share)} />
        },
        CustomerShare::CouldNotStart(failure) => html! { <ShareFailed failure={*failure} /> },
    }
}

#[derive(Properties, PartialEq)]
struct ChatWindowProps {
    children: Html,
}

/// The box around a session's view: the text size applies to it, a nudge shakes it (the class
/// `shake`, set by `services::attention`), and files dropped on it are offered to the rep.
#[function_component]
fn ChatWindow(props: &ChatWindowProps) -> Html {
    let customer = use_customer();
    let size =
        use_state(|| storage::load_font_step().map_or_else(FontSize::default, FontSize::from_step));
    let onsize = {
        let size = size.clone();
        Callback::from(move |next: FontSize| {
            storage::save_font_step(next.step());
            size.set(next);
        })
    };
    let chatting = matches!(customer.phase, Phase::Chatting { .. });
    let ondragover = Callback::from(move |event: DragEvent| {
        if chatting {
            // Allows the drop.
            event.prevent_default();
        }
    });
    let ondrop = {
        let customer = customer.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            let files = files_of(event.data_transfer().and_then(|data| data.files()));
            if chatting && !files.is_empty() {
                customer.send_files(files);
            }
        })
    };
    let t = use_texts();
    // A reminder over the whole chat while the screen is seen, when the site wants one.
    let watermark = match &customer.share {
        CustomerShare::On {
            rep_name,
            link: MediaLink::Connected,
            ..
        } if customer
            .site
            .as_ref()
            .is_some_and(|site| site.settings.watermark) =>
        {
            html! {
                <div class="watermark" aria-hidden="true">
                    <span>{ (t.share_visible_to)(rep_name) }</span>
                </div>
            }
        }
        _ => Html::default(),
    };
    html! {
        <div class="chat-window" style={size.css()} {ondragover} {ondrop}>
            { font_size_buttons(t, *size, &onsize) }
            { props.children.clone() }
            { watermark }
        </div>
    }
}

fn waiting_view(
    customer: &CustomerHandle,
    t: &Texts,
    position: Option<u32>,
    wait_secs: Option<u32>,
) -> Html {
    let greeting = match (position, wait_secs) {
        (Some(position), Some(wait)) => {
            let text = fill(
                &customer.site_texts().greeting,
                position,
                &wait_placeholder(wait),
            );
            Some(AttrValue::from(text))
        }
        _ => None,
    };
    let onleave = verb(customer, CustomerHandle::leave_after_notice);
    // No surrounding panel: the waiting view, notices and log are boxes of their own.
    html! {
        <section>
            <Waiting {greeting} {position} {wait_secs} />
            { orphan_message(customer) }
            { notices(t, &customer.notices(), customer.lang, &onleave) }
            <MessageLog log={customer.log.clone()} me={Party::Customer} />
            { receipt(customer) }
            { end_button(customer, t) }
        </section>
    }
}

fn ended_view(
    customer: &CustomerHandle,
    t: &'static Texts,
    by: Option<Party>,
    reason: Option<EndReason>,
    survey: Survey,
) -> Html {
    let ended = ended_text(t, by, reason);
    let survey_view = match survey {
        Survey::Open | Survey::Sending => {
            let onsubmit = {
                let customer = customer.clone();
                Callback::from(move |answers| customer.submit_survey(answers))
            };
            let onskip = verb(customer, CustomerHandle::skip_survey);
            let busy = survey == Survey::Sending;
            html! { <ExitSurvey {onsubmit} {onskip} {busy} /> }
        }
        Survey::Thanked => html! { <p role="status">{ t.survey_thanks }</p> },
        Survey::NotAsked | Survey::Skipped => Html::default(),
    };
    let survey_done = !matches!(survey, Survey::Open | Survey::Sending);
    html! {
        <section class="panel">
            if !customer.log.is_empty() {
                <MessageLog log={customer.log.clone()} me={Party::Customer} />
            }
            { orphan_message(customer) }
            <p class="ended" role="status">{ ended }</p>
            { receipt(customer) }
            { survey_view }
            if survey_done {
                <button id={NEW_CHAT_ID} type="button"
                    onclick={verb(customer, CustomerHandle::restart).reform(|_| ())}>
                    { t.new_chat }
                </button>
            }
        </section>
    }
}

/// How the session ended, in a sentence.
fn ended_text(t: &'static Texts, by: Option<Party>, reason: Option<EndReason>) -> &'static str {
    match (by, reason) {
        (_, Some(EndReason::Notice)) => t.left_session,
        (_, Some(EndReason::Orphaned)) => t.ended,
        (_, Some(EndReason::Lost)) => t.ended_connection_lost,
        (Some(Party::Customer), _) => t.ended_by_you,
        (Some(Party::Rep), _) => t.ended_by_rep,
        (None, _) => t.ended,
    }
}

/// The site's orphan message (and its redirect) once no rep is available.
fn orphan_message(customer: &CustomerHandle) -> Html {
    if !customer.orphaned {
        return Html::default();
    }
    let text = customer.site_texts().orphan;
    let url = customer.orphan_url().map(AttrValue::from);
    html! { <Orphaned text={text} {url} /> }
}

fn receipt(customer: &CustomerHandle) -> Html {
    // What the site records and keeps, named on the receipt of a customer who allowed it.
    let kept_days = customer
        .site
        .as_ref()
        .filter(|site| site.settings.record_screens)
        .map(|site| site.settings.recording_retention_days);
    match customer.consent {
        Some(consent) => html! { <ConsentReceipt {consent} {kept_days} /> },
        None => Html::default(),
    }
}

fn end_button(customer: &CustomerHandle, t: &Texts) -> Html {
    let onclick = verb(customer, CustomerHandle::end).reform(|_| ());
    html! {
        <button type="button" class="danger" {onclick}>{ t.end_session }</button>
    }
}

/// A callback that runs one of the customer's verbs.
fn verb(customer: &CustomerHandle, action: fn(&CustomerHandle)) -> Callback<()> {
    let customer = customer.clone();
    Callback::from(move |()| action(&customer))
}
