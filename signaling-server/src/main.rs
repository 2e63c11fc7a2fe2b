//! The `signaling-server` command: `serve`, and `rep add` to create rep accounts.

use std::io::{BufRead, IsTerminal};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use base64::Engine;
use clap::{Parser, Subcommand};
use media_relay::seal::{KEY_LEN, MasterKey};
use signaling_server::ice::IceConfig;
use signaling_server::listen::ConnectionLimits;
use signaling_server::{Config, Server, add_rep, ensure_first_admin};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(version, about = "Browser-native remote support: the server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app, the queue and the WebSocket.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[arg(long, default_value = "./data")]
        data_dir: PathBuf,
        /// The built app (Trunk's output).
        #[arg(long, default_value = "./dist")]
        static_dir: PathBuf,
        #[command(flatten)]
        ice: IceArgs,
        /// How long a customer or rep whose connection dropped has to come back to the same
        /// session, in seconds.
        #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(5..=86_400))]
        resume_window_secs: u32,
        #[command(flatten)]
        limits: LimitArgs,
        /// The address browsers reach the server's media relay at, for shares that are
        /// recorded (UDP, a port per side of each such share). Defaults to --addr's host, or
        /// 127.0.0.1 when that is any address.
        #[arg(long, value_name = "IP")]
        media_ip: Option<IpAddr>,
        /// A file holding the master key that wraps each recording's key: 32 random bytes in
        /// base64 (`head -c 32 /dev/urandom | base64`). Without it nothing is recorded.
        #[arg(long, value_name = "FILE")]
        recording_key_file: Option<PathBuf>,
    },
    /// Manage rep accounts.
    Rep {
        #[command(subcommand)]
        command: RepCommand,
    },
}

/// Where browsers find each other for screen sharing. Without any, two browsers connect only
/// where they can reach each other directly (the same network).
#[derive(clap::Args)]
struct IceArgs {
    /// A STUN server, such as `stun:turn.example.com:3478`; may be given more than once.
    #[arg(long = "stun", value_name = "URL")]
    stun: Vec<String>,
    /// A TURN server, such as `turn:turn.example.com:3478?transport=udp`; may be given more
    /// than once. Needs --turn-secret-file.
    #[arg(long = "turn", value_name = "URL", requires = "turn_secret_file")]
    turn: Vec<String>,
    /// A file holding the secret shared with the TURN server (coturn's `static-auth-secret`).
    #[arg(long, value_name = "FILE")]
    turn_secret_file: Option<PathBuf>,
    /// How long TURN credentials last, in seconds (60 to 3600). A page asks for them as a
    /// share starts and the relay judges them once, when it allocates: a share outlives them.
    /// The default leaves room for clocks that disagree by a few minutes.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(60..=3600))]
    turn_ttl_secs: u64,
}

impl IceArgs {
    fn config(self) -> anyhow::Result<IceConfig> {
        let turn_secret = match &self.turn_secret_file {
            Some(path) => {
                let secret = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read the TURN secret from {}", path.display())
                })?;
                let secret = secret.trim().to_owned();
                anyhow::ensure!(
                    !secret.is_empty(),
                    "the TURN secret file {} is empty",
                    path.display()
                );
                Some(secret)
            }
            None => None,
        };
        Ok(IceConfig {
            stun: self.stun,
            turn: self.turn,
            turn_secret,
            turn_ttl_secs: self.turn_ttl_secs,
        })
    }
}

/// What one client, and everyone together, may hold of the server.
#[derive(clap::Args)]
struct LimitArgs {
    /// Connections served at once (WebSockets included); past it only `/healthz` is answered.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(16..=1_000_000))]
    max_connections: u64,
    /// Connections open at once from one client address (an IPv6 /64); 0 for no cap. Not
    /// applied with --behind-proxy, where the proxy should limit (nginx `limit_conn`).
    #[arg(long, default_value_t = 200)]
    max_connections_per_address: usize,
    /// Seconds a client has to send a request's headers (and an idle connection stays open).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    header_timeout_secs: u64,
    /// The server is behind a proxy that appends the client's address to `X-Forwarded-For`:
    /// sign-in limits count that address. Without it the header is ignored, as anyone can send it.
    #[arg(long)]
    behind_proxy: bool,
}

impl LimitArgs {
    fn apply(self, config: &mut Config) {
        config.limits = ConnectionLimits {
            max_open: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
            max_per_address: (self.max_connections_per_address > 0 && !self.behind_proxy)
                .then_some(self.max_connections_per_address),
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs),
        };
        config.behind_proxy = self.behind_proxy;
    }
}

#[derive(Subcommand)]
enum RepCommand {
    /// Add a rep; the password is read from standard input.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin: bool,
        #[arg(long, default_value = "./data")]
        data_dir: PathBuf,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    // Errors here are the user's to act on (a taken login, a short password, a busy port):
    // say what is wrong, without a backtrace.
    match execute(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve {
            addr,
            data_dir,
            static_dir,
            ice,
            resume_window_secs,
            limits,
            media_ip,
            recording_key_file,
        } => {
            let mut config = Config::new(data_dir, static_dir);
            config.ice = ice.config()?;
            config.resume_window_secs = resume_window_secs;
            config.media_ip = media_ip
                .or_else(|| (!addr.ip().is_unspecified()).then_some(addr.ip()))
                .unwrap_or(config.media_ip);
            if let Some(path) = recording_key_file {
                config.recording_key = Some(Arc::new(read_master_key(&path)?));
            }
            limits.apply(&mut config);
            serve(addr, config)
        }
        Command::Rep {
            command:
                RepCommand::Add {
                    login,
                    name,
                    admin,
                    data_dir,
                },
        } => {
            let password = read_password()?;
            let id = add_rep(&data_dir, &login, &name, &password, admin)?;
            println!("Added rep `{login}` ({name}) with id {id}.");
            Ok(())
        }
    }
}

/// The recordings' master key from its file.
fn read_master_key(path: &Path) -> anyhow::Result<MasterKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the recording key from {}", path.display()))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; KEY_LEN]>::try_from(bytes).ok())
        .with_context(|| {
            format!(
                "the recording key file {} must hold {KEY_LEN} random bytes in base64 \
                 (head -c {KEY_LEN} /dev/urandom | base64)",
                path.display()
            )
        })?;
    Ok(MasterKey::new(&bytes))
}

#[tokio::main]
async fn serve(addr: SocketAddr, config: Config) -> anyhow::Result<()> {
    // Bind first: a busy port should not cost the first admin's one-time password.
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let addr = listener.local_addr()?;
    if let Some(password) = ensure_first_admin(&config.data_dir)? {
        println!(
            "First start: created the admin rep. Sign in at http://{addr}/rep as `admin` with \
             the password `{password}` (shown only now; add more reps with `signaling-server rep add`)."
        );
    }
    let server = Server::open(&config)?;
    tracing::info!("listening on http://{addr}");
    server.run(listener, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing the SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {}
        _ = term.recv() => {}
    }
    tracing::info!("shutting down");
}

/// The password from standard input: prompted without echo on a terminal, else the first line.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password: ").context("reading the password");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
