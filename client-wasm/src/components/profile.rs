//! The rep's "Profile": the display name customers see ("Display name", "Save name"), the
//! current photo and a file field "Photo" to replace it. The photo's type and size are checked
//! here first (the server checks again), so a wrong file is refused at once with the limit named.

use protocol::Reason;
use protocol::api::{MAX_PHOTO_BYTES, PHOTO_TYPES};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{ConsoleTexts, use_console_texts};
use crate::services::api::{self, ApiError};
use crate::state::auth::{AuthStatus, use_auth};

/// Why a chosen photo is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoProblem {
    WrongType,
    TooLarge,
}

/// Checks a photo's type and size as the server will.
pub fn check_photo(content_type: &str, size: u64) -> Result<(), PhotoProblem> {
    if !PHOTO_TYPES.contains(&content_type) {
        return Err(PhotoProblem::WrongType);
    }
    if size > MAX_PHOTO_BYTES as u64 {
        return Err(PhotoProblem::TooLarge);
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Idle,
    Saving,
    Saved,
    Refused(String),
}

fn problem_text(t: &ConsoleTexts, problem: PhotoProblem) -> String {
    match problem {
        PhotoProblem::WrongType => t.photo_wrong_type.to_string(),
        PhotoProblem::TooLarge => (t.photo_too_large)(MAX_PHOTO_BYTES / 1024),
    }
}

#[function_component]
pub fn Profile() -> Html {
    let t = use_console_texts();
    let auth = use_auth();
    let status = use_state(|| Status::Idle);
    let AuthStatus::SignedIn(account) = &auth.status else {
        return Html::default();
    };
    let onchange = {
        let (auth, status) = (auth.clone(), status.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            if let Err(problem) = check_photo(&file.type_(), file.size() as u64) {
                status.set(Status::Refused(problem_text(t, problem)));
                return;
            }
            status.set(Status::Saving);
            let (auth, status) = (auth.clone(), status.clone());
            spawn_local(async move {
                match api::upload_photo(&file).await {
                    Ok(account) => {
                        auth.set_profile(account);
                        status.set(Status::Saved);
                    }
                    Err(error) => status.set(Status::Refused(api_error_text(t, error))),
                }
            });
        })
    };
    let name_field = use_node_ref();
    let onrename = {
        let (auth, status, name_field) = (auth.clone(), status.clone(), name_field.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(input) = name_field.cast::<HtmlInputElement>() else {
                return;
            };
            let name = input.value();
            status.set(Status::Saving);
            let (auth, status) = (auth.clone(), status.clone());
            spawn_local(async move {
                match api::rename(&name).await {
                    Ok(account) => {
                        auth.set_profile(account);
                        status.set(Status::Saved);
                    }
                    Err(error) => status.set(Status::Refused(api_error_text(t, error))),
                }
            });
        })
    };
    let message = match &*status {
        Status::Idle => Html::default(),
        Status::Saving => html! { <p role="status">{ t.saving }</p> },
        Status::Saved => html! { <p role="status">{ t.profile_saved }</p> },
        Status::Refused(text) => html! { <p class="field-error" role="alert">{ text }</p> },
    };
    let photo = match &account.photo {
        Some(src) => html! { <img class="avatar large" src={src.clone()} alt={t.your_photo} /> },
        None => html! { <p class="muted">{ t.no_photo }</p> },
    };
    html! {
        <section class="profile" aria-labelledby="profile-title">
            <h2 id="profile-title">{ t.profile_title }</h2>
            <form class="rename" onsubmit={onrename}>
                <label for="profile-name">{ t.display_name_label }</label>
                <input id="profile-name" type="text" ref={name_field} required=true
                    maxlength={protocol::MAX_NAME_CHARS.to_string()}
                    value={account.name.clone()} />
                <button type="submit" disabled={*status == Status::Saving}>{ t.save_name }</button>
            </form>
            { photo }
            <label for="profile-photo">{ t.photo }</label>
            <input id="profile-photo" type="file" accept={PHOTO_TYPES.join(",")}
                aria-describedby="profile-photo-hint" {onchange}
                disabled={*status == Status::Saving} />
            <p id="profile-photo-hint" class="muted hint">{ (t.photo_hint)(MAX_PHOTO_BYTES / 1024) }</p>
            { message }
        </section>
    }
}

fn api_error_text(t: &ConsoleTexts, error: ApiError) -> String {
    match error {
        ApiError::Failed(words) | ApiError::Conflict(words) => words,
        ApiError::Invalid(invalid) => t.reason(&Reason::Invalid(invalid)),
        ApiError::Refused(reason) => t.reason(&reason),
        ApiError::Unauthorized => t.sign_in_expired.to_string(),
        ApiError::Forbidden => t.error_forbidden.to_string(),
        ApiError::TooManyAttempts(_) => t.error_rate_limited.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_checked_as_the_server_does() {
        assert_eq!(check_photo("image/png", 1000), Ok(()));
        assert_eq!(check_photo("image/webp", MAX_PHOTO_BYTES as u64), Ok(()));
        assert_eq!(check_photo("image/gif", 10), Err(PhotoProblem::WrongType));
        assert_eq!(
            check_photo("image/jpeg", MAX_PHOTO_BYTES as u64 + 1),
            Err(PhotoProblem::TooLarge)
        );
        assert_eq!(
            problem_text(
                crate::i18n::console_texts(protocol::Lang::En),
                PhotoProblem::TooLarge
            ),
            "The photo is too large: at most 256 KB."
        );
    }
}
