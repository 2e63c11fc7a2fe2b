//! The JSON bodies of the rep sign-in API over HTTP: `POST /api/login`, `GET /api/me`,
//! `POST /api/logout`. Sign-in is HTTP rather than a socket message so that the server can set
//! an HttpOnly cookie, which the page's scripts cannot read.

use serde::{Deserialize, Serialize};

use crate::site::{Notice, Settings};
use crate::{Millis, Reason, RepId, SessionId};

pub const LOGIN_PATH: &str = "/api/login";
pub const LOGOUT_PATH: &str = "/api/logout";
/// `GET`: the signed-in rep's [`RepProfile`]. `PUT` a [`ProfileChange`] to rename them.
pub const ME_PATH: &str = "/api/me";

/// `PUT`: the signed-in rep's photo, the image itself as the body with its `Content-Type`
/// (one of [`PHOTO_TYPES`], at most [`MAX_PHOTO_BYTES`]); answers with the [`RepProfile`].
/// `DELETE` removes it.
pub const PHOTO_PATH: &str = "/api/me/photo";
/// `GET {REP_PHOTOS_PATH}/{rep}`: a rep's photo, for everyone in a session with them.
pub const REP_PHOTOS_PATH: &str = "/api/reps";
/// The image types a photo may have.
pub const PHOTO_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp"];
/// The largest photo, in bytes: a portrait shown at chat size needs no more.
pub const MAX_PHOTO_BYTES: usize = 256 * 1024;

/// `PUT {FILES_PATH}/{file}`: the customer uploads an accepted file, with
/// `Authorization: Bearer <session token>`. `GET {FILES_PATH}/{file}`: the session's rep
/// downloads it, always as an attachment.
pub const FILES_PATH: &str = "/api/files";

/// `POST`, by `navigator.sendBeacon` when the customer's page goes away: the session token as
/// the body, and in the query `page=N`, the number its `hello` gave. The session ends unless a
/// page comes back at once (a reload). A beacon from a page other than the one holding the
/// session now is late, and ignored.
pub const LEAVE_PATH: &str = "/api/leave";
/// A key of [`LEAVE_PATH`]'s query when the chat is embedded in another site's page: that page
/// may be going on to another of its site's pages, which opens the chat again, so the session
/// waits longer for it.
pub const LEAVE_EMBEDDED_QUERY: &str = "embedded";

/// The address of a rep's photo; `version` changes with each upload, so caches keep it.
pub fn rep_photo_url(rep: RepId, version: Millis) -> String {
    format!("{REP_PHOTOS_PATH}/{rep}/photo?v={version}")
}

/// The shortest password a rep may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// `GET`: the [`AdminView`]. Every admin call answers with the whole view, as it now stands.
pub const ADMIN_PATH: &str = "/api/admin";
/// `PUT` [`Settings`].
pub const ADMIN_SETTINGS_PATH: &str = "/api/admin/settings";
/// `POST` [`NewRep`]; `PUT {ADMIN_REPS_PATH}/{id}` a [`RepChange`].
pub const ADMIN_REPS_PATH: &str = "/api/admin/reps";
/// `POST` a [`NoticeDraft`](crate::site::NoticeDraft); `PUT {ADMIN_NOTICES_PATH}/{id}` one; `DELETE` it.
pub const ADMIN_NOTICES_PATH: &str = "/api/admin/notices";

/// `POST /api/login`'s body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

/// The signed-in rep: the answer of `/api/login` and `/api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepProfile {
    pub rep: RepId,
    pub name: String,
    pub admin: bool,
    /// The address of the rep's photo, if they uploaded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

/// `PUT /api/me`: the rep's new display name, which customers see from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileChange {
    pub name: String,
}

/// The body of every failed API call: what exactly was refused when the server can say it
/// (an admin call's `invalid` setting names the field), and English words for developers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

/// Everything the admin page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminView {
    pub settings: Settings,
    pub reps: Vec<RepRow>,
    pub notices: Vec<Notice>,
    /// The latest exit surveys, newest first.
    pub surveys: Vec<SurveyRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepRow {
    pub id: RepId,
    pub login: String,
    pub name: String,
    pub admin: bool,
    pub disabled: bool,
}

/// `POST /api/admin/reps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRep {
    pub login: String,
    pub name: String,
    pub password: String,
    pub admin: bool,
}

/// What keeps a new rep from being stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepProblem {
    /// A rep needs a login, a display name and a password.
    FieldsMissing,
    /// The login holds other characters than letters, digits and `._-@`.
    LoginChars,
    /// The password is shorter than [`MIN_PASSWORD_CHARS`].
    PasswordTooShort,
}

