//! The admin page in the app: the provider that loads the view and keeps the state
//! (`client_core::admin`), and the verbs of `use_admin()`, each a call to the admin API.

use std::future::Future;
use std::ops::Deref;
use std::rc::Rc;

use client_core::admin::check_new_rep;
use client_core::admin::{Action, AdminError, AdminState, Edit, FormError, Section};
use protocol::api::{AdminView, NewRep, RepChange};
use protocol::site::NoticeDraft;
use protocol::{NoticeId, RepId};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::services::api::{self, ApiError};

impl From<ApiError> for AdminError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Unauthorized => AdminError::SignedOut,
            ApiError::Forbidden => AdminError::Forbidden,
            ApiError::Invalid(invalid) => AdminError::Form(FormError::Invalid(invalid)),
            ApiError::Refused(reason) => AdminError::Refused(reason),
            ApiError::Conflict(_) => AdminError::LoginTaken,
            ApiError::TooManyAttempts(_) => AdminError::Failed("HTTP 429".into()),
            ApiError::Failed(detail) => AdminError::Failed(detail),
        }
    }
}

/// The admin state as the page's reducer. A newtype, since Yew's `Reducible` may be
/// implemented here only for a type of this crate; the state and its logic are `client_core`'s.
#[derive(Clone, PartialEq, Default)]
pub struct Admin(AdminState);

impl Deref for Admin {
    type Target = AdminState;

    fn deref(&self) -> &AdminState {
        &self.0
    }
}

impl Reducible for Admin {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}

/// What `use_admin()` returns: the state plus the verbs.
#[derive(Clone, PartialEq)]
pub struct AdminHandle {
    state: UseReducerHandle<Admin>,
    /// Called when the server no longer takes the cookie for a rep.
    onexpired: Callback<()>,
}

impl Deref for AdminHandle {
    type Target = AdminState;

    fn deref(&self) -> &AdminState {
        &self.state
    }
}

impl AdminHandle {
    pub fn reload(&self) {
        load(self.state.dispatcher(), self.onexpired.clone());
    }

    pub fn edit_settings(&self, edit: Edit) {
        self.state.dispatch(Action::EditSettings(edit));
    }

    /// Saves texts and policies, after the same check the server makes.
    pub fn save_settings(&self) {
        match self.settings.to_settings() {
            Ok(settings) => self.call(Section::Settings, async move {
                api::save_settings(&settings).await
            }),
            Err(error) => self.fail(Section::Settings, AdminError::Form(error)),
        }
    }

    pub fn edit_new_rep(&self, rep: NewRep) {
        self.state.dispatch(Action::EditNewRep(rep));
    }

    pub fn add_rep(&self) {
        match check_new_rep(&self.new_rep) {
            Ok(rep) => self.call(Section::NewRep, async move { api::add_rep(&rep).await }),
            Err(error) => self.fail(Section::NewRep, error),
        }
    }

    pub fn change_rep(&self, (rep, change): (RepId, RepChange)) {
        self.call(
            Section::Reps,
            async move { api::change_rep(rep, &change).await },
        );
    }

    pub fn edit_notice(&self, (id, draft): (NoticeId, NoticeDraft)) {
        self.state.dispatch(Action::EditNotice(id, draft));
    }

    pub fn save_notice(&self, (id, draft): (NoticeId, NoticeDraft)) {
        let section = Section::Notice(id);
        match draft.check() {
            Ok(()) => self.call(section, async move { api::save_notice(id, &draft).await }),
            Err(invalid) => self.fail(section, AdminError::Form(FormError::Invalid(invalid))),
        }
    }

    pub fn delete_notice(&self, id: NoticeId) {
        self.call(
            Section::Notice(id),
            async move { api::delete_notice(id).await },
        );
    }

    pub fn edit_new_notice(&self, draft: NoticeDraft) {
        self.state.dispatch(Action::EditNewNotice(draft));
    }

    pub fn add_notice(&self) {
        let draft = self.new_notice.clone();
        match draft.check() {
            Ok(()) => self.call(
                Section::NewNotice,
                async move { api::add_notice(&draft).await },
            ),
            Err(invalid) => self.fail(
                Section::NewNotice,
                AdminError::Form(FormError::Invalid(invalid)),
            ),
        }
    }

    fn fail(&self, section: Section, error: AdminError) {
        self.state.dispatch(Action::Failed(section, error));
    }

    /// Runs an admin call; its answer, the whole view, replaces what the page shows.
    fn call(
        &self,
        section: Section,
        request: impl Future<Output = Result<AdminView, ApiError>> + 'static,
    ) {
        self.state.dispatch(Action::Busy(section));
        let (dispatch, onexpired) = (self.state.dispatcher(), self.onexpired.clone());
        spawn_local(async move {
            match request.await {
                Ok(view) => dispatch.dispatch(Action::Done(section, view)),
                Err(ApiError::Unauthorized) => onexpired.emit(()),
                Err(error) => dispatch.dispatch(Action::Failed(section, error.into())),
            }
        });
    }
}

fn load(dispatch: UseReducerDispatcher<Admin>, onexpired: Callback<()>) {
    spawn_local(async move {
        match api::admin_view().await {
            Ok(view) => dispatch.dispatch(Action::Loaded(view)),
            Err(ApiError::Unauthorized) => onexpired.emit(()),
            Err(error) => dispatch.dispatch(Action::LoadFailed(error.into())),
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct AdminProviderProps {
    pub children: Html,
    pub onexpired: Callback<()>,
}

/// Loads the admin view and keeps the page's state for everything inside it.
#[function_component]
pub fn AdminProvider(props: &AdminProviderProps) -> Html {
    let state = use_reducer(Admin::default);
    {
        let (dispatch, onexpired) = (state.dispatcher(), props.onexpired.clone());
        use_effect_with((), move |_| load(dispatch, onexpired));
    }
    let handle = AdminHandle {
        state,
        onexpired: props.onexpired.clone(),
    };
    html! {
        <ContextProvider<AdminHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<AdminHandle>>
    }
}

/// The admin page's state and verbs; only inside an [`AdminProvider`].
#[hook]
pub fn use_admin() -> AdminHandle {
    use_context::<AdminHandle>().expect("use_admin needs an AdminProvider")
}
