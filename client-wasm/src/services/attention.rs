//! A rep's nudge on the customer's page: the window takes focus, the chat window shakes, a short
//! beep plays, and a hidden tab flashes its title and shows a notification.
//!
//! Browsers let a page play sound only after the visitor interacted with it, so one
//! `AudioContext` is made (or resumed) at the customer's first click or key press and kept.
//! What happened is left on the `.chat-window` element for browser tests to read: the class
//! `shake` while it shakes, and `data-nudge-sound="played"` once the beep started.

use std::cell::RefCell;

use gloo::timers::callback::Timeout;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{AudioContext, AudioContextState, Element, OscillatorType};

use super::{notify, warn};

/// The element that shakes.
const WINDOW_SELECTOR: &str = ".chat-window";
/// How long the `shake` class stays: the animation's length (see `app.css`) and some margin.
const SHAKE_MS: u32 = 800;
const BEEP_SECS: f64 = 0.3;

thread_local! {
    static AUDIO: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// Call from a user gesture: makes the page's audio context, or resumes it, so a later nudge
/// may play sound.
pub fn unlock_sound() {
    let Some(context) = audio_context() else {
        return;
    };
    if context.state() == AudioContextState::Suspended
        && let Ok(promise) = context.resume()
    {
        spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

fn audio_context() -> Option<AudioContext> {
    AUDIO.with(|audio| {
        let mut audio = audio.borrow_mut();
        if audio.is_none() {
            match AudioContext::new() {
                Ok(context) => *audio = Some(context),
                Err(_) => warn("this browser has no Web Audio"),
            }
        }
        audio.clone()
    })
}

/// Draws the customer's attention: focus, shake, beep; and when the tab is hidden, the title
/// flash and a notification.
pub fn nudge(title: &str, flash: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.focus();
    }
    shake();
    beep();
    notify::alert(title, "", flash);
}

fn chat_window() -> Option<Element> {
    web_sys::window()?
        .document()?
        .query_selector(WINDOW_SELECTOR)
        .ok()
        .flatten()
}

fn shake() {
    let Some(element) = chat_window() else {
        return;
    };
    let _ = element.class_list().add_1("shake");
    Timeout::new(SHAKE_MS, move || {
        let _ = element.class_list().remove_1("shake");
    })
    .forget();
}

fn beep() {
    let Some(context) = audio_context() else {
        return;
    };
    spawn_local(async move {
        if context.state() != AudioContextState::Running
            && let Ok(promise) = context.resume()
        {
            // Refused without a user gesture; the beep is then silent.
            let _ = JsFuture::from(promise).await;
        }
        if let Err(error) = play(&context) {
            warn(&format!("could not play the nudge sound: {error:?}"));
            return;
        }
        if context.state() == AudioContextState::Running
            && let Some(element) = chat_window()
        {
            let _ = element.set_attribute("data-nudge-sound", "played");
        }
    });
}

/// A short two-tone beep, fading out so it does not click.
fn play(context: &AudioContext) -> Result<(), wasm_bindgen::JsValue> {
    let oscillator = context.create_oscillator()?;
    oscillator.set_type(OscillatorType::Sine);
    let now = context.current_time();
    oscillator.frequency().set_value_at_time(880.0, now)?;
    oscillator
        .frequency()
        .set_value_at_time(660.0, now + BEEP_SECS / 2.0)?;
    let gain = context.create_gain()?;
    gain.gain().set_value_at_time(0.2, now)?;
    gain.gain()
        .exponential_ramp_to_value_at_time(0.001, now + BEEP_SECS)?;
    oscillator.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&context.destination())?;
    oscillator.start()?;
    oscillator.stop_with_when(now + BEEP_SECS)?;
    Ok(())
}
