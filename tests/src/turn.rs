//! A real coturn on loopback, with the TURN REST shared secret, for sharing through a relay.

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::Context;
use tokio::process::{Child, Command};

use crate::eventually;

/// The shortest life `serve --turn-ttl-secs` gives TURN credentials.
pub const SHORTEST_TTL_SECS: u64 = 60;

/// A running `turnserver`; killed when dropped.
pub struct TurnServer {
    pub port: u16,
    /// The file holding the shared secret, for the signaling server's `--turn-secret-file`.
    pub secret_file: PathBuf,
    _folder: tempfile::TempDir,
    _child: Child,
}

impl TurnServer {
    pub async fn start() -> anyhow::Result<TurnServer> {
        let folder = tempfile::tempdir()?;
        let secret = format!("test-secret-{}", std::process::id());
        let secret_file = folder.path().join("turn-secret");
        std::fs::write(&secret_file, &secret)?;
        let port = free_port()?;
        let relay_low = free_port()?;
        let child = Command::new("turnserver")
            .args([
                "--no-cli",
                "--no-tls",
                "--no-dtls",
                "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1",
                // Both browsers are on loopback, which coturn refuses to relay to by default.
                "--allow-loopback-peers",
                "--use-auth-secret",
                "--realm=support.test",
                "--fingerprint",
                "--no-stdout-log",
                "--simple-log",
            ])
            .arg(format!("--listening-port={port}"))
            .arg(format!("--static-auth-secret={secret}"))
            .arg(format!("--min-port={relay_low}"))
            .arg(format!("--max-port={}", relay_low.saturating_add(50)))
            .arg(format!(
                "--userdb={}",
                folder.path().join("turn.db").display()
            ))
            .arg(format!(
                "--pidfile={}",
                folder.path().join("turn.pid").display()
            ))
            .arg(format!(
                "--log-file={}",
                folder.path().join("turn.log").display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting turnserver (is coturn installed?)")?;
        eventually("coturn to listen", || async move {
            Ok(std::net::UdpSocket::bind("127.0.0.1:0")
                .ok()
                .filter(|_| std::net::TcpStream::connect(("127.0.0.1", port)).is_ok())
                .map(drop))
        })
        .await?;
        Ok(TurnServer {
            port,
            secret_file,
            _folder: folder,
            _child: child,
        })
    }

    /// The signaling server's arguments for this relay, with credentials as short-lived as it
    /// hands out ([`SHORTEST_TTL_SECS`]).
    pub fn server_args(&self) -> Vec<String> {
        vec![
            "--turn".into(),
            format!("turn:127.0.0.1:{}?transport=udp", self.port),
            "--turn-secret-file".into(),
            self.secret_file.display().to_string(),
            "--turn-ttl-secs".into(),
            SHORTEST_TTL_SECS.to_string(),
        ]
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
