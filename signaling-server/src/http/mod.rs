//! The HTTP routes: the app's pages and assets, health, rep sign-in, and the WebSocket.

mod admin;
mod error;
mod files;
mod origin;
mod policy;
mod profile;
mod reports;
mod session;
mod signed_in;
mod ws;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use protocol::api;
use tower_http::services::ServeDir;

pub use error::AppError;
pub use policy::EmbedSites;

use crate::hub::{Command, Hub};
use crate::store::Store;

/// What every handler may reach.
#[derive(Clone)]
pub struct AppState {
    /// Reps and sign-ins. A std mutex is right here: every use is a short query inside
    /// `spawn_blocking`, never held across an await.
    pub accounts: Arc<Mutex<Store>>,
    pub hub: Hub,
    /// The data folder: uploaded files live in its `files/`.
    pub data_dir: PathBuf,
    /// The built app (Trunk's `dist`).
    pub static_dir: PathBuf,
    /// Sign-in attempts per login and address, to slow down password guessing.
    pub sign_ins: Arc<Mutex<crate::limits::SignInThrottle>>,
    /// Where sign-in passwords are checked, a few at a time.
    pub passwords: crate::auth::PasswordChecks,
    /// The sites allowed to embed the chat.
    pub embed_sites: EmbedSites,
    /// Turns true when the server stops; open sockets then close.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    pub socket_timeouts: crate::connection::SocketTimeouts,
    /// Trust the proxy's `X-Forwarded-For` for the client's address.
    pub behind_proxy: bool,
    /// Where recordings are and the key to open them; none without a recording key.
    pub recordings: Option<crate::media::Recordings>,
}

impl AppState {
    /// The address a request comes from, as the limits count it.
    pub fn client_address(
        &self,
        peer: std::net::SocketAddr,
        headers: &axum::http::HeaderMap,
    ) -> std::net::IpAddr {
        crate::listen::client_address(peer, headers, self.behind_proxy)
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    // `cargo xtask build` writes each asset brotli- and gzip-compressed beside it.
    let assets = ServeDir::new(&state.static_dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .route("/", get(to_chat))
        .route("/chat", get(chat_page))
        .route("/rep", get(console_page))
        .route("/admin", get(console_page))
        .route("/admin/sessions", get(console_page))
        .route("/admin/sessions/{id}", get(console_page))
        .route("/healthz", get(|| async { "ok" }))
        .route(api::LOGIN_PATH, post(session::login))
        .route(api::LOGOUT_PATH, post(session::logout))
        .route(api::ME_PATH, get(session::me).put(session::rename))
        .route(api::ADMIN_PATH, get(admin::view))
        .route(api::ADMIN_SETTINGS_PATH, put(admin::save_settings))
        .route(api::ADMIN_SESSIONS_PATH, get(reports::sessions))
        .route(
            &format!("{}/{{id}}", api::ADMIN_SESSIONS_PATH),
            get(reports::report),
        )
        .route(
            &format!("{}/{{name}}/{{index}}", api::ADMIN_RECORDINGS_PATH),
            get(reports::segment),
        )
        .route(api::ADMIN_REPS_PATH, post(admin::add_rep))
        .route(
            &format!("{}/{{id}}", api::ADMIN_REPS_PATH),
            put(admin::change_rep),
        )
        .route(api::ADMIN_NOTICES_PATH, post(admin::add_notice))
        .route(
            &format!("{}/{{id}}", api::ADMIN_NOTICES_PATH),
            put(admin::save_notice).delete(admin::delete_notice),
        )
        .route(
            api::PHOTO_PATH,
            put(profile::put_photo)
                .delete(profile::delete_photo)
                // Room for a photo at the limit; the handler says what the limit is.
                .layer(DefaultBodyLimit::max(api::MAX_PHOTO_BYTES * 2)),
        )
        .route(
            &format!("{}/{{rep}}/photo", api::REP_PHOTOS_PATH),
            get(profile::get_photo),
        )
        .route(api::LEAVE_PATH, post(profile::leave))
        .route(
            &format!("{}/{{file}}", api::FILES_PATH),
            // The upload streams and counts its own bytes against the announced size.
            put(files::upload)
                .get(files::download)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(protocol::WS_PATH, get(ws::upgrade))
        .fallback_service(assets)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin::refuse_foreign_changes,
        ))
        .layer(axum::middleware::from_fn(policy::headers))
        .with_state(state)
}

/// The site's root is the customer's chat; the query (such as `?lang=de`) goes along.
async fn to_chat(uri: Uri) -> Redirect {
    match uri.query() {
        Some(query) => Redirect::to(&format!("/chat?{query}")),
        None => Redirect::to("/chat"),
    }
}

/// Where the console's build lies in the static folder: the same app built with the console's
/// pages, which customers never download.
const CONSOLE_DIR: &str = "console";

/// The customer's chat: the page shell, which the allowed sites may frame.
async fn chat_page(State(state): State<AppState>) -> Response {
    let sites = state.embed_sites.list();
    let shell = state.static_dir.join("index.html");
    app_page(&shell, policy::Framing::Sites(&sites)).await
}

/// The rep console and the admin page, which no site may frame.
async fn console_page(State(state): State<AppState>) -> Response {
    let shell = state.static_dir.join(CONSOLE_DIR).join("index.html");
    app_page(&shell, policy::Framing::Nobody).await
}

/// The page `shell`; the app's router picks the page from the URL.
async fn app_page(shell: &std::path::Path, framing: policy::Framing<'_>) -> Response {
    match tokio::fs::read_to_string(shell).await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                (header::CACHE_CONTROL, "no-cache".to_owned()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    policy::page_csp(&html, framing),
                ),
            ],
            html,
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "The app is not built: there is no {}. Build it with `cargo xtask build`.",
                shell.display()
            ),
        )
            .into_response(),
    }
}

/// Sends the hub a command that answers on a oneshot, and waits for the answer: a refusal is
/// the hub's, a hub that stopped is an internal error.
async fn ask_hub<T>(
    state: &AppState,
    command: impl FnOnce(tokio::sync::oneshot::Sender<Result<T, support_core::Refusal>>) -> Command,
) -> Result<T, AppError> {
    let (done, answer) = tokio::sync::oneshot::channel();
    let stopped = || AppError::Internal(anyhow::anyhow!("the hub has stopped"));
    if !state.hub.send(command(done)).await {
        return Err(stopped());
    }
    answer
        .await
        .map_err(|_| stopped())?
        .map_err(AppError::Refused)
}
