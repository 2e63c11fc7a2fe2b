//! The `signaling-server` command: `serve`, and `rep add` to create rep accounts.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
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
    },
    /// Manage rep accounts.
    Rep {
        #[command(subcommand)]
        command: RepCommand,
    },
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
        } => serve(addr, data_dir, static_dir),
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

#[tokio::main]
async fn serve(addr: SocketAddr, data_dir: PathBuf, static_dir: PathBuf) -> anyhow::Result<()> {
    // Bind first: a busy port should not cost the first admin's one-time password.
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let addr = listener.local_addr()?;
    if let Some(password) = ensure_first_admin(&data_dir)? {
        println!(
            "First start: created the admin rep. Sign in at http://{addr}/rep as `admin` with \
             the password `{password}` (shown only now; add more reps with `signaling-server rep add`)."
        );
    }
    let server = Server::open(&Config {
        data_dir,
        static_dir,
    })?;
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
