//! The admin's session reports: the list of sessions, one session's report, and its
//! recordings' segments, decrypted for the player and never cached. Admins only; every
//! playback is a row in the audit log.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Json, body::Body};
use protocol::SessionId;
use protocol::api::{RecordingInfo, SessionPage, SessionReport, SessionSearch};
use support_core::{Input, Recording};

use super::session::blocking;
use super::signed_in::Admin;
use super::{AppError, AppState};
use crate::hub::{Command, now_millis};
use crate::media::segment_path;

/// `GET /api/admin/sessions?q=TEXT&from=MS&until=MS&outcome=served&min_rating=4&page=N`
pub async fn sessions(
    State(state): State<AppState>,
    _: Admin,
    Query(search): Query<SessionSearch>,
) -> Result<Json<SessionPage>, AppError> {
    let accounts = state.accounts.clone();
    blocking(move || {
        let store = accounts.lock().expect("accounts lock");
        Ok(Json(store.session_page(&search)?))
    })
    .await
}

/// `GET /api/admin/sessions/{id}`
pub async fn report(
    State(state): State<AppState>,
    _: Admin,
    Path(session): Path<SessionId>,
) -> Result<Json<SessionReport>, AppError> {
    let accounts = state.accounts.clone();
    let recordings = state.recordings.clone();
    blocking(move || {
        let found = accounts
            .lock()
            .expect("accounts lock")
            .session_report(session)?;
        let Some((mut report, rows)) = found else {
            return Err(AppError::NotFound(format!("there is no session {session}")));
        };
        report.recordings = rows
            .into_iter()
            .map(|row| RecordingInfo {
                segments: recordings
                    .as_ref()
                    .map_or(0, |r| stored_segments(&r.folder(&row.name))),
                name: row.name,
                started_at: row.started_at,
                duration_ms: row.duration_ms,
            })
            .collect();
        Ok(Json(report))
    })
    .await
}

/// How many whole segments are stored: 0, 1, 2… up to the first missing.
fn stored_segments(folder: &std::path::Path) -> u32 {
    (0..)
        .take_while(|&n| segment_path(folder, n).exists())
        .count() as u32
}

/// `GET /api/admin/recordings/{name}/{index}`: the segment as WebM. Fetching the first is
/// playing the recording, and is audited.
pub async fn segment(
    State(state): State<AppState>,
    Admin(me): Admin,
    Path((name, index)): Path<(String, u32)>,
) -> Result<Response, AppError> {
    let Some(recordings) = state.recordings.clone() else {
        return Err(AppError::NotFound(
            "this server has no recording key".into(),
        ));
    };
    let accounts = state.accounts.clone();
    let (session, webm) = blocking(move || {
        let row = accounts.lock().expect("accounts lock").recording(&name)?;
        let Some(row) = row else {
            return Err(AppError::NotFound(format!("there is no recording {name}")));
        };
        let path = segment_path(&recordings.folder(&row.name), index);
        let sealed = std::fs::read(&path)
            .map_err(|_| AppError::NotFound(format!("recording {name} has no segment {index}")))?;
        let key = recordings
            .master
            .unwrap(&row.wrapped_key, &row.name)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("recording {name}'s key: {e}")))?;
        let webm = key
            .open(index, sealed)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{}: {e}", path.display())))?;
        Ok(((row.session, row.name), webm))
    })
    .await?;
    if index == 0 {
        let (session, recording) = session;
        let viewed = Recording::Viewed {
            session,
            recording,
            by: me.id,
            at: now_millis(),
        };
        state
            .hub
            .send(Command::Input(Input::Recording(viewed)))
            .await;
    }
    Ok((
        [
            (header::CONTENT_TYPE, "video/webm"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from(webm),
    )
        .into_response())
}
