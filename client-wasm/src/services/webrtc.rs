//! Screen sharing's WebRTC side, free of Yew: capturing a screen, window or tab, one peer
//! connection tuned for screen content, and the figures the rep's readout shows.
//!
//! The newer parts of the WebRTC API (codec preferences, sender parameters, `contentHint`,
//! `getDisplayMedia` options) are reached through `Reflect`, so that a browser without one of
//! them still shares, just less tuned.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub use client_core::share::{Figures, PeerState};
use js_sys::{Array, Function, Object, Promise, Reflect};
use protocol::{CaptureFailure, IceServer, ShareMode, Signal};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcConfiguration, RtcIceCandidateInit, RtcPeerConnection,
    RtcPeerConnectionIceEvent, RtcPeerConnectionState, RtcRtpTransceiverDirection,
    RtcRtpTransceiverInit, RtcSdpType, RtcSessionDescriptionInit, RtcTrackEvent,
};

/// The most a screen is sent with. Screens change little between frames, and text must stay
/// sharp: resolution is kept and frames are dropped when the link is short.
const MAX_BITRATE_BPS: u32 = 2_500_000;
const MAX_FRAMERATE: u32 = 15;

/// The codecs to prefer, best first, where the browser has them: AV1 and VP9 carry screen
/// content in fewer bits than VP8, which every browser has.
const CODECS: [&str; 3] = ["video/AV1", "video/VP9", "video/VP8"];

fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &key.into(), &value.into());
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target.name(...args)`.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let method: Function = get(target, name).dyn_into()?;
    method.apply(target, &args.iter().collect::<Array>())
}

async fn call_async(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let promise: Promise = call(target, name, args)?.dyn_into()?;
    JsFuture::from(promise).await
}

/// Asks the browser to capture: its own picker lets the customer choose, preferring the whole
/// screen (unrestricted) or a window (the customer chooses, and may switch surfaces). Must
/// follow a click.
pub async fn capture(mode: ShareMode) -> Result<MediaStream, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let devices = window.navigator().media_devices()?;
    let video = Object::new();
    let (surface, switching) = match mode {
        ShareMode::Unrestricted => ("monitor", "exclude"),
        ShareMode::CustomerChooses => ("window", "include"),
    };
    set(&video, "displaySurface", surface);
    let frame_rate = Object::new();
    set(&frame_rate, "max", MAX_FRAMERATE);
    set(&video, "frameRate", frame_rate);
    let options = Object::new();
    set(&options, "video", video);
    set(&options, "audio", false);
    set(&options, "monitorTypeSurfaces", "include");
    set(&options, "surfaceSwitching", switching);
    // Sharing the support chat itself shows the rep nothing new.
    set(&options, "selfBrowserSurface", "exclude");
    call_async(&devices, "getDisplayMedia", &[options.into()])
        .await?
        .dyn_into()
}

/// Whether this browser can share a screen at all: it has WebRTC and screen capture (WebKitGTK,
/// for one, has neither).
pub fn can_share() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let devices = get(&window.navigator(), "mediaDevices");
    get(&window, "RTCPeerConnection").is_function()
        && get(&devices, "getDisplayMedia").is_function()
}

/// Why `getDisplayMedia` failed, from the error it gave; `None` when the customer (or the
/// browser on their behalf) refused, which is `NotAllowedError`.
pub fn capture_failure(error: &JsValue) -> Option<CaptureFailure> {
    let name = Reflect::get(error, &"name".into())
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default();
    Some(match name.as_str() {
        "NotAllowedError" => return None,
        "NotFoundError" => CaptureFailure::NothingToShare,
        "NotReadableError" => CaptureFailure::Blocked,
        "NotSupportedError" => CaptureFailure::Unsupported,
        _ => CaptureFailure::Other,
    })
}

/// The first video track of a capture.
pub fn video_track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

/// Stops every track of a capture, which ends the browser's "sharing" indicator.
pub fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// What happens on a peer connection that its owner hears about.
#[derive(Debug, Clone)]
pub enum PeerEvent {
    /// To send to the other side.
    Signal(Signal),
    State(PeerState),
    /// The rep's side: the customer's screen arrived.
    Stream(MediaStream),
}

/// One peer connection, closed when dropped.
pub struct Peer {
    pc: RtcPeerConnection,
    /// Candidates that came before the other side's description, added once it is set.
    early_candidates: RefCell<Vec<RtcIceCandidateInit>>,
    remote_set: Cell<bool>,
    /// Bytes received and when, at the last [`Peer::figures`], for the bitrate.
    last_bytes: Cell<Option<(f64, f64)>>,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Peer {
    /// A connection through `servers`; with `relay_only`, media goes only through a TURN
    /// relay, so neither side learns the other's addresses.
    pub fn new(
        servers: &[IceServer],
        relay_only: bool,
        on_event: impl Fn(PeerEvent) + 'static,
    ) -> Result<Peer, JsValue> {
        let config = RtcConfiguration::new();
        config.set_ice_servers(&ice_servers(servers));
        if relay_only {
            set(&config, "iceTransportPolicy", "relay");
        }
        let pc = RtcPeerConnection::new_with_configuration(&config)?;
        let on_event = Rc::new(on_event);
        let mut handlers = Vec::new();

        let on = on_event.clone();
        let candidate = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let event: RtcPeerConnectionIceEvent = event.unchecked_into();
            if let Some(c) = event.candidate() {
                on(PeerEvent::Signal(Signal::Candidate {
                    candidate: c.candidate(),
                    sdp_mid: c.sdp_mid(),
                    sdp_m_line_index: c.sdp_m_line_index(),
                }));
            }
        });
        pc.set_onicecandidate(Some(candidate.as_ref().unchecked_ref()));
        handlers.push(candidate);

        let on = on_event.clone();
        let watched = pc.clone();
        let state = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            on(PeerEvent::State(match watched.connection_state() {
                RtcPeerConnectionState::Connected => PeerState::Connected,
                RtcPeerConnectionState::Failed => PeerState::Failed,
                RtcPeerConnectionState::Closed => PeerState::Closed,
                _ => PeerState::Connecting,
            }));
        });
        pc.set_onconnectionstatechange(Some(state.as_ref().unchecked_ref()));
        handlers.push(state);

        let on = on_event;
        let track = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let event: RtcTrackEvent = event.unchecked_into();
            let stream = match event.streams().get(0).dyn_into::<MediaStream>() {
                Ok(stream) => stream,
                Err(_) => {
                    let Ok(stream) = MediaStream::new() else {
                        return;
                    };
                    stream.add_track(&event.track());
                    stream
                }
            };
            on(PeerEvent::Stream(stream));
        });
        pc.set_ontrack(Some(track.as_ref().unchecked_ref()));
        handlers.push(track);

        Ok(Peer {
            pc,
            early_candidates: RefCell::new(Vec::new()),
            remote_set: Cell::new(false),
            last_bytes: Cell::new(None),
            _handlers: handlers,
        })
    }

    /// The customer's side: sends `track`, tuned for a screen, and returns the offer.
    pub async fn send(&self, track: &MediaStreamTrack) -> Result<Signal, JsValue> {
        tune(track);
        let init = RtcRtpTransceiverInit::new();
        init.set_direction(RtcRtpTransceiverDirection::Sendonly);
        let transceiver = self
            .pc
            .add_transceiver_with_media_stream_track_and_init(track, &init);
        prefer_codecs(&transceiver);
        limit_sender(&transceiver.sender()).await;
        self.offer(false).await
    }

    /// An offer; with `ice_restart`, one that finds a new path after a failure.
    pub async fn offer(&self, ice_restart: bool) -> Result<Signal, JsValue> {
        let options = Object::new();
        if ice_restart {
            set(&options, "iceRestart", true);
        }
        let offer = call_async(&self.pc, "createOffer", &[options.into()]).await?;
        let sdp = get(&offer, "sdp").as_string().unwrap_or_default();
        self.set_local(RtcSdpType::Offer, &sdp).await?;
        Ok(Signal::Offer { sdp })
    }

    /// The rep's side: takes the customer's offer and returns the answer.
    pub async fn answer(&self, offer: &str) -> Result<Signal, JsValue> {
        self.set_remote(RtcSdpType::Offer, offer).await?;
        let answer = JsFuture::from(self.pc.create_answer()).await?;
        let sdp = get(&answer, "sdp").as_string().unwrap_or_default();
        self.set_local(RtcSdpType::Answer, &sdp).await?;
        Ok(Signal::Answer { sdp })
    }

    /// The customer's side: the rep's answer.
    pub async fn accept_answer(&self, answer: &str) -> Result<(), JsValue> {
        self.set_remote(RtcSdpType::Answer, answer).await
    }

    /// A candidate from the other side; kept until its description is set.
    pub async fn add_candidate(
        &self,
        candidate: &str,
        sdp_mid: Option<&str>,
        sdp_m_line_index: Option<u16>,
    ) -> Result<(), JsValue> {
        let init = RtcIceCandidateInit::new(candidate);
        init.set_sdp_mid(sdp_mid);
        init.set_sdp_m_line_index(sdp_m_line_index);
        if !self.remote_set.get() {
            self.early_candidates.borrow_mut().push(init);
            return Ok(());
        }
        JsFuture::from(
            self.pc
                .add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init)),
        )
        .await
        .map(drop)
    }

    /// The customer's side: sends another capture in place of the current one, on the running
    /// connection (no new offer), so the rep keeps seeing frames.
    pub async fn replace_track(&self, track: &MediaStreamTrack) -> Result<(), JsValue> {
        tune(track);
        let transceiver = self.pc.get_transceivers().get(0);
        let sender = get(&transceiver, "sender");
        call_async(&sender, "replaceTrack", &[track.into()])
            .await
            .map(drop)
    }

    /// The rep's readout, from `getStats`: the incoming video and the connection.
    pub async fn figures(&self) -> Result<Figures, JsValue> {
        let report = JsFuture::from(self.pc.get_stats()).await?;
        let mut figures = Figures::default();
        let mut bytes = None;
        let each = |value: JsValue| match get(&value, "type").as_string().as_deref() {
            Some("inbound-rtp") if get(&value, "kind").as_string().as_deref() == Some("video") => {
                figures.width = get(&value, "frameWidth").as_f64().unwrap_or_default() as u32;
                figures.height = get(&value, "frameHeight").as_f64().unwrap_or_default() as u32;
                figures.frames_per_second =
                    get(&value, "framesPerSecond").as_f64().unwrap_or_default();
                figures.frames_decoded =
                    get(&value, "framesDecoded").as_f64().unwrap_or_default() as u64;
                bytes = get(&value, "bytesReceived")
                    .as_f64()
                    .zip(get(&value, "timestamp").as_f64());
            }
            Some("candidate-pair") if get(&value, "nominated").as_bool() == Some(true) => {
                if let Some(rtt) = get(&value, "currentRoundTripTime").as_f64() {
                    figures.round_trip_ms = Some(rtt * 1000.0);
                }
            }
            _ => {}
        };
        for_each_value(&report, each);
        if let (Some((now_bytes, now_at)), Some((then_bytes, then_at))) =
            (bytes, self.last_bytes.get())
            && now_at > then_at
        {
            figures.bitrate_kbps = (now_bytes - then_bytes) * 8.0 / (now_at - then_at);
        }
        self.last_bytes.set(bytes);
        Ok(figures)
    }

    async fn set_local(&self, kind: RtcSdpType, sdp: &str) -> Result<(), JsValue> {
        let init = RtcSessionDescriptionInit::new(kind);
        init.set_sdp(sdp);
        JsFuture::from(self.pc.set_local_description(&init))
            .await
            .map(drop)
    }

    async fn set_remote(&self, kind: RtcSdpType, sdp: &str) -> Result<(), JsValue> {
        let init = RtcSessionDescriptionInit::new(kind);
        init.set_sdp(sdp);
        JsFuture::from(self.pc.set_remote_description(&init)).await?;
        self.remote_set.set(true);
        let early = std::mem::take(&mut *self.early_candidates.borrow_mut());
        for candidate in early {
            JsFuture::from(
                self.pc
                    .add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&candidate)),
            )
            .await?;
        }
        Ok(())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.pc.set_onicecandidate(None);
        self.pc.set_onconnectionstatechange(None);
        self.pc.set_ontrack(None);
        self.pc.close();
    }
}

/// `iceServers` as `RTCPeerConnection` takes them.
fn ice_servers(servers: &[IceServer]) -> Array {
    servers
        .iter()
        .map(|server| {
            let entry = Object::new();
            let urls: Array = server.urls.iter().map(|u| JsValue::from_str(u)).collect();
            set(&entry, "urls", urls);
            if let Some(username) = &server.username {
                set(&entry, "username", username.as_str());
            }
            if let Some(credential) = &server.credential {
                set(&entry, "credential", credential.as_str());
            }
            JsValue::from(entry)
        })
        .collect()
}

/// Marks a capture as detailed content (text, lines), for the encoder.
fn tune(track: &MediaStreamTrack) {
    set(track, "contentHint", "detail");
}

/// Orders the browser's video codecs as [`CODECS`] says, keeping the rest (RTX, FEC) after.
fn prefer_codecs(transceiver: &web_sys::RtcRtpTransceiver) {
    let Some(sender_class) = web_sys::window().map(|w| get(&w, "RTCRtpSender")) else {
        return;
    };
    let Ok(capabilities) = call(&sender_class, "getCapabilities", &["video".into()]) else {
        return;
    };
    let codecs: Array = get(&capabilities, "codecs").unchecked_into();
    let rank = |codec: &JsValue| {
        let mime = get(codec, "mimeType").as_string().unwrap_or_default();
        CODECS
            .iter()
            .position(|wanted| mime.eq_ignore_ascii_case(wanted))
            .unwrap_or(CODECS.len())
    };
    let mut ordered: Vec<JsValue> = codecs.iter().collect();
    ordered.sort_by_key(rank);
    let ordered: Array = ordered.into_iter().collect();
    let _ = call(transceiver, "setCodecPreferences", &[ordered.into()]);
}

/// Caps the sender's bitrate and frame rate, and keeps resolution when it must give way.
async fn limit_sender(sender: &web_sys::RtcRtpSender) {
    let Ok(parameters) = call(sender, "getParameters", &[]) else {
        return;
    };
    set(&parameters, "degradationPreference", "maintain-resolution");
    let encodings = get(&parameters, "encodings");
    if let Ok(encodings) = encodings.dyn_into::<Array>() {
        if encodings.length() == 0 {
            encodings.push(&Object::new());
        }
        for encoding in encodings.iter() {
            set(&encoding, "maxBitrate", MAX_BITRATE_BPS);
            set(&encoding, "maxFramerate", MAX_FRAMERATE);
        }
        set(&parameters, "encodings", encodings);
    }
    let _ = call_async(sender, "setParameters", &[parameters]).await;
}

/// Calls `each` with every value of a maplike (an `RTCStatsReport`).
fn for_each_value(maplike: &JsValue, mut each: impl FnMut(JsValue)) {
    let Ok(values) = call(maplike, "values", &[]) else {
        return;
    };
    let Ok(iterator) = values.dyn_into::<js_sys::Iterator>() else {
        return;
    };
    for value in iterator.into_iter().flatten() {
        each(value);
    }
}
