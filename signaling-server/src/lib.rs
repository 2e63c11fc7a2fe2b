//! The signaling server: serves the support app, runs the queue, relays chat, stores sessions.
//!
//! `main.rs` parses the command line and calls [`Server::open`] and [`Server::run`]; tests do the same
//! on port 0. See ARCHITECTURE.md for how a message travels.

pub mod auth;
pub mod connection;
pub mod http;
pub mod hub;
pub mod ice;
pub mod limits;
pub mod listen;
pub mod media;
mod outbox;
pub mod store;

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;

pub use http::{AppState, app};
use hub::Hub;
use store::{NewRep, SessionLog, Store};

/// Where the server keeps its data and finds the built app.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub static_dir: PathBuf,
    pub ice: ice::IceConfig,
    /// How long a side whose connection dropped has to come back.
    pub resume_window_secs: u32,
    /// How many connections are served at once, and how long headers may take.
    pub limits: listen::ConnectionLimits,
    /// How soon a WebSocket must say hello, and how a silent one is found dead.
    pub socket_timeouts: connection::SocketTimeouts,
    /// Requests come through a proxy that appends the client's address to `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// How many sign-in passwords are checked at once.
    pub password_threads: usize,
    /// Where browsers reach the server's media relay, for shares that are recorded.
    pub media_ip: IpAddr,
    /// The key that wraps each recording's key; without it nothing is recorded.
    pub recording_key: Option<Arc<media_relay::seal::MasterKey>>,
}

impl Config {
    /// The defaults, serving `static_dir` and keeping data in `data_dir`.
    pub fn new(data_dir: PathBuf, static_dir: PathBuf) -> Config {
        Config {
            data_dir,
            static_dir,
            ice: ice::IceConfig::default(),
            resume_window_secs: 120,
            limits: listen::ConnectionLimits::default(),
            socket_timeouts: connection::SocketTimeouts::default(),
            behind_proxy: false,
            password_threads: auth::PasswordChecks::default_threads(),
            media_ip: Ipv4Addr::LOCALHOST.into(),
            recording_key: None,
        }
    }
}

/// A server ready to accept connections.
pub struct Server {
    pub state: AppState,
    limits: listen::ConnectionLimits,
    hub_thread: std::thread::JoinHandle<()>,
    stop: tokio::sync::watch::Sender<bool>,
}

impl Server {
    /// Opens the database (creating and migrating it if needed) and starts the hub.
    pub fn open(config: &Config) -> store::Result<Server> {
        let accounts = Store::open(&config.data_dir)?;
        let resume_window = protocol::Millis::from(config.resume_window_secs) * 1000;
        let recordings = config
            .recording_key
            .clone()
            .map(|master| media::Recordings {
                dir: config.data_dir.join("recordings"),
                master,
            });
        let (hub, hub_thread) = Hub::start(
            SessionLog::open(&config.data_dir)?,
            config.ice.clone(),
            resume_window,
            config.media_ip,
            recordings.clone(),
        )?;
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let embed_sites = http::EmbedSites::new(accounts.settings()?.embed_origins);
        let state = AppState {
            accounts: Arc::new(Mutex::new(accounts)),
            hub,
            data_dir: config.data_dir.clone(),
            static_dir: config.static_dir.clone(),
            sign_ins: Arc::default(),
            passwords: auth::PasswordChecks::start(config.password_threads),
            embed_sites,
            stopping,
            socket_timeouts: config.socket_timeouts,
            behind_proxy: config.behind_proxy,
            recordings,
        };
        Ok(Server {
            state,
            limits: config.limits,
            hub_thread,
            stop,
        })
    }

    /// Serves on `listener` until `shutdown` completes, then closes every socket and waits
    /// for the hub to finish its last write.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Server {
            state,
            limits,
            hub_thread,
            stop,
        } = self;
        listen::serve(listener, app(state), limits, shutdown).await?;
        // Upgraded sockets outlive the HTTP server; each holds a hub handle, and the hub's
        // thread ends when the last one is dropped.
        stop.send_replace(true);
        tokio::task::spawn_blocking(move || hub_thread.join())
            .await?
            .map_err(|_| std::io::Error::other("the hub thread panicked"))?;
        Ok(())
    }
}

/// Adds a rep; the password is hashed here and never stored in clear.
pub fn add_rep(
    data_dir: &Path,
    login: &str,
    name: &str,
    password: &str,
    admin: bool,
) -> anyhow::Result<protocol::RepId> {
    let rep = new_rep(login, name, password, admin)?;
    Ok(Store::open(data_dir)?.add_rep(&rep)?)
}

/// A rep to store, once the login, name and password pass the checks; the password hashed.
pub fn new_rep(
    login: &str,
    name: &str,
    password: &str,
    admin: bool,
) -> Result<NewRep, protocol::api::RepProblem> {
    let checked = protocol::api::NewRep {
        login: login.into(),
        name: support_core::clean_name(name).into_owned(),
        password: password.into(),
        admin,
    }
    .check()?;
    Ok(NewRep {
        login: checked.login,
        name: checked.name,
        password_hash: auth::hash_password(password),
        admin,
        now: hub::now_millis(),
    })
}

/// On a first start there is nobody to sign in as: create the admin rep `admin` with a random
/// password and return that password, once, to be shown to whoever started the server.
pub fn ensure_first_admin(data_dir: &Path) -> anyhow::Result<Option<String>> {
    if Store::open(data_dir)?.rep_count()? > 0 {
        return Ok(None);
    }
    let password = auth::new_token()[..16].to_owned();
    add_rep(data_dir, "admin", "Administrator", &password, true)?;
    Ok(Some(password))
}
