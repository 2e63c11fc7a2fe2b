//! The admin API under `/api/admin`: settings, notices and reps, for signed-in admins only.
//!
//! Every call answers with the whole [`AdminView`] as it now stands, so the page never shows a
//! mix of old and new. Values are checked here with the same rules the page uses
//! ([`Settings::check`], [`NoticeDraft::check`]); a refused change stores nothing. Settings and
//! notices go through the hub, which stores them and shows them to every open page at once.

use axum::Json;
use axum::extract::{Path, State};
use protocol::api::{AdminView, NewRep, RepChange};
use protocol::site::NoticeDraft;
use protocol::{NoticeId, RepId, Settings};

use super::session::blocking;
use super::signed_in::Admin;
use super::{AppError, AppState, ask_hub};
use crate::hub::Command;
use crate::store::StoreError;
use support_core::{AdminAction, Input};

/// How many surveys the page shows.
const SURVEYS_SHOWN: u32 = 200;

pub async fn view(State(state): State<AppState>, _: Admin) -> Result<Json<AdminView>, AppError> {
    current_view(&state).await
}

pub async fn save_settings(
    State(state): State<AppState>,
    _: Admin,
    Json(settings): Json<Settings>,
) -> Result<Json<AdminView>, AppError> {
    settings.check().map_err(AppError::Invalid)?;
    let embed_origins = settings.embed_origins.clone();
    hub_change(&state, AdminAction::SaveSettings(Box::new(settings))).await?;
    state.embed_sites.set(embed_origins);
    current_view(&state).await
}

pub async fn add_notice(
    State(state): State<AppState>,
    _: Admin,
    Json(draft): Json<NoticeDraft>,
) -> Result<Json<AdminView>, AppError> {
    draft.check().map_err(AppError::Invalid)?;
    hub_change(&state, AdminAction::AddNotice(draft)).await?;
    current_view(&state).await
}

pub async fn save_notice(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<NoticeId>,
    Json(draft): Json<NoticeDraft>,
) -> Result<Json<AdminView>, AppError> {
    draft.check().map_err(AppError::Invalid)?;
    hub_change(&state, AdminAction::SaveNotice(id, draft)).await?;
    current_view(&state).await
}

pub async fn delete_notice(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<NoticeId>,
) -> Result<Json<AdminView>, AppError> {
    hub_change(&state, AdminAction::DeleteNotice(id)).await?;
    current_view(&state).await
}

pub async fn add_rep(
    State(state): State<AppState>,
    _: Admin,
    Json(rep): Json<NewRep>,
) -> Result<Json<AdminView>, AppError> {
    let accounts = state.accounts.clone();
    blocking(move || {
        // The checks of `new_rep` speak to the admin; hashing happens before the lock.
        let rep = crate::new_rep(&rep.login, &rep.name, &rep.password, rep.admin)
            .map_err(|e| AppError::BadInput(e.to_string()))?;
        match accounts.lock().expect("accounts lock").add_rep(&rep) {
            Ok(_) => Ok(()),
            Err(StoreError::LoginTaken(login)) => Err(AppError::LoginTaken(login)),
            Err(other) => Err(other.into()),
        }
    })
    .await?;
    current_view(&state).await
}

pub async fn change_rep(
    State(state): State<AppState>,
    Admin(me): Admin,
    Path(id): Path<RepId>,
    Json(change): Json<RepChange>,
) -> Result<Json<AdminView>, AppError> {
    if id == me.id && (!change.admin || change.disabled) {
        return Err(AppError::BadInput(
            "you cannot take away your own admin role or disable yourself".into(),
        ));
    }
    let accounts = state.accounts.clone();
    let found = blocking(move || {
        let mut accounts = accounts.lock().expect("accounts lock");
        Ok(accounts.set_rep_flags(id, change.admin, change.disabled)?)
    })
    .await?;
    if !found {
        return Err(AppError::NotFound(format!("there is no rep {id}")));
    }
    if change.disabled {
        state.hub.send(Command::Input(Input::RepDisabled(id))).await;
    }
    current_view(&state).await
}

async fn hub_change(state: &AppState, action: AdminAction) -> Result<(), AppError> {
    ask_hub(state, |done| Command::Admin { action, done }).await
}

async fn current_view(state: &AppState) -> Result<Json<AdminView>, AppError> {
    let accounts = state.accounts.clone();
    blocking(move || {
        let store = accounts.lock().expect("accounts lock");
        Ok(Json(AdminView {
            settings: store.settings()?,
            reps: store.reps()?,
            notices: store.notices()?,
            surveys: store.surveys(SURVEYS_SHOWN)?,
        }))
    })
    .await
}
