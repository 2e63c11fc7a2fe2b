//! Saving text the page made as a file, without a server round trip: a Blob behind an object
//! URL, clicked through a temporary link.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use super::warn;

/// Offers `text` as a download named `file_name`.
pub fn text_file(file_name: &str, text: &str) {
    if let Err(error) = try_text_file(file_name, text) {
        warn(&format!("could not offer the download: {error:?}"));
    }
}

fn try_text_file(file_name: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or("no document")?;
    let options = BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let parts = js_sys::Array::of1(&text.into());
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    // Some browsers only follow links that are in the document.
    let body = document.body().ok_or("no body")?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // The download has started by now; the URL is freed later, not at once, because some
    // browsers read it asynchronously.
    Timeout::new(60_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
