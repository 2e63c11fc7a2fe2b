//! The JSON bodies of the rep sign-in API over HTTP: `POST /api/login`, `GET /api/me`,
//! `POST /api/logout`. Sign-in is HTTP rather than a socket message so that the server can set
//! an HttpOnly cookie, which the page's scripts cannot read.

use serde::{Deserialize, Serialize};

use crate::RepId;

pub const LOGIN_PATH: &str = "/api/login";
pub const LOGOUT_PATH: &str = "/api/logout";
pub const ME_PATH: &str = "/api/me";

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
}

/// The body of every failed API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
}
