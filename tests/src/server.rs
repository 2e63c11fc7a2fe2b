//! The real `signaling-server` binary, run in a temporary data folder.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, bail, ensure};
use tokio::io::AsyncWriteExt;
use tokio::process::{Child, Command};

use crate::{eventually, workspace_root};

/// The server binary: `SIGNALING_SERVER_BIN`, else the workspace's debug build.
pub fn binary() -> PathBuf {
    std::env::var_os("SIGNALING_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/signaling-server"))
}

/// The built app that the server serves.
pub fn dist_dir() -> anyhow::Result<PathBuf> {
    let dist = workspace_root().join("dist");
    ensure!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the app first (`cargo xtask build`)",
        dist.display()
    );
    Ok(dist)
}

/// A running server process; killed when dropped.
pub struct ServerProcess {
    pub base_url: String,
    pub data_dir: PathBuf,
    addr: String,
    /// Arguments added to `serve`, kept for a restart.
    extra: Vec<String>,
    child: Child,
}

impl ServerProcess {
    /// Starts `signaling-server serve` on a free loopback port and waits until it is healthy.
    pub async fn start(data_dir: &Path) -> anyhow::Result<ServerProcess> {
        Self::start_with(data_dir, Vec::new()).await
    }

    /// As [`ServerProcess::start`], with more arguments for `serve` (such as `--turn`).
    pub async fn start_with(data_dir: &Path, extra: Vec<String>) -> anyhow::Result<ServerProcess> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        Self::start_on(data_dir, format!("127.0.0.1:{port}"), extra).await
    }

    async fn start_on(
        data_dir: &Path,
        addr: String,
        extra: Vec<String>,
    ) -> anyhow::Result<ServerProcess> {
        let binary = binary();
        ensure!(
            binary.is_file(),
            "no server binary at {}: run `cargo build -p signaling-server`",
            binary.display()
        );
        let child = Command::new(&binary)
            .args(["serve", "--addr", &addr, "--data-dir"])
            .arg(data_dir)
            .arg("--static-dir")
            .arg(dist_dir()?)
            .args(&extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let server = ServerProcess {
            base_url: format!("http://{addr}"),
            data_dir: data_dir.to_owned(),
            addr,
            extra,
            child,
        };
        server.wait_healthy().await?;
        Ok(server)
    }

    async fn wait_healthy(&self) -> anyhow::Result<()> {
        let addr = self.addr.clone();
        eventually("the server to answer /healthz", || {
            let addr = addr.clone();
            async move { Ok(http_get_ok(&addr, "/healthz").await.then_some(())) }
        })
        .await
    }

    /// The server process's id, to read its CPU time.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Kills the server with SIGKILL, as a crash would, and starts it again on the same port.
    pub async fn crash_and_restart(mut self) -> anyhow::Result<ServerProcess> {
        self.child.start_kill()?;
        self.child.wait().await?;
        let (data_dir, addr) = (self.data_dir.clone(), self.addr.clone());
        Self::start_on(&data_dir, addr, std::mem::take(&mut self.extra)).await
    }
}

/// `signaling-server rep add LOGIN --name NAME`, with the password on standard input.
pub async fn add_rep(
    data_dir: &Path,
    login: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<()> {
    rep_add(data_dir, login, name, password, false).await
}

/// As [`add_rep`], with `--admin`.
pub async fn add_admin(
    data_dir: &Path,
    login: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<()> {
    rep_add(data_dir, login, name, password, true).await
}

async fn rep_add(
    data_dir: &Path,
    login: &str,
    name: &str,
    password: &str,
    admin: bool,
) -> anyhow::Result<()> {
    let mut child = Command::new(binary())
        .args(["rep", "add", login, "--name", name, "--data-dir"])
        .arg(data_dir)
        .args(admin.then_some("--admin"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(format!("{password}\n").as_bytes()).await?;
    drop(stdin);
    let output = child.wait_with_output().await?;
    if !output.status.success() {
        bail!(
            "rep add failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// Whether `GET path` answers 200, by a bare HTTP/1.1 request.
async fn http_get_ok(addr: &str, path: &str) -> bool {
    use tokio::io::AsyncReadExt;
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return false;
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response).await;
    response.starts_with("HTTP/1.1 200")
}
