//! The rep's screen sharing in one session: "What to share" and "Request screen sharing", where
//! the request stands, and once the customer shares, their screen in a video with "Full
//! screen", a live readout and "Stop screen sharing".

use js_sys::{Function, Reflect};
use protocol::ShareMode;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlSelectElement, MediaStream};
use yew::prelude::*;

use crate::i18n::use_console_texts;
use client_core::share::{MediaLink, RepShare, readout};

#[derive(Properties, PartialEq)]
pub struct ScreenShareProps {
    pub customer_name: AttrValue,
    pub share: RepShare,
    /// The server records the shared screen.
    #[prop_or_default]
    pub recorded: bool,
    /// The customer's screen, once it arrived.
    #[prop_or_default]
    pub stream: Option<MediaStream>,
    /// The text over the video ("Session 7 · Bo Rep"), when the site wants a watermark.
    #[prop_or_default]
    pub watermark: Option<AttrValue>,
    /// Whether the session is live (sharing can be requested).
    #[prop_or(true)]
    pub live: bool,
    pub onrequest: Callback<ShareMode>,
    pub onstop: Callback<()>,
    pub onretry: Callback<()>,
}

#[function_component]
pub fn ScreenShare(props: &ScreenShareProps) -> Html {
    let t = use_console_texts();
    let mode = use_state(|| ShareMode::Unrestricted);
    let onmode = {
        let mode = mode.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            mode.set(match select.value().as_str() {
                "customer_chooses" => ShareMode::CustomerChooses,
                _ => ShareMode::Unrestricted,
            });
        })
    };
    let onrequest = {
        let mode = *mode;
        props.onrequest.reform(move |_| mode)
    };
    let name = &props.customer_name;
    let status = match &props.share {
        RepShare::Idle | RepShare::On { .. } => None,
        RepShare::Requesting { .. } | RepShare::Waiting { .. } => Some((t.share_waiting_for)(name)),
        RepShare::Declined => Some((t.share_declined_by)(name)),
        RepShare::CouldNotStart(failure) => Some((t.share_could_not_start_for)(name, *failure)),
        RepShare::Ended => Some(t.share_ended.to_string()),
        RepShare::Interrupted => Some(t.share_interrupted.to_string()),
    };
    let screen = match &props.share {
        RepShare::On {
            link,
            stream,
            figures,
            ..
        } => html! {
            <>
                if !stream && *link != MediaLink::Failed {
                    <p class="muted" role="status">{ t.share_connecting }</p>
                }
                if props.recorded {
                    <p class="recorded" role="status">{ t.session_recorded }</p>
                }
                <SharedScreen stream={props.stream.clone()}
                    label={(t.shared_screen_of)(name)} watermark={props.watermark.clone()} />
                <div class="screen-controls">
                    <span class="share-stats" aria-live="off">
                        { figures.as_ref().map(readout).unwrap_or_default() }
                    </span>
                    <button type="button" class="danger" onclick={props.onstop.reform(|_| ())}>
                        { t.stop_screen_sharing }
                    </button>
                </div>
                if *link == MediaLink::Failed {
                    <p class="share-lost" role="alert">{ t.share_connection_lost }</p>
                    <button type="button" onclick={props.onretry.reform(|_| ())}>
                        { t.share_retry }
                    </button>
                }
            </>
        },
        _ => Html::default(),
    };
    let value = match *mode {
        ShareMode::Unrestricted => "unrestricted",
        ShareMode::CustomerChooses => "customer_chooses",
    };
    html! {
        <section class="screen-share" aria-labelledby="screen-share-title">
            <h4 id="screen-share-title">{ t.screen_title }</h4>
            if props.live {
                <div class="share-request">
                    <label for="share-mode">{ t.what_to_share }</label>
                    <select id="share-mode" onchange={onmode}>
                        <option value="unrestricted" selected={value == "unrestricted"}>
                            { t.whole_screen }
                        </option>
                        <option value="customer_chooses" selected={value == "customer_chooses"}>
                            { t.customer_chooses }
                        </option>
                    </select>
                    <button type="button" disabled={!props.share.can_request()} onclick={onrequest}>
                        { t.request_sharing }
                    </button>
                </div>
            }
            <p class="share-status" role="status">
                if let Some(status) = status { { status } }
            </p>
            { screen }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SharedScreenProps {
    stream: Option<MediaStream>,
    label: String,
    watermark: Option<AttrValue>,
}

/// The customer's screen, fitted to the panel, with "Full screen" and the watermark over it.
#[function_component]
fn SharedScreen(props: &SharedScreenProps) -> Html {
    let t = use_console_texts();
    let video = use_node_ref();
    let frame = use_node_ref();
    {
        let video = video.clone();
        use_effect_with(props.stream.clone(), move |stream| {
            let element = video.get();
            if let Some(element) = &element {
                let source = stream.clone().map_or(JsValue::NULL, JsValue::from);
                let _ = Reflect::set(element, &"muted".into(), &true.into());
                let _ = Reflect::set(element, &"srcObject".into(), &source);
            }
            move || {
                if let Some(element) = element {
                    let _ = Reflect::set(&element, &"srcObject".into(), &JsValue::NULL);
                }
            }
        });
    }
    let onfullscreen = {
        let frame = frame.clone();
        Callback::from(move |_| {
            if let Some(element) = frame.get() {
                call(&element, "requestFullscreen");
            }
        })
    };
    html! {
        <>
            <div class="screen-frame" ref={frame}>
                <video class="shared-screen" ref={video} autoplay=true muted=true
                    playsinline=true aria-label={props.label.clone()} />
                if let Some(text) = &props.watermark {
                    <div class="watermark" aria-hidden="true">{ text }</div>
                }
            </div>
            <button type="button" onclick={onfullscreen} disabled={props.stream.is_none()}>
                { t.full_screen }
            </button>
        </>
    }
}

/// Calls `target.name()`, ignoring a browser without it.
fn call(target: &JsValue, name: &str) {
    if let Ok(method) = Reflect::get(target, &name.into()).and_then(|m| m.dyn_into::<Function>()) {
        let _ = method.call0(target);
    }
}
