//! Who is signed in on the rep and admin pages, with `use_auth()` verbs to sign in and out.

use std::ops::Deref;
use std::rc::Rc;

use protocol::Reason;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::services::api::{self, Account, ApiError};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AuthStatus {
    /// Asking the server whether the cookie names a rep.
    #[default]
    Checking,
    SignedOut,
    SignedIn(Account),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    WrongCredentials,
    /// Too many failed attempts; wait this many seconds.
    TooManyAttempts(u32),
    /// The sign-in was valid once and no longer is.
    Expired,
    /// The server said what it refused.
    Refused(Reason),
    /// The network or the server failed.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthState {
    pub status: AuthStatus,
    /// A sign-in or sign-out is on its way.
    pub busy: bool,
    pub error: Option<AuthError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Checked(Option<Account>),
    Submitting,
    SignedIn(Account),
    SignedOut,
    Expired,
    /// The rep's profile changed (a new photo).
    ProfileChanged(Account),
    Failed(AuthError),
    DismissError,
}

impl Reducible for AuthState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Checked(account) => {
                next.status = account.map_or(AuthStatus::SignedOut, AuthStatus::SignedIn);
            }
            Action::Submitting => {
                next.busy = true;
                next.error = None;
            }
            Action::SignedIn(account) => {
                next = AuthState {
                    status: AuthStatus::SignedIn(account),
                    ..AuthState::default()
                };
            }
            Action::SignedOut => next = AuthState::signed_out(None),
            Action::Expired => next = AuthState::signed_out(Some(AuthError::Expired)),
            Action::ProfileChanged(account) => {
                if let AuthStatus::SignedIn(known) = &mut next.status
                    && known.rep == account.rep
                {
                    *known = account;
                }
            }
            Action::Failed(error) => {
                // A failed check leaves nobody signed in; a failed sign-out leaves the rep in.
                if next.status == AuthStatus::Checking {
                    next.status = AuthStatus::SignedOut;
                }
                next.busy = false;
                next.error = Some(error);
            }
            Action::DismissError => next.error = None,
        }
        if next == *self { self } else { Rc::new(next) }
    }
}

impl AuthState {
    fn signed_out(error: Option<AuthError>) -> Self {
        AuthState {
            status: AuthStatus::SignedOut,
            busy: false,
            error,
        }
    }
}

fn auth_error(error: ApiError) -> AuthError {
    match error {
        ApiError::Unauthorized => AuthError::WrongCredentials,
        ApiError::TooManyAttempts(seconds) => AuthError::TooManyAttempts(seconds),
        ApiError::Failed(detail) | ApiError::Conflict(detail) => AuthError::Failed(detail),
        ApiError::Forbidden => AuthError::Failed("HTTP 403".into()),
        ApiError::Invalid(invalid) => AuthError::Refused(Reason::Invalid(invalid)),
        ApiError::Refused(reason) => AuthError::Refused(reason),
    }
}

/// What `use_auth()` returns: the state plus the verbs.
#[derive(Clone, PartialEq)]
pub struct AuthHandle(UseReducerHandle<AuthState>);

impl Deref for AuthHandle {
    type Target = AuthState;

    fn deref(&self) -> &AuthState {
        &self.0
    }
}

impl AuthHandle {
    pub fn sign_in(&self, login: String, password: String) {
        self.0.dispatch(Action::Submitting);
        let dispatch = self.0.dispatcher();
        spawn_local(async move {
            dispatch.dispatch(match api::login(&login, &password).await {
                Ok(account) => Action::SignedIn(account),
                Err(error) => Action::Failed(auth_error(error)),
            });
        });
    }

    pub fn sign_out(&self) {
        self.0.dispatch(Action::Submitting);
        let dispatch = self.0.dispatcher();
        spawn_local(async move {
            dispatch.dispatch(match api::logout().await {
                Ok(()) => Action::SignedOut,
                Err(error) => Action::Failed(auth_error(error)),
            });
        });
    }

    /// The server stopped taking the cookie for a rep.
    pub fn expire(&self) {
        self.0.dispatch(Action::Expired);
    }

    pub fn dismiss_error(&self) {
        self.0.dispatch(Action::DismissError);
    }

    /// The server answered a profile change with the profile as it now is.
    pub fn set_profile(&self, account: Account) {
        self.0.dispatch(Action::ProfileChanged(account));
    }
}

#[derive(Properties, PartialEq)]
pub struct AuthProviderProps {
    pub children: Html,
}

/// Asks the server who is signed in, and keeps the answer for everything inside it.
#[function_component]
pub fn AuthProvider(props: &AuthProviderProps) -> Html {
    let state = use_reducer(AuthState::default);
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                dispatch.dispatch(match api::me().await {
                    Ok(account) => Action::Checked(account),
                    Err(error) => Action::Failed(auth_error(error)),
                });
            });
        });
    }
    html! {
        <ContextProvider<AuthHandle> context={AuthHandle(state)}>
            { props.children.clone() }
        </ContextProvider<AuthHandle>>
    }
}

/// The sign-in state and verbs; only inside an [`AuthProvider`].
#[hook]
pub fn use_auth() -> AuthHandle {
    use_context::<AuthHandle>().expect("use_auth needs an AuthProvider")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(actions: impl IntoIterator<Item = Action>) -> AuthState {
        let mut state = Rc::new(AuthState::default());
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
    }

    fn rita() -> Account {
        Account {
            rep: protocol::RepId(1),
            name: "Rita".into(),
            admin: false,
            photo: None,
        }
    }

    #[test]
    fn a_new_photo_updates_the_signed_in_rep() {
        let with_photo = Account {
            photo: Some("/api/reps/1/photo?v=2".into()),
            ..rita()
        };
        let state = reduce([
            Action::Checked(Some(rita())),
            Action::ProfileChanged(with_photo.clone()),
        ]);
        assert_eq!(state.status, AuthStatus::SignedIn(with_photo));
        // Nobody signed in: nothing to update.
        let state = reduce([Action::Checked(None), Action::ProfileChanged(rita())]);
        assert_eq!(state.status, AuthStatus::SignedOut);
    }

    #[test]
    fn a_wrong_password_keeps_the_form_with_an_error() {
        let state = reduce([
            Action::Checked(None),
            Action::Submitting,
            Action::Failed(AuthError::WrongCredentials),
        ]);
        assert_eq!(state.status, AuthStatus::SignedOut);
        assert!(!state.busy);
        assert_eq!(state.error, Some(AuthError::WrongCredentials));
    }

    #[test]
    fn signing_in_clears_the_error_and_signing_out_ends_it() {
        let state = reduce([
            Action::Checked(None),
            Action::Failed(AuthError::WrongCredentials),
            Action::Submitting,
            Action::SignedIn(rita()),
        ]);
        assert_eq!(state.status, AuthStatus::SignedIn(rita()));
        assert_eq!(state.error, None);
        let state = reduce([Action::SignedIn(rita()), Action::Expired]);
        assert_eq!(state.status, AuthStatus::SignedOut);
        assert_eq!(state.error, Some(AuthError::Expired));
    }

    #[test]
    fn a_failed_check_shows_the_form() {
        let state = reduce([Action::Failed(AuthError::Failed("offline".into()))]);
        assert_eq!(state.status, AuthStatus::SignedOut);
        let state = reduce([
            Action::Checked(Some(rita())),
            Action::Failed(AuthError::Failed("offline".into())),
        ]);
        assert_eq!(state.status, AuthStatus::SignedIn(rita()));
    }
}
