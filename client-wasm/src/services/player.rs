//! A recording in a `<video>`: its segments, each a whole WebM file whose times run on from
//! the recording's start, appended in order to one Media Source, which then knows the whole
//! duration and can seek anywhere in it.

use js_sys::Promise;
use protocol::api::RecordingInfo;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{EventTarget, HtmlVideoElement, MediaSource, Url};

use super::api;

/// The only codec the server records.
const MIME: &str = "video/webm; codecs=\"vp8\"";

/// Plays `recording` in `video`: attaches a Media Source, appends every segment, ends the
/// stream. The error is for showing.
pub async fn play(video: &HtmlVideoElement, recording: &RecordingInfo) -> Result<(), String> {
    let source = MediaSource::new().map_err(describe)?;
    let url = Url::create_object_url_with_source(&source).map_err(describe)?;
    video.set_src(&url);
    if source.ready_state() != web_sys::MediaSourceReadyState::Open {
        next_event(&source, "sourceopen").await;
    }
    // The player holds the source now; the address is not needed again.
    let _ = Url::revoke_object_url(&url);
    let buffer = source.add_source_buffer(MIME).map_err(describe)?;
    for index in 0..recording.segments {
        let mut webm = api::recording_segment(&recording.name, index)
            .await
            .map_err(|e| format!("{e:?}"))?;
        buffer
            .append_buffer_with_u8_array(&mut webm)
            .map_err(describe)?;
        next_event(&buffer, "updateend").await;
    }
    source.end_of_stream().map_err(describe)
}

/// Waits for the next `event` on `target`.
async fn next_event(target: &EventTarget, event: &str) {
    let promise = Promise::new(&mut |resolve, _| {
        let once = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            event,
            once.unchecked_ref(),
            &options,
        );
    });
    let _ = JsFuture::from(promise).await;
}

fn describe(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            js_sys::Reflect::get(&error, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "the browser could not play the recording".into())
}
