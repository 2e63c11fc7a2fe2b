//! `/admin/sessions` and `/admin/sessions/N`: the admin's session reports. The list finds
//! sessions by the customer's or the rep's name, a page at a time; a report shows the
//! transcript, the audit log and, when the screen was recorded, the recording beside the
//! transcript: a chat line's button plays from that moment, and the line being said is marked
//! while it plays.

use protocol::api::{Outcome, RecordingInfo, SessionPage, SessionReport, SessionSearch};
use protocol::{ChatMessage, Millis, SessionId};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlVideoElement};
use yew::prelude::*;

use crate::components::admin::local_time;
use crate::components::alert::error_alert;
use crate::components::auth_gate::AuthGate;
use crate::i18n::{Lang, use_console_texts};
use crate::services::api::{self, ApiError};
use crate::services::player;
use crate::state::auth::{AuthProvider, AuthStatus, use_auth};

/// The address of session `session`'s report.
fn report_path(session: SessionId) -> String {
    format!("/admin/sessions/{session}")
}

#[derive(Properties, PartialEq)]
struct AdminPageProps {
    title: AttrValue,
    children: Html,
}

/// A page for signed-in admins: the sign-in form for everyone else.
#[function_component]
fn AdminPage(props: &AdminPageProps) -> Html {
    html! {
        <AuthProvider>
            <main class="page admin reports">
                <h1>{ props.title.clone() }</h1>
                <AuthGate>
                    <AdminOnly>{ props.children.clone() }</AdminOnly>
                </AuthGate>
            </main>
        </AuthProvider>
    }
}

#[derive(Properties, PartialEq)]
struct ChildrenProps {
    children: Html,
}

#[function_component]
fn AdminOnly(props: &ChildrenProps) -> Html {
    let t = use_console_texts();
    match &use_auth().status {
        AuthStatus::SignedIn(account) if account.admin => props.children.clone(),
        AuthStatus::SignedIn(account) => html! { <p>{ (t.not_admin)(&account.name) }</p> },
        AuthStatus::Checking | AuthStatus::SignedOut => html! {},
    }
}

fn error_text(error: &ApiError) -> String {
    match error {
        ApiError::Failed(detail) => detail.clone(),
        other => format!("{other:?}"),
    }
}

#[function_component]
pub fn Sessions() -> Html {
    let t = use_console_texts();
    super::use_title(t.reports_title);
    html! {
        <AdminPage title={t.reports_title}>
            <SessionList />
        </AdminPage>
    }
}

#[function_component]
fn SessionList() -> Html {
    let t = use_console_texts();
    let lang = use_context::<Lang>().unwrap_or_default();
    let fields = use_memo((), |_| SearchFields::default());
    let query = use_state(SessionSearch::default);
    let found = use_state(|| None::<Result<SessionPage, ApiError>>);
    {
        let found = found.clone();
        use_effect_with((*query).clone(), move |search| {
            let search = search.clone();
            wasm_bindgen_futures::spawn_local(async move {
                found.set(Some(api::session_page(&search).await));
            });
        });
    }
    let onsubmit = {
        let (query, fields) = (query.clone(), fields.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            query.set(fields.search());
        })
    };
    let turn = |step: i32| {
        let query = query.clone();
        Callback::from(move |_: MouseEvent| {
            let mut search = (*query).clone();
            search.page = search.page.saturating_add_signed(step);
            query.set(search);
        })
    };
    let list = match &*found {
        None => Html::default(),
        Some(Err(error)) => error_alert(t, &error_text(error), None),
        Some(Ok(page)) if page.sessions.is_empty() => html! { <p>{ t.no_sessions_found }</p> },
        Some(Ok(page)) => {
            let items = page.sessions.iter().map(|s| {
                let at = local_time(s.queued_at, lang);
                html! {
                    <li key={s.session.0}>
                        <a href={report_path(s.session)}>{ &s.customer_name }</a>
                        { " " }{ (t.session_line)(s.rep_name.as_deref(), &at) }
                        if s.ended_at.is_none() {
                            { " · " }{ t.live_mark }
                        }
                        if s.recorded {
                            { " · " }{ t.recorded_mark }
                        }
                    </li>
                }
            });
            html! {
                <>
                    <ul class="session-list">{ for items }</ul>
                    <nav class="pager">
                        if query.page > 0 {
                            <button type="button" onclick={turn(-1)}>{ t.previous_page }</button>
                        }
                        if page.more {
                            <button type="button" onclick={turn(1)}>{ t.next_page }</button>
                        }
                    </nav>
                </>
            }
        }
    };
    html! {
        <>
            <form role="search" class="session-search" {onsubmit}>
                <label for="session-search">{ t.reports_search }</label>
                <input id="session-search" type="search" ref={fields.text.clone()} />
                <label for="session-from">{ t.search_from }</label>
                <input id="session-from" type="date" ref={fields.from.clone()} />
                <label for="session-until">{ t.search_until }</label>
                <input id="session-until" type="date" ref={fields.until.clone()} />
                <label for="session-outcome">{ t.search_outcome }</label>
                <select id="session-outcome" ref={fields.outcome.clone()}>
                    // Yew leaves the last option chosen unless one is said to be.
                    <option value="" selected=true>{ t.outcome_any }</option>
                    <option value="served">{ t.outcome_served }</option>
                    <option value="not_served">{ t.outcome_not_served }</option>
                    <option value="live">{ t.outcome_live }</option>
                </select>
                <label for="session-rating">{ t.search_rating }</label>
                <select id="session-rating" ref={fields.rating.clone()}>
                    <option value="" selected=true>{ t.rating_any }</option>
                    { for (1..=5).map(|n| html! { <option value={n.to_string()}>{ n }</option> }) }
                </select>
                <button type="submit">{ t.search }</button>
            </form>
            { list }
        </>
    }
}

