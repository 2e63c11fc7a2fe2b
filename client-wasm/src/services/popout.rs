//! Document Picture-in-Picture: a small always-on-top window with the sharing state and a stop
//! button, so the customer can stop sharing from any application. Only where the browser has
//! `documentPictureInPicture`; reached through `Reflect`, since web-sys does not bind it.

use gloo::events::EventListener;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Window};

fn api() -> Option<JsValue> {
    let window = web_sys::window()?;
    let api = Reflect::get(&window, &"documentPictureInPicture".into()).ok()?;
    (!api.is_undefined() && !api.is_null()).then_some(api)
}

/// Whether this browser can open the floating window.
pub fn available() -> bool {
    api().is_some()
}

/// The open floating window; closed when dropped.
pub struct PopOut {
    window: Window,
    _click: EventListener,
}

impl Drop for PopOut {
    fn drop(&mut self) {
        let _ = self.window.close();
    }
}

/// Opens the floating window with `text` and a button `stop_label` that calls `onstop`.
/// Must follow a click.
pub async fn open(
    text: &str,
    stop_label: &str,
    onstop: impl Fn() + 'static,
) -> Result<PopOut, JsValue> {
    let api = api().ok_or("no Document Picture-in-Picture")?;
    let options = Object::new();
    Reflect::set(&options, &"width".into(), &320.into())?;
    Reflect::set(&options, &"height".into(), &120.into())?;
    let request: Function = Reflect::get(&api, &"requestWindow".into())?.dyn_into()?;
    let promise: Promise = request.call1(&api, &options)?.dyn_into()?;
    let window: Window = JsFuture::from(promise).await?.dyn_into()?;
    let document: Document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    body.set_attribute(
        "style",
        "font-family: system-ui, sans-serif; margin: 0; padding: .75rem; display: flex; \
         flex-direction: column; gap: .5rem; align-items: flex-start;",
    )?;
    let state = document.create_element("p")?;
    state.set_attribute("role", "status")?;
    state.set_attribute("style", "margin: 0")?;
    state.set_text_content(Some(text));
    let button = document.create_element("button")?;
    button.set_attribute("type", "button")?;
    button.set_text_content(Some(stop_label));
    body.append_child(&state)?;
    body.append_child(&button)?;
    let click = EventListener::new(&button, "click", move |_| onstop());
    Ok(PopOut {
        window,
        _click: click,
    })
}
