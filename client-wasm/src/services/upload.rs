//! The customer's file upload: `PUT /api/files/{file}` with XMLHttpRequest, because only it
//! reports upload progress (`xhr.upload.onprogress`); `fetch` does not.

use std::cell::RefCell;
use std::rc::Rc;

use protocol::api::{self, ApiError};
use protocol::{FileId, Reason};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

/// Why an upload failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    /// The server refused it (such as the size limit).
    Refused(Reason),
    /// The request did not complete.
    Network,
}

type Done = Box<dyn FnOnce(Result<(), UploadError>)>;

/// Uploads `file` as transfer `id` of the session `token` proves. `on_progress` hears the bytes
/// sent so far; `on_done` the outcome, once.
pub fn put_file(
    id: FileId,
    token: &str,
    file: &File,
    on_progress: impl Fn(u64) + 'static,
    on_done: impl FnOnce(Result<(), UploadError>) + 'static,
) {
    let done: Rc<RefCell<Option<Done>>> = Rc::new(RefCell::new(Some(Box::new(on_done))));
    if let Err(error) = start(id, token, file, on_progress, done.clone()) {
        super::warn(&format!("could not start the upload: {error:?}"));
        if let Some(on_done) = done.borrow_mut().take() {
            on_done(Err(UploadError::Network));
        }
    }
}

fn start(
    id: FileId,
    token: &str,
    file: &File,
    on_progress: impl Fn(u64) + 'static,
    done: Rc<RefCell<Option<Done>>>,
) -> Result<(), wasm_bindgen::JsValue> {
    let xhr = XmlHttpRequest::new()?;
    xhr.open_with_async("PUT", &format!("{}/{id}", api::FILES_PATH), true)?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}"))?;
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        on_progress(event.loaded() as u64)
    });
    xhr.upload()?
        .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    // The progress handler lives until the request ends; then it is dropped with the rest.
    let progress = Rc::new(RefCell::new(Some(progress)));
    let finish = {
        let xhr = xhr.clone();
        move |result: Result<(), UploadError>| {
            if let Ok(upload) = xhr.upload() {
                upload.set_onprogress(None);
            }
            xhr.set_onload(None);
            xhr.set_onerror(None);
            xhr.set_onabort(None);
            progress.borrow_mut().take();
            if let Some(on_done) = done.borrow_mut().take() {
                on_done(result);
            }
        }
    };
    let finish = Rc::new(finish);
    let onload = {
        let (xhr, finish) = (xhr.clone(), finish.clone());
        Closure::once_into_js(move || {
            let status = xhr.status().unwrap_or(0);
            let result = if (200..300).contains(&status) {
                Ok(())
            } else {
                let body = xhr.response_text().ok().flatten().unwrap_or_default();
                Err(UploadError::Refused(refusal(&body)))
            };
            finish(result);
        })
    };
    let onerror = {
        let finish = finish.clone();
        Closure::once_into_js(move || finish(Err(UploadError::Network)))
    };
    xhr.set_onload(Some(onload.unchecked_ref()));
    xhr.set_onerror(Some(onerror.unchecked_ref()));
    xhr.set_onabort(Some(onerror.unchecked_ref()));
    xhr.send_with_opt_blob(Some(file))
}

/// Why the server refused, from an `ApiError` body; a refusal that does not say (a proxy's
/// page, a sign-in gone) is a file not stored.
pub fn refusal(body: &str) -> Reason {
    super::json::from_str::<ApiError>(body)
        .ok()
        .and_then(|error| error.reason)
        .unwrap_or(Reason::NotStored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_reason_is_taken_when_it_gave_one() {
        assert_eq!(
            refusal(r#"{"error":"larger","reason":"larger_than_offered"}"#),
            Reason::LargerThanOffered
        );
        assert_eq!(refusal("<html>bad gateway</html>"), Reason::NotStored);
        assert_eq!(refusal(r#"{"error":"no"}"#), Reason::NotStored);
    }
}