/// The search form's fields.
#[derive(Default, PartialEq)]
struct SearchFields {
    text: NodeRef,
    from: NodeRef,
    until: NodeRef,
    outcome: NodeRef,
    rating: NodeRef,
}

impl SearchFields {
    /// What the form asks for, from its first page. The days are the browser's: from the
    /// start of "From" to the end of "To".
    fn search(&self) -> SessionSearch {
        let value = |field: &NodeRef| {
            field
                .cast::<HtmlInputElement>()
                .map(|input| input.value())
                .or_else(|| field.cast::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default()
        };
        let outcome = match value(&self.outcome).as_str() {
            "served" => Some(Outcome::Served),
            "not_served" => Some(Outcome::NotServed),
            "live" => Some(Outcome::Live),
            _ => None,
        };
        SessionSearch {
            q: value(&self.text),
            from: day_start(&value(&self.from), 0),
            until: day_start(&value(&self.until), 1),
            outcome,
            min_rating: value(&self.rating).parse().ok(),
            page: 0,
        }
    }
}

/// The start of the day `later` days after the date "YYYY-MM-DD", in the browser's time zone.
fn day_start(date: &str, later: u32) -> Option<Millis> {
    let mut parts = date.splitn(3, '-').map(|part| part.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let start = js_sys::Date::new_with_year_month_day(year, month as i32 - 1, (day + later) as i32);
    Some(start.get_time() as Millis)
}

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub session: SessionId,
}

#[function_component]
pub fn Report(props: &ReportProps) -> Html {
    let t = use_console_texts();
    super::use_title(t.reports_title);
    html! {
        <AdminPage title={t.reports_title}>
            <ReportBody session={props.session} />
        </AdminPage>
    }
}

#[function_component]
fn ReportBody(props: &ReportProps) -> Html {
    let t = use_console_texts();
    let lang = use_context::<Lang>().unwrap_or_default();
    let report = use_state(|| None::<Result<SessionReport, ApiError>>);
    {
        let report = report.clone();
        use_effect_with(props.session, move |session| {
            let session = *session;
            wasm_bindgen_futures::spawn_local(async move {
                report.set(Some(api::session_report(session).await));
            });
        });
    }
    // Where the recording's player stands, in milliseconds since the epoch, and a request to
    // play from a time.
    let playing_at = use_state(|| None::<Millis>);
    let seek = use_state(|| None::<Millis>);
    let report = match &*report {
        None => return Html::default(),
        Some(Err(error)) => return error_alert(t, &error_text(error), None),
        Some(Ok(report)) => report,
    };
    let recording = report.recordings.first();
    let current =
        playing_at.and_then(|at| report.transcript.iter().rposition(|line| line.at <= at));
    let lines = report.transcript.iter().enumerate().map(|(n, line)| {
        let onplay = recording.map(|_| {
            let (seek, at) = (seek.clone(), line.at);
            Callback::from(move |_: MouseEvent| seek.set(Some(at)))
        });
        transcript_line(line, current == Some(n), onplay, t)
    });
    let audit = report.audit.iter().map(|event| {
        html! {
            <li>
                <time>{ local_time(event.at, lang) }</time>{ " " }
                <code>{ &event.event }</code>{ " " }{ &event.detail }
            </li>
        }
    });
    let player = match recording {
        Some(recording) => {
            let playing_at = playing_at.clone();
            html! {
                <Player recording={recording.clone()} seek={*seek}
                    ontime={Callback::from(move |at| playing_at.set(Some(at)))} />
            }
        }
        None => html! { <p>{ t.no_recording }</p> },
    };
    html! {
        <>
            <p><a href="/admin/sessions">{ t.all_sessions }</a></p>
            <h2>{ (t.report_title)(&report.summary.customer_name) }</h2>
            <p>{ t.problem_label }{ ": " }{ &report.problem }</p>
            <div class="report">
                <section class="report-recording" aria-labelledby="recording-title">
                    <h3 id="recording-title">{ t.recording_title }</h3>
                    { player }
                </section>
                <section class="report-transcript" aria-labelledby="transcript-title">
                    <h3 id="transcript-title">{ t.transcript_title }</h3>
                    <ol class="transcript">{ for lines }</ol>
                </section>
            </div>
            <section aria-labelledby="audit-title">
                <h3 id="audit-title">{ t.audit_title }</h3>
                <ol class="audit">{ for audit }</ol>
            </section>
        </>
    }
}

fn transcript_line(
    line: &ChatMessage,
    current: bool,
    onplay: Option<Callback<MouseEvent>>,
    t: &crate::i18n::ConsoleTexts,
) -> Html {
    let time = clock_time(line.at);
    let class = classes!("transcript-line", current.then_some("current"));
    html! {
        <li key={line.seq} {class} aria-current={current.then_some("true")}>
            if let Some(onplay) = onplay {
                <button type="button" class="quiet" onclick={onplay}>{ (t.play_from)(&time) }</button>
            } else {
                <time>{ time.clone() }</time>
            }
            { " " }<strong>{ &line.name }</strong>{ ": " }{ &line.text }
        </li>
    }
}

/// "14:05:09" in the browser's time zone.
fn clock_time(at: Millis) -> String {
    let date = js_sys::Date::new(&(at as f64).into());
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

#[derive(Properties, PartialEq)]
struct PlayerProps {
    recording: RecordingInfo,
    /// Play from this time (milliseconds since the epoch).
    seek: Option<Millis>,
    /// Where playback is, in the same time.
    ontime: Callback<Millis>,
}

#[function_component]
fn Player(props: &PlayerProps) -> Html {
    let video = use_node_ref();
    let failed = use_state(|| None::<String>);
    // Busy until every segment is in: only then are the length and every moment there.
    let loading = use_state(|| true);
    {
        let (video, failed, loading) = (video.clone(), failed.clone(), loading.clone());
        use_effect_with(props.recording.clone(), move |recording| {
            let recording = recording.clone();
            if let Some(element) = video.cast::<HtmlVideoElement>() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(error) = player::play(&element, &recording).await {
                        failed.set(Some(error));
                    }
                    loading.set(false);
                });
            }
        });
    }
    {
        let (video, started) = (video.clone(), props.recording.started_at);
        use_effect_with(props.seek, move |seek| {
            if let (Some(at), Some(element)) = (seek, video.cast::<HtmlVideoElement>()) {
                element.set_current_time(((at - started).max(0) as f64) / 1000.0);
                let _ = element.play();
            }
        });
    }
    let ontimeupdate = {
        let (ontime, started) = (props.ontime.clone(), props.recording.started_at);
        Callback::from(move |event: Event| {
            if let Some(element) = event.target_dyn_into::<HtmlVideoElement>() {
                ontime.emit(started + (element.current_time() * 1000.0) as Millis);
            }
        })
    };
    let t = use_console_texts();
    html! {
        <>
            <video ref={video} class="recording" controls=true {ontimeupdate}
                aria-label={t.recording_title} aria-busy={(*loading).then_some("true")}></video>
            if let Some(error) = &*failed {
                { error_alert(t, error, None) }
            }
        </>
    }
}
