//! The server binary on a free loopback port with a fresh data folder; killed when dropped.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

use client_tokio::Client;

const REP_PASSWORD: &str = "bench password";

pub struct Server {
    addr: String,
    binary: std::path::PathBuf,
    data: tempfile::TempDir,
    child: Child,
}

impl Server {
    pub async fn start(binary: &Path, dist: &Path) -> anyhow::Result<Server> {
        let data = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(binary)
            .args(["serve", "--addr", &addr, "--data-dir"])
            .arg(data.path())
            // Every socket of the load comes from 127.0.0.1, up to 19,000 of them.
            .args([
                "--max-connections-per-address",
                "0",
                "--max-connections",
                "30000",
            ])
            .arg("--static-dir")
            .arg(dist)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let server = Server {
            addr,
            binary: binary.to_owned(),
            data,
            child,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(&server.addr).await.is_ok() {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the server did not listen within 10 s")
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}{}", self.addr, protocol::WS_PATH)
    }

    /// The server's resident memory now.
    pub fn rss_bytes(&self) -> anyhow::Result<u64> {
        rss_of(self.pid()?)
    }

    pub fn pid(&self) -> anyhow::Result<u32> {
        self.child.id().context("the server has exited")
    }

    /// The server's address, `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The CPU time the server has used so far.
    pub fn cpu(&self) -> anyhow::Result<crate::cpu::CpuTime> {
        crate::cpu::of_process(self.child.id().context("the server has exited")?)
    }

    /// A rep added (as `login`), signed in and connected, available.
    pub async fn rep(&self, login: &str) -> anyhow::Result<Client> {
        let mut add = Command::new(&self.binary)
            .args(["rep", "add", login, "--name", login, "--data-dir"])
            .arg(self.data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        let mut stdin = add.stdin.take().context("stdin")?;
        stdin
            .write_all(format!("{REP_PASSWORD}\n").as_bytes())
            .await?;
        drop(stdin);
        anyhow::ensure!(add.wait().await?.success(), "rep add failed");
        let cookie = self.sign_in(login).await?;
        let (rep, _) =
            Client::connect(&self.ws_url(), Some(&cookie), protocol::Request::rep_hello).await?;
        Ok(rep)
    }

    /// `POST /api/login` over a bare HTTP/1.1 connection; the cookie it sets.
    async fn sign_in(&self, login: &str) -> anyhow::Result<String> {
        let stream = tokio::net::TcpStream::connect(&self.addr).await?;
        let response = post_login(stream, &self.addr, login, REP_PASSWORD).await?;
        let cookie = response
            .lines()
            .find_map(|line| {
                line.strip_prefix("set-cookie: ")
                    .or_else(|| line.strip_prefix("Set-Cookie: "))
            })
            .and_then(|value| value.split(';').next())
            .context("the sign-in set no cookie")?;
        Ok(cookie.to_owned())
    }
}

/// The resident memory of process `pid`.
pub fn rss_of(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .context("no VmRSS")?
        .parse()?;
    Ok(kib * 1024)
}

/// `POST /api/login` with `login` and `password` on `stream` (to `host`), closed after; the
/// whole response.
pub async fn post_login(
    mut stream: tokio::net::TcpStream,
    host: &str,
    login: &str,
    password: &str,
) -> anyhow::Result<String> {
    let body = serde_json::json!({ "login": login, "password": password }).to_string();
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        protocol::api::LOGIN_PATH,
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}