impl std::fmt::Display for RepProblem {
    /// In English, for the command line; pages word it in their language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RepProblem::FieldsMissing => {
                f.write_str("a rep needs a login, a display name and a password")
            }
            RepProblem::LoginChars => {
                f.write_str("the login may hold letters, digits and . _ - @ only")
            }
            RepProblem::PasswordTooShort => write!(
                f,
                "the password must have at least {MIN_PASSWORD_CHARS} characters"
            ),
        }
    }
}

impl std::error::Error for RepProblem {}

impl NewRep {
    /// The rep with its login and name trimmed, or what keeps it from being stored: the one set
    /// of rules, run by the admin page before sending, and by the server before storing.
    pub fn check(&self) -> Result<NewRep, RepProblem> {
        let rep = NewRep {
            login: self.login.trim().to_owned(),
            name: self.name.trim().to_owned(),
            ..self.clone()
        };
        if rep.login.is_empty() || rep.name.is_empty() || rep.password.is_empty() {
            return Err(RepProblem::FieldsMissing);
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "._-@".contains(c);
        if !rep.login.chars().all(allowed) {
            return Err(RepProblem::LoginChars);
        }
        if rep.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(RepProblem::PasswordTooShort);
        }
        Ok(rep)
    }
}

/// `PUT /api/admin/reps/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepChange {
    pub admin: bool,
    pub disabled: bool,
}

/// The admin's session reports: past sessions, newest first, a page at a time, found by a
/// [`SessionSearch`] in the query string.
pub const ADMIN_SESSIONS_PATH: &str = "/api/admin/sessions";
/// A recording's segments: `/api/admin/recordings/NAME/INDEX` is segment INDEX as WebM.
pub const ADMIN_RECORDINGS_PATH: &str = "/api/admin/recordings";
/// How many sessions a page of reports lists.
pub const SESSIONS_PER_PAGE: u32 = 50;

/// What the list of reports is narrowed to; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionSearch {
    /// Found in the customer's or the rep's name.
    pub q: String,
    /// Queued at or after this time, and before that one (milliseconds since the epoch).
    pub from: Option<Millis>,
    pub until: Option<Millis>,
    pub outcome: Option<Outcome>,
    /// The customer's survey rated it at least this (1 to 5).
    pub min_rating: Option<u8>,
    /// From 0.
    pub page: u32,
}

/// How a session came out, as the report list tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A rep served it, and it ended.
    Served,
    /// It ended without a rep.
    NotServed,
    /// It has not ended.
    Live,
}

/// One past or live session in the list of reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub session: SessionId,
    pub customer_name: String,
    /// The rep who served it last, if any did.
    pub rep_name: Option<String>,
    pub queued_at: Millis,
    pub ended_at: Option<Millis>,
    /// Whether any of its shared screens was recorded.
    pub recorded: bool,
}

/// A page of the list of reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPage {
    pub sessions: Vec<SessionSummary>,
    /// Another page follows.
    pub more: bool,
}

/// One session's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionReport {
    pub summary: SessionSummary,
    pub problem: String,
    pub transcript: Vec<crate::ChatMessage>,
    pub recordings: Vec<RecordingInfo>,
    /// Its rows of the audit log, oldest first.
    pub audit: Vec<AuditEvent>,
}

/// A recording of a shared screen, played from its segments in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingInfo {
    pub name: String,
    pub started_at: Millis,
    /// Absent while it goes on, or when the server stopped before it did.
    pub duration_ms: Option<u64>,
    /// The segments that are stored: 0 up to this.
    pub segments: u32,
}

/// A row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: Millis,
    pub event: String,
    /// The event's details as stored (JSON).
    pub detail: String,
}

/// A stored exit survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRow {
    pub session: SessionId,
    pub customer_name: String,
    pub rep_name: String,
    pub rating: u8,
    pub resolved: bool,
    pub comment: String,
    pub at: Millis,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(login: &str, name: &str, password: &str) -> NewRep {
        NewRep {
            login: login.into(),
            name: name.into(),
            password: password.into(),
            admin: false,
        }
    }

    #[test]
    fn a_new_rep_is_trimmed_or_refused_for_one_reason() {
        let checked = rep(" bo.b@x ", " Bo ", "long enough").check().unwrap();
        assert_eq!(
            (checked.login.as_str(), checked.name.as_str()),
            ("bo.b@x", "Bo")
        );
        assert_eq!(
            rep("bo", " ", "long enough").check(),
            Err(RepProblem::FieldsMissing)
        );
        assert_eq!(
            rep("bo bo", "Bo", "long enough").check(),
            Err(RepProblem::LoginChars)
        );
        assert_eq!(
            rep("bo", "Bo", "short").check(),
            Err(RepProblem::PasswordTooShort)
        );
    }
}
